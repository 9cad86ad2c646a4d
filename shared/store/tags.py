"""Writer tags: every event's hash signed with the service's key when it is appended
(DESIGN §2 "Writer signatures"), so a row someone inserted with a database account but
without the key shows. Checked against pinned keys (`Jwks`), never the database's."""

from __future__ import annotations

from datetime import datetime

from shared.chain import Ed25519Verifier, tag_message
from shared.trust import Jwk, Jwks


class TagChecker:
    """Checks writer tags against a key set: the key named, in force when the event was
    recorded, and its signature over the event's hash."""

    def __init__(self, keys: Jwks) -> None:
        # Loading a public key costs more than a verification: once per key.
        self._keys: dict[str, tuple[Jwk, Ed25519Verifier]] = {
            key.kid: (key, key.verifier()) for key in keys.keys
        }

    def problem(
        self,
        *,
        event_hash: str,
        tag: str | None,
        kid: str | None,
        recorded_at: datetime,
    ) -> str | None:
        """Why the event is not authenticated by its writer; None when it is."""
        if not tag or not kid:
            return "the event carries no writer tag"
        found = self._keys.get(kid)
        if found is None:
            return f"the writer tag names a key the trust does not hold ({kid[:100]})"
        key, verifier = found
        if not key.covers(recorded_at):
            return f"key {kid} was not in force when the event was recorded"
        if not verifier.verify(tag_message(event_hash), tag):
            return "the writer tag does not verify"
        return None
