"""What people, units and the watchers ask of a listing; also the request bodies.

The labour inspection sits in the office's unit, the HR bureau, so the procedure is
the office's; units confirm their own sanctions; the watchers lapse objection
periods, mark sanctions overdue and expire listings."""

from __future__ import annotations

from typing import Annotated, ClassVar, Self

from pydantic import StringConstraints, model_validator

from services.credit.domain.facts import (
    CREDIT_SHARING_PLATFORM,
    Channel,
    DecisionId,
    Grounds,
    OpenedFrom,
    ServiceMethod,
)
from services.credit.domain.listing import RevokedBy
from services.credit.domain.subjects import SubjectDetails
from shared.dates import BusinessDate
from shared.domain import Command, Role
from shared.values import ListingId, Note, Text

TaskId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{1,99}$")]
"""A sanction task's id within its listing: `<unit>-<measure>`."""

EventId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
]
"""The id of an event of another service (a UUID in its envelope)."""

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})
_UNITS: frozenset[Role] = frozenset({Role.UNIT_STAFF, Role.OFFICE})
_WATCHER: frozenset[Role] = frozenset({Role.SYSTEM})


class OpenCandidate(Command):
    # The process manager opens candidates from cases' recommendations.
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM, Role.OFFICE})
    personal_paths: ClassVar[tuple[str, ...]] = ("subject.name", "subject.id_number")

    subject: SubjectDetails
    grounds: Grounds
    opened_from: OpenedFrom
    source_event_id: EventId | None = None
    opened_on: BusinessDate

    @model_validator(mode="after")
    def _source_fits(self) -> Self:
        is_recommended = self.opened_from is OpenedFrom.CASE_RECOMMENDATION
        if is_recommended != (self.source_event_id is not None):
            raise ValueError(
                "source_event_id is given exactly when opened from a recommendation"
            )
        if is_recommended and not self.grounds.case_ids:
            raise ValueError("a recommendation names its case in grounds.case_ids")
        return self


class ServeNotice(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    served_on: BusinessDate
    method: ServiceMethod


class FileObjection(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    filed_on: BusinessDate
    text: Text


class ReviewObjection(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    reviewed_on: BusinessDate
    upheld: bool
    reasoning: Text


class LapseObjectionPeriod(Command):
    # Run by the objection watcher only, once the period has passed.
    permitted: ClassVar[frozenset[Role]] = _WATCHER


class DecideListing(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    decided_on: BusinessDate
    decision_id: DecisionId
    decided_by: Text
    employer_listing_id: ListingId | None = None


class DecideNotToList(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    decided_on: BusinessDate
    reason: Text


class PublishListing(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    published_on: BusinessDate
    shared_to: tuple[Channel, ...] = (CREDIT_SHARING_PLATFORM,)

    @model_validator(mode="after")
    def _shared_to_the_platform(self) -> Self:
        if len(set(self.shared_to)) != len(self.shared_to):
            raise ValueError("a channel is named twice in shared_to")
        # Shared to the same-level credit sharing platform (rules.md §3.1.1)
        if CREDIT_SHARING_PLATFORM not in self.shared_to:
            raise ValueError(f"shared_to must include {CREDIT_SHARING_PLATFORM}")
        return self


class RecordSanctionApplied(Command):
    permitted: ClassVar[frozenset[Role]] = _UNITS

    task_id: TaskId
    applied_on: BusinessDate
    basis: Text
    reference: Text


class RecordSanctionLifted(Command):
    permitted: ClassVar[frozenset[Role]] = _UNITS

    task_id: TaskId
    lifted_on: BusinessDate
    reference: Text


class MarkSanctionOverdue(Command):
    # Run by the sanction watcher only.
    permitted: ClassVar[frozenset[Role]] = _WATCHER

    task_id: TaskId
    due: BusinessDate


class ExpireListing(Command):
    # Run by the expiry watcher only.
    permitted: ClassVar[frozenset[Role]] = _WATCHER


class ApplyForEarlyRemoval(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    applied_on: BusinessDate
    paid_on: BusinessDate | None = None
    commitment_text: Note = ""

    @model_validator(mode="after")
    def _paid_before_applying(self) -> Self:
        if self.paid_on is not None and self.paid_on > self.applied_on:
            raise ValueError("paid_on is after applied_on")
        return self


class DecideEarlyRemoval(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    decided_on: BusinessDate


class RevokeListing(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    revoked_on: BusinessDate
    by: RevokedBy
    reference: Text
