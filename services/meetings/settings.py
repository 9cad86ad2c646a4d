"""Settings of the meetings service."""

from __future__ import annotations

from pydantic import Field

from shared.settings import ServiceSettings


class MeetingsSettings(ServiceSettings):
    """`ServiceSettings` with meetings' port, the topics it follows and its watcher."""

    service: str = "meetings"
    port: int = 8003
    members_service: str = "members"
    cases_service: str = "cases"
    deadline_watch_seconds: float = Field(default=30.0, gt=0)

    @property
    def members_topic(self) -> str:
        """The members service's events (units, people and their roles)."""
        return self.events_topic_of(self.members_service)

    @property
    def cases_topic(self) -> str:
        """The cases service's events (which case each inspection finding became)."""
        return self.events_topic_of(self.cases_service)
