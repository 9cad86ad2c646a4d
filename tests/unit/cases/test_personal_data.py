"""Forgetting a worker: given a case naming workers, when the office forgets one, then
their data is unreadable in the case and the log records why."""

from __future__ import annotations

import pytest

from services.cases.domain.handover import HandOverComplaint
from services.cases.domain.intake import ReceiveCase
from services.cases.domain.particulars import Worker
from services.cases.domain.personal_data import ForgetWorker, forget_worker
from services.cases.domain.state import CaseStatus
from shared.domain import Personal, Role
from shared.errors import InvalidTransition, RuleViolated
from tests.unit.cases.factories import (
    OTHER_VALID_ID_NUMBER,
    case_closed,
    case_of,
    investigating,
    received,
    worker,
    worker_data_forgotten,
)

FORGET = ForgetWorker(subject="worker-0001", reason="本人申请")
TWO_WORKERS = received(
    workers_count=2,
    workers=(worker(), worker(subject="worker-0002", id_number=OTHER_VALID_ID_NUMBER)),
)


def test_only_the_office_forgets_a_worker() -> None:
    assert ForgetWorker.permitted == {Role.OFFICE}


def test_a_worker_named_in_the_case_is_forgotten_with_the_reason() -> None:
    events = forget_worker(case_of(TWO_WORKERS), FORGET)

    assert events == [worker_data_forgotten()]


def test_a_forgotten_workers_data_is_unreadable_and_the_others_stay() -> None:
    case = case_of(TWO_WORKERS, [worker_data_forgotten()])

    def gone() -> Personal:
        return Personal(subject="worker-0001", value=None, is_forgotten=True)

    assert case.workers == (
        Worker(subject="worker-0001", name=gone(), id_number=gone(), phone=gone()),
        worker(subject="worker-0002", id_number=OTHER_VALID_ID_NUMBER),
    )
    assert case.forgotten_subjects == ("worker-0001",)


def test_forgetting_a_worker_again_changes_nothing() -> None:
    events = forget_worker(case_of(TWO_WORKERS, [worker_data_forgotten()]), FORGET)

    assert events == []


def test_a_worker_is_forgotten_even_after_the_case_closed() -> None:
    events = forget_worker(case_of(investigating(), [case_closed()]), FORGET)

    assert events == [worker_data_forgotten()]


def test_a_subject_not_named_in_the_case_is_refused() -> None:
    with pytest.raises(RuleViolated) as refused:
        forget_worker(
            case_of(TWO_WORKERS), ForgetWorker(subject="worker-9", reason="x")
        )

    assert refused.value.code == "worker-not-in-case"


def test_no_worker_is_forgotten_in_a_case_never_received() -> None:
    with pytest.raises(InvalidTransition) as refused:
        forget_worker(case_of([]), FORGET)

    assert refused.value.current == CaseStatus.NEW
    assert refused.value.allowed == (ReceiveCase, HandOverComplaint)
