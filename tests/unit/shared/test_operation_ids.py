"""Every operation of every service has a clean, unique operation id — its function's
name — so a client generated from the OpenAPI gets readable method names."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from services.audit.app import create_app as audit_app
from services.audit.settings import AuditSettings
from services.cases.app import create_app as cases_app
from services.cases.settings import CasesSettings
from services.credit.app import create_app as credit_app
from services.credit.settings import CreditSettings
from services.meetings.app import create_app as meetings_app
from services.meetings.settings import MeetingsSettings
from services.members.app import create_app as members_app
from services.members.settings import MembersSettings
from shared.chain import new_private_key_pem
from shared.key_wrapping import Kek

DISTRICT_FILE = Path(__file__).parents[3] / "deploy" / "district.toml"
_KEYS: dict[str, Any] = {
    "database_url": "postgresql://unused/unused",
    "kafka_bootstrap": "unused:9092",
    "jwt_public_key": SecretStr("unused"),
    "seal_private_key": SecretStr(new_private_key_pem()),
    "personal_data_kek": SecretStr(Kek.generate().to_base64()),
    "district_file": DISTRICT_FILE,
}

APPS = {
    "members": lambda: members_app(MembersSettings(**_KEYS)),
    "cases": lambda: cases_app(CasesSettings(**_KEYS)),
    "meetings": lambda: meetings_app(MeetingsSettings(**_KEYS)),
    "credit": lambda: credit_app(CreditSettings(**_KEYS)),
    "audit": lambda: audit_app(AuditSettings(**_KEYS)),
}
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def _operation_ids(app: FastAPI) -> list[str]:
    with warnings.catch_warnings():
        # FastAPI warns of a duplicate id; the assertion below names it instead.
        warnings.simplefilter("ignore")
        paths = app.openapi()["paths"]
    return [op["operationId"] for ops in paths.values() for op in ops.values()]


@pytest.mark.parametrize("service", sorted(APPS))
def test_operation_ids_are_function_names_and_unique(service: str) -> None:
    ids = _operation_ids(APPS[service]())

    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert [i for i in ids if not _SNAKE.match(i)] == []
    assert not [i for i in ids if i.endswith(("_get", "_post"))]


def test_every_inbox_has_an_operation_id_of_its_own_across_services() -> None:
    # The console merges the services' inboxes: a client generated from the three
    # OpenAPI documents gets one method per service's inbox, never two alike.
    inboxes = {
        service: [
            op["operationId"]
            for ops in [APPS[service]().openapi()["paths"].get("/inbox", {})]
            for op in ops.values()
        ]
        for service in sorted(APPS)
    }

    assert inboxes == {
        "audit": [],
        "cases": ["cases_inbox"],
        "credit": ["credit_inbox"],
        "meetings": ["meetings_inbox"],
        "members": [],
    }
