"""The relay's topics: made when missing so that they keep the whole log (no retention
limit, no compaction) on as many copies as the settings ask; and, for a topic that
exists already, a check that it does — warn, or refuse to publish to it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError, for_code

from shared.settings import ServiceSettings

log = structlog.get_logger()

# The events and seals topics distribute a permanent log: a rebuild or a new service
# reads them from the first event, so the broker must keep every message for ever —
# no time or size limit (Apache Kafka deletes after 7 days by default), and no
# compaction (it keeps only the last message of each key, i.e. of each stream).
WHOLE_LOG_CONFIGS: Mapping[str, str] = {
    "retention.ms": "-1",
    "retention.bytes": "-1",
    "cleanup.policy": "delete",
}


@dataclass(frozen=True)
class TopicPolicy:
    """How the relay's topics are made (copies kept, copies a write waits for) and what
    the relay does when an existing topic is not kept whole: warn, or refuse to run."""

    replication_factor: int = 1
    min_insync_replicas: int = 1
    on_unsafe: Literal["warn", "refuse"] = "warn"

    def __post_init__(self) -> None:
        # acks=all waits for min.insync.replicas copies: more than there are never come.
        if self.min_insync_replicas > self.replication_factor:
            raise ValueError(
                f"TOPIC_MIN_INSYNC_REPLICAS ({self.min_insync_replicas}) exceeds"
                f" TOPIC_REPLICATION_FACTOR ({self.replication_factor})"
            )

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> TopicPolicy:
        """The policy the service's settings name (`TOPIC_REPLICATION_FACTOR`, …)."""
        return cls(
            replication_factor=settings.topic_replication_factor,
            min_insync_replicas=settings.topic_min_insync_replicas,
            on_unsafe=settings.topic_on_unsafe,
        )

    def topic_configs(self) -> dict[str, str]:
        """The configs a new topic is created with."""
        return {
            **WHOLE_LOG_CONFIGS,
            "min.insync.replicas": str(self.min_insync_replicas),
        }


@dataclass(frozen=True)
class TopicProblem:
    """One setting of an existing topic that does not keep the log whole or safe."""

    topic: str
    setting: str
    value: str
    wanted: str

    def __str__(self) -> str:
        return f"{self.topic}: {self.setting}={self.value} (wanted {self.wanted})"


class UnsafeTopic(RuntimeError):
    """The broker would not make a topic as the policy asks, or an existing topic is
    not kept whole and the policy says refuse: the relay does not publish to it."""


async def ensure_topics(
    bootstrap: str,
    topics: list[str],
    *,
    partitions: int,
    policy: TopicPolicy | None = None,
) -> list[TopicProblem]:
    """Create those of the topics the broker does not have yet, kept whole and
    replicated as the policy asks; then check every one of them: each unsafe setting is
    logged naming topic and setting, and returned — or raises `UnsafeTopic` if the
    policy refuses."""
    policy = policy or TopicPolicy()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    try:
        # Inside the try: a start cancelled half-way must still be closed.
        await admin.start()
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t not in existing]
        if missing:
            await _create_topics(admin, missing, partitions=partitions, policy=policy)
        problems = await _inspect_topics(
            admin, topics, partitions=partitions, policy=policy
        )
    finally:
        await admin.close()
    _judge(problems, policy)
    return problems


async def _create_topics(
    admin: AIOKafkaAdminClient,
    topics: list[str],
    *,
    partitions: int,
    policy: TopicPolicy,
) -> None:
    response = await admin.create_topics(
        [
            NewTopic(
                t,
                num_partitions=partitions,
                replication_factor=policy.replication_factor,
                topic_configs=policy.topic_configs(),
            )
            for t in topics
        ]
    )
    # The broker answers per topic; aiokafka hands the codes back without raising.
    for result in response.to_object()["topic_errors"]:
        failure = creation_failure(
            result["topic"], result["error_code"], result.get("error_message")
        )
        if failure is not None:
            raise failure


