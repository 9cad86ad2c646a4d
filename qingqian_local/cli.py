"""`qingqian`: start the local stack, issue tokens, verify and export the log, load
demo cases."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from qingqian_local.embedded import EmbeddedPostgres
from qingqian_local.keys import LocalKeys, home
from qingqian_local.supervisor.ports import parse_replicas
from qingqian_local.supervisor.restarts import RestartPolicy
from qingqian_local.supervisor.stack import StackOptions, run_up
from shared.auth import Actor, Scope, issue_token, service_account
from shared.domain import INTERNAL_ROLES, ROSTER_ROLES, Role
from shared.settings import ServiceSettings
from shared.tree_head import Seal
from shared.trust import TrustFile

# The services `up` starts, with their local default ports (DESIGN.md §3).
SERVICES: dict[str, int] = {
    "members": 8001,
    "cases": 8002,
    "meetings": 8003,
    "credit": 8004,
}
DEFAULT_KAFKA_PORT = 9092
# The units whose own progress reports the demo enters (the office's unit, rsj, needs
# no token of its own).
DEMO_UNITS = ("jsj", "gafj", "xfj", "sfj", "fy", "yjkz", "sq-linjiaya")
# The services whose demo `demo` enters, in order; cases also receives the meetings
# demo's inspection finding.
DEMO_SERVICES = ("cases", "meetings", "credit")
# The convener of the seed roster (services/members/seed_roster_2017.json): he approves
# special meetings and minutes in the meetings demo. His token names only him and his
# unit: meetings reads his being convener from the roster.
DEMO_CONVENER = Actor(person="2017-01", unit="qzf", roles=frozenset())
# The office token `up` prints lives as long as any token may (TOKEN_MAX_LIFETIME_HOURS,
# 12 h by default); after that, `qingqian token` issues a new one.
OFFICE_TOKEN_LIFETIME = timedelta(hours=12)


class ExportIncomplete(RuntimeError):
    """An export that wrote fewer events than had committed before it began."""


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _server_url(data: Path, started: list[object]) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    server = EmbeddedPostgres(data / "pgdata")
    started.append(server)
    return server.url


def _local_token(keys: LocalKeys, actor: Actor, ttl: timedelta) -> str:
    # The services `up` starts read the same environment: same audience, same maximum.
    settings = ServiceSettings()
    most = timedelta(hours=settings.token_max_lifetime_hours)
    return issue_token(
        keys.jwt_private(), actor, audience=settings.audience, ttl=min(ttl, most)
    )


def _office_token(keys: LocalKeys) -> str:
    actor = Actor(person="office", unit="rsj", roles=frozenset({Role.OFFICE}))
    return _local_token(keys, actor, OFFICE_TOKEN_LIFETIME)


def _unit_token(keys: LocalKeys, unit: str) -> str:
    actor = Actor(person=f"{unit}-demo", unit=unit, roles=frozenset({Role.UNIT_STAFF}))
    return _local_token(keys, actor, timedelta(hours=1))


def _convener_token(keys: LocalKeys) -> str:
    return _local_token(keys, DEMO_CONVENER, timedelta(hours=1))


def up(args: argparse.Namespace) -> int:
    """Start PostgreSQL, the broker and every service; restart what crashes; stop them
    all on Ctrl-C/SIGTERM or when one crashes too often (qingqian_local/supervisor)."""
    data = Path(args.home).resolve() if args.home else home()
    data.mkdir(parents=True, exist_ok=True)
    try:
        options = StackOptions(
            data=data,
            ports={name: port + args.port_offset for name, port in SERVICES.items()},
            kafka_port=args.kafka_port,
            timeout=args.timeout,
            replicas=parse_replicas(args.replicas, SERVICES),
            policy=RestartPolicy(
                max_crashes=args.max_crashes, window=args.crash_window
            ),
        )
    except ValueError as exc:
        _say(f"error: {exc}")
        return 2
    token = _office_token(LocalKeys(data / "keys"))
    return run_up(options, office_token=token, say=_say)


def _token_actor(args: argparse.Namespace) -> Actor:
    """The person or service account the token names; ValueError for a bad request."""
    if args.service_account:
        scopes = frozenset(
            Scope(s.strip()) for s in args.scopes.split(",") if s.strip()
        )
        if not scopes:
            raise ValueError("a service account's token needs --scopes")
        return service_account(args.service_account, scopes)
    if not (args.person and args.unit) or args.scopes:
        raise ValueError("a person's token needs --person and --unit, and no --scopes")
    roles = frozenset(Role(r.strip()) for r in args.roles.split(",") if r.strip())
    if roles & (ROSTER_ROLES | INTERNAL_ROLES):
        raise ValueError(
            "convener and deputy_convener come from the members roster on the day,"
            " and system is the service's own: no token carries them"
        )
    return Actor(person=args.person, unit=args.unit, roles=roles)


def token(args: argparse.Namespace) -> int:
    """Print a bearer token for a person (unit, roles) or a service account (scopes),
    for this deployment's audience, valid at most TOKEN_MAX_LIFETIME_HOURS."""
    data = Path(args.home).resolve() if args.home else home()
    settings = ServiceSettings()
    try:
        actor = _token_actor(args)
    except ValueError as exc:
        _say(f"error: {exc}")
        return 2
    if not 0 < args.ttl_hours <= settings.token_max_lifetime_hours:
        _say(
            f"error: --ttl-hours must be over 0 and at most"
            f" {settings.token_max_lifetime_hours:g} (TOKEN_MAX_LIFETIME_HOURS)"
        )
        return 2
    private = (
        os.environ.get("JWT_PRIVATE_KEY") or LocalKeys(data / "keys").jwt_private()
    )
    ttl = timedelta(hours=args.ttl_hours)
    _say(issue_token(private, actor, audience=settings.audience, ttl=ttl))
    return 0


