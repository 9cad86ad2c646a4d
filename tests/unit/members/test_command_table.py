"""The members command table holds together, and names its steps and routes as the API
always has."""

from __future__ import annotations

from fastapi import FastAPI

from services.members.command_table import MEMBERS_COMMANDS
from services.members.domain import joint_meeting, person, unit
from services.members.domain.unit import UnitStatus
from services.members.routes import commands
from shared.command_check import check_table


def test_the_table_passes_the_start_up_check() -> None:
    check_table(MEMBERS_COMMANDS)


def test_allowed_steps_keep_their_names() -> None:
    verbs = MEMBERS_COMMANDS.verbs
    assert verbs(unit.ALLOWED_AFTER[UnitStatus.NEW]) == ["admit"]
    assert verbs(unit.ALLOWED_AFTER[UnitStatus.ACTIVE]) == [
        "rename",
        "set-duties",
        "withdraw",
    ]
    assert verbs(person.ALLOWED_AFTER[person.PersonStatus.ACTIVE]) == [
        "change-title",
        "move",
        "relieve",
    ]
    # Only the seed roster establishes the joint meeting: no caller can, so none is offered.
    assert verbs(joint_meeting.ALLOWED_AFTER["new"]) == []
    assert verbs(joint_meeting.ALLOWED_AFTER["established"]) == [
        "set-lead-unit",
        "set-office-host",
        "grant-role",
        "end-role",
        "change-role",
    ]


def test_each_routed_command_is_served_at_its_path_under_its_decide_name() -> None:
    app = FastAPI()
    app.include_router(commands)
    served = {
        (path, op["operationId"], next(iter(op["responses"])))
        for path, ops in app.openapi()["paths"].items()
        for op in ops.values()
    }
    assert served == {
        ("/units", "admit_unit", "201"),
        ("/units/{code}/rename", "rename_unit", "200"),
        ("/units/{code}/set-duties", "set_unit_duties", "200"),
        ("/units/{code}/withdraw", "withdraw_unit", "200"),
        ("/people", "appoint_person", "201"),
        ("/people/{person_id}/change-title", "change_title", "200"),
        ("/people/{person_id}/move", "move_person", "200"),
        ("/people/{person_id}/relieve", "relieve_person", "200"),
        ("/joint-meeting/set-lead-unit", "set_lead_unit", "200"),
        ("/joint-meeting/set-office-host", "set_office_host", "200"),
        ("/joint-meeting/grant-role", "grant_role", "200"),
        ("/joint-meeting/end-role", "end_role", "200"),
        ("/joint-meeting/change-role", "change_role", "200"),
    }
