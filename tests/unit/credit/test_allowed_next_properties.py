"""`allowed_next` offers exactly the steps a caller can take over HTTP that the decide
functions take in the listing's state: from a listing in each status (the factories'
histories, with an application pending and every sanction confirmed), a step offered is
refused neither as an invalid transition nor under a rule of that state (409), and a
step not offered is refused (issue 14). Refusals for a date, a task id or a role are
the caller's input, not the state."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from services.credit.command_table import CREDIT_COMMANDS
from services.credit.domain.aggregate import LISTING, ListingEvent, allowed_steps
from services.credit.domain.candidate import OpenByHand
from services.credit.domain.decision import DecideListing, DecideNotToList
from services.credit.domain.early_removal import (
    ApplyForEarlyRemoval,
    DecideEarlyRemoval,
    PaymentOnRecord,
)
from services.credit.domain.ending import RevokeListing
from services.credit.domain.grounds import OpenedFrom
from services.credit.domain.listing import (
    Listing,
    RevokedBy,
    ServiceMethod,
)
from services.credit.domain.notice import FileObjection, ReviewObjection, ServeNotice
from services.credit.domain.payment_evidence import RecordPaymentEvidence
from services.credit.domain.publication import PublishListing
from services.credit.domain.sanctioning import (
    RecordSanctionApplied,
    RecordSanctionLifted,
)
from shared.domain import Command
from shared.errors import DomainError, InvalidTransition, RuleViolated
from tests.unit.credit import factories as f

TODAY = f.TODAY
WHY = "理由"
FACTS: dict[str, object] = {
    "today": TODAY,
    "calendar": f.CALENDAR,
    "limits": f.LIMITS,
    "duties": f.DUTIES,
    "units": frozenset(f.UNITS),
    "unit": "jsj",
    "listing_id": f.LISTING_ID,
    "employer_listing": None,
    "person_key": None,
    "has_new_arrears": False,
    "payment_on_record": PaymentOnRecord(),
}

EXAMPLES: tuple[Command, ...] = (
    OpenByHand(
        subject=f.employer_subject(),
        grounds=f.grounds(),
        opened_from=OpenedFrom.BY_HAND,
        opened_on=TODAY,
    ),
    ServeNotice(served_on=TODAY, method=ServiceMethod.IN_PERSON),
    # Within the objection period: out of it, the date is refused, not the step.
    FileObjection(filed_on=f.FILED_ON, text=WHY),
    ReviewObjection(reviewed_on=TODAY, upheld=False, reasoning=WHY),
    DecideListing(decided_on=TODAY, decision_id=f.DECISION_ID, decided_by="局长"),
    DecideNotToList(decided_on=TODAY, reason=WHY),
    PublishListing(published_on=TODAY),
    RecordSanctionApplied(
        task_id=f.JSJ_PERMITS, applied_on=TODAY, basis=WHY, reference=WHY
    ),
    RecordSanctionLifted(task_id=f.JSJ_PERMITS, lifted_on=TODAY, reference=WHY),
    RecordPaymentEvidence(paid_on=TODAY, evidence=WHY, verified_by="王五"),
    ApplyForEarlyRemoval(applied_on=TODAY, commitment_text=WHY),
    DecideEarlyRemoval(decided_on=TODAY),
    RevokeListing(revoked_on=TODAY, by=RevokedBy.COURT, reference=WHY),
)
"""A valid command of every step a caller can take, dated today (an objection within
its period)."""

NONE_WEIGHED = PaymentOnRecord()
"""No case weighed for the listing's payment (its grounds' cases aside)."""

EVERY_TASK_APPLIED: tuple[ListingEvent, ...] = tuple(
    f.sanction_applied(task_id=t.task_id, unit_code=t.unit_code, measure=t.measure)
    for t in f.TASKS
)
REMOVED = (*f.active(), f.early_removal_applied(), f.early_removal_granted())
EVERY_TASK_LIFTED: tuple[ListingEvent, ...] = tuple(
    f.sanction_lifted(task_id=t.task_id, unit_code=t.unit_code) for t in f.TASKS
)

HISTORIES: tuple[Sequence[ListingEvent], ...] = (
    (),
    f.candidate(),
    f.served(),
    f.objected(),
    [*f.objected(), f.objection_reviewed()],
    f.lapsed(),
    [*f.candidate(), f.not_listed()],
    f.listed(),
    f.active(),
    [*f.active(), f.listing_expired()],
    [*f.active(), f.listing_revoked()],
    [*f.active(), f.early_removal_granted()],
    [*f.active(), f.early_removal_applied()],
    [*f.active(), *EVERY_TASK_APPLIED],
    [*f.active(), *EVERY_TASK_APPLIED, f.early_removal_applied()],
    [*REMOVED, *EVERY_TASK_LIFTED],
    f.active(grounds=f.grounds(case_ids=())),
)
"""A listing in each status the factories reach."""


RECORDS: tuple[PaymentOnRecord, ...] = (
    PaymentOnRecord(),
    # A listing opened by hand whose employer still owed in a case at the decision.
    PaymentOnRecord(case_ids=("2024-000007",)),
    PaymentOnRecord(case_ids=("2024-000007",), paid_in_full_on=f.DECIDED_ON),
)
"""The cases weighed for the listing's payment: none, one still owing, one paid."""


