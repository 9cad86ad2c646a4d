"""Recording a finding: a row of `audit_findings`, an event of audit's own log
(`FindingRaised`, published by the kernel relay on `qingqian.audit.events` as
`qingqian.audit.FindingRaised.v1`) and a metric, in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import structlog
from prometheus_client import Counter

from services.audit.checks import Finding
from services.audit.domain.finding import FindingRaised
from shared.db import DbConnection
from shared.store import EventMetadata, EventStore

log = structlog.get_logger()

FINDINGS = Counter(
    "qingqian_audit_findings_total",
    "What audit found does not hold, per followed service and kind",
    ["service", "kind"],
)
EVENTS_CHECKED = Counter(
    "qingqian_audit_events_checked_total",
    "Events audit received and checked, per followed service",
    ["service"],
)
SEALS_CHECKED = Counter(
    "qingqian_audit_seals_checked_total",
    "Seals audit received and checked, per followed service",
    ["service"],
)


async def record_findings(
    conn: DbConnection, store: EventStore, service: str, findings: Sequence[Finding]
) -> None:
    """Each finding as a row and an event, on `conn` (the batch's transaction: a
    finding is recorded exactly when what showed it is)."""
    for finding in findings:
        finding_id = await conn.fetchval(
            "INSERT INTO audit_findings (service, kind, detail, stream_id, version,"
            " position, sequence, seal_no, key_id)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING finding_id",
            service,
            finding.kind.value,
            finding.detail,
            finding.stream_id,
            finding.version,
            finding.position,
            finding.sequence,
            finding.seal_no,
            finding.key_id,
        )
        event = FindingRaised(
            service=service,
            kind=finding.kind.value,
            detail=finding.detail,
            stream_id=finding.stream_id,
            version=finding.version,
            position=finding.position,
            sequence=finding.sequence,
            seal_no=finding.seal_no,
            key_id=finding.key_id,
        )
        # Audit acts on its own: no person, and each finding its own correlation.
        metadata = EventMetadata(
            actor="audit", actor_unit="system", correlation_id=str(uuid.uuid4())
        )
        await store.append(
            f"finding-{finding_id}",
            [event],
            expected_version=0,
            metadata=metadata,
            conn=conn,
        )
        FINDINGS.labels(service=service, kind=finding.kind.value).inc()
        log.warning(
            "audit_finding", followed=service, kind=finding.kind.value, id=finding_id
        )
