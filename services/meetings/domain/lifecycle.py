"""Where a meeting, its minutes and an action item stand (rules.md §4.3), and the
refusals of a step their status does not allow, naming the commands it allows (each
capability says in which statuses its commands are next steps, `ALLOWED_IN`; each
aggregate gathers them: `meeting.MEETING_STEPS`, `action_item.ACTION_STEPS`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TypeVar

from shared.domain import Command
from shared.errors import InvalidTransition

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting


S = TypeVar("S")


class MeetingStatus(StrEnum):
    """Where a meeting stands: proposed by the office, approved or declined by the
    convener (special meetings only), scheduled, held, or cancelled."""

    NEW = "new"
    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


NOT_YET_HELD = frozenset(
    {MeetingStatus.PROPOSED, MeetingStatus.APPROVED, MeetingStatus.SCHEDULED}
)
"""Statuses of a meeting still to come: it may gain agenda items and a delegated chair."""


class MinutesStatus(StrEnum):
    """Minutes are drafted, circulated to the units, amended, and approved."""

    NONE = "none"
    DRAFTED = "drafted"
    CIRCULATED = "circulated"
    AMENDED = "amended"
    APPROVED = "approved"


class ActionStatus(StrEnum):
    """Where an action item stands: open until the unit first reports, in progress,
    awaiting the office's acceptance once the unit reports it done, completed."""

    NEW = "new"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    COMPLETED = "completed"


class TopicStatus(StrEnum):
    """Where a topic stands: proposed by a unit, then accepted onto a meeting's agenda
    or declined by the office, or withdrawn by its unit before that."""

    NEW = "new"
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


RUNNING = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})
"""Statuses in which the unit still owes work and reports, so misses count."""


def steps_by_status(
    statuses: Iterable[S], allowed_in: Sequence[Mapping[type[Command], Collection[S]]]
) -> dict[S, tuple[type[Command], ...]]:
    """The commands each status allows, from the statuses each capability says its
    commands are allowed in: in the capabilities' order, then each one's own."""
    return {
        status: tuple(
            command
            for capability in allowed_in
            for command, allowed in capability.items()
            if status in allowed
        )
        for status in statuses
    }


class Steps(Protocol):
    """A meeting or an action item as a refusal sees it: where it stands, and the
    commands that status allows (its aggregate's module lists them; `allowed_next`
    may offer fewer, those no other rule refuses)."""

    @property
    def status(self) -> MeetingStatus | ActionStatus: ...

    def status_steps(self) -> tuple[type[Command], ...]: ...


def refused(state: Steps, what: str) -> InvalidTransition:
    """The refusal of a step the status does not allow, naming the commands that
    status allows (the command table names them by their verbs)."""
    noun = "action item" if isinstance(state.status, ActionStatus) else "meeting"
    return InvalidTransition(
        current=state.status,
        allowed=state.status_steps(),
        detail=f"The {noun} is {state.status} and cannot be {what}.",
    )


def require_status(
    state: Steps, allowed: Collection[MeetingStatus | ActionStatus], what: str
) -> None:
    """Refuses the step unless the meeting or item is in one of the allowed statuses."""
    if state.status not in allowed:
        raise refused(state, what)


def require_minutes(
    meeting: Meeting, allowed: Collection[MinutesStatus], what: str
) -> None:
    """Refuses a minutes step unless the meeting was held and its minutes are in one
    of the allowed statuses."""
    require_status(meeting, {MeetingStatus.HELD}, what)
    status = meeting.minutes.status
    if status not in allowed:
        raise InvalidTransition(
            current=f"minutes {status}",
            allowed=meeting.minutes_steps(),
            detail=f"The minutes are {status} and cannot be {what}.",
        )
