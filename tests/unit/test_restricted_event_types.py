"""What a restricted webhook may receive names real event types of the service (a
misspelt name would silently deliver nothing), and never candidates or objections."""

from __future__ import annotations

import pytest

from services.credit.app import AGGREGATES as CREDIT
from services.credit.app import RESTRICTED_EVENT_TYPES as CREDIT_RESTRICTED
from services.members.app import AGGREGATES as MEMBERS
from services.members.app import RESTRICTED_EVENT_TYPES as MEMBERS_RESTRICTED
from shared.domain import event_classes
from shared.envelope import type_name


def _types(service: str, aggregates: tuple[object, ...]) -> set[str]:
    return {
        type_name(service, cls.event_type(), cls.schema_version)
        for a in aggregates
        for cls in event_classes(a.events)  # type: ignore[attr-defined]
    }


@pytest.mark.parametrize(
    ("service", "aggregates", "restricted"),
    [("members", MEMBERS, MEMBERS_RESTRICTED), ("credit", CREDIT, CREDIT_RESTRICTED)],
)
def test_restricted_types_are_the_services_own(
    service: str, aggregates: tuple[object, ...], restricted: frozenset[str]
) -> None:
    assert restricted
    assert restricted <= _types(service, aggregates)


def test_credit_restricted_types_leave_out_what_only_office_and_auditors_see() -> None:
    undecided = {
        "CandidateOpened",
        "NoticeServed",
        "ObjectionFiled",
        "ObjectionReviewed",
    }
    assert not {t.split(".")[2] for t in CREDIT_RESTRICTED} & undecided
