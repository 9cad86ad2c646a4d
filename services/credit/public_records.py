"""The public profile's records of a listing (exchange-fields.md §7.1, profile P): what
a publication record and a stop-publishing record say, built from the listing's state
and the district's `[exchange]` settings. Pure: the read model stores what it returns."""

from __future__ import annotations

import uuid
from typing import Final

from services.credit.domain.grounds import Grounds
from services.credit.domain.listing import EndKind, Listing, ListingEnd, RevokedBy
from services.credit.domain.subjects import EmployerSubject, SubjectKind
from services.credit.public_views import RecordKind
from shared.settings import PublishingBody

LIST_NAME: Final = "拖欠农民工工资失信联合惩戒对象名单"
IN_PUBLICATION: Final = "公示中"
_RECORD_IDS = uuid.UUID("6b0f3c1e-8a55-4d0c-9a57-2f1c1b6f0e11")

# 行政相对人类别 of the 双公示 code list; our employers are organisations (the listing
# does not tell a 个体工商户 apart).
_CATEGORY: Final = {
    SubjectKind.EMPLOYER: "法人及非法人组织",
    SubjectKind.LEGAL_REPRESENTATIVE: "自然人",
    SubjectKind.RESPONSIBLE_PERSON: "自然人",
}
# 当事人身份: Order 45 art. 5's parties; our listings do not tell the directly
# responsible manager from other directly responsible persons.
_PARTY_ROLE: Final = {
    SubjectKind.EMPLOYER: "用人单位",
    SubjectKind.LEGAL_REPRESENTATIVE: "法定代表人或主要负责人",
    SubjectKind.RESPONSIBLE_PERSON: "直接负责的主管人员和其他直接责任人员",
}
_ENDED_STATUS: Final = {
    EndKind.EXPIRED: "到期移出",
    EndKind.REMOVED: "提前移出",
    EndKind.REVOKED: "撤销",
}
_REVOKED_BY: Final = {
    RevokedBy.RECONSIDERATION: ("复议撤销", "行政复议机关"),
    RevokedBy.COURT: ("诉讼撤销", "人民法院"),
}
# Decree 724 art. 48 lists the employer; Order 45 art. 5 (1) the amount of the crime
# of refusing to pay, (2) a mass or extreme incident.
_BASIS: Final = (
    "《保障农民工工资支付条例》第四十八条；《拖欠农民工工资失信联合惩戒对象名单管理"
    "暂行办法》（人力资源社会保障部令第45号）第五条第{item}项"
)


def record_id(listing_id: str, kind: RecordKind) -> str:
    """The record's id, the same however often the read model is rebuilt."""
    return str(uuid.uuid5(_RECORD_IDS, f"{listing_id}/{kind.value}"))


def party_role(listing: Listing) -> str:
    """当事人身份 of the listing's subject."""
    return party_role_of(listing.subject.kind) if listing.subject else ""


def party_role_of(kind: SubjectKind) -> str:
    """当事人身份 of a kind of subject."""
    return _PARTY_ROLE[kind]


def records_of(
    listing_id: str, listing: Listing, body: PublishingBody
) -> dict[RecordKind, dict[str, object]]:
    """The records the listing has: none before it is published; the publication
    record once it is; and the stop-publishing record once it ended."""
    decision, grounds, subject = listing.decision, listing.grounds, listing.subject
    if listing.published_on is None or decision is None or grounds is None:
        return {}
    assert subject is not None  # noqa: S101 - a decided listing has a subject
    is_employer = isinstance(subject, EmployerSubject)
    published: dict[str, object] = {
        "record_id": record_id(listing_id, RecordKind.PUBLICATION),
        "record_kind": RecordKind.PUBLICATION.value,
        "listing_id": listing_id,
        "list_name": LIST_NAME,
        "subject_category": _CATEGORY[subject.kind],
        "party_role": _PARTY_ROLE[subject.kind],
        "subject_name": subject.name if is_employer else None,
        "uscc": subject.uscc if isinstance(subject, EmployerSubject) else None,
        "decision_doc_no": decision.decision_id,
        "listing_reason": listing_reason(grounds),
        "listing_basis": _BASIS.format(item="二" if grounds.is_mass_incident else "一"),
        "arrears_amount": str(grounds.amount_owed),
        "case_ids": list(grounds.case_ids),
        "authority_name": body.authority_name,
        "authority_uscc": body.authority_uscc,
        "decision_date": decision.decided_on.isoformat(),
        "planned_exit_date": decision.ends_on.isoformat(),
        "publish_from": listing.published_on.isoformat(),
        "publish_until": decision.ends_on.isoformat(),
        "status": IN_PUBLICATION,
        "exit_date": None,
        "exit_reason": None,
        "exit_authority": None,
        "stopped_publishing_on": None,
        "region_code": body.region_code,
        "source_unit": body.source_unit,
        "source_unit_uscc": body.source_unit_uscc,
        "remark": None,
    }
    records = {RecordKind.PUBLICATION: published}
    if listing.end is not None:
        stop = _stopped(listing.end, body)
        records[RecordKind.STOP_PUBLISHING] = (
            published
            | stop
            | {
                "record_id": record_id(listing_id, RecordKind.STOP_PUBLISHING),
                "record_kind": RecordKind.STOP_PUBLISHING.value,
            }
        )
    return records


def listing_reason(grounds: Grounds) -> str:
    """列入名单事由: the facts found, from the grounds' figures only (the office's free
    note may name workers, which is never published)."""
    reason = (
        f"拖欠{grounds.workers_count}名农民工{grounds.months_owed}个月工资共计"
        f"{grounds.amount_owed}元，经责令限期支付逾期仍未支付"
    )
    if grounds.is_mass_incident:
        reason += "，引发群体性事件"
    return reason + "。"


def _stopped(end: ListingEnd, body: PublishingBody) -> dict[str, object]:
    """What the stop-publishing record adds: the exit and the day publication stopped
    (the listing's end; PIPL art. 47, 国办发〔2025〕22号)."""
    if end.how is EndKind.REVOKED and end.revoked_by is not None:
        reason, authority = _REVOKED_BY[end.revoked_by]
        reason = f"{reason}（{end.reason}）" if end.reason else reason
    else:
        reason = "到期" if end.how is EndKind.EXPIRED else "信用修复提前移出"
        authority = body.authority_name or ""
    return {
        "status": _ENDED_STATUS[end.how],
        "exit_date": end.ended_on.isoformat(),
        "exit_reason": reason,
        "exit_authority": authority or None,
        "publish_until": end.ended_on.isoformat(),
        "stopped_publishing_on": end.ended_on.isoformat(),
    }
