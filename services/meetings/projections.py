"""meetings' read models: meetings, action items and topics (rebuilt from their streams
with the domain's evolve) and the watcher's deadlines; which case each inspection
finding became (from cases' topic); and the process managers that open a decision's
action items and put an accepted topic on its meeting's agenda."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from services.meetings.assignments import assignments, open_action_items
from services.meetings.command_table import COMMANDS
from services.meetings.domain.action_item import ACTION, ActionItem
from services.meetings.domain.deciding import DecisionRecorded, WorkPlanAdopted
from services.meetings.domain.lifecycle import ActionStatus
from services.meetings.domain.meeting import MEETING, Meeting
from services.meetings.domain.overdue import open_deadlines
from services.meetings.domain.topic import TOPIC
from services.meetings.domain.topics import TopicAccepted
from services.meetings.inbound_events import CaseReceived
from services.meetings.topic_agenda import place_on_agenda
from services.meetings.topic_rows import topic_row
from shared.auth import SYSTEM_ACTOR
from shared.db import DbConnection
from shared.envelope import Envelope
from shared.handling import CommandContext, decode_all
from shared.store import EventStore
from shared.values import RECORDED

MEETING_MODELS = "meeting_read_models"
FINDING_CASES = "finding_cases"


class MeetingReadModels:
    """Feeds `meetings`, `action_items`, `action_deadlines` and `topics` from meetings'
    topic."""

    name = MEETING_MODELS
    # Every effect goes through the runner's connection (see `Projection`).
    is_transactional = True
    tables = ("meetings", "action_items", "action_deadlines", "topics")

    def __init__(self, store: EventStore, topic: str) -> None:
        self.store = store
        self.topics = (topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Rewrite the meeting's or action item's rows from its state at this event."""
        records = [
            r
            for r in await self.store.load(event.subject)
            if r.version <= event.streamversion
        ]
        if event.subject.startswith(f"{MEETING.category}-"):
            meeting = MEETING.replay(decode_all(MEETING, records))
            await _meeting_row(conn, MEETING.entity_id(event.subject), meeting, event)
        elif event.subject.startswith(f"{TOPIC.category}-"):
            topic = TOPIC.replay(decode_all(TOPIC, records))
            await topic_row(conn, TOPIC.entity_id(event.subject), topic, event)
        elif event.subject.startswith(f"{ACTION.category}-"):
            item = ACTION.replay(decode_all(ACTION, records))
            action_id = ACTION.entity_id(event.subject)
            await _action_row(conn, action_id, item, event)
            await conn.execute(
                "DELETE FROM action_deadlines WHERE action_id = $1", action_id
            )
            for deadline in open_deadlines(item):
                await conn.execute(
                    "INSERT INTO action_deadlines (action_id, kind, due, version)"
                    " VALUES ($1, $2, $3, $4)",
                    action_id,
                    deadline.kind.value,
                    deadline.due,
                    event.streamversion,
                )


async def _meeting_row(
    conn: DbConnection, meeting_id: str, meeting: Meeting, event: Envelope
) -> None:
    await conn.execute(
        "INSERT INTO meetings (meeting_id, kind, title, status, proposed_on, proposed_for,"
        " scheduled_on, held_on, chair_person_id, invited_units, minutes_status, decisions,"
        " work_plan_year, missing_materials, version, updated_at) VALUES ($1, $2, $3, $4, $5,"
        " $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (meeting_id) DO UPDATE"
        " SET status = excluded.status, proposed_for = excluded.proposed_for,"
        " scheduled_on = excluded.scheduled_on, held_on = excluded.held_on,"
        " chair_person_id = excluded.chair_person_id, minutes_status = excluded.minutes_status,"
        " decisions = excluded.decisions, work_plan_year = excluded.work_plan_year,"
        " missing_materials = excluded.missing_materials, version = excluded.version,"
        " updated_at = excluded.updated_at WHERE meetings.version < excluded.version",
        meeting_id,
        meeting.kind.value if meeting.kind else "",
        meeting.title,
        meeting.status.value,
        meeting.proposed_on,
        meeting.proposed_for,
        meeting.scheduled_on,
        meeting.held_on,
        meeting.chair_person_id,
        list(meeting.invited_units),
        meeting.minutes.status.value,
        len(meeting.decisions),
        meeting.work_plan.year if meeting.work_plan else None,
        len(meeting.missing_materials()),
        event.streamversion,
        event.time,
    )


