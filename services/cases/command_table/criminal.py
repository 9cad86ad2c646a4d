"""The criminal track (拒不支付劳动报酬罪): the referral proposed, approved or refused
and the transfer to the police, then the police's answer, reconsideration and the
procuratorate's supervision."""

from __future__ import annotations

from typing import Any

from services.cases.command_table.facts import ACTING, LIMITS, TODAY, UNITS
from services.cases.command_table.resources import CASES, NOT_FOUND
from services.cases.domain import police_answer, referral
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.command_table import Row

ROWS: tuple[Row[Any, CaseRules], ...] = (
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
)
