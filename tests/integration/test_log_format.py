"""docs/log-format.md is enough to write a verifier: this one is written from its rules
alone — hashlib, json and an Ed25519 library, no Qingqian code — and checks what a real
relay published on Kafka: every event hash, every stream chain, every seal's root, hash,
chain, signature and consistency proof."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import asyncpg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from shared.chain import Ed25519Signer, new_private_key_pem
from shared.trust import Jwks
from tests.kafka_reader import read_topic
from tests.published_log import publish_log

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(60),
]

ZEROS = "0" * 64


def jcs(value: Any) -> bytes:
    # The doc: for our events RFC 8785 is json.dumps with sorted keys, no whitespace.
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def event_hash(event: dict[str, Any]) -> str:
    _, _, event_type, version = event["type"].split(".", 3)
    body = {
        "id": event["id"],
        "stream": event["subject"],
        "version": event["streamversion"],
        "type": event_type,
        "schemaversion": int(version.removeprefix("v")),
        "time": event["time"],
        "data": event["data"],
        "actor": event["actor"],
        "actorunit": event["actorunit"],
        "correlationid": event["correlationid"],
        "causationid": event.get("causationid"),
        "prevhash": event["prevhash"],
    }
    return hashlib.sha256(jcs(body)).hexdigest()


def mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def subproof(m: int, leaves: list[bytes], is_whole: bool) -> list[bytes]:
    if m == len(leaves):
        return [] if is_whole else [mth(leaves)]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    if m <= k:
        return [*subproof(m, leaves[:k], is_whole), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


def signed_bytes(seal: dict[str, Any]) -> bytes:
    head = {
        k: seal[k]
        for k in (
            "key_id",
            "prev_seal_hash",
            "root_hash",
            "seal_no",
            "sealed_at",
            "tree_size",
        )
    }
    return b"qingqian/seal/v1\n" + json.dumps(head, separators=(",", ":")).encode()


def check_log(
    events: list[dict[str, Any]], seals: list[dict[str, Any]], jwks: dict[str, Any]
) -> list[str]:
    """What the third party finds wrong (nothing, for an untouched log)."""
    wrong: list[str] = []
    last_in_stream: dict[str, tuple[int, str]] = {}
    ordered = sorted(events, key=lambda e: e["sequence"])
    if [e["sequence"] for e in ordered] != list(range(1, len(ordered) + 1)):
        wrong.append("the published order has a gap")
    for event in ordered:
        if event_hash(event) != event["hash"]:
            wrong.append(f"event {event['sequence']}: hash")
        version, prevhash = last_in_stream.get(event["subject"], (0, ZEROS))
        if (event["streamversion"], event["prevhash"]) != (version + 1, prevhash):
            wrong.append(f"event {event['sequence']}: chain")
        last_in_stream[event["subject"]] = (event["streamversion"], event["hash"])
    leaves = [bytes.fromhex(e["hash"]) for e in ordered]
    keys = {k["kid"]: k for k in jwks["keys"]}
    prev, prev_size = ZEROS, 0
    for seal in sorted(seals, key=lambda s: s["seal_no"]):
        head = signed_bytes(seal)
        x = keys[seal["key_id"]]["x"]
        public = Ed25519PublicKey.from_public_bytes(
            base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
        )
        public.verify(base64.b64decode(seal["signature"]), head)  # raises if forged
        if hashlib.sha256(head).hexdigest() != seal["seal_hash"]:
            wrong.append(f"seal {seal['seal_no']}: hash")
        if seal["prev_seal_hash"] != prev:
            wrong.append(f"seal {seal['seal_no']}: chain")
        if mth(leaves[: seal["tree_size"]]).hex() != seal["root_hash"]:
            wrong.append(f"seal {seal['seal_no']}: root")
        proof = (
            subproof(prev_size, leaves[: seal["tree_size"]], True) if prev_size else []
        )
        if [p.hex() for p in proof] != seal["consistency"]:
            wrong.append(f"seal {seal['seal_no']}: consistency")
        prev, prev_size = seal["seal_hash"], seal["tree_size"]
    return wrong


async def test_a_verifier_written_from_the_doc_alone_checks_the_published_log(
    fresh_pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    signer = Ed25519Signer.from_pem(new_private_key_pem())
    published = await publish_log(fresh_pool, kafka_bootstrap, signer)
    jwks = json.loads(Jwks.of_signers(signer).model_dump_json())

    events = await read_topic(kafka_bootstrap, published.events_topic, until=12)
    seals = await read_topic(kafka_bootstrap, published.seals_topic, until=3)
    forged = [dict(e) for e in events]
    forged[5]["data"] = {**forged[5]["data"], "amount": 1000}

    assert check_log(events, seals, jwks) == []
    assert [s["tree_size"] for s in sorted(seals, key=lambda s: s["seal_no"])] == [
        4,
        8,
        12,
    ]
    assert f"event {forged[5]['sequence']}: hash" in check_log(forged, seals, jwks)
    assert "seal 3: root" in check_log(
        sorted(events, key=lambda e: e["sequence"])[:11], seals, jwks
    )
