"""One-character alterations of an evidence bundle, and re-signing a payload with a
key the verifier also pins for audit: so that each check behind audit's signature is
shown to catch an alteration by itself."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

from services.audit.bundle_format import DsseEnvelope
from shared.chain import Ed25519Signer

Path = tuple[str | int, ...]
_HEX = "0123456789abcdef"
_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def other_character(text: str, at: int) -> str:
    """`text` with the character at `at` replaced by another of its kind (a hex
    digit by a hex digit, a base64 one by a base64 one), so only its value changes."""
    old = text[at]
    kind = _HEX if old in _HEX else _BASE64 if old in _BASE64 else "xy"
    new = kind[(kind.index(old) + 1) % len(kind)] if old in kind else kind[0]
    return text[:at] + new + text[at + 1 :]


def leaves(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every string and integer inside `value`, with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    elif isinstance(value, str | int) and not isinstance(value, bool):
        yield path, value


def altered_values(value: str | int) -> Iterator[str | int]:
    """One-character alterations of a value: an integer plus one; a string at its
    first and last character and up to eight between."""
    if isinstance(value, int):
        yield value + 1
        return
    for at in sorted(
        {0, len(value) - 1, *range(0, len(value), max(1, len(value) // 8))}
    ):
        if value:
            yield other_character(value, at)


def replaced(document: Any, path: Path, new: Any) -> Any:
    """A copy of the JSON document with the value at `path` replaced."""
    copy = json.loads(json.dumps(document))
    holder = copy
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = new
    return copy


def payload_of(bundle: bytes) -> dict[str, Any]:
    """The decoded payload of a bundle."""
    envelope = json.loads(bundle)
    body: dict[str, Any] = json.loads(base64.b64decode(envelope["payload"]))
    return body


def resigned(payload: dict[str, Any], signer: Ed25519Signer) -> bytes:
    """A bundle of `payload` signed with `signer`."""
    return DsseEnvelope.sign(json.dumps(payload).encode(), signer).to_json()
