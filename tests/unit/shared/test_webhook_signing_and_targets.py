"""A delivery's signature (t=…,v1=… over "<t>.<body>") and where a webhook may point."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from shared.errors import InvalidInput
from shared.webhooks.signing import signature, verify
from shared.webhooks.targets import check_url

SECRET = "whsec_test"
BODY = b'{"specversion":"1.0","id":"e1"}'


def test_the_signature_is_the_hmac_of_the_timestamp_and_the_body() -> None:
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256)

    header = signature(SECRET, BODY, 1_700_000_000)

    assert header == f"t=1700000000,v1={expected.hexdigest()}"


def test_a_signature_verifies_only_for_its_body_secret_and_time() -> None:
    header = signature(SECRET, BODY, 1_700_000_000)

    assert verify(SECRET, BODY, header, now=1_700_000_100)
    assert not verify(SECRET, BODY + b" ", header, now=1_700_000_100)
    assert not verify("whsec_other", BODY, header, now=1_700_000_100)
    # A captured delivery sent again an hour later is refused.
    assert not verify(SECRET, BODY, header, now=1_700_003_600)
    assert not verify(SECRET, BODY, "t=abc,v1=00", now=1_700_000_000)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://api.localhost/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "gopher://example.org/",
        "https:///no-host",
        "https://user:secret@example.org/hook",
    ],
)
def test_a_local_or_non_http_target_is_refused(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_url(url, allow_local=False)

    assert refused.value.rule == "webhook_target"


def test_a_local_target_is_allowed_only_when_the_deployment_says_so() -> None:
    check_url("http://127.0.0.1:8080/hook", allow_local=True)
    check_url("https://agency.example.org/hooks/qingqian", allow_local=False)

    with pytest.raises(InvalidInput):
        check_url("ftp://127.0.0.1/", allow_local=True)
