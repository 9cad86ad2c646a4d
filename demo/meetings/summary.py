"""What a run of the meetings demo did, in one line for the terminal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DemoSummary:
    """The demo's meetings and action items, how many meetings are new, and where the
    items stand: done (accepted), overdue (flagged by the watcher), open."""

    seed: int
    meeting_ids: tuple[str, ...]
    by_kind: Mapping[str, int]
    created: int
    action_ids: tuple[str, ...]
    done: int
    overdue: int
    open: int
    left_to_units: int
    unflagged: int
    waited: float
    skipped: tuple[str, ...]
    unexpected: tuple[str, ...]
    is_loaded_otherwise: bool = False

    def line(self) -> str:
        """One line for the terminal."""
        if self.is_loaded_otherwise:
            return (
                f"meetings demo (seed {self.seed}): this seed's keys were used for other"
                " data; nothing written (pass --seed N for another set)"
            )
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.by_kind.items()))
        watcher = (
            f" (the watcher has not yet flagged {self.unflagged} items left overdue;"
            f" gave up after {self.waited:.0f} s)"
            if self.unflagged
            else ""
        )
        return (
            f"meetings demo (seed {self.seed}): {len(self.meeting_ids)} meetings"
            f" ({kinds}), {self.created} created; {len(self.action_ids)} action items"
            f" — {self.done} done, {self.overdue} overdue{watcher}, {self.open} open;"
            f" {self.left_to_units} reports left to units without a token;"
            f" {len(self.skipped)} steps skipped, {len(self.unexpected)} unexpected"
            " answers"
        )

    @classmethod
    def loaded_otherwise(cls, seed: int) -> DemoSummary:
        """A run that found the seed's first key used for another proposal."""
        return cls(
            seed=seed,
            meeting_ids=(),
            by_kind={},
            created=0,
            action_ids=(),
            done=0,
            overdue=0,
            open=0,
            left_to_units=0,
            unflagged=0,
            waited=0.0,
            skipped=(),
            unexpected=(),
            is_loaded_otherwise=True,
        )


def summarize(
    seed: int,
    *,
    meetings: Mapping[str, str],
    kinds: Mapping[str, str],
    before: Collection[str],
    items: Mapping[str, Mapping[str, Any]],
    left_to_units: int,
    unflagged: int,
    waited: float,
    skipped: Sequence[str],
    unexpected: Sequence[str],
) -> DemoSummary:
    """The summary of a run from the meetings it proposed (story → id) and the list's
    rows of its action items."""
    done = sum(1 for i in items.values() if i["status"] == "completed")
    overdue = sum(1 for i in items.values() if i["is_overdue"])
    return DemoSummary(
        seed=seed,
        meeting_ids=tuple(meetings.values()),
        by_kind=dict(Counter(kinds[story] for story in meetings)),
        created=sum(1 for i in meetings.values() if i not in before),
        action_ids=tuple(items),
        done=done,
        overdue=overdue,
        open=len(items) - done - overdue,
        left_to_units=left_to_units,
        unflagged=unflagged,
        waited=waited,
        skipped=tuple(skipped),
        unexpected=tuple(unexpected),
    )
