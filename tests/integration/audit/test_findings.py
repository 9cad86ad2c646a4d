"""Audit verifies what it reads from Kafka alone: each kind of tampering with a
published log, made on purpose on a copy of a genuine one, shows as its finding."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from shared.chain import Ed25519Signer
from tests.integration.audit.conftest import EVENTS, SEALS, Audit, make_seal
from tests.kafka_reader import read_topic
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


def _copy(audit: Audit) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return copy.deepcopy(audit.genuine.events), copy.deepcopy(audit.genuine.seals)


async def test_a_genuine_log_verifies_with_no_finding(audit: Audit) -> None:
    async def all_held() -> bool:
        response = await audit.client.get("/status")
        status = {s["service"]: s for s in response.json()}["genuine"]
        return bool(status["seals_held"] == SEALS and status["verified_size"] == EVENTS)

    await eventually(all_held, timeout=20)

    assert await audit.findings("genuine") == []


async def test_an_altered_event_is_found(audit: Audit) -> None:
    events, seals = _copy(audit)
    events[5]["data"]["amount"] = 1000

    await audit.publish("altered", events, seals)

    found = await audit.wait_for_kinds("altered", "altered")
    assert [f["position"] for f in found if f["kind"] == "altered"] == [
        events[5]["position"]
    ]
    metrics = (await audit.client.get("/metrics")).text
    assert 'qingqian_audit_findings_total{kind="altered",service="altered"}' in metrics
    # Audit's own log, published by its relay on its events topic.
    published = await read_topic(
        audit.bootstrap,
        f"{audit.namespace}.audit.events",
        until=lambda messages: any(m["data"]["service"] == "altered" for m in messages),
    )
    raised = [m for m in published if m["data"]["service"] == "altered"]
    assert raised[0]["type"] == "qingqian.audit.FindingRaised.v1"
    assert raised[0]["data"]["kind"] == "altered"


async def test_a_missing_event_is_found_in_its_stream_and_its_sealed_range(
    audit: Audit,
) -> None:
    events, seals = _copy(audit)
    gone = next(e for e in events if e["streamversion"] == 2)
    events.remove(gone)

    await audit.publish("missing", events, seals)

    found = await audit.wait_for_kinds("missing", "missing")

    async def in_both() -> bool:
        found[:] = await audit.findings("missing")
        return {(f["stream_id"], f["sequence"]) for f in found} >= {
            (gone["subject"], gone["sequence"] + 1),
            (None, gone["sequence"]),
        }

    await eventually(in_both, timeout=20)


async def test_a_reordered_stream_is_found(audit: Audit) -> None:
    events, seals = _copy(audit)
    subject = events[0]["subject"]
    first, second = (
        events.index(e)
        for e in events
        if e["subject"] == subject and e["streamversion"] in (2, 3)
    )
    events[first], events[second] = events[second], events[first]

    await audit.publish("reordered", events, seals)

    found = await audit.wait_for_kinds("reordered", "reordered")
    assert {f["stream_id"] for f in found if f["kind"] == "reordered"} == {subject}


async def test_two_seals_for_one_number_are_a_fork(audit: Audit) -> None:
    events, seals = _copy(audit)
    fork = make_seal(
        seal_no=2,
        tree_size=seals[1]["tree_size"],
        root_hash="ab" * 32,
        prev_seal_hash=seals[0]["seal_hash"],
        consistency=seals[1]["consistency"],
    )
    fork |= {"_key": seals[1]["_key"], "_partition": seals[1]["_partition"]}

    await audit.publish("forked", events, [*seals, fork])

    found = await audit.wait_for_kinds("forked", "seal-fork")
    assert {f["seal_no"] for f in found if f["kind"] == "seal-fork"} == {2}


async def test_a_seal_sequence_going_back_is_a_rollback(audit: Audit) -> None:
    events, seals = _copy(audit)
    # The database restored to seal 1 and sealed again: a new seal 2 after seal 3.
    again = make_seal(
        seal_no=2,
        tree_size=seals[1]["tree_size"],
        root_hash=seals[1]["root_hash"],
        prev_seal_hash=seals[0]["seal_hash"],
        consistency=seals[1]["consistency"],
    )
    again |= {"_key": seals[1]["_key"], "_partition": seals[1]["_partition"]}

    await audit.publish("rolledback", events, [*seals, again])

    found = await audit.wait_for_kinds("rolledback", "seal-rollback")
    assert {f["seal_no"] for f in found if f["kind"] == "seal-rollback"} == {2}


async def test_seals_signed_with_a_key_never_rotated_to_are_found(
    audit: Audit,
) -> None:
    events, seals = _copy(audit)
    thief = Ed25519Signer.generate()
    resigned: list[dict[str, Any]] = []
    prev = "0" * 64
    for seal in seals:
        made = make_seal(
            seal_no=seal["seal_no"],
            tree_size=seal["tree_size"],
            root_hash=seal["root_hash"],
            prev_seal_hash=prev,
            signer=thief,
            consistency=seal["consistency"],
        )
        resigned.append(made | {"_key": seal["_key"], "_partition": seal["_partition"]})
        prev = made["seal_hash"]

    await audit.publish("swapped", events, resigned)

    found = await audit.wait_for_kinds("swapped", "key-swapped", "seal-invalid")
    swapped = [f for f in found if f["kind"] == "key-swapped"]
    assert [f["key_id"] for f in swapped] == [thief.key_id]


async def test_messages_audit_cannot_read_or_store_are_found_and_skipped(
    audit: Audit,
) -> None:
    events, seals = _copy(audit)
    first = events[0]
    not_an_event = {"hello": "world", "_key": first["_key"], "_partition": 0}
    too_far = first | {"position": 2**63, "_partition": first["_partition"]}

    await audit.publish("garbled", [not_an_event, too_far, *events], seals)

    found = await audit.wait_for_kinds("garbled", "unreadable")

    async def the_rest_verified() -> bool:
        response = await audit.client.get("/status")
        status = {s["service"]: s for s in response.json()}["garbled"]
        return bool(status["seals_held"] == SEALS)

    await eventually(the_rest_verified, timeout=20)
    found = await audit.findings("garbled")
    assert [f["kind"] for f in found] == ["unreadable", "unreadable"]
