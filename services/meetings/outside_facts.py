"""The facts from outside a meeting's stream that its decide functions ask for, each
a typed provider of the command table: who holds which joint-meeting role on the day
(from the members roster, never from a token), a chair's delegate's roles on the
meeting's date, and the years other meetings adopted a work plan for."""

from __future__ import annotations

from datetime import date

from services.meetings.domain.delegation import (
    DelegateChair,
    RevokeChairDelegation,
    meeting_date,
)
from services.meetings.domain.meeting import MEETING
from services.meetings.domain.minutes import ApproveMinutes
from services.meetings.domain.powers import Powers
from services.meetings.domain.scheduling import ScheduleMeeting
from services.meetings.roles import roles_on
from shared.command_table import Fact, Scope, fact
from shared.domain import Command
from shared.handling import load


async def _chair_roles(scope: Scope[ScheduleMeeting, object]) -> frozenset[str]:
    # The chair must hold the role on the day the meeting is scheduled for.
    chair = scope.command.chair_person_id
    if chair is None:
        return frozenset()
    return await roles_on(scope.pool, chair, scope.command.scheduled_on)


def chair_roles() -> Fact[frozenset[str], ScheduleMeeting, object]:
    """`chair_roles`: the joint-meeting roles the named chair holds on the day."""
    return fact("chair_roles", _chair_roles)


async def _powers(scope: Scope[Command, object], on: date) -> Powers:
    actor = scope.ctx.actor
    return Powers(
        person=actor.person,
        token_roles=frozenset(actor.roles),
        roster_roles=await roles_on(scope.pool, actor.person, on),
        on=on,
    )


async def _powers_today(scope: Scope[Command, object]) -> Powers:
    return await _powers(scope, scope.ctx.today)


async def _powers_on_approval(scope: Scope[ApproveMinutes, object]) -> Powers:
    return await _powers(scope, scope.command.approved_on)


def powers_today() -> Fact[Powers, Command, object]:
    """`powers`: the actor's token roles and his roles on the roster today, in the
    district's time zone."""
    return fact("powers", _powers_today)


def powers_on_approval() -> Fact[Powers, ApproveMinutes, object]:
    """`powers`: as `powers_today`, on the day the minutes are approved."""
    return fact("powers", _powers_on_approval)


async def _powers_on_delegation(scope: Scope[DelegateChair, object]) -> Powers:
    return await _powers(scope, scope.command.delegated_on)


def powers_on_delegation() -> Fact[Powers, DelegateChair, object]:
    """`powers`: as `powers_today`, on the day the chair is delegated."""
    return fact("powers", _powers_on_delegation)


async def _powers_on_revocation(scope: Scope[RevokeChairDelegation, object]) -> Powers:
    return await _powers(scope, scope.command.revoked_on)


def powers_on_revocation() -> Fact[Powers, RevokeChairDelegation, object]:
    """`powers`: as `powers_today`, on the day the delegation is revoked."""
    return fact("powers", _powers_on_revocation)


async def _deputy_roles(scope: Scope[DelegateChair, object]) -> frozenset[str]:
    # The delegate must be a deputy convener on the day the meeting is for.
    meeting, _ = await load(scope.store, MEETING, scope.entity_id)
    day = meeting_date(meeting)
    if day is None:
        return frozenset()
    return await roles_on(scope.pool, scope.command.deputy_person_id, day)


def deputy_roles() -> Fact[frozenset[str], DelegateChair, object]:
    """`deputy_roles`: the joint-meeting roles the named delegate holds on the
    meeting's date (none while the meeting has no date)."""
    return fact("deputy_roles", _deputy_roles)


async def _work_plan_years(scope: Scope[Command, object]) -> frozenset[int]:
    rows = await scope.pool.fetch(
        "SELECT work_plan_year FROM meetings WHERE work_plan_year IS NOT NULL"
        " AND meeting_id <> $1",
        scope.entity_id,
    )
    return frozenset(r["work_plan_year"] for r in rows)


def work_plan_years() -> Fact[frozenset[int], Command, object]:
    """`work_plan_years`: the years other meetings adopted a work plan for."""
    return fact("work_plan_years", _work_plan_years)
