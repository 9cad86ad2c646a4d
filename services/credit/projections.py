"""credit's read models: listings (rebuilt from their streams with the domain's evolve),
sanction tasks, deadlines, the change feed; and employers' cases from cases' topic."""

from __future__ import annotations

from datetime import date

from services.credit.domain.aggregate import LISTING
from services.credit.domain.deadlines import open_deadlines
from services.credit.domain.listing import Listing
from services.credit.domain.subjects import EmployerSubject, PersonSubject
from services.credit.inbound_events import (
    ArrearsCleared,
    CaseReceived,
    PaymentOrdered,
)
from services.credit.public_records import party_role, records_of
from shared.db import DbConnection
from shared.envelope import Envelope
from shared.handling import decode_all
from shared.settings import PublishingBody
from shared.store import EventStore

LISTING_MODELS = "listing_read_models"
EMPLOYER_CASES = "employer_cases"


class ListingReadModels:
    """Feeds `listing_summary`, `sanction_tasks`, `listing_deadlines`, `listing_changes`
    and the public profile's `public_records`."""

    name = LISTING_MODELS
    # Every effect goes through the runner's connection (see `Projection`).
    is_transactional = True
    tables = (
        "listing_summary",
        "sanction_tasks",
        "listing_deadlines",
        "listing_changes",
        "public_records",
    )

    def __init__(self, store: EventStore, topic: str, body: PublishingBody) -> None:
        self.store = store
        self.topics = (topic,)
        self.body = body

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Rewrite the listing's rows from its state at this event."""
        if not event.subject.startswith(f"{LISTING.category}-"):
            return
        listing_id = LISTING.entity_id(event.subject)
        records = [
            r
            for r in await self.store.load(event.subject)
            if r.version <= event.streamversion
        ]
        listing = LISTING.replay(decode_all(LISTING, records))
        await _summary(conn, listing_id, listing, event)
        await conn.execute(
            "DELETE FROM sanction_tasks WHERE listing_id = $1", listing_id
        )
        for task in listing.sanction_tasks:
            await conn.execute(
                "INSERT INTO sanction_tasks (listing_id, task_id, unit_code, measure, due, status,"
                " applied_on, lifted_on, is_overdue) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                listing_id,
                task.task_id,
                task.unit_code,
                task.measure.value,
                task.due,
                task.status.value,
                task.applied_on,
                task.lifted_on,
                task.is_overdue,
            )
        await conn.execute(
            "DELETE FROM listing_deadlines WHERE listing_id = $1", listing_id
        )
        for deadline in open_deadlines(listing):
            await conn.execute(
                "INSERT INTO listing_deadlines (listing_id, kind, task_id, due) VALUES ($1, $2, $3, $4)",
                listing_id,
                deadline.kind.value,
                deadline.task_id,
                deadline.due,
            )
        await conn.execute(
            "INSERT INTO listing_changes (listing_id, version, status, changed_at)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT (listing_id, version) DO NOTHING",
            listing_id,
            event.streamversion,
            listing.status.value,
            event.time,
        )
        await self._public_records(conn, listing_id, listing, event)

    async def _public_records(
        self, conn: DbConnection, listing_id: str, listing: Listing, event: Envelope
    ) -> None:
        """Add the records the listing has now and did not have; never change one."""
        subject = listing.subject
        name = subject.name if isinstance(subject, PersonSubject) else None
        decision = listing.decision
        for kind, fields in records_of(listing_id, listing, self.body).items():
            await conn.execute(
                "INSERT INTO public_records (record_id, listing_id, kind, party_role,"
                " employer_listing_id, sealed_name, fields, recorded_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                " ON CONFLICT (listing_id, kind) DO NOTHING",
                fields["record_id"],
                listing_id,
                kind.value,
                party_role(listing),
                decision.employer_listing_id if decision else None,
                None if name is None else name.model_dump(mode="json"),
                fields,
                event.time,
            )


