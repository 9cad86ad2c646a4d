"""Settings of the members service."""

from __future__ import annotations

from shared.settings import ServiceSettings


class MembersSettings(ServiceSettings):
    """`ServiceSettings` with members' port and the seed switch (`IS_SEED_LOADED`)."""

    service: str = "members"
    port: int = 8001
    is_seed_loaded: bool = True
