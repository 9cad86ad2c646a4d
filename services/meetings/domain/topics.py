"""Topics (议题): any member unit proposes a topic for a meeting or a measure for the
joint meeting to take up; the office accepts it onto a meeting's agenda or declines it
with a reason, and the proposing unit may withdraw it before then (notice §4(1),
§5(1),(3))."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, ClassVar, Final

from pydantic import StringConstraints

from services.meetings.domain.lifecycle import NOT_YET_HELD, MeetingStatus, TopicStatus
from services.meetings.domain.proposal import MeetingKind
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput, InvalidTransition, NotPermitted, RuleViolated
from shared.values import Note, Text

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting
    from services.meetings.domain.topic import Topic, TopicEvent

MEETING_ID_PATTERN: Final = r"^\d{4}-\d{3}$"
MeetingRef = Annotated[str, StringConstraints(pattern=MEETING_ID_PATTERN)]
"""A meeting's id (`2024-003`), as a topic names the meeting it is for."""

_BY_UNITS = frozenset({Role.OFFICE, Role.UNIT_STAFF})
_OFFICE = frozenset({Role.OFFICE})


class TopicKind(StrEnum):
    """A topic for a meeting to discuss, or a measure (措施) for the joint meeting to
    take (notice §5(3))."""

    MEETING_TOPIC = "meeting_topic"
    MEASURE = "measure"


class ProposeTopic(Command):
    """A member unit proposes a topic; the proposing unit is the proposer's own."""

    permitted: ClassVar[frozenset[Role]] = _BY_UNITS

    title: Text
    description: Text
    kind: TopicKind
    wanted_meeting_kind: MeetingKind | None = None
    target_meeting_id: MeetingRef | None = None
    proposed_on: BusinessDate


class AcceptTopic(Command):
    """The office puts the topic on a meeting's agenda."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE

    meeting_id: MeetingRef
    accepted_on: BusinessDate
    note: Note = ""


class DeclineTopic(Command):
    """The office declines the topic, saying why."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE

    declined_on: BusinessDate
    reason: Text


class WithdrawTopic(Command):
    """The proposing unit takes its topic back before the office reviews it."""

    permitted: ClassVar[frozenset[Role]] = _BY_UNITS

    withdrawn_on: BusinessDate
    reason: Note = ""


ALLOWED_IN: Final[dict[type[Command], frozenset[TopicStatus]]] = {
    ProposeTopic: frozenset({TopicStatus.NEW}),
    AcceptTopic: frozenset({TopicStatus.PROPOSED}),
    DeclineTopic: frozenset({TopicStatus.PROPOSED}),
    WithdrawTopic: frozenset({TopicStatus.PROPOSED}),
}
"""The statuses in which each command of this capability is a next step."""


class TopicProposed(Event):
    """A unit proposed a topic or measure, perhaps for a kind of meeting or for one."""

    proposed_by: str
    title: str
    description: str
    kind: TopicKind
    wanted_meeting_kind: MeetingKind | None
    target_meeting_id: str | None
    proposed_on: date


class TopicAccepted(Event):
    """The office put the topic on the meeting's agenda under `item_id`."""

    meeting_id: str
    item_id: str
    accepted_on: date
    note: str


class TopicDeclined(Event):
    """The office declined the topic, with the reason."""

    declined_on: date
    reason: str


class TopicWithdrawn(Event):
    """The proposing unit withdrew the topic before it was reviewed."""

    withdrawn_on: date
    reason: str


TopicsEvent = TopicProposed | TopicAccepted | TopicDeclined | TopicWithdrawn


def agenda_item_id(topic_id: str) -> str:
    """The id of the agenda item a topic becomes: one per topic in any meeting."""
    return f"topic-{topic_id}"


def evolve_topics(topic: Topic, event: TopicsEvent) -> Topic:
    """The topic after one more event."""
    if isinstance(event, TopicProposed):
        return topic.model_copy(update={"status": TopicStatus.PROPOSED, **dict(event)})
    if isinstance(event, TopicAccepted):
        update = {
            "status": TopicStatus.ACCEPTED,
            "meeting_id": event.meeting_id,
            "decided_on": event.accepted_on,
            "note": event.note,
        }
        return topic.model_copy(update=update)
    if isinstance(event, TopicDeclined):
        update = {
            "status": TopicStatus.DECLINED,
            "decided_on": event.declined_on,
            "note": event.reason,
        }
        return topic.model_copy(update=update)
    update = {
        "status": TopicStatus.WITHDRAWN,
        "decided_on": event.withdrawn_on,
        "note": event.reason,
    }
    return topic.model_copy(update=update)


