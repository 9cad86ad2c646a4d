"""What credit's fact providers read, kept in memory: the streams (as the event store
gives them back) and the cases credit heard of (`case_outcomes`, `employer_cases`).
The pool answers the few queries the payment and arrears facts ask, the way their SQL
does, so a provider's own choices (which listing, which USCC, which cases) are tested
without a database; the SQL itself is the integration tests' (credit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any, cast

import asyncpg

from services.credit.command_facts import CreditContext
from shared.command_table import Scope
from shared.domain import Command, Event
from shared.handling import CommandContext
from shared.store import EventStore


@dataclass(frozen=True)
class CaseOutcome:
    """One case of cases as credit keeps it (`case_outcomes`)."""

    case_id: str
    uscc: str
    received_on: date
    cleared_on: date | None = None
    voided_on: date | None = None

    @property
    def stream(self) -> str:
        return f"case-{self.case_id}"


@dataclass
class Outside:
    """The streams by id and the cases credit heard of."""

    streams: dict[str, Sequence[Event]] = field(default_factory=dict)
    cases: list[CaseOutcome] = field(default_factory=list)
    asked: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    async def load_latest(
        self, stream_id: str, fingerprint: str, *, conn: object = None
    ) -> tuple[None, list[SimpleNamespace]]:
        events = self.streams.get(stream_id, [])
        return None, [
            SimpleNamespace(
                event_type=e.event_type(),
                schema_version=e.schema_version,
                data_json=e.model_dump_json(),
                version=n,
                hash=f"h{n}",
            )
            for n, e in enumerate(events, start=1)
        ]

    async def fetchval(self, sql: str, *args: Any) -> Any:
        self.asked.append((sql, args))
        if "employer_cases" in sql:
            uscc, since = args
            return next(
                (
                    1
                    for c in self.cases
                    if c.uscc == uscc and c.received_on > since and not c.voided_on
                ),
                None,
            )
        if "bool_and" in sql:
            (streams,) = args
            weighed = [c for c in self.cases if c.stream in streams and not c.voided_on]
            if weighed and all(c.cleared_on for c in weighed):
                return max(cast(date, c.cleared_on) for c in weighed)
            return None
        raise AssertionError(f"unexpected query {sql}")

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        self.asked.append((sql, args))
        if "FROM case_outcomes WHERE uscc" in sql:
            uscc, by = args
            return [
                {"case_stream": c.stream, "cleared_on": c.cleared_on}
                | {"voided_on": c.voided_on}
                for c in sorted(self.cases, key=lambda c: c.stream)
                if c.uscc == uscc and c.received_on <= by
            ]
        raise AssertionError(f"unexpected query {sql}")

    def scope(self, entity_id: str, command: Command) -> Scope[Command, CreditContext]:
        """The scope a provider is run with for `command` on `entity_id`."""
        return Scope(
            store=cast(EventStore, self),
            pool=cast(asyncpg.Pool, self),
            ctx=cast(CommandContext, None),
            entity_id=entity_id,
            command=command,
            context=cast(CreditContext, None),
        )
