"""Building blocks of a pure domain: events, commands, roles, aggregates, replay,
upcasters, working-day deadlines and personal data."""

from __future__ import annotations

import hashlib
import json
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from shared.values import RECORDED

JsonObject = dict[str, Any]


class Role(StrEnum):
    """Platform roles carried in a bearer token; a command names those that may run it."""

    OFFICE = "office"
    CONVENER = "convener"
    DEPUTY_CONVENER = "deputy_convener"
    UNIT_STAFF = "unit_staff"
    AUDITOR = "auditor"
    SYSTEM = "system"


# Held in the joint meeting by appointment: who holds them on a day is the members
# roster's to say, never a token's (DESIGN.md §2). A command open to one of them lets any
# person try it, and its decide function checks the roster on the command's date.
ROSTER_ROLES = frozenset({Role.CONVENER, Role.DEPUTY_CONVENER})
# The service acting on its own (watchers, process managers, the seed): never a token's.
INTERNAL_ROLES = frozenset({Role.SYSTEM})


class Event(BaseModel):
    """A fact in the past tense; business data only, the kernel adds the envelope."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    schema_version: ClassVar[int] = 1

    @classmethod
    def event_type(cls) -> str:
        """The type name stored with the event (the class name)."""
        return cls.__name__


class Command(BaseModel):
    """An intent; `permitted` names the roles that may run it (a roster role in it is
    checked by the decide function against the roster, see `ROSTER_ROLES`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})
    # Dotted paths (`*` for every list item) of clear personal data in the command:
    # left out of the stored idempotency digest, which outlives a forget.
    personal_paths: ClassVar[tuple[str, ...]] = ()


class Deadline(BaseModel):
    """A due date counted in working days; provisional when it was counted over a year
    whose holidays are not yet announced (weekends alone), so it may still move."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    due: date
    is_provisional: bool


class WorkingDays(Protocol):
    """The statutory working-day calendar, as decide functions receive it."""

    def is_working_day(self, day: date) -> bool:
        """Whether people work that day (make-up working days included)."""
        ...

    def add_working_days(self, start: date, days: int) -> Deadline:
        """The day `days` working days after `start` (start itself not counted)."""
        ...

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        ...


class Personal(BaseModel):
    """One item of a person's personal data inside an event (ID number, phone, bank
    card). `value` is clear text on the way in only: the store seals it into
    `ciphertext` with the subject's own key, and forgetting the subject deletes that
    key. `is_forgotten` is set by a read after the key was deleted, never stored."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["personal"] = "personal"
    subject: str = Field(min_length=1)
    value: str | None = None
    ciphertext: str | None = None
    nonce: str | None = None
    is_forgotten: bool = False


@dataclass(frozen=True)
class Upcaster:
    """Turns the data of one event type from `from_version` to `from_version + 1`."""

    event_type: str
    from_version: int
    apply: Callable[[JsonObject], JsonObject]


def upcaster(
    event_type: str, *, from_version: int
) -> Callable[[Callable[[JsonObject], JsonObject]], Upcaster]:
    """Declare a function as the upcaster of one event type from one schema version."""

    def wrap(fn: Callable[[JsonObject], JsonObject]) -> Upcaster:
        return Upcaster(event_type=event_type, from_version=from_version, apply=fn)

    return wrap


S = TypeVar("S")
E = TypeVar("E", bound=Event)


def replay(evolve: Callable[[S, E], S], initial: S, events: Iterable[E]) -> S:
    """Fold events over the initial state, oldest first."""
    state = initial
    for event in events:
        state = evolve(state, event)
    return state


def event_classes(union: Any) -> tuple[type[Event], ...]:
    """The event classes of a `A | B | C` union (or a single class)."""
    args = typing.get_args(union) or (union,)
    classes = tuple(a for a in args if isinstance(a, type) and issubclass(a, Event))
    if len(classes) != len(args):
        raise TypeError(f"{union!r} is not a union of Event classes")
    return classes


