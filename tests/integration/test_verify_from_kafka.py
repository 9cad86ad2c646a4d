"""`qingqian verify --from-kafka`: a log written through the kernel and published by a
real relay verifies from its topics alone; copies of it tampered with on purpose, each
on topics of its own, are reported naming what fails."""

from __future__ import annotations

import asyncio
import copy
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaProducer

from qingqian_local.cli import main
from qingqian_local.kafka_verify import Topics, verify_topics
from qingqian_local.topic_verify import TopicReport
from shared.chain import Ed25519Signer, new_private_key_pem, sha256_hex
from shared.relay.topics import ensure_topics
from shared.tree_head import Seal
from shared.trust import Jwks, TrustFile
from tests.kafka_reader import read_topic
from tests.published_log import publish_log

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(90),
]

SIGNER = Ed25519Signer.from_pem(new_private_key_pem())
TRUST = Jwks.of_signers(SIGNER)
STREAMS = 3
Message = dict[str, Any]


@dataclass(frozen=True)
class Genuine:
    bootstrap: str
    namespace: str
    service: str
    events: list[Message]
    seals: list[Message]

    def copies(self) -> tuple[list[Message], list[Message]]:
        return copy.deepcopy(self.events), copy.deepcopy(self.seals)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def genuine(pool: asyncpg.Pool, kafka_bootstrap: str) -> AsyncIterator[Genuine]:
    """12 events in 3 streams, sealed every 4, published by the relay; read back."""
    published = await publish_log(pool, kafka_bootstrap, SIGNER, streams=STREAMS)
    # The relay's topics are `t.<id>.events`: namespace `t`, service `<id>`.
    namespace, service, _ = published.events_topic.split(".")
    events = await read_topic(kafka_bootstrap, published.events_topic, until=12)
    seals = await read_topic(kafka_bootstrap, published.seals_topic, until=3)
    events.sort(key=lambda e: e["sequence"])
    seals.sort(key=lambda s: s["seal_no"])
    yield Genuine(kafka_bootstrap, namespace, service, events, seals)


async def publish_copy(
    genuine: Genuine, events: list[Message], seals: list[Message]
) -> str:
    """The messages, as read, on fresh `<namespace>.members.*` topics, each to the
    partition it was read from; returns the namespace."""
    namespace = f"v{uuid.uuid4().hex[:8]}"
    topics = [f"{namespace}.members.{kind}" for kind in ("events", "seals")]
    partitions = 1 + max(m["_partition"] for m in (*events, *seals))
    await ensure_topics(genuine.bootstrap, topics, partitions=max(3, partitions))
    producer = AIOKafkaProducer(bootstrap_servers=genuine.bootstrap)
    await producer.start()
    try:
        for topic, messages in zip(topics, (events, seals), strict=True):
            for message in messages:
                body = {k: v for k, v in message.items() if not k.startswith("_")}
                await producer.send_and_wait(
                    topic,
                    json.dumps(body).encode(),
                    key=message["_key"].encode(),
                    partition=message["_partition"],
                )
    finally:
        await producer.stop()
    return namespace


async def verify_copy(
    genuine: Genuine, events: list[Message], seals: list[Message]
) -> TopicReport:
    namespace = await publish_copy(genuine, events, seals)
    return await verify_topics(Topics(genuine.bootstrap, namespace), "members", TRUST)


def signed(seal: Message, signer: Ed25519Signer = SIGNER, **changes: Any) -> Message:
    """The seal message with `changes`, hashed and signed again by `signer`."""
    body = {**seal, **changes}
    head = Seal.model_validate(body).signed_bytes()
    return {**body, "seal_hash": sha256_hex(head), "signature": signer.sign(head)}


def kinds(report: TopicReport) -> set[tuple[str, int | None]]:
    return {(p.kind, p.seal) for p in report.problems}


async def test_a_log_published_by_the_relay_is_intact_from_its_topics_alone(
    genuine: Genuine,
) -> None:
    report = await verify_topics(
        Topics(genuine.bootstrap, genuine.namespace), genuine.service, TRUST
    )

    assert report.intact, report.problems
    assert report.summary() == "intact: 12 events in 3 streams, 3 seals"
    assert (report.sealed_size, report.unsealed) == (12, 0)


async def test_the_same_log_under_another_key_does_not_verify(
    genuine: Genuine,
) -> None:
    stranger = Jwks.of_signers(Ed25519Signer.generate())

    report = await verify_topics(
        Topics(genuine.bootstrap, genuine.namespace), genuine.service, stranger
    )

    assert report.problems[0].kind == "seal-invalid"
    assert "pinned keys do not hold" in report.problems[0].detail


