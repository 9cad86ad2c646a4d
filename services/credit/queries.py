"""Reads of the credit read models and, for one listing, of its stream."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from services.credit import profiles
from services.credit.command_facts import payment_on_record
from services.credit.command_table import CREDIT_COMMANDS
from services.credit.domain.aggregate import LISTING, allowed_steps
from services.credit.domain.listing import is_in_force
from services.credit.domain.subjects import EmployerSubject
from services.credit.views import (
    ChangeFeedView,
    CheckListingView,
    CheckView,
    ListingDetailView,
    ListingSummaryView,
    MeasureView,
    SanctionTaskView,
)
from shared.auth import Actor
from shared.domain import Role
from shared.envelope import envelope_of
from shared.errors import NotFound
from shared.handling import decode_all
from shared.personal_data import mask
from shared.store import EventStore

_IN_FORCE = ("listed", "published", "active")


def _summary(row: asyncpg.Record) -> ListingSummaryView:
    return ListingSummaryView(**{k: row[k] for k in ListingSummaryView.model_fields})


async def check(
    pool: asyncpg.Pool,
    *,
    uscc: str | None,
    person_key: str | None,
    query: str,
    today: date,
    visible: list[str] | None,
) -> CheckView:
    """Whether the employer (by USCC) or person (by lookup key) is listed today; the
    listings named are those in a `visible` status (all: None)."""
    rows = await pool.fetch(
        "SELECT l.*, coalesce(json_agg(json_build_object('measure', t.measure, 'unit_code', t.unit_code,"
        " 'unit_name', u.name_zh, 'status', t.status) ORDER BY t.task_id)"
        " FILTER (WHERE t.task_id IS NOT NULL), '[]') AS measures"
        " FROM listing_summary l LEFT JOIN sanction_tasks t ON t.listing_id = l.listing_id"
        " LEFT JOIN member_units u ON u.code = t.unit_code"
        " WHERE (($1::text IS NOT NULL AND l.uscc = $1) OR ($2::text IS NOT NULL AND l.person_key = $2))"
        " AND ($3::text[] IS NULL OR l.status = ANY($3::text[]))"
        " GROUP BY l.listing_id ORDER BY l.opened_on",
        uscc,
        person_key,
        visible,
    )
    listings = [
        CheckListingView(
            listing_id=r["listing_id"],
            status=r["status"],
            is_in_force=_in_force(r, today),
            since=r["decided_on"],
            until=r["ends_on"],
            measures=[MeasureView(**m) for m in r["measures"]],
        )
        for r in rows
    ]
    current = [r for r in rows if _in_force(r, today)]
    return CheckView(
        query=query,
        subject_kind=rows[0]["subject_kind"]
        if rows
        else ("employer" if uscc else "person"),
        name=next((r["employer_name"] for r in rows if r["employer_name"]), None),
        uscc=uscc,
        is_listed=bool(current),
        since=min((r["decided_on"] for r in current), default=None),
        until=max((r["ends_on"] for r in current), default=None),
        listings=listings,
    )


def _in_force(row: asyncpg.Record, today: date) -> bool:
    return bool(
        row["status"] in _IN_FORCE
        and row["ended_on"] is None
        and row["decided_on"] is not None
        and row["decided_on"] <= today < row["ends_on"]
    )


async def list_listings(
    pool: asyncpg.Pool,
    *,
    status: str | None,
    limit: int,
    offset: int,
    visible: list[str] | None,
) -> list[ListingSummaryView]:
    """Listings by state, newest first; only those in a `visible` status (all: None)."""
    rows = await pool.fetch(
        "SELECT * FROM listing_summary WHERE ($1::text IS NULL OR status = $1)"
        " AND ($4::text[] IS NULL OR status = ANY($4::text[]))"
        " ORDER BY opened_on DESC, listing_id LIMIT $2 OFFSET $3",
        status,
        limit,
        offset,
        visible,
    )
    return [_summary(r) for r in rows]


async def ending_soon(
    pool: asyncpg.Pool, *, today: date, days: int
) -> list[ListingSummaryView]:
    """Listings in force that end within `days` days."""
    rows = await pool.fetch(
        "SELECT * FROM listing_summary WHERE status = ANY($1::text[]) AND ended_on IS NULL"
        " AND ends_on > $2 AND ends_on <= $3 ORDER BY ends_on, listing_id",
        list(_IN_FORCE),
        today,
        today + timedelta(days=days),
    )
    return [_summary(r) for r in rows]


async def unit_tasks(pool: asyncpg.Pool, unit: str) -> list[SanctionTaskView]:
    """One unit's sanction tasks, those still to do first."""
    rows = await pool.fetch(
        "SELECT * FROM sanction_tasks WHERE unit_code = $1"
        " ORDER BY status IN ('applied', 'lifted'), due, listing_id",
        unit,
    )
    return [
        SanctionTaskView(**{k: r[k] for k in SanctionTaskView.model_fields})
        for r in rows
    ]


