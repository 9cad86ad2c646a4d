"""Each service's AsyncAPI document: committed as the code makes it, valid against the
official AsyncAPI 3.0 JSON Schema (`@asyncapi/specs` from npm, installed by
scripts/test), describing every event exactly as it goes on the wire, and served."""

from __future__ import annotations

import copy
import importlib
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from pydantic import SecretStr

from qingqian_local.asyncapi import (
    contract_path,
    document_text,
    service_document,
)
from qingqian_local.cli import main
from qingqian_local.contracts import SERVICES, aggregates
from services.members.app import create_app
from services.members.settings import MembersSettings
from shared.chain import new_private_key_pem
from shared.envelope import Envelope, type_name
from shared.key_wrapping import Kek
from tests.event_samples import event_types, sample
from tests.service_server import new_token_maker

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tools/asyncapi/node_modules/@asyncapi/specs/schemas/3.0.0.json"


@cache
def asyncapi_validator() -> jsonschema.protocols.Validator:
    """The official schema: every definition it needs is bundled in it under its own
    `$id`, which the validator finds without fetching anything."""
    if not SPEC.is_file():
        pytest.fail(
            f"{SPEC} is missing: run `npm ci --prefix tools/asyncapi`"
            " (scripts/test does)"
        )
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(spec)
    validator_class.check_schema(spec)
    return validator_class(spec)


def spec_errors(document: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in asyncapi_validator().iter_errors(document)
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_the_committed_document_is_what_the_code_makes_now(service: str) -> None:
    committed = contract_path(service).read_text(encoding="utf-8")

    made = document_text(service_document(service))

    assert committed == made, "run `.venv/bin/qingqian contracts` and commit"


@pytest.mark.parametrize("service", SERVICES)
def test_the_committed_document_is_valid_asyncapi_3(service: str) -> None:
    document = json.loads(contract_path(service).read_text(encoding="utf-8"))

    assert document["asyncapi"] == "3.0.0"
    assert spec_errors(document) == []


def test_a_document_that_breaks_the_specification_is_refused() -> None:
    document = copy.deepcopy(service_document("members"))
    del document["operations"]["publishEvents"]["action"]
    document["channels"]["events"]["bindings"]["kafka"]["partitions"] = 0

    errors = spec_errors(document)

    assert errors != []


@pytest.mark.parametrize("service", SERVICES)
def test_the_app_declares_every_aggregate_its_domain_holds(service: str) -> None:
    app = importlib.import_module(f"services.{service}.app")

    declared = {a.category for a in app.AGGREGATES}

    assert declared == {a.category for a in aggregates(service)}


@pytest.mark.parametrize("service", SERVICES)
def test_every_event_type_is_a_message_on_the_events_channel_keyed_by_stream(
    service: str,
) -> None:
    document = service_document(service, namespace="other")
    channel = document["channels"]["events"]

    for aggregate, cls in event_types(service):
        name = type_name(service, cls.event_type(), cls.schema_version)
        message = document["components"]["messages"][name]
        assert name in channel["messages"]
        assert message["contentType"] == "application/cloudevents+json"
        assert message["bindings"]["kafka"]["key"]["pattern"] == (
            f"^{aggregate.category}-"
        )
    assert channel["address"] == f"other.{service}.events"
    assert document["channels"]["seals"]["address"] == f"other.{service}.seals"
    assert len(channel["messages"]) == len(event_types(service))


def _wire_event(service: str, category: str, data: dict[str, Any]) -> Any:
    """An event as the relay publishes it (`Envelope.to_json`), read back."""
    envelope = Envelope(
        id="0b7e7a8e-5c1e-4f43-9d53-6c2f0e6f6c11",
        source=f"/qingqian/chengdong/{service}",
        type="",
        subject=f"{category}-2024-000123",
        time=datetime(2024, 2, 29, 9, 30, tzinfo=UTC),
        data=data,
        streamversion=1,
        position=7,
        sequence=7,
        actor="office-1",
        actorunit="rsj",
        correlationid="5f0c",
        hash="a" * 64,
        prevhash="0" * 64,
    )
    return json.loads(envelope.to_json())


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("full", [True, False])
def test_every_event_on_the_wire_matches_its_message_payload(
    service: str, *, full: bool
) -> None:
    document = service_document(service)

    for aggregate, cls in event_types(service):
        name = type_name(service, cls.event_type(), cls.schema_version)
        event = sample(cls, full=full).model_dump(mode="json")
        wire = _wire_event(service, aggregate.category, event) | {"type": name}
        # The payload's references point into the document, so it is the root.
        payload = {**document, "$ref": f"#/components/messages/{name}/payload"}
        jsonschema.Draft7Validator(payload).validate(wire)


def test_an_event_of_another_type_does_not_match_a_message_payload() -> None:
    document = service_document("members")
    name = type_name("members", "UnitAdmitted", 1)
    payload = {**document, "$ref": f"#/components/messages/{name}/payload"}
    wire = _wire_event("members", "unit", {}) | {"type": name}

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(payload).validate(wire)


async def test_the_service_serves_its_document_for_its_namespace() -> None:
    settings = MembersSettings(
        database_url="postgresql://nobody@127.0.0.1:1/none",
        jwt_public_key=SecretStr(new_token_maker().public_pem),
        seal_private_key=SecretStr(new_private_key_pem()),
        personal_data_kek=SecretStr(Kek.generate().to_base64()),
        topic_namespace="district-7",
    )
    transport = httpx.ASGITransport(app=create_app(settings))

    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/asyncapi.json")

    assert response.status_code == 200
    assert response.json() == service_document("members", namespace="district-7")


def test_qingqian_contracts_writes_each_services_document(tmp_path: Path) -> None:
    code = main(["contracts", "--output", str(tmp_path)])

    assert code == 0
    for service in SERVICES:
        written = contract_path(service, tmp_path).read_text(encoding="utf-8")
        assert written == contract_path(service).read_text(encoding="utf-8")
