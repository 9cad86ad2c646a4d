"""Seconds from `qingqian up` to 'ready' on a fresh data folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from qingqian_local.embedded import free_port


def start_seconds(home: Path) -> float:
    """Start the whole local stack (embedded servers, every service) and stop it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "KAFKA_BOOTSTRAP"}
    }
    env["QINGQIAN_HOME"] = str(home)
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own CLI
        [
            sys.executable,
            "-m",
            "qingqian_local.cli",
            "up",
            "--kafka-port",
            str(free_port()),
            "--port-offset",
            "30000",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    elapsed = float("nan")
    for line in process.stdout:
        if line.startswith("ready"):
            elapsed = time.perf_counter() - started
            break
    process.send_signal(2)
    process.communicate(timeout=60)
    return elapsed