def _trust(args: argparse.Namespace, data: Path) -> TrustFile:
    """The pinned keys: the trust file given, else the local stack's keys (kept in the
    data folder, outside the databases checked)."""
    if args.trust:
        return TrustFile.load(Path(args.trust))
    _say(f"trusting the local keys in {data / 'keys'} (pin others with --trust)")
    return LocalKeys(data / "keys").trust(list(SERVICES))


def verify_command(args: argparse.Namespace) -> int:
    """Verify each service's log: hash chains, writer tags, published order, seals,
    with keys pinned outside the database (never the keys the database holds)."""
    from qingqian_local.embedded import with_database
    from shared.db import create_pool
    from shared.verify import verify

    data = Path(args.home).resolve() if args.home else home()
    try:
        trust = _trust(args, data)
    except (OSError, ValueError) as exc:
        _say(f"cannot read the trust file: {exc}")
        return 2
    servers: list[object] = []
    server_url = _server_url(data, servers)
    names = [args.service] if args.service else list(SERVICES)

    async def run() -> bool:
        intact = True
        for name in names:
            anchors = await _anchors(args, name)
            pool = await create_pool(
                with_database(server_url, f"qingqian_{name}"), min_size=1, max_size=2
            )
            try:
                report = await verify(
                    pool, trust=trust.for_service(name), anchors=anchors
                )
            finally:
                await pool.close()
            _say(f"{name}: {report.summary()}")
            if args.json:
                _say(report.model_dump_json(indent=2))
            for problem in report.problems[:10]:
                _say(
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


async def _anchors(args: argparse.Namespace, service: str) -> list[Seal]:
    """The seals the service published on Kafka (--kafka, else KAFKA_BOOTSTRAP, else
    the local broker), to hold its database against; none, said so, without a broker."""
    from shared.anchors import published_anchors

    bootstrap = (
        args.kafka
        or os.environ.get("KAFKA_BOOTSTRAP")
        or f"127.0.0.1:{DEFAULT_KAFKA_PORT}"
    )
    topic = f"{args.topic_namespace}.{service}.seals"
    anchors, why_not = await published_anchors(bootstrap, topic, timeout_seconds=5)
    _say(
        f"{service}: {len(anchors)} seals on {topic}"
        if why_not is None
        else f"{service}: {why_not}: checking the database by itself"
    )
    return anchors


def export_command(args: argparse.Namespace) -> int:
    """Write a service's whole log in commit order, one CloudEvents envelope per line
    (NDJSON, as PostgreSQL builds it), to a file or standard output."""
    from qingqian_local.embedded import with_database
    from shared.db import create_pool
    from shared.log_json import committed_count, log_pages
    from shared.settings import ServiceSettings

    data = Path(args.home).resolve() if args.home else home()
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


def demo(args: argparse.Namespace) -> int:
    """Enter the demo cases, meetings and listings into a running stack (each service's
    own `python -m services.<service>.demo`, through its HTTP API)."""
    data = Path(args.home).resolve() if args.home else home()
    keys = LocalKeys(data / "keys")
    units: list[str] = []
    for unit in DEMO_UNITS:
        units += ["--token-for", f"{unit}={_unit_token(keys, unit)}"]
    for service in DEMO_SERVICES:
        url = f"http://127.0.0.1:{SERVICES[service] + args.port_offset}"
        _say(f"entering the {service} demo at {url} (waits for the deadline watcher)…")
        command = [sys.executable, "-m", f"services.{service}.demo", "--url", url]
        command += ["--token", _office_token(keys), "--seed", str(args.seed), *units]
        if service == "meetings":
            command += ["--token-for", f"convener={_convener_token(keys)}"]
        returncode = subprocess.run(command, check=False).returncode  # noqa: S603 - our own module
        if returncode != 0:
            return returncode
    return 0


def keys_command(args: argparse.Namespace) -> int:
    """Print the keys as environment lines (for docker compose's .env)."""
    data = Path(args.home).resolve() if args.home else home()
    keys = LocalKeys(data / "keys")
    _say(f"JWT_PUBLIC_KEY={json.dumps(keys.jwt_public())}")
    for name in SERVICES:
        _say(f"{name.upper()}_SEAL_PRIVATE_KEY={json.dumps(keys.seal_private(name))}")
        _say(f"{name.upper()}_PERSONAL_DATA_KEK={keys.personal_data_kek(name)}")
    _say(f"CREDIT_PERSON_KEY_SECRET={keys.secret('credit_person_key')}")
    return 0


def trust_command(args: argparse.Namespace) -> int:
    """Print the trust file of the local stack (each service's public keys), for
    `qingqian verify --trust` on another machine."""
    data = Path(args.home).resolve() if args.home else home()
    _say(LocalKeys(data / "keys").trust(list(SERVICES)).model_dump_json(indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `qingqian` command."""
    parser = argparse.ArgumentParser(prog="qingqian", description=__doc__)
    parser.add_argument(
        "--home", help="data folder (default: $QINGQIAN_HOME or ./.qingqian)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    p_up = commands.add_parser("up", help="start the local system")
    p_up.add_argument("--kafka-port", type=int, default=DEFAULT_KAFKA_PORT)
    p_up.add_argument(
        "--port-offset", type=int, default=0, help="added to every service port"
    )
    p_up.add_argument("--timeout", type=float, default=60.0)
    p_up.add_argument(
        "--replicas",
        action="append",
        default=[],
        metavar="SERVICE=N[,…]",
        help="run N processes of a service, each on its own port (repeatable)",
    )
    p_up.add_argument(
        "--max-crashes",
        type=int,
        default=RestartPolicy.max_crashes,
        help="stop everything when one process crashes this often…",
    )
    p_up.add_argument(
        "--crash-window",
        type=float,
        default=RestartPolicy.window,
        help="…within this many seconds",
    )
    p_up.set_defaults(run=up)
    p_token = commands.add_parser("token", help="print a bearer token")
    p_token.add_argument("--person")
    p_token.add_argument("--unit")
    token_roles = sorted(set(Role) - ROSTER_ROLES - INTERNAL_ROLES)
    p_token.add_argument(
        "--roles", default="office", help="comma-separated: " + ", ".join(token_roles)
    )
    p_token.add_argument(
        "--service-account", metavar="NAME", help="another agency's system: svc:NAME"
    )
    p_token.add_argument(
        "--scopes", default="", help="with --service-account: " + ", ".join(Scope)
    )
    p_token.add_argument("--ttl-hours", type=float, default=12.0)
    p_token.set_defaults(run=token)
    p_verify = commands.add_parser("verify", help="verify the hash chains and seals")
    p_verify.add_argument("--service", choices=sorted(SERVICES))
    p_verify.add_argument("--json", action="store_true")
    p_verify.add_argument(
        "--kafka",
        help="broker to read the published seals from (default: KAFKA_BOOTSTRAP,"
        " else the local broker)",
    )
    p_verify.add_argument("--topic-namespace", default="qingqian")
    p_verify.add_argument(
        "--trust",
        metavar="TRUST.json",
        help="pinned public keys per service (default: the local keys)",
    )
    p_verify.set_defaults(run=verify_command)
    p_export = commands.add_parser(
        "export", help="write a service's log as CloudEvents, one per line"
    )
    p_export.add_argument("--service", choices=sorted(SERVICES), required=True)
    p_export.add_argument(
        "--output", default="-", help="a file (default: standard output)"
    )
    p_export.set_defaults(run=export_command)
    p_demo = commands.add_parser(
        "demo", help="enter demo cases, meetings and listings into a running stack"
    )
    p_demo.add_argument("--port-offset", type=int, default=0, help="as given to up")
    p_demo.add_argument("--seed", type=int, default=2017)
    p_demo.set_defaults(run=demo)
    p_keys = commands.add_parser("keys", help="print keys as environment lines")
    p_keys.set_defaults(run=keys_command)
    p_trust = commands.add_parser(
        "trust", help="print the local services' public keys as a trust file"
    )
    p_trust.set_defaults(run=trust_command)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