async def _action_row(
    conn: DbConnection, action_id: str, item: ActionItem, event: Envelope
) -> None:
    completed_on = item.accepted_on
    was_late = item.flagged_past_due or (
        completed_on is not None and item.due is not None and completed_on > item.due
    )
    await conn.execute(
        "INSERT INTO action_items (action_id, meeting_id, origin, source_id, unit_code, task,"
        " due, report_every_days, case_ids, listing_ids, status, assigned_on, last_reported_on,"
        " completed_on, is_overdue, was_late, misses, version, updated_at) VALUES ($1, $2, $3,"
        " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
        " ON CONFLICT (action_id) DO UPDATE SET status = excluded.status,"
        " last_reported_on = excluded.last_reported_on, completed_on = excluded.completed_on,"
        " is_overdue = excluded.is_overdue, was_late = excluded.was_late,"
        " misses = excluded.misses, version = excluded.version, updated_at = excluded.updated_at"
        " WHERE action_items.version < excluded.version",
        action_id,
        item.meeting_id,
        item.origin.value if item.origin else "",
        item.source_id,
        item.unit_code,
        item.task,
        item.due,
        item.report_every_days,
        list(item.case_ids),
        list(item.listing_ids),
        item.status.value,
        item.assigned_on,
        item.last_reported_on,
        completed_on if item.status is ActionStatus.COMPLETED else None,
        item.is_overdue,
        was_late,
        int(item.flagged_past_due) + len(item.missed_reports),
        event.streamversion,
        event.time,
    )


class FindingCases:
    """Feeds `finding_cases` from cases' CaseReceived events that name a finding."""

    name = FINDING_CASES
    # Every effect goes through the runner's connection (see `Projection`).
    is_transactional = True
    tables = ("finding_cases",)

    def __init__(self, cases_topic: str) -> None:
        self.topics = (cases_topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """`meeting-<id>/<finding>` in a received case links the finding to the case."""
        if event.event_type != "CaseReceived":
            return
        reference = CaseReceived.model_validate(event.data).source_reference
        if reference is None or not reference.startswith(f"{MEETING.category}-"):
            return
        stream, _, finding_id = reference.partition("/")
        await conn.execute(
            "INSERT INTO finding_cases (meeting_id, finding_id, case_id) VALUES ($1, $2, $3)"
            " ON CONFLICT DO NOTHING",
            MEETING.entity_id(stream),
            finding_id,
            event.subject.removeprefix("case-"),
        )


def _system_context(event: Envelope) -> CommandContext:
    now = datetime.now(UTC)
    return CommandContext(
        actor=SYSTEM_ACTOR,
        correlation_id=event.correlationid,
        causation_id=event.id,
        now=now,
        today=now.date(),
    )


class TopicsOntoAgendas:
    """TopicAccepted → PlaceTopicOnAgenda on its meeting, once.

    The request that accepts a topic adds it to the agenda at once; this makes sure it
    is added even if that request stopped half-way."""

    name = "topics_onto_agendas"
    tables: tuple[str, ...] = ()

    def __init__(self, store: EventStore, pool: asyncpg.Pool, topic: str) -> None:
        self.store = store
        self.pool = pool
        self.topics = (topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Put the accepted topic on its meeting's agenda; ignore other events."""
        if event.event_type != TopicAccepted.event_type():
            return
        topic_id = TOPIC.entity_id(event.subject)
        ctx = _system_context(event)
        await place_on_agenda(COMMANDS, self.store, self.pool, ctx, topic_id)


class ActionItemsFromDecisions:
    """DecisionRecorded / WorkPlanAdopted → one AssignActionItem per task, each once.

    The request that records a decision opens its items at once; this makes sure they
    open even if that request stopped half-way."""

    name = "action_items_from_decisions"
    tables: tuple[str, ...] = ()

    def __init__(self, store: EventStore, pool: asyncpg.Pool, topic: str) -> None:
        self.store = store
        self.pool = pool
        self.topics = (topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Open the tasks' action items; ignore other events."""
        recorded: DecisionRecorded | WorkPlanAdopted
        if event.event_type == DecisionRecorded.event_type():
            recorded = DecisionRecorded.model_validate(event.data, context=RECORDED)
        elif event.event_type == WorkPlanAdopted.event_type():
            recorded = WorkPlanAdopted.model_validate(event.data, context=RECORDED)
        else:
            return
        ctx = _system_context(event)
        opening = assignments(MEETING.entity_id(event.subject), recorded)
        await open_action_items(COMMANDS, self.store, self.pool, ctx, opening)
