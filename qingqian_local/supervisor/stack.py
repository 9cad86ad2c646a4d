"""`qingqian up`: the local system under one supervisor — embedded PostgreSQL, the tansu
broker and every service (N replicas each), restarted when they crash."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qingqian_local.embedded import (
    EmbeddedPostgres,
    ServiceDatabase,
    Tansu,
    ensure_service_database,
)
from qingqian_local.keys import LocalKeys
from qingqian_local.paths import district_file
from qingqian_local.supervisor.catch_up import catch_up_sources
from qingqian_local.supervisor.cause import cause_from_log
from qingqian_local.supervisor.children import Child, Launch
from qingqian_local.supervisor.followed import AUDIT, audit_env
from qingqian_local.supervisor.journal import Journal
from qingqian_local.supervisor.ports import Replica, replicas_of, taken_port
from qingqian_local.supervisor.restarts import CrashHistory, RestartPolicy
from qingqian_local.supervisor.supervising import GaveUp, Supervisor
from qingqian_local.supervisor.token_files import (
    TokenFile,
    refresh_all,
    stack_token_files,
)

Say = Callable[[str], None]


@dataclass(frozen=True)
class StackOptions:
    """What `up` was asked for: ports already include `--port-offset`."""

    data: Path
    ports: dict[str, int]
    kafka_port: int
    timeout: float
    replicas: dict[str, int] = field(default_factory=dict)
    policy: RestartPolicy = field(default_factory=RestartPolicy)


class _StopRequest:
    """Set by Ctrl-C, SIGTERM or a closed terminal; checked between rounds."""

    def __init__(self) -> None:
        self.is_set = False
        # Explicit for SIGINT too: a shell starting us in the background ignores it.
        signal.signal(signal.SIGINT, self._set)
        signal.signal(signal.SIGTERM, self._set)
        # A closed terminal stops us too, unless we run under nohup (which ignores it).
        if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
            signal.signal(signal.SIGHUP, self._set)

    def _set(self, _signum: int, _frame: object) -> None:
        self.is_set = True


def run_up(options: StackOptions, *, office_token: str, say: Say) -> int:
    """Start everything, keep it running until asked to stop (0) or until one process
    crashes too often or cannot start (1); stop everything either way."""
    started_at = time.monotonic()
    stop = _StopRequest()
    replicas = replicas_of(options.ports, options.replicas)
    is_broker_embedded = not os.environ.get("KAFKA_BOOTSTRAP")
    problem = taken_port(replicas, options.kafka_port if is_broker_embedded else None)
    if problem:
        say(f"error: {problem}")
        return 1
    journal = Journal(options.data / "supervisor.log")
    servers: list[EmbeddedPostgres] = []
    supervisor = Supervisor([], journal=journal, say=say)
    tokens = stack_token_files(
        options.data, LocalKeys(options.data / "keys").jwt_private()
    )
    try:
        refresh_all(tokens)
        bootstrap = _children(options, replicas, supervisor, servers, tokens)
        if not _start(supervisor, options.timeout, stop):
            return 0
        _table(options, replicas, bootstrap, started_at, say)
        journal.write("ready", processes=[c.name for c in supervisor.children])
        say("Office token (export QQ_TOKEN=…):")
        say(office_token)  # the terminal only: never into a log file
        say("ready — press Ctrl-C to stop")
        while not stop.is_set:
            supervisor.check()
            refresh_all(tokens)
            time.sleep(0.5)
        journal.write("stop_requested")
    except GaveUp as exc:
        journal.write("gave_up", process=exc.child.name, reason=str(exc))
        say(f"error: {exc}; stopping everything")
        return 1
    except (RuntimeError, TimeoutError, OSError) as exc:
        journal.write("failed", reason=str(exc))
        say(f"error: {exc}")
        return 1
    finally:
        _stop(supervisor, servers, say)
    return 0


def _children(
    options: StackOptions,
    replicas: list[Replica],
    supervisor: Supervisor,
    servers: list[EmbeddedPostgres],
    tokens: dict[str, TokenFile],
) -> str:
    """Start PostgreSQL unless given one; put the broker (unless given one) and every
    service replica under the supervisor; returns the bootstrap servers."""
    server_url = os.environ.get("DATABASE_URL") or _embedded(options.data, servers)
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP") or _broker(options, supervisor)
    supervisor.children += _services(options, replicas, server_url, bootstrap, tokens)
    return bootstrap


def _start(supervisor: Supervisor, timeout: float, stop: _StopRequest) -> bool:
    for child in supervisor.children:
        supervisor.start(child)
    services = [c for c in supervisor.children if c.is_service]
    return _wait_ready(supervisor, services, timeout, stop)


def _stop(supervisor: Supervisor, servers: list[EmbeddedPostgres], say: Say) -> None:
    say("stopping…")
    supervisor.stop()
    for server in servers:
        server.stop()
    supervisor.journal.close()
    say("stopped")


def _embedded(data: Path, servers: list[EmbeddedPostgres]) -> str:
    server = EmbeddedPostgres(data / "pgdata")
    servers.append(server)
    return server.url


def _broker(options: StackOptions, supervisor: Supervisor) -> str:
    """The broker as a supervised child, restarted on the same port if it dies."""
    broker = Tansu(options.kafka_port)
    log = options.data / "tansu.log"
    supervisor.children.append(
        Child(
            name="kafka",
            log=log,
            launch=lambda: broker.spawn(log_file=log),
            history=CrashHistory(options.policy),
            port=options.kafka_port,
            is_service=False,
        )
    )
    return broker.bootstrap


def _services(
    options: StackOptions,
    replicas: Sequence[Replica],
    server_url: str,
    bootstrap: str,
    tokens: dict[str, TokenFile],
) -> list[Child]:
    """Every replica as a supervised child; replicas of a service share its database,
    migrate it as its owner role and serve as its runtime role."""
    keys = LocalKeys(options.data / "keys")
    databases: dict[str, ServiceDatabase] = {}
    children = []
    for replica in replicas:
        if replica.service not in databases:
            databases[replica.service] = asyncio.run(
                ensure_service_database(server_url, replica.service, keys)
            )
        env = _service_env(replica, keys, databases[replica.service], bootstrap)
        # Others' logs its projections must see from the start, should the broker not
        # hold them: read from their producers (docs/configuration.md).
        env.setdefault("CATCH_UP_SOURCES", catch_up_sources(replica.service, replicas))
        env.setdefault("CATCH_UP_TOKEN_FILE", str(tokens["CATCH_UP_TOKEN_FILE"].path))
        if replica.service == AUDIT:
            # Audit reads the services' projection progress as an auditor.
            reader = str(tokens["RECONCILE_TOKEN_FILE"].path)
            env = {**audit_env(replicas, keys), "RECONCILE_TOKEN_FILE": reader, **env}
        log = options.data / f"{replica.name}.log"
        children.append(
            Child(
                name=replica.name,
                log=log,
                launch=_service_launch(replica.service, env, log),
                history=CrashHistory(options.policy),
                port=replica.port,
            )
        )
    return children


def _service_env(
    replica: Replica, keys: LocalKeys, database: ServiceDatabase, bootstrap: str
) -> dict[str, str]:
    env = {
        **os.environ,
        "SERVICE": replica.service,
        "DATABASE_URL": database.runtime_url,
        "MIGRATION_DATABASE_URL": database.owner_url,
        "KAFKA_BOOTSTRAP": bootstrap,
        "PORT": str(replica.port),
        **keys.service_env(replica.service),
    }
    # Every setting a service requires, named: a service never falls back to
    # embedded servers or the working directory (shared/serving.py).
    env["DISTRICT_FILE"] = str(district_file())
    return env


def _service_launch(service: str, env: dict[str, str], log: Path) -> Launch:
    def launch() -> subprocess.Popen[bytes]:
        with log.open("ab") as out:  # the process holds its own copy
            return subprocess.Popen(  # noqa: S603 - our own service module
                [sys.executable, "-m", f"services.{service}"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                # Ctrl-C reaches us alone: we stop the services, in order, ourselves.
                start_new_session=True,
            )

    return launch


def _answers_ready(port: int | None) -> bool:
    try:
        url = f"http://127.0.0.1:{port}/readyz"
        with urllib.request.urlopen(url, timeout=1) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _wait_ready(
    supervisor: Supervisor, services: list[Child], timeout: float, stop: _StopRequest
) -> bool:
    """Wait until every service answers /readyz (crashes restart meanwhile); `False`
    when asked to stop first."""
    deadline = time.monotonic() + timeout
    waiting = list(services)
    while waiting:
        if stop.is_set:
            return False
        supervisor.check()
        waiting = [c for c in waiting if not (c.is_running and _answers_ready(c.port))]
        if waiting and time.monotonic() > deadline:
            late = waiting[0]
            cause = cause_from_log(late.log, since=late.log_offset)
            raise TimeoutError(
                f"{late.name} was not ready within {timeout:g} s"
                f" ({cause or 'no error in its log'}; log: {late.log})"
            )
        if waiting:
            time.sleep(0.2)
    return True


def _table(
    options: StackOptions,
    replicas: list[Replica],
    bootstrap: str,
    started_at: float,
    say: Say,
) -> None:
    data = options.data
    say(f"Qingqian is up in {time.monotonic() - started_at:.1f} s (data in {data})")
    database = os.environ.get("DATABASE_URL") and "DATABASE_URL"
    say(f"  PostgreSQL   {database or 'embedded, ' + str(data / 'pgdata')}")
    is_embedded = not os.environ.get("KAFKA_BOOTSTRAP")
    embedded = " (tansu, in memory; restarted if it stops)" if is_embedded else ""
    say(f"  Kafka        {bootstrap}{embedded}")
    for replica in replicas:
        url = f"http://127.0.0.1:{replica.port}"
        of = options.replicas.get(replica.service, 1)
        extra = f"  (replica {replica.index} of {of})" if of > 1 else ""
        say(f"  {replica.name:<12} {url}  docs: {url}/docs{extra}")
    say(f"  logs         {data}/*.log (the supervisor's: {data / 'supervisor.log'})")
    policy = options.policy
    say(
        f"  restarts     a crashed process restarts after {policy.first_delay:g}–"
        f"{policy.max_delay:g} s; up stops after {policy.max_crashes} crashes of one"
        f" within {policy.window:g} s"
    )
