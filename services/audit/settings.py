"""Settings of the audit service."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from shared.settings import ServiceSettings
from shared.trust import Jwks, TrustFile


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

    def topic(self, service: str, kind: str) -> str:
        """`<namespace>.<service>.events` or `.seals`."""
        return f"{self.topic_namespace}.{service}.{kind}"

    def configured_keys(self) -> dict[str, Jwks]:
        """The key sets given in configuration (file first, then `PINNED_KEYS`)."""
        given = {} if self.trust_file is None else TrustFile.load(self.trust_file).root
        return {**given, **self.pinned_keys}
