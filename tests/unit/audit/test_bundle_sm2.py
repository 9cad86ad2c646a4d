"""An evidence bundle signed in the national-algorithm suite (`sm2-sm3`): the seal,
audit's co-signature and the DSSE envelope all SM2, made here from the documented
format alone; verify-bundle picks SM2 from each pinned key's `alg`."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from qingqian_local.cli import main
from services.audit.bundle_check import BundleRefused, verify_bundle
from services.audit.bundle_format import (
    BUNDLE_FORMAT,
    BundleKeys,
    BundlePayload,
    DsseEnvelope,
    Inclusion,
    SealEntry,
    Witness,
)
from shared.chain import GENESIS, Ed25519Signer, event_hash, sha256_hex, timestamp
from shared.envelope import type_name
from shared.merkle import inclusion_proof, root_of
from shared.sm2 import Sm2Signer
from shared.tree_head import event_leaf, tree_head_bytes
from shared.trust import Jwks, TrustFile
from shared.witness import witness_bytes

CASES = Sm2Signer.generate()
AUDIT = Sm2Signer.generate()
AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
SUBJECT = "case-1"


def _events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    prev = GENESIS
    for version in (1, 2):
        event_id, data = str(uuid.uuid4()), {"amount": str(version)}
        digest = event_hash(
            event_id=event_id,
            stream_id=SUBJECT,
            version=version,
            event_type="AmountAdded",
            schema_version=1,
            recorded_at=AT,
            data=data,
            actor="u1",
            actor_unit="rsj",
            correlation_id="c1",
            causation_id=None,
            prevhash=prev,
        )
        events.append(
            {
                "id": event_id,
                "source": "/qingqian/test/cases",
                "type": type_name("cases", "AmountAdded", 1),
                "subject": SUBJECT,
                "time": timestamp(AT),
                "data": data,
                "streamversion": version,
                "position": version,
                "sequence": version,
                "actor": "u1",
                "actorunit": "rsj",
                "correlationid": "c1",
                "hash": digest,
                "prevhash": prev,
            }
        )
        prev = digest
    return events


def _seal(leaves: list[bytes]) -> dict[str, Any]:
    root = root_of(leaves).hex()
    head = tree_head_bytes(
        seal_no=1,
        tree_size=len(leaves),
        root_hash=root,
        prev_seal_hash=GENESIS,
        sealed_at=AT,
        key_id=CASES.key_id,
    )
    return {
        "seal_no": 1,
        "tree_size": len(leaves),
        "root_hash": root,
        "prev_seal_hash": GENESIS,
        "key_id": CASES.key_id,
        "sealed_at": timestamp(AT),
        "algorithm": CASES.algorithm,
        "seal_hash": sha256_hex(head),
        "signature": CASES.sign(head),
    }


def sm2_bundle() -> bytes:
    events = _events()
    leaves = [event_leaf(e["hash"]) for e in events]
    seal = _seal(leaves)
    cosigned = witness_bytes(
        service="cases", seal_hash=seal["seal_hash"], witnessed_at=AT
    )
    payload = BundlePayload(
        format=BUNDLE_FORMAT,
        subject=SUBJECT,
        made_at=timestamp(AT),
        events=tuple(events),
        proofs=tuple(
            Inclusion(
                service="cases",
                seal_no=1,
                leaf_index=i,
                path=tuple(p.hex() for p in inclusion_proof(leaves, i)),
            )
            for i in range(len(events))
        ),
        seals=(
            SealEntry(
                service="cases",
                seal=seal,
                witnesses=(
                    Witness(
                        key_id=AUDIT.key_id,
                        witnessed_at=timestamp(AT),
                        signature=AUDIT.sign(cosigned),
                    ),
                ),
            ),
        ),
        keys=BundleKeys(sets={"cases": Jwks.of_signers(CASES)}),
    )
    return DsseEnvelope.sign(payload.model_dump_json().encode(), AUDIT).to_json()


TRUST = TrustFile({"cases": Jwks.of_signers(CASES), "audit": Jwks.of_signers(AUDIT)})


@pytest.fixture(scope="module")
def bundle() -> bytes:
    return sm2_bundle()


def test_an_sm2_bundle_verifies_with_the_pinned_sm2_keys(bundle: bytes) -> None:
    summary = verify_bundle(bundle, TRUST)

    assert (summary.events, summary.seals, summary.audit_key) == (2, 1, AUDIT.key_id)


def test_an_sm2_bundle_does_not_verify_with_other_keys(bundle: bytes) -> None:
    other_audit = TrustFile(
        {
            "cases": Jwks.of_signers(CASES),
            "audit": Jwks.of_signers(Ed25519Signer.generate()),
        }
    )
    with pytest.raises(BundleRefused) as refused:
        verify_bundle(bundle, other_audit)
    assert refused.value.reason == "dsse-signature"


def test_a_seal_signature_one_bit_off_is_refused(bundle: bytes) -> None:
    envelope = json.loads(bundle)
    payload = json.loads(base64.b64decode(envelope["payload"]))
    seal = payload["seals"][0]["seal"]
    raw = bytearray(base64.b64decode(seal["signature"]))
    raw[-1] ^= 1
    seal["signature"] = base64.b64encode(bytes(raw)).decode()
    # Re-signed by audit, so what fails is the seal's own signature.
    resigned = DsseEnvelope.sign(json.dumps(payload).encode(), AUDIT).to_json()

    with pytest.raises(BundleRefused) as refused:
        verify_bundle(resigned, TRUST)
    assert refused.value.reason == "seal-signature"


def test_qingqian_verify_bundle_takes_sm2_from_the_trust_file(
    bundle: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bundle.json").write_bytes(bundle)
    (tmp_path / "trust.json").write_text(TRUST.model_dump_json(), encoding="utf-8")

    code = main(
        [
            "verify-bundle",
            str(tmp_path / "bundle.json"),
            "--trust",
            str(tmp_path / "trust.json"),
        ]
    )

    assert code == 0, capsys.readouterr().out