def _is_taken(listing: Listing, command: Command, record: PaymentOnRecord) -> bool:
    row = CREDIT_COMMANDS.row(type(command))
    given = FACTS | {"payment_on_record": record}
    facts = {fact.name: given[fact.name] for fact in row.facts}
    try:
        row.decide(listing, command, **facts)
    except (InvalidTransition, RuleViolated):
        return False  # the state refuses it: the status, or a rule of this state
    except DomainError:
        return True  # refused for a date, a task or a role: the state allows it
    return True


@settings(deadline=None)
@given(st.sampled_from(HISTORIES), st.sampled_from(RECORDS))
def test_allowed_next_is_what_the_decide_functions_take(
    history: Sequence[ListingEvent], record: PaymentOnRecord
) -> None:
    listing = LISTING.replay(history)
    offered = set(CREDIT_COMMANDS.verbs(allowed_steps(listing, record)))
    taken = {
        CREDIT_COMMANDS.row(type(c)).verb
        for c in EXAMPLES
        if _is_taken(listing, c, record)
    }
    assert offered == taken, (listing.status, record)


def test_a_pending_application_offers_its_decision_not_another() -> None:
    listing = LISTING.replay([*f.active(), f.early_removal_applied()])

    offered = CREDIT_COMMANDS.verbs(allowed_steps(listing, NONE_WEIGHED))

    assert "decide-early-removal" in offered
    assert "apply-for-early-removal" not in offered


def test_payment_evidence_is_offered_only_where_no_case_holds_the_payment() -> None:
    by_hand = LISTING.replay(f.active(grounds=f.grounds(case_ids=())))
    of_a_case = LISTING.replay(f.active())

    assert "record-payment-evidence" in CREDIT_COMMANDS.verbs(
        allowed_steps(by_hand, NONE_WEIGHED)
    )
    assert "record-payment-evidence" not in CREDIT_COMMANDS.verbs(
        allowed_steps(of_a_case, NONE_WEIGHED)
    )


def test_payment_evidence_is_not_offered_where_an_employer_case_still_owes() -> None:
    # Given a listing opened by hand, without a case, whose employer still owed in a
    # case at the decision (cases weighs it for the payment)
    by_hand = LISTING.replay(f.active(grounds=f.grounds(case_ids=())))
    owing = PaymentOnRecord(case_ids=("2024-000007",))

    # When its next steps are offered, then payment evidence is not among them, as
    # record-payment-evidence refuses it (409 payment-recorded-in-cases)
    assert "record-payment-evidence" not in CREDIT_COMMANDS.verbs(
        allowed_steps(by_hand, owing)
    )


def test_confirmed_sanctions_are_not_offered_again() -> None:
    applied = LISTING.replay([*f.active(), *EVERY_TASK_APPLIED])
    lifted = LISTING.replay([*REMOVED, *EVERY_TASK_LIFTED])

    assert "record-sanction-applied" not in CREDIT_COMMANDS.verbs(
        allowed_steps(applied, NONE_WEIGHED)
    )
    assert "record-sanction-lifted" not in CREDIT_COMMANDS.verbs(
        allowed_steps(lifted, NONE_WEIGHED)
    )


def test_every_listing_status_is_reached() -> None:
    reached = {LISTING.replay(h).status for h in HISTORIES}
    assert len(reached) >= 10, reached
