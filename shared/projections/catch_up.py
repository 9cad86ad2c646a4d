"""Catching up over HTTP: a projection that must see everything from the start never
depends on the broker's retention. When the broker does not hold the beginning of a
topic, the projection reads the producer's `GET /events` (the published order) and
applies it through the same batches as the topic; then it goes on from the topic,
where dedupe skips what it already applied."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import asyncpg
import httpx
import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from pydantic import BaseModel, ValidationError

from shared.envelope import Envelope
from shared.log_json import NDJSON
from shared.projections import positions
from shared.projections.batches import BatchApplier
from shared.projections.placement import within

log = structlog.get_logger()

# The row of `projection_offsets` that holds, per topic, the next sequence of the
# producer's published order to read over HTTP: written in each batch's transaction, so
# a catch-up that stopped half-way goes on from there, and emptied with the read model
# by a rebuild. Parked events read over HTTP carry this partition and their sequence.
HTTP_PARTITION = -1


class CatchUpFailed(Exception):
    """The producer could not be read (away, refused the token, answered nonsense):
    the runner retries with its backoff, never going on with part of the log."""


class EventsHead(BaseModel):
    """`GET /events/head`: the last sequence of the published order (0: none yet)."""

    sequence: int


class CatchUp:
    """Reads the producers of a projection's topics over HTTP when the broker does not
    hold a topic's beginning. `sources` maps a topic to its producer's base URL; the
    bearer token (a service account with `events:read`) is read from `token_file` at
    each request, so it may be replaced at any time."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        applier: BatchApplier,
        *,
        sources: Mapping[str, str],
        token_file: Path | None,
        broker_timeout: float = 12.0,
        page: int = 10_000,
        http_timeout: float = 10.0,
    ) -> None:
        self.pool = pool
        self.applier = applier
        topics = applier.projection.topics
        self.sources = {t: url for t, url in sources.items() if t in topics}
        self.token_file = token_file
        self.broker_timeout = broker_timeout
        self.page = page
        self.http_timeout = http_timeout

    @property
    def name(self) -> str:
        """The projection's name."""
        return self.applier.name

    async def if_due(
        self, consumer: AIOKafkaConsumer, partitions: set[TopicPartition]
    ) -> None:
        """Catch up each topic with a source whose beginning the broker does not hold."""
        for topic, url in self.sources.items():
            parts = sorted(tp for tp in partitions if tp.topic == topic)
            async with self._client(url) as client:
                if await self._is_due(consumer, client, parts):
                    await self._catch_up(client, topic)

    def _client(self, url: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=url, timeout=self.http_timeout)

    async def _is_due(
        self,
        consumer: AIOKafkaConsumer,
        client: httpx.AsyncClient,
        parts: Sequence[TopicPartition],
    ) -> bool:
        """Whether the projection has not applied everything before a partition's first
        held message: a beginning past 0 that it did not read, or (a broker that never
        deletes, whose offset 0 need not be the first event) fewer messages held than
        the producer published. Relay lag makes the latter true for nothing more than
        a redundant read."""
        stored = await positions.stored_offsets(self.pool, self.name)
        held = 0
        if parts:
            begins = await within(
                consumer.beginning_offsets(parts), self.broker_timeout
            )
            for tp, begin in begins.items():
                saved = stored.get(tp)
                if begin > 0 and (saved is None or saved.next_offset < begin):
                    return True
            if all(tp in stored for tp in parts):
                # It read every partition from a beginning it held (after a catch-up
                # if one was due then): nothing before it is missing.
                return False
            ends = await within(consumer.end_offsets(parts), self.broker_timeout)
            held = sum(ends[tp] - begins[tp] for tp in parts)
        answer = await self._get(client, "/events/head")
        try:
            head = EventsHead.model_validate_json(answer.content).sequence
        except ValidationError as exc:
            raise CatchUpFailed(f"{client.base_url}: not an events head") from exc
        return held < head

    async def _catch_up(self, client: httpx.AsyncClient, topic: str) -> None:
        after = await self._progress(topic)
        log.info(
            "projection_catching_up",
            projection=self.name,
            topic=topic,
            after_sequence=after,
        )
        count = 0
        while True:
            records = await self._page(client, topic, after)
            if not records:
                break
            await self.applier.apply(TopicPartition(topic, HTTP_PARTITION), records, "")
            after, count = records[-1].offset, count + len(records)
            if len(records) < self.page:
                break
        log.info(
            "projection_caught_up_from_http",
            projection=self.name,
            topic=topic,
            events=count,
            sequence=after,
        )

    async def _progress(self, topic: str) -> int:
        """The last sequence applied over HTTP (0: none)."""
        next_offset = await self.pool.fetchval(
            "SELECT next_offset FROM projection_offsets"
            " WHERE projection = $1 AND topic = $2 AND partition = $3",
            self.name,
            topic,
            HTTP_PARTITION,
        )
        return 0 if next_offset is None else int(next_offset) - 1

    async def _page(
        self, client: httpx.AsyncClient, topic: str, after: int
    ) -> list[ConsumerRecord[bytes, bytes]]:
        """Up to a page of events after `after`, each as a record at its sequence."""
        answer = await self._get(
            client,
            "/events",
            params={"after_sequence": after, "limit": self.page},
            accept=NDJSON,
        )
        records: list[ConsumerRecord[bytes, bytes]] = []
        for line in answer.content.splitlines():
            if not line.strip():
                continue
            # The published order has no gaps: a line that is no envelope (parked by
            # the applier) still stands at the sequence after the one before it.
            sequence = _sequence_of(line) or after + 1
            records.append(_record(topic, sequence, line))
            after = sequence
        return records

    async def _get(
        self,
        client: httpx.AsyncClient,
        path: str,
        *,
        params: dict[str, int] | None = None,
        accept: str = "application/json",
    ) -> httpx.Response:
        try:
            headers = {"Accept": accept, **self._authorization()}
            answer = await client.get(path, params=params, headers=headers)
        except (httpx.HTTPError, OSError) as exc:
            raise CatchUpFailed(
                f"{client.base_url}{path}: {type(exc).__name__}: {exc}"
            ) from exc
        if answer.status_code != 200:
            raise CatchUpFailed(
                f"{client.base_url}{path} answered {answer.status_code}"
            )
        return answer

    def _authorization(self) -> dict[str, str]:
        # Read at each request: the file is replaced before its token expires.
        if self.token_file is None:
            return {}
        token = self.token_file.read_text(encoding="utf-8").strip()
        return {"Authorization": f"Bearer {token}"}


def _sequence_of(line: bytes) -> int | None:
    try:
        return Envelope.model_validate_json(line).sequence
    except ValidationError:
        return None


def _record(topic: str, sequence: int, line: bytes) -> ConsumerRecord[bytes, bytes]:
    """An event read over HTTP in the shape the applier takes from the broker."""
    return ConsumerRecord(
        topic=topic,
        partition=HTTP_PARTITION,
        offset=sequence,
        timestamp=0,
        timestamp_type=0,
        key=None,
        value=line,
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=len(line),
        headers=[],
    )
