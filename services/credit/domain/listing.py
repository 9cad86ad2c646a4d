"""The state of one listing (stream `listing-<id>`) and its parts: the notice, the
objection, the decision, the sanction tasks and how it ended; the guards that
refuse a step the status does not allow (rules.md §4.2; the steps each status allows
are the aggregate's, in `aggregate.ALLOWED_AFTER`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict

from services.credit.domain.grounds import Grounds, OpenedFrom
from services.credit.domain.sanctions import SanctionTask
from services.credit.domain.subjects import Subject
from shared.domain import Deadline
from shared.errors import InvalidTransition


class ListingStatus(StrEnum):
    """Where a listing stands (rules.md §4.2). `published` is kept for the record:
    publishing activates the listing at once, so a published listing is `active`."""

    NEW = "new"
    CANDIDATE = "candidate"
    NOTICE_SERVED = "notice_served"
    OBJECTION_FILED = "objection_filed"
    UNDER_REVIEW = "under_review"
    NOT_LISTED = "not_listed"
    LISTED = "listed"
    PUBLISHED = "published"
    ACTIVE = "active"
    EXPIRED = "expired"
    REMOVED = "removed"
    REVOKED = "revoked"


class EndKind(StrEnum):
    """How a listing ended: its period ran out, it was removed early on credit repair,
    or its decision was revoked."""

    EXPIRED = "expired"
    REMOVED = "removed"
    REVOKED = "revoked"


class RevokedBy(StrEnum):
    """Who set the listing decision aside: 行政复议 an administrative reconsideration
    body, or a court in 行政诉讼 administrative litigation (rules.md §4.2)."""

    RECONSIDERATION = "reconsideration"
    COURT = "court"


class ServiceMethod(StrEnum):
    """送达: how the notice of intent reached the subject; posting it and recording that
    by photo or video, or a public announcement, when the subject cannot be found."""

    IN_PERSON = "in_person"
    MAIL = "mail"
    ELECTRONIC = "electronic"
    POSTED_AND_PHOTOGRAPHED = "posted_and_photographed"
    PUBLIC_ANNOUNCEMENT = "public_announcement"


class Notice(BaseModel):
    """告知 (事先告知书): the notice of intent to list, with the reasons, the basis and
    the subject's right to object, and when and how it was served."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    served_on: date
    method: ServiceMethod


class Objection(BaseModel):
    """异议: the subject's objection to the intended listing, and its review."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    filed_on: date
    text: str
    reviewed_on: date | None = None
    is_upheld: bool | None = None
    reasoning: str = ""


class ListingDecision(BaseModel):
    """列入决定 (列入决定书): the decision to list, by the HR bureau's head; one
    decision covers the employer and its persons, each in its own listing. The
    listing is in force from `decided_on` until the day before `ends_on`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    decided_on: date
    decision_id: str
    decided_by: str
    ends_on: date
    employer_listing_id: str | None = None


class NotListedDecision(BaseModel):
    """The decision not to list, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    decided_on: date
    reason: str


class EarlyRemovalApplication(BaseModel):
    """提前移出 (信用修复): the employer's application for early removal, with the
    date the arrears were corrected (paid), its 书面信用承诺 (written credit
    commitment), and whether new arrears were known when it applied."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    applied_on: date
    paid_on: date | None
    commitment_text: str
    has_new_arrears: bool


class PaymentEvidence(BaseModel):
    """工资支付凭证: for a listing none of whose arrears are in cases (opened by hand
    without a case), the evidence of full payment the office checked, the day paid
    and who checked it; cases keeps every other payment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    paid_on: date
    evidence: str
    verified_by: str


class ListingEnd(BaseModel):
    """When and how the listing ended; every sanction is lifted after it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ended_on: date
    how: EndKind
    reason: str = ""
    revoked_by: RevokedBy | None = None


class Listing(BaseModel):
    """失信联合惩戒名单 listing: one subject on the joint-punishment list for wage
    arrears (MOHRSS Order 45), from candidate to its end; a stream with no events is
    NEW."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: ListingStatus = ListingStatus.NEW
    subject: Subject | None = None
    grounds: Grounds | None = None
    opened_from: OpenedFrom | None = None
    source_event_id: str | None = None
    opened_on: date | None = None
    notice: Notice | None = None
    objection_deadline: Deadline | None = None
    objection: Objection | None = None
    objection_lapsed_on: date | None = None
    decision: ListingDecision | None = None
    not_listed: NotListedDecision | None = None
    published_on: date | None = None
    shared_to: tuple[str, ...] = ()
    activated_on: date | None = None
    sanction_tasks: tuple[SanctionTask, ...] = ()
    early_removal: EarlyRemovalApplication | None = None
    payment_evidence: PaymentEvidence | None = None
    end: ListingEnd | None = None

    def task(self, task_id: str) -> SanctionTask | None:
        """The sanction task with that id, if the listing has one."""
        return next((t for t in self.sanction_tasks if t.task_id == task_id), None)

    def with_task(self, task: SanctionTask) -> Listing:
        """The listing with that task replaced by its new version."""
        tasks = tuple(
            task if t.task_id == task.task_id else t for t in self.sanction_tasks
        )
        return self.model_copy(update={"sanction_tasks": tasks})


IN_FORCE = frozenset(
    {ListingStatus.LISTED, ListingStatus.PUBLISHED, ListingStatus.ACTIVE}
)
"""Statuses in which a listing decision stands and has not ended."""


def is_in_force(listing: Listing, on: date) -> bool:
    """Whether the subject is under joint punishment on that day: decided, not ended,
    and within its period (from the decision day up to, not including, `ends_on`)."""
    decision = listing.decision
    return (
        listing.status in IN_FORCE
        and listing.end is None
        and decision is not None
        and decision.decided_on <= on < decision.ends_on
    )


BEFORE_DECISION: Final = frozenset(
    {
        ListingStatus.CANDIDATE,
        ListingStatus.NOTICE_SERVED,
        ListingStatus.OBJECTION_FILED,
        ListingStatus.UNDER_REVIEW,
    }
)
"""Statuses in which the subject may still be spared listing."""

ENDED: Final = frozenset(
    {ListingStatus.EXPIRED, ListingStatus.REMOVED, ListingStatus.REVOKED}
)
"""Statuses after the listing ended, when its sanctions are lifted."""


def refused(status: ListingStatus, what: str) -> InvalidTransition:
    """The refusal of a step the status does not allow, naming what it allows."""
    # The steps are the commands of every capability, and every capability builds on
    # this module: the aggregate's map is read when a step is refused, not at import.
    from services.credit.domain.aggregate import allowed_after

    return InvalidTransition(
        current=status,
        allowed=allowed_after(status),
        detail=f"The listing is {status} and cannot be {what}.",
    )


def require_status(
    listing: Listing, allowed: Collection[ListingStatus], what: str
) -> None:
    """Refuses the step unless the listing is in one of the allowed statuses."""
    if listing.status not in allowed:
        raise refused(listing.status, what)
