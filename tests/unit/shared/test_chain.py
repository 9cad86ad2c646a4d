"""Canonical JSON, event hashes and seal signatures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from shared.chain import (
    GENESIS,
    Ed25519Signer,
    canonical,
    event_hash,
    new_private_key_pem,
    seal_hash,
)

BASE: dict[str, Any] = {
    "event_id": "5f0c2b0e-0000-4000-8000-000000000001",
    "stream_id": "unit-rsj",
    "version": 1,
    "event_type": "UnitAdmitted",
    "schema_version": 1,
    "recorded_at": datetime(2017, 8, 2, 1, 2, 3, 456, tzinfo=UTC),
    "data": {"name_zh": "区人社局", "duties": ["宣传", "执法"]},
    "actor": "seed",
    "actor_unit": "rsj",
    "correlation_id": "c",
    "causation_id": None,
    "prevhash": GENESIS,
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_the_canonical_form_does_not_depend_on_key_order(value: dict[str, Any]) -> None:
    reordered = dict(reversed(list(value.items())))

    assert canonical(value) == canonical(reordered)
    assert json.loads(canonical(value)) == value


def test_the_canonical_form_is_rfc_8785() -> None:
    assert (
        canonical({"b": 1, "a": [True, None, "中"]})
        == '{"a":[true,null,"中"],"b":1}'.encode()
    )


def test_the_hash_covers_every_field_of_the_event() -> None:
    original = event_hash(**BASE)
    changes: dict[str, Any] = {
        "event_id": "5f0c2b0e-0000-4000-8000-000000000002",
        "stream_id": "unit-fgj",
        "version": 2,
        "event_type": "UnitRenamed",
        "schema_version": 2,
        "recorded_at": datetime(2017, 8, 2, 1, 2, 3, 457, tzinfo=UTC),
        "data": {"name_zh": "区人社局", "duties": ["执法", "宣传"]},
        "actor": "other",
        "actor_unit": "fgj",
        "correlation_id": "d",
        "causation_id": "e",
        "prevhash": "1" * 64,
    }

    for field, value in changes.items():
        assert event_hash(**(BASE | {field: value})) != original, field


def test_a_seal_signature_verifies_only_with_its_own_key() -> None:
    signer = Ed25519Signer.from_pem(new_private_key_pem())
    other = Ed25519Signer.from_pem(new_private_key_pem())
    digest = seal_hash(
        seal_no=1,
        first_sequence=1,
        last_sequence=10,
        event_count=10,
        block="ab",
        prev_seal_hash=GENESIS,
        sealed_at=datetime(2024, 1, 1, tzinfo=UTC),
    )

    signature = signer.sign(digest.encode())

    assert signer.verifier().verify(digest.encode(), signature)
    assert not other.verifier().verify(digest.encode(), signature)
    assert not signer.verifier().verify(b"tampered", signature)


plain_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=5)
    ),
    max_leaves=25,
)


@given(plain_json)
def test_the_fast_canonical_form_is_exactly_rfc_8785(value: Any) -> None:
    assert canonical(value) == bytes(rfc8785.dumps(value))


def test_keys_are_ordered_by_utf16_code_units_as_jcs_requires() -> None:
    value = {"\U0001f600": 1, "\uff61": 2, "a": 3}

    assert canonical(value) == bytes(rfc8785.dumps(value))
