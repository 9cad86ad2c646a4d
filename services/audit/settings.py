"""Settings of the audit service."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from shared.settings import ServiceSettings
from shared.trust import Jwks, TrustFile

DEFAULT_SANCTION_DUTIES: dict[str, tuple[str, ...]] = {
    "construction_permit_and_bidding": ("jsj",),
    "market_access": ("jsj", "scjgj"),
    "project_approval_and_credit": ("fgj",),
    "procurement_and_funding": ("czj",),
    "land_supply": ("gtj",),
    "criminal_investigation": ("gafj",),
    "court_enforcement": ("fy",),
    "integrity_grading": ("rsj",),
    "honours_and_awards": ("*",),
}


class AuditSettings(ServiceSettings):
    """`ServiceSettings` with audit's port, the services it follows, where their keys
    come from and how long a hole in a sealed range may wait for its events."""

    service: str = "audit"
    port: int = 8005
    # Each followed service's `qingqian.<service>.events` and `.seals`.
    audited_services: tuple[str, ...] = ("members", "cases", "meetings", "credit")
    # Each service's base URL (`{"cases": "http://127.0.0.1:8002"}`): its
    # `/.well-known/jwks.json` is fetched at first use and pinned in audit's database.
    service_urls: dict[str, str] = Field(default_factory=dict)
    # Keys given outright (a trust file, `qingqian trust`): pinned instead of fetched.
    trust_file: Path | None = None
    pinned_keys: dict[str, Jwks] = Field(default_factory=dict)
    # A seal whose range still misses an event after this long is a finding: the
    # events of one seal come on several partitions, a moment apart.
    gap_grace_seconds: float = Field(default=30.0, gt=0)
    ingest_batch_size: int = Field(default=500, ge=1, le=10_000)
    verify_interval_seconds: float = Field(default=0.5, gt=0)
    # Reconciliation across services (docs/audit-api.md): how often it runs, and how
    # long a gap (or a projection's mismatch with its source) may last before it is
    # a finding: a process manager acts a moment after the event it follows.
    reconcile_interval_seconds: float = Field(default=5.0, gt=0)
    reconcile_grace_seconds: float = Field(default=300.0, gt=0)
    # A bearer token with the auditor role, read at each poll of the services'
    # `/operations/projections` (unset: projections are not reconciled).
    reconcile_token_file: Path | None = None
    # Sanction measure -> the codes of the units with that duty (`*`: every active
    # unit): credit's default mapping (rules.md §3.1.5); a district that replaces
    # credit's sets the same here.
    sanction_duties: dict[str, tuple[str, ...]] = Field(
        default_factory=lambda: dict(DEFAULT_SANCTION_DUTIES)
    )

    def topic(self, service: str, kind: str) -> str:
        """`<namespace>.<service>.events` or `.seals`."""
        return f"{self.topic_namespace}.{service}.{kind}"

    def configured_keys(self) -> dict[str, Jwks]:
        """The key sets given in configuration (file first, then `PINNED_KEYS`)."""
        given = {} if self.trust_file is None else TrustFile.load(self.trust_file).root
        return {**given, **self.pinned_keys}
