"""Fault 5: two processes of the cases service on one database, the one whose relay
leads killed under load: each event applied once, one relay at a time, no lost update."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from qingqian_local.embedded import Tansu
from tests.faults.checks import acknowledged_payments, topic_messages
from tests.faults.scenario import FaultRun, start_all
from tests.faults.servers import OwnPostgres
from tests.faults.stack import fault_stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(300),
]

# The relay's leader lock (shared/relay/relay.py): an advisory lock on this key.
RELAY_LOCK = 7_346_002


async def _relay_leaders(conn: asyncpg.Connection) -> list[str]:
    """The application names of the connections holding the relay's lock."""
    rows = await conn.fetch(
        "SELECT a.application_name FROM pg_locks l"
        " JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.database = ("
        "   SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND ((l.classid::bigint << 32) | l.objid::bigint) = $1",
        RELAY_LOCK,
    )
    return [r["application_name"] for r in rows]


async def test_two_replicas_one_killed_apply_each_event_once(
    tmp_path: Path,
    own_postgres: OwnPostgres,
    broker: Tansu,
    figures: Callable[[str], None],
) -> None:
    async with fault_stack(
        tmp_path, server_url=own_postgres.url, bootstrap=broker.bootstrap
    ) as stack:
        # The application name tells the replicas' connections apart in PostgreSQL.
        replicas = {
            label: stack.add(
                "cases",
                label=label,
                database_url=stack.database_url("cases") + f"&application_name={label}",
            )
            for label in ("cases-a", "cases-b")
        }
        await start_all(stack.add("members"), *replicas.values())
        # Payments race on three cases from both replicas at once.
        run = FaultRun(
            "two replicas, the leader killed",
            stack,
            list(replicas.values()),
            shared_cases=3,
        )
        await run.begin()
        conn = await asyncpg.connect(stack.database_url("cases"))
        try:
            leaders = await _relay_leaders(conn)
            published_before_kill = await conn.fetchval(
                "SELECT coalesce(max(published_sequence), 0) FROM relay_state"
            )
            leader = replicas[leaders[0]] if len(leaders) == 1 else replicas["cases-a"]
            survivor = next(p for p in replicas.values() if p is not leader)
            leader.kill()
            run.repaired()  # nothing is repaired: the survivor carries on alone
            await run.recover()
            leaders_after = await _relay_leaders(conn)
            problems = await run.finish(url=survivor.url)
            messages, missing = await topic_messages(
                stack.bootstrap, f"{stack.namespace}.cases.events", conn
            )
            problems += missing
            recovered = {
                r["case_id"]: r["amount_recovered"]
                for r in await conn.fetch(
                    "SELECT case_id, amount_recovered FROM case_summary"
                )
            }
        finally:
            await conn.close()

    problems += _relay_problems(leaders, leaders_after, leader.label, survivor.label)
    problems += _twice_published(messages, published_before_kill)
    paid = acknowledged_payments(run.load)
    problems += [
        f"case {case}: acknowledged payments {paid.get(case, Decimal(0))}, read model {amount}"
        for case, amount in sorted(recovered.items())
        if amount != paid.get(case, Decimal(0))
    ]
    figures(
        run.figures()
        + f", relay leaders before/after the kill {leaders}/{leaders_after}"
    )
    assert not problems, "\n".join(problems[:20])


def _relay_problems(
    before: list[str], after: list[str], killed: str, survivor: str
) -> list[str]:
    problems = []
    if len(before) != 1:
        problems.append(
            f"the relay lock was held by {before} before the kill, not one replica"
        )
    elif before[0] != killed:
        problems.append(f"killed {killed}, but {before[0]} led the relay")
    if after != [survivor]:
        problems.append(
            f"after the kill the relay lock was held by {after}, not {survivor}"
        )
    return problems


def _twice_published(messages: list[dict[str, Any]], recorded: int) -> list[str]:
    """Events on the topic twice although the relay had recorded them as published
    before the kill: two relays published them."""
    seen: dict[str, int] = {}
    for message in messages:
        seen[message["id"]] = seen.get(message["id"], 0) + 1
    twice = {
        m["id"]
        for m in messages
        if seen[m["id"]] > 1 and m.get("sequence", 0) <= recorded
    }
    return (
        [f"{len(twice)} events published twice (up to sequence {recorded})"]
        if twice
        else []
    )
