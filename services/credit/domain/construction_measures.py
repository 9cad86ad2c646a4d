"""The construction bureau's own measures against an employer in arrears (stream
`measure-<yyyy>-<nnnnnn>`): 限期停工 stop-work orders, refused construction permits,
a failed qualification annual inspection, restricted market access or bidding, each
tied to a case or a listing (notice §3, construction duties; rules.md §3.1.5).

The listing's sanction task (`sanctioning`) is the bureau's confirmation that it
applies the joint sanction; a measure here is one act of the bureau, with its own
document number, which may also follow a case before any listing. Who records it: the
bureau's staff for their unit, or the office on its behalf (`require_duty`)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Final, Self, assert_never

from pydantic import BaseModel, ConfigDict, model_validator

from services.credit.domain.early_removal import PaymentOnRecord, paid_in_full
from services.credit.domain.listing import Listing, ListingStatus
from shared.dates import BusinessDate, require_date
from shared.domain import Aggregate, Command, Event, Role
from shared.duties import Acting, Duty, require_duty, unit_for
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from shared.values import CaseId, ListingId, Text

_UNITS: frozenset[Role] = frozenset({Role.OFFICE, Role.UNIT_STAFF})


class MeasureKind(StrEnum):
    """What the construction bureau did: 限期停工 (stop work by a date), 不予办理施工许可
    (permit refused), 资质年检不合格 (qualification annual inspection failed), 限制市场准入
    (market access restricted), 限制招投标 (bidding restricted)."""

    STOP_WORK_ORDER = "stop_work_order"
    PERMIT_REFUSED = "permit_refused"
    QUALIFICATION_INSPECTION_FAILED = "qualification_inspection_failed"
    MARKET_ACCESS_RESTRICTED = "market_access_restricted"
    BIDDING_RESTRICTED = "bidding_restricted"


RESTRICTIONS: Final = frozenset(
    {MeasureKind.MARKET_ACCESS_RESTRICTED, MeasureKind.BIDDING_RESTRICTED}
)


class MeasureStatus(StrEnum):
    """Where a measure stands: a standing one is in force until lifted; a one-off act
    (a refusal, an inspection result) is recorded and stays so."""

    NEW = "new"
    IN_FORCE = "in_force"
    RECORDED = "recorded"
    LIFTED = "lifted"


def is_standing(kind: MeasureKind, *, is_tied_to_listing: bool) -> bool:
    """Whether a measure stays in force until lifted: a stop-work order always; a
    restriction tied to a case only, since one tied to a listing lasts as long as the
    listing and is lifted with it (its sanction task)."""
    if kind is MeasureKind.STOP_WORK_ORDER:
        return True
    return kind in RESTRICTIONS and not is_tied_to_listing


class ConstructionMeasure(BaseModel):
    """One act of the construction bureau against an employer in arrears; a stream
    with no events is NEW."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: MeasureStatus = MeasureStatus.NEW
    kind: MeasureKind | None = None
    unit_code: str = ""
    listing_id: str | None = None
    case_id: str | None = None
    taken_on: date | None = None
    reference: str = ""
    lifted_on: date | None = None


class RecordConstructionMeasure(Command):
    permitted: ClassVar[frozenset[Role]] = _UNITS

    kind: MeasureKind
    taken_on: BusinessDate
    listing_id: ListingId | None = None
    case_id: CaseId | None = None
    basis: Text
    reference: Text

    @model_validator(mode="after")
    def _tied_to_one(self) -> Self:
        if (self.listing_id is None) == (self.case_id is None):
            raise ValueError("name exactly one of listing_id and case_id")
        return self


class LiftConstructionMeasure(Command):
    permitted: ClassVar[frozenset[Role]] = _UNITS

    lifted_on: BusinessDate
    reference: Text


