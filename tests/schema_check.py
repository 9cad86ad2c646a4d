"""Every event a test appends, checked against its committed JSON Schema
(contracts/events/) by an independent validator (`jsonschema`, draft 2020-12) before
the store writes it: tests/conftest.py wraps `EventStore.append` for the session.
Services the tests start as processes (tests/e2e) are checked over HTTP instead
(`check_envelopes`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from jsonschema import Draft202012Validator

from qingqian_local import contracts
from shared.domain import Event, event_classes
from shared.envelope import schema_uri


class SchemaCheck:
    """A validator per committed schema, and which of them each service event class
    is held to."""

    def __init__(self) -> None:
        self.validators = {
            schema_uri(ce_type): Draft202012Validator(
                schema, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
            for ce_type, schema in contracts.committed().items()
        }
        self.by_class = {
            cls: schema_uri(
                f"qingqian.{service}.{cls.event_type()}.v{cls.schema_version}"
            )
            for service in contracts.SERVICES
            for aggregate in contracts.aggregates(service)
            for cls in event_classes(aggregate.events)
        }
        self.checked = 0

    def check_events(self, events: Sequence[Event]) -> None:
        """Raises AssertionError for a service event its schema refuses (events of
        classes the tests define themselves have no published schema)."""
        for event in events:
            uri = self.by_class.get(type(event))
            if uri is not None:
                self.check(uri, event.model_dump(mode="json"))

    def check(self, uri: str, data: Any) -> None:
        """Raises AssertionError unless `data` validates against the schema `uri`."""
        validator = self.validators.get(uri)
        assert validator is not None, f"no committed schema {uri}"
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"{uri} refuses the data: {errors}"
        self.checked += 1

    def check_envelopes(self, envelopes: Iterable[dict[str, Any]]) -> None:
        """Each envelope's data against the schema its `dataschema` names."""
        for envelope in envelopes:
            assert envelope["dataschema"] == schema_uri(envelope["type"])
            self.check(envelope["dataschema"], envelope["data"])
