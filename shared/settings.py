"""Settings every service reads from the environment, and the district's rules file."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.business_date import DEFAULT_BACKDATED_AFTER_DAYS
from shared.duties import DutyUnits
from shared.signatures import DEFAULT_SUITE, SignatureSuite
from shared.trust import Jwk


class ServiceSettings(BaseSettings):
    """What every service reads; a service process refuses to start while a required one
    is unset (shared/serving.py: the database, the broker, the keys)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    service: str = "service"
    database_url: str | None = None
    # The owner role's URL: migrations run with it, then the service serves with
    # `database_url`, whose role is granted the runtime privileges (docs/deployment.md).
    migration_database_url: str | None = None
    kafka_bootstrap: str | None = None
    district: str = "chengdong"
    timezone: str = "Asia/Shanghai"
    # A step recorded more than this many days (in `timezone`) after its business date
    # is marked back-dated in its event and in histories (issue #14).
    backdated_after_days: int = Field(
        default=DEFAULT_BACKDATED_AFTER_DAYS, ge=0, le=3660
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"
    jwt_public_key: SecretStr | None = None
    # The platform's token keys as a JWK set (`{"keys": [...]}`), for rotation: a token
    # names its key by `kid`; JWT_PUBLIC_KEY's key is always in the set.
    jwt_jwks: str | None = None
    # A token is refused when it lives longer than this (exp - iat), or has no exp.
    token_max_lifetime_hours: float = Field(default=12.0, gt=0, le=24 * 7)
    # The `aud` every token must name; unset: `qingqian-<district>`.
    token_audience: str | None = Field(default=None, min_length=1, max_length=200)
    seal_private_key: SecretStr | None = None
    # What seals, writer tags and (audit) co-signatures and bundles are signed with:
    # Ed25519, or SM2 with SM3 where a platform requires the national algorithms.
    signature_suite: SignatureSuite = DEFAULT_SUITE
    # Wraps the per-person data keys (base64 of 32 bytes; shared/key_wrapping.py);
    # after a rotation the former ones, comma-separated, until the start-up re-wrap.
    personal_data_kek: SecretStr | None = None
    personal_data_kek_retired: SecretStr | None = None
    # Public keys the service signed with before its current one (a JSON list of JWKs
    # with `nbf`/`exp`): still published, so what they signed still verifies.
    signing_keys_retired: tuple[Jwk, ...] = ()
    district_file: Path | None = None
    topic_namespace: str = Field(default="qingqian", pattern=r"^[a-z][a-z0-9-]*$")
    topic_partitions: int = Field(default=3, ge=1, le=64)
    seal_block_size: int = Field(default=1000, ge=1)
    seal_interval_seconds: float = Field(default=5.0, gt=0)
    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    is_relay_enabled: bool = True
    is_projections_enabled: bool = True
    # The relay's topics (docs/deployment.md): copies the broker keeps of each
    # partition, copies a write waits for (acks=all), and what the relay does with an
    # existing topic that does not keep the whole log (time or size limit, compaction,
    # fewer partitions or copies): log a warning, or refuse to publish to it.
    topic_replication_factor: int = Field(default=1, ge=1, le=16)
    topic_min_insync_replicas: int = Field(default=1, ge=1, le=16)
    topic_on_unsafe: Literal["warn", "refuse"] = "warn"
    # While the database is away a request waits at most this long for a connection
    # (connecting included), and any statement at most `db_statement_timeout_seconds`:
    # then it is answered 503, never left hanging.
    db_acquire_timeout_seconds: float = Field(default=5.0, gt=0)
    db_statement_timeout_seconds: float = Field(default=15.0, gt=0)
    # The Retry-After of a 503 while the database is away.
    retry_after_seconds: int = Field(default=5, ge=1)
    # The longest a request may take before its answer starts; unset: the pool's
    # acquire and statement timeouts and a second more. Past it: 503, not a hang.
    request_timeout_seconds: float | None = Field(default=None, gt=0)
    # `/readyz` answers 503 while the relay or a projection lags more events than this.
    ready_max_lag: int = Field(default=1000, ge=0)
    # A background loop that failed (relay, projection, watcher) is run again after
    # 0.5 s, then twice as long each time, up to this.
    loop_retry_max_seconds: float = Field(default=10.0, ge=0.5)
    # Topics another service produces, each with that service's base URL (JSON, e.g.
    # {"qingqian.members.events": "http://127.0.0.1:8001"}): when the broker does not
    # hold such a topic's beginning, projections read the start from the producer's
    # `GET /events` before the topic (docs/configuration.md).
    catch_up_sources: dict[str, str] = Field(default_factory=dict)
    # The bearer token (a service account with `events:read`) for those reads, read
    # again at each request so whoever issues it may replace the file at any time.
    catch_up_token_file: Path | None = None

    # Webhooks (docs/webhooks.md): whether this process delivers; whether a URL may
    # name a local host (loopback, link-local: tests, a one-host set-up); tries of one
    # event before its subscription is parked, waiting first, then twice as long each
    # time up to the cap; each POST's timeout (within the database's idle-transaction
    # limit: the subscription's row stays locked meanwhile); how often to look for
    # new events.
    is_webhooks_enabled: bool = True
    webhook_allow_local_targets: bool = False
    webhook_max_attempts: int = Field(default=8, ge=1, le=100)
    webhook_retry_first_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_max_seconds: float = Field(default=3600.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=20)
    webhook_poll_seconds: float = Field(default=1.0, gt=0, le=60)

    @property
    def request_deadline_seconds(self) -> float:
        """The longest a request may take before its answer starts."""
        if self.request_timeout_seconds is not None:
            return self.request_timeout_seconds
        return self.db_acquire_timeout_seconds + self.db_statement_timeout_seconds + 1

    @property
    def source(self) -> str:
        """The CloudEvents `source` of this service's events."""
        return f"/qingqian/{self.district}/{self.service}"

    @property
    def audience(self) -> str:
        """The `aud` a token must name to be accepted by this deployment."""
        return self.token_audience or f"qingqian-{self.district}"

    @property
    def events_topic(self) -> str:
        """The Kafka topic this service's relay publishes events to."""
        return self.events_topic_of(self.service)

    def events_topic_of(self, service: str) -> str:
        """The Kafka topic `service`'s relay publishes events to, in this namespace."""
        return f"{self.topic_namespace}.{service}.events"

    @property
    def seals_topic(self) -> str:
        """The Kafka topic this service's relay publishes seals to."""
        return f"{self.topic_namespace}.{self.service}.seals"


class CalendarYear(BaseModel):
    """A year `chinese-calendar` does not know yet: its holidays and make-up working days."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    holidays: tuple[date, ...] = ()
    workdays: tuple[date, ...] = ()


class PublishingBody(BaseModel):
    """Who the district's published records name (`[exchange]` in the district file,
    docs/credit-api.md "Public profile"): the deciding authority, the unit the data
    comes from, each with its unified social credit code, and the GB/T 2260 region
    code. A field left out is published as null, never guessed."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    region_code: str | None = Field(default=None, pattern=r"^[1-8][0-9]{5}$")
    authority_name: str | None = Field(default=None, min_length=1, max_length=200)
    authority_uscc: str | None = Field(
        default=None, pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$"
    )
    source_unit: str | None = Field(default=None, min_length=1, max_length=200)
    source_unit_uscc: str | None = Field(
        default=None, pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$"
    )


class DistrictSettings(BaseModel):
    """The district's rules file (`deploy/district.toml`): names, calendar additions, limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str = "chengdong"
    name_zh: str = "城东区"
    name_en: str = "Chengdong District"
    timezone: str = "Asia/Shanghai"
    calendar: dict[str, CalendarYear] = Field(default_factory=dict)
    limits: dict[str, dict[str, int | str]] = Field(default_factory=dict)
    exchange: PublishingBody = Field(default_factory=PublishingBody)
    duty_units: DutyUnits = Field(default_factory=DutyUnits)

    @classmethod
    def load(cls, path: Path) -> DistrictSettings:
        """Read and validate the TOML file; a bad value raises naming the field."""
        with path.open("rb") as f:
            return cls.model_validate(tomllib.load(f))


def load_district(settings: ServiceSettings) -> DistrictSettings:
    """The district file named by `DISTRICT_FILE`, validated (defaults when unset)."""
    if settings.district_file is None:
        return DistrictSettings()
    return DistrictSettings.load(settings.district_file)
