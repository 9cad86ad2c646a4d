"""`allowed_next` offers exactly the steps the decide functions take: from every case
reached by a walk of valid steps, a step offered is accepted for some valid command,
and a step not offered is refused for the case's state — as an invalid transition or
under a named rule (409 either way) — for every one (issue 14)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st

from services.cases.command_table import COMMANDS
from services.cases.domain.assignment import (
    AssignCase,
    ReportProgress,
    ReturnAssignment,
)
from services.cases.domain.case import CASE, CaseEvent, allowed_steps
from services.cases.domain.court import (
    RecordAdvanceExecution,
    RecordEnforcementAccepted,
    RecordEnforcementOutcome,
    RecordPropertyPreservation,
)
from services.cases.domain.duplicates import ConfirmDuplicate, DismissDuplicate
from services.cases.domain.escalation import FlagEmployerAbsconded, FlagMassIncident
from services.cases.domain.handover import HandOverComplaint
from services.cases.domain.intake import (
    AcceptCase,
    ReceiveCase,
    RejectCase,
    TransferCaseOut,
)
from services.cases.domain.investigation import (
    CancelCase,
    CloseCase,
    ExtendInvestigation,
    OrderPayment,
)
from services.cases.domain.payments import (
    ApplyCourtEnforcement,
    DecideHandling,
    RecordPayment,
)
from services.cases.domain.penalty import (
    IssueNoticeOfIntent,
)
from services.cases.domain.penalty_decision import (
    ApplyFineEnforcement,
    DecideNoPenalty,
    DecidePenalty,
    RecordFinePaid,
)
from services.cases.domain.penalty_hearing import (
    RecordHearing,
    RequestHearing,
    ScheduleHearing,
    WaiveHearing,
)
from services.cases.domain.personal_data import ForgetWorker
from services.cases.domain.police_answer import (
    RecordPoliceDeclining,
    RecordPoliceFiling,
    RequestProcuratorateSupervision,
    RequestReconsideration,
)
from services.cases.domain.referral import (
    ApproveReferral,
    ProposeReferral,
    RefuseReferral,
    TransferToPolice,
)
from services.cases.domain.state import Case, ServiceMethod
from services.cases.domain.supplement import ReceiveSupplement, RequestSupplement
from shared.command_table import Numbered
from shared.domain import Command
from shared.errors import DomainError, InvalidTransition, RuleViolated
from tests.unit.cases import factories as f

# Every step is dated today, and names units of the directory, so that no decide
# function refuses it for its date or a unit: only the case's state can refuse it.
TODAY = f.TODAY
LATER = TODAY + timedelta(days=14)
FACTS: dict[str, object] = {
    "today": TODAY,
    "calendar": f.CALENDAR,
    "limits": f.LIMITS,
    "units": f.UNITS,
    "case_id": f.CASE_ID,
    "unit": "jsj",
    "acting": f.OFFICE,
    "earlier": (),
}
WHY = "原因"
COURT_NUMBER = "（2024）东0102执1234号"

RECEIVE = ReceiveCase(
    **f.case_received(received_on=TODAY).model_dump(
        exclude={"acceptance_deadline", "workers"}
    ),
    workers=(f.worker_details(),),
)

EXAMPLES: tuple[Command, ...] = (
    RECEIVE,
    HandOverComplaint.model_validate(
        {
            **RECEIVE.particulars(),
            "source": "petition_handover",
            "handed_over_by": "xfj",
            "unit_reference": "信访〔2024〕12号",
        }
    ),
    ConfirmDuplicate(confirmed_on=TODAY),
    DismissDuplicate(dismissed_on=TODAY, reason=WHY),
    AcceptCase(accepted_on=TODAY),
    RejectCase(rejected_on=TODAY, reason=WHY),
    RequestSupplement(requested_on=TODAY, what=WHY, due=LATER),
    ReceiveSupplement(received_on=TODAY),
    TransferCaseOut(transferred_on=TODAY, to="区劳动人事争议仲裁院", reason=WHY),
    ExtendInvestigation(approved_by="局长", approved_on=TODAY),
    CancelCase(cancelled_on=TODAY, reason=WHY),
    OrderPayment(
        ordered_on=TODAY,
        pay_by=LATER,
        served_on=TODAY,
        service_method=ServiceMethod.IN_PERSON,
        amount=Decimal("12000.00"),
    ),
    RecordPayment(paid_on=TODAY, amount=Decimal("100.00")),
    RecordPayment(paid_on=TODAY, amount=Decimal("12000.00")),
    RecordPayment(paid_on=TODAY, amount=Decimal("100.00"), is_overpayment=True),
    DecideHandling(decided_on=TODAY, compensation_rate=Decimal("0.5")),
    ApplyCourtEnforcement(applied_on=TODAY),
    RecordEnforcementAccepted(accepted_on=TODAY, document_number=COURT_NUMBER),
    RecordPropertyPreservation(
        ordered_on=TODAY, document_number=COURT_NUMBER, description=WHY
    ),
    RecordAdvanceExecution(ordered_on=TODAY, document_number=COURT_NUMBER),
    RecordEnforcementOutcome(
        decided_on=TODAY,
        amount_realised=Decimal("100.00"),
        document_number=COURT_NUMBER,
        is_concluded=False,
    ),
    RecordEnforcementOutcome(
        decided_on=TODAY,
        amount_realised=Decimal("0.00"),
        document_number=COURT_NUMBER,
        is_concluded=True,
    ),
    CloseCase(closed_on=TODAY),
    ProposeReferral(proposed_on=TODAY, grounds=WHY),
    ApproveReferral(approved_on=TODAY, approved_by="局长"),
    RefuseReferral(refused_on=TODAY, refused_by="局长", reason=WHY),
    TransferToPolice(transferred_on=TODAY, police_unit="gafj"),
    RecordPoliceFiling(filed_on=TODAY, document_number=f.FILING_NUMBER),
    RecordPoliceDeclining(
        declined_on=TODAY, reason=WHY, document_number=f.DECLINING_NUMBER
    ),
    RequestReconsideration(requested_on=TODAY),
    RequestProcuratorateSupervision(requested_on=TODAY, reason=WHY),
    IssueNoticeOfIntent(
        notified_on=TODAY,
        facts=WHY,
        reasons=WHY,
        basis=WHY,
        intended_fine=f.INTENDED_FINE,
        has_hearing_right=True,
    ),
    IssueNoticeOfIntent(
        notified_on=TODAY,
        facts=WHY,
        reasons=WHY,
        basis=WHY,
        intended_fine=f.INTENDED_FINE,
        has_hearing_right=False,
    ),
    RequestHearing(requested_on=TODAY),
    WaiveHearing(waived_on=TODAY),
    ScheduleHearing(notified_on=TODAY, hearing_on=LATER, place=WHY),
    RecordHearing(heard_on=TODAY, summary=WHY),
    DecidePenalty(decided_on=TODAY, served_on=TODAY, fine=f.INTENDED_FINE),
    DecideNoPenalty(decided_on=TODAY, reason=WHY),
    RecordFinePaid(paid_on=TODAY, amount=f.INTENDED_FINE),
    ApplyFineEnforcement(applied_on=TODAY),
    AssignCase(lead_unit="jsj", helping_units=("yjkz",), due_on=LATER, note=WHY),
    ReportProgress(text=WHY, reported_on=TODAY),
    ReturnAssignment(reason=WHY),
    FlagMassIncident(flagged_on=TODAY, note=WHY),
    FlagEmployerAbsconded(flagged_on=TODAY, note=WHY),
    ForgetWorker(subject="worker-0001", reason=WHY),
)
"""A valid command of every step."""

STARTS = (
    f.received(),
    f.investigating(),
    f.ordered(),
    f.overdue(),
    [*f.investigating(), f.case_assigned()],
    [*f.ordered(), f.referral_proposed()],
    # The hearing window closed before today, or is still open (Friday 2024-05-03
    # gives until 2024-05-10).
    f.noticed(),
    f.noticed(
        notified_on=date(2024, 5, 3),
        hearing_request_deadline=f.deadline(date(2024, 5, 10)),
    ),
    f.heard(),
    f.decided(),
    # The fine's 15 days ran out before today.
    f.decided(payment_deadline=f.deadline(date(2024, 5, 1))),
    # The unpaid fine went to the court, which acts on it.
    [
        *f.decided(payment_deadline=f.deadline(date(2024, 5, 1))),
        f.fine_enforcement_applied(applied_on=date(2024, 5, 2)),
    ],
    f.flagged(),
)
"""Histories the walks start from: the overdue one passed its order's deadline, and
the penalty track's at each of its steps, and a possible duplicate flagged."""


