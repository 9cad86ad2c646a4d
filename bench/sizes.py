"""How much each measurement does, in a quick run and a full one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    """Counts per repetition (the service figures and the rebuild run once)."""

    commits: int
    """Commands or single-row commits per task, connection or thread (twice on one)."""
    rows: int
    """Rows per executemany and per COPY; messages produced and consumed."""
    streams: int
    """Ten-event streams (ours, the peer's, raw) read or loaded by id."""
    long_streams: int
    """Thousand-event streams loaded by id."""
    requests: int
    """HTTP commands sent at saturation."""
    seconds: float
    """Length of each fixed-rate phase."""
    rebuild_events: int
    """Events on the topic a projection is rebuilt from."""
    audit_events: int
    """Events in the audit store the timeline is queried on."""
    audit_timeline_repetitions: int
    """Filters drawn per timeline filter (each read up to three pages)."""
    audit_ingest_events: int
    """Events (and their seals) audit ingests and verifies."""
    repetitions: int = 3

    @classmethod
    def quick(cls) -> Sizes:
        """A run of a few minutes."""
        return cls(
            commits=100,
            rows=10_000,
            streams=500,
            long_streams=5,
            requests=1_000,
            seconds=5.0,
            rebuild_events=100_000,
            audit_events=100_000,
            audit_timeline_repetitions=50,
            audit_ingest_events=10_000,
        )

    @classmethod
    def full(cls) -> Sizes:
        """The sizes issues #6 and #15 name (a million events rebuilt, a million
        in the audit store)."""
        return cls(
            commits=500,
            rows=50_000,
            streams=2_500,
            long_streams=25,
            requests=5_000,
            seconds=10.0,
            rebuild_events=1_000_000,
            audit_events=1_000_000,
            audit_timeline_repetitions=300,
            audit_ingest_events=100_000,
        )