async def changes(
    pool: asyncpg.Pool, *, after: int, visible: list[str] | None
) -> ChangeFeedView:
    """`after=0`: every listing now and the cursor; else the listings changed since;
    only those in a `visible` status (all: None)."""
    cursor = int(
        await pool.fetchval("SELECT coalesce(max(change_no), 0) FROM listing_changes")
    )
    rows = await pool.fetch(
        "SELECT * FROM listing_summary WHERE ($3::text[] IS NULL OR status = ANY($3))"
        # $1 is a bigint cursor: `$1 = 0` alone would type it int4 (500 past 2^31).
        " AND ($1::bigint = 0 OR listing_id IN (SELECT listing_id FROM listing_changes"
        " WHERE change_no > $1::bigint AND change_no <= $2)) ORDER BY listing_id",
        after,
        cursor,
        visible,
    )
    return ChangeFeedView(
        cursor=cursor,
        is_snapshot=after == 0,
        listings=[_summary(r) for r in rows],
        generated_at=datetime.now(UTC),
    )


async def listing_detail(
    store: EventStore,
    pool: asyncpg.Pool,
    listing_id: str,
    *,
    actor: Actor,
    today: date,
    source: str,
    service: str,
) -> ListingDetailView:
    """A listing rebuilt from its stream; a person's name shows only to the office and
    auditors (and never the ID number), masked for everyone else. A service account
    gets a decided listing only (403 otherwise), from its decision on."""
    records = await store.history(LISTING.stream_id(listing_id))
    if not records:
        raise NotFound(f"listing {listing_id} does not exist")
    listing = LISTING.replay(decode_all(LISTING, records))
    profiles.require_visible(actor, listing_id, listing.status)
    state: dict[str, Any] = profiles.restricted_state(
        actor, listing.model_dump(mode="json")
    )
    subject = listing.subject
    if (
        subject is not None
        and not isinstance(subject, EmployerSubject)
        and store.vault is not None
    ):
        revealed = await store.vault.reveal(state["subject"])
        name = (revealed.get("name") or {}).get("value")
        may_see = actor.has_any(frozenset({Role.OFFICE, Role.AUDITOR}))
        state["subject"] = {
            "kind": revealed["kind"],
            "role_at_employer": revealed.get("role_at_employer"),
            "name": name if may_see else (mask(name) if name else None),
            "is_forgotten": bool((revealed.get("name") or {}).get("is_forgotten")),
        }
    return ListingDetailView(
        listing_id=listing_id,
        version=records[-1].version,
        status=listing.status.value,
        # The steps offered weigh the same cases the decide functions are given.
        allowed_next=CREDIT_COMMANDS.verbs(
            allowed_steps(listing, await payment_on_record(store, pool, listing))
        ),
        is_in_force=is_in_force(listing, today),
        state=state,
        history=[
            envelope_of(r, source=source, service=service)
            for r in profiles.restricted_history(actor, records)
        ],
    )