class MeasureTarget(BaseModel):
    """What credit knows of what a measure is tied to: the listing's status (None when
    there is no such listing or none is named), and whether cases' events told credit
    of the case (`case_outcomes`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    listing_status: ListingStatus | None = None
    is_case_known: bool = False


ALLOWED_AFTER: Final[dict[MeasureStatus, tuple[type[Command], ...]]] = {
    MeasureStatus.NEW: (RecordConstructionMeasure,),
    MeasureStatus.IN_FORCE: (LiftConstructionMeasure,),
    MeasureStatus.RECORDED: (),
    MeasureStatus.LIFTED: (),
}
"""The commands each status of a measure allows."""

# A sanction applies to a listing in force and made public; publishing activates it.
_SANCTIONABLE = frozenset({ListingStatus.PUBLISHED, ListingStatus.ACTIVE})


class ConstructionMeasureRecorded(Event):
    """The construction bureau took a measure, tied to a case or a listing, on a basis
    and with the number of its own document."""

    kind: MeasureKind
    unit_code: str
    listing_id: str | None
    case_id: str | None
    taken_on: date
    basis: str
    reference: str
    is_standing: bool


class ConstructionMeasureLifted(Event):
    """A standing measure was lifted: the employer paid in full (on record in cases)."""

    lifted_on: date
    reference: str
    paid_in_full_on: date


MeasureEvent = ConstructionMeasureRecorded | ConstructionMeasureLifted


def evolve_measure(
    measure: ConstructionMeasure, event: MeasureEvent
) -> ConstructionMeasure:
    """The measure once recorded (in force or recorded), or lifted."""
    match event:
        case ConstructionMeasureRecorded():
            standing = event.is_standing
            return ConstructionMeasure(
                status=MeasureStatus.IN_FORCE if standing else MeasureStatus.RECORDED,
                kind=event.kind,
                unit_code=event.unit_code,
                listing_id=event.listing_id,
                case_id=event.case_id,
                taken_on=event.taken_on,
                reference=event.reference,
            )
        case ConstructionMeasureLifted(lifted_on=lifted_on):
            update = {"status": MeasureStatus.LIFTED, "lifted_on": lifted_on}
            return measure.model_copy(update=update)
        case _:
            assert_never(event)


MEASURE: Aggregate[ConstructionMeasure, MeasureEvent] = Aggregate(
    category="measure",
    initial=ConstructionMeasure(),
    evolve=evolve_measure,
    events=MeasureEvent,
)


def _require_status(
    measure: ConstructionMeasure, allowed: MeasureStatus, what: str
) -> None:
    if measure.status is not allowed:
        raise InvalidTransition(
            current=measure.status,
            allowed=ALLOWED_AFTER[measure.status],
            detail=f"The measure is {measure.status} and cannot be {what}.",
        )


def require_target(command: RecordConstructionMeasure, target: MeasureTarget) -> None:
    """A listing named must exist (422 `listing_known`) and be published, so in force
    and public (409 `listing-not-in-force`); a case named must be one cases told credit
    of (422 `case_known` on `case_id`)."""
    if command.listing_id is not None:
        if target.listing_status is None:
            raise InvalidInput(
                field="listing_id",
                rule="listing_known",
                detail=f"There is no listing {command.listing_id}.",
            )
        if target.listing_status not in _SANCTIONABLE:
            raise RuleViolated(
                "listing-not-in-force",
                f"Listing {command.listing_id} is {target.listing_status}; a measure "
                "follows a published listing in force.",
            )
    if command.case_id is not None and not target.is_case_known:
        raise InvalidInput(
            field="case_id",
            rule="case_known",
            detail=f"Credit has heard of no case {command.case_id} from cases.",
        )


def record_construction_measure(
    measure: ConstructionMeasure,
    command: RecordConstructionMeasure,
    *,
    today: date,
    acting: Acting,
    measure_target: MeasureTarget,
) -> list[MeasureEvent]:
    """The construction bureau (or the office for it) records a measure it took, tied
    to a published listing or to a case credit knows, dated no later than today."""
    _require_status(measure, MeasureStatus.NEW, "recorded")
    require_duty(acting, Duty.CONSTRUCTION)
    require_target(command, measure_target)
    require_date(command.taken_on, field="taken_on", today=today)
    standing = is_standing(command.kind, is_tied_to_listing=bool(command.listing_id))
    return [
        ConstructionMeasureRecorded(
            kind=command.kind,
            unit_code=unit_for(acting, Duty.CONSTRUCTION),
            listing_id=command.listing_id,
            case_id=command.case_id,
            taken_on=command.taken_on,
            basis=command.basis,
            reference=command.reference,
            is_standing=standing,
        )
    ]


def payment_for_measure(
    listing: Listing | None, record: PaymentOnRecord
) -> PaymentOnRecord:
    """What a measure is lifted on (the fact `measure_payment`): for one tied to a
    listing, the listing's payment as early removal weighs it
    (`early_removal.paid_in_full`: cases' record, or for a listing no case covers the
    payment evidence the office recorded); for one tied to a case, that case's
    record."""
    if listing is None:
        return record
    return record.model_copy(update={"paid_in_full_on": paid_in_full(listing, record)})


def lift_construction_measure(
    measure: ConstructionMeasure,
    command: LiftConstructionMeasure,
    *,
    today: date,
    acting: Acting,
    measure_payment: PaymentOnRecord,
) -> list[MeasureEvent]:
    """A standing measure is lifted when the employer paid: the full payment of what
    the case (or the listing) owed is on record on or before the day it is lifted —
    cases' record, or for a listing no case covers the office's payment evidence
    (`payment_for_measure`); 409 `payment-not-on-record` otherwise. Not before the day
    it was taken."""
    _require_status(measure, MeasureStatus.IN_FORCE, "lifted")
    require_duty(acting, Duty.CONSTRUCTION)
    require_date(
        command.lifted_on,
        field="lifted_on",
        today=today,
        not_before=measure.taken_on,
        since="measure",
    )
    paid_in_full_on = measure_payment.paid_in_full_on
    if paid_in_full_on is None or paid_in_full_on > command.lifted_on:
        raise RuleViolated(
            "payment-not-on-record",
            f"No full payment is on record on or before {command.lifted_on} (cases' "
            "record, or the listing's payment evidence); the measure is lifted once "
            "the employer paid.",
        )
    return [
        ConstructionMeasureLifted(
            lifted_on=command.lifted_on,
            reference=command.reference,
            paid_in_full_on=paid_in_full_on,
        )
    ]
