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
    personal_data,
    police_answer,
    referral,
    supplement,
)
from services.cases.domain.case import (
    ALLOWED_AFTER,
    ALLOWED_AFTER_CRIMINAL,
    ALLOWED_AFTER_DUPLICATE,
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
    transitions=(ALLOWED_AFTER, ALLOWED_AFTER_CRIMINAL, ALLOWED_AFTER_DUPLICATE),
)
