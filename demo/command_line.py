"""The command line every service's demo loader shares: where, as whom, which seed."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Protocol
from zoneinfo import ZoneInfo

import httpx

from shared.log import configure_logging

# The seed every demo's keys and made-up data come from unless `--seed` says otherwise.
SEED: Final = 2017


class DemoSummary(Protocol):
    """What a demo run reports."""

    @property
    def unexpected(self) -> Sequence[object]:
        """Answers the demo did not expect."""

    def line(self) -> str:
        """One line for people."""


class RunDemo(Protocol):
    """A demo's `run_demo`: its steps through the API the client reaches."""

    def __call__(
        self,
        client: httpx.AsyncClient,
        *,
        today: date,
        unit_tokens: Mapping[str, str],
        seed: int,
        watcher_wait: float,
    ) -> Awaitable[DemoSummary]:
        """Run the demo; what it did."""


def _unit_token(text: str) -> tuple[str, str]:
    unit, sep, token = text.partition("=")
    if not sep or not unit or not token:
        raise argparse.ArgumentTypeError("expected UNIT=TOKEN")
    return unit, token


@dataclass(frozen=True)
class DemoCommand:
    """A demo's command line: its service (`python -m demo.<service>`), the port that
    listens on locally, what it enters, what it waits for and how long by default."""

    service: str
    port: int
    description: str
    wait_help: str
    run: RunDemo
    wait_default: float = 90.0

    def main(self, argv: Sequence[str] | None = None) -> int:
        """Parse `--url --token [--token-for UNIT=TOKEN …] --seed --wait --timezone`,
        run the demo with an office client, print its line; 1 when an answer was
        unexpected."""
        args = self._parser().parse_args(argv)
        configure_logging("warning")

        async def main() -> DemoSummary:
            headers = {"Authorization": f"Bearer {args.token}"}
            async with httpx.AsyncClient(
                base_url=args.url, headers=headers, timeout=30
            ) as client:
                return await self.run(
                    client,
                    today=datetime.now(ZoneInfo(args.timezone)).date(),
                    unit_tokens=dict(args.token_for),
                    seed=args.seed,
                    watcher_wait=args.wait,
                )

        summary = asyncio.run(main())
        sys.stdout.write(summary.line() + "\n")
        return 1 if summary.unexpected else 0

    def _parser(self) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(
            prog=f"python -m demo.{self.service}", description=self.description
        )
        parser.add_argument("--url", default=f"http://127.0.0.1:{self.port}")
        parser.add_argument("--token", required=True, help="an office bearer token")
        parser.add_argument(
            "--token-for",
            type=_unit_token,
            action="append",
            default=[],
            metavar="UNIT=TOKEN",
            help="a unit_staff token of that unit, for the steps only that unit may take",
        )
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument(
            "--wait", type=float, default=self.wait_default, help=self.wait_help
        )
        parser.add_argument("--timezone", default="Asia/Shanghai")
        return parser
