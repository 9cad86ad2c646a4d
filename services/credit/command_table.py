"""Every credit command: the listing it addresses, its decide function, the facts that
function needs, who may run it (the command's `permitted` roles) and its route.

Routes, the watcher and the process manager all run commands through
`shared.command_pipeline.run` with this table, so a command is handled the same way
whoever sends it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from services.credit.command_facts import (
    DUTIES,
    EMPLOYER_LISTING,
    HAS_NEW_ARREARS,
    LIMITS,
    PAYMENT_ON_RECORD,
    PERSON_KEY,
    TIME_LIMITS,
    TODAY,
    CreditContext,
)
from services.credit.domain import (
    candidate,
    construction_measures,
    decision,
    early_removal,
    ending,
    later_grounds,
    notice,
    payment_evidence,
    publication,
    sanctioning,
)
from services.credit.domain.aggregate import ALLOWED_AFTER, LISTING
from services.credit.domain.candidate import OpenByHand, OpenCandidate
from services.credit.domain.construction_measures import (
    MEASURE,
    LiftConstructionMeasure,
    RecordConstructionMeasure,
)
from services.credit.domain.decision import DecideListing, DecideNotToList
from services.credit.domain.early_removal import (
    ApplyForEarlyRemoval,
    DecideEarlyRemoval,
)
from services.credit.domain.ending import ExpireListing, RevokeListing
from services.credit.domain.later_grounds import RecordOrderOverdue, UpdateGrounds
from services.credit.domain.notice import (
    FileObjection,
    LapseObjectionPeriod,
    ReviewObjection,
    ServeNotice,
)
from services.credit.domain.payment_evidence import RecordPaymentEvidence
from services.credit.domain.publication import PublishListing
from services.credit.domain.sanctioning import (
    MarkSanctionOverdue,
    RecordSanctionApplied,
    RecordSanctionLifted,
)
from services.credit.measure_facts import ACTING, MEASURE_PAYMENT, MEASURE_TARGET
from shared.command_table import (
    CommandTable,
    Numbered,
    Resource,
    Row,
    active_unit_codes,
    actor_unit,
    entity_id,
)
from shared.numbering import YearlyNumbers
from shared.values import LISTING_ID_PATTERN


def _opened_in(command: OpenByHand) -> int:
    return command.opened_on.year


LISTING_NUMBERS = YearlyNumbers(
    table="listing_numbers",
    entity_id=lambda year, number: f"m-{year}-{number:06d}",
)
"""Listings opened by hand, numbered per year without gaps: `m-2024-000007`."""


def _taken_in(command: RecordConstructionMeasure) -> int:
    return command.taken_on.year


MEASURE_NUMBERS = YearlyNumbers(
    table="measure_numbers",
    entity_id=lambda year, number: f"{year}-{number:06d}",
)
"""The construction bureau's measures, numbered per year: `measure-2026-000001`."""

MeasureIdPath = Annotated[
    str, Path(pattern=r"^[0-9]{4}-[0-9]{6}$", examples=["2026-000001"])
]
MEASURES = Resource(
    "construction-measures", id_param="measure_id", id_type=MeasureIdPath
)

ListingIdPath = Annotated[
    str, Path(pattern=LISTING_ID_PATTERN, examples=["c-2024-000123"])
]
LISTINGS = Resource("listings", id_param="listing_id", id_type=ListingIdPath)
MISSING = "listing {id} does not exist"


