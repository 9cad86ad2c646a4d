"""The fuzzing gate: schemathesis over each service's own OpenAPI, with an office
token, served in this process on a fresh database. Every operation gets the examples,
coverage and fuzzing phases; any 5xx fails the gate (issue 12: every bad input is a
4xx), and so does an answer its operation does not document: its status (a body
FastAPI cannot parse is its own 400), content type (problem+json) or schema.

The CLI runs as a child process: its requests are blocking, and the service answers
from this test's event loop, so calling it from this process would stall both."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from services.cases.app import create_app as create_cases
from services.cases.settings import CasesSettings
from services.credit.app import create_app as create_credit
from services.credit.settings import CreditSettings
from services.meetings.app import create_app as create_meetings
from services.meetings.settings import MeetingsSettings
from services.members.app import create_app as create_members
from services.members.settings import MembersSettings
from shared.domain import Role
from shared.settings import ServiceSettings
from tests.service_server import LocalServers, new_token_maker, serving

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

TOKENS = new_token_maker()
DISTRICT_FILE = Path("deploy/district.toml").resolve()
SCHEMATHESIS = Path(sys.executable).with_name("st")

# A fixed seed and few examples per operation: the same cases on every CI run, and
# the four services within about two minutes on two cores.
SEED = 20261206
MAX_EXAMPLES = 25

SERVICES: dict[str, tuple[type[ServiceSettings], Callable[[Any], FastAPI]]] = {
    "members": (MembersSettings, create_members),
    "cases": (CasesSettings, create_cases),
    "meetings": (MeetingsSettings, create_meetings),
    "credit": (CreditSettings, create_credit),
}


@pytest.mark.timeout(240)
@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_no_operation_answers_5xx_or_off_schema(
    service: str,
    pg_server_url: str,
    template_database: str,
    kafka_bootstrap: str,
    tmp_path: Path,
) -> None:
    settings_type, create_app = SERVICES[service]
    servers = LocalServers(
        pg_server_url, template_database, kafka_bootstrap, TOKENS, DISTRICT_FILE
    )
    settings = await servers.settings(settings_type, deadline_watch_seconds=3600)
    (authorization,) = TOKENS.headers(Role.OFFICE).items()
    async with serving(create_app(settings)) as client:
        process = await asyncio.create_subprocess_exec(
            str(SCHEMATHESIS),
            "run",
            f"{client.base_url}/openapi.json",
            "--phases=examples,coverage,fuzzing",
            "--checks=not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
            f"--header={authorization[0]}: {authorization[1]}",
            f"--max-examples={MAX_EXAMPLES}",
            f"--seed={SEED}",
            "--workers=1",
            "--request-timeout=15",
            # A slow answer on a shared CI machine is not a finding.
            "--suppress-health-check=all",
            # Nothing written into the working tree: no example database, no report.
            "--generation-database=none",
            "--no-color",
            "--output-truncate=false",
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
    report = output.decode(errors="replace")
    assert process.returncode == 0, report
    assert "No issues found" in report or "passed" in report, report
