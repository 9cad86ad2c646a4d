"""`qingqian verify --from-kafka`: each service verified from its events and seals
topics alone, as anyone with read access to the broker could — no database is read, so
a service's own account of itself plays no part; the keys are pinned (`--trust`, else
the local keys)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiokafka.errors import KafkaError

from qingqian_local.console import say
from qingqian_local.topic_verify import TopicReport, parse_log, verify_published
from shared.topic_read import read_to_end
from shared.trust import Jwks

_SHOWN = 10


@dataclass(frozen=True)
class Topics:
    """Where a service's log is published, and how long a silent broker is waited for."""

    bootstrap: str
    namespace: str
    timeout_seconds: float = 10.0

    def of(self, service: str, kind: str) -> str:
        """`<namespace>.<service>.events` or `.seals`."""
        return f"{self.namespace}.{service}.{kind}"


class Unreadable(Exception):
    """A topic that cannot be read: no broker, no such topic, a broker gone silent."""


async def verify_topics(topics: Topics, service: str, trust: Jwks) -> TopicReport:
    """The service's log as its topics hold it, from their beginnings to the ends they
    had when asked, verified with the pinned keys `trust`; raises `Unreadable`."""
    read = []
    for kind in ("events", "seals"):
        topic = topics.of(service, kind)
        try:
            messages = await read_to_end(
                topics.bootstrap, topic, timeout_seconds=topics.timeout_seconds
            )
        except (KafkaError, OSError, TimeoutError) as exc:
            raise Unreadable(
                f"{topic} not read from {topics.bootstrap} ({type(exc).__name__})"
            ) from exc
        if messages is None:
            raise Unreadable(f"no topic {topic} on {topics.bootstrap}")
        read.append(messages)
    return verify_published(parse_log(*read), trust)


def report_from_kafka(
    topics: Topics, services: list[str], trusted: dict[str, Jwks], *, as_json: bool
) -> int:
    """Verify each service from its topics and say so: 0 when every one is intact, 1
    when one is not, 2 when a topic cannot be read."""

    async def run() -> int:
        status = 0
        for name in services:
            try:
                report = await verify_topics(topics, name, trusted[name])
            except Unreadable as why:
                say(f"{name}: cannot verify from Kafka: {why}")
                status = 2
                continue
            say(f"{name}: {report.summary()}")
            if report.unsealed:
                say(
                    f"  {report.unsealed} event(s) after the last seal (tree of"
                    f" {report.sealed_size}) are not sealed yet: their hashes and"
                    " chains verify, no signature covers them"
                )
            if as_json:
                say(report.model_dump_json(indent=2))
            for problem in report.problems[:_SHOWN]:
                say(
                    f"  - {_where(problem.position, problem.sequence, problem.seal)}:"
                    f" {problem.kind} — {problem.detail}"
                )
            if not report.intact:
                status = max(status, 1)
        return status

    return asyncio.run(run())


def _where(position: int | None, sequence: int | None, seal: int | None) -> str:
    if position is not None:
        return f"position {position}"
    if seal is not None:
        return f"seal {seal}"
    return "the topic" if sequence is None else f"sequence {sequence}"
