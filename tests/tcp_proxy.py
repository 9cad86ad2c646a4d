"""A TCP proxy in the test's process between a service and its PostgreSQL, which the test
can cut (every connection dropped, new ones refused: the database stopped) or pause
(every byte held: the network stalls), and then restore."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from qingqian_local.embedded import free_port

_CHUNK = 65_536


class PostgresProxy:
    """Listens on 127.0.0.1 and forwards to the server of `url` (TCP or unix socket)."""

    def __init__(self, url: str) -> None:
        self._target = urlsplit(url)
        query = parse_qs(self._target.query)
        self._socket_dir = query.pop("host", [None])[0]
        self._port = int(query.pop("port", [self._target.port or 5432])[0])
        self._query = urlencode(query, doseq=True)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._pipes: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        """The same database, reached through this proxy."""
        user = self._target.username or ""
        password = f":{self._target.password}" if self._target.password else ""
        netloc = f"{user}{password}@127.0.0.1:{self.port}"
        return urlunsplit(self._target._replace(netloc=netloc, query=self._query))

    async def start(self) -> None:
        """Accept connections (again, on the same port)."""
        self._server = await asyncio.start_server(
            self._accept, "127.0.0.1", self.port, reuse_address=True
        )

    async def cut(self) -> None:
        """Refuse new connections and drop every open one, as a stopped server does."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        await self._drain_pipes()

    def pause(self) -> None:
        """Hold every byte in both directions (connections stay open, silent)."""
        self._flowing.clear()

    def resume(self) -> None:
        """Let the held bytes and all that follow through."""
        self._flowing.set()

    async def close(self) -> None:
        """Stop for good."""
        self.resume()
        await self.cut()

    async def _drain_pipes(self) -> None:
        for pipe in list(self._pipes):
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _open_upstream(
        self,
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._socket_dir:
            path = f"{self._socket_dir}/.s.PGSQL.{self._port}"
            return await asyncio.open_unix_connection(path)
        return await asyncio.open_connection(self._target.hostname, self._port)

    async def _accept(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            up_reader, up_writer = await self._open_upstream()
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            pipe = asyncio.create_task(self._pipe(source, sink, writer, up_writer))
            self._pipes.add(pipe)
            pipe.add_done_callback(self._pipes.discard)

    async def _pipe(
        self,
        source: asyncio.StreamReader,
        sink: asyncio.StreamWriter,
        *ends: asyncio.StreamWriter,
    ) -> None:
        try:
            while data := await source.read(_CHUNK):
                await self._flowing.wait()
                sink.write(data)
                await sink.drain()
        except OSError:
            pass
        finally:
            # One side gone: both are (the server sees its client leave, and so on).
            for end in ends:
                self._writers.discard(end)
                end.transport.abort()
