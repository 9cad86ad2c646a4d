"""What the runner feeds: a read model or process manager and its topics."""

from __future__ import annotations

from typing import Protocol

from shared.db import DbConnection
from shared.envelope import Envelope


class Projection(Protocol):
    """A read model (or process manager) fed by one or more topics.

    A projection whose every effect goes through the given connection may say so with
    `is_transactional = True`: the runner then applies a batch under one savepoint and,
    should an event fail, rolls the batch back and applies it again event by event —
    calling `apply` a second time for the events before the failing one, whose first
    effects were rolled back. Such a projection may also define
    `async apply_batch(conn, events)`, which then gets each batch's new events at once
    (one statement for many rows, say); `apply` is still used when a batch fails. A
    process manager, which acts outside the transaction, leaves all this out and is
    called exactly once per event."""

    @property
    def name(self) -> str:
        """Unique per service: keys its offsets, dedupe rows and parked events."""

    @property
    def topics(self) -> tuple[str, ...]:
        """The topics it follows."""

    @property
    def tables(self) -> tuple[str, ...]:
        """Its read-model tables, emptied on rebuild."""

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Apply one event inside the runner's transaction."""
