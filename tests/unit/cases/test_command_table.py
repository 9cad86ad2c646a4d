"""The cases command table holds together: every decide function gets exactly the facts
it needs, every step a status names has a row and a verb, and the paths stay as they were."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.cases.command_table import COMMANDS
from shared.command_check import CommandTableError, check_table


def test_the_table_holds_together() -> None:
    check_table(COMMANDS)


def test_a_row_missing_a_fact_its_decide_function_needs_stops_the_service() -> None:
    rows = tuple(
        replace(r, facts=r.facts[1:]) if r.command.__name__ == "AssignCase" else r
        for r in COMMANDS.rows
    )
    with pytest.raises(CommandTableError, match="AssignCase: assign_case needs"):
        check_table(replace(COMMANDS, rows=rows))


def test_a_status_naming_a_command_without_a_row_stops_the_service() -> None:
    # The table carries the case's steps on both tracks, so the start-up check sees them.
    rows = tuple(r for r in COMMANDS.rows if r.command.__name__ != "RefuseReferral")
    with pytest.raises(CommandTableError, match="RefuseReferral"):
        check_table(replace(COMMANDS, rows=rows))


def test_the_routes_keep_their_paths_and_status_codes() -> None:
    routes = {
        (r.route.path, r.route.status_code)
        for r in COMMANDS.rows
        if r.route is not None
    }
    assert ("/cases", 201) in routes
    assert ("/cases/{case_id}/forget-worker", 200) in routes
    assert ("/cases/hand-over", 201) in routes
    assert len(routes) == 43  # every command but the watcher's RecordDeadlineMissed


def test_operation_ids_are_the_decide_functions_names() -> None:
    names = [r.decide.__name__ for r in COMMANDS.rows]
    assert len(set(names)) == len(names)
    assert all(r.decide.__name__ == _snake(r.command.__name__) for r in COMMANDS.rows)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
