"""The administrative penalty (行政处罚): the notice of intent, the hearing, the
decision, the fine paid or its enforcement applied for."""

from __future__ import annotations

from typing import Any

from services.cases.command_table.facts import CALENDAR, LIMITS, TODAY
from services.cases.command_table.resources import CASES, NOT_FOUND
from services.cases.domain import penalty, penalty_decision, penalty_hearing
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.command_table import Row

ROWS: tuple[Row[Any, CaseRules], ...] = (
    Row(
        penalty.IssueNoticeOfIntent,
        CASE,
        penalty.issue_notice_of_intent,
        "Notify the intended penalty (事先告知); with a hearing right, 5 working days to ask for a hearing.",
        facts=(TODAY, CALENDAR, LIMITS),
        route=CASES.step("issue-notice-of-intent"),
        not_found=NOT_FOUND,
        description="Notify the employer of the intended penalty with its facts, "
        "reasons, basis and fine (行政处罚法 art. 44); with a hearing right (a large "
        "fine and the like, art. 63) it has 5 working days to ask for a hearing, and "
        "the decision is due 90 days after opening. 409 if the case is not opened "
        "or already has a notice; 422 `not_before_acceptance` on `notified_on` "
        "before 立案.",
    ),
    Row(
        penalty_hearing.RequestHearing,
        CASE,
        penalty_hearing.request_hearing,
        "Record the employer's request for a hearing, made within 5 working days of the notice.",
        facts=(TODAY,),
        route=CASES.step("request-hearing"),
        not_found=NOT_FOUND,
        description="Record the employer's request for a hearing (听证). 409 "
        "`hearing-request-too-late` past the 5 working days of the notice, "
        "`no-hearing-right` if the notice gave none.",
    ),
    Row(
        penalty_hearing.WaiveHearing,
        CASE,
        penalty_hearing.waive_hearing,
        "Record the employer's written waiver of its hearing.",
        facts=(TODAY,),
        route=CASES.step("waive-hearing"),
        not_found=NOT_FOUND,
    ),
    Row(
        penalty_hearing.ScheduleHearing,
        CASE,
        penalty_hearing.schedule_hearing,
        "Notify the hearing's day and place, at least 7 working days ahead.",
        facts=(TODAY, CALENDAR, LIMITS),
        route=CASES.step("schedule-hearing"),
        not_found=NOT_FOUND,
        description="Notify the employer of the hearing's day and place; 409 "
        "`hearing-notice-too-short` unless the hearing is at least 7 working days "
        "after the notification (行政处罚法 arts. 64, 85).",
    ),
    Row(
        penalty_hearing.RecordHearing,
        CASE,
        penalty_hearing.record_hearing,
        "Record that the hearing was held.",
        facts=(TODAY,),
        route=CASES.step("record-hearing"),
        not_found=NOT_FOUND,
    ),
    Row(
        penalty_decision.DecidePenalty,
        CASE,
        penalty_decision.decide_penalty,
        "Decide the penalty (行政处罚决定); the fine is due 15 days after service.",
        facts=(TODAY, LIMITS),
        route=CASES.step("decide-penalty"),
        not_found=NOT_FOUND,
        description="Decide the penalty and record its service; the fine is due 15 "
        "days after service (行政处罚法 art. 67). 409 `hearing-request-window-open` "
        "while the employer may still ask for a hearing, `hearing-not-held` while a "
        "requested hearing was not held, `fine-above-notice` for a fine above the "
        "notice's (art. 45), `penalty-decision-late` past 90 days from opening "
        "without a `special_rule` (art. 60). 422 on `decided_on` before the notice, "
        "the hearing or the waiver (`not_before_notice`, `not_before_hearing`, "
        "`not_before_waiver`, art. 62), on `served_on` before `decided_on` "
        "(`not_before_decision`) or in the future (`not_in_future`).",
    ),
    Row(
        penalty_decision.DecideNoPenalty,
        CASE,
        penalty_decision.decide_no_penalty,
        "Decide after the defence to impose no penalty (不予行政处罚); the penalty track ends.",
        facts=(TODAY, LIMITS),
        route=CASES.step("decide-no-penalty"),
        not_found=NOT_FOUND,
        description="Decide, with its reason, that no penalty is imposed after the "
        "employer's defence (行政处罚法 art. 57; rules.md §3.4.1 items 8, 11, 14); the "
        "case may then be closed or cancelled. Refused like `decide-penalty`: 409 "
        "`hearing-request-window-open`, `hearing-not-held`, `penalty-decision-late`; "
        "422 on `decided_on` before the notice, the hearing or the waiver "
        "(`not_before_notice`, `not_before_hearing`, `not_before_waiver`).",
    ),
    Row(
        penalty_decision.RecordFinePaid,
        CASE,
        penalty_decision.record_fine_paid,
        "Record the fine paid; paid late, the surcharge due (3 % a day, at most the fine) is recorded.",
        facts=(TODAY, LIMITS),
        route=CASES.step("record-fine-paid"),
        not_found=NOT_FOUND,
        description="Record the fine paid in full (409 `fine-not-paid-in-full` "
        "otherwise; 422 `not_before_service` on `paid_on` before the decision was "
        "served); paid after its 15 days, the late surcharge due — 3 % of the "
        "fine a day, at most the fine (行政处罚法 art. 72) — is recorded with it.",
    ),
    Row(
        penalty_decision.ApplyFineEnforcement,
        CASE,
        penalty_decision.apply_fine_enforcement,
        "Apply to the court to enforce a fine unpaid after its 15 days.",
        facts=(TODAY,),
        route=CASES.step("apply-fine-enforcement"),
        not_found=NOT_FOUND,
        description="Apply to the court to enforce the fine (行政处罚法 art. 72); "
        "409 `fine-not-yet-due` while its 15 days run.",
    ),
)
