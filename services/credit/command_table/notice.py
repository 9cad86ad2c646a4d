"""The notice of intent served, the subject's objection filed and reviewed, or the
objection period lapsed."""

from __future__ import annotations

from typing import Any

from services.credit.command_facts import TIME_LIMITS, TODAY, CreditContext
from services.credit.command_table.resources import LISTINGS, MISSING
from services.credit.domain import notice
from services.credit.domain.aggregate import LISTING
from services.credit.domain.notice import (
    FileObjection,
    LapseObjectionPeriod,
    ReviewObjection,
    ServeNotice,
)
from shared.command_table import Row

ROWS: tuple[Row[Any, CreditContext], ...] = (
    Row(
        ServeNotice,
        LISTING,
        notice.serve_notice,
        "Serve the notice of intent; the objection period (working days, "
        "district setting) starts.",
        facts=TIME_LIMITS,
        route=LISTINGS.step("serve-notice"),
        not_found=MISSING,
    ),
    Row(
        FileObjection,
        LISTING,
        notice.file_objection,
        "Record the subject's objection (within the objection period).",
        facts=(TODAY,),
        route=LISTINGS.step("file-objection"),
        not_found=MISSING,
    ),
    Row(
        ReviewObjection,
        LISTING,
        notice.review_objection,
        "Review the objection: upheld (then decide not to list) or not.",
        facts=(TODAY,),
        route=LISTINGS.step("review-objection"),
        not_found=MISSING,
    ),
    Row(
        LapseObjectionPeriod,
        LISTING,
        notice.lapse_objection_period,
        "The objection period passed with no objection (the watcher).",
        facts=(TODAY,),
        not_found=MISSING,
    ),
)
