"""The steps each status allows: every status names its next steps, terminal ones allow
only forgetting a worker, and a refusal names them."""

from __future__ import annotations

import re

import pytest

from services.cases.domain.case import CASE
from services.cases.domain.lifecycle import allowed_after
from services.cases.domain.state import CaseStatus, CriminalStatus
from shared.domain import Command


def step_name(command: type[Command]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", command.__name__).lower()


def test_every_status_of_both_tracks_names_its_next_steps() -> None:
    assert all(isinstance(allowed_after(s), tuple) for s in CaseStatus)
    assert all(isinstance(allowed_after(s), tuple) for s in CriminalStatus)


@pytest.mark.parametrize(
    "status", [CaseStatus.REJECTED, CaseStatus.TRANSFERRED_OUT, CaseStatus.CLOSED]
)
def test_a_finished_case_allows_only_forgetting_a_worker(status: CaseStatus) -> None:
    assert allowed_after(status) == ("forget-worker",)


def test_a_cancelled_case_is_closed_next() -> None:
    assert allowed_after(CaseStatus.CANCELLED) == ("close", "forget-worker")


def test_an_accepted_case_allows_what_an_investigation_allows() -> None:
    assert allowed_after(CaseStatus.ACCEPTED) == allowed_after(CaseStatus.INVESTIGATING)


def test_every_step_named_is_a_command() -> None:
    # Every capability module is loaded with the aggregate that evolves its events.
    assert CASE.category == "case"
    commands = {
        c
        for c in Command.__subclasses__()
        if c.__module__.startswith("services.cases.domain.")
    }
    names = {step_name(c) for c in commands}
    # Steps drop the noun the path already names: `cases/{id}/accept`.
    aliases = {
        "receive": "receive-case",
        "accept": "accept-case",
        "reject": "reject-case",
        "transfer-out": "transfer-case-out",
        "cancel": "cancel-case",
        "close": "close-case",
        "assign": "assign-case",
    }
    steps = {
        s for status in [*CaseStatus, *CriminalStatus] for s in allowed_after(status)
    }

    assert {aliases.get(s, s) for s in steps} <= names
