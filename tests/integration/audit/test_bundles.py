"""Evidence bundles: one file of a subject's events with their proofs, seals and
co-signatures, signed by audit, that verifies offline with pinned keys only and
fails, naming why, on any one-character alteration."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from qingqian_local.cli import main
from services.audit import bundles
from services.audit.bundle_check import BundleRefused, verify_bundle
from shared.chain import Ed25519Signer, sha256_hex
from shared.envelope import split_type
from shared.tree_head import Seal
from shared.trust import Jwks, TrustFile
from tests.integration.audit.bundle_tampering import (
    altered_values,
    leaves,
    other_character,
    payload_of,
    replaced,
    resigned,
)
from tests.integration.audit.conftest import CORRELATION, EVENTS, SIGNER, Audit
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

LOGS = ("genuine", "alpha", "beta")
# Stands in for audit's key to re-sign altered payloads: pinned beside audit's own,
# so what fails is the check behind the envelope's signature.
RESIGNER = Ed25519Signer.generate()
# The event attributes the event hash covers (docs/log-format.md "Event hash").
HASHED = [
    "id",
    "subject",
    "type",
    "time",
    "actor",
    "actorunit",
    "correlationid",
    "causationid",
    "hash",
    "prevhash",
    "streamversion",
]
SEAL_SIGNED = "seal_no tree_size root_hash prev_seal_hash sealed_at key_id seal_hash"


async def fetch_bundle(audit: Audit, subject: str) -> bytes:
    """The bundle, once every event about the subject is under a witnessed seal."""
    response = None

    async def witnessed() -> bool:
        nonlocal response
        response = await audit.client.get("/bundles", params={"subject": subject})
        return response.status_code == 200

    await eventually(witnessed, timeout=30)
    assert response is not None
    return response.content


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def trust(audit: Audit) -> TrustFile:
    audit_keys = Jwks.model_validate(
        (await audit.client.get("/.well-known/jwks.json")).json()
    )
    return TrustFile(
        {**{s: Jwks.of_signers(SIGNER) for s in LOGS}, "audit": audit_keys}
    )


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stream_bundle(audit: Audit) -> bytes:
    return await fetch_bundle(audit, audit.genuine.events[0]["subject"])


def refusal(bundle: bytes, trust: TrustFile) -> str:
    with pytest.raises(BundleRefused) as refused:
        verify_bundle(bundle, trust)
    return refused.value.reason


def with_resigner(trust: TrustFile) -> TrustFile:
    audit_keys = trust.for_service("audit").keys
    return TrustFile(
        {
            **trust.root,
            "audit": Jwks(keys=(*audit_keys, *Jwks.of_signers(RESIGNER).keys)),
        }
    )


async def test_a_streams_bundle_verifies_offline_with_the_cli(
    audit: Audit, stream_bundle: bytes, trust: TrustFile, tmp_path: Path
) -> None:
    (tmp_path / "bundle.json").write_bytes(stream_bundle)
    (tmp_path / "trust.json").write_text(trust.model_dump_json())
    stream = audit.genuine.events[0]["subject"]

    summary = verify_bundle(stream_bundle, trust)
    code = main(
        [
            "verify-bundle",
            str(tmp_path / "bundle.json"),
            "--trust",
            str(tmp_path / "trust.json"),
        ]
    )

    assert code == 0
    assert summary.subject == stream
    assert summary.events == len(
        [e for e in audit.genuine.events if e["subject"] == stream]
    )
    assert summary.services == ("genuine",)


async def test_a_correlation_ids_bundle_spans_services(
    audit: Audit, trust: TrustFile
) -> None:
    bundle = await fetch_bundle(audit, CORRELATION)

    summary = verify_bundle(bundle, trust)

    assert summary.events == EVENTS * len(LOGS)
    assert summary.services == tuple(sorted(LOGS))


async def test_a_subject_with_no_events_is_not_found(audit: Audit) -> None:
    response = await audit.client.get("/bundles", params={"subject": "case-none"})

    assert response.status_code == 404
    assert response.json()["code"] == "not-found"


async def test_a_bundle_past_its_bound_is_refused_naming_the_rule(
    audit: Audit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundles, "MAX_BUNDLE_EVENTS", EVENTS)

    response = await audit.client.get("/bundles", params={"subject": CORRELATION})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid-input"
    assert response.json()["errors"][0]["rule"] == "bundle_size"


async def test_the_cli_names_the_first_failure(
    stream_bundle: bytes,
    trust: TrustFile,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    envelope = json.loads(stream_bundle)
    envelope["signatures"][0]["sig"] = other_character(
        envelope["signatures"][0]["sig"], 5
    )
    (tmp_path / "bundle.json").write_text(json.dumps(envelope))
    (tmp_path / "trust.json").write_text(trust.model_dump_json())

    code = main(
        [
            "verify-bundle",
            str(tmp_path / "bundle.json"),
            "--trust",
            str(tmp_path / "trust.json"),
        ]
    )

    assert code == 1
    assert "FAILED dsse-signature" in capsys.readouterr().out


async def test_any_character_of_the_signature_altered_fails(
    stream_bundle: bytes, trust: TrustFile
) -> None:
    envelope = json.loads(stream_bundle)
    sig = envelope["signatures"][0]["sig"]

    for at in range(len(sig)):
        envelope["signatures"][0]["sig"] = other_character(sig, at)
        assert refusal(json.dumps(envelope).encode(), trust) == "dsse-signature"


async def test_any_byte_of_the_payload_altered_fails_audits_signature(
    stream_bundle: bytes, trust: TrustFile
) -> None:
    envelope = json.loads(stream_bundle)
    body = base64.b64decode(envelope["payload"])

    for at in range(0, len(body), max(1, len(body) // 400)):
        altered = body[:at] + bytes([body[at] ^ 0x01]) + body[at + 1 :]
        envelope["payload"] = base64.b64encode(altered).decode()
        assert refusal(json.dumps(envelope).encode(), trust) == "dsse-signature"


def expected_reason(path: tuple[str | int, ...]) -> str | None:
    """Which check catches a value altered at `path` behind a valid envelope; None
    where only audit's signature vouches for it (docs/bundle-format.md)."""
    match path:
        case ("events", _, "type"):
            return "event-type"
        case ("events", _, "data", *_):
            return "event-hash"
        case ("events", _, "sequence"):
            return "inclusion"
        case ("events", _, name) if name in HASHED:
            return "event-hash"
        case ("proofs", _, "service"):
            return "event-service"
        case ("proofs", _, *_):
            return "inclusion"
        case ("seals", _, "service"):
            return "seal-key"
        case ("seals", _, "seal", "signature"):
            return "seal-signature"
        case ("seals", _, "seal", name) if name in SEAL_SIGNED.split():
            return "seal-hash"
        case ("seals", _, "witnesses", _, _):
            return "witness"
    return None


