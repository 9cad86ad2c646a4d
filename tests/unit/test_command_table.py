"""The kernel's command table: the start-up check refuses a table that does not hold
together, and routes and `allowed_next` names come from the rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, FastAPI, Path
from pydantic import BaseModel

from shared.command_check import CommandTableError, check_table
from shared.command_routes import add_table_routes
from shared.command_table import (
    GIVEN,
    CommandTable,
    FromCommand,
    FromContext,
    Numbered,
    Resource,
    Row,
    entity_id,
    today,
)
from shared.domain import Aggregate, Command, Event
from shared.numbering import YearlyNumbers


class Thing(BaseModel, frozen=True):
    opened: bool = False


class ThingOpened(Event):
    name: str


def evolve(thing: Thing, event: ThingOpened) -> Thing:
    return Thing(opened=True)


THING = Aggregate(category="thing", initial=Thing(), evolve=evolve, events=ThingOpened)


class OpenThing(Command):
    code: str
    name: str


class CloseThing(Command):
    pass


class PolishThing(Command):
    pass


def open_thing(
    thing: Thing, command: OpenThing, *, today: date
) -> Sequence[ThingOpened]:
    return [ThingOpened(name=command.name)]


def close_thing(
    thing: Thing, command: CloseThing, *, today: date, thing_id: str
) -> Sequence[ThingOpened]:
    return []


def polish_thing(thing: Thing, command: PolishThing) -> Sequence[ThingOpened]:
    return []


ThingCode = Annotated[str, Path(pattern=r"^[a-z]+$")]
THINGS = Resource("things", id_param="code", id_type=ThingCode)

OPEN = Row(
    OpenThing,
    THING,
    open_thing,
    "Open a thing.",
    facts=(today(),),
    route=THINGS.create("open"),
    ids=FromCommand(lambda c: c.code),
)
CLOSE = Row(
    CloseThing,
    THING,
    close_thing,
    "Close a thing.",
    facts=(today(), entity_id("thing_id")),
    route=THINGS.step("close"),
)
POLISH: Row[PolishThing, object] = Row(
    PolishThing, THING, polish_thing, "Polish (no route: a watcher's)."
)
TABLE: CommandTable[None] = CommandTable(
    (OPEN, CLOSE, POLISH),
    transitions=({"new": (OpenThing,), "open": (CloseThing, PolishThing)},),
)


def problems_of(table: CommandTable[Any]) -> str:
    with pytest.raises(CommandTableError) as refused:
        check_table(table)
    return str(refused.value)


def test_a_table_that_holds_together_passes() -> None:
    check_table(TABLE)


def test_a_decide_function_needing_a_fact_no_provider_gives_is_refused() -> None:
    broken = CommandTable((OPEN, replace(CLOSE, facts=(today(),)), POLISH))
    assert "needs the fact 'thing_id'" in problems_of(broken)


def test_a_fact_the_decide_function_does_not_take_is_refused() -> None:
    broken = CommandTable((replace(OPEN, facts=(today(), entity_id("code"))),))
    assert "given the fact 'code', which it does not take" in problems_of(broken)


def test_a_fact_given_twice_is_refused() -> None:
    broken = CommandTable((replace(OPEN, facts=(today(), today())),))
    assert "given today twice" in problems_of(broken)


def test_a_numbered_rows_id_fact_counts_as_given() -> None:
    numbers = YearlyNumbers("thing_numbers", lambda y, n: f"{y}-{n}")
    numbered = replace(
        CLOSE,
        facts=(today(),),
        route=THINGS.create("close"),
        ids=Numbered(numbers, lambda c: 2024, id_fact="thing_id"),
    )
    check_table(CommandTable((numbered,)))


def test_two_rows_for_one_command_are_refused() -> None:
    broken = CommandTable((OPEN, CLOSE, replace(CLOSE, route=THINGS.step("shut"))))
    assert "CloseThing has 2 rows" in problems_of(broken)


def test_a_route_without_a_verb_is_refused() -> None:
    broken = CommandTable((OPEN, replace(CLOSE, route=THINGS.step(""))))
    assert "verb '' is missing" in problems_of(broken)


def test_two_rows_on_one_path_are_refused() -> None:
    broken = CommandTable((OPEN, CLOSE, replace(POLISH, route=THINGS.step("close"))))
    assert "route /things/{code}/close is used by 2 rows" in problems_of(broken)


def test_a_route_whose_id_rule_does_not_fit_is_refused() -> None:
    create_without_id = CommandTable((replace(OPEN, ids=GIVEN),))
    assert "needs the id rule FromCommand or Numbered" in problems_of(create_without_id)
    singleton = CommandTable((replace(POLISH, route=Resource("thing").step("polish")),))
    assert "needs the id rule FromContext" in problems_of(singleton)
    check_table(
        CommandTable(
            (
                replace(
                    POLISH,
                    route=Resource("thing").step("polish"),
                    ids=FromContext(lambda context: "one"),
                ),
            )
        )
    )


def test_a_transition_naming_a_command_without_a_row_is_refused() -> None:
    check_table(TABLE)  # an internal step (no route) may follow a status
    without_row = replace(TABLE, rows=(OPEN, CLOSE))
    assert "PolishThing has no row" in problems_of(without_row)


def test_a_decide_function_must_take_state_and_command() -> None:
    def odd(thing: Thing) -> Sequence[ThingOpened]:
        return []

    assert "must take (state, command)" in problems_of(
        CommandTable((replace(POLISH, decide=odd),))
    )


def test_allowed_next_names_only_the_steps_a_caller_can_take_over_http() -> None:
    assert TABLE.verbs((OpenThing, PolishThing, CloseThing)) == ["open", "close"]
    assert TABLE.verbs((PolishThing,)) == []
    assert TABLE.verbs(("close",)) == ["close"]
    with pytest.raises(KeyError):
        CommandTable((OPEN,)).verbs((PolishThing,))


def test_routes_come_from_the_rows() -> None:
    async def no_context() -> None:
        return None

    router = APIRouter()
    add_table_routes(router, TABLE, no_context)
    app = FastAPI()
    app.include_router(router)
    paths = app.openapi()["paths"]

    assert sorted(paths) == ["/things", "/things/{code}/close"]
    create, close = paths["/things"]["post"], paths["/things/{code}/close"]["post"]
    assert (create["operationId"], close["operationId"]) == (
        "open_thing",
        "close_thing",
    )
    assert "201" in create["responses"]
    assert "200" in close["responses"]
    assert create["summary"] == "Open a thing."
    [code] = [p for p in close["parameters"] if p["in"] == "path"]
    assert (code["name"], code["in"], code["schema"]["pattern"]) == (
        "code",
        "path",
        "^[a-z]+$",
    )
    body = close["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/CloseThing"}


def test_a_second_way_to_make_a_stream_is_posted_at_its_verb() -> None:
    route = THINGS.create("hand-over", at_verb=True)

    assert (route.path, route.status_code) == ("/things/hand-over", 201)
    assert THINGS.create("open").path == "/things"
