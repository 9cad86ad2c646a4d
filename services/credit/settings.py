"""Settings of the credit service."""

from __future__ import annotations

from pydantic import Field, SecretStr

from shared.settings import ServiceSettings


class CreditSettings(ServiceSettings):
    """`ServiceSettings` with credit's port, the topics it follows and its watcher."""

    service: str = "credit"
    port: int = 8004
    members_service: str = "members"
    cases_service: str = "cases"
    deadline_watch_seconds: float = Field(default=30.0, gt=0)
    # Keys persons are looked up by (a keyed hash of the ID number); `PERSON_KEY_SECRET`.
    person_key_secret: SecretStr | None = None
    # The public profile's allowance per client address: `PUBLIC_BURST` requests at
    # once, then `PUBLIC_REQUESTS_PER_MINUTE` (429 with Retry-After past it).
    public_requests_per_minute: float = Field(default=60.0, gt=0)
    public_burst: int = Field(default=30, ge=1, le=10_000)

    @property
    def members_topic(self) -> str:
        """The members service's events (the unit directory)."""
        return self.events_topic_of(self.members_service)

    @property
    def cases_topic(self) -> str:
        """The cases service's events (recommendations and new arrears)."""
        return self.events_topic_of(self.cases_service)