@dataclass(frozen=True)
class Aggregate(Generic[S, E]):
    """A stream category, its initial state, its evolve function and its event types."""

    category: str
    initial: S
    evolve: Callable[[S, E], S]
    events: Any
    upcasters: tuple[Upcaster, ...] = ()
    # Bump when `evolve` changes what a state means without changing its shape: saved
    # snapshots (see `fingerprint`) are then ignored and taken again.
    snapshot_version: int = 1
    _by_type: Mapping[str, type[Event]] = field(init=False, repr=False)
    _upcasters: Mapping[tuple[str, int], Upcaster] = field(init=False, repr=False)
    _fingerprint: str | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_type = {cls.event_type(): cls for cls in event_classes(self.events)}
        object.__setattr__(self, "_by_type", by_type)
        object.__setattr__(
            self,
            "_upcasters",
            {(u.event_type, u.from_version): u for u in self.upcasters},
        )
        object.__setattr__(self, "_fingerprint", self._take_fingerprint(by_type))

    def _take_fingerprint(self, by_type: Mapping[str, type[Event]]) -> str | None:
        if not isinstance(self.initial, BaseModel):
            return None
        shape = {
            "category": self.category,
            "snapshot_version": self.snapshot_version,
            "state": type(self.initial).model_json_schema(),
            "events": sorted((n, c.schema_version) for n, c in by_type.items()),
        }
        text = json.dumps(shape, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def fingerprint(self) -> str | None:
        """What a snapshot of this aggregate's state must have been taken with to be
        used: its state's shape, its event types and `snapshot_version`. None when the
        state is not a pydantic model (no snapshots then)."""
        return self._fingerprint

    def snapshot_of(self, state: S) -> dict[str, Any]:
        """The state as JSON data, for a snapshot."""
        if not isinstance(state, BaseModel):
            raise TypeError(f"{self.category} states are not pydantic models")
        return state.model_dump(mode="json")

    def restore(self, data: Mapping[str, Any]) -> S:
        """The state a snapshot holds."""
        if not isinstance(self.initial, BaseModel):
            raise TypeError(f"{self.category} states are not pydantic models")
        return typing.cast(S, type(self.initial).model_validate(data, context=RECORDED))

    def stream_id(self, entity_id: str) -> str:
        """`<category>-<id>`, lowercase."""
        return f"{self.category}-{entity_id}".lower()

    def entity_id(self, stream_id: str) -> str:
        """The id part of a stream id of this category."""
        return stream_id.removeprefix(f"{self.category}-")

    def knows(self, event_type: str) -> bool:
        """Whether this aggregate's streams hold events of that type."""
        return event_type in self._by_type

    def decode(self, event_type: str, schema_version: int, data: JsonObject) -> E:
        """Upcast stored data to the current schema and parse it into its event class."""
        cls = self._by_type.get(event_type)
        if cls is None:
            raise LookupError(f"{self.category} has no event type {event_type}")
        version = schema_version
        while version < cls.schema_version:
            step = self._upcasters.get((event_type, version))
            if step is None:
                raise LookupError(f"no upcaster for {event_type} v{version}")
            data = step.apply(data)
            version += 1
        return typing.cast(E, cls.model_validate(data, context=RECORDED))

    def decode_json(self, event_type: str, schema_version: int, data: str) -> E:
        """`decode` from the stored JSON text: parsed by the event class itself when no
        upcaster has to run on it first."""
        cls = self._by_type.get(event_type)
        if cls is not None and schema_version == cls.schema_version:
            return typing.cast(E, cls.model_validate_json(data, context=RECORDED))
        return self.decode(event_type, schema_version, json.loads(data))

    def replay(self, events: Iterable[E]) -> S:
        """State after the given events, from the initial state."""
        return replay(self.evolve, self.initial, events)
