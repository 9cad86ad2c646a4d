"""The supervisor's own log (`supervisor.log` in the data folder): one JSON object per
line, as the services log, so one reader serves both. Never given a token or a key."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import IO


class Journal:
    """Appends what the supervisor did and why; flushed line by line so it survives us."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] = path.open("a", encoding="utf-8")

    def write(self, event: str, **fields: object) -> None:
        """Append one record: the event name, its fields and the time (UTC)."""
        record = {
            **fields,
            "event": event,
            "service": "supervisor",
            "timestamp": datetime.now(UTC).isoformat(),
        }
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()
