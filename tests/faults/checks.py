"""What must hold after any fault (issue 11): every acknowledged command's events are in
the store, in `GET /events` and in `qingqian export`, with equal counts; the read model
converges to what a rebuild gives. Each check returns the problems it found, so one
run reports all of them."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests.faults.load import PAYMENT, Load
from tests.faults.stack import OFFICE, ROOT
from tests.kafka_reader import read_topic

CASE_MODELS = "case_read_models"
_CONVERGE_SECONDS = 45.0


async def _store(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT event_id::text AS id, position, stream_id, version, command_id,"
        " event_type, actor, data->>'amount' AS amount FROM events ORDER BY txid, position"
    )


async def lost_acknowledgements(conn: asyncpg.Connection, load: Load) -> list[str]:
    """Acknowledged commands whose event is not in the store where the answer said."""
    rows = {
        (r["stream_id"], r["position"]): r["command_id"] for r in await _store(conn)
    }
    return [
        f"{a.kind} {a.command_id} acknowledged at {a.stream}@{a.position}, not in the store"
        for a in load.acks.values()
        if rows.get((a.stream, a.position)) != a.command_id
    ]


async def published_ids(url: str, headers: dict[str, str]) -> list[str]:
    """Every event id of `GET /events`, in published order (all pages)."""
    ids: list[str] = []
    after = 0
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        while True:
            answer = await client.get(
                "/events", params={"after_sequence": after, "limit": 1000}
            )
            answer.raise_for_status()
            page = answer.json()
            if not page:
                return ids
            ids += [e["id"] for e in page]
            after = page[-1]["sequence"]


def export_ids(server_url: str, folder: Path) -> tuple[list[str], str]:
    """`qingqian export --service cases`: the event ids in order, and what it said."""
    out = folder / "cases-export.ndjson"
    command = [
        "-m",
        "qingqian_local.cli",
        "export",
        "--service",
        "cases",
        "--output",
        str(out),
    ]
    done = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": server_url, "QINGQIAN_HOME": str(folder)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        return [], f"exit {done.returncode}: {done.stderr[-500:]}"
    lines = out.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["id"] for line in lines], done.stderr.strip()


async def log_problems(
    conn: asyncpg.Connection,
    load: Load,
    *,
    url: str,
    headers: dict[str, str],
    server_url: str,
    folder: Path,
) -> list[str]:
    """Store, `/events` and export hold the same events; nothing but acknowledged
    commands of ours was written; every command got a definite answer."""
    problems: list[str] = []
    store = await _store(conn)
    store_ids = [r["id"] for r in store]
    try:
        published = await published_ids(url, headers)
    except (httpx.HTTPError, ValueError) as exc:
        published = []
        problems.append(f"GET /events failed: {type(exc).__name__}: {exc}")
    if sorted(published) != sorted(store_ids):
        problems.append(
            f"GET /events has {len(published)} events ({len(set(published))} distinct),"
            f" the store {len(store_ids)}"
        )
    exported, said = await asyncio.to_thread(export_ids, server_url, folder)
    if exported != store_ids:
        problems.append(
            f"the export has {len(exported)} events, the store {len(store_ids)}"
            f" (in commit order: {exported == store_ids}); export said: {said}"
        )
    elif f"cases: {len(store_ids)} events" not in said:
        problems.append(f"the export's count is wrong: {said}")
    ours = {r["command_id"] for r in store if r["actor"] == OFFICE.person}
    phantom = ours - set(load.acks)
    if phantom:
        problems.append(f"{len(phantom)} commands in the store were never acknowledged")
    if load.unsettled:
        problems.append(f"{len(load.unsettled)} commands never got a definite answer")
    return problems


async def topic_messages(
    bootstrap: str, topic: str, conn: asyncpg.Connection
) -> tuple[list[dict[str, Any]], list[str]]:
    """The topic's messages once it holds every stored event (the relay published the
    whole log), and the problem if it does not."""
    store = {r["id"] for r in await _store(conn)}
    try:
        messages = await read_topic(
            bootstrap,
            topic,
            until=lambda ms: {m["id"] for m in ms} >= store,
            timeout=30,
        )
    except AssertionError as exc:
        return [], [f"the topic does not hold the whole log: {exc}"]
    return messages, []


async def _applied(conn: asyncpg.Connection) -> int:
    return int(
        await conn.fetchval(
            "SELECT coalesce(sum(applied_count), 0) FROM projection_progress"
            " WHERE projection = $1",
            CASE_MODELS,
        )
    )


async def _read_model(conn: asyncpg.Connection) -> list[str]:
    """The read model's rows as text, in a fixed order."""
    rows = await conn.fetch(
        "SELECT to_jsonb(s)::text AS row FROM case_summary s ORDER BY case_id"
    )
    payments = await conn.fetch(
        "SELECT to_jsonb(p)::text AS row FROM case_payments p ORDER BY case_id, version"
    )
    return [r["row"] for r in rows] + [r["row"] for r in payments]


