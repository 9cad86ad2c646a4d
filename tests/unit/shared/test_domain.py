"""The pure kernel: replay, aggregates, upcasters."""

from __future__ import annotations

import json
from typing import ClassVar

import pytest

from shared.domain import Aggregate, Command, Event, replay, upcaster
from shared.handling import command_digest
from tests.support import LEDGER, AmountAdded, Ledger, LedgerEvent, LedgerOpened, evolve


class Renamed(Event):
    schema_version: ClassVar[int] = 3
    name_zh: str
    name_en: str
    reason: str


@upcaster("Renamed", from_version=1)
def _split_name(data: dict[str, object]) -> dict[str, object]:
    return {
        "name_zh": data["name"],
        "name_en": "",
        **{k: v for k, v in data.items() if k != "name"},
    }


@upcaster("Renamed", from_version=2)
def _add_reason(data: dict[str, object]) -> dict[str, object]:
    return {**data, "reason": "unknown"}


THING: Aggregate[int, Renamed] = Aggregate(
    category="thing",
    initial=0,
    evolve=lambda n, _e: n + 1,
    events=Renamed,
    upcasters=(_split_name, _add_reason),
)


def test_replay_folds_events_oldest_first() -> None:
    events: list[LedgerEvent] = [
        LedgerOpened(name="a"),
        AmountAdded(amount=2),
        AmountAdded(amount=3),
    ]

    state = replay(evolve, Ledger(), events)

    assert state == Ledger(is_open=True, total=5)


def test_an_old_event_is_upcast_step_by_step_to_the_current_schema() -> None:
    event = THING.decode("Renamed", 1, {"name": "区安监局"})

    assert event == Renamed(name_zh="区安监局", name_en="", reason="unknown")


def test_a_current_event_is_read_as_stored() -> None:
    event = THING.decode("Renamed", 3, {"name_zh": "甲", "name_en": "A", "reason": "r"})

    assert event == Renamed(name_zh="甲", name_en="A", reason="r")


def test_an_unknown_event_type_is_an_error_not_a_silent_skip() -> None:
    with pytest.raises(LookupError):
        LEDGER.decode("Nonsense", 1, {})
    with pytest.raises(LookupError):
        LEDGER.decode_json("Nonsense", 1, "{}")


@pytest.mark.parametrize(
    ("schema_version", "text"),
    [
        (1, '{"name": "区安监局"}'),
        (2, '{"name_zh": "甲", "name_en": "A"}'),
        (3, '{"name_zh": "甲\\"乙", "name_en": "A\\n", "reason": "r"}'),
    ],
)
def test_stored_json_text_decodes_as_its_parsed_data_does(
    schema_version: int, text: str
) -> None:
    # Loads hand replay the stored JSON text: current events parse it themselves,
    # older ones go through their upcasters.
    assert THING.decode_json("Renamed", schema_version, text) == THING.decode(
        "Renamed", schema_version, json.loads(text)
    )


def test_stream_ids_are_category_dash_id_in_lowercase() -> None:
    assert LEDGER.stream_id("ABC-1") == "ledger-abc-1"
    assert LEDGER.entity_id("ledger-abc-1") == "abc-1"


class Enrol(Command):
    personal_paths = ("workers.*.id_number", "contact")

    workers: tuple[dict[str, str], ...]
    contact: str
    note: str


def test_the_idempotency_digest_keeps_no_trace_of_personal_data() -> None:
    one = Enrol(
        workers=({"id_number": "630102199001011234", "x": "1"},),
        contact="13800000000",
        note="n",
    )
    other = Enrol(
        workers=({"id_number": "110101199003076512", "x": "1"},),
        contact="13900000000",
        note="n",
    )
    changed = Enrol(
        workers=({"id_number": "630102199001011234", "x": "2"},),
        contact="13800000000",
        note="n",
    )

    assert command_digest("s-1", one) == command_digest("s-1", other)
    assert command_digest("s-1", one) != command_digest("s-1", changed)
