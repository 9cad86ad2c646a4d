"""When `qingqian up` restarts a crashed process and when it gives up; which line of a
log it names as the cause; which ports replicas get. Pure: no processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qingqian_local.supervisor.cause import cause_from_log
from qingqian_local.supervisor.children import describe_exit
from qingqian_local.supervisor.ports import Replica, parse_replicas, replicas_of
from qingqian_local.supervisor.restarts import CrashHistory, RestartPolicy

POLICY = RestartPolicy(max_crashes=5, window=60.0, first_delay=1.0, max_delay=4.0)


def test_the_delay_doubles_with_each_crash_in_the_window_up_to_the_cap() -> None:
    history = CrashHistory(POLICY)

    verdicts = [history.record(at) for at in (0.0, 1.0, 3.0, 7.0)]

    assert [v.delay for v in verdicts] == [1.0, 2.0, 4.0, 4.0]
    assert [v.crashes_in_window for v in verdicts] == [1, 2, 3, 4]
    assert not any(v.is_giving_up for v in verdicts)


def test_the_fifth_crash_within_the_window_gives_up() -> None:
    history = CrashHistory(POLICY)
    for at in (0.0, 10.0, 20.0, 30.0):
        history.record(at)

    verdict = history.record(59.0)

    assert verdict.is_giving_up
    assert verdict.crashes_in_window == 5


def test_crashes_older_than_the_window_no_longer_count_nor_slow_the_restart() -> None:
    history = CrashHistory(POLICY)
    for at in (0.0, 10.0, 20.0, 30.0):
        history.record(at)

    verdict = history.record(91.0)

    assert not verdict.is_giving_up
    assert verdict.crashes_in_window == 1
    assert verdict.delay == 1.0


def test_one_allowed_crash_means_the_first_crash_gives_up() -> None:
    history = CrashHistory(RestartPolicy(max_crashes=1))

    assert history.record(0.0).is_giving_up


@pytest.mark.parametrize(
    "policy",
    [
        {"max_crashes": 0},
        {"window": 0.0},
        {"first_delay": 0.0},
        {"first_delay": 10.0, "max_delay": 5.0},
    ],
)
def test_a_policy_that_could_not_work_is_refused(policy: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        RestartPolicy(**policy)  # type: ignore[arg-type]  # mixed int/float keywords


def test_an_exit_is_told_by_code_or_by_signal() -> None:
    assert describe_exit(3) == "exited with code 3"
    assert describe_exit(-9) == "was killed by SIGKILL"


def _log(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "cases.log"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _json(level: str, event: str, **fields: object) -> str:
    return json.dumps({"event": event, "level": level, "service": "cases", **fields})


def test_the_cause_is_the_last_error_the_service_logged(tmp_path: Path) -> None:
    bind = "[Errno 98] error while attempting to bind on address ('127.0.0.1', 8002): address already in use"
    log = _log(
        tmp_path,
        _json("error", "an older error"),
        _json("info", "service_started"),
        _json("error", bind),
        _json("info", "Application shutdown complete."),
    )

    assert cause_from_log(log) == bind


def test_the_cause_names_the_exception_of_a_logged_traceback(tmp_path: Path) -> None:
    exception = [{"exc_type": "OSError", "exc_value": "disk full", "frames": []}]
    log = _log(tmp_path, _json("error", "relay_failed", exception=exception))

    assert cause_from_log(log) == "relay_failed: OSError: disk full"


def test_the_cause_of_a_crash_before_logging_began_is_its_exception_line(
    tmp_path: Path,
) -> None:
    log = _log(
        tmp_path,
        "Traceback (most recent call last):",
        '  File "services/cases/__main__.py", line 9, in <module>',
        "pydantic_core._pydantic_core.ValidationError: 1 validation error for CasesSettings",
        "port",
        "  Input should be a valid integer",
        "    For further information visit https://errors.pydantic.dev/2/v/int_parsing",
        _json("info", "written after the traceback, by another part"),
    )

    assert cause_from_log(log) == (
        "pydantic_core._pydantic_core.ValidationError: 1 validation error for"
        " CasesSettings port Input should be a valid integer"
    )


def test_only_this_run_of_the_log_is_searched(tmp_path: Path) -> None:
    log = _log(tmp_path, _json("error", "the previous run's error"))
    this_run = log.stat().st_size
    with log.open("a", encoding="utf-8") as out:
        out.write(_json("info", "service_started") + "\n")

    assert cause_from_log(log, since=this_run) is None
    assert cause_from_log(log, since=0) == "the previous run's error"


def test_a_missing_log_has_no_cause(tmp_path: Path) -> None:
    assert cause_from_log(tmp_path / "absent.log") is None


def test_replicas_get_ports_a_hundred_apart_beside_the_other_services() -> None:
    replicas = replicas_of({"members": 8001, "cases": 8002}, {"cases": 3})

    assert replicas == [
        Replica("members", 1, 8001),
        Replica("cases", 1, 8002),
        Replica("cases", 2, 8102),
        Replica("cases", 3, 8202),
    ]
    assert [r.name for r in replicas] == ["members", "cases", "cases-2", "cases-3"]


def test_replicas_are_given_repeated_or_as_a_comma_list() -> None:
    services = ("members", "cases", "credit")

    parsed = parse_replicas(["cases=2", "members=2, credit=3"], services)

    assert parsed == {"cases": 2, "members": 2, "credit": 3}


@pytest.mark.parametrize(
    "value", ["cases", "audit=2", "cases=0", "cases=10", "cases=x"]
)
def test_a_bad_replicas_value_is_refused_naming_it(value: str) -> None:
    with pytest.raises(ValueError, match="--replicas"):
        parse_replicas([value], ("members", "cases"))


def test_audit_runs_once_whatever_replicas_ask() -> None:
    with pytest.raises(ValueError, match="audit runs once"):
        parse_replicas(["audit=2"], ("cases", "audit"))

    assert parse_replicas(["audit=1"], ("cases", "audit")) == {"audit": 1}
