"""Before a meeting: the office proposes it, the convener approves or declines a
special meeting, it is scheduled with its chair or cancelled (rules.md §4.3)."""

from __future__ import annotations

from datetime import date

from services.meetings.domain.commands import (
    ApproveMeeting,
    CancelMeeting,
    DeclineMeeting,
    ProposeMeeting,
    ScheduleMeeting,
)
from services.meetings.domain.events import (
    MeetingApproved,
    MeetingCancelled,
    MeetingDeclined,
    MeetingEvent,
    MeetingProposed,
    MeetingScheduled,
)
from services.meetings.domain.facts import AgendaItem, MeetingKind
from services.meetings.domain.meeting import Meeting, MeetingStatus
from services.meetings.domain.powers import Powers, require_power
from services.meetings.domain.transitions import (
    require_date,
    require_not_before,
    require_status,
)
from services.meetings.domain.units import duplicate, require_active_unit
from shared.errors import InvalidInput, RuleViolated

_CONVENER = "convener"
_DEPUTY_CONVENER = "deputy_convener"
_SCHEDULABLE = frozenset(
    {MeetingStatus.PROPOSED, MeetingStatus.APPROVED, MeetingStatus.SCHEDULED}
)


def propose_meeting(
    meeting: Meeting,
    command: ProposeMeeting,
    *,
    today: date,
    units: frozenset[str],
    meeting_id: str,
) -> list[MeetingEvent]:
    """The office proposes a meeting: a plenary invites every active unit, a special
    meeting or inspection the units it names; only an inspection has a plan."""
    require_status(meeting, {MeetingStatus.NEW}, "proposed")
    require_date(command.proposed_on, field="proposed_on", today=today)
    invited = _invited_units(command, units=units, meeting_id=meeting_id)
    _require_plan_for_inspections(command)
    if command.proposed_for is not None:
        require_not_before(
            command.proposed_for,
            field="proposed_for",
            not_before=command.proposed_on,
            since="proposal",
        )
    agenda = tuple(
        AgendaItem(item_id=str(number), **dict(spec))
        for number, spec in enumerate(command.agenda, start=1)
    )
    return [
        MeetingProposed(
            kind=command.kind,
            title=command.title,
            agenda=agenda,
            invited_units=invited,
            plan=command.plan,
            proposed_on=command.proposed_on,
            proposed_for=command.proposed_for,
        )
    ]


