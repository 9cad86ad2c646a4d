"""`python -m demo.credit`: the demo listings, one line of summary."""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from demo.command_line import DemoArguments, run_demo_command
from demo.credit.runner import DemoSummary, run_demo
from demo.credit.story import SEED


def main(argv: Sequence[str] | None = None) -> int:
    """Enter the demo listings through the API and print one line; 1 when an answer
    was unexpected."""

    async def run(client: httpx.AsyncClient, given: DemoArguments) -> DemoSummary:
        return await run_demo(
            client,
            today=given.today,
            unit_tokens=given.unit_tokens,
            seed=given.seed,
            watcher_wait=given.wait,
        )

    return run_demo_command(
        argv,
        prog="python -m demo.credit",
        description="Open some twenty credit listings in every state through the API.",
        default_url="http://127.0.0.1:8004",
        wait_help="seconds to wait for the watcher to expire the listing of 3 years ago",
        wait_default=90.0,
        run=run,
        seed=SEED,
    )
