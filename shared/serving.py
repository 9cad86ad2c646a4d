"""`python -m services.<name>`: every service process starts the same way, and only
with what it needs named in its settings — never an embedded server of its own."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

from shared.log import configure_logging
from shared.settings import ServiceSettings

T = TypeVar("T", bound=ServiceSettings)

# Longer than the 5 s clients such as httpx keep an idle connection: a server that
# closes first races a client reusing the connection, which shows as a read error.
KEEP_ALIVE_SECONDS = 75

# The exit status of a service refused for its settings (as argparse's for bad usage).
EXIT_BAD_SETTINGS = 2

# Every setting a service cannot run without: a production container missing one must
# stop at once, not start an embedded server of its own. `qingqian up` (the local
# stack, qingqian_local/) passes each of them explicitly.
REQUIRED_SETTINGS = (
    "database_url",
    "kafka_bootstrap",
    "jwt_public_key",
    "seal_private_key",
    "personal_data_kek",
)


class SettingsRefused(Exception):
    """Settings a service may not start with; the message is one line for people."""


def missing_settings(settings: ServiceSettings) -> list[str]:
    """The environment names of the required settings that are unset."""
    return [
        name.upper() for name in REQUIRED_SETTINGS if getattr(settings, name) is None
    ]


def checked_settings(settings_type: type[T]) -> T:
    """The settings from the environment; `SettingsRefused` when one is malformed or a
    required one is missing (the message names it, never its value)."""
    try:
        settings = settings_type()
    except ValidationError as invalid:
        first = invalid.errors()[0]
        name = ".".join(str(part) for part in first["loc"]).upper()
        raise SettingsRefused(f"{name}: {first['msg']}") from None
    missing = missing_settings(settings)
    if missing:
        raise SettingsRefused(
            f"{', '.join(missing)} not set: a service starts only with its database,"
            " broker and keys named (run `qingqian up` for a local stack)"
        )
    return settings


def serve(settings_type: type[T], create_app: Callable[[T], FastAPI]) -> None:
    """Build settings once, refuse to start without what is required, serve until
    stopped."""
    try:
        settings = checked_settings(settings_type)
    except SettingsRefused as refused:
        sys.stderr.write(f"error: {refused}\n")
        raise SystemExit(EXIT_BAD_SETTINGS) from None
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
