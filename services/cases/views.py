"""What the cases API answers with."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from shared.envelope import Envelope


class CaseSummaryView(BaseModel):
    """A case in a list: no personal data."""

    case_id: str
    status: str
    criminal: str
    penalty: str
    source: str
    sector: str
    employer_name: str
    employer_uscc: str | None
    territorial_unit: str
    lead_unit: str | None
    helping_units: list[str]
    assignment_due: date | None
    assignment_status: str | None
    workers_count: int
    months_owed: int
    amount_owed: Decimal
    amount_recovered: Decimal
    is_mass_incident: bool
    is_employer_absconded: bool
    received_on: date
    next_due: date | None
    next_due_kind: str | None
    overdue_since: date | None
    is_credit_recommended: bool
    version: int
    # Added with hand-overs and duplicate intake (issue 14): empty for a case without.
    outcome: str | None = None
    # A complaint handed over by the petitions bureau or the trade union: which unit,
    # under which of its reference numbers.
    handed_over_by: str | None = None
    unit_reference: str | None = None
    # The earlier case this one may duplicate, and how the office resolved the flag;
    # the later cases flagged as possible duplicates of this one.
    possible_duplicate_of: str | None = None
    duplicate_resolution: str | None = None
    possible_duplicates: list[str] = Field(default_factory=list)


class WorkerView(BaseModel):
    """A named worker: clear for the office and the assigned units, masked otherwise."""

    subject: str
    name: str | None
    id_number: str | None
    phone: str | None
    is_forgotten: bool
    is_masked: bool


class DeadlineView(BaseModel):
    """A time limit running on the case."""

    kind: str
    due: date
    is_provisional: bool
    is_missed: bool


class CaseDetailView(BaseModel):
    """A case's current state (or its state at `as_of`) with its whole history."""

    case_id: str
    version: int
    as_of: datetime | None
    status: str
    criminal: str
    penalty: str
    allowed_next: list[str]
    state: dict[str, object]
    possible_duplicate_of: str | None
    possible_duplicates: list[str]
    workers: list[WorkerView]
    amount_still_owed: Decimal
    deadlines: list[DeadlineView]
    history: list[Envelope]


class WorkQueueView(BaseModel):
    """One unit's work: cases assigned to it, those due soon and those overdue."""

    unit: str
    today: date
    assigned: list[CaseSummaryView]
    due_soon: list[CaseSummaryView]
    overdue: list[CaseSummaryView]


class TotalView(BaseModel):
    """Amounts owed and recovered for one group (a month, sector, town/community, unit)."""

    group: str
    cases: int
    amount_owed: Decimal
    amount_recovered: Decimal
