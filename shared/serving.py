"""`python -m services.<name>`: every service process starts the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import uvicorn
from fastapi import FastAPI

from shared.local import resolve_embedded
from shared.log import configure_logging
from shared.settings import ServiceSettings

T = TypeVar("T", bound=ServiceSettings)

# Longer than the 5 s clients such as httpx keep an idle connection: a server that
# closes first races a client reusing the connection, which shows as a read error.
KEEP_ALIVE_SECONDS = 75


def serve(settings_type: type[T], create_app: Callable[[T], FastAPI]) -> None:
    """Build settings once, fill in the embedded defaults, serve until stopped."""
    settings = resolve_embedded(settings_type())
    configure_logging(settings.log_level, service=settings.service)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        loop="uvloop",
        http="httptools",
    )
