"""What a case is about: where it came from, the employer, the project, the workers and
the money (DESIGN.md §4 "cases", rules.md §4.1 "Record for each case")."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.amounts import Share
from shared.domain import Personal
from shared.values import Name, ResidentId, Text, Uscc

Rate = Share
"""A share of an amount, such as 0.5 for 50 %."""

SourceReference = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9/-]{0,127}$")
]
"""What another service raised a case from, such as an inspection finding
(`meeting-2024-003/f1`)."""

Subject = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
]
"""Whose personal data it is: the key the store seals it under (a UUID, say); the same
person keeps the same subject in every case, so forgetting them reaches every case."""

Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 -]{4,19}$")
]
"""A phone number: digits, optionally a leading + and spaces or hyphens."""


class CaseSource(StrEnum):
    """How a case reached the inspection: 投诉 a worker's complaint, 举报 a report by
    anyone, 线索 a clue from the national platform, 信访移交 a petition handed over by
    the petitions bureau, 工会报告 a complaint the trade union hands over, a
    joint-inspection finding, 巡查 routine patrol, or a referral by another unit
    (条例 art. 14, rules.md §3.4.1, §3.6; 东区政〔2017〕104号 §3)."""

    COMPLAINT = "complaint"
    REPORT = "report"
    PLATFORM_CLUE = "platform_clue"
    PETITION_HANDOVER = "petition_handover"
    INSPECTION_FINDING = "inspection_finding"
    PATROL = "patrol"
    REFERRAL = "referral"
    UNION_REPORT = "union_report"


class Sector(StrEnum):
    """工程建设领域 construction or 非工程建设领域 anything else (rules.md §3.6)."""

    CONSTRUCTION = "construction"
    OTHER = "other"


class Employer(BaseModel):
    """用人单位: who owes the wages. Some early real codes fail the check digit, so an
    office may keep such a code by giving the reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Name
    uscc: Uscc | None = None
    uscc_override_reason: Text | None = None


class Project(BaseModel):
    """A construction project and its contracting chain: 建设单位 the client, 施工总承包单位
    the general contractor, 分包单位 the subcontractor (Decree 724 arts. 29–30, 36)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Name
    client: Name | None = None
    general_contractor: Name | None = None
    subcontractor: Name | None = None


class WorkerDetails(BaseModel):
    """A named worker as the office enters them, in clear text; the case keeps these
    as personal data sealed under the worker's subject."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # A fresh key id when the office does not give one: one subject per named worker.
    subject: Subject = Field(default_factory=lambda: uuid.uuid4().hex)
    name: Name
    id_number: ResidentId | None = None
    phone: Phone | None = None


class Worker(BaseModel):
    """农民工: a named worker owed wages; every item about them is personal data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: Subject
    name: Personal
    id_number: Personal | None = None
    phone: Personal | None = None

    @classmethod
    def of(cls, details: WorkerDetails) -> Worker:
        """The worker with each detail as personal data of their subject."""

        def personal(value: str | None) -> Personal | None:
            if value is None:
                return None
            return Personal(subject=details.subject, value=value)

        return cls(
            subject=details.subject,
            name=Personal(subject=details.subject, value=details.name),
            id_number=personal(details.id_number),
            phone=personal(details.phone),
        )

    def forgotten(self) -> Worker:
        """The worker once their key is gone: every item unreadable."""

        def gone(item: Personal | None) -> Personal | None:
            if item is None:
                return None
            return item.model_copy(update={"value": None, "is_forgotten": True})

        return self.model_copy(
            update={
                "name": gone(self.name),
                "id_number": gone(self.id_number),
                "phone": gone(self.phone),
            }
        )
