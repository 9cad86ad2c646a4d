"""What `qingqian up` gives its services to catch up from each other over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qingqian_local.supervisor.catch_up import catch_up_sources
from qingqian_local.supervisor.ports import replicas_of
from qingqian_local.supervisor.token_files import stack_token_files
from shared.auth import Scope, TokenVerifier, public_key_pem, token_keys
from shared.chain import new_private_key_pem
from shared.domain import Role
from shared.settings import ServiceSettings


def test_a_service_is_given_every_other_services_events_topic_at_its_first_replica(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    replicas = replicas_of(
        {"members": 8001, "cases": 8002, "meetings": 8003}, {"members": 2}
    )
    sources = json.loads(catch_up_sources("cases", replicas))
    assert sources == {
        "qingqian.members.events": "http://127.0.0.1:8001",
        "qingqian.meetings.events": "http://127.0.0.1:8003",
    }
    # As the service reads it from its environment.
    monkeypatch.setenv("CATCH_UP_SOURCES", catch_up_sources("cases", replicas))
    assert ServiceSettings().catch_up_sources == sources


def test_the_token_file_holds_an_events_reader_token_and_is_written_again_when_due(
    tmp_path: Path,
) -> None:
    private = new_private_key_pem()
    token = stack_token_files(tmp_path, private)["CATCH_UP_TOKEN_FILE"]
    token.refresh_if_due()
    first = token.path.read_text(encoding="utf-8")
    assert token.path.stat().st_mode & 0o777 == 0o600
    verifier = TokenVerifier(
        token_keys(public_key_pem(private)), audience=ServiceSettings().audience
    )
    actor = verifier.actor(f"Bearer {first.strip()}")
    assert actor.may_read(Scope.EVENTS_READ)
    assert not actor.roles
    # Each write replaces the file (a new one, never half written in place).
    written = token.path.stat().st_ino
    token.refresh_if_due()  # not due: the same file stays
    assert token.path.stat().st_ino == written
    assert token.written_at is not None
    token.written_at -= 3601.0  # an hour later
    token.refresh_if_due()
    assert token.path.stat().st_ino != written
    assert list(tmp_path.iterdir()) == [token.path]


def test_audit_reads_the_services_projections_with_an_auditor_token(
    tmp_path: Path,
) -> None:
    private = new_private_key_pem()
    token = stack_token_files(tmp_path, private)["RECONCILE_TOKEN_FILE"]
    token.refresh_if_due()
    assert token.path == tmp_path / "reconcile.token"
    assert token.path.stat().st_mode & 0o777 == 0o600
    verifier = TokenVerifier(
        token_keys(public_key_pem(private)), audience=ServiceSettings().audience
    )
    actor = verifier.actor(f"Bearer {token.path.read_text(encoding='utf-8').strip()}")
    # Read-only: the auditor role, nothing an office or a service account holds.
    assert actor.roles == {Role.AUDITOR}
    assert not actor.is_service_account
