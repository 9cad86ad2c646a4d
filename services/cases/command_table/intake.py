"""How a case comes in and is taken up: received by the office or handed over by
the petitions bureau or the trade union, then accepted, refused, completed with
supplementary material or transferred to the competent department."""

from __future__ import annotations

from typing import Any

from services.cases.command_table.facts import (
    ACTING,
    CALENDAR,
    EARLIER,
    LIMITS,
    TODAY,
    UNITS,
)
from services.cases.command_table.resources import CASE_NUMBERS, CASES, NOT_FOUND
from services.cases.domain import handover, intake, supplement
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.command_table import Numbered, Row

# A new case, under the next case number.
RECEIVING: tuple[Row[Any, CaseRules], ...] = (
    Row(
        intake.ReceiveCase,
        CASE,
        intake.receive_case,
        "Register a received case under the next case number.",
        facts=(TODAY, CALENDAR, LIMITS, UNITS, EARLIER),
        route=CASES.create("receive"),
        ids=Numbered(CASE_NUMBERS, lambda c: c.received_on.year, id_fact="case_id"),
        description="Register a received case (complaint, report, platform clue, "
        "petition hand-over, inspection finding…) under the next case number; the "
        "5-working-day acceptance limit starts. 422 names the field for a bad USCC "
        "(unless overridden with a reason), a bad ID number or an unknown "
        "territorial unit. A case naming the employer of an open case received "
        "within `duplicate_window_days`, with a worker or the project in common, "
        "is flagged as its possible duplicate (`PossibleDuplicateFlagged`).",
    ),
    Row(
        handover.HandOverComplaint,
        CASE,
        handover.hand_over_complaint,
        "The petitions bureau or the trade union hands a complaint over as a new case.",
        facts=(ACTING, TODAY, CALENDAR, LIMITS, UNITS, EARLIER),
        route=CASES.create("hand-over", at_verb=True),
        ids=Numbered(CASE_NUMBERS, lambda c: c.received_on.year, id_fact="case_id"),
        description="The petitions bureau (信访局) or the trade union (总工会) hands a "
        "complaint over as a new case under the next case number, with its own "
        "reference number (`unit_reference`); the source follows the unit's duty "
        "(`petition_handover`, `union_report`). It is received exactly as "
        "`POST /cases` receives one (same checks, acceptance limit and duplicate "
        "flag); the unit follows it with `GET /cases?handed_over_by=<unit>`. 403 "
        "`not-permitted` for a unit holding neither duty; the office must name "
        "`source` and `handed_over_by` (422).",
    ),
)

# The acceptance decision on a received case.
ACCEPTING: tuple[Row[Any, CaseRules], ...] = (
    Row(
        intake.AcceptCase,
        CASE,
        intake.accept_case,
        "Accept the case and open it (立案) the same day; the 60-working-day investigation starts.",
        facts=(TODAY, CALENDAR, LIMITS),
        route=CASES.step("accept"),
        not_found=NOT_FOUND,
    ),
    Row(
        intake.RejectCase,
        CASE,
        intake.reject_case,
        "Refuse the case in writing with a reason.",
        facts=(TODAY,),
        route=CASES.step("reject"),
        not_found=NOT_FOUND,
    ),
    Row(
        supplement.RequestSupplement,
        CASE,
        supplement.request_supplement,
        "Ask for supplementary material (补正).",
        facts=(TODAY, LIMITS),
        route=CASES.step("request-supplement"),
        not_found=NOT_FOUND,
    ),
    Row(
        supplement.ReceiveSupplement,
        CASE,
        supplement.receive_supplement,
        "The material arrived: the acceptance limit starts again.",
        facts=(TODAY, CALENDAR, LIMITS),
        route=CASES.step("receive-supplement"),
        not_found=NOT_FOUND,
    ),
    Row(
        intake.TransferCaseOut,
        CASE,
        intake.transfer_case_out,
        "Transfer the case to the competent department.",
        facts=(TODAY,),
        route=CASES.step("transfer-out"),
        not_found=NOT_FOUND,
    ),
)
