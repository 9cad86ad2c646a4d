"""The kernel's role check: organisational roles come from the token; a command open
to a joint-meeting role lets a person on to its decide function, which checks the
roster; a service account runs no command."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import ClassVar

import pytest

from shared.auth import Actor, Scope, service_account
from shared.domain import Command, Role
from shared.errors import NotPermitted
from shared.handling import CommandContext, check_permitted


class ApproveSomething(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.CONVENER})


class RecordSomething(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})


def context(actor: Actor) -> CommandContext:
    return CommandContext(
        actor=actor,
        correlation_id=str(uuid.uuid4()),
        now=datetime.now(UTC),
        today=date(2024, 4, 1),
    )


PERSON = Actor(person="2017-01", unit="qzf", roles=frozenset())
OFFICE = Actor(person="office", unit="rsj", roles=frozenset({Role.OFFICE}))
ARCHIVE = service_account("archive", frozenset(Scope))


def test_a_person_without_roles_reaches_a_roster_command() -> None:
    check_permitted(ApproveSomething(), context(PERSON))


def test_an_organisational_role_comes_from_the_token() -> None:
    check_permitted(RecordSomething(), context(OFFICE))

    with pytest.raises(NotPermitted) as refused:
        check_permitted(RecordSomething(), context(PERSON))

    assert "office" in refused.value.detail


@pytest.mark.parametrize("command", [ApproveSomething(), RecordSomething()])
def test_a_service_account_runs_no_command(command: Command) -> None:
    with pytest.raises(NotPermitted):
        check_permitted(command, context(ARCHIVE))
