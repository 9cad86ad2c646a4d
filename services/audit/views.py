"""What audit's API answers."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class FindingView(BaseModel):
    """One thing audit found does not hold in a followed service's published log."""

    finding_id: int
    service: str
    kind: str
    detail: str
    stream_id: str | None
    version: int | None
    position: int | None
    sequence: int | None
    seal_no: int | None
    key_id: str | None
    found_at: datetime


class TimelineEntryView(BaseModel):
    """One event of any service, as audit received it."""

    service: str
    position: int
    sequence: int | None
    stream_id: str
    version: int
    type: str
    actor: str
    unit: str
    correlation_id: str
    causation_id: str | None
    recorded_at: datetime
    business_date: date | None
    # Recorded more than BACKDATED_AFTER_DAYS after its business date in TIMEZONE (a
    # back-dated step): the rule the services' stores mark events with.
    is_backdated: bool
    # A seal audit checked against the events received covers this event.
    is_sealed: bool
    proof: str


class TimelineView(BaseModel):
    """A page of the timeline; `next` is the `after` of the next page."""

    entries: list[TimelineEntryView]
    next: str | None


class ServiceStatusView(BaseModel):
    """How far audit has received and verified one followed service."""

    service: str
    events: int
    verified_size: int
    seals_held: int
    seals_pending: int
    seals_failed: int
    findings: int


class ProofView(BaseModel):
    """An event as published, with a Merkle inclusion proof (RFC 9162) in the
    smallest seal audit holds that covers it, and that seal as published."""

    envelope: dict[str, object]
    seal: dict[str, object] | None
    leaf_index: int | None
    inclusion: list[str]


class WitnessView(BaseModel):
    """Audit's co-signature of a seal it holds: Ed25519 by the key audit publishes at
    `/.well-known/jwks.json` (`key_id`) over the bytes docs/audit.md describes."""

    service: str
    seal: dict[str, object]
    witnessed_at: datetime
    key_id: str
    signature: str
