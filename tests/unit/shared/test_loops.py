"""Background loops under `supervise`: retried with capped backoff after any failure,
never dying silently, their state kept for readiness and operators."""

from __future__ import annotations

import asyncio

import pytest

from shared.loops import Backoff, LoopState, LoopStatus, supervise

QUICK = Backoff(first=0.001, cap=0.002)


async def test_a_failing_loop_is_run_again_and_says_why_until_it_runs() -> None:
    status = LoopStatus(name="relay")
    seen: list[LoopState] = []

    async def body() -> None:
        seen.append(status.state)
        if len(seen) < 3:
            raise ConnectionRefusedError(111, "refused")
        status.set(LoopState.RUNNING)

    await supervise(status, body, backoff=QUICK)

    assert seen == [LoopState.STARTING, LoopState.RETRYING, LoopState.RETRYING]
    assert status.restarts == 2
    assert status.state is LoopState.STOPPED


async def test_a_bug_in_a_loop_does_not_end_it_either() -> None:
    status = LoopStatus(name="watcher")
    calls = 0

    async def body() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ValueError("a bug")

    await supervise(status, body, backoff=QUICK)

    assert calls == 2
    assert status.last_error == "ValueError: a bug"
    assert status.last_error_at is not None


async def test_a_retrying_loop_is_not_healthy_and_its_reason_names_it_and_the_error() -> (
    None
):
    status = LoopStatus(name="relay")
    stuck = asyncio.Event()

    async def body() -> None:
        stuck.set()
        raise TimeoutError("no answer")

    task = asyncio.create_task(supervise(status, body, backoff=Backoff(cap=60)))
    await stuck.wait()
    await asyncio.sleep(0)

    assert status.state is LoopState.RETRYING
    assert not status.is_healthy
    assert status.reason().startswith("relay is retrying since ")
    assert status.reason().endswith(": TimeoutError: no answer")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert status.reason().startswith("relay is stopped since ")


def test_a_loop_standing_by_for_a_leader_is_healthy() -> None:
    status = LoopStatus(name="relay")

    status.set(LoopState.STANDBY)

    assert status.is_healthy
    assert not status.is_running


def test_the_backoff_doubles_up_to_its_cap() -> None:
    delay = Backoff(first=0.5, cap=3.0).delays()

    delays = [delay() for _ in range(5)]

    assert delays == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_the_time_in_a_state_changes_only_when_the_state_does() -> None:
    status = LoopStatus(name="projection")
    status.set(LoopState.RUNNING)
    since = status.since

    status.set(LoopState.RUNNING)

    assert status.since == since
