"""What the services `up` starts need to catch up from each other over HTTP when the
broker does not hold a topic's beginning: where each events topic's producer answers
(CATCH_UP_SOURCES), and a token to read it with (CATCH_UP_TOKEN_FILE), minted here
(`up` holds the platform's token key) and written again well before it expires."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from qingqian_local.supervisor.ports import Replica
from shared.auth import Scope, issue_token, service_account
from shared.settings import ServiceSettings

# The service account the services read each other's `/events` as.
READER = "catch-up"
# Written every hour, valid for three: a service that reads the file just before it is
# replaced still holds a token with two hours to run.
LIFETIME = timedelta(hours=3)
REFRESH_EVERY = 3600.0


def catch_up_sources(service: str, replicas: Iterable[Replica]) -> str:
    """CATCH_UP_SOURCES for `service`: every other service's events topic, with the
    URL of its first replica (any replica serves the whole log). A service's runners
    use the entries of the topics they follow and ignore the rest."""
    # The services read the same environment: the same topic namespace.
    namespace = ServiceSettings().topic_namespace
    sources = {
        f"{namespace}.{r.service}.events": f"http://127.0.0.1:{r.port}"
        for r in replicas
        if r.index == 1 and r.service != service
    }
    return json.dumps(sources)


@dataclass
class CatchUpToken:
    """The token file, and when this process last wrote it."""

    path: Path
    private_pem: str
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
        actor = service_account(READER, frozenset({Scope.EVENTS_READ}))
        token = issue_token(
            self.private_pem, actor, audience=settings.audience, ttl=lifetime
        )
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(token + "\n", encoding="utf-8")
        partial.chmod(0o600)
        os.replace(partial, self.path)
        self.written_at = now
