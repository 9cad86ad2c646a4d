"""HTTP commands through a running cases service, the load from a second process:
commands/s at saturation, then latency at a fixed rate of half that."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

from bench.service_stack import ServiceStack
from bench.sizes import Sizes

CONCURRENCY = 32
SATURATION = f"HTTP commands/s at saturation ({CONCURRENCY} concurrent)"


async def _generate(stack: ServiceStack, unit: str, *options: str) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.load_generator",
        "--url",
        stack.url("cases"),
        "--token",
        stack.token,
        "--unit",
        unit,
        *options,
        stdout=subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the load generator exited with {process.returncode}")
    found: dict[str, Any] = json.loads(out)
    if found["errors"]:
        raise RuntimeError(f"the load generator saw errors: {found}")
    return found


async def measure_http_commands(
    stack: ServiceStack, unit: str, sizes: Sizes
) -> dict[str, float]:
    """`POST /cases` (receive a case) in `unit`, a unit the cases service knows."""
    saturated = await _generate(
        stack,
        unit,
        f"--concurrency={CONCURRENCY}",
        f"--requests={sizes.requests}",
    )
    rate = saturated["commands_per_s"] / 2
    paced = await _generate(stack, unit, f"--rate={rate}", f"--seconds={sizes.seconds}")
    return {
        SATURATION: saturated["commands_per_s"],
        "HTTP command p50 ms at half saturation": paced["p50_ms"],
        "HTTP command p99 ms at half saturation": paced["p99_ms"],
    }
