"""Forgetting a worker: the office records it; the store deletes the worker's key, so
their personal data is unreadable everywhere while the log stays whole (DESIGN.md §2)."""

from __future__ import annotations

from typing import ClassVar, Final

from services.cases.domain.lifecycle import require_status
from services.cases.domain.particulars import Subject
from services.cases.domain.state import Case, CaseStatus
from shared.domain import Command, Event, Role
from shared.errors import RuleViolated
from shared.values import Text


class ForgetWorker(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    subject: Subject
    reason: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    # Once received, in any state, even closed.
    ForgetWorker: frozenset(CaseStatus) - {CaseStatus.NEW},
}
"""The statuses in which each command of this capability is a next step."""


class WorkerDataForgotten(Event):
    """A worker asked to be forgotten: their key is deleted, so every copy of their
    personal data becomes unreadable while the hash chain still verifies."""

    subject: str
    reason: str


def evolve_forgotten(case: Case, event: WorkerDataForgotten) -> Case:
    """The case with the worker's personal data unreadable."""
    workers = tuple(
        w.forgotten() if w.subject == event.subject else w for w in case.workers
    )
    forgotten = (*case.forgotten_subjects, event.subject)
    return case.model_copy(update={"workers": workers, "forgotten_subjects": forgotten})


def forget_worker(case: Case, command: ForgetWorker) -> list[WorkerDataForgotten]:
    """A worker named in the case is forgotten once, in any state, even closed; the
    same request again changes nothing."""
    require_status(case, ALLOWED_IN[ForgetWorker], "asked to forget a worker")
    if command.subject in case.forgotten_subjects:
        return []
    if all(w.subject != command.subject for w in case.workers):
        raise RuleViolated(
            "worker-not-in-case", f"No worker {command.subject} is named in the case."
        )
    return [WorkerDataForgotten(subject=command.subject, reason=command.reason)]
