"""The penalty track's second half: the penalty decided, or no penalty after the
employer's defence, the fine paid (with the late surcharge) or sent to the court for
enforcement (行政处罚法 arts. 45, 57, 60, 62, 67, 72; rules.md §3.4.1 items 8, 11, 13
and 14, §4.1)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar, Final, assert_never

from services.cases.domain.lifecycle import OPENED, require_step_date
from services.cases.domain.limits import CaseLimits
from services.cases.domain.penalty import (
    hearing_window_open,
    noticed,
    on_penalty_track,
)
from services.cases.domain.state import (
    Case,
    CourtEnforcement,
    DeadlineKind,
    Penalty,
    PenaltyStatus,
    with_deadline,
    without_deadlines,
)
from shared.amounts import PositiveMoney, RecordedMoney
from shared.dates import BusinessDate, require_date, require_not_before
from shared.domain import Command, Deadline, Event, Role
from shared.errors import RuleViolated
from shared.values import Text

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})
_CENT: Final = Decimal("0.01")
# A requested hearing must be held before the decision (art. 65).
_HEARING_PENDING: Final = frozenset(
    {PenaltyStatus.HEARING_REQUESTED, PenaltyStatus.HEARING_SCHEDULED}
)


class DecidePenalty(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    decided_on: BusinessDate
    served_on: BusinessDate
    fine: PositiveMoney
    # Past 90 days from 立案 only where a law, regulation or rule says so (art. 60).
    special_rule: Text | None = None


class DecideNoPenalty(Command):
    """不予行政处罚: after the employer's defence the agency decides to impose none
    (行政处罚法 art. 57), for the reason it gives."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE

    decided_on: BusinessDate
    reason: Text
    # Past 90 days from 立案 only where a law, regulation or rule says so (art. 60).
    special_rule: Text | None = None


