"""Personal data without a database: masking, the cipher, finding clear values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.domain import Personal
from shared.personal_data import contains_clear_text, decrypt, encrypt, mask

KEY = bytes(range(32))


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("11010119900307451X", "110101********451X"),
        ("110101199003074514", "110101********4514"),
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("6222021234567890123", "***************0123"),
        ("6222 0212 3456 7890", "************7890"),
        ("张三丰", "张**"),
        ("Li", "L*"),
        ("", ""),
    ],
)
def test_mask_keeps_only_what_a_reader_may_see(value: str, masked: str) -> None:
    assert mask(value) == masked


def test_a_masked_value_keeps_its_length() -> None:
    assert len(mask("13812345678")) == 11


def test_a_sealed_value_decrypts_with_its_key_and_subject() -> None:
    ciphertext, nonce = encrypt(KEY, "s-1", "13812345678")

    assert decrypt(KEY, "s-1", ciphertext, nonce) == "13812345678"


def test_each_sealing_uses_a_fresh_nonce() -> None:
    first = encrypt(KEY, "s-1", "13812345678")
    second = encrypt(KEY, "s-1", "13812345678")

    assert first[1] != second[1]
    assert first[0] != second[0]


def test_a_ciphertext_moved_to_another_subject_does_not_decrypt() -> None:
    ciphertext, nonce = encrypt(KEY, "s-1", "13812345678")

    with pytest.raises(ValueError, match="does not decrypt"):
        decrypt(KEY, "s-2", ciphertext, nonce)


def test_clear_values_are_found_at_any_depth() -> None:
    item = Personal(subject="s-1", value="13812345678").model_dump(mode="json")
    sealed = {**item, "value": None, "ciphertext": "x", "nonce": "y"}

    assert contains_clear_text({"workers": [{"phone": item}]})
    assert not contains_clear_text({"workers": [{"phone": sealed}]})
    assert not contains_clear_text({"note": "no personal data"})


def test_personal_data_names_its_subject() -> None:
    with pytest.raises(ValidationError):
        Personal(subject="", value="13812345678")
