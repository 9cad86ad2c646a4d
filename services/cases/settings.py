"""Settings of the cases service."""

from __future__ import annotations

from pydantic import Field

from shared.settings import ServiceSettings


class CasesSettings(ServiceSettings):
    """`ServiceSettings` with cases' port, the members topic it follows and the watcher."""

    service: str = "cases"
    port: int = 8002
    members_service: str = "members"
    meetings_service: str = "meetings"
    deadline_watch_seconds: float = Field(default=30.0, gt=0)

    @property
    def members_topic(self) -> str:
        """The topic of the members service's events (the unit directory)."""
        return self.events_topic_of(self.members_service)

    @property
    def meetings_topic(self) -> str:
        """The meetings service's events (inspection findings of wage arrears)."""
        return self.events_topic_of(self.meetings_service)