async def _matches_store(conn: asyncpg.Connection) -> list[str]:
    """Where the read model differs from the store: a case's version, its payments."""
    rows = await conn.fetch(
        "SELECT e.stream_id, max(e.version) AS version,"
        " count(*) FILTER (WHERE e.event_type = 'PaymentRecorded'"
        "   OR (e.event_type = 'EnforcementOutcomeRecorded'"
        "   AND (e.data->>'amount_realised')::numeric > 0)) AS payments,"
        " coalesce(sum((e.data->>'amount')::numeric)"
        "   FILTER (WHERE e.event_type = 'PaymentRecorded'), 0)"
        " + coalesce(sum((e.data->>'amount_realised')::numeric)"
        "   FILTER (WHERE e.event_type = 'EnforcementOutcomeRecorded'), 0) AS paid,"
        " s.version AS model_version, s.amount_recovered,"
        " (SELECT count(*) FROM case_payments p"
        "   WHERE p.case_id = s.case_id) AS model_payments"
        " FROM events e LEFT JOIN case_summary s"
        "   ON s.case_id = substr(e.stream_id, 6)"
        " WHERE e.stream_id LIKE 'case-%'"
        " GROUP BY e.stream_id, s.version, s.amount_recovered, s.case_id"
        " ORDER BY e.stream_id"
    )
    differ = []
    for r in rows:
        if (r["model_version"], r["amount_recovered"], r["model_payments"]) != (
            r["version"],
            r["paid"],
            r["payments"],
        ):
            differ.append(
                f"{r['stream_id']}: store v{r['version']} paid {r['paid']} in"
                f" {r['payments']}; read model v{r['model_version']} recovered"
                f" {r['amount_recovered']} in {r['model_payments']}"
            )
    cases = await conn.fetchval("SELECT count(*) FROM case_summary")
    if cases != len(rows):
        differ.append(f"the read model has {cases} cases, the store {len(rows)}")
    return differ


async def converged(
    conn: asyncpg.Connection, *, timeout: float = _CONVERGE_SECONDS
) -> tuple[float | None, list[str]]:
    """Wait until the read model applied each stored event once and agrees with the
    store; the seconds it took (None if it did not), and what still differed."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while True:
        store = await conn.fetchval("SELECT count(*) FROM events")
        applied = await _applied(conn)
        differ = await _matches_store(conn)
        if applied == store and not differ:
            return loop.time() - start, []
        if loop.time() - start > timeout:
            return None, [
                f"the read model applied {applied} of {store} events",
                *differ[:5],
            ]
        await asyncio.sleep(0.5)


async def rebuild_problems(
    conn: asyncpg.Connection, *, url: str, headers: dict[str, str]
) -> list[str]:
    """The read model as it stands equals the one a rebuild makes from the log."""
    before = await _read_model(conn)
    totals_before = await _totals(url, headers)
    marker = await conn.fetchval("SELECT pg_current_xact_id()::text::bigint")
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10) as client:
        answer = await client.post(f"/operations/projections/{CASE_MODELS}/rebuild")
    if answer.status_code != 202:
        return [f"rebuild answered {answer.status_code}: {answer.text[:200]}"]
    loop = asyncio.get_running_loop()
    start = loop.time()
    # Rebuilt: every row written after the request, and the store applied again.
    while not await conn.fetchval(
        "SELECT count(*) > 0 AND bool_and(xmin::text::bigint > $1) FROM case_summary",
        marker,
    ) or (await _applied(conn)) != await conn.fetchval("SELECT count(*) FROM events"):
        if loop.time() - start > _CONVERGE_SECONDS:
            return [
                f"the rebuild accepted did not run or finish in {_CONVERGE_SECONDS:.0f} s"
            ]
        await asyncio.sleep(0.5)
    problems = []
    after = await _read_model(conn)
    if after != before:
        changed = len(set(after) ^ set(before))
        problems.append(f"the rebuilt read model differs in {changed} rows")
    if await _totals(url, headers) != totals_before:
        problems.append("GET /totals differs after the rebuild")
    return problems


async def _totals(url: str, headers: dict[str, str]) -> Any:
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10) as client:
        return (await client.get("/totals", params={"by": "month"})).json()


def acknowledged_payments(load: Load) -> dict[str, Decimal]:
    """What the acknowledged payments add up to, per case."""
    paid: dict[str, Decimal] = {}
    for ack in load.acks.values():
        if ack.kind == "payment":
            paid[ack.case_id] = paid.get(ack.case_id, Decimal(0)) + Decimal(PAYMENT)
    return paid
