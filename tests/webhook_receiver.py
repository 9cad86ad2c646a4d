"""A webhook receiver the tests start on 127.0.0.1: it records every request and
answers 500 to the first `failures` tries of each event (by `ce-id`), or to all of
them while `is_down`."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn
from starlette.types import Receive, Scope, Send

from qingqian_local.embedded import free_port


@dataclass(frozen=True)
class Received:
    """One request: its headers (lowercase names), body and the status answered."""

    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    """An ASGI app that fails on purpose, and what it was sent."""

    failures: int = 0
    is_down: bool = False
    requests: list[Received] = field(default_factory=list)
    tries: Counter[str] = field(default_factory=Counter)
    url: str = ""

    @property
    def accepted(self) -> list[Received]:
        """The requests answered 2xx, in the order they came."""
        return [r for r in self.requests if r.status == 204]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        event_id = headers.get("ce-id", "")
        self.tries[event_id] += 1
        failing = self.is_down or self.tries[event_id] <= self.failures
        status = 500 if failing else 204
        self.requests.append(Received(headers, body, status))
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@contextlib.asynccontextmanager
async def receiving(receiver: Receiver) -> AsyncIterator[Receiver]:
    """Serve the receiver on 127.0.0.1 at `receiver.url` until the block ends."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(receiver, host="127.0.0.1", port=port, log_config=None)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    receiver.url = f"http://127.0.0.1:{port}/hooks"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)
