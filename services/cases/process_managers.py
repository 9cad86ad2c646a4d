"""When a joint inspection (meetings) finds wage arrears, cases receives the finding as a
case, source `inspection_finding` — once per finding, however often the event arrives."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg

from services.cases.command_table import COMMANDS
from services.cases.domain.intake import ReceiveCase
from services.cases.domain.particulars import CaseSource, Employer, Project, Sector
from services.cases.inbound_events import InspectionFindingRaised
from services.cases.rules import CaseRules
from shared.auth import SYSTEM_ACTOR
from shared.command_pipeline import run
from shared.db import DbConnection
from shared.envelope import Envelope
from shared.handling import CommandContext
from shared.store import EventStore

# The command id derives from the finding itself (meeting and finding id), so neither a
# redelivered event nor a replay of meetings' topic can open a second case.
_NAMESPACE = uuid.UUID("0b6f4c1e-8d2a-4f7b-9e35-2a1c7d9e4f60")


def finding_reference(meeting_stream: str, finding_id: str) -> str:
    """`meeting-2024-003/f1`: the case's `source_reference`."""
    return f"{meeting_stream}/{finding_id}"


class CasesFromInspectionFindings:
    """InspectionFindingRaised (meetings) → ReceiveCase (cases), once per finding."""

    name = "cases_from_inspection_findings"
    tables: tuple[str, ...] = ()

    def __init__(
        self,
        store: EventStore,
        pool: asyncpg.Pool,
        rules: CaseRules,
        *,
        meetings_topic: str,
    ) -> None:
        self.store = store
        self.pool = pool
        self.rules = rules
        self.topics = (meetings_topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Receive the finding as a case; ignore meetings' other events."""
        if event.event_type != "InspectionFindingRaised":
            return
        finding = InspectionFindingRaised.model_validate(event.data)
        arrears = finding.arrears
        reference = finding_reference(event.subject, finding.finding_id)
        command = ReceiveCase(
            source=CaseSource.INSPECTION_FINDING,
            sector=Sector(arrears.sector),
            employer=Employer(
                name=arrears.employer_name,
                uscc=arrears.employer_uscc,
                uscc_override_reason=arrears.uscc_override_reason,
            ),
            project=None
            if arrears.project_name is None
            else Project(name=arrears.project_name),
            workers_count=arrears.workers_count,
            months_owed=arrears.months_owed,
            amount_owed=arrears.amount_owed,
            territorial_unit=arrears.territorial_unit,
            summary=_summary(finding),
            is_mass_incident=arrears.is_mass_incident,
            received_on=finding.found_on,
            source_reference=reference,
        )
        ctx = CommandContext(
            actor=SYSTEM_ACTOR,
            correlation_id=event.correlationid,
            causation_id=event.id,
            now=datetime.now(UTC),
            today=finding.found_on,
            command_id=uuid.uuid5(_NAMESPACE, reference),
        )
        await run(
            COMMANDS,
            command,
            None,
            ctx=ctx,
            store=self.store,
            pool=self.pool,
            context=self.rules,
        )


def _summary(finding: InspectionFindingRaised) -> str:
    lead = (
        f" (the inspection suggests {finding.suggested_lead_unit} lead)"
        if finding.suggested_lead_unit
        else ""
    )
    return f"联合督查发现 / inspection finding {finding.finding_id}: {finding.description}{lead}"