def type_reason(value: str, new: str) -> str:
    """The event hash covers the type's name and version; the proof, its service."""
    try:
        is_same_service = split_type(value)[0] == split_type(new)[0]
    except ValueError:
        return "event-hash"
    return "event-hash" if is_same_service else "event-service"


async def test_each_value_altered_behind_a_valid_envelope_names_its_check(
    stream_bundle: bytes, trust: TrustFile
) -> None:
    payload = payload_of(stream_bundle)
    pinned = with_resigner(trust)
    checked: set[str] = set()

    for path, value in leaves(payload):
        reason = expected_reason(path)
        if reason is None:
            continue
        for new in altered_values(value):
            named = (
                type_reason(str(value), str(new)) if reason == "event-type" else reason
            )
            bundle = resigned(replaced(payload, path, new), RESIGNER)
            assert (path, refusal(bundle, pinned)) == (path, named)
            checked.add(named)

    assert verify_bundle(resigned(payload, RESIGNER), pinned).events > 0
    assert checked == {
        "event-hash",
        "event-service",
        "inclusion",
        "seal-key",
        "seal-signature",
        "seal-hash",
        "witness",
    }


async def test_a_seal_root_altered_with_its_hash_made_again_fails_its_signature(
    stream_bundle: bytes, trust: TrustFile
) -> None:
    payload = payload_of(stream_bundle)
    seal: dict[str, Any] = payload["seals"][0]["seal"]
    seal["root_hash"] = other_character(seal["root_hash"], 10)
    seal["seal_hash"] = sha256_hex(Seal.model_validate(seal).signed_bytes())

    assert (
        refusal(resigned(payload, RESIGNER), with_resigner(trust)) == "seal-signature"
    )
