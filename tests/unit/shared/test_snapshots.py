"""A snapshot holds a state exactly: restoring what `snapshot_of` gives back yields the
same state, for every service's aggregates; the fingerprint follows the state's shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from services.cases.domain.case import CASE
from services.credit.domain.aggregate import LISTING
from services.meetings.domain.action_item import ACTION
from services.meetings.domain.meeting import MEETING
from services.meetings.domain.proposal import MeetingKind
from services.members.domain.joint_meeting import JOINT_MEETING
from services.members.domain.person import PERSON
from services.members.domain.unit import UNIT
from shared.domain import Aggregate, Event
from tests.support import LEDGER, AmountAdded, LedgerOpened
from tests.unit.cases import factories as cases
from tests.unit.credit import factories as credit
from tests.unit.meetings import factories as meetings
from tests.unit.members import factories as members

HISTORIES: list[tuple[Aggregate[Any, Any], Sequence[Event]]] = [
    (LEDGER, [LedgerOpened(name="t"), AmountAdded(amount=3), AmountAdded(amount=4)]),
    (CASE, cases.overdue()),
    (LISTING, credit.active()),
    (MEETING, meetings.held(MeetingKind.INSPECTION)),
    (MEETING, meetings.held()),
    (ACTION, meetings.completed()),
    (UNIT, [members.unit_admitted(), members.unit_renamed()]),
    (PERSON, [members.person_appointed(), members.person_moved()]),
    (
        JOINT_MEETING,
        [
            members.joint_meeting_established(),
            members.role_granted(),
            members.role_ended(),
        ],
    ),
]


@pytest.mark.parametrize(
    ("aggregate", "history"),
    HISTORIES,
    ids=[f"{a.category}-{i}" for i, (a, _) in enumerate(HISTORIES)],
)
def test_a_restored_snapshot_is_the_state_it_was_taken_of(
    aggregate: Aggregate[Any, Any], history: Sequence[Event]
) -> None:
    state = aggregate.replay(history)

    assert aggregate.restore(aggregate.snapshot_of(state)) == state
    assert aggregate.fingerprint is not None


def test_the_fingerprint_changes_with_the_state_shape_and_the_snapshot_version() -> (
    None
):
    bumped = Aggregate(
        category=LEDGER.category,
        initial=LEDGER.initial,
        evolve=LEDGER.evolve,
        events=LEDGER.events,
        snapshot_version=2,
    )

    assert bumped.fingerprint != LEDGER.fingerprint
    assert CASE.fingerprint != LISTING.fingerprint
    assert (
        Aggregate(
            category=LEDGER.category,
            initial=LEDGER.initial,
            evolve=LEDGER.evolve,
            events=LEDGER.events,
        ).fingerprint
        == LEDGER.fingerprint
    )
