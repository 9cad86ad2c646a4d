"""What `up` tells audit about the services it follows: where each one answers
(SERVICE_URLS, for its key set), which ones (AUDITED_SERVICES) and their public keys,
pinned from the local keys folder rather than trusted at first fetch (PINNED_KEYS)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from qingqian_local.keys import LocalKeys
from qingqian_local.supervisor.ports import Replica

AUDIT = "audit"


def audit_env(replicas: Sequence[Replica], keys: LocalKeys) -> dict[str, str]:
    """Audit's settings for the services `up` runs beside it: each one's first
    replica (any replica serves the whole key set)."""
    followed = {
        r.service: f"http://127.0.0.1:{r.port}"
        for r in replicas
        if r.index == 1 and r.service != AUDIT
    }
    pinned = keys.trust(list(followed)).model_dump(mode="json")
    return {
        "SERVICE_URLS": json.dumps(followed),
        "AUDITED_SERVICES": json.dumps(list(followed)),
        "PINNED_KEYS": json.dumps(pinned),
    }
