"""The CloudEvents envelope and settings (bearer tokens: test_tokens.py)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.chain import GENESIS
from shared.envelope import (
    Envelope,
    envelope_json,
    envelope_of,
    row_envelope_json,
    split_type,
)
from shared.settings import DistrictSettings, ServiceSettings
from shared.store import Recorded

RECORDED = Recorded(
    position=7,
    txid=100,
    event_id=uuid.UUID(int=1),
    stream_id="unit-rsj",
    version=1,
    event_type="UnitAdmitted",
    schema_version=1,
    data={"name_zh": "区人社局"},
    actor="seed",
    actor_unit="rsj",
    correlation_id="c-1",
    causation_id=None,
    command_id=None,
    recorded_at=datetime(2017, 8, 2, tzinfo=UTC),
    prevhash=GENESIS,
    hash="ab" * 32,
    sequence=3,
)


def test_a_stored_event_becomes_a_cloudevent_with_our_extensions() -> None:
    envelope = envelope_of(
        RECORDED, source="/qingqian/chengdong/members", service="members"
    )

    body = json.loads(envelope.to_json())

    assert body["specversion"] == "1.0"
    assert body["type"] == "qingqian.members.UnitAdmitted.v1"
    assert body["subject"] == "unit-rsj"
    assert body["time"] == "2017-08-02T00:00:00.000000+00:00"
    assert (body["streamversion"], body["position"], body["sequence"]) == (1, 7, 3)
    assert (body["actor"], body["actorunit"], body["correlationid"]) == (
        "seed",
        "rsj",
        "c-1",
    )
    assert "causationid" not in body
    assert Envelope.model_validate(body) == envelope


def test_a_backdated_event_carries_its_business_date_and_mark_outside_the_hash() -> (
    None
):
    source = "/qingqian/chengdong/members"
    dated = Recorded(
        **{**RECORDED.__dict__, "business_date": date(2017, 7, 1), "is_backdated": True}
    )
    row = {**vars(dated), "event_id": str(dated.event_id)}

    written = envelope_json(dated, source=source, service="members")

    assert b',"businessdate":"2017-07-01","backdated":true,"hash":' in written
    assert envelope_of(dated, source=source, service="members").to_json() == written
    assert row_envelope_json(row, source=source, service="members") == written
    parsed = Envelope.model_validate_json(written)
    assert (parsed.businessdate, parsed.backdated) == (date(2017, 7, 1), True)


def test_a_dated_event_recorded_in_time_has_a_business_date_and_no_mark() -> None:
    source = "/qingqian/chengdong/members"
    dated = Recorded(**{**RECORDED.__dict__, "business_date": date(2017, 8, 1)})

    body = json.loads(envelope_json(dated, source=source, service="members"))

    assert body["businessdate"] == "2017-08-01"
    assert "backdated" not in body
    assert "businessdate" not in json.loads(
        envelope_json(RECORDED, source=source, service="members")
    )


def test_the_relay_writes_the_same_bytes_without_building_the_model() -> None:
    source = "/qingqian/chengdong/members"
    caused = Recorded(**{**RECORDED.__dict__, "causation_id": "e-0", "sequence": None})

    for recorded in (RECORDED, caused):
        envelope = envelope_of(recorded, source=source, service="members")
        assert envelope_json(recorded, source=source, service="members") == (
            envelope.to_json()
        )


def test_the_columns_alone_make_the_same_bytes_with_the_event_id_as_text() -> None:
    source = "/qingqian/chengdong/members"
    row = {
        name: value
        for name, value in vars(RECORDED).items()
        if name not in {"txid", "command_id"}
    }
    row["event_id"] = str(RECORDED.event_id)

    assert row_envelope_json(row, source=source, service="members") == envelope_json(
        RECORDED, source=source, service="members"
    )


def test_the_data_is_written_as_postgresql_writes_a_jsonb_wherever_it_is_named() -> (
    None
):
    source = '/qingqian/"data":null'
    nested = Recorded(**{**RECORDED.__dict__, "data": {"a": [1, {"b": None}], "c": {}}})

    written = envelope_json(nested, source=source, service="members")

    assert b',"data":{"a": [1, {"b": null}], "c": {}},"streamversion":1,' in written
    assert json.loads(written)["source"] == source
    assert json.loads(written)["data"] == nested.data


def test_an_event_type_splits_into_service_name_and_version() -> None:
    assert split_type("qingqian.members.UnitAdmitted.v2") == (
        "members",
        "UnitAdmitted",
        2,
    )
    with pytest.raises(ValueError, match="not a qingqian event type"):
        split_type("com.example.Other.x")


def test_topics_are_named_for_the_service() -> None:
    settings = ServiceSettings(service="cases")

    assert settings.events_topic == "qingqian.cases.events"
    assert settings.seals_topic == "qingqian.cases.seals"
    assert settings.source == "/qingqian/chengdong/cases"


def test_a_bad_district_file_stops_with_the_field_named(tmp_path: Path) -> None:
    path = tmp_path / "district.toml"
    path.write_text(
        'code = "chengdong"\n[calendar."2027"]\nholidays = ["not a date"]\n',
        encoding="utf-8",
    )

    with pytest.raises(ValidationError, match=r"calendar\.2027\.holidays"):
        DistrictSettings.load(path)


def test_the_project_district_file_loads() -> None:
    assert DistrictSettings.load(Path("deploy/district.toml")).code == "chengdong"
