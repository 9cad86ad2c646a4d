"""What the credit API answers with: never a personal ID number."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel

from shared.envelope import Envelope


class MeasureView(BaseModel):
    """A sanction one unit applies (or must still confirm)."""

    measure: str
    unit_code: str
    unit_name: str | None
    status: str


class CheckListingView(BaseModel):
    """One listing of the subject asked about."""

    listing_id: str
    status: str
    is_in_force: bool
    since: date | None
    until: date | None
    measures: list[MeasureView]


class CheckView(BaseModel):
    """Is this subject under joint punishment now, since when, until when, by whom."""

    query: str
    subject_kind: str
    name: str | None
    uscc: str | None
    is_listed: bool
    since: date | None
    until: date | None
    listings: list[CheckListingView]


class ListingSummaryView(BaseModel):
    """A listing in a list."""

    listing_id: str
    status: str
    subject_kind: str
    employer_name: str | None
    uscc: str | None
    employer_listing_id: str | None
    decision_id: str | None
    opened_from: str
    opened_on: date
    case_ids: list[str]
    amount_owed: Decimal
    is_mass_incident: bool
    decided_on: date | None
    ends_on: date | None
    published_on: date | None
    ended_on: date | None
    end_how: str | None
    version: int


class ListingDetailView(BaseModel):
    """A listing's state (person data masked unless the reader may see it), history."""

    listing_id: str
    version: int
    status: str
    allowed_next: list[str]
    is_in_force: bool
    state: dict[str, object]
    history: list[Envelope]


class SanctionTaskView(BaseModel):
    """One unit's sanction task on one listing."""

    listing_id: str
    task_id: str
    unit_code: str
    measure: str
    due: date
    status: str
    applied_on: date | None
    lifted_on: date | None
    is_overdue: bool


class ChangeFeedView(BaseModel):
    """A snapshot (after=0) or the changes after a cursor, for agencies that mirror."""

    cursor: int
    is_snapshot: bool
    listings: list[ListingSummaryView]
    generated_at: datetime
