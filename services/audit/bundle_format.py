"""An evidence bundle: one file another agency checks offline. A DSSE envelope (the
in-toto signing envelope, secure-systems-lab/dsse v1.0) signed by audit's key, whose
payload holds the events about one subject, each event's Merkle inclusion proof in a
seal that covers it, those seals with audit's co-signatures, and the key sets used
(informational: a verifier pins its own). The byte layout is docs/bundle-format.md.
Pure: no I/O, no clock."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shared.chain import Signer
from shared.trust import Jwks

PAYLOAD_TYPE = "application/vnd.qingqian.bundle.v1+json"
BUNDLE_FORMAT = "qingqian.bundle.v1"
# A bundle is read whole into memory by whoever checks it: keep it a few megabytes.
MAX_BUNDLE_EVENTS = 1000

_HEX64 = "^[0-9a-f]{64}$"
Hex64 = Annotated[str, Field(pattern=_HEX64)]
_STANDARD = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
_URL_SAFE = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")


def pae(payload_type: str, body: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body)
    SP body, LEN the byte length in ASCII decimal without leading zeros."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body)


def decode_base64(text: str) -> bytes:
    """Bytes of standard or URL-safe base64 (DSSE accepts both), padded or not, in
    its one canonical spelling only: a text with another alphabet, stray characters
    or unused bits set (which would decode to the same bytes) is refused
    (ValueError), so no altered text passes for the original."""
    alphabet = (
        "standard"
        if _STANDARD.match(text)
        else "url"
        if _URL_SAFE.match(text)
        else None
    )
    bare = text.rstrip("=")
    if alphabet is None or len(bare) % 4 == 1:
        raise ValueError("not base64")
    padded = bare + "=" * (-len(bare) % 4)
    try:
        raw = (
            base64.b64decode(padded, validate=True)
            if alphabet == "standard"
            else base64.urlsafe_b64decode(padded)
        )
    except binascii.Error as exc:
        raise ValueError("not base64") from exc
    again = (
        base64.b64encode(raw)
        if alphabet == "standard"
        else base64.urlsafe_b64encode(raw)
    ).decode()
    if text not in (again, again.rstrip("=")):
        raise ValueError("not base64 in its canonical form")
    return raw


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DsseSignature(_Frozen):
    """One signature of the envelope: `sig` is standard base64 of the signature
    (Ed25519, or SM2 r || s under `sm2-sm3`) over PAE(payloadType, payload bytes);
    `keyid` names the key (a hint)."""

    keyid: str = ""
    sig: str


class DsseEnvelope(_Frozen):
    """The file a bundle is (DSSE v1 JSON envelope)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    payload_type: str = Field(alias="payloadType")
    payload: str
    signatures: tuple[DsseSignature, ...] = Field(min_length=1)

    @classmethod
    def sign(cls, body: bytes, signer: Signer) -> DsseEnvelope:
        """The envelope of `body` signed by `signer` (its key id as `keyid`)."""
        signature = signer.sign(pae(PAYLOAD_TYPE, body))
        return cls(
            payload_type=PAYLOAD_TYPE,
            payload=base64.b64encode(body).decode("ascii"),
            signatures=(DsseSignature(keyid=signer.key_id, sig=signature),),
        )

    def to_json(self) -> bytes:
        """The envelope as the file holds it."""
        return self.model_dump_json(by_alias=True).encode()


class Inclusion(_Frozen):
    """Where `events[i]` is in its service's log: its leaf index (sequence − 1) in
    the tree of seal `seal_no` and the audit path (RFC 9162 §2.1.3), leaf upwards."""

    service: str
    seal_no: int = Field(ge=1)
    leaf_index: int = Field(ge=0)
    path: tuple[Hex64, ...]


class Witness(_Frozen):
    """Audit's co-signature of a seal (docs/audit-api.md "Witness co-signatures")."""

    key_id: str
    witnessed_at: str
    signature: str


class SealEntry(_Frozen):
    """One seal of a service as published, with audit's co-signatures of it."""

    service: str
    seal: dict[str, Any]
    witnesses: tuple[Witness, ...] = Field(min_length=1)


class BundleKeys(_Frozen):
    """The key sets the signatures verify with, per service (`audit` for audit's
    own): for information only, a verifier checks with the keys it pinned."""

    informational: bool = True
    sets: dict[str, Jwks]


class BundlePayload(_Frozen):
    """What the envelope signs (UTF-8 JSON): the events (a CloudEvents JSON batch),
    `proofs[i]` for `events[i]`, the seals the proofs lead to, the key ids."""

    format: str = Field(pattern=f"^{re.escape(BUNDLE_FORMAT)}$")
    subject: str
    made_at: str
    events: tuple[dict[str, Any], ...] = Field(min_length=1)
    proofs: tuple[Inclusion, ...] = Field(min_length=1)
    seals: tuple[SealEntry, ...] = Field(min_length=1)
    keys: BundleKeys
