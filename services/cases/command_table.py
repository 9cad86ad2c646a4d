"""Every cases command as one row: its decide function, the facts it needs, who may run
it (the command's `permitted`), its route and, for a new case, its number. Routes, the
deadline watcher and the process managers all run commands through this table
(`shared.command_pipeline.run`), so a command is handled the same way whoever sends it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

from services.cases.domain import (
    assignment,
    court,
    duplicates,
    escalation,
    handover,
    intake,
    investigation,
    payments,
    penalty,
    penalty_decision,
    penalty_hearing,
    personal_data,
    police_answer,
    referral,
    supplement,
)
from services.cases.domain.case import (
    ALLOWED_AFTER,
    ALLOWED_AFTER_CRIMINAL,
    ALLOWED_AFTER_DUPLICATE,
    ALLOWED_AFTER_PENALTY,
    CASE,
)
from services.cases.domain.duplicate_match import EarlierCase
from services.cases.domain.limits import CaseLimits
from services.cases.duplicate_candidates import cases_of_employer
from services.cases.rules import CaseRules
from shared.command_table import (
    CommandTable,
    Fact,
    Numbered,
    Resource,
    Row,
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
from shared.numbering import YearlyNumbers
from shared.store import Appended
from shared.values import CASE_ID_PATTERN

CaseId = Annotated[str, Path(pattern=CASE_ID_PATTERN, examples=["2024-000123"])]
CASES = Resource("cases", id_param="case_id", id_type=CaseId)
NOT_FOUND = "case {id} does not exist"

# Case numbers per year, handed out without gaps: `2024-000123`.
CASE_NUMBERS = YearlyNumbers(
    table="case_numbers", entity_id=lambda year, number: f"{year}-{number:06d}"
)


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


async def _forget_key(scope: Scope[Any, Any], appended: Appended) -> None:
    # Once the log says so, the worker's key goes: every copy of their personal data
    # becomes unreadable, and the hash chain still verifies.
    command: personal_data.ForgetWorker = scope.command
    assert scope.store.vault is not None  # noqa: S101 - every service store has a vault
    await scope.store.vault.forget(command.subject, command.reason)


TODAY = today()
CALENDAR = fact("calendar", _calendar)
LIMITS = fact("limits", _limits)
UNITS = active_unit_codes()
CASE_ID = entity_id("case_id")
ACTOR_UNIT = actor_unit()
# Who acts, for a unit's own act (the police, the court) the office may also record.
ACTING: Fact[Acting, Command, CaseRules] = acting(lambda rules: rules.duty_units)
EARLIER = fact("earlier", _earlier)

COMMANDS: CommandTable[CaseRules] = CommandTable(
    (
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
        Row(
            duplicates.ConfirmDuplicate,
            CASE,
            duplicates.confirm_duplicate,
            "Confirm a possible duplicate: the case is refused as the earlier case's duplicate.",
            facts=(TODAY,),
            route=CASES.step("confirm-duplicate"),
            not_found=NOT_FOUND,
        ),
        Row(
            duplicates.DismissDuplicate,
            CASE,
            duplicates.dismiss_duplicate,
            "Dismiss a possible-duplicate flag with a reason: the case goes on.",
            facts=(TODAY,),
            route=CASES.step("dismiss-duplicate"),
            not_found=NOT_FOUND,
        ),
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
        Row(
            investigation.ExtendInvestigation,
            CASE,
            investigation.extend_investigation,
            "Extend the investigation once by 30 working days, with the head's approval.",
            facts=(TODAY, CALENDAR, LIMITS),
            route=CASES.step("extend-investigation"),
            not_found=NOT_FOUND,
        ),
        Row(
            investigation.CancelCase,
            CASE,
            investigation.cancel_case,
            "Cancel the case (撤销立案): minor and already corrected.",
            facts=(TODAY,),
            route=CASES.step("cancel"),
            not_found=NOT_FOUND,
        ),
        Row(
            investigation.OrderPayment,
            CASE,
            investigation.order_payment,
            "Order payment within a time limit, saying how the order was served.",
            facts=(TODAY, LIMITS),
            route=CASES.step("order-payment"),
            not_found=NOT_FOUND,
        ),
        Row(
            payments.RecordPayment,
            CASE,
            payments.record_payment,
            "Record a payment recovered; partial payments add up.",
            facts=(TODAY,),
            route=CASES.step("record-payment"),
            not_found=NOT_FOUND,
        ),
        Row(
            payments.DecideHandling,
            CASE,
            payments.decide_handling,
            "Overdue: decide extra compensation of 50–100 % of what is still owed.",
            facts=(TODAY, LIMITS),
            route=CASES.step("decide-handling"),
            not_found=NOT_FOUND,
        ),
        Row(
            payments.ApplyCourtEnforcement,
            CASE,
            payments.apply_court_enforcement,
            "Apply to the court to enforce an unpaid decision.",
            facts=(TODAY,),
            route=CASES.step("apply-court-enforcement"),
            not_found=NOT_FOUND,
        ),
        Row(
            court.RecordEnforcementAccepted,
            CASE,
            court.record_enforcement_accepted,
            "The court accepted the application for enforcement (court or office).",
            facts=(TODAY, ACTING),
            route=CASES.step("record-enforcement-accepted"),
            not_found=NOT_FOUND,
        ),
        Row(
            court.RecordPropertyPreservation,
            CASE,
            court.record_property_preservation,
            "The court ordered the employer's property preserved (court or office).",
            facts=(TODAY, ACTING),
            route=CASES.step("record-property-preservation"),
            not_found=NOT_FOUND,
        ),
        Row(
            court.RecordAdvanceExecution,
            CASE,
            court.record_advance_execution,
            "The court ordered execution in advance (court or office).",
            facts=(TODAY, ACTING),
            route=CASES.step("record-advance-execution"),
            not_found=NOT_FOUND,
        ),
        Row(
            court.RecordEnforcementOutcome,
            CASE,
            court.record_enforcement_outcome,
            "What the enforcement realised, added to what is recovered (court or office).",
            facts=(TODAY, ACTING),
            route=CASES.step("record-enforcement-outcome"),
            not_found=NOT_FOUND,
            description="Record what the court's enforcement realised (执行到位), with "
            "its document number; the amount adds to what is recovered, and "
            "`is_concluded` ends the enforcement. Staff of the court's unit or the "
            "office; 403 for another unit, 409 `enforcement-not-accepted` before the "
            "acceptance, `court-enforcement-concluded` after the end, "
            "`invalid-transition` unless the case is under court enforcement; 422 "
            "`not_before_acceptance` / `not_in_future` for the date.",
        ),
        Row(
            investigation.CloseCase,
            CASE,
            investigation.close_case,
            "Close the case.",
            facts=(TODAY,),
            route=CASES.step("close"),
            not_found=NOT_FOUND,
        ),
        Row(
            referral.ProposeReferral,
            CASE,
            referral.propose_referral,
            "Propose referral to the police (拒不支付劳动报酬罪); the head decides within 3 days.",
            facts=(TODAY, LIMITS),
            route=CASES.step("propose-referral"),
            not_found=NOT_FOUND,
        ),
        Row(
            referral.ApproveReferral,
            CASE,
            referral.approve_referral,
            "Approve the referral; transfer within 24 hours.",
            facts=(TODAY, LIMITS),
            route=CASES.step("approve-referral"),
            not_found=NOT_FOUND,
        ),
        Row(
            referral.RefuseReferral,
            CASE,
            referral.refuse_referral,
            "Refuse the referral, with reasons.",
            facts=(TODAY,),
            route=CASES.step("refuse-referral"),
            not_found=NOT_FOUND,
        ),
        Row(
            referral.TransferToPolice,
            CASE,
            referral.transfer_to_police,
            "Transfer the case to the police; they answer within 3 days.",
            facts=(TODAY, LIMITS, UNITS),
            route=CASES.step("transfer-to-police"),
            not_found=NOT_FOUND,
        ),
        Row(
            police_answer.RecordPoliceFiling,
            CASE,
            police_answer.record_police_filing,
            "The police filed the case, with their document number (police or office).",
            facts=(TODAY, ACTING),
            route=CASES.step("record-police-filing"),
            not_found=NOT_FOUND,
        ),
        Row(
            police_answer.RecordPoliceDeclining,
            CASE,
            police_answer.record_police_declining,
            "The police declined, with their document number (police or office); "
            "reconsideration may be asked within 3 days.",
            facts=(TODAY, LIMITS, ACTING),
            route=CASES.step("record-police-declining"),
            not_found=NOT_FOUND,
        ),
        Row(
            police_answer.RequestReconsideration,
            CASE,
            police_answer.request_reconsideration,
            "Ask the police to reconsider; they answer within 3 days.",
            facts=(TODAY, LIMITS),
            route=CASES.step("request-reconsideration"),
            not_found=NOT_FOUND,
        ),
        Row(
            police_answer.RequestProcuratorateSupervision,
            CASE,
            police_answer.request_procuratorate_supervision,
            "Ask the procuratorate to supervise.",
            facts=(TODAY,),
            route=CASES.step("request-procuratorate-supervision"),
            not_found=NOT_FOUND,
        ),
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
            "or already has a notice.",
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
            "without a `special_rule` (art. 60).",
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
            "otherwise); paid after its 15 days, the late surcharge due — 3 % of the "
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
        Row(
            assignment.AssignCase,
            CASE,
            assignment.assign_case,
            "Assign (交办) the case to a lead unit and helping units with a due date; re-assigns a returned case.",
            facts=(TODAY, UNITS, LIMITS),
            route=CASES.step("assign"),
            not_found=NOT_FOUND,
        ),
        Row(
            assignment.ReportProgress,
            CASE,
            assignment.report_progress,
            "An assigned unit reports progress.",
            facts=(TODAY, ACTOR_UNIT),
            route=CASES.step("report-progress"),
            not_found=NOT_FOUND,
        ),
        Row(
            assignment.ReturnAssignment,
            CASE,
            assignment.return_assignment,
            "The lead unit returns a mis-routed assignment with a reason.",
            facts=(ACTOR_UNIT,),
            route=CASES.step("return-assignment"),
            not_found=NOT_FOUND,
        ),
        Row(
            escalation.FlagMassIncident,
            CASE,
            escalation.flag_mass_incident,
            "Flag a mass incident (office or police); the employer is recommended for "
            "credit punishment.",
            facts=(TODAY, CASE_ID, ACTING),
            route=CASES.step("flag-mass-incident"),
            not_found=NOT_FOUND,
        ),
        Row(
            escalation.FlagEmployerAbsconded,
            CASE,
            escalation.flag_employer_absconded,
            "Flag that the employer absconded (office or police).",
            facts=(TODAY, ACTING),
            route=CASES.step("flag-employer-absconded"),
            not_found=NOT_FOUND,
        ),
        Row(
            personal_data.ForgetWorker,
            CASE,
            personal_data.forget_worker,
            "Forget a worker (office only, with a reason).",
            route=CASES.step("forget-worker"),
            not_found=NOT_FOUND,
            then=_forget_key,
            description="Forget a worker (office only, with a reason): their key is "
            "deleted, so no API, read model, Kafka message or export shows their data "
            "again; the log still verifies.",
        ),
        # Run by the deadline watcher only: no route.
        Row(
            escalation.RecordDeadlineMissed,
            CASE,
            escalation.record_deadline_missed,
            "A time limit passed with its step not done.",
            facts=(TODAY, LIMITS, CASE_ID),
            not_found=NOT_FOUND,
        ),
    ),
    transitions=(
        ALLOWED_AFTER,
        ALLOWED_AFTER_CRIMINAL,
        ALLOWED_AFTER_PENALTY,
        ALLOWED_AFTER_DUPLICATE,
    ),
)
