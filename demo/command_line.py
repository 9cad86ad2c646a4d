"""The command line every service's demo loader shares: where, as whom, which seed."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import httpx

from shared.log import configure_logging


class DemoSummary(Protocol):
    """What a demo run reports."""

    @property
    def unexpected(self) -> Sequence[object]:
        """Answers the demo did not expect."""

    def line(self) -> str:
        """One line for people."""


@dataclass(frozen=True)
class DemoArguments:
    """What the command line gave: unit tokens, seed, how long to wait for watchers."""

    unit_tokens: dict[str, str]
    seed: int
    wait: float
    today: date


def _unit_token(text: str) -> tuple[str, str]:
    unit, sep, token = text.partition("=")
    if not sep or not unit or not token:
        raise argparse.ArgumentTypeError("expected UNIT=TOKEN")
    return unit, token


def run_demo_command(
    argv: Sequence[str] | None,
    *,
    prog: str,
    description: str,
    default_url: str,
    wait_help: str,
    wait_default: float,
    run: Callable[[httpx.AsyncClient, DemoArguments], Awaitable[DemoSummary]],
    seed: int = 2017,
) -> int:
    """Parse `--url --token [--token-for UNIT=TOKEN …] --seed --wait --timezone`, run the
    demo with an office client, print its line; 1 when an answer was unexpected."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--url", default=default_url)
    parser.add_argument("--token", required=True, help="an office bearer token")
    parser.add_argument(
        "--token-for",
        type=_unit_token,
        action="append",
        default=[],
        metavar="UNIT=TOKEN",
        help="a unit_staff token of that unit, for the steps only that unit may take",
    )
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--wait", type=float, default=wait_default, help=wait_help)
    parser.add_argument("--timezone", default="Asia/Shanghai")
    args = parser.parse_args(argv)
    configure_logging("warning")

    async def main() -> DemoSummary:
        headers = {"Authorization": f"Bearer {args.token}"}
        async with httpx.AsyncClient(
            base_url=args.url, headers=headers, timeout=30
        ) as client:
            given = DemoArguments(
                unit_tokens=dict(args.token_for),
                seed=args.seed,
                wait=args.wait,
                today=datetime.now(ZoneInfo(args.timezone)).date(),
            )
            return await run(client, given)

    summary = asyncio.run(main())
    sys.stdout.write(summary.line() + "\n")
    return 1 if summary.unexpected else 0
