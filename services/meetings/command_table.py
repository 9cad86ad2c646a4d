"""The meetings service's commands, one row each: the aggregate, the decide function,
the facts it needs, its route and how a new meeting is numbered. Routes, watchers and
the process manager all run commands through `run(COMMANDS, …)`."""

from __future__ import annotations

from typing import Any, Final

from services.meetings.assignments import (
    assignments,
    open_action_items,
    recorded_by,
)
from services.meetings.domain import (
    agenda,
    approval,
    cancellation,
    carrying_out,
    deciding,
    delegation,
    holding,
    inspection,
    minutes,
    notices,
    overdue,
    proposal,
    scheduling,
    topics,
)
from services.meetings.domain.action_item import ACTION, ACTION_STEPS
from services.meetings.domain.meeting import MEETING, MEETING_STEPS, Meeting
from services.meetings.domain.minutes import MINUTES_STEPS
from services.meetings.domain.topic import TOPIC, TOPIC_STEPS
from services.meetings.outside_facts import (
    chair_roles,
    deputy_roles,
    powers_on_approval,
    powers_on_delegation,
    powers_on_revocation,
    powers_today,
    work_plan_years,
)
from services.meetings.resources import (
    ACTION_ITEMS,
    MEETING_NUMBERS,
    MEETINGS,
    TOPIC_NUMBERS,
    TOPICS,
)
from services.meetings.topic_agenda import place_on_agenda
from shared.command_table import (
    CommandTable,
    Numbered,
    Row,
    Scope,
    actor_unit,
    entity_id,
    fact,
    state_of,
    today,
)
from shared.command_table import active_unit_codes as units
from shared.handling import load
from shared.store import Appended

_NO_MEETING = "meeting {id} does not exist"
_NO_ACTION = "action item {id} does not exist"
_NO_TOPIC = "topic {id} does not exist"


async def _open_its_action_items(scope: Scope[Any, Any], appended: Appended) -> None:
    # A decision or work plan opens its action items at once (the process manager
    # opens them too, should this request stop half-way).
    recorded = await recorded_by(scope.store, appended)
    if recorded is not None:
        opening = assignments(scope.entity_id, recorded)
        await open_action_items(COMMANDS, scope.store, scope.pool, scope.ctx, opening)


async def _put_it_on_the_agenda(scope: Scope[Any, Any], appended: Appended) -> None:
    # An accepted topic joins its meeting's agenda at once (the process manager adds
    # it too, should this request stop half-way).
    await place_on_agenda(COMMANDS, scope.store, scope.pool, scope.ctx, scope.entity_id)


def _meeting_of(command: topics.AcceptTopic) -> str:
    return command.meeting_id


_MEETING_ACCEPTING: Final = state_of("agenda_meeting", MEETING, _meeting_of)


async def _target_meeting(scope: Scope[topics.ProposeTopic, Any]) -> Meeting | None:
    # The meeting a topic names, so that proposing checks it exists; none when the
    # topic names none.
    target = scope.command.target_meeting_id
    if target is None:
        return None
    meeting, _ = await load(scope.store, MEETING, target)
    return meeting


_TARGET_MEETING: Final = fact("target_meeting", _target_meeting)


