"""SM2 signatures with SM3 digests (GB/T 32918.2, GM/T 0004, GM/T 0009), the
national-algorithm suite `sm2-sm3` (docs/log-format.md "Algorithms"): what seals,
writer tags and bundles are signed with where a platform requires it.

The arithmetic is `gmssl`'s (pure Python). Around it this module does what that
package leaves to its caller: the nonce comes from `secrets` (gmssl's own comes from
`random`, which must never pick an ECDSA-style nonce), `r` and `s` are checked to lie
in [1, n-1], a public key must be a point of the curve, and a public key is handed to
gmssl without its `04` prefix (its constructor strips leading `0`/`4` characters, so
some keys would lose digits). The digest is SM3(Z || message) with Z over the default
user id `1234567812345678`, as GM/T 0009 and OpenSSL use.

Keys travel as OpenSSL writes them (`openssl genpkey -algorithm EC -pkeyopt
ec_paramgen_curve:SM2`): PKCS#8 PEM for the private key, SubjectPublicKeyInfo PEM for
the public one, both id-ecPublicKey with the SM2 curve (1.2.156.10197.1.301). A
signature is base64 of r || s, 32 bytes each (the JOSE form of an EC signature)."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from functools import cache

from gmssl import sm2, sm3  # type: ignore[import-untyped]

ALGORITHM = "SM2"
_TABLE = sm2.default_ecc_table
_N = int(_TABLE["n"], 16)
_P = int(_TABLE["p"], 16)
_A = int(_TABLE["a"], 16)
_B = int(_TABLE["b"], 16)

# DER around the key bytes: id-ecPublicKey (1.2.840.10045.2.1) with the SM2 curve.
_ALGORITHM_ID = bytes.fromhex("301306072a8648ce3d020106082a811ccf5501822d")
_PKCS8_HEAD = (
    bytes.fromhex("308187020100") + _ALGORITHM_ID + bytes.fromhex("046d306b0201010420")
)
_PKCS8_MIDDLE = bytes.fromhex("a144034200")
_SPKI_HEAD = bytes.fromhex("3059") + _ALGORITHM_ID + bytes.fromhex("034200")


def sm3_hex(data: bytes) -> str:
    """Lower-case hex SM3 (GM/T 0004)."""
    return str(sm3.sm3_hash(list(data)))


def _pem(label: str, der: bytes) -> str:
    body = base64.encodebytes(der).decode().replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----\n"])


def _unpem(label: str, pem: str) -> bytes:
    text = pem.strip()
    head, tail = f"-----BEGIN {label}-----", f"-----END {label}-----"
    if not (text.startswith(head) and text.endswith(tail)):
        raise ValueError(f"not a PEM {label}")
    return base64.b64decode("".join(text[len(head) : -len(tail)].split()))


def _on_curve(point: bytes) -> bool:
    x, y = int.from_bytes(point[:32], "big"), int.from_bytes(point[32:], "big")
    return x < _P and y < _P and (y * y - (x * x * x + _A * x + _B)) % _P == 0


def _crypt(private_hex: str, point: bytes) -> sm2.CryptSM2:
    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    # Set after construction: gmssl's constructor mangles some keys (module doc).
    crypt.public_key = point.hex()
    return crypt


def _key_id(point: bytes) -> str:
    return "sm2:" + sm3_hex(point)[:16]


@dataclass(frozen=True)
class Sm2Verifier:
    """Verifies SM2-with-SM3 signatures made by `Sm2Signer`."""

    point: bytes  # x || y, 32 bytes each
    algorithm: str = ALGORITHM

    def __post_init__(self) -> None:
        if len(self.point) != 64 or not _on_curve(self.point):
            raise ValueError("not a point of the SM2 curve")

    @classmethod
    def from_pem(cls, pem: str) -> Sm2Verifier:
        """Load a SubjectPublicKeyInfo PEM of an SM2 key."""
        der = _unpem("PUBLIC KEY", pem)
        if len(der) != len(_SPKI_HEAD) + 65 or not der.startswith(_SPKI_HEAD + b"\4"):
            raise ValueError("not an SM2 public key")
        return cls(der[len(_SPKI_HEAD) + 1 :])

    @property
    def key_id(self) -> str:
        """A short fingerprint of the public key (SM3 of x || y)."""
        return _key_id(self.point)

    def public_pem(self) -> str:
        """The public key, SubjectPublicKeyInfo PEM."""
        return _pem("PUBLIC KEY", _SPKI_HEAD + b"\4" + self.point)

    def verify_raw(self, message: bytes, signature: bytes) -> bool:
        """True when `signature` (r || s) is the key's over the message."""
        if len(signature) != 64:
            return False
        r, s = (
            int.from_bytes(signature[:32], "big"),
            int.from_bytes(signature[32:], "big"),
        )
        if not (0 < r < _N and 0 < s < _N):
            return False
        try:
            return bool(
                _crypt("", self.point).verify_with_sm3(signature.hex(), message)
            )
        except (ValueError, TypeError, ZeroDivisionError, IndexError):
            # A crafted signature can lead gmssl's point arithmetic to infinity.
            return False

    def verify(self, message: bytes, signature: str) -> bool:
        """True when the base64 signature is the key's over the message."""
        try:
            raw = base64.b64decode(signature, validate=True)
        except ValueError:
            return False
        return self.verify_raw(message, raw)


