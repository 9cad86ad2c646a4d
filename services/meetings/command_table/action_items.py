"""An action item opened for a task of a decision or work plan, its progress, the
office accepting it or sending it back, and the watcher flagging it overdue."""

from __future__ import annotations

from typing import Any

from services.meetings.command_table.not_found import NO_ACTION
from services.meetings.domain import carrying_out, overdue
from services.meetings.domain.action_item import ACTION
from services.meetings.resources import ACTION_ITEMS
from shared.command_table import Row, actor_unit, today

ROWS: tuple[Row[Any, None], ...] = (
    Row(
        carrying_out.AssignActionItem,
        ACTION,
        carrying_out.assign_action_item,
        "The service opens an action item for a task of a decision or work plan.",
    ),
    Row(
        carrying_out.ReportProgress,
        ACTION,
        carrying_out.report_progress,
        "The responsible unit reports progress; `is_complete` asks the office to"
        " accept it.",
        facts=(today(), actor_unit()),
        route=ACTION_ITEMS.step("report-progress"),
        not_found=NO_ACTION,
    ),
    Row(
        carrying_out.AcceptActionItem,
        ACTION,
        carrying_out.accept_action_item,
        "The office accepts the item as done.",
        facts=(today(),),
        route=ACTION_ITEMS.step("accept"),
        not_found=NO_ACTION,
    ),
    Row(
        carrying_out.SendBackActionItem,
        ACTION,
        carrying_out.send_back_action_item,
        "The office sends the item back with a reason.",
        facts=(today(),),
        route=ACTION_ITEMS.step("send-back"),
        not_found=NO_ACTION,
    ),
    Row(
        overdue.MarkActionItemOverdue,
        ACTION,
        overdue.mark_action_item_overdue,
        "The watcher flags a due date or a reporting period that passed.",
        facts=(today(),),
        not_found=NO_ACTION,
    ),
)
