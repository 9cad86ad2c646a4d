"""The cases read models: one summary row per case, its open deadlines, its payments
(those the office recorded and what court enforcement realised).

Each case event is applied by rebuilding the case from its stream with the domain's own
evolve, so the read model can never disagree with the aggregate about a rule."""

from __future__ import annotations

from services.cases.domain.case import CASE
from services.cases.domain.court import EnforcementOutcomeRecorded
from services.cases.domain.payments import PaymentRecorded
from services.cases.domain.state import Case, open_deadlines
from shared.db import DbConnection
from shared.envelope import Envelope
from shared.handling import decode_all
from shared.store import EventStore

CASE_MODELS = "case_read_models"


class CaseReadModels:
    """Feeds `case_summary`, `case_deadlines` and `case_payments` from the cases topic."""

    name = CASE_MODELS
    # Every effect goes through the runner's connection (see `Projection`).
    is_transactional = True
    tables = ("case_summary", "case_deadlines", "case_payments")

    def __init__(self, store: EventStore, topic: str) -> None:
        self.store = store
        self.topics = (topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Rewrite the case's rows from its replayed state; add a payment row."""
        if not event.subject.startswith(f"{CASE.category}-"):
            return
        case_id = CASE.entity_id(event.subject)
        records = await self.store.load(event.subject)
        records = [r for r in records if r.version <= event.streamversion]
        case = CASE.replay(decode_all(CASE, records))
        await _summary(conn, case_id, case, event)
        await _deadlines(conn, case_id, case)
        if event.event_type in _RECOVERING:
            await _payment(conn, case_id, event)


# Events that recover money: each is a row of `case_payments`, so the totals by month
# count what the court realised as well as what was paid to the office's record.
_RECOVERING = frozenset(
    {PaymentRecorded.event_type(), EnforcementOutcomeRecorded.event_type()}
)


async def _payment(conn: DbConnection, case_id: str, event: Envelope) -> None:
    fact = CASE.decode(event.event_type, event.schema_version, event.data)
    if isinstance(fact, PaymentRecorded):
        paid_on, amount = fact.paid_on, fact.amount
    elif isinstance(fact, EnforcementOutcomeRecorded) and fact.amount_realised > 0:
        paid_on, amount = fact.decided_on, fact.amount_realised
    else:
        return
    await conn.execute(
        "INSERT INTO case_payments (case_id, version, paid_on, amount)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        case_id,
        event.streamversion,
        paid_on,
        amount,
    )


async def _summary(
    conn: DbConnection, case_id: str, case: Case, event: Envelope
) -> None:
    assignment = case.assignment
    running = sorted(open_deadlines(case), key=lambda d: d.due)
    overdue = sorted(d.due for d in case.deadlines if case.is_missed(d))
    employer = case.employer
    await conn.execute(
        "INSERT INTO case_summary (case_id, status, criminal, source, sector, employer_name,"
        " employer_uscc, territorial_unit, lead_unit, helping_units, assignment_due,"
        " assignment_status, workers_count, months_owed, amount_owed, amount_recovered,"
        " is_mass_incident, is_employer_absconded, received_on, next_due, next_due_kind,"
        " missed_count, is_credit_recommended, version, updated_at, overdue_since,"
        " is_arrears, penalty, handed_over_by, unit_reference, outcome, project_name,"
        " worker_subjects, possible_duplicate_of, duplicate_resolution)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,"
        " $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31,"
        " $32, $33, $34, $35)"
        " ON CONFLICT (case_id) DO UPDATE SET status = excluded.status,"
        " criminal = excluded.criminal, penalty = excluded.penalty, lead_unit = excluded.lead_unit,"
        " helping_units = excluded.helping_units, assignment_due = excluded.assignment_due,"
        " assignment_status = excluded.assignment_status,"
        " amount_recovered = excluded.amount_recovered,"
        " is_mass_incident = excluded.is_mass_incident,"
        " is_employer_absconded = excluded.is_employer_absconded,"
        " next_due = excluded.next_due, next_due_kind = excluded.next_due_kind,"
        " missed_count = excluded.missed_count, overdue_since = excluded.overdue_since,"
        " is_credit_recommended = excluded.is_credit_recommended,"
        " is_arrears = excluded.is_arrears, outcome = excluded.outcome,"
        " possible_duplicate_of = excluded.possible_duplicate_of,"
        " duplicate_resolution = excluded.duplicate_resolution,"
        " handed_over_by = excluded.handed_over_by,"
        " unit_reference = excluded.unit_reference,"
        " project_name = excluded.project_name,"
        " worker_subjects = excluded.worker_subjects,"
        " version = excluded.version, updated_at = excluded.updated_at"
        " WHERE case_summary.version < excluded.version",
        case_id,
        case.status.value,
        case.criminal.value,
        case.source.value if case.source else "",
        case.sector.value if case.sector else "",
        employer.name if employer else "",
        employer.uscc if employer else None,
        case.territorial_unit,
        assignment.lead_unit if assignment else None,
        list(assignment.helping_units) if assignment else [],
        assignment.due_on if assignment else None,
        assignment.status.value if assignment else None,
        case.workers_count,
        case.months_owed,
        case.amount_owed,
        case.amount_recovered,
        case.is_mass_incident,
        case.is_employer_absconded,
        case.received_on,
        running[0].due if running else None,
        running[0].kind.value if running else None,
        len(case.missed),
        case.is_credit_listing_recommended,
        event.streamversion,
        event.time,
        overdue[0] if overdue else None,
        case.is_arrears,
        case.penalty.value,
        *_intake_columns(case),
    )


def _intake_columns(case: Case) -> tuple[object, ...]:
    """Who handed the case over, how it ended, and what the duplicate rule compares."""
    return (
        case.handed_over_by,
        case.unit_reference,
        case.outcome.value if case.outcome else None,
        case.project.name if case.project else None,
        [w.subject for w in case.workers],
        case.possible_duplicate_of,
        case.duplicate_resolution.value if case.duplicate_resolution else None,
    )


async def _deadlines(conn: DbConnection, case_id: str, case: Case) -> None:
    await conn.execute("DELETE FROM case_deadlines WHERE case_id = $1", case_id)
    for deadline in open_deadlines(case):
        await conn.execute(
            "INSERT INTO case_deadlines (case_id, kind, due, is_provisional) VALUES ($1, $2, $3, $4)",
            case_id,
            deadline.kind.value,
            deadline.due,
            deadline.is_provisional,
        )
