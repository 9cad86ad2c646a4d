"""The facts the cases rows hand their decide functions: today, the working-day
calendar, the district's limits, the active units, the case's id, who acts and the
earlier cases of the same employer (for the duplicate flag)."""

from __future__ import annotations

from services.cases.domain import intake
from services.cases.domain.duplicate_match import EarlierCase
from services.cases.domain.limits import CaseLimits
from services.cases.duplicate_candidates import cases_of_employer
from services.cases.rules import CaseRules
from shared.command_table import (
    Fact,
    Scope,
    acting,
    active_unit_codes,
    actor_unit,
    entity_id,
    fact,
    today,
)
from shared.domain import Command, WorkingDays
from shared.duties import Acting


async def _calendar(scope: Scope[Command, CaseRules]) -> WorkingDays:
    return scope.context.calendar


async def _limits(scope: Scope[Command, CaseRules]) -> CaseLimits:
    return scope.context.limits


async def _earlier(
    scope: Scope[intake.CaseParticulars, CaseRules],
) -> tuple[EarlierCase, ...]:
    # A case without an employer code is matched with none (the rule needs the USCC).
    uscc = scope.command.employer.uscc
    return () if uscc is None else await cases_of_employer(scope.pool, uscc)


TODAY = today()
CALENDAR = fact("calendar", _calendar)
LIMITS = fact("limits", _limits)
UNITS = active_unit_codes()
CASE_ID = entity_id("case_id")
ACTOR_UNIT = actor_unit()
# Who acts, for a unit's own act (the police, the court) the office may also record.
ACTING: Fact[Acting, Command, CaseRules] = acting(lambda rules: rules.duty_units)
EARLIER = fact("earlier", _earlier)