def _decide(case: Case, command: Command) -> list[CaseEvent]:
    row = COMMANDS.row(type(command))
    names = [fact.name for fact in row.facts]
    if isinstance(row.ids, Numbered) and row.ids.id_fact is not None:
        names.append(row.ids.id_fact)  # a new case gets its number as a fact
    facts = {name: FACTS[name] for name in names}
    # The row's decide function is a cases one: its events are the case's.
    return cast("list[CaseEvent]", list(row.decide(case, command, **facts)))


def _accepts(case: Case, command: Command) -> bool:
    """Whether the step is taken; False only for a refusal of the case's state."""
    try:
        _decide(case, command)
    except (InvalidTransition, RuleViolated):
        return False
    except DomainError:
        # Refused for the command's own values or the actor (a date before the
        # hearing's day, a unit not assigned): the case's state allows the step.
        return True
    return True


def _walk(start: int, choices: list[int]) -> list[Case]:
    """The cases met on a walk of valid steps, from a start history."""
    case = CASE.replay(STARTS[start])
    met = [case]
    for choice in choices:
        command = EXAMPLES[choice % len(EXAMPLES)]
        try:
            events = _decide(case, command)
        except DomainError:
            continue
        for event in events:
            case = CASE.evolve(case, event)
        met.append(case)
    return met


