"""Anchors outside the database: the seals a service published on Kafka
(`qingqian.<service>.seals`), read back so that `verify` can hold the database against
them — someone who rewrites the database cannot take back what was published."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import structlog
from aiokafka.errors import KafkaError
from pydantic import ValidationError

from shared.topic_read import read_to_end
from shared.tree_head import Seal

log = structlog.get_logger()


def parse_seal(value: bytes) -> Seal | None:
    """A tree-head seal from a message on a seals topic; None for a seal over a block
    (published before tree heads) or anything else that is not a seal."""
    try:
        body: Any = json.loads(value)
        if not isinstance(body, dict) or "tree_size" not in body:
            return None
        return Seal.model_validate(body)
    except (ValueError, ValidationError):
        return None


async def seals_on_kafka(
    bootstrap: str, topic: str, *, timeout_seconds: float = 10.0
) -> list[Seal]:
    """Every tree-head seal on `topic`, read from the start of each partition to its
    end as it stood when asked; [] when the topic does not exist. Raises TimeoutError
    when the broker does not hand them over within `timeout_seconds`."""
    messages = await asyncio.wait_for(
        read_to_end(bootstrap, topic, timeout_seconds=timeout_seconds),
        timeout_seconds,
    )
    seals: list[Seal] = []
    skipped = 0
    for message in messages or ():
        seal = None if message.value is None else parse_seal(message.value)
        if seal is None:
            skipped += 1
        else:
            seals.append(seal)
    if skipped:
        log.info("seals_topic_messages_skipped", topic=topic, count=skipped)
    return seals


async def published_anchors(
    bootstrap: str, topic: str, *, timeout_seconds: float = 10.0
) -> tuple[list[Seal], str | None]:
    """The seals on `topic` to hold a database against, or none and why: what
    `qingqian verify` calls for each service (without a broker it can still check the
    database by itself, but not that its tail is all there)."""
    try:
        return await seals_on_kafka(
            bootstrap, topic, timeout_seconds=timeout_seconds
        ), None
    except (KafkaError, OSError, TimeoutError) as exc:
        return [], f"no seals read from {bootstrap} ({type(exc).__name__})"
