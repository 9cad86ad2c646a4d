"""A per-client allowance for endpoints anyone may call without a token: a token
bucket per client address, kept in the process (each replica counts its own)."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request

from shared.errors import TooManyRequests

# How many clients a limiter remembers; past it, the buckets that are full again are
# dropped (a full bucket is the same as none), and if none is, all of them.
_CLIENTS_KEPT = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucket:
    """`burst` requests at once, then `per_minute` a minute, for each client key."""

    def __init__(self, *, per_minute: float, burst: int) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("a rate limit needs per_minute > 0 and burst >= 1")
        self.rate = per_minute / 60.0
        self.burst = burst
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str, now: float) -> int:
        """Takes one request from the key's bucket: 0 when allowed, else the whole
        seconds until the next one is."""
        bucket = self._buckets.get(key)
        if bucket is None:
            self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(
            float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate
        )
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0
        return max(1, math.ceil((1.0 - bucket.tokens) / self.rate))

    def _forget_full(self, now: float) -> None:
        if len(self._buckets) < _CLIENTS_KEPT:
            return
        full = [
            k
            for k, b in self._buckets.items()
            if b.tokens + (now - b.updated) * self.rate >= self.burst
        ]
        for key in full or list(self._buckets):
            del self._buckets[key]


def rate_limited(state_name: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency taking one request from the `TokenBucket` the app factory put in
    `app.state.<state_name>`, by the client's address: 429 `too-many-requests` with
    `Retry-After` once it is spent. The address is the connection's: a proxy in front
    must pass the client's own (uvicorn's `--forwarded-allow-ips`)."""

    async def limit(request: Request) -> None:
        bucket = getattr(request.app.state, state_name)
        assert isinstance(bucket, TokenBucket)  # noqa: S101 - the factory put it there
        client = request.client.host if request.client else "unknown"
        wait = bucket.take(client, time.monotonic())
        if wait:
            raise TooManyRequests(retry_after=wait)

    return limit
