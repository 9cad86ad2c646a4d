"""`allowed_next` offers exactly the steps a caller can take over HTTP that the decide
functions do not refuse for the listing's status: from a listing in each status (the
factories' histories), a step offered is not refused as an invalid transition, and a
step not offered is (issue 14)."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from services.credit.command_table import CREDIT_COMMANDS
from services.credit.domain.aggregate import LISTING, ListingEvent, allowed_after
from services.credit.domain.candidate import OpenByHand
from services.credit.domain.decision import DecideListing, DecideNotToList
from services.credit.domain.early_removal import (
    ApplyForEarlyRemoval,
    DecideEarlyRemoval,
)
from services.credit.domain.ending import RevokeListing
from services.credit.domain.grounds import OpenedFrom
from services.credit.domain.listing import (
    Listing,
    ListingStatus,
    RevokedBy,
    ServiceMethod,
)
from services.credit.domain.notice import FileObjection, ReviewObjection, ServeNotice
from services.credit.domain.publication import PublishListing
from services.credit.domain.sanctioning import (
    RecordSanctionApplied,
    RecordSanctionLifted,
)
from shared.domain import Command
from shared.errors import DomainError, InvalidTransition
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
}

EXAMPLES: tuple[Command, ...] = (
    OpenByHand(
        subject=f.employer_subject(),
        grounds=f.grounds(),
        opened_from=OpenedFrom.BY_HAND,
        opened_on=TODAY,
    ),
    ServeNotice(served_on=TODAY, method=ServiceMethod.IN_PERSON),
    FileObjection(filed_on=TODAY, text=WHY),
    ReviewObjection(reviewed_on=TODAY, upheld=False, reasoning=WHY),
    DecideListing(decided_on=TODAY, decision_id=f.DECISION_ID, decided_by="局长"),
    DecideNotToList(decided_on=TODAY, reason=WHY),
    PublishListing(published_on=TODAY),
    RecordSanctionApplied(
        task_id=f.JSJ_PERMITS, applied_on=TODAY, basis=WHY, reference=WHY
    ),
    RecordSanctionLifted(task_id=f.JSJ_PERMITS, lifted_on=TODAY, reference=WHY),
    ApplyForEarlyRemoval(applied_on=TODAY, commitment_text=WHY),
    DecideEarlyRemoval(decided_on=TODAY),
    RevokeListing(revoked_on=TODAY, by=RevokedBy.COURT, reference=WHY),
)
"""A valid command of every step a caller can take, dated today."""

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
)
"""A listing in each status the factories reach."""


# Refused for the status, but under the rule that names why, so not offered: deciding
# while an objection awaits review (409 `objection-period-running`), objecting once
# the period lapsed (409 `objection-period-over`; test_transitions.py).
REFUSED_BY_RULE = {
    (ListingStatus.OBJECTION_FILED, "decide"),
    (ListingStatus.UNDER_REVIEW, "file-objection"),
}


def _refuses_for_status(listing: Listing, command: Command) -> bool:
    row = CREDIT_COMMANDS.row(type(command))
    facts = {fact.name: FACTS[fact.name] for fact in row.facts}
    try:
        row.decide(listing, command, **facts)
    except InvalidTransition:
        return True
    except DomainError:
        return False  # refused for a date, a task or a rule: the status allows it
    return False


@settings(deadline=None)
@given(st.sampled_from(HISTORIES))
def test_allowed_next_is_what_the_decide_functions_take(
    history: Sequence[ListingEvent],
) -> None:
    listing = LISTING.replay(history)
    offered = set(CREDIT_COMMANDS.verbs(allowed_after(listing.status)))
    taken = {
        verb
        for c in EXAMPLES
        if not _refuses_for_status(listing, c)
        and (listing.status, verb := CREDIT_COMMANDS.row(type(c)).verb)
        not in REFUSED_BY_RULE
    }
    assert offered == taken, listing.status


def test_every_listing_status_is_reached() -> None:
    reached = {LISTING.replay(h).status for h in HISTORIES}
    assert len(reached) >= 10, reached
