"""Reads of the public profile's records: the list in force, one listing's records and
the feed of every record. A person's name is revealed here, at read time, so one that
was forgotten reads as null."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from services.credit.domain.subjects import SubjectKind
from services.credit.public_records import party_role_of
from services.credit.public_views import (
    PublicFeedView,
    PublicListingView,
    PublicListView,
    PublicRecordView,
)
from shared.errors import NotFound
from shared.personal_data import PersonalVault

# The legal representative's name on the employer's record comes from the listing of
# the legal representative under the same decision; the project name from the cases.
_SELECT = (
    "SELECT r.record_no, r.fields, r.sealed_name,"
    " (SELECT lr.sealed_name FROM public_records lr WHERE lr.employer_listing_id ="
    " r.listing_id AND lr.party_role = $1 AND lr.kind = 'publication'"
    " ORDER BY lr.record_no LIMIT 1) AS legal_rep_name,"
    " (SELECT string_agg(DISTINCT p.project_name, '；') FROM case_projects p"
    " WHERE p.case_id IN (SELECT jsonb_array_elements_text(r.fields->'case_ids')))"
    " AS project_name FROM public_records r"
)
_LEGAL_REP = party_role_of(SubjectKind.LEGAL_REPRESENTATIVE)


async def public_list(
    pool: asyncpg.Pool, vault: PersonalVault | None, *, now: datetime
) -> PublicListView:
    """The records in force: published, and not stopped by a newer record."""
    rows = await pool.fetch(
        _SELECT + " WHERE r.kind = 'publication' AND NOT EXISTS (SELECT 1 FROM"
        " public_records s WHERE s.listing_id = r.listing_id AND s.kind <> r.kind)"
        " ORDER BY r.record_no",
        _LEGAL_REP,
    )
    return PublicListView(records=await _records(rows, vault), exported_at=now)


async def public_listing(
    pool: asyncpg.Pool, vault: PersonalVault | None, listing_id: str, *, now: datetime
) -> PublicListingView:
    """One listing's records, oldest first; 404 for a listing never published."""
    rows = await pool.fetch(
        _SELECT + " WHERE r.listing_id = $2 ORDER BY r.record_no",
        _LEGAL_REP,
        listing_id,
    )
    if not rows:
        raise NotFound(f"listing {listing_id} has no public record")
    records = await _records(rows, vault)
    return PublicListingView(listing_id=listing_id, records=records, exported_at=now)


async def public_feed(
    pool: asyncpg.Pool,
    vault: PersonalVault | None,
    *,
    after: int,
    limit: int,
    now: datetime,
) -> PublicFeedView:
    """The records after the cursor in the order recorded, at most `limit`."""
    rows = await pool.fetch(
        _SELECT + " WHERE r.record_no > $2 ORDER BY r.record_no LIMIT $3",
        _LEGAL_REP,
        after,
        limit,
    )
    cursor = int(rows[-1]["record_no"]) if rows else after
    return PublicFeedView(
        cursor=cursor,
        is_snapshot=after == 0,
        records=await _records(rows, vault),
        exported_at=now,
    )


async def _records(
    rows: list[asyncpg.Record], vault: PersonalVault | None
) -> list[PublicRecordView]:
    names = await _reveal(vault, [r["sealed_name"] for r in rows])
    reps = await _reveal(vault, [r["legal_rep_name"] for r in rows])
    return [
        PublicRecordView.model_validate(
            _fields(r["fields"])
            | {"project_name": r["project_name"], "legal_rep_name": rep}
            | ({"subject_name": name} if r["sealed_name"] is not None else {})
        )
        for r, name, rep in zip(rows, names, reps, strict=True)
    ]


def _fields(stored: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in stored.items() if k != "case_ids"}


async def _reveal(
    vault: PersonalVault | None, sealed: list[dict[str, Any] | None]
) -> list[str | None]:
    """Each sealed name in clear text; null where there is none, no vault, or the
    person was forgotten."""
    present = [s for s in sealed if s is not None]
    if vault is None or not present:
        return [None] * len(sealed)
    revealed = iter(await vault.reveal_many(present))
    names: list[str | None] = []
    for item in sealed:
        value = None if item is None else next(revealed).get("value")
        names.append(value if isinstance(value, str) else None)
    return names
