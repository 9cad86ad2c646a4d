"""A service's commands as one explicit, typed table: per command its aggregate, decide
function, the facts that function needs (typed providers), its route and how a new
stream's id is made. `shared.command_pipeline.run` handles every command from the
table, `shared.command_routes` makes the HTTP routes from it, `verbs` the
`allowed_next` lists, and `check_table` refuses a table that does not hold together.
Nothing is found by name: a decide function gets exactly the facts its row lists."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeAlias, TypeVar

import asyncpg

from shared.domain import Aggregate, Command, Event, Role
from shared.duties import Acting, DutyUnits
from shared.handling import CommandContext, load
from shared.numbering import YearlyNumbers
from shared.store import Appended, EventStore
from shared.unit_directory import active_units

T = TypeVar("T")
S = TypeVar("S")
X = TypeVar("X")
C = TypeVar("C", bound=Command)
C_co = TypeVar("C_co", bound=Command, covariant=True)
X_co = TypeVar("X_co", covariant=True)
C_contra = TypeVar("C_contra", bound=Command, contravariant=True)
X_contra = TypeVar("X_contra", contravariant=True)

Decide: TypeAlias = Callable[..., Sequence[Event]]


@dataclass(frozen=True)
class Scope(Generic[C_co, X_co]):
    """What a fact provider may look at: the store, the pool, who runs the command, the
    entity it addresses ("" while a numbered stream has no id yet), the command and the
    service's own context (e.g. its rules)."""

    store: EventStore
    pool: asyncpg.Pool
    ctx: CommandContext
    entity_id: str
    command: C_co
    context: X_co


@dataclass(frozen=True)
class Fact(Generic[T, C_contra, X_contra]):
    """One keyword argument of a decide function and how to get it (run only for the
    rows that list it)."""

    name: str
    provide: Callable[[Scope[C_contra, X_contra]], Awaitable[T]]


def fact(name: str, provide: Callable[[Scope[C, X]], Awaitable[T]]) -> Fact[T, C, X]:
    """A fact named `name`, got by `provide(scope)`."""
    return Fact(name, provide)


def state_of(
    name: str, aggregate: Aggregate[S, Any], entity_of: Callable[[C], str]
) -> Fact[S, C, object]:
    """The current state of another stream the command names, e.g. the unit a person is
    appointed to (its initial state when the stream has no events)."""

    async def provide(scope: Scope[C, object]) -> S:
        state, _ = await load(scope.store, aggregate, entity_of(scope.command))
        return state

    return Fact(name, provide)


async def _today(scope: Scope[Command, object]) -> Any:
    return scope.ctx.today


async def _actor_unit(scope: Scope[Command, object]) -> Any:
    return scope.ctx.actor.unit


async def _entity_id(scope: Scope[Command, object]) -> Any:
    return scope.entity_id


def today(name: str = "today") -> Fact[Any, Command, object]:
    """The business day the command runs on, in the district's time zone."""
    return Fact(name, _today)


def actor_unit(name: str = "unit") -> Fact[Any, Command, object]:
    """The unit of the person running the command."""
    return Fact(name, _actor_unit)


async def _active_units(scope: Scope[Command, object]) -> Any:
    return await active_units(scope.pool)


def acting(
    duty_units_of: Callable[[X], DutyUnits], name: str = "acting"
) -> Fact[Acting, Command, X]:
    """Who runs the command: their unit, whether they act as the office, and the duties
    their unit holds (`shared.duties`), from the service's copy of the district file."""

    async def provide(scope: Scope[Command, X]) -> Acting:
        return Acting.of(scope.ctx.actor, duty_units_of(scope.context))

    return Fact(name, provide)


def active_unit_codes(name: str = "units") -> Fact[Any, Command, object]:
    """The codes of the active member units (the service's copy of the directory)."""
    return Fact(name, _active_units)


def entity_id(name: str) -> Fact[Any, Command, object]:
    """The id of the entity the command addresses (`case_id`, `meeting_id`)."""
    return Fact(name, _entity_id)


# How the entity a command addresses is found when the caller does not name it.


@dataclass(frozen=True)
class Given:
    """The caller names the entity (the route's path, a watcher, the seed)."""


@dataclass(frozen=True)
class FromCommand(Generic[C_contra]):
    """A new stream whose id the command carries (`AdmitUnit.code`)."""

    id_of: Callable[[C_contra], str]


@dataclass(frozen=True)
class FromContext(Generic[X_contra]):
    """The one entity of its kind in the service (the district's joint meeting)."""

    id_of: Callable[[X_contra], str]


