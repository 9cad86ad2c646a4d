"""Only the fields credit reads from cases' events (`extra="ignore"`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class _Inbound(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class CreditListingRecommended(_Inbound):
    """cases: an overdue payment order at the crime threshold, or a mass incident."""

    case_id: str
    employer_name: str
    employer_uscc: str | None
    amount_still_owed: Decimal
    months_owed: int
    workers_count: int
    is_mass_incident: bool
    is_order_overdue: bool
    recommended_on: date


class Employer(_Inbound):
    """The employer part of a received case."""

    name: str
    uscc: str | None = None


class Project(_Inbound):
    """The project part of a received case."""

    name: str


class CaseReceived(_Inbound):
    """cases: a new arrears case, which may be new arrears of a listed employer, and
    the project it is about (named by the case's public record)."""

    employer: Employer
    project: Project | None = None
    received_on: date


class DeadlineMissed(_Inbound):
    """cases: a time limit passed with its step not done; kind `payment_order` is an
    order to pay that went unpaid past its date (the case is now overdue)."""

    kind: str
    due: date
    detected_on: date


class PaymentOrdered(_Inbound):
    """cases: an order to pay what is still owed; a positive amount after the arrears
    were cleared says more is owed again (the investigation found it)."""

    ordered_on: date
    amount: Decimal


class ArrearsCleared(_Inbound):
    """cases: recorded payments reached what is owed; the day still-owed became 0."""

    cleared_on: date