CREDIT_COMMANDS: CommandTable[CreditContext] = CommandTable(
    (
        Row(
            OpenByHand,
            LISTING,
            candidate.open_by_hand,
            "Open a candidate listing by hand, with its grounds (the labour "
            "inspection), under the next number of its year. A person's lookup key "
            "is derived here from their ID number, which is kept sealed.",
            facts=(TODAY, PERSON_KEY, LIMITS),
            route=LISTINGS.create("open-by-hand"),
            ids=Numbered(LISTING_NUMBERS, _opened_in),
        ),
        Row(
            OpenCandidate,
            LISTING,
            candidate.open_candidate,
            "Open a candidate listing on a case's recommendation (the process "
            "manager), one per case.",
            facts=(TODAY,),
        ),
        Row(
            UpdateGrounds,
            LISTING,
            later_grounds.update_grounds,
            "Take a case's later recommendation into the candidate's grounds before "
            "the decision (the process manager).",
            facts=(TODAY,),
            not_found=MISSING,
        ),
        Row(
            RecordOrderOverdue,
            LISTING,
            later_grounds.record_order_overdue,
            "Record that the order to pay of a candidate's case lapsed (the process "
            "manager, from cases' missed payment deadline).",
            facts=(TODAY,),
            not_found=MISSING,
        ),
        Row(
            ServeNotice,
            LISTING,
            notice.serve_notice,
            "Serve the notice of intent; the objection period (working days, "
            "district setting) starts.",
            facts=TIME_LIMITS,
            route=LISTINGS.step("serve-notice"),
            not_found=MISSING,
        ),
        Row(
            FileObjection,
            LISTING,
            notice.file_objection,
            "Record the subject's objection (within the objection period).",
            facts=(TODAY,),
            route=LISTINGS.step("file-objection"),
            not_found=MISSING,
        ),
        Row(
            ReviewObjection,
            LISTING,
            notice.review_objection,
            "Review the objection: upheld (then decide not to list) or not.",
            facts=(TODAY,),
            route=LISTINGS.step("review-objection"),
            not_found=MISSING,
        ),
        Row(
            LapseObjectionPeriod,
            LISTING,
            notice.lapse_objection_period,
            "The objection period passed with no objection (the watcher).",
            facts=(TODAY,),
            not_found=MISSING,
        ),
        Row(
            DecideListing,
            LISTING,
            decision.decide_listing,
            "Decide to list (after the objection period or review); the listing "
            "runs 3 years.",
            facts=(*TIME_LIMITS, entity_id("listing_id"), EMPLOYER_LISTING),
            route=LISTINGS.step("decide"),
            not_found=MISSING,
        ),
        Row(
            DecideNotToList,
            LISTING,
            decision.decide_not_to_list,
            "Decide not to list (e.g. paid and committed before the decision).",
            facts=(TODAY,),
            route=LISTINGS.step("decide-not-to-list"),
            not_found=MISSING,
        ),
        Row(
            PublishListing,
            LISTING,
            publication.publish_listing,
            "Publish and share the listing: every unit with a sanction duty gets a "
            "task.",
            facts=(*TIME_LIMITS, DUTIES, active_unit_codes()),
            route=LISTINGS.step("publish"),
            not_found=MISSING,
        ),
        Row(
            RecordSanctionApplied,
            LISTING,
            sanctioning.record_sanction_applied,
            "A unit confirms it applied its sanction (its own tasks only).",
            facts=(TODAY, actor_unit()),
            route=LISTINGS.step("record-sanction-applied"),
            not_found=MISSING,
        ),
        Row(
            RecordSanctionLifted,
            LISTING,
            sanctioning.record_sanction_lifted,
            "A unit confirms it lifted its sanction after the listing ended.",
            facts=(TODAY, actor_unit()),
            route=LISTINGS.step("record-sanction-lifted"),
            not_found=MISSING,
        ),
        Row(
            MarkSanctionOverdue,
            LISTING,
            sanctioning.mark_sanction_overdue,
            "A unit did not confirm its sanction by the due date (the watcher).",
            facts=(TODAY,),
            not_found=MISSING,
        ),
        Row(
            ExpireListing,
            LISTING,
            ending.expire_listing,
            "The listing period ran out (the watcher).",
            facts=TIME_LIMITS,
            not_found=MISSING,
        ),
        Row(
            RecordPaymentEvidence,
            LISTING,
            payment_evidence.record_payment_evidence,
            "For a listing no case covers, record the evidence of full payment the "
            "office checked and who checked it (else cases' record is the record).",
            facts=(TODAY, PAYMENT_ON_RECORD),
            route=LISTINGS.step("record-payment-evidence"),
            not_found=MISSING,
        ),
        Row(
            ApplyForEarlyRemoval,
            LISTING,
            early_removal.apply_for_early_removal,
            "The employer applies for early removal (credit repair); a declared "
            "payment must be cases' recorded full payment, during the listing.",
            facts=(TODAY, HAS_NEW_ARREARS, PAYMENT_ON_RECORD),
            route=LISTINGS.step("apply-for-early-removal"),
            not_found=MISSING,
        ),
        Row(
            DecideEarlyRemoval,
            LISTING,
            early_removal.decide_early_removal,
            "Grant early removal if paid in full on record during the listing ≥ 6 "
            "months before applying, no new arrears, committed in writing; else "
            "refuse with reasons.",
            facts=(*TIME_LIMITS, HAS_NEW_ARREARS, PAYMENT_ON_RECORD),
            route=LISTINGS.step("decide-early-removal"),
            not_found=MISSING,
        ),
        Row(
            RevokeListing,
            LISTING,
            ending.revoke_listing,
            "Revoke the listing after reconsideration or a court ruling.",
            facts=TIME_LIMITS,
            route=LISTINGS.step("revoke"),
            not_found=MISSING,
        ),
        Row(
            RecordConstructionMeasure,
            MEASURE,
            construction_measures.record_construction_measure,
            "The construction bureau (or the office for it) records a measure it "
            "took — stop-work order, permit refused, qualification inspection "
            "failed, market access or bidding restricted — tied to a published "
            "listing or a case.",
            facts=(TODAY, ACTING, MEASURE_TARGET),
            route=MEASURES.create("record-construction-measure"),
            ids=Numbered(MEASURE_NUMBERS, _taken_in),
        ),
        Row(
            LiftConstructionMeasure,
            MEASURE,
            construction_measures.lift_construction_measure,
            "Lift a stop-work order (or a case's restriction) once cases recorded "
            "the employer's full payment.",
            facts=(TODAY, ACTING, MEASURE_PAYMENT),
            route=MEASURES.step("lift"),
            not_found="construction measure {id} does not exist",
        ),
    ),
    transitions=(ALLOWED_AFTER, construction_measures.ALLOWED_AFTER),
)
