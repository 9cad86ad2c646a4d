"""Each credit command with the outside facts its decide function asks for.

Routes, the watcher and the process managers run commands through `handle`."""

from __future__ import annotations

import hashlib
import hmac
from functools import partial
from typing import Any

import asyncpg

from services.credit.domain.aggregate import LISTING
from services.credit.domain.candidate import OpenCandidate, open_candidate
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
from services.credit.domain.publication import PublishListing, publish_listing
from services.credit.domain.sanctioning import (
    MarkSanctionOverdue,
    RecordSanctionApplied,
    RecordSanctionLifted,
    mark_sanction_overdue,
    record_sanction_applied,
    record_sanction_lifted,
)
from services.credit.domain.subjects import PersonDetails
from services.credit.rules import CreditRules
from shared.commands import (
    Decide,
    facts_for,
    value_fact,
    wanted_facts,
)
from shared.domain import Command
from shared.handling import CommandContext, execute, load
from shared.numbering import YearlyNumbers, execute_numbered
from shared.store import Appended, EventStore
from shared.unit_directory import unit_names

# Each command and the decide function named after it (STYLE.md §5).
DECIDE: dict[type[Command], Decide] = {
    OpenCandidate: open_candidate,
    ServeNotice: serve_notice,
    FileObjection: file_objection,
    ReviewObjection: review_objection,
    LapseObjectionPeriod: lapse_objection_period,
    DecideListing: decide_listing,
    DecideNotToList: decide_not_to_list,
    PublishListing: publish_listing,
    RecordSanctionApplied: record_sanction_applied,
    RecordSanctionLifted: record_sanction_lifted,
    MarkSanctionOverdue: mark_sanction_overdue,
    ExpireListing: expire_listing,
    ApplyForEarlyRemoval: apply_for_early_removal,
    DecideEarlyRemoval: decide_early_removal,
    RevokeListing: revoke_listing,
}
WANTS: dict[type[Command], frozenset[str]] = {
    c: wanted_facts(d) for c, d in DECIDE.items()
}


def person_key(secret: bytes, id_number: str) -> str:
    """The lookup key of a person: a keyed hash of their ID number, so the check API can
    find them without any table holding the number."""
    normalized = id_number.strip().upper()
    return hmac.new(secret, normalized.encode(), hashlib.sha256).hexdigest()[:32]


async def handle(
    store: EventStore,
    pool: asyncpg.Pool,
    rules: CreditRules,
    ctx: CommandContext,
    command: Command,
    listing_id: str,
) -> Appended:
    """Give the decide function the facts it names and run the command on the listing."""
    facts = await _facts(store, pool, rules, ctx, command, listing_id)
    decide = partial(DECIDE[type(command)], **facts)
    is_new = isinstance(command, OpenCandidate)
    missing = None if is_new else f"listing {listing_id} does not exist"
    return await execute(
        store, LISTING, listing_id, command, decide, ctx, not_found=missing
    )


async def _facts(
    store: EventStore,
    pool: asyncpg.Pool,
    rules: CreditRules,
    ctx: CommandContext,
    command: Command,
    listing_id: str,
) -> dict[str, Any]:
    async def units() -> object:
        return await unit_names(pool)

    async def new_arrears() -> object:
        return await has_new_arrears(store, pool, listing_id)

    async def employer_listing() -> object:
        named = getattr(command, "employer_listing_id", None)
        return None if named is None else (await load(store, LISTING, named))[0]

    return await facts_for(
        WANTS[type(command)],
        {
            "today": value_fact(ctx.today),
            "calendar": value_fact(rules.calendar),
            "limits": value_fact(rules.limits),
            "listing_id": value_fact(listing_id),
            "unit": value_fact(ctx.actor.unit),
            "duties": value_fact(rules.duties),
            "units": units,
            "has_new_arrears": new_arrears,
            "employer_listing": employer_listing,
        },
    )


async def has_new_arrears(
    store: EventStore, pool: asyncpg.Pool, listing_id: str
) -> bool:
    """Whether cases received a new case against the listed employer since the listing
    decision (from cases' events, kept in `employer_cases`)."""
    listing, _ = await load(store, LISTING, listing_id)
    subject = listing.subject
    uscc = getattr(subject, "uscc", None)
    if listing.decision is None or not uscc:
        return False
    found = await pool.fetchval(
        "SELECT 1 FROM employer_cases WHERE uscc = $1 AND received_on > $2 LIMIT 1",
        uscc,
        listing.decision.decided_on,
    )
    return found is not None


# Listings opened by hand, numbered per year without gaps: `m-2024-000007`.
LISTING_NUMBERS = YearlyNumbers(
    table="listing_numbers",
    entity_id=lambda year, number: f"m-{year}-{number:06d}",
)


async def open_by_hand(
    store: EventStore,
    pool: asyncpg.Pool,
    rules: CreditRules,
    ctx: CommandContext,
    command: OpenCandidate,
    secret: bytes,
) -> Appended:
    """Open a candidate under the next number of its year, a person's key derived from
    their ID number; a repeated Idempotency-Key returns the listing it opened the
    first time."""
    subject = command.subject
    if isinstance(subject, PersonDetails):
        keyed = subject.model_copy(
            update={"person_key": person_key(secret, subject.id_number)}
        )
        command = command.model_copy(update={"subject": keyed})
    facts = await _facts(store, pool, rules, ctx, command, "")

    def decide_for(listing_id: str) -> Decide:
        named = {"listing_id": listing_id} if "listing_id" in facts else {}
        return partial(DECIDE[OpenCandidate], **(facts | named))

    return await execute_numbered(
        store,
        LISTING,
        command,
        decide_for,
        ctx,
        numbers=LISTING_NUMBERS,
        year=command.opened_on.year,
    )
