"""`verify`: recompute every hash chain and seal, check every writer tag; report the
first broken position. The keys come from the caller (`trust`, pinned outside the
database): never from the database being checked."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import asyncpg
from pydantic import BaseModel

from shared.chain import (
    GENESIS,
    SignatureVerifier,
    block_hash,
    event_hash,
    seal_hash,
)
from shared.db import DbConnection
from shared.store.tags import TagChecker
from shared.trust import Jwks

_MAX_PROBLEMS = 100


class Problem(BaseModel):
    """One thing that does not verify."""

    kind: str
    position: int | None
    stream: str | None = None
    version: int | None = None
    sequence: int | None = None
    seal: int | None = None
    block_start: int | None = None
    detail: str


class VerifyReport(BaseModel):
    """What `verify` checked and the problems it found, first broken position first."""

    intact: bool
    events_checked: int
    streams_checked: int
    sequenced_checked: int
    seals_checked: int
    first_broken_position: int | None
    problems: list[Problem]

    def summary(self) -> str:
        """One line for people."""
        if self.intact:
            return (
                f"intact: {self.events_checked} events in {self.streams_checked} streams,"
                f" {self.sequenced_checked} in published order, {self.seals_checked} seals"
            )
        first = self.problems[0]
        return (
            f"BROKEN at position {self.first_broken_position}: {first.kind}"
            f" ({first.detail}); {len(self.problems)} problem(s)"
        )


@dataclass
class _Findings:
    problems: list[Problem] = field(default_factory=list)
    # Sequence ranges of seals whose block and signature verify, in order.
    vouched_firsts: list[int] = field(default_factory=list)
    vouched_lasts: list[int] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(problem)

    def vouch(self, first: int, last: int) -> None:
        """A seal signed with a trusted key covers this range, block hash intact."""
        self.vouched_firsts.append(first)
        self.vouched_lasts.append(last)

    def is_vouched(self, sequence: int | None) -> bool:
        """Whether a verified seal covers the sequence: the relay checked the event's
        writer tag before it numbered it, and the seal's signature says so."""
        if sequence is None:
            return False
        at = bisect.bisect_right(self.vouched_firsts, sequence) - 1
        return at >= 0 and sequence <= self.vouched_lasts[at]


async def verify(pool: asyncpg.Pool, *, trust: Jwks) -> VerifyReport:
    """Recompute each stream's hash chain and check each event's writer tag, check the
    published order is contiguous and complete, and check every seal's block hash,
    chain and signature — signatures only with the keys in `trust`. An event in a seal
    that verifies needs no tag check of its own (the relay sealed it only after checking
    it; the seal's signature vouches for it): seals first."""
    findings = _Findings()
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        seals = await _check_seals(conn, findings, trust)
        events, streams = await _check_streams(conn, findings, TagChecker(trust))
        sequenced = await _check_sequence(conn, findings)
    problems = sorted(
        findings.problems,
        key=lambda p: (p.position is None, p.position or 0, p.block_start or 0, p.kind),
    )
    first = next((p.position for p in problems if p.position is not None), None)
    if first is None and problems:
        first = problems[0].block_start
    return VerifyReport(
        intact=not problems,
        events_checked=events,
        streams_checked=streams,
        sequenced_checked=sequenced,
        seals_checked=seals,
        first_broken_position=first,
        problems=problems,
    )


async def _check_streams(
    conn: DbConnection, findings: _Findings, tags: TagChecker
) -> tuple[int, int]:
    stream: str | None = None
    expected_version = 1
    prevhash = GENESIS
    events = streams = 0
    async for row in conn.cursor(
        "SELECT e.position, event_id, stream_id, version, event_type, schema_version,"
        " data, actor, actor_unit, correlation_id, causation_id, recorded_at, prevhash,"
        " hash, tag, tag_kid, s.sequence FROM events e"
        " LEFT JOIN event_sequence s ON s.position = e.position"
        " ORDER BY stream_id, version",
        prefetch=2000,
    ):
        events += 1
        if row["stream_id"] != stream:
            stream, expected_version, prevhash = row["stream_id"], 1, GENESIS
            streams += 1
        where = {
            "position": row["position"],
            "stream": stream,
            "version": row["version"],
        }
        if row["version"] != expected_version:
            kind = "missing" if row["version"] > expected_version else "inserted"
            findings.add(
                Problem(
                    kind=kind,
                    detail=f"{stream} has version {row['version']} where"
                    f" {expected_version} was expected",
                    **where,
                )
            )
        if row["prevhash"] != prevhash:
            findings.add(
                Problem(
                    kind="chain-broken",
                    detail="prevhash does not match the previous event",
                    **where,
                )
            )
        recomputed = event_hash(
            event_id=str(row["event_id"]),
            stream_id=row["stream_id"],
            version=row["version"],
            event_type=row["event_type"],
            schema_version=row["schema_version"],
            recorded_at=row["recorded_at"],
            data=row["data"],
            actor=row["actor"],
            actor_unit=row["actor_unit"],
            correlation_id=row["correlation_id"],
            causation_id=row["causation_id"],
            prevhash=row["prevhash"],
        )
        if recomputed != row["hash"]:
            findings.add(
                Problem(
                    kind="altered",
                    detail="the event's content does not match its hash",
                    **where,
                )
            )
        unauthenticated = (
            None
            if findings.is_vouched(row["sequence"])
            else tags.problem(
                event_hash=row["hash"],
                tag=row["tag"],
                kid=row["tag_kid"],
                recorded_at=row["recorded_at"],
            )
        )
        if unauthenticated is not None:
            findings.add(
                Problem(kind="unauthenticated", detail=unauthenticated, **where)
            )
        expected_version = row["version"] + 1
        prevhash = row["hash"]
    return events, streams