COMMANDS: CommandTable[None] = CommandTable(
    (
        Row(
            proposal.ProposeMeeting,
            MEETING,
            proposal.propose_meeting,
            "The office proposes a plenary (every active unit invited), a special"
            " meeting (the convener must approve it) or a joint inspection (with its"
            " plan).",
            facts=(today(), units()),
            route=MEETINGS.create("propose"),
            ids=Numbered(
                MEETING_NUMBERS, lambda c: c.proposed_on.year, id_fact="meeting_id"
            ),
        ),
        Row(
            approval.ApproveMeeting,
            MEETING,
            approval.approve_meeting,
            "The convener (on the members roster today) approves a special meeting;"
            " 403 for anyone else, whatever the token claims.",
            facts=(today(), powers_today()),
            route=MEETINGS.step("approve"),
            not_found=_NO_MEETING,
        ),
        Row(
            approval.DeclineMeeting,
            MEETING,
            approval.decline_meeting,
            "The convener (on the members roster today) declines a special meeting.",
            facts=(today(), powers_today()),
            route=MEETINGS.step("decline"),
            not_found=_NO_MEETING,
        ),
        Row(
            scheduling.ScheduleMeeting,
            MEETING,
            scheduling.schedule_meeting,
            "Set or move date, place and chair; a plenary or special meeting is chaired"
            " by the convener or a deputy convener on that date (from members' roles).",
            facts=(today(), chair_roles(), powers_today()),
            route=MEETINGS.step("schedule"),
            not_found=_NO_MEETING,
        ),
        Row(
            cancellation.CancelMeeting,
            MEETING,
            cancellation.cancel_meeting,
            "Cancel a meeting not yet held.",
            facts=(today(), powers_today()),
            route=MEETINGS.step("cancel"),
            not_found=_NO_MEETING,
        ),
        Row(
            delegation.DelegateChair,
            MEETING,
            delegation.delegate_chair,
            "The convener (on the members roster on `delegated_on`) delegates a"
            " plenary's chair to a deputy convener on the meeting's date; 403 for"
            " anyone else.",
            facts=(today(), powers_on_delegation(), deputy_roles()),
            route=MEETINGS.step("delegate-chair"),
            not_found=_NO_MEETING,
        ),
        Row(
            delegation.RevokeChairDelegation,
            MEETING,
            delegation.revoke_chair_delegation,
            "The convener (on the members roster on `revoked_on`) takes back the"
            " chair he delegated, saying why; 403 for anyone else.",
            facts=(today(), powers_on_revocation()),
            route=MEETINGS.step("revoke-chair-delegation"),
            not_found=_NO_MEETING,
        ),
        Row(
            agenda.PlaceTopicOnAgenda,
            MEETING,
            agenda.place_topic_on_agenda,
            "The service adds a topic the office accepted to the meeting's agenda.",
            not_found=_NO_MEETING,
        ),
        Row(
            notices.SendNotice,
            MEETING,
            notices.send_notice,
            "Send a notice naming, per unit, the materials to prepare and when they are"
            " due.",
            facts=(today(),),
            route=MEETINGS.step("send-notice"),
            not_found=_NO_MEETING,
        ),
        Row(
            notices.SubmitMaterial,
            MEETING,
            notices.submit_material,
            "A unit submits a material asked of it: a document reference and a note.",
            facts=(today(), actor_unit()),
            route=MEETINGS.step("submit-material"),
            not_found=_NO_MEETING,
        ),
        Row(
            holding.HoldMeeting,
            MEETING,
            holding.hold_meeting,
            "Record that the meeting took place.",
            facts=(today(),),
            route=MEETINGS.step("hold"),
            not_found=_NO_MEETING,
        ),
        Row(
            holding.RecordAttendance,
            MEETING,
            holding.record_attendance,
            "Record per unit and person: present, absent, excused or represented by"
            " someone.",
            route=MEETINGS.step("record-attendance"),
            not_found=_NO_MEETING,
        ),
        Row(
            minutes.DraftMinutes,
            MEETING,
            minutes.draft_minutes,
            "Draft the minutes under agenda items.",
            facts=(today(),),
            route=MEETINGS.step("draft-minutes"),
            not_found=_NO_MEETING,
        ),
        Row(
            minutes.CirculateMinutes,
            MEETING,
            minutes.circulate_minutes,
            "Circulate the draft minutes.",
            facts=(today(),),
            route=MEETINGS.step("circulate-minutes"),
            not_found=_NO_MEETING,
        ),
        Row(
            minutes.AmendMinutes,
            MEETING,
            minutes.amend_minutes,
            "Amend the minutes, saying why.",
            facts=(today(),),
            route=MEETINGS.step("amend-minutes"),
            not_found=_NO_MEETING,
        ),
        Row(
            minutes.ApproveMinutes,
            MEETING,
            minutes.approve_minutes,
            "The convener or a deputy convener (on the members roster on"
            " `approved_on`) approves the minutes; 403 for anyone else.",
            facts=(today(), powers_on_approval()),
            route=MEETINGS.step("approve-minutes"),
            not_found=_NO_MEETING,
        ),
        Row(
            deciding.RecordDecision,
            MEETING,
            deciding.record_decision,
            "Record a decision; each responsible unit gets an action item.",
            facts=(today(), units(), entity_id("meeting_id")),
            then=_open_its_action_items,
            route=MEETINGS.step("record-decision"),
            not_found=_NO_MEETING,
        ),
        Row(
            deciding.AdoptWorkPlan,
            MEETING,
            deciding.adopt_work_plan,
            "A plenary adopts the year's work plan; each task becomes an action item.",
            facts=(today(), units(), entity_id("meeting_id"), work_plan_years()),
            then=_open_its_action_items,
            route=MEETINGS.step("adopt-work-plan"),
            not_found=_NO_MEETING,
        ),
        Row(
            inspection.RaiseFinding,
            MEETING,
            inspection.raise_finding,
            "Record an inspection finding; one about wage arrears becomes a case in"
            " cases.",
            facts=(today(), units()),
            route=MEETINGS.step("raise-finding"),
            not_found=_NO_MEETING,
        ),
        Row(
            topics.ProposeTopic,
            TOPIC,
            topics.propose_topic,
            "A member unit proposes a topic for a meeting, or a measure, in its own"
            " name (the proposer's unit).",
            facts=(today(), actor_unit(), units(), _TARGET_MEETING),
            route=TOPICS.create("propose"),
            ids=Numbered(TOPIC_NUMBERS, lambda c: c.proposed_on.year),
        ),
        Row(
            topics.AcceptTopic,
            TOPIC,
            topics.accept_topic,
            "The office accepts the topic onto the agenda of a meeting not yet held;"
            " the meeting's agenda gains the item.",
            facts=(today(), _MEETING_ACCEPTING, entity_id("topic_id")),
            then=_put_it_on_the_agenda,
            route=TOPICS.step("accept"),
            not_found=_NO_TOPIC,
        ),
        Row(
            topics.DeclineTopic,
            TOPIC,
            topics.decline_topic,
            "The office declines the topic, saying why.",
            facts=(today(),),
            route=TOPICS.step("decline"),
            not_found=_NO_TOPIC,
        ),
        Row(
            topics.WithdrawTopic,
            TOPIC,
            topics.withdraw_topic,
            "The proposing unit withdraws its topic before the office reviews it.",
            facts=(today(), actor_unit()),
            route=TOPICS.step("withdraw"),
            not_found=_NO_TOPIC,
        ),
        Row(
            carrying_out.AssignActionItem,
            ACTION,
            carrying_out.assign_action_item,
            "The service opens an action item for a task of a decision or work plan.",
        ),
        Row(
            carrying_out.ReportProgress,
            ACTION,
            carrying_out.report_progress,
            "The responsible unit reports progress; `is_complete` asks the office to"
            " accept it.",
            facts=(today(), actor_unit()),
            route=ACTION_ITEMS.step("report-progress"),
            not_found=_NO_ACTION,
        ),
        Row(
            carrying_out.AcceptActionItem,
            ACTION,
            carrying_out.accept_action_item,
            "The office accepts the item as done.",
            facts=(today(),),
            route=ACTION_ITEMS.step("accept"),
            not_found=_NO_ACTION,
        ),
        Row(
            carrying_out.SendBackActionItem,
            ACTION,
            carrying_out.send_back_action_item,
            "The office sends the item back with a reason.",
            facts=(today(),),
            route=ACTION_ITEMS.step("send-back"),
            not_found=_NO_ACTION,
        ),
        Row(
            overdue.MarkActionItemOverdue,
            ACTION,
            overdue.mark_action_item_overdue,
            "The watcher flags a due date or a reporting period that passed.",
            facts=(today(),),
            not_found=_NO_ACTION,
        ),
    ),
    transitions=(MEETING_STEPS, MINUTES_STEPS, ACTION_STEPS, TOPIC_STEPS),
)
