"""The pieces of an evidence bundle a stranger's verifier must reproduce byte for
byte: DSSE's PAE, base64 in one spelling only, and audit paths equal to RFC 9162's."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.audit.bundle_format import decode_base64, pae
from services.audit.bundle_tree import ProofTree
from shared.merkle import inclusion_proof, leaf_hash


def test_pae_is_the_dsse_v1_test_vector() -> None:
    encoded = pae("http://example.com/HelloWorld", b"hello world")

    assert encoded == b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"


def test_pae_counts_bytes_not_characters() -> None:
    assert pae("t", "é".encode()) == b"DSSEv1 1 t 2 \xc3\xa9"


@given(st.binary(max_size=80))
def test_base64_of_either_alphabet_padded_or_not_decodes(raw: bytes) -> None:
    standard = base64.b64encode(raw).decode()
    url = base64.urlsafe_b64encode(raw).decode()

    for text in (standard, standard.rstrip("="), url, url.rstrip("=")):
        assert decode_base64(text) == raw


@pytest.mark.parametrize(
    "text",
    [
        "aGVsbG8gd29ybGR=",  # unused bits set: decodes to "hello world" leniently
        "aGVs bG8=",
        "aGV+bG8_",  # two alphabets
        "aGVsbG8===",
        "a",
    ],
)
def test_base64_in_any_other_spelling_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="base64"):
        decode_base64(text)


@given(st.integers(min_value=1, max_value=700), st.data())
def test_audit_paths_are_rfc_9162s(size: int, data: st.DataObject) -> None:
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(size + 5)]
    index = data.draw(st.integers(min_value=0, max_value=size - 1))

    path = ProofTree(leaves).path(index, size)

    assert path == inclusion_proof(leaves[:size], index)