def _require_status(topic: Topic, command: Command, what: str) -> None:
    if topic.status not in ALLOWED_IN[type(command)]:
        raise InvalidTransition(
            current=topic.status,
            allowed=topic.allowed_steps(),
            detail=f"The topic is {topic.status} and cannot be {what}.",
        )


def propose_topic(
    topic: Topic,
    command: ProposeTopic,
    *,
    today: date,
    unit: str,
    units: frozenset[str],
    target_meeting: Meeting | None,
) -> list[TopicEvent]:
    """Any active member unit proposes a topic in its own name; a wanted meeting is a
    plenary or a special meeting (an inspection is the office's to plan), and a
    meeting it names exists (`target_meeting`: that meeting, None when none named)."""
    _require_status(topic, command, "proposed")
    require_date(command.proposed_on, field="proposed_on", today=today)
    if unit not in units:
        raise NotPermitted(
            f"Only an active member unit may propose a topic; {unit} is not one."
        )
    if command.wanted_meeting_kind is MeetingKind.INSPECTION:
        raise InvalidInput(
            field="wanted_meeting_kind",
            rule="plenary_or_special",
            detail="A topic is for a plenary or a special meeting.",
        )
    if target_meeting is not None and target_meeting.status is MeetingStatus.NEW:
        raise InvalidInput(
            field="target_meeting_id",
            rule="meeting_exists",
            detail=f"Meeting {command.target_meeting_id} does not exist.",
        )
    return [
        TopicProposed(
            proposed_by=unit,
            title=command.title,
            description=command.description,
            kind=command.kind,
            wanted_meeting_kind=command.wanted_meeting_kind,
            target_meeting_id=command.target_meeting_id,
            proposed_on=command.proposed_on,
        )
    ]


def accept_topic(
    topic: Topic,
    command: AcceptTopic,
    *,
    today: date,
    agenda_meeting: Meeting,
    topic_id: str,
) -> list[TopicEvent]:
    """The office puts a proposed topic on the agenda of a meeting not yet held,
    declined or cancelled (the meeting gains the agenda item at once)."""
    _require_status(topic, command, "accepted")
    require_date(
        command.accepted_on,
        field="accepted_on",
        today=today,
        not_before=topic.proposed_on,
        since="proposal",
    )
    if agenda_meeting.status is MeetingStatus.NEW:
        raise InvalidInput(
            field="meeting_id",
            rule="meeting_exists",
            detail=f"Meeting {command.meeting_id} does not exist.",
        )
    if agenda_meeting.status not in NOT_YET_HELD:
        raise RuleViolated(
            "meeting-not-open",
            f"Meeting {command.meeting_id} is {agenda_meeting.status}: its agenda is"
            " closed.",
        )
    return [
        TopicAccepted(
            meeting_id=command.meeting_id,
            item_id=agenda_item_id(topic_id),
            accepted_on=command.accepted_on,
            note=command.note,
        )
    ]


def decline_topic(
    topic: Topic, command: DeclineTopic, *, today: date
) -> list[TopicEvent]:
    """The office declines a proposed topic, with its reason."""
    _require_status(topic, command, "declined")
    require_date(
        command.declined_on,
        field="declined_on",
        today=today,
        not_before=topic.proposed_on,
        since="proposal",
    )
    return [TopicDeclined(declined_on=command.declined_on, reason=command.reason)]


def withdraw_topic(
    topic: Topic, command: WithdrawTopic, *, today: date, unit: str
) -> list[TopicEvent]:
    """Only the proposing unit withdraws its topic, and only before it is reviewed."""
    _require_status(topic, command, "withdrawn")
    if unit != topic.proposed_by:
        raise NotPermitted(
            f"Only {topic.proposed_by}, which proposed the topic, may withdraw it;"
            f" {unit} did not."
        )
    require_date(
        command.withdrawn_on,
        field="withdrawn_on",
        today=today,
        not_before=topic.proposed_on,
        since="proposal",
    )
    return [TopicWithdrawn(withdrawn_on=command.withdrawn_on, reason=command.reason)]
