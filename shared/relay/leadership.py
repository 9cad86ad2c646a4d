"""Leading the relay: one per service database, for the sequencer and the sealer must be
the only writers of the published order and its seals. The lead is a session's advisory
lock; the leader writes the order on that very session, so a lost session (a database
restart, a killed backend) stops it writing there and then."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import asyncpg

from shared.db import DbConnection
from shared.loops import LoopState, LoopStatus

_LEADER_LOCK = 7_346_002


class NotLeading(RuntimeError):
    """What the relay published was moved on by another relay: it no longer leads."""


async def take_lead(
    leader: DbConnection, status: LoopStatus, *, is_stopping: Callable[[], bool]
) -> bool:
    """Take the leader lock on `leader`, standing by while another process holds it;
    False when stopped first."""
    while not await leader.fetchval("SELECT pg_try_advisory_lock($1)", _LEADER_LOCK):
        if is_stopping():
            return False
        status.set(LoopState.STANDBY)
        await asyncio.sleep(1.0)
    return True


async def resign(leader: DbConnection) -> None:
    """Give up the lead: unlock, or end the session that holds the lock."""
    try:
        await leader.execute("SELECT pg_advisory_unlock($1)", _LEADER_LOCK, timeout=5.0)
    except asyncio.CancelledError:
        _end(leader)
        raise
    except Exception:  # whatever failed, the session must end: it holds the lock
        _end(leader)


def check_moved(status: str) -> None:
    """Raise `NotLeading` unless the conditional update of the relay's state (from
    where this relay read it) changed its row."""
    if status != "UPDATE 1":
        raise NotLeading("the relay state moved on under this relay")


def _end(leader: DbConnection) -> None:
    # A lost connection is handed back to the pool by asyncpg itself, and then refuses
    # every call: its session, and the lock with it, is gone already.
    with contextlib.suppress(asyncpg.InterfaceError):
        leader.terminate()
