"""Only the fields cases reads from other services' events (`extra="ignore"`); a contract
test holds them to what the other service writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class _Inbound(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class ArrearsFound(_Inbound):
    """What a joint inspection found about wage arrears."""

    employer_name: str
    employer_uscc: str | None = None
    uscc_override_reason: str | None = None
    sector: str
    project_name: str | None = None
    workers_count: int
    months_owed: int
    amount_owed: Decimal
    territorial_unit: str
    is_mass_incident: bool = False


class InspectionFindingRaised(_Inbound):
    """meetings: a joint supervision inspection found wage arrears."""

    finding_id: str
    found_on: date
    description: str
    arrears: ArrearsFound
    suggested_lead_unit: str | None = None
