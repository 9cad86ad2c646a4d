"""The relay's topics keep the whole log, and an existing topic that does not is
reported, or refused, before the relay publishes to it."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from structlog.testing import capture_logs

from shared.chain import Ed25519Signer, new_private_key_pem
from shared.handling import execute
from shared.relay import Relay
from shared.relay.topics import TopicPolicy, UnsafeTopic, ensure_topics
from shared.store import EventStore
from tests.support import LEDGER, AddAmount, add_amount, context, stream

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(60),
]

SHORT_LIVED = {"retention.ms": "604800000", "cleanup.policy": "compact"}


def topic_name() -> str:
    return f"qingqian.topics-{uuid.uuid4().hex[:10]}.events"


async def create_topic(
    bootstrap: str, topic: str, *, partitions: int, configs: dict[str, str]
) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await admin.start()
        await admin.create_topics(
            [NewTopic(topic, partitions, 1, topic_configs=configs)]
        )
    finally:
        await admin.close()


async def described(bootstrap: str, topic: str) -> tuple[int, dict[str, str]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await admin.start()
        (topic_described,) = await admin.describe_topics([topic])
        (response,) = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic)]
        )
    finally:
        await admin.close()
    (resource,) = response.to_object()["resources"]
    configs = {e["config_names"]: e["config_value"] for e in resource["config_entries"]}
    return len(topic_described["partitions"]), configs


async def test_a_new_topic_is_made_to_keep_every_event_for_ever(
    kafka_bootstrap: str,
) -> None:
    topic = topic_name()

    problems = await ensure_topics(kafka_bootstrap, [topic], partitions=3)

    partitions, configs = await described(kafka_bootstrap, topic)
    assert problems == []
    assert partitions == 3
    assert configs["retention.ms"] == "-1"
    assert configs["retention.bytes"] == "-1"
    assert configs["cleanup.policy"] == "delete"
    assert configs["min.insync.replicas"] == "1"


async def test_a_topic_made_by_the_relay_passes_its_own_check_next_time(
    kafka_bootstrap: str,
) -> None:
    topic = topic_name()
    refuse = TopicPolicy(on_unsafe="refuse")
    await ensure_topics(kafka_bootstrap, [topic], partitions=3, policy=refuse)

    with capture_logs() as logs:
        problems = await ensure_topics(
            kafka_bootstrap, [topic], partitions=3, policy=refuse
        )

    assert problems == []
    assert not [e for e in logs if e["event"] == "topic_unsafe"]


async def test_an_unsafe_existing_topic_is_logged_naming_topic_and_setting(
    kafka_bootstrap: str,
) -> None:
    topic = topic_name()
    await create_topic(kafka_bootstrap, topic, partitions=1, configs=SHORT_LIVED)

    with capture_logs() as logs:
        problems = await ensure_topics(kafka_bootstrap, [topic], partitions=3)

    warned = {
        (e["topic"], e["setting"], e["value"])
        for e in logs
        if e["event"] == "topic_unsafe" and e["log_level"] == "warning"
    }
    assert warned == {
        (topic, "retention.ms", "604800000"),
        (topic, "cleanup.policy", "compact"),
        (topic, "partitions", "1"),
    }
    assert {(p.topic, p.setting, p.value) for p in problems} == warned


async def test_an_unsafe_existing_topic_is_refused_when_the_settings_say_so(
    kafka_bootstrap: str,
) -> None:
    topic = topic_name()
    await create_topic(kafka_bootstrap, topic, partitions=3, configs=SHORT_LIVED)

    with pytest.raises(UnsafeTopic) as refused:
        await ensure_topics(
            kafka_bootstrap,
            [topic],
            partitions=3,
            policy=TopicPolicy(on_unsafe="refuse"),
        )

    assert f"{topic}: retention.ms=604800000 (wanted -1)" in str(refused.value)
    assert f"{topic}: cleanup.policy=compact (wanted delete)" in str(refused.value)


async def test_the_relay_refuses_to_publish_to_an_unsafe_topic(
    fresh_pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    store = EventStore(fresh_pool)
    await execute(store, LEDGER, stream(), AddAmount(amount=2), add_amount, context())
    topic = topic_name()
    await create_topic(kafka_bootstrap, topic, partitions=3, configs=SHORT_LIVED)
    relay = Relay(
        store,
        bootstrap=kafka_bootstrap,
        service="test",
        source="/qingqian/chengdong/test",
        topic=topic,
        seals_topic=topic.replace(".events", ".seals"),
        signer=Ed25519Signer.from_pem(new_private_key_pem()),
        topic_policy=TopicPolicy(on_unsafe="refuse"),
    )

    with pytest.raises(UnsafeTopic, match=r"retention\.ms=604800000"):
        await asyncio.wait_for(relay.run(), 20)

    published = await fresh_pool.fetchval(
        "SELECT coalesce(max(published_sequence), 0) FROM relay_state"
    )
    assert published == 0
