"""`verify`: recompute every hash chain and seal, check every writer tag; report the
first broken position. The keys come from the caller (`trust`, pinned outside the
database): never from the database being checked."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import asyncpg
from pydantic import BaseModel

from shared.business_date import business_date
from shared.chain import GENESIS, event_hash
from shared.db import DbConnection
from shared.seal_check import check_anchors, check_chain, read_tree
from shared.store.tags import TagChecker
from shared.tree_head import Seal
from shared.trust import Jwks
from shared.witness import Witnessed, check_witnessed

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
        at = (
            f"position {self.first_broken_position}"
            if self.first_broken_position is not None
            else f"sequence {first.sequence}"
        )
        return (
            f"BROKEN at {at}: {first.kind}"
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


async def verify(
    pool: asyncpg.Pool,
    *,
    trust: Jwks,
    anchors: Sequence[Seal] = (),
    witnessed: Sequence[Witnessed] = (),
    witness_keys: Jwks | None = None,
) -> VerifyReport:
    """Recompute each stream's hash chain and check each event's writer tag, check the
    published order is contiguous and complete, check every seal's tree head, chain and
    signature with the pinned keys `trust`, and compare the database with `anchors`,
    the seals published outside it (`shared.anchors.seals_on_kafka`): a missing tail, a
    seal gone, a fork. An event in a seal that verifies needs no tag check of its own
    (the relay sealed it only after checking it; the seal's signature vouches for it):
    seals first. `witnessed` are seals a witness co-signed (checked with its pinned
    `witness_keys`): a database that no longer holds one went back, even where the
    topics went back with it."""
    findings = _Findings()
    held_against = _HeldAgainst(anchors, witnessed, witness_keys or Jwks())
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        seals = await _check_seals(conn, findings, trust=trust, against=held_against)
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
        " hash, tag, tag_kid, business_date, is_backdated, s.sequence FROM events e"
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
        misdated = _misdated(row)
        if misdated is not None:
            findings.add(Problem(kind="misdated", detail=misdated, **where))
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


def _misdated(row: asyncpg.Record) -> str | None:
    """What is wrong with the event's business-date mark, which the hash does not cover
    but its data (hashed) decides: None when it agrees, or the event predates it."""
    stored = row["business_date"]
    if stored is None:
        return "back-dated without a business date" if row["is_backdated"] else None
    if stored != business_date(row["data"]):
        return "the business date does not match the event's data"
    return None


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


@dataclass(frozen=True)
class _HeldAgainst:
    """What the database is held against, kept outside it."""

    anchors: Sequence[Seal]
    witnessed: Sequence[Witnessed]
    witness_keys: Jwks


async def _check_seals(
    conn: DbConnection, findings: _Findings, *, trust: Jwks, against: _HeldAgainst
) -> int:
    """Every stored seal recomputed from the published order and checked with the
    pinned keys, then the database against the anchors (seals published outside it)
    and the seals a witness co-signed."""
    anchors = against.anchors
    seals = [
        Seal.from_row(dict(row))
        for row in await conn.fetch("SELECT * FROM seals ORDER BY seal_no")
    ]
    cosigned = [w.seal for w in against.witnessed]
    sizes = {s.tree_size for s in (*seals, *anchors, *cosigned)}
    starts = {1} | {s.tree_size + 1 for s in seals}
    tree = await read_tree(conn, sizes, starts)
    chain = check_chain(seals, tree, trust)
    # The relay numbered these events only after checking their writer tags, and a
    # verified seal vouches for that: their tags need no check of their own.
    for first, last in chain.held:
        findings.vouch(first, last)
    for finding in (*chain.findings, *check_anchors(anchors, seals, tree, trust)):
        findings.add(Problem(**asdict(finding)))
    for witnessed in against.witnessed:
        for finding in check_witnessed(
            witnessed,
            witness_keys=against.witness_keys,
            seals=seals,
            tree=tree,
            trust=trust,
        ):
            findings.add(Problem(**asdict(finding)))
    return len(seals)
