"""When a person is relieved, their roles in the joint meeting end the same day."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg

from services.members.command_table import MEMBERS_COMMANDS, MembersContext
from services.members.domain.joint_meeting import EndRolesOfRelievedPerson
from services.members.domain.person import PERSON, PersonRelieved
from shared.auth import SYSTEM_ACTOR
from shared.command_pipeline import run
from shared.db import DbConnection
from shared.envelope import Envelope
from shared.handling import CommandContext
from shared.store import EventStore

# Command ids derive from the source event, so a redelivered event is a no-op.
_NAMESPACE = uuid.UUID("0f6c9a3e-6e0a-4d3c-8a57-2b1d5a7c9e41")


class EndRolesWhenRelieved:
    """PersonRelieved → EndRolesOfRelievedPerson on the joint meeting's stream."""

    name = "end_roles_when_relieved"
    tables: tuple[str, ...] = ()

    def __init__(
        self,
        store: EventStore,
        pool: asyncpg.Pool,
        *,
        topic: str,
        joint_meeting_id: str,
    ) -> None:
        self.store = store
        self.pool = pool
        self.topics = (topic,)
        self.context = MembersContext(joint_meeting_id=joint_meeting_id)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Run the command for a PersonRelieved event; ignore every other event."""
        if (
            not event.subject.startswith(f"{PERSON.category}-")
            or event.event_type != PersonRelieved.event_type()
        ):
            return
        relieved = PERSON.decode(event.event_type, event.schema_version, event.data)
        assert isinstance(relieved, PersonRelieved)  # noqa: S101 - type checked above
        now = datetime.now(UTC)
        ctx = CommandContext(
            actor=SYSTEM_ACTOR,
            correlation_id=event.correlationid,
            causation_id=event.id,
            now=now,
            today=relieved.effective_on,
            command_id=uuid.uuid5(_NAMESPACE, event.id),
        )
        command = EndRolesOfRelievedPerson(
            person_id=PERSON.entity_id(event.subject),
            effective_on=relieved.effective_on,
        )
        await run(
            MEMBERS_COMMANDS,
            command,
            None,
            ctx=ctx,
            store=self.store,
            pool=self.pool,
            context=self.context,
        )
