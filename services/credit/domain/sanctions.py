"""Joint sanctions: the measures, which unit applies which (rules.md §3.1.5), and the
task each unit gets when a listing becomes active (rules.md §4.2 "Active: sanctions
apply")."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from enum import StrEnum
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, StringConstraints

from shared.values import UNIT_CODE_PATTERN

EVERY_UNIT: Final = "*"
"""The unit code of a duty that every active member unit has."""

DutyUnit = Annotated[
    str, StringConstraints(pattern=rf"^({UNIT_CODE_PATTERN[1:-1]}|\*)$")
]
"""A member unit's code, or `*` for every active unit."""


class SanctionMeasure(StrEnum):
    """惩戒措施: what a unit restricts, within its own remit. The eight areas of
    Decree 724 art. 48 (funding and procurement, bidding, financing, market access,
    tax incentives, honours, travel) as the district's units apply them, with the
    construction, court, police and integrity measures of rules.md §3.1.5."""

    CONSTRUCTION_PERMIT_AND_BIDDING = "construction_permit_and_bidding"
    PROJECT_APPROVAL_AND_CREDIT = "project_approval_and_credit"
    PROCUREMENT_AND_FUNDING = "procurement_and_funding"
    LAND_SUPPLY = "land_supply"
    MARKET_ACCESS = "market_access"
    COURT_ENFORCEMENT = "court_enforcement"
    CRIMINAL_INVESTIGATION = "criminal_investigation"
    INTEGRITY_GRADING = "integrity_grading"
    HONOURS_AND_AWARDS = "honours_and_awards"
    TAX_INCENTIVES = "tax_incentives"
    FINANCING = "financing"
    TRAVEL = "travel"


class SanctionDuty(BaseModel):
    """A unit's duty to apply one measure to every active listing; `*` for the unit
    means every active member unit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: SanctionMeasure
    unit_code: DutyUnit


class SanctionTaskStatus(StrEnum):
    """Where a unit's sanction stands: to apply, applied, to lift once the listing
    ended, lifted."""

    PENDING = "pending"
    APPLIED = "applied"
    LIFT_PENDING = "lift_pending"
    LIFTED = "lifted"


class SanctionTask(BaseModel):
    """One unit's measure against one listing: the unit confirms it applied it by
    `due`, and confirms it lifted it once the listing ends (by a new `due`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    task_id: str
    unit_code: str
    measure: SanctionMeasure
    due: date
    status: SanctionTaskStatus = SanctionTaskStatus.PENDING
    basis: str = ""
    reference: str = ""
    applied_on: date | None = None
    lift_reference: str = ""
    lifted_on: date | None = None
    is_overdue: bool = False

    @property
    def is_confirmed(self) -> bool:
        """Whether the unit did what the task asks now: applied it, or lifted it."""
        return self.status in (SanctionTaskStatus.APPLIED, SanctionTaskStatus.LIFTED)


def default_sanction_duties() -> tuple[SanctionDuty, ...]:
    """The proposed mapping of rules.md §3.1.5 onto the seed's unit codes; districts
    confirm it with the office and may replace it in their settings."""
    m = SanctionMeasure
    pairs = (
        # Construction permits, bidding and market-access checks in construction
        # (seed §3; Decree 724 arts. 55, 57)
        (m.CONSTRUCTION_PERMIT_AND_BIDDING, "jsj"),
        (m.MARKET_ACCESS, "jsj"),
        # Government-investment project approval, credit-system entry (art. 7)
        (m.PROJECT_APPROVAL_AND_CREDIT, "fgj"),
        (m.PROCUREMENT_AND_FUNDING, "czj"),
        (m.LAND_SUPPLY, "gtj"),
        (m.MARKET_ACCESS, "scjgj"),
        # Refusal to pay remuneration (Criminal Law art. 276-1; Decree 724 art. 41)
        (m.CRIMINAL_INVESTIGATION, "gafj"),
        (m.COURT_ENFORCEMENT, "fy"),
        # The listing authority grades integrity (Order 45 arts. 3–5)
        (m.INTEGRITY_GRADING, "rsj"),
        # Every unit restricts honours and awards (Decree 724 art. 48)
        (m.HONOURS_AND_AWARDS, EVERY_UNIT),
    )
    return tuple(SanctionDuty(measure=measure, unit_code=u) for measure, u in pairs)


def task_id_of(unit_code: str, measure: SanctionMeasure) -> str:
    """A task's id within its listing: `<unit>-<measure>`."""
    return f"{unit_code}-{measure}"


def sanction_tasks_for(
    duties: Iterable[SanctionDuty], units: Collection[str], *, due: date
) -> tuple[SanctionTask, ...]:
    """One task per unit and measure, for the active units of the directory (by code)
    that have the duty, due by `due`, in task-id order. A unit named in a duty but not
    active gets none; a renamed unit keeps its code, so its duty."""
    pairs = {
        (code, duty.measure)
        for duty in duties
        for code in (units if duty.unit_code == EVERY_UNIT else (duty.unit_code,))
        if code in units
    }
    tasks = (
        SanctionTask(
            task_id=task_id_of(code, measure), unit_code=code, measure=measure, due=due
        )
        for code, measure in pairs
    )
    return tuple(sorted(tasks, key=lambda t: t.task_id))