async def _check_sequence(conn: DbConnection, findings: _Findings) -> int:
    expected = 1
    count = 0
    async for row in conn.cursor(
        "SELECT s.sequence, s.position, e.position IS NULL AS is_missing"
        " FROM event_sequence s LEFT JOIN events e ON e.position = s.position"
        " ORDER BY s.sequence",
        prefetch=5000,
    ):
        count += 1
        if row["sequence"] != expected:
            findings.add(
                Problem(
                    kind="sequence-gap",
                    position=row["position"],
                    sequence=row["sequence"],
                    detail=f"sequence {expected} is missing before {row['sequence']}",
                )
            )
        if row["is_missing"]:
            findings.add(
                Problem(
                    kind="missing",
                    position=row["position"],
                    sequence=row["sequence"],
                    detail=f"the event at position {row['position']} was deleted",
                )
            )
        expected = row["sequence"] + 1
    return count


async def _check_seals(conn: DbConnection, findings: _Findings, trust: Jwks) -> int:
    verifiers: dict[str, SignatureVerifier] = {k.kid: k.verifier() for k in trust.keys}
    prev = GENESIS
    next_sequence = 1
    count = 0
    for seal in await conn.fetch("SELECT * FROM seals ORDER BY seal_no"):
        count += 1
        rows = await conn.fetch(
            "SELECT s.sequence, s.position, e.hash FROM event_sequence s"
            " LEFT JOIN events e ON e.position = s.position"
            " WHERE s.sequence BETWEEN $1 AND $2 ORDER BY s.sequence",
            seal["first_sequence"],
            seal["last_sequence"],
        )
        # A block hash cannot say which event changed: point at a deleted one if any,
        # else leave the exact position to the stream check and give the block's start.
        deleted = [r["position"] for r in rows if r["hash"] is None]
        where = {
            "seal": seal["seal_no"],
            "sequence": seal["first_sequence"],
            "position": deleted[0] if deleted else None,
            "block_start": rows[0]["position"] if rows else None,
        }
        entries = [(r["sequence"], r["position"], r["hash"] or "") for r in rows]
        if (
            seal["first_sequence"] != next_sequence
            or len(entries) != seal["event_count"]
        ):
            findings.add(
                Problem(
                    kind="seal-range",
                    detail="the seal's range or count does not match the published order",
                    **where,
                )
            )
        is_block_intact = block_hash(entries) == seal["block_hash"]
        if not is_block_intact:
            findings.add(
                Problem(
                    kind="seal-block",
                    detail="events in the sealed block were altered, removed or reordered",
                    **where,
                )
            )
        recomputed = seal_hash(
            seal_no=seal["seal_no"],
            first_sequence=seal["first_sequence"],
            last_sequence=seal["last_sequence"],
            event_count=seal["event_count"],
            block=seal["block_hash"],
            prev_seal_hash=seal["prev_seal_hash"],
            sealed_at=seal["sealed_at"],
        )
        verifier = verifiers.get(seal["key_id"])
        is_signed = (
            recomputed == seal["seal_hash"]
            and verifier is not None
            and verifier.verify(seal["seal_hash"].encode(), seal["signature"])
        )
        if is_block_intact and is_signed:
            findings.vouch(seal["first_sequence"], seal["last_sequence"])
        if seal["prev_seal_hash"] != prev or not is_signed:
            findings.add(
                Problem(
                    kind="seal-invalid",
                    detail="the seal's hash, chain or signature does not verify",
                    **where,
                )
            )
        prev = seal["seal_hash"]
        next_sequence = seal["last_sequence"] + 1
    return count
