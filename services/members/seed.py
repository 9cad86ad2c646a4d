"""The founding notice's roster (东区政〔2017〕104号, 2017-08-02) as the commands that load it.

The roster lives in `seed_roster_2017.json`, taken from the notice as it is, with its
inconsistencies kept as data rather than smoothed over:

- 区安监局 (`ajj`) and 区总工会 (`zgh`) have duties in §3 and members in the attachment,
  but §1 does not list them among the member units;
- 区财政局 (`czj`), 区国土资源局 (`gtj`) and 区食品药品和市场监督管理局 (`scjgj`) are
  member units with no duties in §3;
- the attachment names no member for 区信访局 (`xfj`) or 区国土资源局 (`gtj`), and two
  for 区人社局 (`rsj`: the director and a deputy director);
- 区人民政府 (`qzf`) and 区政府办公室 (`zfb`) are here only as the units of the convener
  and of a deputy convener; the notice gives them no duties.

The plan is loaded through the ordinary commands so the roster is in the log like
everything else. Loading it twice changes nothing: each step's command id is a uuid5 of
its natural key, so the kernel returns the first result; and the decide functions
return no events for an identical admission, establishment, appointment or grant.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Final

from pydantic import BaseModel, ConfigDict

from services.members.domain.joint_meeting import (
    JOINT_MEETING,
    EstablishJointMeeting,
    GrantRole,
    MeetingRole,
)
from services.members.domain.person import PERSON, AppointPerson
from services.members.domain.unit import UNIT, AdmitUnit, UnitKind
from shared.domain import Aggregate, Command

ROSTER_FILE: Final = "seed_roster_2017.json"

# Fixed forever: changing it would give every seed step a new command id.
SEED_NAMESPACE: Final = uuid.uuid5(
    uuid.NAMESPACE_URL, "urn:qingqian:members:seed-roster-2017"
)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RosterUnit(_Strict):
    code: str
    name_zh: str
    name_en: str
    kind: UnitKind
    duties: tuple[str, ...]


class RosterPerson(_Strict):
    id: str
    name: str
    unit_code: str
    title: str
    roles: tuple[MeetingRole, ...]


class RosterMeeting(_Strict):
    id: str
    name: str
    lead_unit: str
    office_unit: str


class Roster(_Strict):
    """The notice's roster file: the units, the joint meeting and its 26 people."""

    source: str
    effective_on: date
    joint_meeting: RosterMeeting
    units: tuple[RosterUnit, ...]
    people: tuple[RosterPerson, ...]


@dataclass(frozen=True)
class SeedStep:
    """One command for one stream, under a command id fixed by the step's natural key."""

    aggregate: Aggregate[Any, Any]
    entity_id: str
    command: Command
    command_id: uuid.UUID


def load_roster() -> Roster:
    """The roster as the data file holds it, validated."""
    text = (
        resources.files("services.members")
        .joinpath(ROSTER_FILE)
        .read_text(encoding="utf-8")
    )
    return Roster.model_validate_json(text)


def seed_plan() -> tuple[SeedStep, ...]:
    """The same steps, with the same command ids, on every call: admit the units,
    establish the joint meeting, appoint the people, grant their roles."""
    roster = load_roster()
    return (
        *(_admit(unit, roster.effective_on) for unit in roster.units),
        _establish(roster.joint_meeting, roster.effective_on),
        *(_appoint(person, roster.effective_on) for person in roster.people),
        *(
            _grant(roster.joint_meeting.id, person, role, roster.effective_on)
            for person in roster.people
            for role in person.roles
        ),
    )


def _admit(unit: RosterUnit, effective_on: date) -> SeedStep:
    command = AdmitUnit(
        code=unit.code,
        name_zh=unit.name_zh,
        name_en=unit.name_en,
        kind=unit.kind,
        duties=unit.duties,
        effective_on=effective_on,
    )
    return _step(UNIT, unit.code, command, key="admit")


def _establish(meeting: RosterMeeting, effective_on: date) -> SeedStep:
    command = EstablishJointMeeting(
        name=meeting.name,
        lead_unit=meeting.lead_unit,
        office_unit=meeting.office_unit,
        effective_on=effective_on,
    )
    return _step(JOINT_MEETING, meeting.id, command, key="establish")


def _appoint(person: RosterPerson, effective_on: date) -> SeedStep:
    command = AppointPerson(
        person_id=person.id,
        name=person.name,
        unit_code=person.unit_code,
        title=person.title,
        effective_on=effective_on,
    )
    return _step(PERSON, person.id, command, key="appoint")


def _grant(
    meeting_id: str, person: RosterPerson, role: MeetingRole, effective_on: date
) -> SeedStep:
    command = GrantRole(person_id=person.id, role=role, effective_on=effective_on)
    return _step(JOINT_MEETING, meeting_id, command, key=f"grant/{person.id}/{role}")


def _step(
    aggregate: Aggregate[Any, Any], entity_id: str, command: Command, *, key: str
) -> SeedStep:
    natural_key = f"{aggregate.stream_id(entity_id)}/{key}"
    return SeedStep(
        aggregate=aggregate,
        entity_id=entity_id,
        command=command,
        command_id=uuid.uuid5(SEED_NAMESPACE, natural_key),
    )