def creation_failure(topic: str, code: int, message: str | None) -> Exception | None:
    """What the broker's answer to creating one topic means: None when it was made (by
    us, or by another process a moment ago: checked next either way), a retriable
    broker error, or `UnsafeTopic` when the broker will not make it as asked."""
    if code == 0:
        return None
    error = for_code(code)
    if issubclass(error, TopicAlreadyExistsError):
        return None
    if error.retriable:
        retriable: Exception = error(message)
        return retriable
    # Never leave it to the producer: a broker that creates topics on first use would
    # make it with its own defaults (7 days' retention, one copy).
    return UnsafeTopic(
        f"the broker would not create {topic}: {error.__name__}: {message}"
    )


async def _inspect_topics(
    admin: AIOKafkaAdminClient,
    topics: list[str],
    *,
    partitions: int,
    policy: TopicPolicy,
) -> list[TopicProblem]:
    described = await admin.describe_topics(topics)
    configs = await _topic_configs(admin, topics)
    problems: list[TopicProblem] = []
    for topic in described:
        name = topic["topic"]
        if topic["error_code"] != 0:
            # A topic made a moment ago may have no leader yet (retriable: the relay
            # tries again shortly) — not a topic with no partitions.
            raise for_code(topic["error_code"])(name)
        problems += unsafe_settings(
            name,
            replicas=[len(p["replicas"]) for p in topic["partitions"]],
            configs=configs.get(name, {}),
            wanted_partitions=partitions,
            policy=policy,
        )
    return problems


async def _topic_configs(
    admin: AIOKafkaAdminClient, topics: list[str]
) -> dict[str, dict[str, str]]:
    """Each topic's configs as the broker describes them (name → value)."""
    responses = await admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, t) for t in topics]
    )
    configs: dict[str, dict[str, str]] = {}
    for response in responses:
        for resource in response.to_object()["resources"]:
            if resource["error_code"] != 0:
                raise for_code(resource["error_code"])(resource["error_message"])
            configs[resource["resource_name"]] = {
                entry["config_names"]: entry["config_value"]
                for entry in resource["config_entries"]
                if entry["config_value"] is not None
            }
    return configs


def unsafe_settings(
    topic: str,
    *,
    replicas: list[int],
    configs: Mapping[str, str],
    wanted_partitions: int,
    policy: TopicPolicy,
) -> list[TopicProblem]:
    """What keeps a topic (`replicas`: each partition's replica count; `configs` as the
    broker describes them) from holding the whole log as safely as the policy asks.

    A config the broker does not report is not judged: Apache Kafka reports every one,
    defaults included, while tansu (which keeps nothing past a restart anyway) reports
    only those a topic was created with."""
    problems = [
        TopicProblem(topic, name, configs[name], wanted)
        for name, wanted in WHOLE_LOG_CONFIGS.items()
        if name in configs and _normal(name, configs[name]) != wanted
    ]
    isr = configs.get("min.insync.replicas")
    if isr is not None and _below(isr, policy.min_insync_replicas):
        wanted = f">= {policy.min_insync_replicas}"
        problems.append(TopicProblem(topic, "min.insync.replicas", isr, wanted))
    if len(replicas) < wanted_partitions:
        wanted = f">= {wanted_partitions}"
        problems.append(TopicProblem(topic, "partitions", str(len(replicas)), wanted))
    if replicas and min(replicas) < policy.replication_factor:
        wanted = f">= {policy.replication_factor}"
        problems.append(
            TopicProblem(topic, "replication.factor", str(min(replicas)), wanted)
        )
    return problems


def _normal(name: str, value: str) -> str:
    if name == "cleanup.policy":
        # "compact,delete" compacts too: only a policy of delete alone keeps every key.
        return ",".join(sorted({p.strip() for p in value.split(",")}))
    return value.strip()


def _below(value: str, least: int) -> bool:
    try:
        return int(value) < least
    except ValueError:
        return True


def _judge(problems: list[TopicProblem], policy: TopicPolicy) -> None:
    for problem in problems:
        fields = {
            "topic": problem.topic,
            "setting": problem.setting,
            "value": problem.value,
            "wanted": problem.wanted,
        }
        if policy.on_unsafe == "refuse":
            log.error("topic_unsafe", action="refuse", **fields)
        else:
            log.warning("topic_unsafe", action="warn", **fields)
    if problems and policy.on_unsafe == "refuse":
        raise UnsafeTopic(
            "; ".join(str(p) for p in problems)
            + " (TOPIC_ON_UNSAFE=refuse: fix the topic with kafka-configs, see"
            " docs/deployment.md)"
        )
