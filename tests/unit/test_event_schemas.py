"""Every event's published contract (docs/log-format.md, "Event schemas"): the
committed schemas are the ones the event classes make (the compatibility gate), and a
sample of every event type, as the store writes it, validates against its committed
schema with an independent validator (`jsonschema`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from qingqian_local import contracts
from qingqian_local.contracts import SERVICES
from services.cases.domain.assignment import CaseAssigned
from shared.contracts import Schema
from shared.domain import Event
from shared.envelope import schema_uri
from tests.event_samples import event_types, sample
from tests.schema_check import SchemaCheck

COMMITTED = contracts.committed()
GENERATED = contracts.generated()
TYPES = sorted(GENERATED)


def test_no_committed_schema_of_a_type_and_version_changed() -> None:
    changed = contracts.breaking(GENERATED, COMMITTED)

    assert not changed, (
        f"the published schemas of {changed} would change: a published version never"
        " does. Give the event class a new schema_version and its aggregate an"
        " upcaster (STYLE.md §3), then run " + contracts.GENERATE
    )


def test_every_schema_the_classes_make_is_committed() -> None:
    missing = contracts.stale(GENERATED, COMMITTED)

    assert not missing, (
        f"contracts/events/ lacks or differs in the wording of {missing}:"
        f" run {contracts.GENERATE} and commit what it writes"
    )


def test_every_committed_schema_is_made_by_a_class_or_upcast_to_one() -> None:
    assert contracts.orphans(COMMITTED) == []


@pytest.mark.parametrize("ce_type", TYPES)
def test_a_schema_is_a_2020_12_schema_named_by_the_dataschema(ce_type: str) -> None:
    schema = COMMITTED[ce_type]

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == schema_uri(ce_type)


@pytest.mark.parametrize(
    ("service", "cls"),
    [(service, cls) for service in SERVICES for _, cls in event_types(service)],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_full_and_sparse_samples_validate_against_the_committed_schema(
    service: str, cls: type[Event]
) -> None:
    ce_type = f"qingqian.{service}.{cls.__name__}.v{cls.schema_version}"
    validator = validator_of(COMMITTED[ce_type])

    for full in (True, False):
        data = sample(cls, full=full).model_dump(mode="json")
        assert list(validator.iter_errors(data)) == []


def test_the_schema_refuses_what_the_class_refuses() -> None:
    """The validator is not one that passes anything: an unknown field, a missing one
    and a wrong type each fail."""
    validator = validator_of(COMMITTED["qingqian.cases.CaseAssigned.v1"])
    good = {"lead_unit": "rsj", "helping_units": [], "due_on": "2024-02-29", "note": ""}

    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "extra": 1})
    assert not validator.is_valid({k: v for k, v in good.items() if k != "note"})
    assert not validator.is_valid({**good, "helping_units": "rsj"})
    assert not validator.is_valid({**good, "due_on": "2024-02-30"})


def test_the_gate_tells_a_change_of_shape_from_one_of_wording() -> None:
    ce_type = "qingqian.cases.CaseAssigned.v1"
    schema = GENERATED[ce_type]
    reworded: Schema = {**schema, "description": "other words"}
    reshaped: Schema = {**schema, "required": schema["required"][:-1]}

    assert contracts.breaking(GENERATED, {ce_type: reworded}) == []
    assert ce_type in contracts.stale(GENERATED, {ce_type: reworded})
    assert ce_type not in contracts.stale(GENERATED, {ce_type: schema})
    assert contracts.breaking(GENERATED, {ce_type: reshaped}) == [ce_type]
    # a property named like an annotation is shape, not wording
    titled = json.loads(json.dumps(schema).replace('"note"', '"title"'))
    assert contracts.breaking(GENERATED, {ce_type: titled}) == [ce_type]


def test_the_writer_never_overwrites_a_published_schema(tmp_path: Path) -> None:
    ce_type = "qingqian.cases.CaseAssigned.v1"
    reshaped = {**GENERATED[ce_type], "required": []}
    path = tmp_path / f"{ce_type}.json"
    path.write_text(contracts.text(reshaped), encoding="utf-8")

    written, refused = contracts.write(tmp_path)

    assert refused == [ce_type]
    assert ce_type not in written
    assert len(written) == len(TYPES) - 1
    assert json.loads(path.read_text(encoding="utf-8")) == reshaped


def test_a_committed_schema_no_class_makes_or_upcasts_is_refused() -> None:
    older: dict[str, Schema] = {
        "qingqian.cases.CaseAssigned.v0": {},
        "qingqian.cases.Nothing.v1": {},
    }

    assert contracts.orphans(older) == sorted(older)


def validator_of(schema: Schema) -> Draft202012Validator:
    """A validator that also checks formats (`date`)."""
    return Draft202012Validator(
        schema, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def test_the_append_check_passes_a_valid_event_and_refuses_bad_data(
    events_match_their_schemas: SchemaCheck,
) -> None:
    """The session's check (tests/conftest.py) is one that can fail."""
    check = events_match_their_schemas
    good = sample(CaseAssigned, full=True)
    uri = "urn:qingqian:schema:qingqian.cases.CaseAssigned.v1"
    bad = {**good.model_dump(mode="json"), "due_on": "2024-02-30"}

    check.check_events([good])
    with pytest.raises(AssertionError, match=r"CaseAssigned\.v1 refuses"):
        check.check(uri, bad)
