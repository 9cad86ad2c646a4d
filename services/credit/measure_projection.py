"""credit's read model of the construction bureau's measures (`construction_measures`),
rebuilt from each measure's stream with the domain's evolve."""

from __future__ import annotations

from services.credit.domain.construction_measures import MEASURE
from shared.db import DbConnection
from shared.envelope import Envelope
from shared.handling import decode_all
from shared.store import EventStore

CONSTRUCTION_MEASURES = "construction_measures"


class ConstructionMeasures:
    """Feeds `construction_measures`: one row per measure, as it stands."""

    name = CONSTRUCTION_MEASURES
    # Every effect goes through the runner's connection (see `Projection`).
    is_transactional = True
    tables = (CONSTRUCTION_MEASURES,)

    def __init__(self, store: EventStore, topic: str) -> None:
        self.store = store
        self.topics = (topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Rewrite the measure's row from its state at this event."""
        if not event.subject.startswith(f"{MEASURE.category}-"):
            return
        records = [
            r
            for r in await self.store.load(event.subject)
            if r.version <= event.streamversion
        ]
        measure = MEASURE.replay(decode_all(MEASURE, records))
        if measure.kind is None or measure.taken_on is None:
            return
        await conn.execute(
            "INSERT INTO construction_measures (measure_id, kind, status, unit_code,"
            " listing_id, case_id, taken_on, reference, lifted_on, version)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            " ON CONFLICT (measure_id) DO UPDATE SET status = excluded.status,"
            " lifted_on = excluded.lifted_on, version = excluded.version"
            " WHERE construction_measures.version < excluded.version",
            MEASURE.entity_id(event.subject),
            measure.kind.value,
            measure.status.value,
            measure.unit_code,
            measure.listing_id,
            measure.case_id,
            measure.taken_on,
            measure.reference,
            measure.lifted_on,
            event.streamversion,
        )
