"""The public allowance: a token bucket per client."""

from __future__ import annotations

import pytest

from shared.rate_limit import TokenBucket


def test_a_client_gets_its_burst_then_waits_for_the_rate() -> None:
    bucket = TokenBucket(per_minute=6, burst=2)

    answers = [bucket.take("10.0.0.1", now=100.0) for _ in range(3)]

    assert answers == [0, 0, 10]


def test_the_allowance_refills_with_time_up_to_the_burst() -> None:
    bucket = TokenBucket(per_minute=60, burst=2)
    for _ in range(2):
        bucket.take("a", now=0.0)

    refilled = [bucket.take("a", now=1000.0) for _ in range(3)]

    assert refilled == [0, 0, 1]


def test_each_client_has_an_allowance_of_its_own() -> None:
    bucket = TokenBucket(per_minute=1, burst=1)
    bucket.take("a", now=0.0)

    assert bucket.take("b", now=0.0) == 0
    assert bucket.take("a", now=0.0) == 60


def test_a_limit_that_allows_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="per_minute"):
        TokenBucket(per_minute=0, burst=1)
