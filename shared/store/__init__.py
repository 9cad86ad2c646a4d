"""The event store: append with expected version and command id, load, read in commit
order."""

from shared.store.event_store import EventStore
from shared.store.records import (
    Appended,
    Cursor,
    EventMetadata,
    Recorded,
    Snapshot,
    StoredEvent,
)

__all__ = [
    "Appended",
    "Cursor",
    "EventMetadata",
    "EventStore",
    "Recorded",
    "Snapshot",
    "StoredEvent",
]
