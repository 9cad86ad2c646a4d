"""What a meetings command answers (404) for a stream that does not exist."""

from __future__ import annotations

NO_MEETING = "meeting {id} does not exist"
NO_ACTION = "action item {id} does not exist"
NO_TOPIC = "topic {id} does not exist"
