"""Demo data for the local stack: some twenty credit listings of made-up Chengdong
employers and their persons, in every state of the listing procedure, entered through
the credit HTTP API only.

    python -m demo.credit --url http://127.0.0.1:8004 --token <office token>

Every step sends an `Idempotency-Key` made of the seed, the listing's story and the
step, so a second run on the same day writes nothing. A unit confirms its sanctions
only with its own token (`--token-for jsj=<token>`); the office's unit (rsj) confirms
with the office token."""

from demo.credit.runner import COMMAND, DemoSummary, run_demo

main = COMMAND.main

__all__ = ["COMMAND", "DemoSummary", "main", "run_demo"]
