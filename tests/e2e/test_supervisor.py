"""`qingqian up` as the supervisor of the local system, run as a user runs it: a killed
service or broker comes back and the console says why; a service that keeps crashing,
or a taken port, stops `up` with the reason; SIGTERM leaves no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.steps import receive_and_assign
from tests.e2e.up_process import ROOT, Up, is_gone
from tests.support import eventually

# Async tests run on the session's loop (pyproject); the others are plain.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


async def _ready(url: str) -> bool:
    async with httpx.AsyncClient(timeout=2) as client:
        try:
            return (await client.get(f"{url}/readyz")).status_code == 200
        except httpx.TransportError:
            return False


@pytest.fixture(scope="module")
def stack(module_home_dir: Path) -> Iterator[Up]:
    up = Up(module_home_dir, "--replicas", "cases=2")
    try:
        up.start()
        yield up
    finally:
        up.close()


async def test_a_killed_replica_comes_back_and_the_console_says_why(
    stack: Up,
) -> None:
    replica_port = stack.port("cases", replica=2)
    assert f"cases-2      {stack.url('cases', 2)}" in stack.output
    assert "(replica 2 of 2)" in stack.output

    os.kill(stack.pid_of("cases-2"), signal.SIGKILL)
    # Its port taken while it is down: the next start fails, and says so.
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

        async def squatted() -> bool:
            try:
                squatter.bind(("127.0.0.1", replica_port))
            except OSError:
                return False
            squatter.listen()
            return True

        await eventually(squatted, timeout=5)
        await stack.said("cases-2 exited with code 3")
    await eventually(lambda: _ready(stack.url("cases", 2)), timeout=60, interval=0.5)

    assert (
        "cases-2 was killed by SIGKILL (no error in its log) — restarting in 1 s"
        in (stack.lines)
    )
    [failed] = [line for line in stack.lines if "cases-2 exited with code 3" in line]
    assert f"('127.0.0.1', {replica_port}): address already in use" in failed
    assert failed.endswith("— restarting in 2 s")
    ended = [r for r in stack.journal() if r["event"] == "process_ended"]
    assert [(r["process"], r["crashes_in_window"]) for r in ended] == [
        ("cases-2", 1),
        ("cases-2", 2),
    ]
    assert await _ready(stack.url("cases"))


async def test_a_killed_broker_is_restarted_and_events_flow_again(stack: Up) -> None:
    office = {"Authorization": f"Bearer {stack.token}"}

    os.kill(stack.pid_of("kafka"), signal.SIGKILL)
    await stack.said("kafka restarted")
    async with (
        httpx.AsyncClient(base_url=stack.url("members"), headers=office) as members,
        httpx.AsyncClient(base_url=stack.url("cases"), headers=office) as cases,
    ):
        admitted = await members.post(
            "/units",
            json={
                "code": "yjglj",
                "name_zh": "区应急管理局",
                "name_en": "Emergency Management Bureau",
                "kind": "bureau",
                "effective_on": "2019-03-01",
            },
        )
        # cases knows the new unit only from members' events on the new broker.
        received, _ = await receive_and_assign(cases, "yjglj", timeout=45)

    assert admitted.status_code == received.status_code == 201
    assert any(
        line.startswith("kafka was killed by SIGKILL") for line in stack.lines
    ), stack.output


def test_the_office_token_is_printed_to_the_terminal_only(stack: Up) -> None:
    logs = list(stack.home.glob("*.log"))

    assert stack.token in stack.lines
    assert {p.name for p in logs} >= {"supervisor.log", "cases-2.log", "tansu.log"}
    assert not [p.name for p in logs if stack.token in p.read_text(errors="replace")]


async def test_sigterm_stops_every_process(stack: Up) -> None:
    pids = stack.pids()
    assert stack.process is not None

    stack.process.send_signal(signal.SIGTERM)

    assert stack.wait() == 0, stack.output
    assert stack.lines[-1] == "stopped", stack.output
    assert [name for pid, name in pids.items() if not is_gone(pid)] == []
    assert not (stack.home / "pgdata" / "postmaster.pid").exists()


async def test_a_service_that_keeps_crashing_stops_everything_saying_which(
    home_dir: Path,
) -> None:
    up = Up(home_dir, "--max-crashes", "2", "--crash-window", "60")
    try:
        up.start()
        os.kill(up.pid_of("members"), signal.SIGKILL)
        await up.said("members restarted")
        os.kill(up.pid_of("members"), signal.SIGKILL)

        assert up.wait() == 1
    finally:
        up.close()

    assert (
        "error: members crashed 2 times within 60 s; the last time it was killed by"
        " SIGKILL: no error in its log"
    ) in up.output
    assert up.lines[-1] == "stopped", up.output
    assert [name for pid, name in up.pids().items() if not is_gone(pid)] == []
    assert up.journal()[-2]["event"] == "gave_up"


@pytest.mark.parametrize(
    ("taken", "flag"), [("cases", "--port-offset"), ("kafka", "--kafka-port")]
)
def test_a_taken_port_is_named_before_anything_starts(
    home_dir: Path, taken: str, flag: str
) -> None:
    up = Up(home_dir)
    port = up.kafka_port if taken == "kafka" else up.port(taken)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()

        # Bounded well below the ~20 s a full start-up and failure would take.
        said = subprocess.run(
            up.command,
            cwd=ROOT,
            env=up.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )

    assert said.returncode == 1
    assert f"error: port {port} " in said.stdout
    assert "is already in use" in said.stdout
    assert flag in said.stdout
    assert not (up.home / "pgdata").exists()
