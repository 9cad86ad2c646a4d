"""structlog JSON logging: one object per line with correlation id, actor, unit, stream.

No personal data reaches a line (STYLE §8): tracebacks carry no local variables, and
every rendered line is scrubbed last — the values of identifying query parameters
(`person=`, `id_number=`, `phone=`) in request lines, the input a pydantic error quotes,
anything shaped like a resident ID number or a mobile phone number (an exception's
message can quote its input), and bearer tokens."""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

import structlog
from structlog.tracebacks import ExceptionDictTransformer

# Query parameters that name a person; `uscc` names a company and stays readable.
PERSONAL_QUERY_PARAMETERS = ("person", "id_number", "phone")
REDACTED = "[redacted]"

_SCRUBS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(rf"([?&](?:{'|'.join(PERSONAL_QUERY_PARAMETERS)})=)[^&\s\"\\]*"),
        r"\1" + REDACTED,
    ),
    # pydantic quotes what it refused: a body's name or ID number, in an exception.
    (re.compile(r"(input_value=).*?(, input_type=)"), r"\1" + REDACTED + r"\2"),
    # A JWT: three base64url parts, the first a JSON header ("eyJ" is '{"').
    (re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]+"), REDACTED),
    # Resident ID numbers (GB 11643) and mainland mobile numbers, not inside a longer
    # word (a hash, an id) where they would be a coincidence.
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"), REDACTED),
    (re.compile(r"(?<![0-9A-Za-z])1\d{10}(?![0-9A-Za-z])"), REDACTED),
)


def scrub(line: str) -> str:
    """The line with personal data and tokens replaced by `[redacted]`."""
    for pattern, replacement in _SCRUBS:
        line = pattern.sub(replacement, line)
    return line


class _ScrubbedJson:
    """The JSON renderer, its output scrubbed: the last step, so whatever a processor,
    a library's message or an exception added is covered too."""

    def __init__(self) -> None:
        self._render = structlog.processors.JSONRenderer(ensure_ascii=False)

    def __call__(
        self, logger: object, name: str, event_dict: structlog.types.EventDict
    ) -> str:
        return scrub(str(self._render(logger, name, event_dict)))


def configure_logging(
    level: str = "info", *, service: str = "", stream: TextIO | None = None
) -> None:
    """Route structlog and the stdlib (uvicorn, aiokafka, asyncpg) through one JSON
    renderer, to `stream` (stdout unless given)."""
    shared_processors: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            # Drop what the level hides before any other work is done for it.
            structlog.stdlib.filter_by_level,
            *shared_processors,
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared_processors,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # Explicit: a frame's locals hold request bodies and personal data.
            structlog.processors.ExceptionRenderer(
                ExceptionDictTransformer(show_locals=False)
            ),
            _ScrubbedJson(),
        ],
    )
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    if service:
        structlog.contextvars.bind_contextvars(service=service)
