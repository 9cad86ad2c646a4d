"""What writer tags cost (docs/log-format.md "Writer tags"): µs to tag one event with
Ed25519 (third parties check it with the published key) and with HMAC-SHA256 (only
holders of the secret can check), µs to check one, and both as the store writes them
and the relay checks them; and, as `python -m bench.tags`, the relay's rate over a
fresh log alone — the sequencer checks every tag before it numbers an event."""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import kernel
from bench.pipeline import measure_pipeline
from qingqian_local.embedded import EmbeddedPostgres, Tansu, ensure_database, free_port
from shared.chain import Ed25519Signer, sha256_hex, tag_message
from shared.db import create_pool, migrate
from shared.log import configure_logging
from shared.store import EventStore
from shared.store.tags import TagChecker, WriterTags
from shared.trust import Jwks


def _micros_each(work: Callable[[str], object], hashes: list[str]) -> float:
    started = time.perf_counter()
    for digest in hashes:
        work(digest)
    return (time.perf_counter() - started) / len(hashes) * 1e6


def measure_tags(count: int) -> dict[str, float]:
    """µs per event to make and to check a tag, Ed25519 and HMAC-SHA256, over `count`
    event hashes (a one-event append makes one tag)."""
    hashes = [sha256_hex(os.urandom(32)) for _ in range(count)]
    signer = Ed25519Signer.generate()
    secret = secrets.token_bytes(32)
    now = datetime.now(UTC)
    signed = {h: signer.sign(tag_message(h)) for h in hashes}
    checker = TagChecker(Jwks.of_signers(signer))

    def hmac_tag(digest: str) -> str:
        mac = hmac.new(secret, tag_message(digest), hashlib.sha256).digest()
        return base64.b64encode(mac).decode()

    macs = {h: hmac_tag(h) for h in hashes}
    writer = WriterTags(signer)
    written = {h: writer.tag(h) for h in hashes}
    relay = writer.checker(Jwks.of_signers(signer))
    return {
        "tag µs per event, Ed25519 sign": _micros_each(
            lambda h: signer.sign(tag_message(h)), hashes
        ),
        "tag µs per event, HMAC-SHA256": _micros_each(hmac_tag, hashes),
        "tag check µs per event, Ed25519 verify": _micros_each(
            lambda h: checker.problem(
                event_hash=h, tag=signed[h], kid=signer.key_id, recorded_at=now
            ),
            hashes,
        ),
        "tag check µs per event, HMAC-SHA256": _micros_each(
            lambda h: hmac.compare_digest(hmac_tag(h), macs[h]), hashes
        ),
        "tag µs per event, as the store writes (signature and MAC)": _micros_each(
            writer.tag, hashes
        ),
        "tag check µs per event, as the relay checks (MAC)": _micros_each(
            lambda h: relay.problem(
                event_hash=h,
                tag=written[h][0],
                kid=signer.key_id,
                recorded_at=now,
                mac=written[h][1],
            ),
            hashes,
        ),
    }


async def _relay_alone(folder: Path, events: int) -> dict[str, float]:
    server = EmbeddedPostgres(folder / "pgdata", is_temporary=True)
    broker = Tansu(free_port()).start()
    try:
        url = await ensure_database(server.url, "bench")
        pool = await create_pool(url, min_size=8, max_size=16)
        try:
            await migrate(pool)
            await kernel.fill_ledgers(
                EventStore(pool), streams=events // 100, events=100
            )
            return await measure_pipeline(server.url, pool, broker.bootstrap)
        finally:
            await pool.close()
    finally:
        broker.stop()
        server.stop()


def main() -> None:
    """Print the tag costs and the relay's rate over a fresh log."""
    parser = argparse.ArgumentParser(prog="python -m bench.tags", description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    configure_logging("warning")
    figures = measure_tags(20_000)
    with tempfile.TemporaryDirectory(prefix="qq-bench-") as folder:
        figures |= asyncio.run(_relay_alone(Path(folder), args.events))
    for name, value in figures.items():
        print(f"{name:55} {value:12.1f}")


if __name__ == "__main__":
    main()
