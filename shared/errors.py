"""The errors every service raises; `shared.http` maps each class to one HTTP status."""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """Base of every error the kernel turns into a problem+json answer."""

    code: str = "error"
    title: str = "Error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def extensions(self) -> dict[str, object]:
        """Extra members of the problem document."""
        return {}


class InvalidInput(DomainError):
    """A check pydantic cannot do alone failed (unknown unit, bad identifier)."""

    code = "invalid-input"
    title = "Invalid input"

    def __init__(self, field: str, rule: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.rule = rule

    def extensions(self) -> dict[str, object]:
        pointer = "#/" + self.field.replace(".", "/")
        return {
            "errors": [{"pointer": pointer, "rule": self.rule, "detail": self.detail}]
        }


class Unauthenticated(DomainError):
    """No bearer token, or one that does not verify."""

    code = "unauthenticated"
    title = "Unauthenticated"


class NotPermitted(DomainError):
    """The caller's role or unit may not run this command."""

    code = "not-permitted"
    title = "Not permitted"


class NotFound(DomainError):
    """No such stream or read-model row."""

    code = "not-found"
    title = "Not found"


class RuleViolated(DomainError):
    """The current state forbids the command for a named business rule."""

    title = "Rule violated"

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


class InvalidTransition(DomainError):
    """The aggregate's state does not allow this step; names what is allowed."""

    code = "invalid-transition"
    title = "Invalid transition"

    def __init__(
        self, current: str, allowed: Sequence[str | type], detail: str = ""
    ) -> None:
        super().__init__(detail or f"not allowed while {current}")
        self.current = str(current)
        # A domain may name the allowed steps by their command types; the service's
        # command table names them by their verbs (`shared.command_pipeline.run`).
        self.allowed: tuple[str | type, ...] = tuple(
            a if isinstance(a, type) else str(a) for a in allowed
        )

    def extensions(self) -> dict[str, object]:
        return {
            "current": self.current,
            "allowed": [a if isinstance(a, str) else a.__name__ for a in self.allowed],
        }


class ConcurrencyConflict(DomainError):
    """Another writer appended to the stream first."""

    code = "concurrency-conflict"
    title = "Concurrency conflict"

    def __init__(self, stream_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"{stream_id} is at version {actual}, the command expected {expected}"
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual

    def extensions(self) -> dict[str, object]:
        return {"expected_version": self.expected, "current_version": self.actual}


class PreconditionFailed(ConcurrencyConflict):
    """The `If-Match` version is not the stream's current version."""

    code = "precondition-failed"
    title = "Precondition failed"


class IdempotencyKeyReused(DomainError):
    """A command id was used before with a different command."""

    code = "idempotency-key-reused"
    title = "Idempotency key reused"

    def __init__(self, command_id: str) -> None:
        super().__init__(
            f"command id {command_id} was already used for a different command"
        )
        self.command_id = command_id

    def extensions(self) -> dict[str, object]:
        return {
            "errors": [
                {
                    "pointer": "#/headers/Idempotency-Key",
                    "rule": "idempotency_key_unique_per_command",
                    "detail": self.detail,
                }
            ]
        }


class TooManyRequests(DomainError):
    """The client sent more requests than its allowance; it may try again after
    `retry_after` seconds (answered with a `Retry-After` header)."""

    code = "too-many-requests"
    title = "Too many requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"too many requests from this client; try again in {retry_after} s"
        )
        self.retry_after = retry_after

    def extensions(self) -> dict[str, object]:
        return {"retry_after": self.retry_after}