def approve_meeting(
    meeting: Meeting, command: ApproveMeeting, *, today: date, powers: Powers
) -> list[MeetingEvent]:
    """The convener (on the roster today) approves a proposed special meeting
    (rules.md §4.3)."""
    require_power(powers, command, what="approve a special meeting")
    _require_convener_decides(meeting, "approved")
    require_date(
        command.approved_on,
        field="approved_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    return [MeetingApproved(approved_on=command.approved_on, note=command.note)]


def decline_meeting(
    meeting: Meeting, command: DeclineMeeting, *, today: date, powers: Powers
) -> list[MeetingEvent]:
    """The convener (on the roster today) declines a proposed special meeting, with
    the reason."""
    require_power(powers, command, what="decline a special meeting")
    _require_convener_decides(meeting, "declined")
    require_date(
        command.declined_on,
        field="declined_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    return [MeetingDeclined(declined_on=command.declined_on, reason=command.reason)]


def schedule_meeting(
    meeting: Meeting,
    command: ScheduleMeeting,
    *,
    today: date,
    chair_roles: frozenset[str],
    powers: Powers,
) -> list[MeetingEvent]:
    """Set or move the date, place and chair (the office, or the convener or a deputy
    on the roster today). A plenary or special meeting is chaired by the convener or a
    deputy convener he delegates, holding that role on the day; a special meeting is
    scheduled only once approved (rules.md §4.3)."""
    require_power(powers, command, what="schedule a meeting")
    require_status(meeting, _SCHEDULABLE, "scheduled")
    if meeting.status is MeetingStatus.PROPOSED and meeting.kind is MeetingKind.SPECIAL:
        raise RuleViolated(
            "convener_approval_required",
            "A special meeting is scheduled only after the convener approves it.",
        )
    require_not_before(
        command.scheduled_on,
        field="scheduled_on",
        not_before=meeting.proposed_on,
        since="proposal",
    )
    return [
        MeetingScheduled(
            scheduled_on=command.scheduled_on,
            place=command.place,
            chair_person_id=command.chair_person_id,
            chair_role=_chair_role(meeting, command, chair_roles=chair_roles),
        )
    ]


def cancel_meeting(
    meeting: Meeting, command: CancelMeeting, *, today: date, powers: Powers
) -> list[MeetingEvent]:
    """A meeting not yet held can be called off, with the reason, by the office or the
    convener on the roster today."""
    require_power(powers, command, what="cancel a meeting")
    require_status(meeting, _SCHEDULABLE, "cancelled")
    require_date(
        command.cancelled_on,
        field="cancelled_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    return [MeetingCancelled(cancelled_on=command.cancelled_on, reason=command.reason)]


def _invited_units(
    command: ProposeMeeting, *, units: frozenset[str], meeting_id: str
) -> tuple[str, ...]:
    # A plenary invites every member unit (rules.md §4.3).
    if command.kind is MeetingKind.PLENARY:
        if command.invited_units:
            raise InvalidInput(
                field="invited_units",
                rule="plenary_invites_every_unit",
                detail="A plenary invites every active unit; leave invited_units empty.",
            )
        if not units:
            raise RuleViolated(
                "no_active_units",
                f"Meeting {meeting_id} has no active member unit to invite.",
            )
        return tuple(sorted(units))
    if not command.invited_units:
        raise InvalidInput(
            field="invited_units",
            rule="units_required",
            detail=f"A {command.kind} meeting names the units it invites.",
        )
    for index, code in enumerate(command.invited_units):
        field = f"invited_units.{index}"
        require_active_unit(code, units=units, field=field)
        if code in command.invited_units[:index]:
            raise duplicate(field, f"{code} is invited twice.")
    return command.invited_units


def _require_plan_for_inspections(command: ProposeMeeting) -> None:
    # 督查方案: the office writes a plan for a joint inspection (rules.md §4.3).
    is_inspection = command.kind is MeetingKind.INSPECTION
    if is_inspection and command.plan is None:
        raise InvalidInput(
            field="plan",
            rule="inspection_plan_required",
            detail="A joint inspection is proposed with its inspection plan.",
        )
    if not is_inspection and command.plan is not None:
        raise InvalidInput(
            field="plan",
            rule="plan_only_for_inspections",
            detail=f"A {command.kind} meeting has no inspection plan.",
        )


def _require_convener_decides(meeting: Meeting, what: str) -> None:
    require_status(meeting, {MeetingStatus.PROPOSED}, what)
    if meeting.kind is not MeetingKind.SPECIAL:
        raise RuleViolated(
            "approval_only_for_special_meetings",
            f"A {meeting.kind} meeting is not {what} by the convener; "
            "only a special meeting is.",
        )


def _chair_role(
    meeting: Meeting, command: ScheduleMeeting, *, chair_roles: frozenset[str]
) -> str | None:
    # The convener chairs as convener even if also named a deputy.
    held = next((r for r in (_CONVENER, _DEPUTY_CONVENER) if r in chair_roles), None)
    if meeting.kind is MeetingKind.INSPECTION:
        return held
    if command.chair_person_id is None:
        raise InvalidInput(
            field="chair_person_id",
            rule="chair_required",
            detail=f"A {meeting.kind} meeting is scheduled with its chair.",
        )
    if held is None:
        raise InvalidInput(
            field="chair_person_id",
            rule="chair_is_convener_or_deputy",
            detail=f"{command.chair_person_id} is neither the convener nor a deputy "
            f"convener on {command.scheduled_on}.",
        )
    return held
