"""Demo data for the local stack: the joint meeting's plenaries, one each half-year
since it was set up in August 2017, two special meetings and a joint inspection, with
notices, materials, attendance, minutes, decisions, work plans and the action items
the units carry out — some done, some left overdue, some still open — entered through
the meetings HTTP API only.

    python -m demo.meetings --url http://127.0.0.1:8003 --token <office token> \\
        --token-for jsj=<token> … --token-for convener=<convener's token>

Every step sends an `Idempotency-Key` made of the seed, the meeting's story and the
step, and every date is fixed by the seed, so a second run writes nothing and a run on
a later day adds only what has come due since. A unit submits its materials and
reports on its tasks only with its own token; the office's unit (rsj) with the office
token; the convener approves special meetings and minutes with the convener's."""

from demo.meetings.runner import COMMAND, run_demo
from demo.meetings.summary import DemoSummary

main = COMMAND.main

__all__ = ["COMMAND", "DemoSummary", "main", "run_demo"]
