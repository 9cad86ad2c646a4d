"""The office resolves a possible-duplicate flag (`duplicate_match`): the case is the
same complaint as the earlier one, so it is refused (不予受理) and counts in no total,
or it is a case of its own and goes on, the reason recorded."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, assert_never

from services.cases.domain.duplicate_match import PossibleDuplicateFlagged
from services.cases.domain.intake import CaseRejected
from services.cases.domain.lifecycle import (
    BEFORE_ACCEPTANCE,
    OPEN,
    refused,
    require_status,
    require_step_date,
)
from services.cases.domain.state import Case, CaseStatus, DuplicateResolution
from shared.dates import BusinessDate
from shared.domain import Command, Event, Role
from shared.values import Text

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})


class ConfirmDuplicate(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    confirmed_on: BusinessDate


class DismissDuplicate(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    dismissed_on: BusinessDate
    reason: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    # A duplicate is refused as a complaint not to be accepted twice, so only before
    # acceptance; an accepted one is cancelled (撤销立案) like any other.
    ConfirmDuplicate: BEFORE_ACCEPTANCE,
    DismissDuplicate: OPEN,
}
"""The statuses in which each command of this capability is a next step (only while
the case is flagged and the flag is not resolved: `Case.is_duplicate_pending`)."""


class DuplicateConfirmed(Event):
    """The office found the case to be the same as the earlier one: it is refused
    (a `CaseRejected` follows), and the earlier case goes on alone."""

    of_case_id: str
    confirmed_on: date


class DuplicateDismissed(Event):
    """The office found the case to be a case of its own despite the flag."""

    of_case_id: str
    dismissed_on: date
    reason: str


DuplicateEvent = PossibleDuplicateFlagged | DuplicateConfirmed | DuplicateDismissed


def evolve_duplicates(case: Case, event: DuplicateEvent) -> Case:
    """The case after it was flagged as a possible duplicate, or the flag resolved."""
    match event:
        case PossibleDuplicateFlagged():
            update: dict[str, object] = {
                "possible_duplicate_of": event.of_case_id,
                "duplicate_reasons": event.reasons,
            }
        case DuplicateConfirmed():
            update = {"duplicate_resolution": DuplicateResolution.CONFIRMED}
        case DuplicateDismissed():
            update = {"duplicate_resolution": DuplicateResolution.DISMISSED}
        case _:
            assert_never(event)
    return case.model_copy(update=update)


def _require_pending(case: Case, allowed: frozenset[CaseStatus], what: str) -> str:
    require_status(case, allowed, what)
    if case.possible_duplicate_of is None or not case.is_duplicate_pending:
        # Not offered either (`allowed_steps`): there is no flag to resolve.
        raise refused(case.status, f"{what} (it is not flagged as one, or no more)")
    return case.possible_duplicate_of


def confirm_duplicate(
    case: Case, command: ConfirmDuplicate, *, today: date
) -> list[DuplicateConfirmed | CaseRejected]:
    """A case flagged as a possible duplicate and not yet accepted is confirmed as one:
    it is refused with the earlier case named, so it no longer counts as arrears."""
    of = _require_pending(
        case, ALLOWED_IN[ConfirmDuplicate], "confirmed as a duplicate"
    )
    require_step_date(case, command.confirmed_on, field="confirmed_on", today=today)
    rejected = CaseRejected(
        rejected_on=command.confirmed_on, reason=f"duplicate of case {of}"
    )
    return [
        DuplicateConfirmed(of_case_id=of, confirmed_on=command.confirmed_on),
        rejected,
    ]


def dismiss_duplicate(
    case: Case, command: DismissDuplicate, *, today: date
) -> list[DuplicateDismissed]:
    """A possible-duplicate flag is dismissed with a reason: the case goes on."""
    of = _require_pending(
        case, ALLOWED_IN[DismissDuplicate], "cleared of a duplicate flag"
    )
    require_step_date(case, command.dismissed_on, field="dismissed_on", today=today)
    return [
        DuplicateDismissed(
            of_case_id=of, dismissed_on=command.dismissed_on, reason=command.reason
        )
    ]
