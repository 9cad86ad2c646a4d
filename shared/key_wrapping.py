"""Envelope encryption of the per-person data keys: each key is stored wrapped by a
key-encryption key (KEK) that lives outside the database — settings, a file or a key
management service — so a dump of the database alone decrypts no personal data.

A KEK is named by an id stored beside every key it wrapped; after a rotation the old
KEK stays configured as retired until every key was wrapped again under the new one."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from os import urandom
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12
_KEK_BYTES = 32


class KeyWrapper(Protocol):
    """What the vault needs of a key store (a KMS client fits the same shape): wrap a
    data key under the current KEK, unwrap one under the KEK that wrapped it."""

    @property
    def kek_id(self) -> str:
        """The id of the KEK new keys are wrapped with."""
        ...

    def wrap(self, key: bytes, *, subject: str) -> bytes:
        """The data key of `subject` encrypted under the current KEK."""
        ...

    def unwrap(self, blob: bytes, *, subject: str, kek_id: str) -> bytes:
        """The data key `wrap` was given; ValueError when the KEK is unknown or the
        blob was altered or belongs to another subject."""
        ...


@dataclass(frozen=True, repr=False)
class Kek:
    """A 256-bit AES key that wraps data keys with AES-256-GCM. The subject and the
    KEK id are its associated data, so a wrapped key copied to another person's row
    does not unwrap."""

    key: bytes

    def __post_init__(self) -> None:
        if len(self.key) != _KEK_BYTES:
            raise ValueError("a key-encryption key is 32 bytes (base64 of 32 bytes)")

    @classmethod
    def from_base64(cls, text: str) -> Kek:
        """A KEK as settings and secret files hold it: base64 of 32 random bytes."""
        try:
            return cls(base64.b64decode(text.strip(), validate=True))
        except binascii.Error as exc:
            raise ValueError("a key-encryption key must be base64") from exc

    @classmethod
    def generate(cls) -> Kek:
        """A new random KEK."""
        return cls(AESGCM.generate_key(bit_length=256))

    def to_base64(self) -> str:
        """What `from_base64` reads."""
        return base64.b64encode(self.key).decode()

    @property
    def kek_id(self) -> str:
        """Derived from the key (a one-way hash, domain-separated), so that the id
        needs no setting of its own and cannot name the wrong key."""
        digest = hashlib.sha256(b"qingqian personal-data kek id\x00" + self.key)
        return "kek-" + digest.hexdigest()[:16]

    def wrap(self, key: bytes, *, subject: str) -> bytes:
        """nonce ‖ AES-256-GCM(key) with the subject and KEK id as associated data."""
        nonce = urandom(_NONCE_BYTES)
        return nonce + AESGCM(self.key).encrypt(nonce, key, self._aad(subject))

    def unwrap(self, blob: bytes, *, subject: str) -> bytes:
        """The data key inside `blob`; ValueError when it does not decrypt."""
        nonce, sealed = blob[:_NONCE_BYTES], blob[_NONCE_BYTES:]
        try:
            return AESGCM(self.key).decrypt(nonce, sealed, self._aad(subject))
        except InvalidTag as exc:
            raise ValueError(f"the data key of {subject} does not unwrap") from exc

    def _aad(self, subject: str) -> bytes:
        return f"{self.kek_id}\x00{subject}".encode()


@dataclass(frozen=True, repr=False)
class Keyring:
    """The current KEK and the retired ones still needed to unwrap keys wrapped
    before a rotation (`PERSONAL_DATA_KEK`, `PERSONAL_DATA_KEK_RETIRED`)."""

    current: Kek
    retired: tuple[Kek, ...] = ()

    @classmethod
    def from_settings(cls, current: str, retired: str = "") -> Keyring:
        """From base64 texts; `retired` holds any number, separated by commas."""
        old = tuple(Kek.from_base64(k) for k in retired.split(",") if k.strip())
        return cls(Kek.from_base64(current), old)

    @property
    def kek_id(self) -> str:
        """The id of the KEK new keys are wrapped with."""
        return self.current.kek_id

    def wrap(self, key: bytes, *, subject: str) -> bytes:
        """The data key wrapped under the current KEK."""
        return self.current.wrap(key, subject=subject)

    def unwrap(self, blob: bytes, *, subject: str, kek_id: str) -> bytes:
        """The data key, unwrapped by whichever configured KEK has that id."""
        for kek in (self.current, *self.retired):
            if kek.kek_id == kek_id:
                return kek.unwrap(blob, subject=subject)
        raise ValueError(
            f"the data key of {subject} is wrapped by {kek_id}, which is not"
            " configured (PERSONAL_DATA_KEK or PERSONAL_DATA_KEK_RETIRED)"
        )
