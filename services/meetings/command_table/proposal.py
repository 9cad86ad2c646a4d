"""A meeting proposed by the office, and a special meeting approved or declined by
the convener."""

from __future__ import annotations

from typing import Any

from services.meetings.command_table.not_found import NO_MEETING
from services.meetings.domain import approval, proposal
from services.meetings.domain.meeting import MEETING
from services.meetings.outside_facts import powers_today
from services.meetings.resources import MEETING_NUMBERS, MEETINGS
from shared.command_table import Numbered, Row, today
from shared.command_table import active_unit_codes as units

ROWS: tuple[Row[Any, None], ...] = (
    Row(
        proposal.ProposeMeeting,
        MEETING,
        proposal.propose_meeting,
        "The office proposes a plenary (every active unit invited), a special"
        " meeting (the convener must approve it) or a joint inspection (with its"
        " plan).",
        facts=(today(), units()),
        route=MEETINGS.create("propose"),
        ids=Numbered(
            MEETING_NUMBERS, lambda c: c.proposed_on.year, id_fact="meeting_id"
        ),
    ),
    Row(
        approval.ApproveMeeting,
        MEETING,
        approval.approve_meeting,
        "The convener (on the members roster today) approves a special meeting;"
        " 403 for anyone else, whatever the token claims.",
        facts=(today(), powers_today()),
        route=MEETINGS.step("approve"),
        not_found=NO_MEETING,
    ),
    Row(
        approval.DeclineMeeting,
        MEETING,
        approval.decline_meeting,
        "The convener (on the members roster today) declines a special meeting.",
        facts=(today(), powers_today()),
        route=MEETINGS.step("decline"),
        not_found=NO_MEETING,
    ),
)
