"""A lean HTTP/1.1 keep-alive client for the load generator: the bench measures the
service, so the generator must not spend the CPU the service needs (httpx takes about
as much per request as the service does, on the same two cores)."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit


class ConnectionDropped(Exception):
    """The server closed the connection before answering."""


class Connections:
    """Up to `size` kept-alive connections to one server, each used by one request at a
    time."""

    def __init__(self, url: str, *, headers: dict[str, str], size: int) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.headers = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        # Idle connections with the time they were last used: one idle for a second
        # is closed rather than reused, below uvicorn's 5 s keep-alive.
        self.free: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self.slots = asyncio.Semaphore(size)
        self.opened: list[asyncio.StreamWriter] = []

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """POST a JSON body; the answer's status and body."""
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.headers}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        return await self._exchange(head + body)

    async def get(self, path: str) -> tuple[int, bytes]:
        """GET a path (with its query); the answer's status and body."""
        head = f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.headers}\r\n"
        return await self._exchange(head.encode())

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        async with self.slots:
            reader, writer = await self._take()
            try:
                writer.write(request)
                status, answer, keep = await _read_response(reader)
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                writer.close()
                raise ConnectionDropped(str(exc)) from exc
            if keep:
                self.free.append((reader, writer, time.monotonic()))
            else:
                writer.close()
            return status, answer

    async def _take(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        while self.free:
            reader, writer, since = self.free.pop()
            if time.monotonic() - since < 1.0:
                return reader, writer
            writer.close()
        return await self._open()

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.opened.append(writer)
        return reader, writer

    def close(self) -> None:
        """Close every connection."""
        for writer in self.opened:
            writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    fields = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:] if line)
    }
    body = await reader.readexactly(int(fields.get("content-length", "0")))
    return status, body, fields.get("connection", "").lower() != "close"
