"""A worker forgotten (office only, with a reason): the row and the hook that
deletes their key once the log holds the event."""

from __future__ import annotations

from typing import Any

from services.cases.command_table.resources import CASES, NOT_FOUND
from services.cases.domain import personal_data
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.command_table import Row, Scope
from shared.store import Appended


async def _forget_key(scope: Scope[Any, Any], appended: Appended) -> None:
    # Once the log says so, the worker's key goes: every copy of their personal data
    # becomes unreadable, and the hash chain still verifies.
    command: personal_data.ForgetWorker = scope.command
    assert scope.store.vault is not None  # noqa: S101 - every service store has a vault
    await scope.store.vault.forget(command.subject, command.reason)


ROWS: tuple[Row[Any, CaseRules], ...] = (
    Row(
        personal_data.ForgetWorker,
        CASE,
        personal_data.forget_worker,
        "Forget a worker (office only, with a reason).",
        route=CASES.step("forget-worker"),
        not_found=NOT_FOUND,
        then=_forget_key,
        description="Forget a worker (office only, with a reason): their key is "
        "deleted, so no API, read model, Kafka message or export shows their data "
        "again; the log still verifies.",
    ),
)