class RecordFinePaid(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    paid_on: BusinessDate
    amount: PositiveMoney


class ApplyFineEnforcement(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    applied_on: BusinessDate


# The decision follows the notice, and the hearing when one was asked for (art. 62).
_DECIDABLE: Final = frozenset(
    {PenaltyStatus.NOTICE_OF_INTENT, PenaltyStatus.HEARING_WAIVED, PenaltyStatus.HEARD}
)

ALLOWED_IN_PENALTY: Final[dict[type[Command], frozenset[PenaltyStatus]]] = {
    DecidePenalty: _DECIDABLE,
    DecideNoPenalty: _DECIDABLE,
    # The court may still be paid once enforcement was applied for.
    RecordFinePaid: frozenset({PenaltyStatus.DECIDED, PenaltyStatus.COURT_ENFORCEMENT}),
    ApplyFineEnforcement: frozenset({PenaltyStatus.DECIDED}),
}
"""The penalty-track statuses in which each command of this capability is a next step."""


class PenaltyDecided(Event):
    """行政处罚决定: the fine, no heavier than the notice intended (art. 45), served on
    the employer, who pays it within 15 days (art. 67)."""

    decided_on: date
    served_on: date
    fine: RecordedMoney
    special_rule: str | None
    payment_deadline: Deadline


class NoPenaltyDecided(Event):
    """不予行政处罚决定: after the defence, no penalty is imposed, for `reason`; the
    penalty track ends without a fine (art. 57)."""

    decided_on: date
    reason: str
    special_rule: str | None


class FinePaid(Event):
    """The fine was paid; paid late, 3 % of it a day is due on top, at most the fine
    itself (加处罚款, art. 72)."""

    paid_on: date
    amount: RecordedMoney
    days_late: int
    surcharge_due: RecordedMoney


class FineEnforcementApplied(Event):
    """申请人民法院强制执行: the unpaid fine goes to the court (art. 72)."""

    applied_on: date
    fine: RecordedMoney


PenaltyDecisionEvent = (
    PenaltyDecided | NoPenaltyDecided | FinePaid | FineEnforcementApplied
)


def evolve_penalty_decision(case: Case, event: PenaltyDecisionEvent) -> Case:
    """The case after its penalty was decided, its fine paid or sent to the court."""
    match event:
        case PenaltyDecided(fine=fine, payment_deadline=deadline):
            after = on_penalty_track(
                case,
                PenaltyStatus.DECIDED,
                fine=fine,
                pay_by=deadline.due,
                decided_on=event.decided_on,
                served_on=event.served_on,
            )
            deadlines = with_deadline(
                without_deadlines(after.deadlines, DeadlineKind.PENALTY_DECISION),
                DeadlineKind.FINE_PAYMENT,
                deadline,
            )
            return after.model_copy(update={"deadlines": deadlines})
        case NoPenaltyDecided(decided_on=decided_on):
            after = on_penalty_track(
                case, PenaltyStatus.NO_PENALTY, decided_on=decided_on
            )
            deadlines = without_deadlines(
                after.deadlines, DeadlineKind.PENALTY_DECISION
            )
            return after.model_copy(update={"deadlines": deadlines})
        case FinePaid(surcharge_due=surcharge):
            after = on_penalty_track(
                case, PenaltyStatus.FINE_PAID, surcharge_due=surcharge
            )
            return _fine_settled(after)
        case FineEnforcementApplied(applied_on=applied_on):
            enforcing = on_penalty_track(case, PenaltyStatus.COURT_ENFORCEMENT)
            return _fine_settled(
                enforcing.model_copy(
                    update={"court": _court_for_fine(case, applied_on)}
                )
            )
        case _:
            assert_never(event)


def _court_for_fine(case: Case, applied_on: date) -> CourtEnforcement:
    """The court's record the fine's enforcement adds to: the one already open for the
    arrears, else a new one from the application, as for the arrears (art. 72)."""
    if case.court is not None and case.court.concluded_on is None:
        return case.court
    return CourtEnforcement(applied_on=applied_on)


def _fine_settled(case: Case) -> Case:
    deadlines = without_deadlines(case.deadlines, DeadlineKind.FINE_PAYMENT)
    return case.model_copy(update={"deadlines": deadlines})


def decide_penalty(
    case: Case, command: DecidePenalty, *, today: date, limits: CaseLimits
) -> list[PenaltyDecisionEvent]:
    """The penalty is decided after the notice: not while the employer may still ask
    for a hearing or a requested one was not held, not above the intended fine
    (art. 45), and within 90 days of 立案 unless a special rule is stated (art. 60);
    it is served on or after its day, and not in the future."""
    notice = _decidable(
        case,
        ALLOWED_IN_PENALTY[DecidePenalty],
        "decided",
        decided_on=command.decided_on,
        today=today,
    )
    require_date(
        command.served_on,
        field="served_on",
        today=today,
        not_before=command.decided_on,
        since="decision",
    )
    _require_not_heavier(command.fine, notice)
    _require_in_time(case, command.decided_on, command.special_rule, limits)
    return [
        PenaltyDecided(
            decided_on=command.decided_on,
            served_on=command.served_on,
            fine=command.fine,
            special_rule=command.special_rule,
            payment_deadline=Deadline(
                due=command.served_on + timedelta(days=limits.fine_payment_days),
                is_provisional=False,
            ),
        )
    ]


def decide_no_penalty(
    case: Case, command: DecideNoPenalty, *, today: date, limits: CaseLimits
) -> list[PenaltyDecisionEvent]:
    """After the defence the agency may impose no penalty (art. 57; rules.md §3.4.1
    items 8, 11, 14): decided like a penalty, after the notice and any hearing and
    within 90 days of 立案 unless a special rule is stated; the track then ends."""
    _decidable(
        case,
        ALLOWED_IN_PENALTY[DecideNoPenalty],
        "decided without a penalty",
        decided_on=command.decided_on,
        today=today,
    )
    _require_in_time(case, command.decided_on, command.special_rule, limits)
    return [
        NoPenaltyDecided(
            decided_on=command.decided_on,
            reason=command.reason,
            special_rule=command.special_rule,
        )
    ]


def _decidable(
    case: Case,
    allowed: frozenset[PenaltyStatus],
    what: str,
    *,
    decided_on: date,
    today: date,
) -> Penalty:
    """The proceedings a decision ends: not while a requested hearing was not held or
    the employer may still ask for one, and dated after the employer was heard — the
    notice, and the hearing held or waived (art. 62, rules `not_before_notice`,
    `not_before_hearing`, `not_before_waiver`)."""
    if case.status in OPENED and case.penalty in _HEARING_PENDING:
        raise RuleViolated(
            "hearing-not-held", "The employer asked for a hearing; hold it first."
        )
    notice = noticed(case, allowed, what)
    require_step_date(case, decided_on, field="decided_on", today=today)
    if case.penalty is PenaltyStatus.NOTICE_OF_INTENT and hearing_window_open(
        case, decided_on
    ):
        raise RuleViolated(
            "hearing-request-window-open",
            "The employer may still ask for a hearing; wait for the window to close "
            "or record its request or waiver.",
        )
    for since, day in (
        ("notice", notice.notified_on),
        ("hearing", notice.heard_on),
        ("waiver", notice.waived_on),
    ):
        require_not_before(decided_on, field="decided_on", not_before=day, since=since)
    return notice


def _require_not_heavier(fine: Decimal, notice: Penalty) -> None:
    if fine > notice.intended_fine:
        raise RuleViolated(
            "fine-above-notice",
            f"The notice intended {notice.intended_fine} yuan; the defence may not "
            "make the penalty heavier.",
        )


def _require_in_time(
    case: Case, decided_on: date, special_rule: str | None, limits: CaseLimits
) -> None:
    accepted_on = case.accepted_on or decided_on
    latest = accepted_on + timedelta(days=limits.penalty_decision_days)
    if decided_on > latest and special_rule is None:
        raise RuleViolated(
            "penalty-decision-late",
            f"A penalty is decided within {limits.penalty_decision_days} days of "
            f"opening, by {latest}; name the special rule that allows later.",
        )


def record_fine_paid(
    case: Case, command: RecordFinePaid, *, today: date, limits: CaseLimits
) -> list[PenaltyDecisionEvent]:
    """The fine is paid in full, not before the decision was served (rule
    `not_before_service`); paid after its 15 days, the surcharge due is 3 % of the
    fine for each day late, at most the fine itself (art. 72)."""
    notice = noticed(
        case, ALLOWED_IN_PENALTY[RecordFinePaid], "recorded as paying a fine"
    )
    require_step_date(case, command.paid_on, field="paid_on", today=today)
    require_not_before(
        command.paid_on,
        field="paid_on",
        not_before=notice.served_on or notice.decided_on,
        since="service",
    )
    fine = notice.fine or Decimal(0)
    if command.amount < fine:
        raise RuleViolated(
            "fine-not-paid-in-full",
            f"The fine is {fine} yuan; {command.amount} yuan does not pay it.",
        )
    pay_by = notice.pay_by or command.paid_on
    days_late = max(0, (command.paid_on - pay_by).days)
    return [
        FinePaid(
            paid_on=command.paid_on,
            amount=command.amount,
            days_late=days_late,
            surcharge_due=late_surcharge(fine, days_late, limits),
        )
    ]


def late_surcharge(fine: Decimal, days_late: int, limits: CaseLimits) -> Decimal:
    """加处罚款: the rate of the fine for each day late, never above the fine."""
    surcharge = fine * limits.late_surcharge_rate * days_late
    return min(surcharge, fine).quantize(_CENT, ROUND_HALF_UP)


def apply_fine_enforcement(
    case: Case, command: ApplyFineEnforcement, *, today: date
) -> list[PenaltyDecisionEvent]:
    """A fine unpaid after its 15 days goes to the court for enforcement (art. 72)."""
    notice = noticed(
        case, ALLOWED_IN_PENALTY[ApplyFineEnforcement], "sent for fine enforcement"
    )
    require_step_date(case, command.applied_on, field="applied_on", today=today)
    if not is_fine_overdue(notice, command.applied_on):
        raise RuleViolated(
            "fine-not-yet-due",
            f"The fine may be paid until {notice.pay_by}; apply after that.",
        )
    return [
        FineEnforcementApplied(
            applied_on=command.applied_on, fine=notice.fine or Decimal(0)
        )
    ]


def is_fine_overdue(notice: Penalty, day: date) -> bool:
    """Whether the fine's 15 days have passed by that day."""
    return notice.pay_by is not None and day > notice.pay_by


def is_penalty_settled(case: Case) -> bool:
    """Whether no penalty proceedings run, none was imposed, or the fine was paid or
    sent to court."""
    return case.penalty in _SETTLED


def require_penalty_settled(case: Case) -> None:
    """Refuses ending a case while its penalty proceedings run or its fine is unpaid
    and not sent to the court (rules.md §3.4.1 item 14)."""
    if case.penalty is PenaltyStatus.DECIDED:
        raise RuleViolated(
            "fine-unpaid",
            "The fine is unpaid; record its payment or apply to the court first.",
        )
    if case.penalty not in _SETTLED:
        raise RuleViolated(
            "penalty-pending",
            f"The penalty proceedings are at {case.penalty}; decide the penalty, or "
            "that there is none, first.",
        )


_SETTLED: Final = frozenset(
    {
        PenaltyStatus.NONE,
        PenaltyStatus.NO_PENALTY,
        PenaltyStatus.FINE_PAID,
        PenaltyStatus.COURT_ENFORCEMENT,
    }
)