async def _summary(
    conn: DbConnection, listing_id: str, listing: Listing, event: Envelope
) -> None:
    subject = listing.subject
    grounds = listing.grounds
    decision = listing.decision
    end = listing.end
    is_employer = isinstance(subject, EmployerSubject)
    await conn.execute(
        "INSERT INTO listing_summary (listing_id, status, subject_kind, employer_name, uscc,"
        " person_key, employer_listing_id, decision_id, opened_from, opened_on, case_ids,"
        " amount_owed, is_mass_incident, decided_on, ends_on, published_on, ended_on, end_how,"
        " version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
        " $14, $15, $16, $17, $18, $19, $20) ON CONFLICT (listing_id) DO UPDATE SET"
        " status = excluded.status, employer_listing_id = excluded.employer_listing_id,"
        " decision_id = excluded.decision_id, decided_on = excluded.decided_on,"
        " ends_on = excluded.ends_on, published_on = excluded.published_on,"
        " ended_on = excluded.ended_on, end_how = excluded.end_how,"
        " version = excluded.version, updated_at = excluded.updated_at"
        " WHERE listing_summary.version < excluded.version",
        listing_id,
        listing.status.value,
        subject.kind.value if subject else "",
        subject.name if isinstance(subject, EmployerSubject) else None,
        subject.uscc if isinstance(subject, EmployerSubject) else None,
        None
        if is_employer or subject is None
        else getattr(subject, "person_key", None),
        decision.employer_listing_id if decision else None,
        decision.decision_id if decision else None,
        listing.opened_from.value if listing.opened_from else "",
        listing.opened_on,
        list(grounds.case_ids) if grounds else [],
        grounds.amount_owed if grounds else 0,
        grounds.is_mass_incident if grounds else False,
        decision.decided_on if decision else None,
        decision.ends_on if decision else None,
        listing.published_on,
        end.ended_on if end else None,
        end.how.value if end else None,
        event.streamversion,
        event.time,
    )


# A case ended without arrears found (rejected, transferred out, cancelled): the day.
_VOIDED_ON = {
    "CaseRejected": "rejected_on",
    "CaseTransferredOut": "transferred_on",
    "CaseCancelled": "cancelled_on",
}


class EmployerCases:
    """Feeds `employer_cases` from cases' CaseReceived events (new arrears checks),
    `case_projects` (the project a record names) and `case_outcomes` (cleared in full,
    or voided: rejected, transferred out or cancelled)."""

    name = EMPLOYER_CASES
    # Every effect goes through the runner's connection (see `Projection`).
    is_transactional = True
    tables = ("employer_cases", "case_projects", "case_outcomes")

    def __init__(self, cases_topic: str) -> None:
        self.topics = (cases_topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Remember which employer each received case is against, and when; when what
        it owed was paid in full; and how the case ended."""
        if event.event_type in _VOIDED_ON:
            voided_on = date.fromisoformat(
                str(event.data[_VOIDED_ON[event.event_type]])
            )
            await _outcome(conn, event.subject, "voided_on", voided_on)
        elif event.event_type == "ArrearsCleared":
            cleared = ArrearsCleared.model_validate(event.data)
            await _outcome(conn, event.subject, "cleared_on", cleared.cleared_on)
        elif event.event_type == "PaymentOrdered":
            await _ordered(
                conn, event.subject, PaymentOrdered.model_validate(event.data)
            )
        elif event.event_type == "CaseReceived":
            await _received(
                conn, event.subject, CaseReceived.model_validate(event.data)
            )


async def _received(
    conn: DbConnection, case_stream: str, received: CaseReceived
) -> None:
    await conn.execute(
        "INSERT INTO case_outcomes (case_stream, uscc, received_on) VALUES ($1, $2, $3)"
        " ON CONFLICT (case_stream) DO UPDATE SET uscc = excluded.uscc,"
        " received_on = excluded.received_on",
        case_stream,
        received.employer.uscc or None,
        received.received_on,
    )
    if received.project is not None:
        await conn.execute(
            "INSERT INTO case_projects (case_id, project_name) VALUES ($1, $2)"
            " ON CONFLICT DO NOTHING",
            case_stream.removeprefix("case-"),
            received.project.name,
        )
    if not received.employer.uscc:
        return
    await conn.execute(
        "INSERT INTO employer_cases (uscc, case_stream, received_on) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING",
        received.employer.uscc,
        case_stream,
        received.received_on,
    )


async def _ordered(conn: DbConnection, case_stream: str, order: PaymentOrdered) -> None:
    # An order of a positive amount says that much is still owed: not paid in full.
    if order.amount > 0:
        await conn.execute(
            "UPDATE case_outcomes SET cleared_on = NULL WHERE case_stream = $1",
            case_stream,
        )


async def _outcome(conn: DbConnection, case_stream: str, column: str, on: date) -> None:
    # `column` is one of two names fixed above, never input.
    await conn.execute(
        f"INSERT INTO case_outcomes (case_stream, {column}) VALUES ($1, $2)"  # noqa: S608
        f" ON CONFLICT (case_stream) DO UPDATE SET {column} = excluded.{column}",
        case_stream,
        on,
    )