@dataclass(frozen=True)
class Numbered(Generic[C_contra]):
    """A new stream under the next gap-free number of a year (`shared.numbering`);
    with `id_fact`, the decide function receives the new id under that name."""

    numbers: YearlyNumbers
    year_of: Callable[[C_contra], int]
    id_fact: str | None = None


GIVEN = Given()
Ids: TypeAlias = Given | FromCommand[Any] | FromContext[Any] | Numbered[Any]


@dataclass(frozen=True)
class Route:
    """`POST /<resource>` (201, a new stream) when `creates`, or `POST
    /<resource>/<verb>` (201) for a second way to make one (`at_verb`); else `POST
    /<resource>/{<id_param>}/<verb>`, or `POST /<resource>/<verb>` without an id
    param. `verb` is also the step's name in `allowed_next` lists."""

    resource: str
    verb: str
    id_param: str | None = None
    id_type: Any = str
    creates: bool = False
    at_verb: bool = False

    @property
    def path(self) -> str:
        """The route's path, e.g. `/units/{code}/rename`."""
        if self.creates and not self.at_verb:
            return f"/{self.resource}"
        if self.id_param is None:
            return f"/{self.resource}/{self.verb}"
        return f"/{self.resource}/{{{self.id_param}}}/{self.verb}"

    @property
    def status_code(self) -> int:
        """201 for a new stream, 200 for a step on an existing one."""
        return 201 if self.creates else 200


@dataclass(frozen=True)
class Resource:
    """A path prefix and its id parameter, to make a resource's routes alike: `id_type`
    is the path parameter's annotation (e.g. `UnitCode`, or `Annotated[str, Path(...)]`)."""

    name: str
    id_param: str | None = None
    id_type: Any = str

    def create(self, verb: str, *, at_verb: bool = False) -> Route:
        """`POST /<name>` → 201; `verb` names the step in `allowed_next` lists. With
        `at_verb`, `POST /<name>/<verb>` → 201: another way to make a new stream
        (a case handed over by a unit, beside one the office receives)."""
        return Route(self.name, verb, creates=True, at_verb=at_verb)

    def step(self, verb: str) -> Route:
        """`POST /<name>/{<id_param>}/<verb>` (or `/<name>/<verb>` without an id)."""
        return Route(self.name, verb, self.id_param, self.id_type)


AfterRun: TypeAlias = Callable[[Scope[Any, Any], Appended], Awaitable[None]]


@dataclass(frozen=True)
class Row(Generic[C, X_contra]):
    """One command: the stream it addresses, how it is decided and how it is reached.
    `not_found` ("case {id} does not exist") refuses a step on a stream with no
    events; `then` runs after a successful append (e.g. deleting a forgotten key).
    A row without a route is an internal command (a watcher's, a process manager's,
    the seed's): it runs, but is never offered as a step."""

    command: type[C]
    aggregate: Aggregate[Any, Any]
    decide: Decide
    summary: str
    facts: tuple[Fact[Any, C, X_contra], ...] = ()
    route: Route | None = None
    ids: Ids = GIVEN
    description: str = ""
    not_found: str | None = None
    then: AfterRun | None = None

    @property
    def allowed_roles(self) -> frozenset[Role]:
        """Who may run the command (the command's `permitted` roles)."""
        return self.command.permitted

    @property
    def verb(self) -> str | None:
        """The step's name in `allowed_next` lists: its route's verb (None: internal)."""
        return self.route.verb if self.route is not None else None


Transitions: TypeAlias = Mapping[Any, Collection[type[Command]]]


@dataclass(frozen=True)
class CommandTable(Generic[X]):
    """A service's commands, one row each; `transitions` are its domain's
    "which commands each status allows" maps, checked against the rows."""

    rows: tuple[Row[Any, X], ...]
    transitions: tuple[Transitions, ...] = ()
    _by_command: dict[type, Row[Any, X]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_command", {r.command: r for r in self.rows})

    def row(self, command_type: type[Command]) -> Row[Any, X]:
        """The row of a command type; KeyError for a command not in the table."""
        return self._by_command[command_type]

    def verbs(self, steps: Iterable[type | str]) -> list[str]:
        """The `allowed_next` names of commands, in order: only the steps a caller can
        take over HTTP, so an internal command (no route) is left out; a name passes
        unchanged; KeyError for a command not in the table."""
        named = (s if isinstance(s, str) else self._by_command[s].verb for s in steps)
        return [verb for verb in named if verb is not None]
