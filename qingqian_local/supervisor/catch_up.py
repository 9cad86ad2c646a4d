"""What the services `up` starts need to catch up from each other over HTTP when the
broker does not hold a topic's beginning: where each events topic's producer answers
(CATCH_UP_SOURCES); the token to read it with is one of `token_files`."""

from __future__ import annotations

import json
from collections.abc import Iterable

from qingqian_local.supervisor.ports import Replica
from shared.settings import ServiceSettings


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
