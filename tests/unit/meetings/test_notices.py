"""Notices and materials: a scheduled meeting's notice asks invited units for materials
due no earlier than the notice, each material id once per meeting; a unit hands in
only what was asked of it, and handing it in again replaces it."""

from __future__ import annotations

from datetime import date

import pytest

from services.meetings.domain.lifecycle import MeetingStatus
from services.meetings.domain.meeting import MeetingEvent
from services.meetings.domain.notices import (
    MaterialRequest,
    SendNotice,
    SubmitMaterial,
    send_notice,
    submit_material,
)
from services.meetings.domain.proposal import MeetingKind
from shared.errors import InvalidInput, InvalidTransition, NotPermitted
from tests.unit.meetings.factories import (
    MATERIAL_DUE,
    REQUESTS,
    SENT_ON,
    SUBMITTED_ON,
    TODAY,
    approved,
    held,
    material_submitted,
    meeting_cancelled,
    meeting_of,
    notice_sent,
    notified,
    proposed,
    scheduled,
)

NOTICE = SendNotice(sent_on=SENT_ON, text="请各单位按时报送材料", requests=REQUESTS)
SUBMIT = SubmitMaterial(
    notice_id="n1",
    material_id="report",
    document_ref="东建函〔2024〕5号",
    submitted_on=SUBMITTED_ON,
)


def request(**fields: object) -> MaterialRequest:
    return REQUESTS[0].model_copy(update=fields)


def notice_with(*requests: MaterialRequest) -> SendNotice:
    return NOTICE.model_copy(update={"requests": requests})


def test_a_scheduled_meeting_notifies_the_units_of_the_materials_they_prepare() -> None:
    events = send_notice(meeting_of(scheduled()), NOTICE, today=TODAY)

    assert events == [notice_sent()]
    meeting = meeting_of(scheduled(), events)
    assert meeting.request("n1", "statistics") == REQUESTS[1]
    assert meeting.missing_materials() == REQUESTS


def test_each_notice_is_numbered_in_turn() -> None:
    later = SendNotice(sent_on=date(2024, 3, 8), text="补充通知")

    events = send_notice(meeting_of(notified()), later, today=TODAY)

    assert events == [
        notice_sent(
            notice_id="n2", sent_on=date(2024, 3, 8), text="补充通知", requests=()
        )
    ]


def test_materials_are_asked_only_of_invited_units() -> None:
    meeting = meeting_of(scheduled(MeetingKind.INSPECTION))
    command = notice_with(REQUESTS[0], request(material_id="cases", unit_code="gafj"))

    with pytest.raises(InvalidInput) as refused:
        send_notice(meeting, command, today=TODAY)

    assert (refused.value.field, refused.value.rule) == (
        "requests.1.unit_code",
        "invited_unit",
    )


def test_a_material_is_not_due_before_the_notice() -> None:
    command = notice_with(request(due=date(2024, 3, 5)))

    with pytest.raises(InvalidInput) as refused:
        send_notice(meeting_of(scheduled()), command, today=TODAY)

    assert (refused.value.field, refused.value.rule) == (
        "requests.0.due",
        "not_before_notice",
    )


def test_a_material_may_be_due_the_day_of_the_notice() -> None:
    command = notice_with(request(due=SENT_ON))

    assert send_notice(meeting_of(scheduled()), command, today=TODAY) == [
        notice_sent(requests=(request(due=SENT_ON),))
    ]


def test_a_material_id_is_used_once_in_a_notice() -> None:
    command = notice_with(REQUESTS[0], request(unit_code="rsj"))

    with pytest.raises(InvalidInput) as refused:
        send_notice(meeting_of(scheduled()), command, today=TODAY)

    assert (refused.value.field, refused.value.rule) == (
        "requests.1.material_id",
        "unique_material_id",
    )


def test_a_material_id_is_used_once_in_a_meeting() -> None:
    command = notice_with(request(material_id="more"), request(material_id="report"))

    with pytest.raises(InvalidInput) as refused:
        send_notice(meeting_of(notified()), command, today=TODAY)

    assert (refused.value.field, refused.value.rule) == (
        "requests.1.material_id",
        "unique_material_id",
    )


@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 2, 29), "not_before_proposal"), (date(2024, 4, 2), "not_in_future")],
)
def test_a_notice_is_dated_from_the_proposal_to_today(day: date, rule: str) -> None:
    command = NOTICE.model_copy(update={"sent_on": day})

    with pytest.raises(InvalidInput) as refused:
        send_notice(meeting_of(scheduled()), command, today=TODAY)

    assert (refused.value.field, refused.value.rule) == ("sent_on", rule)