@dataclass(frozen=True)
class Sm2Signer:
    """SM2-with-SM3 signatures, base64 of r || s."""

    secret: int = field(repr=False)  # d: never in a log line
    algorithm: str = ALGORITHM

    def __post_init__(self) -> None:
        # d = n-1 has no inverse of d+1: GB/T 32918.1 takes d in [1, n-2].
        if not 0 < self.secret < _N - 1:
            raise ValueError("not an SM2 private key")

    @classmethod
    def generate(cls) -> Sm2Signer:
        """A signer with a fresh key."""
        return cls(secrets.randbelow(_N - 2) + 1)

    @classmethod
    def from_pem(cls, pem: str) -> Sm2Signer:
        """Load a PKCS#8 PEM private key as OpenSSL writes an SM2 key."""
        der = _unpem("PRIVATE KEY", pem)
        tail = len(_PKCS8_MIDDLE) + 65
        if len(der) != len(_PKCS8_HEAD) + 32 + tail or not der.startswith(_PKCS8_HEAD):
            raise ValueError("the seal key is not an SM2 private key (PKCS#8)")
        signer = cls(
            int.from_bytes(der[len(_PKCS8_HEAD) : len(_PKCS8_HEAD) + 32], "big")
        )
        if der[-tail:] != _PKCS8_MIDDLE + b"\4" + signer.verifier().point:
            raise ValueError("the SM2 key's public half does not match its private one")
        return signer

    def private_bytes(self) -> bytes:
        """The 32 bytes of d (what the writer's MAC secret is derived from)."""
        return self.secret.to_bytes(32, "big")

    def private_pem(self) -> str:
        """The key as PKCS#8 PEM (what `SEAL_PRIVATE_KEY` holds)."""
        der = (
            _PKCS8_HEAD
            + self.private_bytes()
            + _PKCS8_MIDDLE
            + b"\4"
            + self.verifier().point
        )
        return _pem("PRIVATE KEY", der)

    def verifier(self) -> Sm2Verifier:
        """The matching verifier."""
        return _public(self.secret)

    @property
    def key_id(self) -> str:
        """A short fingerprint of the public key."""
        return self.verifier().key_id

    def public_pem(self) -> str:
        """The public key, PEM, for anyone who verifies."""
        return self.verifier().public_pem()

    def sign(self, message: bytes) -> str:
        """Base64 SM2 signature (r || s) of SM3(Z || message)."""
        crypt = _crypt(f"{self.secret:064x}", self.verifier().point)
        while True:
            nonce = f"{secrets.randbelow(_N - 1) + 1:064x}"
            # gmssl returns None for the rare nonce that gives r = 0 or s = 0.
            signed = crypt.sign_with_sm3(message, nonce)
            if signed is not None:
                return base64.b64encode(bytes.fromhex(signed)).decode()


@cache
def _public(secret: int) -> Sm2Verifier:
    """d·G, computed once per key (a point multiplication in pure Python)."""
    return Sm2Verifier(bytes.fromhex(_crypt("", b"")._kg(secret, _TABLE["g"])))
