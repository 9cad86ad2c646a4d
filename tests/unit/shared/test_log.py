"""No personal data in a log line: tracebacks without locals, identifying query values,
ID numbers, phones and bearer tokens scrubbed from whatever renders them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog
from pydantic import BaseModel, ValidationError

from shared.log import REDACTED, configure_logging, scrub

ID_NUMBER = "11010519491231002X"
PHONE = "13800001111"
NAME = "王五"
TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJvZmZpY2UifQ.c2lnbmF0dXJlLWJ5dGVz"


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    """The log configured onto a buffer; the previous set-up restored afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    config = structlog.get_config()
    stream = io.StringIO()
    configure_logging("info", service="test", stream=stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.configure(**config)
    structlog.contextvars.clear_contextvars()


def fail_with_personal_data(id_number: str, phone: str) -> None:
    worker = {"id_number": id_number, "phone": phone}
    raise ValueError(f"worker {worker} does not fit")


def test_a_failed_request_logs_no_locals_and_no_personal_data(
    output: io.StringIO,
) -> None:
    try:
        fail_with_personal_data(ID_NUMBER, PHONE)
    except ValueError:
        structlog.get_logger().exception("request_failed", error="ValueError")
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")

    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    text = output.getvalue()

    assert [line["event"] for line in lines] == [
        "request_failed",
        "Exception in ASGI application",
    ]
    assert "fail_with_personal_data" in text
    assert ID_NUMBER not in text
    assert PHONE not in text
    assert "locals" not in lines[1]["exception"][0]["frames"][0]


def test_an_access_line_keeps_the_company_code_and_hides_the_person(
    output: io.StringIO,
) -> None:
    path = f"/check?uscc=91310000MA1K4LX42A&person={ID_NUMBER}&phone={PHONE}"

    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:50000", "GET", path, "1.1", 200
    )

    line = json.loads(output.getvalue())
    assert line["event"] == (
        '127.0.0.1:50000 - "GET /check?uscc=91310000MA1K4LX42A'
        f'&person={REDACTED}&phone={REDACTED} HTTP/1.1" 200'
    )


def test_the_input_a_validation_error_quotes_is_not_rendered(
    output: io.StringIO,
) -> None:
    class WorkerDetails(BaseModel):
        workers_count: int

    body = {"workers_count": f"{NAME} of unit 3"}

    try:
        WorkerDetails.model_validate(body)
    except ValidationError:
        structlog.get_logger().exception("event_parked", error="ValidationError")

    text = output.getvalue()
    assert "workers_count" in text
    assert NAME not in text
    assert f"input_value={REDACTED}, input_type=str" in text


def test_a_bearer_token_is_never_rendered(output: io.StringIO) -> None:
    structlog.get_logger().warning("token_refused", token=TOKEN)

    assert TOKEN not in output.getvalue()
    assert json.loads(output.getvalue())["token"] == REDACTED


def test_numbers_inside_hashes_and_ids_are_left_alone() -> None:
    digest = "ab" + "1" * 62
    line = f'{{"hash": "{digest}", "position": 12345, "stream": "case-2026-0042"}}'

    assert scrub(line) == line


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        (f"/check?person={ID_NUMBER}", f"/check?person={REDACTED}"),
        (f"/x?id_number={ID_NUMBER}&limit=5", f"/x?id_number={REDACTED}&limit=5"),
        (f"call {PHONE}", f"call {REDACTED}"),
        (f"id {ID_NUMBER.lower()}.", f"id {REDACTED}."),
    ],
)
def test_personal_values_are_redacted_wherever_they_appear(
    text: str, scrubbed: str
) -> None:
    assert scrub(text) == scrubbed
