"""A finding: audit found that something another service published does not hold.
Each is a stream of its own (`finding-<id>`), written once."""

from __future__ import annotations

from pydantic import BaseModel

from shared.domain import Aggregate, Event


class FindingRaised(Event):
    """Audit found that something another service published does not hold."""

    service: str
    kind: str
    detail: str
    stream_id: str | None = None
    version: int | None = None
    position: int | None = None
    sequence: int | None = None
    seal_no: int | None = None
    key_id: str | None = None


class Finding(BaseModel, frozen=True):
    """What a finding's stream says: which service and kind ("" before it is raised)."""

    service: str = ""
    kind: str = ""


def evolve(finding: Finding, event: FindingRaised) -> Finding:
    """A finding is raised once and never changes."""
    return Finding(service=event.service, kind=event.kind)


FINDING = Aggregate(
    category="finding", initial=Finding(), evolve=evolve, events=FindingRaised
)
