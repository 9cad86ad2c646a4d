"""`python -m services.credit.demo`: the demo listings, one line of summary."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx

from services.credit.demo.runner import DemoSummary, run_demo
from services.credit.demo.story import SEED
from shared.log import configure_logging


def main(argv: Sequence[str] | None = None) -> int:
    """Enter the demo listings through the API and print one line; 1 when an answer
    was unexpected."""
    parser = argparse.ArgumentParser(
        prog="python -m services.credit.demo",
        description="Open some twenty credit listings in every state through the API.",
    )
    parser.add_argument("--url", default="http://127.0.0.1:8004")
    parser.add_argument("--token", required=True, help="an office bearer token")
    parser.add_argument(
        "--token-for",
        type=_unit_token,
        action="append",
        default=[],
        metavar="UNIT=TOKEN",
        help="a unit_staff token of that unit, to confirm its own sanctions",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--watcher-wait",
        type=float,
        default=90.0,
        help="seconds to wait for the watcher to expire the listing of 3 years ago",
    )
    parser.add_argument("--timezone", default="Asia/Shanghai")
    args = parser.parse_args(argv)
    configure_logging("warning")
    summary = asyncio.run(_main(args))
    sys.stdout.write(summary.line() + "\n")
    return 1 if summary.unexpected else 0


async def _main(args: argparse.Namespace) -> DemoSummary:
    headers = {"Authorization": f"Bearer {args.token}"}
    async with httpx.AsyncClient(
        base_url=args.url, headers=headers, timeout=30
    ) as client:
        return await run_demo(
            client,
            today=datetime.now(ZoneInfo(args.timezone)).date(),
            unit_tokens=dict(args.token_for),
            seed=args.seed,
            watcher_wait=args.watcher_wait,
        )


def _unit_token(text: str) -> tuple[str, str]:
    unit, sep, token = text.partition("=")
    if not sep or not unit or not token:
        raise argparse.ArgumentTypeError("expected UNIT=TOKEN")
    return unit, token
