"""What the public profile answers with (no login): the fields credit platforms publish
for a 失信 record (shared/domain/exchange-fields.md §7.1, profile P), never an ID
number, a phone, a worker's name or a lookup key."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel


class RecordKind(StrEnum):
    """A record publishes a listing, or states that its publication stopped (停止公示):
    a record is withdrawn by a newer one, never changed or deleted."""

    PUBLICATION = "publication"
    STOP_PUBLISHING = "stop_publishing"


class PublicRecordView(BaseModel):
    """拖欠农民工工资失信联合惩戒对象名单 record, one per 当事人 and kind. Wire names
    for the platforms are in docs/credit-api.md ("Public profile")."""

    record_id: str
    record_kind: RecordKind
    listing_id: str
    list_name: str
    subject_category: str
    party_role: str
    subject_name: str | None
    uscc: str | None
    legal_rep_name: str | None
    decision_doc_no: str
    listing_reason: str
    listing_basis: str
    arrears_amount: Decimal
    project_name: str | None
    authority_name: str | None
    authority_uscc: str | None
    decision_date: date
    planned_exit_date: date
    publish_from: date
    publish_until: date
    status: str
    exit_date: date | None
    exit_reason: str | None
    exit_authority: str | None
    stopped_publishing_on: date | None
    region_code: str | None
    source_unit: str | None
    source_unit_uscc: str | None
    remark: str | None


class PublicListView(BaseModel):
    """The records in force now (status 公示中), when exported."""

    records: list[PublicRecordView]
    exported_at: datetime


class PublicListingView(BaseModel):
    """One listing's public page: its publication record and, once it ended, the
    record that stopped its publication."""

    listing_id: str
    records: list[PublicRecordView]
    exported_at: datetime


class PublicFeedView(BaseModel):
    """Every public record after `after` (all of them for 0), in the order recorded,
    and the cursor to ask with next."""

    cursor: int
    is_snapshot: bool
    records: list[PublicRecordView]
    exported_at: datetime
