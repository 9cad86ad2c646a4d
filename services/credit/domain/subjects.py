"""Who a listing is for: the employer, or one of its persons, as the office enters
them (clear text, `…Details`) and as the listing keeps them (a person's name and
ID number as personal data). One listing per subject (rules.md §3.1.1, §4.2)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.domain import Personal
from shared.values import Name, ResidentId, Text, Uscc

PersonKey = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
]
"""A lookup key for a person that is not personal data itself, derived by the HTTP
layer; the same person keeps it in every listing, and their personal data is sealed
under it, so forgetting them reaches every listing."""


class SubjectKind(StrEnum):
    """当事人: whom a listing is for. The employer, its legal representative or
    principal person in charge, or another directly responsible person."""

    EMPLOYER = "employer"
    LEGAL_REPRESENTATIVE = "legal_representative"
    RESPONSIBLE_PERSON = "responsible_person"


class EmployerSubject(BaseModel):
    """用人单位: the employer that owes the wages. Some early real codes fail the check
    character, and some employers have none; the office keeps such a code (or none)
    by giving the reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal[SubjectKind.EMPLOYER] = SubjectKind.EMPLOYER
    name: Name
    uscc: Uscc | None = None
    uscc_override_reason: Text | None = None


class PersonDetails(BaseModel):
    """A person as the office enters them, in clear text; the listing keeps the name
    and ID number only as personal data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal[SubjectKind.LEGAL_REPRESENTATIVE, SubjectKind.RESPONSIBLE_PERSON]
    name: Name
    id_number: ResidentId
    # Derived by the service from the ID number (a keyed hash) before the decision.
    person_key: PersonKey | None = None
    role_at_employer: Name


class PersonSubject(BaseModel):
    """A person listed with the employer; every item about them that identifies them
    is personal data sealed under their `person_key`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal[SubjectKind.LEGAL_REPRESENTATIVE, SubjectKind.RESPONSIBLE_PERSON]
    name: Personal
    id_number: Personal
    person_key: PersonKey
    role_at_employer: str

    @classmethod
    def of(cls, details: PersonDetails) -> PersonSubject:
        """The person with their name and ID number as personal data."""
        return cls(
            kind=details.kind,
            name=Personal(subject=details.person_key, value=details.name),
            id_number=Personal(subject=details.person_key, value=details.id_number),
            person_key=details.person_key,
            role_at_employer=details.role_at_employer,
        )


SubjectDetails = Annotated[EmployerSubject | PersonDetails, Field(discriminator="kind")]
"""A subject as the office enters it."""

Subject = Annotated[EmployerSubject | PersonSubject, Field(discriminator="kind")]
"""A subject as the listing keeps it."""
