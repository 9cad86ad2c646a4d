"""A TCP proxy a test can cut and restore: the server behind it seems to go away
(connections dropped, new ones refused) and come back on the same address."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from shared.local import free_port


class TcpProxy:
    """Forwards 127.0.0.1:`port` to a TCP address or a unix socket until cut."""

    def __init__(self, host: str, port: int, *, unix_path: str | None = None) -> None:
        self.target = (host, port)
        self.unix_path = unix_path
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._pumps: set[asyncio.Task[None]] = set()

    @classmethod
    def for_url(cls, url: str) -> TcpProxy:
        """A proxy in front of the PostgreSQL server a URL names (a `host=/dir` query
        names a unix socket directory, as the embedded server's URL does)."""
        parts = urlsplit(url)
        port = parts.port or 5432
        socket_dir = parse_qs(parts.query).get("host", [""])[0]
        if socket_dir.startswith("/"):
            return cls("", port, unix_path=f"{socket_dir}/.s.PGSQL.{port}")
        return cls(parts.hostname or "127.0.0.1", port)

    def url(self, url: str) -> str:
        """The same URL, through this proxy."""
        parts = urlsplit(url)
        user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        query = {k: v for k, v in parse_qs(parts.query).items() if k != "host"}
        return urlunsplit(
            parts._replace(
                netloc=f"{user}127.0.0.1:{self.port}",
                query=urlencode(query, doseq=True),
            )
        )

    async def start(self) -> TcpProxy:
        """Accept connections (again)."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        return self

    async def cut(self) -> None:
        """Drop every connection and refuse new ones."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()
        for writer in list(self._writers):
            writer.close()
        for pump in list(self._pumps):
            pump.cancel()
        await asyncio.gather(*self._pumps, return_exceptions=True)

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            if self.unix_path:
                up_reader, up_writer = await asyncio.open_unix_connection(
                    self.unix_path
                )
            else:
                up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        for a, b in ((reader, up_writer), (up_reader, writer)):
            pump = asyncio.create_task(self._pump(a, b))
            self._pumps.add(pump)
            pump.add_done_callback(self._pumps.discard)

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._writers.add(writer)
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(OSError, asyncio.CancelledError):
                await writer.wait_closed()
