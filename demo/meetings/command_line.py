"""`python -m demo.meetings`: the demo meetings, one line of summary."""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from demo.command_line import DemoArguments, run_demo_command
from demo.meetings.runner import run_demo
from demo.meetings.story import SEED
from demo.meetings.summary import DemoSummary


def main(argv: Sequence[str] | None = None) -> int:
    """Enter the demo meetings through the API and print one line; 1 when an answer
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
        prog="python -m demo.meetings",
        description=(
            "Enter the joint meeting's plenaries since 2017, special meetings and a"
            " joint inspection, and carry out their action items, through the API."
        ),
        default_url="http://127.0.0.1:8003",
        wait_help="seconds to wait for the watcher to flag the items left overdue",
        wait_default=90.0,
        run=run,
        seed=SEED,
    )
