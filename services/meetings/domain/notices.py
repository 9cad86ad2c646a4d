"""Notices and materials: the office tells the invited units which materials to
prepare by when, and each unit hands in its own (rules.md §4.3)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar, Final

from pydantic import BaseModel, Field

from services.meetings.domain.invitations import require_invited_unit
from services.meetings.domain.lifecycle import MeetingStatus, require_status
from services.meetings.domain.proposal import ItemId
from shared.dates import BusinessDate, require_date, require_not_before
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput, NotPermitted
from shared.values import Note, Text, UnitCode

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent


class MaterialRequest(BaseModel, frozen=True, extra="forbid"):
    """One material a notice asks one unit to prepare, and when it is due."""

    material_id: ItemId
    unit_code: UnitCode
    title: Text
    due: BusinessDate


class SendNotice(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    sent_on: BusinessDate
    text: Text
    requests: tuple[MaterialRequest, ...] = Field(default=(), max_length=500)


class SubmitMaterial(Command):
    """A unit hands in a material the notice asked of it (of its own unit only)."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE, Role.UNIT_STAFF})

    notice_id: ItemId
    material_id: ItemId
    document_ref: Text
    note: Note = ""
    submitted_on: BusinessDate


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    SendNotice: frozenset({MeetingStatus.SCHEDULED}),
    SubmitMaterial: frozenset({MeetingStatus.SCHEDULED, MeetingStatus.HELD}),
}
"""The statuses in which each command of this capability is a next step."""


class NoticeSent(Event):
    """会议通知: a notice to the units naming, per unit, the materials to prepare."""

    notice_id: str
    sent_on: date
    text: str
    requests: tuple[MaterialRequest, ...]


class MaterialSubmitted(Event):
    """A unit submitted a requested material: a document reference and a note."""

    notice_id: str
    material_id: str
    unit_code: str
    document_ref: str
    note: str
    submitted_on: date


NoticeEvent = NoticeSent | MaterialSubmitted


class Notice(BaseModel, frozen=True, extra="forbid"):
    """会议通知: a notice sent to the units, with the materials it asks of each."""

    notice_id: str
    sent_on: date
    text: str
    requests: tuple[MaterialRequest, ...] = ()


class Submission(BaseModel, frozen=True, extra="forbid"):
    """A material a unit handed in for a notice; the latest one counts."""

    notice_id: str
    material_id: str
    unit_code: str
    document_ref: str
    note: str
    submitted_on: date


def evolve_notices(meeting: Meeting, event: NoticeEvent) -> Meeting:
    """A notice added; a material submitted, or submitted again in its place."""
    if isinstance(event, NoticeSent):
        notices = (*meeting.notices, Notice(**dict(event)))
        return meeting.model_copy(update={"notices": notices})
    submission = Submission(**dict(event))

    def key(s: Submission) -> tuple[str, str]:
        return (s.notice_id, s.material_id)

    earlier = meeting.submissions
    if any(key(s) == key(submission) for s in earlier):
        submissions = tuple(
            submission if key(s) == key(submission) else s for s in earlier
        )
    else:
        submissions = (*earlier, submission)
    return meeting.model_copy(update={"submissions": submissions})


def send_notice(
    meeting: Meeting, command: SendNotice, *, today: date
) -> list[MeetingEvent]:
    """会议通知: once scheduled, the office notifies the units, asking each invited
    unit for materials due no earlier than the notice; a material id is used once in
    a meeting."""
    require_status(meeting, ALLOWED_IN[SendNotice], "notified")
    require_date(
        command.sent_on,
        field="sent_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    _require_requests(meeting, command.requests, sent_on=command.sent_on)
    return [
        NoticeSent(
            notice_id=f"n{len(meeting.notices) + 1}",
            sent_on=command.sent_on,
            text=command.text,
            requests=command.requests,
        )
    ]


def submit_material(
    meeting: Meeting, command: SubmitMaterial, *, today: date, unit: str
) -> list[MeetingEvent]:
    """A unit hands in a material a notice asked of it, before or after the meeting;
    handing it in again replaces the earlier one."""
    require_status(meeting, ALLOWED_IN[SubmitMaterial], "given materials")
    request = meeting.request(command.notice_id, command.material_id)
    notice = meeting.notice(command.notice_id)
    if request is None or notice is None:
        raise InvalidInput(
            field="material_id",
            rule="requested_material",
            detail=f"Notice {command.notice_id} asked for no material "
            f"{command.material_id}.",
        )
    if request.unit_code != unit:
        raise NotPermitted(
            f"Material {request.material_id} was asked of {request.unit_code}, "
            f"not {unit}."
        )
    require_date(
        command.submitted_on,
        field="submitted_on",
        today=today,
        not_before=notice.sent_on,
        since="notice",
    )
    return [
        MaterialSubmitted(
            notice_id=command.notice_id,
            material_id=command.material_id,
            unit_code=request.unit_code,
            document_ref=command.document_ref,
            note=command.note,
            submitted_on=command.submitted_on,
        )
    ]


def _require_requests(
    meeting: Meeting, requests: tuple[MaterialRequest, ...], *, sent_on: date
) -> None:
    used = {r.material_id for n in meeting.notices for r in n.requests}
    for index, request in enumerate(requests):
        field = f"requests.{index}"
        require_invited_unit(meeting, request.unit_code, field=f"{field}.unit_code")
        require_not_before(
            request.due, field=f"{field}.due", not_before=sent_on, since="notice"
        )
        if request.material_id in used:
            raise InvalidInput(
                field=f"{field}.material_id",
                rule="unique_material_id",
                detail=f"Material id {request.material_id} is already used in "
                "this meeting.",
            )
        used.add(request.material_id)
