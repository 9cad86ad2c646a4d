"""The facts credit's decide functions are given, each from one typed provider, and
the context the providers read: the district's rules and the person-key secret. The
command table (`services.credit.command_table`) lists which row gets which."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from services.credit.domain.aggregate import LISTING
from services.credit.domain.candidate import OpenByHand
from services.credit.domain.decision import DecideListing
from services.credit.domain.early_removal import (
    PaymentOnRecord,
    arrears_uscc,
    is_owing_on,
)
from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import Listing
from services.credit.domain.sanctions import SanctionDuty
from services.credit.domain.subjects import PersonDetails
from services.credit.person_key import person_key
from services.credit.rules import CreditRules
from shared.command_table import Fact, Scope, fact, today
from shared.domain import Command, WorkingDays
from shared.handling import load
from shared.store import EventStore


@dataclass(frozen=True)
class CreditContext:
    """What credit commands need of the running service: the district's rules, and the
    secret a person's lookup key is derived with."""

    rules: CreditRules
    person_key_secret: bytes


async def _calendar(scope: Scope[Command, CreditContext]) -> WorkingDays:
    return scope.context.rules.calendar


async def _limits(scope: Scope[Command, CreditContext]) -> CreditLimits:
    return scope.context.rules.limits


async def _duties(scope: Scope[Command, CreditContext]) -> tuple[SanctionDuty, ...]:
    return scope.context.rules.duties


async def _person_key(scope: Scope[OpenByHand, CreditContext]) -> str | None:
    subject = scope.command.subject
    if not isinstance(subject, PersonDetails):
        return None
    return person_key(scope.context.person_key_secret, subject.id_number)


async def _employer_listing(scope: Scope[DecideListing, object]) -> Listing | None:
    named = scope.command.employer_listing_id
    return None if named is None else (await load(scope.store, LISTING, named))[0]


async def _has_new_arrears(scope: Scope[Command, object]) -> bool:
    """Whether cases received a new case against the listed employer since the listing
    decision (from cases' events, kept in `employer_cases`); a complaint later
    rejected, transferred out or cancelled is no arrears (`case_outcomes`). A person's
    listing asks of its employer's cases (`arrears_uscc`)."""
    listing, _ = await load(scope.store, LISTING, scope.entity_id)
    uscc = arrears_uscc(listing, await _employer_of(scope.store, listing))
    if listing.decision is None or not uscc:
        return False
    found = await scope.pool.fetchval(
        "SELECT 1 FROM employer_cases c WHERE c.uscc = $1 AND c.received_on > $2"
        " AND NOT EXISTS (SELECT 1 FROM case_outcomes o WHERE o.case_stream ="
        " c.case_stream AND o.voided_on IS NOT NULL) LIMIT 1",
        uscc,
        listing.decision.decided_on,
    )
    return found is not None


async def _employer_of(store: EventStore, listing: Listing) -> Listing | None:
    """The employer listing a person's listing decision names (None for an
    employer's listing, or a person's listed without one)."""
    decision = listing.decision
    if getattr(listing.subject, "uscc", None) or decision is None:
        return None
    if not decision.employer_listing_id:
        return None
    return (await load(store, LISTING, decision.employer_listing_id))[0]


async def _payment_on_record(scope: Scope[Command, object]) -> PaymentOnRecord:
    """The day cases recorded the listing's arrears paid in full (`case_outcomes`): the
    last of its grounds' cases to be cleared; voided cases do not count."""
    listing, _ = await load(scope.store, LISTING, scope.entity_id)
    return await payment_on_record(scope.store, scope.pool, listing)


async def payment_on_record(
    store: EventStore, pool: asyncpg.Pool, listing: Listing
) -> PaymentOnRecord:
    """What cases recorded of a listing's arrears (`PaymentOnRecord` says which cases
    are weighed); the read side offers the listing's steps by it too."""
    return await paid_in_full(pool, await _cases_of(store, pool, listing))


async def paid_in_full(pool: asyncpg.Pool, streams: list[str]) -> PaymentOnRecord:
    """The day the last of those cases was paid in full, if all were; voided cases do
    not count, and a case credit never heard of is not paid."""
    paid_in_full_on = await pool.fetchval(
        "SELECT CASE WHEN count(*) > 0 AND bool_and(o.cleared_on IS NOT NULL)"
        " THEN max(o.cleared_on) END FROM unnest($1::text[]) AS s(case_stream)"
        " LEFT JOIN case_outcomes o USING (case_stream)"
        " WHERE o.voided_on IS NULL",
        streams,
    )
    ids = tuple(s.removeprefix("case-") for s in streams)
    return PaymentOnRecord(case_ids=ids, paid_in_full_on=paid_in_full_on)


async def _cases_of(
    store: EventStore, pool: asyncpg.Pool, listing: Listing
) -> list[str]:
    """The cases weighed: the grounds' (or the employer listing's grounds'); else, for
    a listing opened by hand, the employer's cases received by the decision and still
    owing then (`is_owing_on`)."""
    grounds = listing.grounds
    if grounds is not None and grounds.case_ids:
        return [f"case-{case_id}" for case_id in grounds.case_ids]
    decision = listing.decision
    employer = await _employer_of(store, listing)
    if employer is not None and employer.grounds and employer.grounds.case_ids:
        return [f"case-{case_id}" for case_id in employer.grounds.case_ids]
    uscc = arrears_uscc(listing, employer)
    if decision is None or not uscc:
        return []
    rows = await pool.fetch(
        "SELECT case_stream, cleared_on, voided_on FROM case_outcomes"
        " WHERE uscc = $1 AND received_on <= $2 ORDER BY case_stream",
        uscc,
        decision.decided_on,
    )
    return [
        r["case_stream"]
        for r in rows
        if is_owing_on(
            decision.decided_on, cleared_on=r["cleared_on"], voided_on=r["voided_on"]
        )
    ]


TODAY = today()
CALENDAR: Fact[WorkingDays, Command, CreditContext] = fact("calendar", _calendar)
LIMITS: Fact[CreditLimits, Command, CreditContext] = fact("limits", _limits)
TIME_LIMITS = (TODAY, CALENDAR, LIMITS)
"""The facts of a step with a deadline: today, the working calendar, the limits."""

PERSON_KEY: Fact[str | None, OpenByHand, CreditContext] = fact(
    "person_key", _person_key
)
EMPLOYER_LISTING: Fact[Listing | None, DecideListing, object] = fact(
    "employer_listing", _employer_listing
)
HAS_NEW_ARREARS: Fact[bool, Command, object] = fact("has_new_arrears", _has_new_arrears)
PAYMENT_ON_RECORD: Fact[PaymentOnRecord, Command, object] = fact(
    "payment_on_record", _payment_on_record
)
DUTIES: Fact[tuple[SanctionDuty, ...], Command, CreditContext] = fact("duties", _duties)
