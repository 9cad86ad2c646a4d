"""Writer tags: a signature over the event's hash by a key in force, checked against
pinned keys; the MAC beside it is only the relay's fast path to the same answer."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.chain import Ed25519Signer, sha256_hex, tag_message
from shared.store.tags import TagChecker, WriterTags
from shared.trust import Jwk, Jwks

HASH = sha256_hex(b"an event")
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_the_tag_signs_the_context_line_and_the_hash() -> None:
    writer = WriterTags(Ed25519Signer.generate())

    signature, _ = writer.tag(HASH)

    assert tag_message(HASH) == b"qingqian/event-tag/v1\n" + HASH.encode()
    assert writer.signer.verifier().verify(tag_message(HASH), signature)


def test_a_checker_without_the_secret_checks_the_signature_alone() -> None:
    writer = WriterTags(Ed25519Signer.generate())
    signature, mac = writer.tag(HASH)
    pinned = TagChecker(Jwks.of_signers(writer.signer))

    ok = pinned.problem(
        event_hash=HASH, tag=signature, kid=writer.key_id, recorded_at=NOW, mac=mac
    )
    other = pinned.problem(
        event_hash=sha256_hex(b"another"),
        tag=signature,
        kid=writer.key_id,
        recorded_at=NOW,
        mac=mac,
    )

    assert ok is None
    assert other == "the writer tag does not verify"


def test_a_mac_that_does_not_match_falls_back_to_the_signature() -> None:
    writer = WriterTags(Ed25519Signer.generate())
    forger = Ed25519Signer.generate()
    relay = writer.checker(Jwks.of_signers(writer.signer))
    signature, _ = writer.tag(HASH)

    honest = relay.problem(
        event_hash=HASH, tag=signature, kid=writer.key_id, recorded_at=NOW, mac="x"
    )
    forged = relay.problem(
        event_hash=HASH,
        tag=forger.sign(tag_message(HASH)),
        kid=writer.key_id,
        recorded_at=NOW,
        mac="AAAA",
    )

    assert honest is None
    assert forged == "the writer tag does not verify"


def test_a_retired_key_authenticates_only_what_was_recorded_while_it_was_in_force() -> (
    None
):
    old = Ed25519Signer.generate()
    retired = Jwk.of(
        old.private_key.public_key(),
        kid=old.key_id,
        expires=datetime(2026, 1, 1, tzinfo=UTC),
    )
    checker = TagChecker(Jwks.of_signers(Ed25519Signer.generate(), (retired,)))
    signature = old.sign(tag_message(HASH))

    before = checker.problem(
        event_hash=HASH,
        tag=signature,
        kid=old.key_id,
        recorded_at=datetime(2025, 6, 1, tzinfo=UTC),
    )
    after = checker.problem(
        event_hash=HASH, tag=signature, kid=old.key_id, recorded_at=NOW
    )

    assert before is None
    assert after == f"key {old.key_id} was not in force when the event was recorded"