@settings(max_examples=400, deadline=None)
@given(
    st.integers(0, len(STARTS) - 1),
    st.lists(st.integers(0, len(EXAMPLES) - 1), max_size=20),
)
def test_allowed_next_is_what_the_decide_functions_take(
    start: int, choices: list[int]
) -> None:
    for case in _walk(start, choices):
        _assert_offers_what_it_takes(case)


def test_a_new_case_offers_receiving_and_handing_over_only() -> None:
    _assert_offers_what_it_takes(Case())
    assert COMMANDS.verbs(allowed_steps(Case(), today=TODAY)) == [
        "receive",
        "hand-over",
    ]


def test_only_a_flagged_case_offers_resolving_the_flag() -> None:
    flagged = CASE.replay(f.flagged())

    _assert_offers_what_it_takes(flagged)
    assert COMMANDS.verbs(allowed_steps(flagged, today=TODAY))[:2] == [
        "confirm-duplicate",
        "dismiss-duplicate",
    ]
    assert "confirm-duplicate" not in COMMANDS.verbs(
        allowed_steps(CASE.replay(f.received()), today=TODAY)
    )


def test_a_received_case_does_not_offer_a_referral() -> None:
    case = CASE.replay(f.received())
    assert "propose-referral" not in _offered(case)
    assert not _accepts(case, ProposeReferral(proposed_on=TODAY, grounds=WHY))


def test_a_case_assigned_to_no_unit_does_not_offer_progress_reports() -> None:
    case = CASE.replay(f.investigating())

    assert {"report-progress", "return-assignment"}.isdisjoint(_offered(case))
    assert not _accepts(case, ReportProgress(text=WHY, reported_on=TODAY))


def test_a_case_with_a_referral_pending_does_not_offer_closing() -> None:
    case = f.case_of(f.ordered(), [f.arrears_cleared(), f.referral_proposed()])

    assert "close" not in _offered(case)
    assert not _accepts(case, CloseCase(closed_on=TODAY))


def test_an_extended_investigation_does_not_offer_a_second_extension() -> None:
    case = f.case_of(f.investigating(), [f.investigation_extended()])

    assert "extend-investigation" not in _offered(case)
    assert not _accepts(
        case, ExtendInvestigation(approved_by="局长", approved_on=TODAY)
    )


def test_a_paid_case_with_its_fine_unpaid_offers_fine_steps_and_not_closing() -> None:
    case = f.case_of(f.decided(), [f.arrears_cleared()])

    assert "close" not in _offered(case)
    assert "record-fine-paid" in _offered(case)


def test_a_decision_is_offered_only_once_the_hearing_window_closed() -> None:
    case = CASE.replay(f.noticed())

    assert "decide-penalty" not in _offered(case, today=f.HEARING_REQUEST_BY)
    assert "request-hearing" in _offered(case, today=f.HEARING_REQUEST_BY)
    after = f.HEARING_REQUEST_BY + timedelta(days=1)
    assert "decide-penalty" in _offered(case, today=after)
    assert "request-hearing" not in _offered(case, today=after)


def _offered(case: Case, *, today: date = TODAY) -> list[str]:
    return COMMANDS.verbs(allowed_steps(case, today=today))


def _assert_offers_what_it_takes(case: Case) -> None:
    offered = set(_offered(case))
    taken = {COMMANDS.row(type(c)).verb for c in EXAMPLES if _accepts(case, c)}
    assert offered == taken, (case.status, case.criminal, case.penalty)
