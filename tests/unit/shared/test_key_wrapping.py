"""Data keys wrapped by a key-encryption key: only that KEK, for that subject, unwraps
them; a rotated keyring still unwraps what the retired KEK wrapped."""

from __future__ import annotations

import base64

import pytest

from shared.key_wrapping import Kek, Keyring

DATA_KEY = bytes(range(32))


def test_a_wrapped_key_unwraps_with_its_kek_and_subject() -> None:
    keyring = Keyring(Kek.generate())

    blob = keyring.wrap(DATA_KEY, subject="w-1")

    assert DATA_KEY not in blob
    assert keyring.unwrap(blob, subject="w-1", kek_id=keyring.kek_id) == DATA_KEY


def test_a_wrapped_key_does_not_unwrap_for_another_subject() -> None:
    keyring = Keyring(Kek.generate())
    blob = keyring.wrap(DATA_KEY, subject="w-1")

    with pytest.raises(ValueError, match="does not unwrap"):
        keyring.unwrap(blob, subject="w-2", kek_id=keyring.kek_id)


def test_another_kek_with_the_same_id_claimed_does_not_unwrap() -> None:
    kek = Kek.generate()
    blob = kek.wrap(DATA_KEY, subject="w-1")

    with pytest.raises(ValueError, match="does not unwrap"):
        Kek.generate().unwrap(blob, subject="w-1")


def test_a_key_wrapped_by_an_unconfigured_kek_names_that_kek() -> None:
    old = Kek.generate()
    blob = old.wrap(DATA_KEY, subject="w-1")

    with pytest.raises(ValueError, match=old.kek_id):
        Keyring(Kek.generate()).unwrap(blob, subject="w-1", kek_id=old.kek_id)


def test_after_a_rotation_the_retired_kek_still_unwraps_and_the_new_one_wraps() -> None:
    old, new = Kek.generate(), Kek.generate()
    blob = old.wrap(DATA_KEY, subject="w-1")

    rotated = Keyring.from_settings(new.to_base64(), f" {old.to_base64()} ,")

    assert rotated.kek_id == new.kek_id != old.kek_id
    assert rotated.unwrap(blob, subject="w-1", kek_id=old.kek_id) == DATA_KEY


@pytest.mark.parametrize(
    "text", ["not base64!", base64.b64encode(b"short").decode(), ""]
)
def test_a_kek_is_base64_of_32_bytes(text: str) -> None:
    with pytest.raises(ValueError, match="key-encryption key"):
        Kek.from_base64(text)


def test_a_kek_never_shows_in_its_repr() -> None:
    kek = Kek.generate()

    assert kek.to_base64() not in repr(kek)
    assert kek.key.hex() not in repr(Keyring(kek))
