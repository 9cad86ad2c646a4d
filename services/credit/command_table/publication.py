"""The listing published and shared, and each unit's sanction applied, lifted or
overdue."""

from __future__ import annotations

from typing import Any

from services.credit.command_facts import DUTIES, TIME_LIMITS, TODAY, CreditContext
from services.credit.command_table.resources import LISTINGS, MISSING
from services.credit.domain import publication, sanctioning
from services.credit.domain.aggregate import LISTING
from services.credit.domain.publication import PublishListing
from services.credit.domain.sanctioning import (
    MarkSanctionOverdue,
    RecordSanctionApplied,
    RecordSanctionLifted,
)
from shared.command_table import Row, active_unit_codes, actor_unit

ROWS: tuple[Row[Any, CreditContext], ...] = (
    Row(
        PublishListing,
        LISTING,
        publication.publish_listing,
        "Publish and share the listing: every unit with a sanction duty gets a task.",
        facts=(*TIME_LIMITS, DUTIES, active_unit_codes()),
        route=LISTINGS.step("publish"),
        not_found=MISSING,
    ),
    Row(
        RecordSanctionApplied,
        LISTING,
        sanctioning.record_sanction_applied,
        "A unit confirms it applied its sanction (its own tasks only).",
        facts=(TODAY, actor_unit()),
        route=LISTINGS.step("record-sanction-applied"),
        not_found=MISSING,
    ),
    Row(
        RecordSanctionLifted,
        LISTING,
        sanctioning.record_sanction_lifted,
        "A unit confirms it lifted its sanction after the listing ended.",
        facts=(TODAY, actor_unit()),
        route=LISTINGS.step("record-sanction-lifted"),
        not_found=MISSING,
    ),
    Row(
        MarkSanctionOverdue,
        LISTING,
        sanctioning.mark_sanction_overdue,
        "A unit did not confirm its sanction by the due date (the watcher).",
        facts=(TODAY,),
        not_found=MISSING,
    ),
)
