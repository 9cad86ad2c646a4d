"""A time limit running on an aggregate, as its read model lists it for a deadline
watcher: which step is due (`kind`, the aggregate's own enum) and by when. Each
service says which deadlines an aggregate has open; the shape and the day the
watcher acts are the same everywhere."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

K = TypeVar("K", bound=StrEnum)


class OpenDeadline(BaseModel, Generic[K]):
    """The step of `kind` must happen by `due`, the last day of its period."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: K
    due: date

    def has_passed(self, today: date) -> bool:
        """Whether a watcher acts today: the last day of a period is still within
        it, so the day after."""
        return today > self.due
