"""The steps each status allows: every status names its next steps, every step is a
command, and in every status each step it does not name is refused with the status
and the steps it allows, except the watchers' steps and the ones out of time."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from datetime import date

import pytest

from services.credit import domain
from services.credit.domain.aggregate import ListingEvent, allowed_after
from services.credit.domain.candidate import (
    OpenByHand,
    OpenCandidate,
    open_by_hand,
    open_candidate,
)
from services.credit.domain.construction_measures import (
    ALLOWED_AFTER as MEASURE_STEPS,
)
from services.credit.domain.construction_measures import (
    LiftConstructionMeasure,
    RecordConstructionMeasure,
)
from services.credit.domain.decision import (
    DecideListing,
    DecideNotToList,
    decide_listing,
    decide_not_to_list,
)
from services.credit.domain.early_removal import (
    ApplyForEarlyRemoval,
    DecideEarlyRemoval,
    apply_for_early_removal,
    decide_early_removal,
)
from services.credit.domain.ending import (
    ExpireListing,
    RevokeListing,
    expire_listing,
    revoke_listing,
)
from services.credit.domain.grounds import OpenedFrom
from services.credit.domain.later_grounds import RECORDS_OF_CASES
from services.credit.domain.listing import (
    Listing,
    ListingStatus,
    RevokedBy,
    ServiceMethod,
)
from services.credit.domain.notice import (
    FileObjection,
    LapseObjectionPeriod,
    ReviewObjection,
    ServeNotice,
    file_objection,
    lapse_objection_period,
    review_objection,
    serve_notice,
)
from services.credit.domain.payment_evidence import (
    RecordPaymentEvidence,
    record_payment_evidence,
)
from services.credit.domain.publication import PublishListing, publish_listing
from services.credit.domain.sanctioning import (
    MarkSanctionOverdue,
    RecordSanctionApplied,
    RecordSanctionLifted,
    mark_sanction_overdue,
    record_sanction_applied,
    record_sanction_lifted,
)
from shared.domain import Command
from shared.errors import DomainError, InvalidTransition, RuleViolated
from tests.unit.credit.factories import (
    DECIDED_ON,
    DECISION_ID,
    JSJ_PERMITS,
    OPENED_ON,
    PUBLISHED_ON,
    SANCTION_DUE,
    SOURCE_EVENT_ID,
    active,
    candidate,
    early_removal_applied,
    early_removal_granted,
    employer_subject,
    grounds,
    lapsed,
    listed,
    listing_expired,
    listing_of,
    listing_published,
    listing_revoked,
    not_listed,
    objected,
    served,
)
from tests.unit.credit.outside_facts import run

Decide = Callable[..., Sequence[ListingEvent]]

DOMAIN_MODULES = tuple(
    importlib.import_module(f"{domain.__name__}.{m.name}")
    for m in pkgutil.iter_modules(domain.__path__)
)
"""Every module of the domain, wherever a capability keeps its commands."""

STEPS: dict[type[Command], tuple[Decide, Command]] = {
    OpenCandidate: (
        open_candidate,
        OpenCandidate(
            subject=employer_subject(),
            grounds=grounds(),
            opened_from=OpenedFrom.CASE_RECOMMENDATION,
            source_event_id=SOURCE_EVENT_ID,
            opened_on=OPENED_ON,
        ),
    ),
    OpenByHand: (
        open_by_hand,
        OpenByHand(
            subject=employer_subject(),
            grounds=grounds(),
            opened_from=OpenedFrom.BY_HAND,
            opened_on=OPENED_ON,
        ),
    ),
    ServeNotice: (
        serve_notice,
        ServeNotice(served_on=date(2024, 5, 8), method=ServiceMethod.IN_PERSON),
    ),
    FileObjection: (
        file_objection,
        FileObjection(filed_on=date(2024, 5, 13), text="异议"),
    ),
    ReviewObjection: (
        review_objection,
        ReviewObjection(reviewed_on=date(2024, 5, 17), upheld=False, reasoning="理由"),
    ),
    LapseObjectionPeriod: (lapse_objection_period, LapseObjectionPeriod()),
    DecideListing: (
        decide_listing,
        DecideListing(
            decided_on=DECIDED_ON, decision_id=DECISION_ID, decided_by="局长"
        ),
    ),
    DecideNotToList: (
        decide_not_to_list,
        DecideNotToList(decided_on=DECIDED_ON, reason="已清偿并承诺"),
    ),
    PublishListing: (publish_listing, PublishListing(published_on=PUBLISHED_ON)),
    RecordSanctionApplied: (
        record_sanction_applied,
        RecordSanctionApplied(
            task_id=JSJ_PERMITS,
            applied_on=date(2024, 5, 27),
            basis="条例",
            reference="函",
        ),
    ),
    RecordSanctionLifted: (
        record_sanction_lifted,
        RecordSanctionLifted(
            task_id=JSJ_PERMITS, lifted_on=date(2027, 5, 24), reference="函"
        ),
    ),
    MarkSanctionOverdue: (
        mark_sanction_overdue,
        MarkSanctionOverdue(task_id=JSJ_PERMITS, due=SANCTION_DUE),
    ),
    ExpireListing: (expire_listing, ExpireListing()),
    RecordPaymentEvidence: (
        record_payment_evidence,
        RecordPaymentEvidence(
            paid_on=date(2024, 5, 27), evidence="转账凭证", verified_by="王五"
        ),
    ),
    ApplyForEarlyRemoval: (
        apply_for_early_removal,
        ApplyForEarlyRemoval(applied_on=date(2024, 5, 27), commitment_text="承诺"),
    ),
    DecideEarlyRemoval: (
        decide_early_removal,
        DecideEarlyRemoval(decided_on=date(2024, 5, 27)),
    ),
    RevokeListing: (
        revoke_listing,
        RevokeListing(
            revoked_on=date(2024, 5, 27), by=RevokedBy.COURT, reference="判决"
        ),
    ),
}

HISTORIES: dict[ListingStatus, list[ListingEvent]] = {
    ListingStatus.NEW: [],
    ListingStatus.CANDIDATE: candidate(),
    ListingStatus.NOTICE_SERVED: served(),
    ListingStatus.OBJECTION_FILED: objected(),
    ListingStatus.UNDER_REVIEW: lapsed(),
    ListingStatus.NOT_LISTED: [*candidate(), not_listed()],
    ListingStatus.LISTED: listed(),
    ListingStatus.PUBLISHED: [*listed(), listing_published()],
    ListingStatus.ACTIVE: active(),
    ListingStatus.EXPIRED: [*active(), listing_expired()],
    ListingStatus.REMOVED: [
        *active(),
        early_removal_applied(),
        early_removal_granted(),
    ],
    ListingStatus.REVOKED: [*active(), listing_revoked()],
}

# Not named as next steps, yet answered otherwise than as an illegal transition: the
# watchers' repeats change nothing, and a step out of time names its rule.
ANSWERED_BY_RULE: dict[tuple[ListingStatus, type[Command]], str] = {
    (ListingStatus.OBJECTION_FILED, DecideListing): "objection-period-running",
    (ListingStatus.UNDER_REVIEW, FileObjection): "objection-period-over",
}
NOTHING_TO_DO: frozenset[tuple[ListingStatus, type[Command]]] = frozenset(
    {
        *(
            (s, LapseObjectionPeriod)
            for s in HISTORIES
            if s
            not in (
                ListingStatus.NEW,
                ListingStatus.CANDIDATE,
                ListingStatus.NOTICE_SERVED,
            )
        ),
        (ListingStatus.EXPIRED, ExpireListing),
        (ListingStatus.REMOVED, ExpireListing),
        (ListingStatus.REVOKED, ExpireListing),
    }
)


def refusal(decide: Decide, listing: Listing, command: Command) -> DomainError | None:
    """The error the step was refused with, if it was."""
    try:
        run(decide, listing, command)
    except DomainError as error:
        return error
    return None


def in_order(
    pairs: Iterable[tuple[ListingStatus, type[Command]]],
) -> list[tuple[ListingStatus, type[Command]]]:
    return sorted(pairs, key=lambda pair: (pair[0], pair[1].__name__))


def named(value: object) -> str:
    """A test id: a command by its class name, a status by its value."""
    return value.__name__ if isinstance(value, type) else str(value)


def test_every_status_names_its_next_steps() -> None:
    assert all(isinstance(allowed_after(s), tuple) for s in ListingStatus)
    assert set(HISTORIES) == set(ListingStatus)


def test_every_step_named_is_a_command_and_every_command_a_step() -> None:
    commands = {
        obj
        for module in DOMAIN_MODULES
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Command) and obj is not Command
    }
    steps = {s for status in ListingStatus for s in allowed_after(status)}
    measure_steps = {s for steps in MEASURE_STEPS.values() for s in steps}

    # Cases' facts are recorded, not chosen: no status offers them (later_grounds).
    # The construction bureau's measures are steps of their own streams.
    assert steps == commands - set(RECORDS_OF_CASES) - measure_steps
    assert measure_steps == {RecordConstructionMeasure, LiftConstructionMeasure}
    assert set(STEPS) == steps


def test_the_histories_reach_their_statuses() -> None:
    assert {s: listing_of(h).status for s, h in HISTORIES.items()} == {
        s: s for s in HISTORIES
    }


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (status, step)
        for status in ListingStatus
        for step in STEPS
        if step not in allowed_after(status)
        and (status, step) not in ANSWERED_BY_RULE
        and (status, step) not in NOTHING_TO_DO
    ],
    ids=named,
)
def test_a_step_the_status_does_not_allow_is_refused_naming_what_it_allows(
    status: ListingStatus, step: type[Command]
) -> None:
    decide, command = STEPS[step]

    with pytest.raises(InvalidTransition) as refused:
        run(decide, listing_of(HISTORIES[status]), command)

    assert refused.value.current == status
    assert refused.value.allowed == allowed_after(status)


@pytest.mark.parametrize(
    ("status", "step"),
    [(status, step) for status in ListingStatus for step in allowed_after(status)],
    ids=named,
)
def test_a_step_the_status_allows_is_never_an_illegal_transition(
    status: ListingStatus, step: type[Command]
) -> None:
    decide, command = STEPS[step]

    answer = refusal(decide, listing_of(HISTORIES[status]), command)

    # Refused for a rule or a date perhaps, which other tests check.
    assert not isinstance(answer, InvalidTransition)


@pytest.mark.parametrize(("status", "step"), in_order(ANSWERED_BY_RULE), ids=named)
def test_a_step_out_of_time_is_refused_naming_the_rule(
    status: ListingStatus, step: type[Command]
) -> None:
    decide, command = STEPS[step]

    with pytest.raises(RuleViolated) as refused:
        run(decide, listing_of(HISTORIES[status]), command)

    assert refused.value.code == ANSWERED_BY_RULE[status, step]


@pytest.mark.parametrize(("status", "step"), in_order(NOTHING_TO_DO), ids=named)
def test_a_watchers_step_once_it_no_longer_applies_changes_nothing(
    status: ListingStatus, step: type[Command]
) -> None:
    decide, command = STEPS[step]

    assert run(decide, listing_of(HISTORIES[status]), command) == []
