"""Token files `up` keeps for its services: minted here (`up` holds the platform's
token key) and written again well before they expire, so a service that reads its file
at each request always holds a valid token. Two readers: the services' catch-up from
each other (CATCH_UP_TOKEN_FILE) and audit's reconciliation of their projections
(RECONCILE_TOKEN_FILE)."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from shared.auth import Actor, Scope, issue_token, service_account
from shared.domain import Role
from shared.settings import ServiceSettings

# The service account the services read each other's `/events` as.
CATCH_UP_READER = service_account("catch-up", frozenset({Scope.EVENTS_READ}))
# Audit reads each service's `/operations/projections` as an auditor: a read-only
# role, which runs no command anywhere.
RECONCILE_READER = Actor(person="audit", unit="audit", roles=frozenset({Role.AUDITOR}))
# Written every hour, valid for three: a service that reads the file just before it is
# replaced still holds a token with two hours to run.
LIFETIME = timedelta(hours=3)
REFRESH_EVERY = 3600.0


@dataclass
class TokenFile:
    """A token file for one reader, and when this process last wrote it."""

    path: Path
    private_pem: str
    actor: Actor
    written_at: float | None = None

    def refresh_if_due(self) -> None:
        """Write a fresh token if the one in the file is an hour old (or none yet);
        replaced in one step, so a service never reads half a token."""
        # The services accept what their settings accept: the same audience, and a
        # lifetime within their maximum (then written again at a third of it).
        settings = ServiceSettings()
        lifetime = min(LIFETIME, timedelta(hours=settings.token_max_lifetime_hours))
        every = min(REFRESH_EVERY, lifetime.total_seconds() / 3)
        now = time.monotonic()
        if self.written_at is not None and now - self.written_at < every:
            return
        token = issue_token(
            self.private_pem, self.actor, audience=settings.audience, ttl=lifetime
        )
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(token + "\n", encoding="utf-8")
        partial.chmod(0o600)
        os.replace(partial, self.path)
        self.written_at = now


def stack_token_files(data: Path, private_pem: str) -> dict[str, TokenFile]:
    """The token files `up` keeps in its data folder, by the setting naming them."""
    return {
        "CATCH_UP_TOKEN_FILE": TokenFile(
            data / "catch-up.token", private_pem, CATCH_UP_READER
        ),
        "RECONCILE_TOKEN_FILE": TokenFile(
            data / "reconcile.token", private_pem, RECONCILE_READER
        ),
    }


def refresh_all(tokens: Mapping[str, TokenFile]) -> None:
    """Each file written again if due (at start: written for the first time)."""
    for token in tokens.values():
        token.refresh_if_due()
