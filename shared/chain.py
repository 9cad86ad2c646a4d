"""Tamper evidence: canonical JSON (RFC 8785), per-stream hash chains, signed seals, `verify`."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol

import rfc8785
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

GENESIS = "0" * 64


_MAX_SAFE_INTEGER = 2**53 - 1


def canonical(value: Any) -> bytes:
    """RFC 8785 canonical JSON bytes: any JCS implementation gives the same.

    Our event data has no floats (money is a decimal string), so the C JSON encoder,
    sorting keys and escaping as JCS does, gives the JCS form — as long as no key holds
    a character beyond the BMP (where code-point order and JCS's UTF-16 order differ);
    anything else falls back to the `rfc8785` package. A property test holds the two
    equal."""
    try:
        _require_plain_json(value)
    except _NotPlainJson:
        return bytes(rfc8785.dumps(value))
    return _ENCODER.encode(value).encode("utf-8")


_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, sort_keys=True
)


class _NotPlainJson(Exception):
    pass


def _require_plain_json(value: Any) -> None:
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (
                not key.isascii() and any(ord(c) > 0xFFFF for c in key)
            ):
                raise _NotPlainJson
            _require_plain_json(item)
    elif kind is list or kind is tuple:
        for item in value:
            _require_plain_json(item)
    elif kind is int:
        if abs(value) > _MAX_SAFE_INTEGER:
            raise _NotPlainJson
    elif not (kind is str or kind is bool or value is None):
        raise _NotPlainJson


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


def timestamp(moment: datetime) -> str:
    """The one text form of an event time that the hash covers."""
    return moment.isoformat(timespec="microseconds")


def event_hash(
    *,
    event_id: str,
    stream_id: str,
    version: int,
    event_type: str,
    schema_version: int,
    recorded_at: datetime,
    data: Mapping[str, Any],
    actor: str,
    actor_unit: str,
    correlation_id: str,
    causation_id: str | None,
    prevhash: str,
) -> str:
    """SHA-256 over the canonical form of an event, chained to the previous one."""
    return sha256_hex(
        canonical(
            {
                "id": event_id,
                "stream": stream_id,
                "version": version,
                "type": event_type,
                "schemaversion": schema_version,
                "time": timestamp(recorded_at),
                "data": dict(data),
                "actor": actor,
                "actorunit": actor_unit,
                "correlationid": correlation_id,
                "causationid": causation_id,
                "prevhash": prevhash,
            }
        )
    )


def block_hash(entries: list[tuple[int, int, str]]) -> str:
    """Hash over a block of the published order: (sequence, position, event hash) rows."""
    return sha256_hex(canonical([list(e) for e in entries]))


def seal_hash(
    *,
    seal_no: int,
    first_sequence: int,
    last_sequence: int,
    event_count: int,
    block: str,
    prev_seal_hash: str,
    sealed_at: datetime,
) -> str:
    """Hash of a seal's fields, chained to the previous seal."""
    return sha256_hex(
        canonical(
            {
                "seal": seal_no,
                "first": first_sequence,
                "last": last_sequence,
                "count": event_count,
                "block": block,
                "prev": prev_seal_hash,
                "time": timestamp(sealed_at),
            }
        )
    )


class Signer(Protocol):
    """Signs seals, writer tags and bundles: Ed25519 by default, SM2 with SM3 under
    `SIGNATURE_SUITE=sm2-sm3` (`shared.signatures`)."""

    @property
    def algorithm(self) -> str: ...

    @property
    def key_id(self) -> str: ...

    def public_pem(self) -> str: ...

    def private_bytes(self) -> bytes: ...

    def sign(self, message: bytes) -> str: ...


class SignatureVerifier(Protocol):
    """Checks a signature made by the matching `Signer`."""

    @property
    def algorithm(self) -> str: ...

    @property
    def key_id(self) -> str: ...

    def verify(self, message: bytes, signature: str) -> bool: ...

    def verify_raw(self, message: bytes, signature: bytes) -> bool: ...


def _key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return "ed25519:" + sha256_hex(raw)[:16]


@dataclass(frozen=True)
class Ed25519Signer:
    """Ed25519 signatures, base64 encoded."""

    private_key: Ed25519PrivateKey
    algorithm: str = "Ed25519"

    @classmethod
    def generate(cls) -> Ed25519Signer:
        """A signer with a fresh key."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: str) -> Ed25519Signer:
        """Load a PKCS#8 PEM private key."""
        try:
            key = serialization.load_pem_private_key(pem.encode(), password=None)
        except UnsupportedAlgorithm as exc:  # an SM2 key, say
            raise ValueError("the seal key is not an Ed25519 private key") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the seal key is not an Ed25519 private key")
        return cls(key)

    @property
    def key_id(self) -> str:
        """A short fingerprint of the public key."""
        return _key_id(self.private_key.public_key())

    def public_pem(self) -> str:
        """The public key, PEM, for anyone who verifies seals."""
        return (
            self.private_key.public_key()
            .public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
            .decode()
        )

    def private_bytes(self) -> bytes:
        """The 32 raw private bytes (what the writer's MAC secret is derived from)."""
        return self.private_key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )

    def sign(self, message: bytes) -> str:
        """Base64 Ed25519 signature of the message."""
        return base64.b64encode(self.private_key.sign(message)).decode()

    def verifier(self) -> Ed25519Verifier:
        """The matching verifier."""
        return Ed25519Verifier(self.private_key.public_key())


@dataclass(frozen=True)
class Ed25519Verifier:
    """Verifies Ed25519 signatures made by `Ed25519Signer`."""

    public_key: Ed25519PublicKey
    algorithm: str = "Ed25519"

    @classmethod
    def from_pem(cls, pem: str) -> Ed25519Verifier:
        """Load a PEM public key."""
        key = serialization.load_pem_public_key(pem.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return cls(key)

    @property
    def key_id(self) -> str:
        """A short fingerprint of the public key."""
        return _key_id(self.public_key)

    def verify(self, message: bytes, signature: str) -> bool:
        """True when the signature is the key's over the message."""
        try:
            raw = base64.b64decode(signature)
        except ValueError:
            return False
        return self.verify_raw(message, raw)

    def verify_raw(self, message: bytes, signature: bytes) -> bool:
        """True when the raw 64-byte signature is the key's over the message."""
        try:
            self.public_key.verify(signature, message)
        except Exception:
            return False
        return True


def new_private_key_pem() -> str:
    """A fresh Ed25519 private key as PKCS#8 PEM."""
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


# Writer tags (docs/log-format.md "Writer tags"): the writer signs each event's hash,
# prefixed so that a signature over an event can never pass for one over a seal.
TAG_CONTEXT = b"qingqian/event-tag/v1\n"


def tag_message(event_hash_hex: str) -> bytes:
    """The exact bytes a writer tag signs: the context line, then the event's hash as
    64 lower-case hex characters."""
    return TAG_CONTEXT + event_hash_hex.encode("ascii")


@cache
def run_signer() -> Ed25519Signer:
    """A key made for this process only: what a store made without a configured key
    (tests, tools) signs with. Its events verify only while the process knows it."""
    return Ed25519Signer.generate()
