"""When cases recommends an employer for credit punishment, credit opens a candidate."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
from stdnum.cn import uscc as uscc_code

from services.credit.command_facts import CreditContext
from services.credit.command_table import CREDIT_COMMANDS
from services.credit.domain.candidate import OpenCandidate
from services.credit.domain.grounds import Grounds, OpenedFrom
from services.credit.domain.subjects import EmployerSubject
from services.credit.inbound_events import CreditListingRecommended
from shared.auth import SYSTEM_ACTOR
from shared.command_pipeline import run
from shared.db import DbConnection
from shared.envelope import Envelope
from shared.handling import CommandContext
from shared.store import EventStore

# Command ids derive from the source event, so a redelivered event is a no-op.
_NAMESPACE = uuid.UUID("9a1d7c2e-5b3f-4e8a-b6d0-3c2f1e4a7b95")


def candidate_id(case_id: str) -> str:
    """The listing a case's recommendation opens: one per case, however often sent."""
    return f"c-{case_id}"


class CandidatesFromCases:
    """CreditListingRecommended (cases) → OpenCandidate (credit), once per case."""

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
        """Open the candidate listing for the recommended employer; ignore other events."""
        if event.event_type != "CreditListingRecommended":
            return
        recommended = CreditListingRecommended.model_validate(event.data)
        code = recommended.employer_uscc
        # cases may keep a missing or failing code with a reason; credit keeps it too.
        override = (
            None
            if code and uscc_code.is_valid(code)
            else f"as registered in case {recommended.case_id}"
        )
        command = OpenCandidate(
            subject=EmployerSubject(
                name=recommended.employer_name, uscc=code, uscc_override_reason=override
            ),
            grounds=Grounds(
                case_ids=(recommended.case_id,),
                amount_owed=recommended.amount_still_owed,
                months_owed=recommended.months_owed,
                workers_count=recommended.workers_count,
                is_mass_incident=recommended.is_mass_incident,
                is_order_overdue=recommended.is_order_overdue,
            ),
            opened_from=OpenedFrom.CASE_RECOMMENDATION,
            source_event_id=event.id,
            opened_on=recommended.recommended_on,
        )
        now = datetime.now(UTC)
        ctx = CommandContext(
            actor=SYSTEM_ACTOR,
            correlation_id=event.correlationid,
            causation_id=event.id,
            now=now,
            today=recommended.recommended_on,
            command_id=uuid.uuid5(_NAMESPACE, event.id),
        )
        await run(
            CREDIT_COMMANDS,
            command,
            candidate_id(recommended.case_id),
            ctx=ctx,
            store=self.store,
            pool=self.pool,
            context=self.context,
        )
