"""Watching a service from outside during a fault: what `/readyz` said, and what the
pipeline really did (events in the store, published by the relay, applied by the read
model) — read from its database, not from the service's own word."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import asyncpg
import httpx

# A stage with work waiting that has not moved for this long is dead, whatever it says
# of itself: `/readyz` must not answer 200 then (issue 11, item 5). Longer than a loop's
# retry backoff cap, so a loop that retries and then works counts as working.
STALL_SECONDS = 12.0
# How long a service may take to notice that its database is gone.
NOTICE_SECONDS = 4.0

_PIPELINE = """
SELECT (SELECT count(*) FROM events) AS store,
       (SELECT coalesce(max(published_sequence), 0) FROM relay_state
         WHERE topic = $1) AS published,
       (SELECT coalesce(sum(applied_count), 0) FROM projection_progress
         WHERE projection = $2) AS applied
"""


@dataclass(frozen=True)
class ReadySample:
    """One `/readyz` answer and when it came (None: no answer)."""

    at: float
    label: str
    status: int | None


@dataclass(frozen=True)
class PipelineSample:
    """Events in the store, published, applied by the read model (None: no database)."""

    at: float
    counts: tuple[int, int, int] | None


@dataclass
class Window:
    """A span during which a dependency was away."""

    what: str
    start: float
    notice: float
    end: float | None = None


class Observer:
    """Samples `/readyz` of each process and the pipeline's counts twice a second."""

    def __init__(
        self,
        *,
        database_url: str,
        ready_urls: Mapping[str, str],
        topic: str,
        projection: str,
        interval: float = 0.5,
    ) -> None:
        self.database_url = database_url
        self.ready_urls = dict(ready_urls)
        self.topic = topic
        self.projection = projection
        self.interval = interval
        self.ready: list[ReadySample] = []
        self.pipeline: list[PipelineSample] = []
        self.outages: list[Window] = []
        self._task: asyncio.Task[None] | None = None
        self._conn: asyncpg.Connection | None = None

    def start(self) -> None:
        """Start sampling."""
        self._task = asyncio.create_task(self._run(), name="observer")

    async def stop(self) -> None:
        """Stop sampling."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._conn is not None:
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                await asyncio.wait_for(self._conn.close(), 2)

    def dependency_down(self, what: str, *, notice: float = NOTICE_SECONDS) -> None:
        """Mark the start of an outage of `what` (the database, the broker), which a
        service must have noticed `notice` seconds later."""
        self.outages.append(Window(what, time.monotonic(), notice))

    def dependency_back(self) -> None:
        """Mark the end of the outage begun last (call it before the repair: until
        the repair is done, the dependency is surely away)."""
        self.outages[-1].end = time.monotonic()

    async def _run(self) -> None:
        async with httpx.AsyncClient(timeout=3) as client:
            while True:
                started = time.monotonic()
                await asyncio.gather(
                    self._sample_pipeline(),
                    *(
                        self._sample_ready(client, k, u)
                        for k, u in self.ready_urls.items()
                    ),
                )
                await asyncio.sleep(
                    max(0.0, self.interval - (time.monotonic() - started))
                )

    async def _sample_ready(
        self, client: httpx.AsyncClient, label: str, url: str
    ) -> None:
        try:
            status: int | None = (await client.get(url + "/readyz")).status_code
        except httpx.TransportError:
            status = None
        # When it answered: what it said is true or not then.
        self.ready.append(ReadySample(time.monotonic(), label, status))

    async def _sample_pipeline(self) -> None:
        at = time.monotonic()
        try:
            if self._conn is None or self._conn.is_closed():
                self._conn = await asyncpg.connect(self.database_url, timeout=2)
            row = await self._conn.fetchrow(
                _PIPELINE, self.topic, self.projection, timeout=2
            )
            assert row is not None
            counts = (int(row["store"]), int(row["published"]), int(row["applied"]))
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            counts = None
            if self._conn is not None:
                self._conn.terminate()
                self._conn = None
        self.pipeline.append(PipelineSample(at, counts))

    # --- what the samples show ----------------------------------------------------

    def untruths(self, labels: set[str] | None = None) -> list[str]:
        """Each `/readyz` 200 given while a dependency was away (once noticed)
        or while the relay or the read model had been stalled for STALL_SECONDS."""
        found = []
        for sample in self.ready:
            if sample.status != 200 or (labels and sample.label not in labels):
                continue
            reason = self._outage_at(sample.at) or self._stall_at(sample.at)
            if reason:
                found.append(
                    f"{sample.label} ready at t={self._t(sample.at)}: {reason}"
                )
        return found

    def _outage_at(self, at: float) -> str | None:
        for window in self.outages:
            end = window.end if window.end is not None else float("inf")
            if window.start + window.notice <= at <= end:
                return f"{window.what} away since t={self._t(window.start)}"
        return None

    def _stall_at(self, at: float) -> str | None:
        # Stalled before the answer and still a second after it: a stage that resumes
        # the moment its dependency is back is not held against the answer.
        span = [s for s in self.pipeline if at - STALL_SECONDS <= s.at <= at + 1.0]
        # Only a span the samples cover, with the database answering throughout.
        if (
            len(span) < 3
            or span[0].at > at - STALL_SECONDS + 2 * self.interval
            or span[-1].at < at + 1.0 - 2 * self.interval
            or any(s.counts is None for s in span)
        ):
            return None
        stages: dict[str, Callable[[tuple[int, int, int]], tuple[int, int]]] = {
            "relay": lambda c: (c[0] - c[1], c[1]),
            "read model": lambda c: (c[0] - c[2], c[2]),
        }
        for stage, measure in stages.items():
            seen = [measure(s.counts) for s in span if s.counts is not None]
            if (
                all(backlog > 0 for backlog, _ in seen)
                and len({d for _, d in seen}) == 1
            ):
                return (
                    f"the {stage} stalled at {seen[-1][1]} with {seen[-1][0]} events"
                    f" waiting for {STALL_SECONDS:.0f} s"
                )
        return None

    def _t(self, at: float) -> str:
        first = min(
            [s.at for s in self.ready[:1]] + [s.at for s in self.pipeline[:1]] or [at]
        )
        return f"{at - first:.1f}s"

    def ready_summary(self, label: str) -> str:
        """How `/readyz` of one process answered, in runs: `200×10 503×4 none×3 200×8`."""
        runs: list[tuple[str, int]] = []
        for sample in self.ready:
            if sample.label != label:
                continue
            name = str(sample.status) if sample.status is not None else "none"
            if runs and runs[-1][0] == name:
                runs[-1] = (name, runs[-1][1] + 1)
            else:
                runs.append((name, 1))
        return " ".join(f"{name}×{count}" for name, count in runs)
