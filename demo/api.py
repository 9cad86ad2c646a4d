"""The one HTTP client every demo writes through: each POST tried again while another
writer (a watcher) got there first, a refusal noted and logged, the last write's
position kept for `wait_for`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import httpx
import structlog

log = structlog.get_logger()

# How often a POST is tried again after a concurrency conflict.
CONFLICT_RETRIES: Final = 5

# Asked after every answer but a conflict: True (once it has waited) to try again.
TryAgain = Callable[[httpx.Response], Awaitable[bool]]


def problem_code(answer: httpx.Response) -> str:
    """The problem's `code` ("" for a success or an answer without one)."""
    if answer.is_success:
        return ""
    try:
        return str(answer.json().get("code", ""))
    except ValueError:
        return ""


@dataclass
class DemoApi:
    """A service's API as a demo uses it."""

    client: httpx.AsyncClient
    unexpected: list[str] = field(default_factory=list)
    # `stream@position` of the last successful write (the `wait_for` of later reads).
    last: str | None = None

    async def send(
        self,
        path: str,
        body: Mapping[str, Any],
        headers: Mapping[str, str],
        *,
        again: TryAgain | None = None,
    ) -> httpx.Response:
        """POST, again while another writer got there first (or `again` says so)."""
        conflicts = 0
        while True:
            answer = await self.client.post(path, json=body, headers=dict(headers))
            if problem_code(answer) == "concurrency-conflict":
                conflicts += 1
                if conflicts < CONFLICT_RETRIES:
                    continue
            elif again is not None and await again(answer):
                continue
            break
        if answer.is_success:
            appended = answer.json()
            self.last = f"{appended['stream']}@{appended['position']}"
        return answer

    async def post(
        self,
        path: str,
        body: Mapping[str, Any],
        headers: Mapping[str, str],
        *,
        again: TryAgain | None = None,
    ) -> httpx.Response:
        """`send`, with a refusal noted as unexpected."""
        answer = await self.send(path, body, headers, again=again)
        if not answer.is_success:
            self.refused(path, answer)
        return answer

    def refused(self, path: str, answer: httpx.Response) -> None:
        """Note an answer the demo did not expect."""
        code = problem_code(answer)
        self.unexpected.append(f"POST {path} → {answer.status_code} {code}")
        log.warning(
            "demo_step_refused", path=path, status=answer.status_code, code=code
        )
