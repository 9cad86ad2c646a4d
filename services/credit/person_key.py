"""A person's lookup key: a keyed hash of their ID number, so the check API finds a
listed person and their personal data is sealed under it, without any table holding
the number."""

from __future__ import annotations

import hashlib
import hmac


def person_key(secret: bytes, id_number: str) -> str:
    """The lookup key of a person: the same number always gives the same key."""
    normalized = id_number.strip().upper()
    return hmac.new(secret, normalized.encode(), hashlib.sha256).hexdigest()[:32]
