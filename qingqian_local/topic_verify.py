"""`qingqian verify --from-kafka`, its judging half: a service's log checked from what
its topics hold alone, with pinned keys. Pure (no I/O): each event and seal is checked
by the very functions the audit service checks them with (`services.audit.checks`),
the tree by the kernel's (`shared.merkle`, `shared.tree_head`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from services.audit.checks import (
    Finding,
    FindingKind,
    StreamHead,
    check_event,
    check_seal,
)
from shared.anchors import parse_seal
from shared.envelope import Envelope
from shared.merkle import Frontier
from shared.topic_read import TopicMessage
from shared.tree_head import Seal, event_leaf
from shared.trust import Jwks
from shared.verify import Problem


@dataclass(frozen=True)
class PublishedLog:
    """What a service's topics held: events and seals as they arrived (each partition
    in offset order), and the messages that are neither."""

    events: Sequence[Envelope]
    seals: Sequence[Seal]
    unreadable: Sequence[Problem] = ()


class TopicReport(BaseModel):
    """What `verify --from-kafka` checked and what does not hold, first failure first."""

    intact: bool
    events_checked: int
    streams_checked: int
    seals_checked: int
    sealed_size: int
    unsealed: int
    problems: list[Problem]

    def summary(self) -> str:
        """One line for people."""
        if self.intact:
            return (
                f"intact: {self.events_checked} events in {self.streams_checked}"
                f" streams, {self.seals_checked} seals"
            )
        first = self.problems[0]
        if first.position is not None:
            at = f"position {first.position}"
        elif first.sequence is not None:
            at = f"sequence {first.sequence}"
        else:
            at = f"seal {first.seal}" if first.seal is not None else "the topic"
        return (
            f"BROKEN at {at}: {first.kind} ({first.detail});"
            f" {len(self.problems)} problem(s)"
        )


def parse_log(
    events: Iterable[TopicMessage], seals: Iterable[TopicMessage]
) -> PublishedLog:
    """The messages of a service's events and seals topics, parsed; a seal over a
    block (published before tree heads) is left out, as `verify` leaves it out."""
    parsed: list[Envelope] = []
    unreadable: list[Problem] = []
    for message in events:
        try:
            event = Envelope.model_validate_json(message.value or b"")
            event.event_type  # noqa: B018 - raises on a type not ours
        except (ValidationError, ValueError):
            unreadable.append(_unreadable(message, "not a Qingqian CloudEvent"))
            continue
        parsed.append(event)
    tree_heads = [parse_seal(m.value or b"") for m in seals]
    return PublishedLog(parsed, [s for s in tree_heads if s is not None], unreadable)


def verify_published(log: PublishedLog, trust: Jwks) -> TopicReport:
    """Each event's hash, each stream's chain, the published order contiguous from 1,
    each seal's hash, chain and signature by a key in `trust` without a gap, and its
    root recomputed over the events it covers. Events after the last seal are counted
    as unsealed: not a problem."""
    events, problems = _unique(log.events)
    problems += [_problem(f) for f in _streams(events)]
    order, gaps = _published_order(events)
    problems += gaps
    chain, seal_problems = _seal_chain(log.seals, trust)
    problems += seal_problems
    problems += _roots(chain.valid, order)
    problems += log.unreadable
    problems.sort(key=_first_broken)
    sealed = 0 if chain.head is None else chain.head.tree_size
    return TopicReport(
        intact=not problems,
        events_checked=len(events),
        streams_checked=len({e.subject for e in events}),
        seals_checked=chain.count,
        sealed_size=sealed,
        unsealed=max(0, len(order) - sealed),
        problems=problems,
    )


def _unique(events: Sequence[Envelope]) -> tuple[list[Envelope], list[Problem]]:
    """Each event once (delivery is at least once, and a relay publishes again after
    the broker lost its data); a different event at a position or a sequence already
    received is a conflict."""
    by_position: dict[int, Envelope] = {}
    by_sequence: dict[int, Envelope] = {}
    unique: list[Envelope] = []
    found: list[Problem] = []
    for event in events:
        first = by_position.setdefault(event.position, event)
        if first is event and event.sequence is not None:
            first = by_sequence.setdefault(event.sequence, event)
        if first is event:
            unique.append(event)
        elif first.hash != event.hash or first.position != event.position:
            found.append(
                _at(event, "conflicting-event", "another event was published here")
            )
    return unique, found


def _streams(events: Sequence[Envelope]) -> list[Finding]:
    """A stream's events share a partition, so they arrive in version order."""
    heads: dict[str, StreamHead] = {}
    found: list[Finding] = []
    for event in events:
        problems, head = check_event(event, heads.get(event.subject))
        found += problems
        if head is not None:
            heads[event.subject] = head
    return found


