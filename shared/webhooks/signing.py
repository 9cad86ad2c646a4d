"""The signature of a delivery (docs/webhooks.md): `X-Qingqian-Signature:
t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`, as Stripe signs. The
timestamp is signed with the body, so a receiver that refuses old timestamps refuses a
captured delivery sent again later."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Qingqian-Signature"
DELIVERY_HEADER = "X-Qingqian-Delivery"
# How far a receiver should let a signature's time stray from its clock.
DEFAULT_TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """A fresh signing secret: 32 random bytes, URL-safe text."""
    return "whsec_" + secrets.token_urlsafe(32)


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """The header value signing `body` at `timestamp` (unix seconds) with `secret`."""
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def verify(
    secret: str,
    body: bytes,
    header: str,
    *,
    now: int,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """Whether `header` signs `body` with `secret` at a time within `tolerance` of
    `now`; what a receiver runs (compares in constant time)."""
    parts = dict(p.partition("=")[::2] for p in header.split(",") if "=" in p)
    stamp = parts.get("t", "")
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 12:
        return False
    timestamp = int(stamp)
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), _mac(secret, timestamp, body))
