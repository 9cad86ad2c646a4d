"""When cases recommends an employer for credit punishment, credit opens a candidate;
a later recommendation, or the case's order to pay lapsing, updates its grounds."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import asyncpg
from stdnum.cn import uscc as uscc_code

from services.credit.command_facts import CreditContext
from services.credit.command_table import CREDIT_COMMANDS
from services.credit.domain.aggregate import LISTING
from services.credit.domain.candidate import OpenCandidate
from services.credit.domain.grounds import Grounds, OpenedFrom
from services.credit.domain.later_grounds import RecordOrderOverdue, UpdateGrounds
from services.credit.domain.listing import BEFORE_DECISION, ListingStatus
from services.credit.domain.subjects import EmployerSubject
from services.credit.inbound_events import CreditListingRecommended, DeadlineMissed
from shared.auth import SYSTEM_ACTOR
from shared.command_pipeline import run
from shared.db import DbConnection
from shared.domain import Command
from shared.envelope import Envelope
from shared.handling import CommandContext, load
from shared.store import EventStore

# Command ids derive from the source event, so a redelivered event is a no-op.
_NAMESPACE = uuid.UUID("9a1d7c2e-5b3f-4e8a-b6d0-3c2f1e4a7b95")


def candidate_id(case_id: str) -> str:
    """The listing a case's recommendation opens: one per case, however often sent."""
    return f"c-{case_id}"


class CandidatesFromCases:
    """CreditListingRecommended (cases) → OpenCandidate (credit), once per case; a later
    one → UpdateGrounds, and a missed payment deadline → RecordOrderOverdue, while the
    candidate is not yet decided (after the decision they no longer matter)."""

    name = "candidates_from_cases"
    tables: tuple[str, ...] = ()

    def __init__(
        self,
        store: EventStore,
        pool: asyncpg.Pool,
        context: CreditContext,
        *,
        cases_topic: str,
    ) -> None:
        self.store = store
        self.pool = pool
        self.context = context
        self.topics = (cases_topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Open or update the candidate listing of the case; ignore other events."""
        if event.event_type == "CreditListingRecommended":
            recommended = CreditListingRecommended.model_validate(event.data)
            await self._recommended(event, recommended)
        elif event.event_type == "DeadlineMissed":
            missed = DeadlineMissed.model_validate(event.data)
            if missed.kind == _PAYMENT_ORDER:
                await self._order_lapsed(event, missed)

    async def _recommended(
        self, event: Envelope, recommended: CreditListingRecommended
    ) -> None:
        listing_id = candidate_id(recommended.case_id)
        status = await self._status(listing_id)
        grounds = _grounds(recommended)
        if status is ListingStatus.NEW:
            command: Command = OpenCandidate(
                subject=_employer(recommended),
                grounds=grounds,
                opened_from=OpenedFrom.CASE_RECOMMENDATION,
                source_event_id=event.id,
                opened_on=recommended.recommended_on,
            )
        elif status in BEFORE_DECISION:
            command = UpdateGrounds(
                grounds=grounds,
                source_event_id=event.id,
                updated_on=recommended.recommended_on,
            )
        else:
            return
        await self._run(command, listing_id, event, today=recommended.recommended_on)

    async def _order_lapsed(self, event: Envelope, missed: DeadlineMissed) -> None:
        case_id = event.subject.removeprefix("case-")
        listing_id = candidate_id(case_id)
        if await self._status(listing_id) not in BEFORE_DECISION:
            return  # no candidate for the case yet: a recommendation will say it
        command = RecordOrderOverdue(
            case_id=case_id, source_event_id=event.id, overdue_on=missed.detected_on
        )
        await self._run(command, listing_id, event, today=missed.detected_on)

    async def _status(self, listing_id: str) -> ListingStatus:
        listing, _ = await load(self.store, LISTING, listing_id)
        return listing.status

    async def _run(
        self, command: Command, listing_id: str, event: Envelope, *, today: date
    ) -> None:
        ctx = CommandContext(
            actor=SYSTEM_ACTOR,
            correlation_id=event.correlationid,
            causation_id=event.id,
            now=datetime.now(UTC),
            today=today,
            command_id=uuid.uuid5(_NAMESPACE, event.id),
        )
        await run(
            CREDIT_COMMANDS,
            command,
            listing_id,
            ctx=ctx,
            store=self.store,
            pool=self.pool,
            context=self.context,
        )


_PAYMENT_ORDER = "payment_order"


def _employer(recommended: CreditListingRecommended) -> EmployerSubject:
    code = recommended.employer_uscc
    # cases may keep a missing or failing code with a reason; credit keeps it too.
    override = (
        None
        if code and uscc_code.is_valid(code)
        else f"as registered in case {recommended.case_id}"
    )
    return EmployerSubject(
        name=recommended.employer_name, uscc=code, uscc_override_reason=override
    )


def _grounds(recommended: CreditListingRecommended) -> Grounds:
    return Grounds(
        case_ids=(recommended.case_id,),
        amount_owed=recommended.amount_still_owed,
        months_owed=recommended.months_owed,
        workers_count=recommended.workers_count,
        is_mass_incident=recommended.is_mass_incident,
        is_order_overdue=recommended.is_order_overdue,
    )
