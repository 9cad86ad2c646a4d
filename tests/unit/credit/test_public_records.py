"""What the public profile's records of a listing say (exchange-fields.md §7.1, P)."""

from __future__ import annotations

from datetime import date

from services.credit.domain.listing import RevokedBy
from services.credit.public_records import record_id, records_of
from services.credit.public_views import RecordKind
from shared.settings import PublishingBody
from tests.unit.credit.factories import (
    active,
    candidate_opened,
    grounds,
    listed,
    listing_expired,
    listing_of,
    listing_revoked,
)

BUREAU = PublishingBody(region_code="630102", authority_name="区人社局")


def test_a_listing_not_yet_published_has_no_public_record() -> None:
    listing = listing_of(listed())

    assert records_of("m-2024-000001", listing, BUREAU) == {}


def test_a_published_listing_has_one_record_in_publication() -> None:
    listing = listing_of(active())

    records = records_of("m-2024-000001", listing, BUREAU)

    assert list(records) == [RecordKind.PUBLICATION]
    record = records[RecordKind.PUBLICATION]
    assert record["status"] == "公示中"
    assert record["record_id"] == record_id("m-2024-000001", RecordKind.PUBLICATION)
    assert (record["authority_name"], record["region_code"]) == ("区人社局", "630102")
    assert record["authority_uscc"] is None


def test_an_expired_listing_keeps_its_record_and_gets_a_stop_publishing_one() -> None:
    listing = listing_of(active(), [listing_expired(expired_on=date(2027, 5, 20))])

    records = records_of("m-2024-000001", listing, BUREAU)

    stop = records[RecordKind.STOP_PUBLISHING]
    assert records[RecordKind.PUBLICATION]["status"] == "公示中"
    assert stop["record_id"] != records[RecordKind.PUBLICATION]["record_id"]
    assert (stop["status"], stop["exit_reason"], stop["exit_authority"]) == (
        "到期移出",
        "到期",
        "区人社局",
    )
    assert stop["stopped_publishing_on"] == stop["exit_date"] == "2027-05-20"


def test_a_revocation_names_the_kind_of_body_and_its_reference() -> None:
    revoked = listing_revoked(
        by=RevokedBy.RECONSIDERATION, reference="东复决〔2025〕2号"
    )
    listing = listing_of(active(), [revoked])

    stop = records_of("m-2024-000001", listing, BUREAU)[RecordKind.STOP_PUBLISHING]

    assert stop["status"] == "撤销"
    assert stop["exit_reason"] == "复议撤销（东复决〔2025〕2号）"
    assert stop["exit_authority"] == "行政复议机关"


def test_the_reason_comes_from_the_figures_never_from_the_free_note() -> None:
    facts = grounds(note="工人李四反映", is_mass_incident=True, workers_count=30)
    listing = listing_of([candidate_opened(grounds=facts)], active()[1:])

    record = records_of("m-2024-000001", listing, BUREAU)[RecordKind.PUBLICATION]

    assert "李四" not in str(record)
    assert "30名农民工" in str(record["listing_reason"])
    assert str(record["listing_basis"]).endswith("第五条第二项")
