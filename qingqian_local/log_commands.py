"""`qingqian verify` and `qingqian export`: read each service's log from the local
stack's PostgreSQL (or DATABASE_URL's); on a home where `up` never ran they say so,
and never make a cluster to read an empty one."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import BinaryIO

from qingqian_local.console import DEFAULT_KAFKA_PORT, SERVICES, data_of, say
from qingqian_local.embedded import EmbeddedPostgres, with_database
from qingqian_local.keys import LocalKeys, NoData
from qingqian_local.witnessing import WITNESS, witness_token, witnessed_seal
from shared.settings import ServiceSettings
from shared.tree_head import Seal
from shared.trust import TrustFile
from shared.witness import Witnessed


class ExportIncomplete(RuntimeError):
    """An export that wrote fewer events than had committed before it began."""


def _require_cluster(data: Path) -> None:
    """`NoData` when there is no DATABASE_URL and `up` never made a cluster here: the
    embedded server would run initdb on the empty folder, to read nothing."""
    if (
        not os.environ.get("DATABASE_URL")
        and not (data / "pgdata" / "PG_VERSION").is_file()
    ):
        raise NoData(data)


def _server_url(data: Path, started: list[object]) -> str:
    """DATABASE_URL, else the local stack's cluster (started for this command)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    server = EmbeddedPostgres(data / "pgdata")
    started.append(server)
    return server.url


def _local_trust(data: Path) -> TrustFile:
    """Without `--trust`: the local stack's keys (kept in the data folder, outside the
    databases checked)."""
    say(f"trusting the local keys in {data / 'keys'} (pin others with --trust)")
    return LocalKeys(data / "keys").trust(list(SERVICES))


def verify_command(args: argparse.Namespace) -> int:
    """Verify each service's log: hash chains, writer tags, published order, seals,
    with keys pinned outside the database (never the keys the database holds); with
    --from-kafka, from its topics alone, without reading any database."""
    from shared.db import create_pool
    from shared.verify import verify

    data = data_of(args)
    try:
        pinned = TrustFile.load(Path(args.trust)) if args.trust else None
    except (OSError, ValueError) as exc:
        say(f"cannot read the trust file: {exc}")
        return 2
    names = [args.service] if args.service else list(SERVICES)
    if args.from_kafka:
        from qingqian_local.kafka_verify import Topics, report_from_kafka

        if pinned is None and not (data / "keys").is_dir():
            raise NoData(data)
        trusted = pinned or _local_trust(data)
        topics = Topics(_bootstrap(args), args.topic_namespace)
        keys = {name: trusted.for_service(name) for name in names}
        return report_from_kafka(topics, names, keys, as_json=args.json)
    _require_cluster(data)
    trust = pinned or _local_trust(data)
    servers: list[object] = []
    server_url = _server_url(data, servers)

    async def run() -> bool:
        intact = True
        for name in names:
            anchors = await _anchors(args, name)
            witnessed = await _witnessed(args, data, name)
            pool = await create_pool(
                with_database(server_url, f"qingqian_{name}"), min_size=1, max_size=2
            )
            try:
                report = await verify(
                    pool,
                    trust=trust.for_service(name),
                    anchors=anchors,
                    witnessed=witnessed,
                    witness_keys=trust.for_service(WITNESS),
                )
            finally:
                await pool.close()
            say(f"{name}: {report.summary()}")
            if args.json:
                say(report.model_dump_json(indent=2))
            for problem in report.problems[:10]:
                say(
                    f"  - position {problem.position}: {problem.kind} — {problem.detail}"
                )
            intact = intact and report.intact
        return intact

    try:
        return 0 if asyncio.run(run()) else 1
    finally:
        for server in servers:
            assert isinstance(server, EmbeddedPostgres)  # noqa: S101 - only kind kept
            server.stop()


def _bootstrap(args: argparse.Namespace) -> str:
    """--kafka, else KAFKA_BOOTSTRAP, else the local broker."""
    return (
        args.kafka
        or os.environ.get("KAFKA_BOOTSTRAP")
        or f"127.0.0.1:{DEFAULT_KAFKA_PORT}"
    )


async def _anchors(args: argparse.Namespace, service: str) -> list[Seal]:
    """The seals the service published on Kafka (--kafka, else KAFKA_BOOTSTRAP, else
    the local broker), to hold its database against; none, said so, without a broker."""
    from shared.anchors import published_anchors

    bootstrap = _bootstrap(args)
    topic = f"{args.topic_namespace}.{service}.seals"
    anchors, why_not = await published_anchors(bootstrap, topic, timeout_seconds=5)
    say(
        f"{service}: {len(anchors)} seals on {topic}"
        if why_not is None
        else f"{service}: {why_not}: checking the database by itself"
    )
    return anchors


async def _witnessed(
    args: argparse.Namespace, data: Path, service: str
) -> list[Witnessed]:
    """The witness's co-signature of the service's latest seal (--witness, else the
    local audit service); none, said so, when it has none or does not answer."""
    if service == WITNESS or args.witness == "none":
        return []
    url = args.witness or f"http://127.0.0.1:{SERVICES[WITNESS]}"
    witnessed, said = await witnessed_seal(url, service, witness_token(data))
    say(f"{service}: {said}")
    return [] if witnessed is None else [witnessed]


def export_command(args: argparse.Namespace) -> int:
    """Write a service's whole log in commit order, one CloudEvents envelope per line
    (NDJSON, as PostgreSQL builds it), to a file or standard output."""
    from shared.db import create_pool
    from shared.log_json import committed_count, log_pages

    data = data_of(args)
    _require_cluster(data)
    servers: list[object] = []
    server_url = _server_url(data, servers)
    source = ServiceSettings(service=args.service).source

    async def run(out: BinaryIO) -> int:
        pool = await create_pool(
            with_database(server_url, f"qingqian_{args.service}"),
            min_size=1,
            max_size=2,
        )
        count = 0
        try:
            committed = await committed_count(pool)
            async for lines in log_pages(pool, source=source, service=args.service):
                out.write(lines)
                count += lines.count(b"\n")
        finally:
            await pool.close()
        if count < committed:
            # Never a count printed over a short export with exit status 0.
            raise ExportIncomplete(
                f"{args.service}: {count} events exported, but {committed} had"
                " committed when the export began"
            )
        return count

    try:
        if args.output == "-":
            count = asyncio.run(run(sys.stdout.buffer))
            sys.stdout.flush()
        else:
            with Path(args.output).open("wb") as out:
                count = asyncio.run(run(out))
        # The count goes to standard error: standard output may be the export itself.
        sys.stderr.write(f"{args.service}: {count} events\n")
        return 0
    except ExportIncomplete as short:
        sys.stderr.write(f"error: {short}\n")
        return 1
    finally:
        for server in servers:
            assert isinstance(server, EmbeddedPostgres)  # noqa: S101 - only kind kept
            server.stop()
