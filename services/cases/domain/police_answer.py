"""The criminal track's second half: the police file or decline; after a refusal the
agency asks them once to reconsider, then the procuratorate to supervise (310号令
arts. 8–9, rules.md §3.5, §4.1). Its limits count calendar days."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, assert_never

from services.cases.domain.lifecycle import require_criminal, require_step_date
from services.cases.domain.limits import CaseLimits
from services.cases.domain.referral import days_after, on_criminal_track
from services.cases.domain.state import Case, CriminalStatus, DeadlineKind
from shared.dates import BusinessDate, require_not_before
from shared.domain import Command, Deadline, Event, JsonObject, Role, upcaster
from shared.duties import Acting, Duty, require_duty
from shared.errors import RuleViolated
from shared.values import DocumentNumber, Text

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})
# The police record their own answer; the office may still enter it from the paper.
_POLICE: frozenset[Role] = frozenset({Role.OFFICE, Role.UNIT_STAFF})
_AWAITING_POLICE = frozenset(
    {CriminalStatus.TRANSFERRED_TO_POLICE, CriminalStatus.RECONSIDERATION_REQUESTED}
)


class RecordPoliceFiling(Command):
    permitted: ClassVar[frozenset[Role]] = _POLICE

    filed_on: BusinessDate
    document_number: DocumentNumber


class RecordPoliceDeclining(Command):
    permitted: ClassVar[frozenset[Role]] = _POLICE

    declined_on: BusinessDate
    reason: Text
    document_number: DocumentNumber


class RequestReconsideration(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    requested_on: BusinessDate


class RequestProcuratorateSupervision(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    requested_on: BusinessDate
    reason: Text


ALLOWED_IN_CRIMINAL: Final[dict[type[Command], frozenset[CriminalStatus]]] = {
    RecordPoliceFiling: _AWAITING_POLICE,
    RecordPoliceDeclining: _AWAITING_POLICE,
    # Reconsideration first, the procuratorate after a second refusal (310号令 art. 9)
    RequestReconsideration: frozenset({CriminalStatus.POLICE_DECLINED}),
    RequestProcuratorateSupervision: frozenset({CriminalStatus.POLICE_DECLINED}),
}
"""The criminal-track statuses in which each command of this capability is a next step."""


class PoliceFiled(Event):
    """The police opened a criminal case (立案决定书 `document_number`; none on events
    recorded before the police gave it)."""

    schema_version: ClassVar[int] = 2

    filed_on: date
    document_number: str | None = None


class PoliceDeclined(Event):
    """The police declined to open a criminal case, in writing with reasons. After a
    first refusal the agency may ask them to reconsider by `request_by`; after a
    refusal on reconsideration it may ask the procuratorate to supervise by then."""

    schema_version: ClassVar[int] = 2

    declined_on: date
    reason: str
    is_after_reconsideration: bool
    request_by: Deadline
    # 不予立案通知书; none on events recorded before the police gave it.
    document_number: str | None = None


class ReconsiderationRequested(Event):
    """The agency asked the police to reconsider; they must answer by the deadline."""

    requested_on: date
    answer_deadline: Deadline


class ProcuratorateSupervisionRequested(Event):
    """The police declined again; the agency asked the procuratorate to supervise."""

    requested_on: date
    reason: str


@upcaster("PoliceFiled", from_version=1)
def _filed_without_number(data: JsonObject) -> JsonObject:
    return {**data, "document_number": None}


@upcaster("PoliceDeclined", from_version=1)
def _declined_without_number(data: JsonObject) -> JsonObject:
    return {**data, "document_number": None}


UPCASTERS: Final = (_filed_without_number, _declined_without_number)
"""Police answers recorded before they carried their document number."""


PoliceAnswerEvent = (
    PoliceFiled
    | PoliceDeclined
    | ReconsiderationRequested
    | ProcuratorateSupervisionRequested
)


def evolve_police_answer(case: Case, event: PoliceAnswerEvent) -> Case:
    """The case after the police answered, or the agency pressed them to."""
    match event:
        case PoliceFiled():
            return on_criminal_track(
                case, CriminalStatus.POLICE_FILED, closes=DeadlineKind.POLICE_ANSWER
            )
        case PoliceDeclined(request_by=request_by):
            kind = (
                DeadlineKind.PROCURATORATE_REQUEST
                if event.is_after_reconsideration
                else DeadlineKind.RECONSIDERATION_REQUEST
            )
            return on_criminal_track(
                case,
                CriminalStatus.POLICE_DECLINED,
                closes=DeadlineKind.POLICE_ANSWER,
                opens=(kind, request_by),
            )
        case ReconsiderationRequested(answer_deadline=deadline):
            reconsidering = on_criminal_track(
                case,
                CriminalStatus.RECONSIDERATION_REQUESTED,
                closes=DeadlineKind.RECONSIDERATION_REQUEST,
                opens=(DeadlineKind.POLICE_ANSWER, deadline),
            )
            return reconsidering.model_copy(
                update={"is_reconsideration_requested": True}
            )
        case ProcuratorateSupervisionRequested():
            return on_criminal_track(
                case,
                CriminalStatus.PROCURATORATE_SUPERVISION,
                closes=DeadlineKind.PROCURATORATE_REQUEST,
            )
        case _:
            assert_never(event)


def record_police_filing(
    case: Case, command: RecordPoliceFiling, *, today: date, acting: Acting
) -> list[PoliceAnswerEvent]:
    """The police opened a criminal case, at first or on reconsideration: recorded by
    the police themselves, or by the office from their decision (notice §3)."""
    require_duty(acting, Duty.POLICE)
    require_criminal(
        case, ALLOWED_IN_CRIMINAL[RecordPoliceFiling], "filed by the police"
    )
    _require_after_transfer(case, command.filed_on, field="filed_on", today=today)
    return [
        PoliceFiled(filed_on=command.filed_on, document_number=command.document_number)
    ]


def record_police_declining(
    case: Case,
    command: RecordPoliceDeclining,
    *,
    today: date,
    limits: CaseLimits,
    acting: Acting,
) -> list[PoliceAnswerEvent]:
    """The police declined in writing, recorded by them or by the office: after a
    first refusal the agency may ask them to reconsider within 3 days; after a refusal
    on reconsideration it may turn to the procuratorate within 3 days (310号令 art. 9)."""
    require_duty(acting, Duty.POLICE)
    require_criminal(
        case, ALLOWED_IN_CRIMINAL[RecordPoliceDeclining], "declined by the police"
    )
    _require_after_transfer(case, command.declined_on, field="declined_on", today=today)
    is_after = case.criminal is CriminalStatus.RECONSIDERATION_REQUESTED
    days = (
        limits.procuratorate_request_days
        if is_after
        else limits.reconsideration_request_days
    )
    return [
        PoliceDeclined(
            declined_on=command.declined_on,
            reason=command.reason,
            is_after_reconsideration=is_after,
            request_by=days_after(command.declined_on, days),
            document_number=command.document_number,
        )
    ]


def _require_after_transfer(case: Case, day: date, *, field: str, today: date) -> None:
    """Refuses a police answer dated in the future or before the case was transferred
    to them (rule `not_before_transfer`): they answer what they received."""
    require_step_date(case, day, field=field, today=today)
    require_not_before(
        day, field=field, not_before=case.transferred_on, since="transfer"
    )


def request_reconsideration(
    case: Case, command: RequestReconsideration, *, today: date, limits: CaseLimits
) -> list[PoliceAnswerEvent]:
    """The agency asks the police once to reconsider; they answer within 3 days
    (310号令 art. 9)."""
    require_criminal(
        case, ALLOWED_IN_CRIMINAL[RequestReconsideration], "sent for reconsideration"
    )
    if case.is_reconsideration_requested:
        raise RuleViolated(
            "one-reconsideration",
            "The police already reconsidered; ask the procuratorate to supervise.",
        )
    require_step_date(case, command.requested_on, field="requested_on", today=today)
    return [
        ReconsiderationRequested(
            requested_on=command.requested_on,
            answer_deadline=days_after(
                command.requested_on, limits.police_reconsideration_days
            ),
        )
    ]


def request_procuratorate_supervision(
    case: Case, command: RequestProcuratorateSupervision, *, today: date
) -> list[PoliceAnswerEvent]:
    """After the police declined again on reconsideration, the agency asks the
    procuratorate to supervise (310号令 art. 9)."""
    require_criminal(
        case,
        ALLOWED_IN_CRIMINAL[RequestProcuratorateSupervision],
        "sent to the procuratorate",
    )
    if not case.is_reconsideration_requested:
        raise RuleViolated(
            "reconsideration-first",
            "Ask the police to reconsider before turning to the procuratorate.",
        )
    require_step_date(case, command.requested_on, field="requested_on", today=today)
    return [
        ProcuratorateSupervisionRequested(
            requested_on=command.requested_on, reason=command.reason
        )
    ]
