"""A meeting's date, place and chair: scheduled or moved, cancelled before it is
held, its chair delegated to a deputy convener or taken back."""

from __future__ import annotations

from typing import Any

from services.meetings.command_table.not_found import NO_MEETING
from services.meetings.domain import cancellation, delegation, scheduling
from services.meetings.domain.meeting import MEETING
from services.meetings.outside_facts import (
    chair_roles,
    deputy_roles,
    powers_on_delegation,
    powers_on_revocation,
    powers_today,
)
from services.meetings.resources import MEETINGS
from shared.command_table import Row, today

ROWS: tuple[Row[Any, None], ...] = (
    Row(
        scheduling.ScheduleMeeting,
        MEETING,
        scheduling.schedule_meeting,
        "Set or move date, place and chair; a plenary or special meeting is chaired"
        " by the convener or a deputy convener on that date (from members' roles).",
        facts=(today(), chair_roles(), powers_today()),
        route=MEETINGS.step("schedule"),
        not_found=NO_MEETING,
    ),
    Row(
        cancellation.CancelMeeting,
        MEETING,
        cancellation.cancel_meeting,
        "Cancel a meeting not yet held.",
        facts=(today(), powers_today()),
        route=MEETINGS.step("cancel"),
        not_found=NO_MEETING,
    ),
    Row(
        delegation.DelegateChair,
        MEETING,
        delegation.delegate_chair,
        "The convener (on the members roster on `delegated_on`) delegates a"
        " plenary's chair to a deputy convener on the meeting's date; 403 for"
        " anyone else.",
        facts=(today(), powers_on_delegation(), deputy_roles()),
        route=MEETINGS.step("delegate-chair"),
        not_found=NO_MEETING,
    ),
    Row(
        delegation.RevokeChairDelegation,
        MEETING,
        delegation.revoke_chair_delegation,
        "The convener (on the members roster on `revoked_on`) takes back the"
        " chair he delegated, saying why; 403 for anyone else.",
        facts=(today(), powers_on_revocation()),
        route=MEETINGS.step("revoke-chair-delegation"),
        not_found=NO_MEETING,
    ),
)