async def test_an_altered_event_is_named_by_its_position(genuine: Genuine) -> None:
    events, seals = genuine.copies()
    events[5]["data"]["amount"] = 1000

    report = await verify_copy(genuine, events, seals)

    assert [p.kind for p in report.problems] == ["altered"]
    assert report.problems[0].position == events[5]["position"]
    assert report.summary().startswith(
        f"BROKEN at position {events[5]['position']}: altered"
    )


async def test_a_missing_event_breaks_its_stream_the_order_and_its_seal(
    genuine: Genuine,
) -> None:
    events, seals = genuine.copies()
    gone = next(e for e in events if e["streamversion"] == 2)
    events.remove(gone)

    report = await verify_copy(genuine, events, seals)

    found = {(p.kind, p.stream, p.sequence) for p in report.problems}
    assert ("missing", gone["subject"], gone["sequence"] + 1) in found
    assert ("sequence-gap", gone["subject"], gone["sequence"] + 1) in found
    assert report.problems[0].kind == "missing"
    assert report.problems[0].sequence == gone["sequence"]
    assert report.problems[0].seal is not None


async def test_a_seal_not_signed_by_the_pinned_key_is_named(genuine: Genuine) -> None:
    events, seals = genuine.copies()
    seals[1] = {
        **seals[1],
        "signature": signed(seals[1], Ed25519Signer.generate())["signature"],
    }

    report = await verify_copy(genuine, events, seals)

    first = report.problems[0]
    assert (first.kind, first.seal) == ("seal-invalid", 2)
    assert first.detail == "the signature does not verify with the pinned key"
    assert ("seal-gap", 3) in kinds(report)


async def test_a_seal_whose_root_is_not_the_events_root_is_named(
    genuine: Genuine,
) -> None:
    events, seals = genuine.copies()
    seals[2] = signed(seals[2], root_hash="ab" * 32)

    report = await verify_copy(genuine, events, seals)

    assert ("seal-root", 3) in kinds(report)
    assert report.problems[0].seal == 3
    assert not report.intact


async def test_events_after_the_last_seal_are_unsealed_not_broken(
    genuine: Genuine,
) -> None:
    events, seals = genuine.copies()

    report = await verify_copy(genuine, events, seals[:2])

    assert report.intact, report.problems
    assert (report.seals_checked, report.sealed_size, report.unsealed) == (2, 8, 4)


async def test_a_log_delivered_twice_is_checked_once(genuine: Genuine) -> None:
    events, seals = genuine.copies()

    # At least once: a relay publishes again after the broker lost its data.
    report = await verify_copy(genuine, events + events, seals + seals)

    assert report.intact, report.problems
    assert report.summary() == "intact: 12 events in 3 streams, 3 seals"


async def test_another_event_published_at_a_sequence_is_a_conflict(
    genuine: Genuine,
) -> None:
    events, seals = genuine.copies()
    other = {**copy.deepcopy(events[3]), "position": 10_000}

    report = await verify_copy(genuine, [*events, other], seals)

    assert [p.kind for p in report.problems] == ["conflicting-event"]
    assert report.problems[0].position == 10_000


async def test_the_command_reads_no_database_and_exits_by_what_it_found(
    genuine: Genuine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trust = tmp_path / "trust.json"
    trust.write_text(TrustFile({"members": TRUST}).model_dump_json())
    events, seals = genuine.copies()
    intact = await publish_copy(genuine, events, seals)
    events[0]["data"]["amount"] = 7
    altered = await publish_copy(genuine, events, seals)

    def run(namespace: str) -> int:
        return main(
            [
                "verify",
                "--from-kafka",
                "--service",
                "members",
                "--kafka",
                genuine.bootstrap,
                "--topic-namespace",
                namespace,
                "--trust",
                str(trust),
                "--home",
                str(tmp_path / "no-home"),
            ]
        )

    assert await asyncio.to_thread(run, intact) == 0
    assert "members: intact: 12 events in 3 streams, 3 seals" in capsys.readouterr().out
    assert await asyncio.to_thread(run, altered) == 1
    said = capsys.readouterr().out
    assert f"BROKEN at position {events[0]['position']}: altered" in said
    assert await asyncio.to_thread(run, "nowhere") == 2
    assert "no topic nowhere.members.events" in capsys.readouterr().out
