"""Failures as RFC 9457 problem+json (STYLE §6): domain errors by class, a wrong shape,
the database away or too slow (503, Retry-After), and bugs (500)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.db import UNAVAILABLE, is_unavailable
from shared.errors import (
    ConcurrencyConflict,
    DomainError,
    IdempotencyKeyReused,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
    PreconditionFailed,
    RuleViolated,
    TooManyRequests,
    Unauthenticated,
)

log = structlog.get_logger()

PROBLEM = "application/problem+json"

_STATUS: list[tuple[type[DomainError], int]] = [
    (PreconditionFailed, 412),
    (ConcurrencyConflict, 409),
    (IdempotencyKeyReused, 422),
    (InvalidInput, 422),
    (Unauthenticated, 401),
    (NotPermitted, 403),
    (NotFound, 404),
    (InvalidTransition, 409),
    (RuleViolated, 409),
    (TooManyRequests, 429),
]


def _problem(
    status: int, code: str, title: str, detail: str, **extra: object
) -> JSONResponse:
    body: dict[str, object] = {
        "type": f"urn:qingqian:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "correlation_id": structlog.contextvars.get_contextvars().get("correlation_id"),
    }
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _status_of(error: DomainError) -> int:
    for cls, status in _STATUS:
        if isinstance(error, cls):
            return status
    return 400


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError
    response = _problem(
        _status_of(exc), exc.code, exc.title, exc.detail, **exc.extensions()
    )
    if isinstance(exc, TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _pointer(loc: Sequence[int | str]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return "#/" + "/".join(parts)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for it
    errors = [
        {"pointer": _pointer(e["loc"]), "rule": e["type"], "detail": e["msg"]}
        for e in exc.errors()
    ]
    fields = ", ".join(e["pointer"].removeprefix("#/") for e in errors)
    return _problem(
        422,
        "invalid-input",
        "Invalid input",
        f"the request does not fit the schema: {fields}",
        errors=errors,
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for it
    code = {404: "not-found", 405: "method-not-allowed", 413: "payload-too-large"}.get(
        exc.status_code, "http-error"
    )
    return _problem(exc.status_code, code, str(exc.detail), str(exc.detail))


def unavailable_problem(error: BaseException, *, retry_after: int) -> JSONResponse:
    """The answer to a request the database could not serve in time: 503, try later."""
    log.warning("request_unavailable", error=type(error).__name__)
    response = _problem(
        503,
        "service-unavailable",
        "Service unavailable",
        "the service's database did not answer in time; try again shortly",
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("request_failed", error=type(exc).__name__)
    return _problem(
        500, "internal-error", "Internal error", "an unexpected error occurred"
    )


def add_problem_handlers(app: FastAPI, *, retry_after: int) -> None:
    """problem+json for every failure: domain errors by class (§6), 422 for a wrong
    shape, 503 with `Retry-After` while the database is away or too slow, 500 for the
    rest (bugs)."""

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        if not is_unavailable(exc):
            return await _unexpected(request, exc)
        return unavailable_problem(exc, retry_after=retry_after)

    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # By class, not in the catch-all: Starlette re-raises what reaches that one, and
    # an outage is no bug (its traceback would be logged as one). asyncpg's
    # InterfaceError is an outage only when it says the connection closed.
    for cls in (*UNAVAILABLE, asyncpg.InterfaceError):
        app.add_exception_handler(cls, unavailable)
    app.add_exception_handler(Exception, _unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for problem+json answers."""
    return {s: {"description": "Problem", "content": {PROBLEM: {}}} for s in statuses}
