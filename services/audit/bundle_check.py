"""Checking an evidence bundle offline, with pinned keys only — no database, no
network: what `qingqian verify-bundle` runs and what docs/bundle-format.md
"Verifying" lists, in that order. The first thing that fails is named; nothing after
it is trusted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from services.audit.bundle_format import (
    PAYLOAD_TYPE,
    BundlePayload,
    DsseEnvelope,
    Inclusion,
    SealEntry,
    Witness,
    decode_base64,
    pae,
)
from services.audit.checks import recomputed_hash
from shared.chain import GENESIS, sha256_hex, timestamp
from shared.envelope import Envelope, split_type
from shared.merkle import verify_inclusion
from shared.tree_head import Seal, event_leaf
from shared.trust import Jwk, Jwks, TrustFile
from shared.witness import witness_bytes

AUDIT = "audit"


class BundleRefused(Exception):
    """The first check of a bundle that fails: `reason` is a stable name
    (docs/bundle-format.md), `detail` one sentence saying where."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class BundleSummary:
    """What a bundle that holds proves."""

    subject: str
    made_at: str
    events: int
    streams: int
    seals: int
    services: tuple[str, ...]
    audit_key: str


def verify_bundle(raw: bytes, trust: TrustFile) -> BundleSummary:
    """Every check of docs/bundle-format.md in order; raises `BundleRefused` naming
    the first that fails."""
    envelope = _envelope(raw)
    body, audit_key = _signed_body(envelope, trust.for_service(AUDIT))
    payload = _payload(body)
    if not audit_key.covers(datetime.fromisoformat(payload.made_at)):
        raise BundleRefused("dsse-signature", "audit's key was not in force then")
    held = [(s.service, _seal(s, trust)) for s in payload.seals]
    seals = {(service, seal.seal_no): seal for service, seal in held}
    if len(seals) != len(payload.seals):
        raise BundleRefused("payload", "a seal is given twice")
    _check_seal_links(seals)
    events = [
        _event(i, event, proof, seals)
        for i, (event, proof) in enumerate(
            zip(payload.events, payload.proofs, strict=True)
        )
    ]
    _check_stream_links(events)
    return BundleSummary(
        subject=payload.subject,
        made_at=payload.made_at,
        events=len(events),
        streams=len({(s, e.subject) for s, e in events}),
        seals=len(seals),
        services=tuple(sorted({s for s, _ in seals})),
        audit_key=audit_key.kid,
    )


def _envelope(raw: bytes) -> DsseEnvelope:
    try:
        envelope = DsseEnvelope.model_validate_json(raw)
    except ValidationError as exc:
        raise BundleRefused("envelope", "the file is not a DSSE envelope") from exc
    if envelope.payload_type != PAYLOAD_TYPE:
        raise BundleRefused("payload-type", f"payloadType is not {PAYLOAD_TYPE}")
    return envelope


def _signed_body(envelope: DsseEnvelope, audit_keys: Jwks) -> tuple[bytes, Jwk]:
    """The payload bytes and the pinned audit key one of the signatures verifies
    with (`keyid` is only a hint: every pinned key is tried)."""
    try:
        body = decode_base64(envelope.payload)
    except ValueError as exc:
        raise BundleRefused("envelope", "the payload is not base64") from exc
    signed = pae(envelope.payload_type, body)
    for signature in envelope.signatures:
        for key in audit_keys.keys:
            if _verifies(key, signed, signature.sig):
                return body, key
    raise BundleRefused(
        "dsse-signature", "no signature verifies with audit's pinned key"
    )


def _verifies(key: Jwk, message: bytes, signature: str) -> bool:
    """The key's signature over `message` — Ed25519 or SM2 as the key's `alg` says —
    the signature in canonical base64 only."""
    try:
        return key.verifier().verify_raw(message, decode_base64(signature))
    except ValueError:
        return False


def _payload(body: bytes) -> BundlePayload:
    try:
        payload = BundlePayload.model_validate_json(body)
        datetime.fromisoformat(payload.made_at)
    except ValueError as exc:
        raise BundleRefused("payload", "the payload is not a v1 bundle") from exc
    if len(payload.proofs) != len(payload.events):
        raise BundleRefused("payload", "there is not one proof per event")
    return payload


# The six signed fields of a seal, each with the JSON type it must have.
_SIGNED = {
    "seal_no": int,
    "tree_size": int,
    "root_hash": str,
    "prev_seal_hash": str,
    "sealed_at": str,
    "key_id": str,
}


