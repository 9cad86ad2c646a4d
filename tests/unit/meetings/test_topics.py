"""Topics (议题, notice §5(3)): any active member unit proposes a topic or measure in
its own name; the office accepts it onto the agenda of a meeting not yet held (the
meeting gains the item, once) or declines it with a reason; only the proposing unit
withdraws it, and only before the office reviews it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.meetings.domain.agenda import (
    PlaceTopicOnAgenda,
    TopicPlacedOnAgenda,
    place_topic_on_agenda,
)
from services.meetings.domain.lifecycle import NOT_YET_HELD, MeetingStatus, TopicStatus
from services.meetings.domain.meeting import Meeting
from services.meetings.domain.proposal import AgendaItem, MeetingKind
from services.meetings.domain.topic import Topic
from services.meetings.domain.topics import (
    AcceptTopic,
    DeclineTopic,
    ProposeTopic,
    TopicAccepted,
    TopicDeclined,
    TopicKind,
    TopicWithdrawn,
    WithdrawTopic,
    accept_topic,
    decline_topic,
    propose_topic,
    withdraw_topic,
)
from shared.errors import InvalidInput, InvalidTransition, NotPermitted, RuleViolated
from tests.unit.meetings.factories import (
    MEETING_ID,
    TODAY,
    UNITS,
    meeting_of,
    proposed,
    scheduled,
)
from tests.unit.meetings.outside_facts import TOPIC_ID
from tests.unit.meetings.test_transitions import MEETING_HISTORIES
from tests.unit.meetings.topic_factories import (
    TOPIC_PROPOSED_ON,
    TOPIC_TITLE,
    topic_accepted,
    topic_declined,
    topic_of,
    topic_proposed,
    topic_proposed_history,
    topic_withdrawn,
)

ITEM_ID = f"topic-{TOPIC_ID}"


def propose(**fields: Any) -> ProposeTopic:
    defaults: dict[str, Any] = {
        "title": TOPIC_TITLE,
        "description": "多个市政项目总包单位未按月拨付人工费",
        "kind": TopicKind.MEETING_TOPIC,
        "wanted_meeting_kind": MeetingKind.PLENARY,
        "proposed_on": TOPIC_PROPOSED_ON,
    }
    return ProposeTopic(**(defaults | fields))


def proposing(
    command: ProposeTopic, unit: str = "jsj", target: Meeting | None = None
) -> list[Any]:
    if target is None and command.target_meeting_id is not None:
        target = meeting_of(scheduled())
    return list(
        propose_topic(
            Topic(), command, today=TODAY, unit=unit, units=UNITS, target_meeting=target
        )
    )


def accepting(meeting: Meeting, command: AcceptTopic | None = None) -> list[Any]:
    command = command or AcceptTopic(meeting_id=MEETING_ID, accepted_on=TODAY)
    topic = topic_of(topic_proposed_history())
    return list(
        accept_topic(
            topic, command, today=TODAY, agenda_meeting=meeting, topic_id=TOPIC_ID
        )
    )


def test_a_unit_proposes_a_topic_in_its_own_name() -> None:
    events = proposing(propose())

    assert events == [topic_proposed()]
    topic = topic_of(events)
    assert (topic.status, topic.proposed_by) == (TopicStatus.PROPOSED, "jsj")


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_every_active_unit_may_propose_a_measure(unit: str) -> None:
    command = propose(kind=TopicKind.MEASURE, wanted_meeting_kind=None)

    events = proposing(command, unit=unit)

    assert events == [
        topic_proposed(
            proposed_by=unit, kind=TopicKind.MEASURE, wanted_meeting_kind=None
        )
    ]


def test_a_topic_may_name_the_meeting_it_is_for() -> None:
    events = proposing(propose(target_meeting_id=MEETING_ID))

    assert events == [topic_proposed(target_meeting_id=MEETING_ID)]


def test_a_topic_names_only_a_meeting_that_exists() -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(target_meeting_id="2024-999"), target=Meeting())

    assert (refused.value.field, refused.value.rule) == (
        "target_meeting_id",
        "meeting_exists",
    )


@pytest.mark.parametrize("unit", ["gone", "system", ""])
def test_only_an_active_member_unit_proposes(unit: str) -> None:
    with pytest.raises(NotPermitted) as refused:
        proposing(propose(), unit=unit)

    assert "active member unit" in refused.value.detail


def test_a_topic_is_not_for_an_inspection() -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(wanted_meeting_kind=MeetingKind.INSPECTION))

    assert (refused.value.field, refused.value.rule) == (
        "wanted_meeting_kind",
        "plenary_or_special",
    )


def test_a_topic_is_not_proposed_for_a_later_day() -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(proposed_on=TODAY + timedelta(days=1)))

    assert (refused.value.field, refused.value.rule) == ("proposed_on", "not_in_future")


@pytest.mark.parametrize("field", ["title", "description"])
def test_a_topic_says_what_it_is_about(field: str) -> None:
    with pytest.raises(ValidationError):
        propose(**{field: "   "})


@pytest.mark.parametrize("status", sorted(NOT_YET_HELD))
def test_the_office_accepts_a_topic_onto_a_meeting_not_yet_held(
    status: MeetingStatus,
) -> None:
    events = accepting(meeting_of(MEETING_HISTORIES[status]))

    assert events == [topic_accepted()]
    topic = topic_of(topic_proposed_history(), events)
    assert (topic.status, topic.meeting_id, topic.decided_on) == (
        TopicStatus.ACCEPTED,
        MEETING_ID,
        TODAY,
    )


@pytest.mark.parametrize(
    "status",
    sorted(set(MeetingStatus) - NOT_YET_HELD - {MeetingStatus.NEW}),
)
def test_a_meeting_held_declined_or_cancelled_takes_no_topic(
    status: MeetingStatus,
) -> None:
    with pytest.raises(RuleViolated) as refused:
        accepting(meeting_of(MEETING_HISTORIES[status]))

    assert refused.value.code == "meeting-not-open"
    assert str(status) in refused.value.detail


def test_a_topic_is_accepted_only_onto_a_meeting_that_exists() -> None:
    with pytest.raises(InvalidInput) as refused:
        accepting(Meeting())

    assert (refused.value.field, refused.value.rule) == ("meeting_id", "meeting_exists")


@given(st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31)))
def test_a_topic_is_accepted_between_its_proposal_and_today(day: date) -> None:
    command = AcceptTopic(meeting_id=MEETING_ID, accepted_on=day)
    meeting = meeting_of(proposed())

    if TOPIC_PROPOSED_ON <= day <= TODAY:
        assert accepting(meeting, command) == [topic_accepted(accepted_on=day)]
    else:
        with pytest.raises(InvalidInput) as refused:
            accepting(meeting, command)
        assert refused.value.field == "accepted_on"


def test_the_office_declines_a_topic_with_its_reason() -> None:
    topic = topic_of(topic_proposed_history())
    command = DeclineTopic(declined_on=TODAY, reason="已由建设局专项处理")

    events = decline_topic(topic, command, today=TODAY)

    assert events == [TopicDeclined(declined_on=TODAY, reason="已由建设局专项处理")]
    declined = topic_of(topic_proposed_history(), events)
    assert (declined.status, declined.note) == (TopicStatus.DECLINED, command.reason)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decline_without_a_reason_is_refused(reason: str) -> None:
    with pytest.raises(ValidationError):
        DeclineTopic.model_validate({"declined_on": TODAY, "reason": reason})


def test_the_proposing_unit_withdraws_its_topic_before_review() -> None:
    topic = topic_of(topic_proposed_history())

    events = withdraw_topic(
        topic,
        WithdrawTopic(withdrawn_on=TODAY, reason="已自行解决"),
        today=TODAY,
        unit="jsj",
    )

    assert events == [TopicWithdrawn(withdrawn_on=TODAY, reason="已自行解决")]
    assert topic_of(topic_proposed_history(), events).status is TopicStatus.WITHDRAWN


@pytest.mark.parametrize("unit", ["rsj", "gafj", "system"])
def test_another_unit_does_not_withdraw_a_topic(unit: str) -> None:
    topic = topic_of(topic_proposed_history())

    with pytest.raises(NotPermitted) as refused:
        withdraw_topic(topic, WithdrawTopic(withdrawn_on=TODAY), today=TODAY, unit=unit)

    assert "jsj" in refused.value.detail


def test_a_reviewed_topic_is_no_longer_withdrawn() -> None:
    topic = topic_of(topic_proposed_history(), [topic_accepted()])

    with pytest.raises(InvalidTransition) as refused:
        withdraw_topic(
            topic, WithdrawTopic(withdrawn_on=TODAY), today=TODAY, unit="jsj"
        )

    assert refused.value.current == TopicStatus.ACCEPTED
    assert refused.value.allowed == ()


PLACE = PlaceTopicOnAgenda(topic_id=TOPIC_ID, title=TOPIC_TITLE, proposed_by="jsj")


def test_an_accepted_topic_becomes_an_agenda_item_of_its_meeting() -> None:
    meeting = meeting_of(proposed())

    events = place_topic_on_agenda(meeting, PLACE)

    item = AgendaItem(item_id=ITEM_ID, title=TOPIC_TITLE)
    assert events == [
        TopicPlacedOnAgenda(topic_id=TOPIC_ID, proposed_by="jsj", item=item)
    ]
    after = meeting_of(proposed(), events)
    assert after.agenda == (*meeting.agenda, item)
    assert after.agenda_item(ITEM_ID) == item


def test_a_topic_already_on_the_agenda_adds_nothing() -> None:
    once = place_topic_on_agenda(meeting_of(proposed()), PLACE)

    again = place_topic_on_agenda(meeting_of(proposed(), once), PLACE)

    assert again == []


@pytest.mark.parametrize(
    "status", sorted(set(MeetingStatus) - NOT_YET_HELD - {MeetingStatus.NEW})
)
def test_a_meeting_past_its_agenda_takes_no_item(status: MeetingStatus) -> None:
    with pytest.raises(InvalidTransition) as refused:
        place_topic_on_agenda(meeting_of(MEETING_HISTORIES[status]), PLACE)

    assert refused.value.current == status


def test_the_acceptance_names_the_agenda_item_the_meeting_gains() -> None:
    accepted = accepting(meeting_of(proposed()))

    placed = place_topic_on_agenda(meeting_of(proposed()), PLACE)

    assert isinstance(accepted[0], TopicAccepted)
    assert isinstance(placed[0], TopicPlacedOnAgenda)
    assert accepted[0].item_id == placed[0].item.item_id == ITEM_ID


def test_the_acceptance_keeps_the_offices_note() -> None:
    command = AcceptTopic(meeting_id=MEETING_ID, accepted_on=TODAY, note="列入第三项")

    events = accepting(meeting_of(proposed()), command)

    assert events == [topic_accepted(note="列入第三项")]
    assert topic_of(topic_proposed_history(), events).note == "列入第三项"


def test_an_acceptance_before_the_proposal_names_the_rule() -> None:
    day = TOPIC_PROPOSED_ON - timedelta(days=1)
    command = AcceptTopic(meeting_id=MEETING_ID, accepted_on=day)

    with pytest.raises(InvalidInput) as refused:
        accepting(meeting_of(proposed()), command)

    assert (refused.value.field, refused.value.rule) == (
        "accepted_on",
        "not_before_proposal",
    )


DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 6, 30))


def expected_date_rule(day: date) -> str | None:
    """The rule a review of the default topic on `day` breaks, if any."""
    if day > TODAY:
        return "not_in_future"
    if day < TOPIC_PROPOSED_ON:
        return "not_before_proposal"
    return None


@given(DAYS)
def test_a_topic_is_declined_between_its_proposal_and_today(day: date) -> None:
    topic = topic_of(topic_proposed_history())
    command = DeclineTopic(declined_on=day, reason="已由建设局专项处理")

    if (rule := expected_date_rule(day)) is None:
        events = decline_topic(topic, command, today=TODAY)
        assert events == [topic_declined(declined_on=day)]
        assert topic_of(topic_proposed_history(), events).decided_on == day
    else:
        with pytest.raises(InvalidInput) as refused:
            decline_topic(topic, command, today=TODAY)
        assert (refused.value.field, refused.value.rule) == ("declined_on", rule)


@given(DAYS)
def test_a_topic_is_withdrawn_between_its_proposal_and_today(day: date) -> None:
    topic = topic_of(topic_proposed_history())
    command = WithdrawTopic(withdrawn_on=day, reason="已自行解决")

    if (rule := expected_date_rule(day)) is None:
        events = withdraw_topic(topic, command, today=TODAY, unit="jsj")
        assert events == [topic_withdrawn(withdrawn_on=day, reason="已自行解决")]
        withdrawn = topic_of(topic_proposed_history(), events)
        assert (withdrawn.decided_on, withdrawn.note) == (day, "已自行解决")
    else:
        with pytest.raises(InvalidInput) as refused:
            withdraw_topic(topic, command, today=TODAY, unit="jsj")
        assert (refused.value.field, refused.value.rule) == ("withdrawn_on", rule)


def test_a_declined_topic_records_the_day_it_was_declined() -> None:
    topic = topic_of(topic_proposed_history(), [topic_declined()])

    assert (topic.status, topic.decided_on) == (TopicStatus.DECLINED, TODAY)


@pytest.mark.parametrize(
    "reviewed",
    [[topic_accepted()], [topic_declined()], [topic_withdrawn()]],
    ids=["accepted", "declined", "withdrawn"],
)
def test_a_reviewed_topic_is_neither_accepted_nor_declined_again(
    reviewed: list[Any],
) -> None:
    topic = topic_of(topic_proposed_history(), reviewed)

    with pytest.raises(InvalidTransition) as accepted:
        accept_topic(
            topic,
            AcceptTopic(meeting_id=MEETING_ID, accepted_on=TODAY),
            today=TODAY,
            agenda_meeting=meeting_of(proposed()),
            topic_id=TOPIC_ID,
        )
    with pytest.raises(InvalidTransition) as declined:
        decline_topic(
            topic, DeclineTopic(declined_on=TODAY, reason="重复"), today=TODAY
        )

    assert accepted.value.current == declined.value.current == topic.status


def test_a_topic_is_proposed_once() -> None:
    topic = topic_of(topic_proposed_history())

    with pytest.raises(InvalidTransition) as refused:
        propose_topic(
            topic, propose(), today=TODAY, unit="jsj", units=UNITS, target_meeting=None
        )

    assert refused.value.current == TopicStatus.PROPOSED
