"""Demo data for the local stack: some forty wage-arrears cases of Chengdong District
over the last eighteen months, in every state, entered through the cases HTTP API only.

    python -m demo.cases --url http://127.0.0.1:8002 --token <office token>

Every step sends an `Idempotency-Key` made of the seed and the step's number, so a second
run on the same day writes nothing. Progress reports of units other than the office's
need that unit's token (`--token-for jsj=<token>`); without one they are skipped."""

from demo.cases.runner import COMMAND, DemoSummary, run_demo

main = COMMAND.main

__all__ = ["COMMAND", "DemoSummary", "main", "run_demo"]
