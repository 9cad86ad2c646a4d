"""What every `qingqian` command shares: where it prints, and the data folder it works
on (`--home`, else QINGQIAN_HOME, else ./.qingqian)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qingqian_local.keys import home

# The services `up` starts, with their local default ports (DESIGN.md §3).
SERVICES: dict[str, int] = {
    "members": 8001,
    "cases": 8002,
    "meetings": 8003,
    "credit": 8004,
    # Follows the four above from Kafka alone, and witnesses their seals.
    "audit": 8005,
}
DEFAULT_KAFKA_PORT = 9092


def say(text: str) -> None:
    """A line to the terminal, at once (`up` runs for hours)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def data_of(args: argparse.Namespace) -> Path:
    """The data folder the command works on."""
    return Path(args.home).resolve() if args.home else home()