def _published_order(events: Sequence[Envelope]) -> tuple[list[str], list[Problem]]:
    """The event hashes in sequence order as far as it runs from 1 without a gap, and
    what breaks it: a sequence skipped, an event without one."""
    found = [
        _at(e, "unsequenced", "the event was published without a sequence number")
        for e in events
        if e.sequence is None
    ]
    numbered = sorted((e for e in events if e.sequence is not None), key=_sequence)
    order: list[str] = []
    expected = 1
    for event in numbered:
        if event.sequence != expected:
            found.append(
                _at(
                    event,
                    "sequence-gap",
                    f"sequences {expected}..{_sequence(event) - 1} are not on the"
                    f" topic before {event.sequence}",
                )
            )
        elif len(order) == expected - 1:
            order.append(event.hash)
        expected = _sequence(event) + 1
    return order, found


@dataclass(frozen=True)
class _SealChain:
    count: int
    valid: list[Seal]
    head: Seal | None


def _seal_chain(seals: Sequence[Seal], trust: Jwks) -> tuple[_SealChain, list[Problem]]:
    """Each distinct seal in the order published (the relay keys them all alike: one
    partition), checked as audit checks it."""
    seen: set[str] = set()
    valid: list[Seal] = []
    head: Seal | None = None
    found: list[Problem] = []
    for seal in seals:
        if seal.seal_hash in seen:
            continue
        seen.add(seal.seal_hash)
        others = [
            v
            for v in valid
            if v.seal_no == seal.seal_no or v.tree_size == seal.tree_size
        ]
        problems, new_head = check_seal(seal, head=head, others=others, trust=trust)
        start = 1 if head is None else head.tree_size + 1
        found += [_problem(f, sequence=start) for f in problems]
        if all(f.kind is not FindingKind.SEAL_INVALID for f in problems):
            valid.append(seal)
        head = new_head or head
    return _SealChain(len(seen), valid, head), found


def _roots(seals: Sequence[Seal], order: Sequence[str]) -> list[Problem]:
    """Each seal's root against the root of the published order up to its size."""
    wanted = {s.tree_size for s in seals}
    roots: dict[int, str] = {}
    frontier = Frontier()
    for event_hash in order:
        frontier.append(event_leaf(event_hash))
        if frontier.size in wanted:
            roots[frontier.size] = frontier.root().hex()
    found: list[Problem] = []
    for seal in seals:
        if seal.tree_size > len(order):
            found.append(
                Problem(
                    kind=FindingKind.MISSING.value,
                    position=None,
                    sequence=len(order) + 1,
                    seal=seal.seal_no,
                    detail=f"event {len(order) + 1} of the published order is not on"
                    f" the topic, and seal {seal.seal_no} covers up to {seal.tree_size}",
                )
            )
        elif roots[seal.tree_size] != seal.root_hash:
            found.append(
                Problem(
                    kind=FindingKind.SEAL_ROOT.value,
                    position=None,
                    sequence=_block_start(seal, seals),
                    seal=seal.seal_no,
                    detail=f"the root of events 1..{seal.tree_size} is not the seal's:"
                    " sealed events were altered, removed or reordered",
                )
            )
    return found


def _block_start(seal: Seal, seals: Sequence[Seal]) -> int:
    """The first sequence the seal covers that the seal before it did not."""
    before = [s.tree_size for s in seals if s.seal_no < seal.seal_no]
    return max(before, default=0) + 1


def _problem(finding: Finding, *, sequence: int | None = None) -> Problem:
    return Problem(
        kind=finding.kind.value,
        detail=finding.detail,
        position=finding.position,
        stream=finding.stream_id,
        version=finding.version,
        sequence=finding.sequence if finding.sequence is not None else sequence,
        seal=finding.seal_no,
    )


def _at(event: Envelope, kind: str, detail: str) -> Problem:
    return Problem(
        kind=kind,
        detail=detail,
        position=event.position,
        stream=event.subject,
        version=event.streamversion,
        sequence=event.sequence,
    )


def _unreadable(message: TopicMessage, why: str) -> Problem:
    return Problem(
        kind=FindingKind.UNREADABLE.value,
        position=None,
        detail=f"{why}: offset {message.offset} of partition {message.partition}",
    )


def _sequence(event: Envelope) -> int:
    return event.sequence or 0


def _first_broken(problem: Problem) -> tuple[bool, int, int]:
    return (problem.sequence is None, problem.sequence or 0, problem.seal or 0)