def _seal(entry: SealEntry, trust: TrustFile) -> Seal:
    """The seal, once its hash, its signature by the service's pinned key and each
    co-signature by audit's pinned key hold."""
    where = f"seal {entry.seal.get('seal_no')} of {entry.service}"
    try:
        seal = Seal.model_validate(entry.seal)
    except ValidationError as exc:
        raise BundleRefused("seal-hash", f"{where} is not a seal") from exc
    if any(type(entry.seal.get(k)) is not t for k, t in _SIGNED.items()) or (
        entry.seal["sealed_at"] != timestamp(seal.sealed_at)
    ):
        raise BundleRefused("seal-hash", f"{where} is not in its signed form")
    if sha256_hex(seal.signed_bytes()) != seal.seal_hash:
        raise BundleRefused("seal-hash", f"{where} does not match its seal_hash")
    key = trust.for_service(entry.service).find(seal.key_id)
    if key is None or not key.covers(seal.sealed_at):
        raise BundleRefused("seal-key", f"{where}: key {seal.key_id} is not pinned")
    if not _verifies(key, seal.signed_bytes(), seal.signature):
        raise BundleRefused("seal-signature", f"{where}: the signature fails")
    for witness in entry.witnesses:
        _check_witness(entry.service, seal, witness, trust.for_service(AUDIT), where)
    return seal


def _check_witness(
    service: str, seal: Seal, witness: Witness, audit_keys: Jwks, where: str
) -> None:
    try:
        moment = datetime.fromisoformat(witness.witnessed_at)
    except ValueError as exc:
        raise BundleRefused("witness", f"{where}: witnessed_at is no time") from exc
    key = audit_keys.find(witness.key_id)
    signed = witness_bytes(
        service=service, seal_hash=seal.seal_hash, witnessed_at=moment
    )
    if (
        key is None
        or not key.covers(moment)
        or timestamp(moment) != witness.witnessed_at
        or not _verifies(key, signed, witness.signature)
    ):
        raise BundleRefused("witness", f"{where}: audit's co-signature fails")


def _check_seal_links(seals: dict[tuple[str, int], Seal]) -> None:
    """Seals of one service with consecutive numbers chain by `prev_seal_hash`."""
    for (service, number), seal in seals.items():
        before = seals.get((service, number - 1))
        if before is not None and seal.prev_seal_hash != before.seal_hash:
            raise BundleRefused(
                "seal-chain",
                f"seal {number} of {service} does not chain to {number - 1}",
            )


def _event(
    index: int,
    raw: dict[str, Any],
    proof: Inclusion,
    seals: dict[tuple[str, int], Seal],
) -> tuple[str, Envelope]:
    """The event, once it hashes to its `hash` and its proof leads to its seal."""
    where = f"event {index} ({raw.get('subject')!s:.80} v{raw.get('streamversion')})"
    try:
        event = Envelope.model_validate(raw)
        fields_hold = (
            raw["time"] == timestamp(event.time)
            and recomputed_hash(event) == event.hash
        )
    except (ValidationError, ValueError, KeyError) as exc:
        raise BundleRefused("event-hash", f"{where} is not a Qingqian event") from exc
    if not fields_hold or any(
        type(raw[k]) is not int for k in ("streamversion", "position")
    ):
        raise BundleRefused("event-hash", f"{where} does not match its hash")
    if split_type(event.type)[0] != proof.service:
        # The hash covers the event type without its service: the topic names it.
        raise BundleRefused("event-service", f"{where} is not of {proof.service}")
    seal = seals.get((proof.service, proof.seal_no))
    if seal is None:
        raise BundleRefused("inclusion", f"{where}: its seal is not in the bundle")
    if event.sequence is not None and event.sequence != proof.leaf_index + 1:
        raise BundleRefused("inclusion", f"{where}: sequence is not its leaf index")
    if not verify_inclusion(
        index=proof.leaf_index,
        size=seal.tree_size,
        leaf=event_leaf(event.hash),
        proof=[bytes.fromhex(p) for p in proof.path],
        root=bytes.fromhex(seal.root_hash),
    ):
        raise BundleRefused("inclusion", f"{where}: the proof fails against its seal")
    return proof.service, event


def _check_stream_links(events: list[tuple[str, Envelope]]) -> None:
    """Within each stream, an event follows the one with the version before it (or
    the genesis for version 1) when the bundle holds that one."""
    by_version: dict[tuple[str, str, int], Envelope] = {}
    for service, event in events:
        key = (service, event.subject, event.streamversion)
        if by_version.setdefault(key, event).hash != event.hash:
            raise BundleRefused(
                "stream-chain", f"two events are {event.subject} v{key[2]}"
            )
    for (service, stream, version), event in by_version.items():
        before = by_version.get((service, stream, version - 1))
        expected = GENESIS if version == 1 else None if before is None else before.hash
        if expected is not None and event.prevhash != expected:
            raise BundleRefused(
                "stream-chain", f"{stream} v{version} does not follow v{version - 1}"
            )
