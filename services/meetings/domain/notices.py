"""Notices and materials: the office tells the invited units which materials to
prepare by when, and each unit hands in its own (rules.md §4.3)."""

from __future__ import annotations

from datetime import date

from services.meetings.domain.commands import SendNotice, SubmitMaterial
from services.meetings.domain.events import MaterialSubmitted, MeetingEvent, NoticeSent
from services.meetings.domain.facts import MaterialRequest
from services.meetings.domain.meeting import Meeting, MeetingStatus
from services.meetings.domain.transitions import (
    require_date,
    require_not_before,
    require_status,
)
from services.meetings.domain.units import require_invited_unit
from shared.errors import InvalidInput, NotPermitted


def send_notice(
    meeting: Meeting, command: SendNotice, *, today: date
) -> list[MeetingEvent]:
    """会议通知: once scheduled, the office notifies the units, asking each invited
    unit for materials due no earlier than the notice; a material id is used once in
    a meeting."""
    require_status(meeting, {MeetingStatus.SCHEDULED}, "notified")
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
    require_status(
        meeting, {MeetingStatus.SCHEDULED, MeetingStatus.HELD}, "given materials"
    )
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
