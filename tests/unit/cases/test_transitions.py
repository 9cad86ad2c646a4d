"""The steps each status allows: every status names its next steps, terminal ones allow
only forgetting a worker, every command but the watcher's is a step somewhere, and a
refusal names them."""

from __future__ import annotations

import pytest

from services.cases.domain.case import (
    ALLOWED_AFTER,
    ALLOWED_AFTER_CRIMINAL,
    ALLOWED_AFTER_DUPLICATE,
    ALLOWED_AFTER_PENALTY,
    allowed_after,
)
from services.cases.domain.court import RecordEnforcementAccepted
from services.cases.domain.escalation import RecordDeadlineMissed
from services.cases.domain.intake import CaseParticulars
from services.cases.domain.investigation import CloseCase
from services.cases.domain.payments import RecordPayment
from services.cases.domain.personal_data import ForgetWorker
from services.cases.domain.state import CaseStatus, CriminalStatus, PenaltyStatus
from shared.domain import Command


def test_every_status_of_all_three_tracks_names_its_next_steps() -> None:
    assert set(ALLOWED_AFTER) == set(CaseStatus)
    assert set(ALLOWED_AFTER_CRIMINAL) == set(CriminalStatus)
    assert set(ALLOWED_AFTER_PENALTY) == set(PenaltyStatus)


@pytest.mark.parametrize(
    "status", [CaseStatus.REJECTED, CaseStatus.TRANSFERRED_OUT, CaseStatus.CLOSED]
)
def test_a_finished_case_allows_only_forgetting_a_worker(status: CaseStatus) -> None:
    assert allowed_after(status) == (ForgetWorker,)


def test_a_cancelled_case_is_closed_next() -> None:
    assert allowed_after(CaseStatus.CANCELLED) == (CloseCase, ForgetWorker)


def test_a_paid_case_lists_closing_first() -> None:
    assert allowed_after(CaseStatus.PAID)[:2] == (CloseCase, RecordPayment)


def test_the_court_may_act_in_any_opened_status_for_a_fine_it_enforces() -> None:
    # Whether it does is the court's record's (offers: `is_court_open`).
    for status in (CaseStatus.PAID, CaseStatus.INVESTIGATING):
        assert RecordEnforcementAccepted in allowed_after(status)
    assert RecordEnforcementAccepted not in allowed_after(CaseStatus.CLOSED)


def test_an_accepted_case_allows_what_an_investigation_allows() -> None:
    assert allowed_after(CaseStatus.ACCEPTED) == allowed_after(CaseStatus.INVESTIGATING)


def _commands(base: type[Command]) -> set[type[Command]]:
    return {d for c in base.__subclasses__() for d in {c, *_commands(c)}}


def test_every_command_but_the_watchers_is_a_step_some_status_allows() -> None:
    commands = {
        c
        for c in _commands(Command)
        if c.__module__.startswith("services.cases.domain.")
    }
    steps = {
        c
        for status in [*CaseStatus, *CriminalStatus, *PenaltyStatus]
        for c in allowed_after(status)
    } | {c for status in CaseStatus for c in ALLOWED_AFTER_DUPLICATE[status]}

    # The particulars every new case states are not a command of their own.
    assert steps == commands - {RecordDeadlineMissed, CaseParticulars}
