"""The line of a process's log that says why it stopped: the last error it logged
(services log JSON, one object per line) or the last exception of a traceback it printed
before logging was set up."""

from __future__ import annotations

import json
import re
from pathlib import Path

# Enough of a log's tail for the last error of one run, little enough to read at once.
TAIL_BYTES = 64 * 1024
MAX_CAUSE_CHARS = 300
_ERROR_LEVELS = frozenset({"error", "critical", "exception", "fatal"})
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b.*")


def cause_from_log(path: Path, *, since: int = 0) -> str | None:
    """The last error written to `path` at or after byte `since`, on one line; `None`
    when that part of the log shows no error."""
    try:
        with path.open("rb") as log:
            size = log.seek(0, 2)
            log.seek(max(since, size - TAIL_BYTES))
            tail = log.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    lines = tail.splitlines()
    for at in range(len(lines) - 1, -1, -1):
        cause = _cause_at(lines, at)
        if cause:
            return " ".join(cause.split())[:MAX_CAUSE_CHARS]
    return None


def _cause_at(lines: list[str], at: int) -> str | None:
    line = lines[at].strip()
    if line.startswith("{"):
        try:
            record = json.loads(line)
        except ValueError:
            return None
        if not isinstance(record, dict):
            return None
        return _cause_of_record(record)
    if not _EXCEPTION_LINE.match(line):
        return None
    # An exception's message may go on over the next lines (pydantic names the field
    # there); it ends where logging resumes or the output does.
    rest = []
    for more in lines[at + 1 :]:
        if not more.strip() or more.lstrip().startswith(
            ("{", "For further information")
        ):
            break
        rest.append(more.strip())
    return " ".join([line, *rest])


def _cause_of_record(record: dict[str, object]) -> str | None:
    if str(record.get("level", "")).lower() not in _ERROR_LEVELS:
        return None
    event = str(record.get("event", ""))
    exception = record.get("exception")
    # structlog's dict_tracebacks: a list of {exc_type, exc_value, frames}, innermost last.
    if isinstance(exception, list) and exception and isinstance(exception[-1], dict):
        last = exception[-1]
        return f"{event}: {last.get('exc_type')}: {last.get('exc_value')}"
    if isinstance(exception, str) and exception.strip():
        return f"{event}: {exception.strip().splitlines()[-1]}"
    return event or None