@pytest.mark.parametrize("history", [proposed(), approved(), held()])
def test_only_a_scheduled_meeting_sends_notices(history: list[MeetingEvent]) -> None:
    with pytest.raises(InvalidTransition) as refused:
        send_notice(meeting_of(history), NOTICE, today=TODAY)

    assert refused.value.current == meeting_of(history).status


@pytest.mark.parametrize("history", [notified(), held()])
def test_a_unit_hands_in_what_was_asked_of_it_before_or_after_the_meeting(
    history: list[MeetingEvent],
) -> None:
    events = submit_material(meeting_of(history), SUBMIT, today=TODAY, unit="jsj")

    assert events == [material_submitted()]
    assert meeting_of(history, events).missing_materials() == (REQUESTS[1],)


def test_a_material_handed_in_again_replaces_the_earlier_one() -> None:
    again = SUBMIT.model_copy(
        update={"document_ref": "东建函〔2024〕6号", "submitted_on": date(2024, 3, 14)}
    )
    history = [*notified(), material_submitted()]

    events = submit_material(meeting_of(history), again, today=TODAY, unit="jsj")

    assert events == [
        material_submitted(
            document_ref="东建函〔2024〕6号", submitted_on=date(2024, 3, 14)
        )
    ]
    submissions = meeting_of(history, events).submissions
    assert [(s.document_ref, s.submitted_on) for s in submissions] == [
        ("东建函〔2024〕6号", date(2024, 3, 14))
    ]


def test_a_replaced_material_keeps_its_place() -> None:
    first = material_submitted()
    other = material_submitted(material_id="statistics", unit_code="rsj")
    again = material_submitted(note="更正")

    meeting = meeting_of(notified(), [first, other, again])

    assert [s.material_id for s in meeting.submissions] == ["report", "statistics"]
    assert meeting.submissions[0].note == "更正"
    assert meeting.missing_materials() == ()


def test_only_the_unit_it_was_asked_of_hands_in_a_material() -> None:
    with pytest.raises(NotPermitted) as refused:
        submit_material(meeting_of(notified()), SUBMIT, today=TODAY, unit="rsj")

    assert "jsj" in refused.value.detail
    assert "rsj" in refused.value.detail


@pytest.mark.parametrize(("notice_id", "material_id"), [("n1", "x"), ("n2", "report")])
def test_only_a_requested_material_is_handed_in(
    notice_id: str, material_id: str
) -> None:
    command = SUBMIT.model_copy(
        update={"notice_id": notice_id, "material_id": material_id}
    )

    with pytest.raises(InvalidInput) as refused:
        submit_material(meeting_of(notified()), command, today=TODAY, unit="jsj")

    assert (refused.value.field, refused.value.rule) == (
        "material_id",
        "requested_material",
    )


@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 3, 5), "not_before_notice"), (date(2024, 4, 2), "not_in_future")],
)
def test_a_material_is_handed_in_from_the_notice_to_today(day: date, rule: str) -> None:
    command = SUBMIT.model_copy(update={"submitted_on": day})

    with pytest.raises(InvalidInput) as refused:
        submit_material(meeting_of(notified()), command, today=TODAY, unit="jsj")

    assert (refused.value.field, refused.value.rule) == ("submitted_on", rule)


def test_a_material_may_be_handed_in_after_it_was_due() -> None:
    late = SUBMIT.model_copy(update={"submitted_on": MATERIAL_DUE.replace(day=18)})

    events = submit_material(meeting_of(notified()), late, today=TODAY, unit="jsj")

    assert events == [material_submitted(submitted_on=date(2024, 3, 18))]


def test_a_cancelled_meetings_materials_are_not_handed_in() -> None:
    history = [*notified(), meeting_cancelled()]

    with pytest.raises(InvalidTransition) as refused:
        submit_material(meeting_of(history), SUBMIT, today=TODAY, unit="jsj")

    assert refused.value.current == MeetingStatus.CANCELLED


def test_missing_materials_follow_the_notices_order() -> None:
    later = notice_sent(
        notice_id="n2", requests=(request(material_id="plan", unit_code="fy"),)
    )
    history = [*notified(), later, material_submitted()]

    assert [r.material_id for r in meeting_of(history).missing_materials()] == [
        "statistics",
        "plan",
    ]
