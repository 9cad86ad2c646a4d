"""CloudEvents 1.0 structured JSON mode: the one wire form of every event."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, computed_field

from shared.chain import timestamp
from shared.store import Recorded

CONTENT_TYPE = "application/cloudevents+json"
# An event's `dataschema` is this and its `type`: the `$id` of the JSON Schema of its
# data (contracts/events/<type>.json, `GET /schemas/<type>`). CloudEvents wants an
# absolute URI there, and a service does not know the address it is reached at.
SCHEMA_URI_PREFIX = "urn:qingqian:schema:"


def type_name(service: str, event_type: str, schema_version: int) -> str:
    """`qingqian.<service>.<Event>.v<n>`."""
    return f"qingqian.{service}.{event_type}.v{schema_version}"


def schema_uri(ce_type: str) -> str:
    """The `dataschema` of events of a CloudEvents `type`: `urn:qingqian:schema:<type>`."""
    return SCHEMA_URI_PREFIX + ce_type


def split_type(ce_type: str) -> tuple[str, str, int]:
    """(service, event type, schema version) from a CloudEvents `type`."""
    prefix, service, event_type, version = ce_type.split(".", 3)
    if prefix != "qingqian" or not version.startswith("v"):
        raise ValueError(f"not a qingqian event type: {ce_type}")
    return service, event_type, int(version[1:])


class Envelope(BaseModel):
    """A CloudEvents 1.0 event with Qingqian's extension attributes."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    specversion: str = "1.0"
    id: str
    source: str
    type: str
    subject: str
    time: datetime
    datacontenttype: str = "application/json"
    data: dict[str, Any]
    streamversion: int = Field(ge=1)
    position: int
    sequence: int | None = None
    actor: str
    actorunit: str
    correlationid: str
    causationid: str | None = None
    # Extension attributes outside the hash (docs/log-format.md), present only when
    # they apply: the day the data says the step happened, and `true` when it was
    # recorded more than BACKDATED_AFTER_DAYS later (shared.business_date).
    businessdate: date | None = Field(
        default=None,
        description="The step's business date (its `…_on` field), when it has one.",
    )
    backdated: bool = Field(
        default=False,
        description=(
            "Recorded more than BACKDATED_AFTER_DAYS days after `businessdate`;"
            " absent (false) otherwise."
        ),
    )
    hash: str
    prevhash: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def dataschema(self) -> str:
        """The URI of the JSON Schema of `data` (made from `type`, never read)."""
        return schema_uri(self.type)

    @property
    def event_type(self) -> str:
        """The event's type name without service and version."""
        return split_type(self.type)[1]

    @property
    def schema_version(self) -> int:
        """The schema version in the type."""
        return split_type(self.type)[2]

    def to_json(self) -> bytes:
        """Structured-mode JSON bytes (optional attributes left out when empty)."""
        return _json(
            specversion=self.specversion,
            id=self.id,
            source=self.source,
            type=self.type,
            subject=self.subject,
            time=timestamp(self.time),
            datacontenttype=self.datacontenttype,
            dataschema=self.dataschema,
            data=self.data,
            streamversion=self.streamversion,
            position=self.position,
            sequence=self.sequence,
            actor=self.actor,
            actorunit=self.actorunit,
            correlationid=self.correlationid,
            causationid=self.causationid,
            businessdate=self.businessdate,
            backdated=self.backdated,
            hash=self.hash,
            prevhash=self.prevhash,
        )


class StoredColumns(Protocol):
    """A stored event's columns under `Recorded`'s field names: its `vars()`, or a row."""

    def __getitem__(self, name: str, /) -> Any: ...


def envelope_json(recorded: Recorded, *, source: str, service: str) -> bytes:
    """`envelope_of(recorded).to_json()` without building the model in between (a
    stored event's fields are valid already)."""
    return row_envelope_json(vars(recorded), source=source, service=service)


def row_envelope_json(row: StoredColumns, *, source: str, service: str) -> bytes:
    """The same bytes from the columns alone (the relay's path: it reads no more than
    these, `event_id` as text, and makes no `Recorded`)."""
    ce_type = type_name(service, row["event_type"], row["schema_version"])
    body = {
        "specversion": "1.0",
        "id": str(row["event_id"]),
        "source": source,
        "type": ce_type,
        "subject": row["stream_id"],
        "time": timestamp(row["recorded_at"]),
        "datacontenttype": "application/json",
        "dataschema": schema_uri(ce_type),
        "data": row["data"],
        "streamversion": row["version"],
        "position": row["position"],
        "sequence": row["sequence"],
        "actor": row["actor"],
        "actorunit": row["actor_unit"],
        "correlationid": row["correlation_id"],
        "causationid": row["causation_id"],
        "businessdate": row["business_date"],
        "backdated": row["is_backdated"],
        "hash": row["hash"],
        "prevhash": row["prevhash"],
    }
    return _encode(body)


def _json(**body: Any) -> bytes:
    return _encode(body)


def _encode(body: dict[str, Any]) -> bytes:
    if body["sequence"] is None:
        del body["sequence"]
    if body["causationid"] is None:
        del body["causationid"]
    if body["businessdate"] is None:
        del body["businessdate"]
    else:
        body["businessdate"] = body["businessdate"].isoformat()
    if not body["backdated"]:
        del body["backdated"]
    data = _JSONB_TEXT.encode(body["data"])
    body["data"] = None
    # The first `"data":null` is the attribute itself: a quote inside an attribute
    # before it is escaped.
    text = _ENCODER.encode(body).replace('"data":null', f'"data":{data}', 1)
    return text.encode()


# `data` comes from the store as plain JSON values (decoded jsonb): the C encoder
# writes them as they are.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# `data` is written as PostgreSQL writes a jsonb (its keys in the order the store
# gives them, a space after each `,` and `:`), so the envelope PostgreSQL builds for
# `GET /events` and the export (shared.log_json) is the same bytes as this one: making
# the data compact there would cost a string-aware rewrite of every event's data.
# The event hash is over RFC 8785 (docs/log-format.md), which neither spacing touches.
_JSONB_TEXT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def envelope_of(recorded: Recorded, *, source: str, service: str) -> Envelope:
    """The CloudEvents form of a stored event."""
    return Envelope(
        id=str(recorded.event_id),
        source=source,
        type=type_name(service, recorded.event_type, recorded.schema_version),
        subject=recorded.stream_id,
        time=recorded.recorded_at,
        data=recorded.data,
        streamversion=recorded.version,
        position=recorded.position,
        sequence=recorded.sequence,
        actor=recorded.actor,
        actorunit=recorded.actor_unit,
        correlationid=recorded.correlation_id,
        causationid=recorded.causation_id,
        businessdate=recorded.business_date,
        backdated=recorded.is_backdated,
        hash=recorded.hash,
        prevhash=recorded.prevhash,
    )
