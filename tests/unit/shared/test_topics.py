"""What makes a relay topic unsafe for a permanent log, judged from what the broker says."""

from __future__ import annotations

import pytest
from aiokafka.errors import KafkaError

from shared.relay.topics import (
    TopicPolicy,
    TopicProblem,
    UnsafeTopic,
    creation_failure,
    unsafe_settings,
)
from shared.settings import ServiceSettings

WHOLE = {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}


def judged(
    configs: dict[str, str],
    *,
    replicas: tuple[int, ...] = (1, 1, 1),
    policy: TopicPolicy | None = None,
) -> list[tuple[str, str]]:
    problems = unsafe_settings(
        "qingqian.cases.events",
        replicas=list(replicas),
        configs=configs,
        wanted_partitions=3,
        policy=policy or TopicPolicy(),
    )
    return [(p.setting, p.value) for p in problems]


def test_a_topic_that_keeps_everything_on_enough_copies_is_safe() -> None:
    policy = TopicPolicy(replication_factor=3, min_insync_replicas=2)

    problems = judged(
        {**WHOLE, "min.insync.replicas": "2"}, replicas=(3, 3, 3), policy=policy
    )

    assert problems == []


def test_a_time_or_size_limit_is_unsafe() -> None:
    configs = {**WHOLE, "retention.ms": "604800000", "retention.bytes": "1073741824"}

    assert judged(configs) == [
        ("retention.ms", "604800000"),
        ("retention.bytes", "1073741824"),
    ]


@pytest.mark.parametrize("policy", ["compact", "compact,delete", "delete, compact"])
def test_compaction_is_unsafe_even_alongside_delete(policy: str) -> None:
    assert judged({**WHOLE, "cleanup.policy": policy}) == [("cleanup.policy", policy)]


def test_a_config_the_broker_does_not_report_is_not_judged() -> None:
    assert judged({}) == []


def test_fewer_partitions_or_copies_than_configured_are_unsafe() -> None:
    policy = TopicPolicy(replication_factor=3, min_insync_replicas=2)

    problems = judged(
        {**WHOLE, "min.insync.replicas": "1"}, replicas=(3, 1), policy=policy
    )

    assert problems == [
        ("min.insync.replicas", "1"),
        ("partitions", "2"),
        ("replication.factor", "1"),
    ]


def test_a_problem_reads_with_its_topic_setting_and_what_was_wanted() -> None:
    problem = TopicProblem("qingqian.cases.events", "retention.ms", "1000", "-1")

    assert str(problem) == "qingqian.cases.events: retention.ms=1000 (wanted -1)"


def test_new_topics_are_made_to_keep_everything_with_the_configured_isr() -> None:
    policy = TopicPolicy(replication_factor=3, min_insync_replicas=2)

    assert policy.topic_configs() == {**WHOLE, "min.insync.replicas": "2"}


def test_more_in_sync_copies_than_copies_are_refused() -> None:
    with pytest.raises(ValueError, match="TOPIC_MIN_INSYNC_REPLICAS"):
        TopicPolicy(replication_factor=1, min_insync_replicas=2)


def test_the_policy_comes_from_the_topic_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOPIC_REPLICATION_FACTOR", "3")
    monkeypatch.setenv("TOPIC_MIN_INSYNC_REPLICAS", "2")
    monkeypatch.setenv("TOPIC_ON_UNSAFE", "refuse")

    policy = TopicPolicy.from_settings(ServiceSettings())

    assert policy == TopicPolicy(
        replication_factor=3, min_insync_replicas=2, on_unsafe="refuse"
    )


def test_an_unknown_action_for_unsafe_topics_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOPIC_ON_UNSAFE", "ignore")

    with pytest.raises(ValueError, match="topic_on_unsafe"):
        ServiceSettings()


def test_a_topic_made_or_made_a_moment_ago_by_another_process_is_no_failure() -> None:
    assert creation_failure("t", 0, None) is None
    assert creation_failure("t", 36, "Topic with this name already exists.") is None


def test_a_topic_the_broker_will_not_make_as_asked_is_refused() -> None:
    # 38: INVALID_REPLICATION_FACTOR, as a cluster with fewer brokers answers.
    failure = creation_failure("qingqian.cases.events", 38, "larger than 1 broker")

    assert isinstance(failure, UnsafeTopic)
    assert "qingqian.cases.events: InvalidReplicationFactorError" in str(failure)


def test_a_passing_broker_error_while_creating_is_left_to_be_retried() -> None:
    # 41: NOT_CONTROLLER, retriable: the relay waits for the broker as when it is down.
    failure = creation_failure("t", 41, None)

    assert isinstance(failure, KafkaError)
    assert failure.retriable
