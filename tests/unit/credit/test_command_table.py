"""The credit command table holds together, and names its steps and routes as the API
always has."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from services.credit.command_table import CREDIT_COMMANDS
from services.credit.domain.aggregate import allowed_after
from services.credit.domain.candidate import OpenCandidate
from services.credit.domain.ending import ExpireListing
from services.credit.domain.later_grounds import RecordOrderOverdue, UpdateGrounds
from services.credit.domain.listing import ListingStatus
from services.credit.domain.notice import LapseObjectionPeriod
from services.credit.domain.sanctioning import MarkSanctionOverdue
from services.credit.routes import commands
from shared.command_check import check_table

# The `allowed_next` names, status by status (rules.md §4.2): only the steps a caller
# can take over HTTP, never the watcher's or the process manager's.
ENDED = ["record-sanction-lifted"]
ALLOWED_NEXT: dict[ListingStatus, list[str]] = {
    ListingStatus.NEW: ["open-by-hand"],
    ListingStatus.CANDIDATE: ["serve-notice", "decide-not-to-list"],
    ListingStatus.NOTICE_SERVED: ["file-objection", "decide", "decide-not-to-list"],
    ListingStatus.OBJECTION_FILED: ["review-objection", "decide-not-to-list"],
    ListingStatus.UNDER_REVIEW: ["decide", "decide-not-to-list"],
    ListingStatus.NOT_LISTED: [],
    ListingStatus.LISTED: ["publish", "revoke"],
    ListingStatus.PUBLISHED: ["revoke"],
    ListingStatus.ACTIVE: [
        "record-sanction-applied",
        "record-payment-evidence",
        "apply-for-early-removal",
        "decide-early-removal",
        "revoke",
    ],
    ListingStatus.EXPIRED: ENDED,
    ListingStatus.REMOVED: ENDED,
    ListingStatus.REVOKED: ENDED,
}


def test_the_table_passes_the_start_up_check() -> None:
    check_table(CREDIT_COMMANDS)


@pytest.mark.parametrize("status", list(ListingStatus))
def test_allowed_steps_keep_their_names(status: ListingStatus) -> None:
    assert CREDIT_COMMANDS.verbs(allowed_after(status)) == ALLOWED_NEXT[status]


def test_each_routed_command_is_served_at_its_path_under_its_decide_name() -> None:
    app = FastAPI()
    app.include_router(commands)
    served = {
        (path, op["operationId"], next(iter(op["responses"])))
        for path, ops in app.openapi()["paths"].items()
        for op in ops.values()
    }
    step = "/listings/{listing_id}"
    assert served == {
        ("/listings", "open_by_hand", "201"),
        ("/construction-measures", "record_construction_measure", "201"),
        (
            "/construction-measures/{measure_id}/lift",
            "lift_construction_measure",
            "200",
        ),
        (f"{step}/serve-notice", "serve_notice", "200"),
        (f"{step}/file-objection", "file_objection", "200"),
        (f"{step}/review-objection", "review_objection", "200"),
        (f"{step}/decide", "decide_listing", "200"),
        (f"{step}/decide-not-to-list", "decide_not_to_list", "200"),
        (f"{step}/publish", "publish_listing", "200"),
        (f"{step}/record-sanction-applied", "record_sanction_applied", "200"),
        (f"{step}/record-sanction-lifted", "record_sanction_lifted", "200"),
        (f"{step}/record-payment-evidence", "record_payment_evidence", "200"),
        (f"{step}/apply-for-early-removal", "apply_for_early_removal", "200"),
        (f"{step}/decide-early-removal", "decide_early_removal", "200"),
        (f"{step}/revoke", "revoke_listing", "200"),
    }


def test_the_watchers_and_the_process_manager_reach_their_commands_without_a_route() -> (
    None
):
    internal = {row.command for row in CREDIT_COMMANDS.rows if row.route is None}

    assert internal == {
        OpenCandidate,
        LapseObjectionPeriod,
        MarkSanctionOverdue,
        ExpireListing,
        UpdateGrounds,
        RecordOrderOverdue,
    }
    assert CREDIT_COMMANDS.verbs(internal) == []
