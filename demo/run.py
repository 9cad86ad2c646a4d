"""What every demo's run holds and reports, and the wait for a service to have read
what it needs from members before a run starts."""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from demo.api import DemoApi


@dataclass
class DemoRun:
    """What every demo's run holds: the client and the API over it, the seed its keys
    are made of, the tokens of those the office token does not stand for, and the steps
    it skipped or whose answer it did not expect."""

    client: httpx.AsyncClient
    seed: int
    unit_tokens: Mapping[str, str]
    skipped: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.api = DemoApi(self.client, self.unexpected)

    @property
    def last(self) -> str | None:
        """`stream@position` of the last successful write."""
        return self.api.last

    def bearer(self, who: str) -> dict[str, str] | None:
        """The Authorization header of `who`'s token; None when none was given."""
        token = self.unit_tokens.get(who)
        return None if token is None else {"Authorization": f"Bearer {token}"}

    def is_key_reused(self) -> bool:
        """Whether the last unexpected answer said its Idempotency-Key was used before
        (the seed's run was loaded earlier)."""
        return bool(self.unexpected) and "idempotency-key-reused" in self.unexpected[-1]


@dataclass(frozen=True, kw_only=True)
class RunSummary:
    """What a run reports besides its own counts: the seed, the steps it skipped, the
    answers it did not expect, or that the seed was loaded on an earlier day."""

    # How the line names the demo ("credit demo").
    demo: ClassVar[str]

    seed: int
    skipped: tuple[str, ...]
    unexpected: tuple[str, ...]
    is_loaded_earlier: bool = False

    def line(self) -> str:
        """One line for the terminal."""
        if self.is_loaded_earlier:
            return (
                f"{self.demo} (seed {self.seed}): already loaded on an earlier day;"
                " nothing written (pass --seed N for another set)"
            )
        return (
            f"{self.demo} (seed {self.seed}): {self.counts()}; {len(self.skipped)}"
            f" steps skipped, {len(self.unexpected)} unexpected answers"
        )

    @abstractmethod
    def counts(self) -> str:
        """What the run entered and where it stands, for the line."""


def tally(counts: Mapping[str, int]) -> str:
    """`a 1, b 2`: counts by name, in the names' order."""
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))


async def has_read(
    client: httpx.AsyncClient, projections: Collection[str], *, timeout: float
) -> bool:
    """Wait (up to `timeout` seconds) until the service has caught up each of its
    `projections` and applied something to it; False when time ran out first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        answer = await client.get("/operations/projections")
        if answer.is_success:
            read = _read(answer.json())
            if all(name in read for name in projections):
                return True
        await asyncio.sleep(0.5)
    return False


def _read(projections: Sequence[Mapping[str, Any]]) -> set[str]:
    return {
        p["name"]
        for p in projections
        if p["is_caught_up"] and any(s["applied_count"] > 0 for s in p["sources"])
    }
