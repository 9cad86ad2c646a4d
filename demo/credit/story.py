"""What a demo listing is made of: its subject, its grounds, and the steps that take
it to the state it shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

SEED: Final = 2017
"""The default seed: another seed makes other employers and other Idempotency-Keys."""

CONFIRM: Final = "confirm-sanctions"
"""A step the runner expands: each unit it has a token for confirms its own tasks."""

LIFT: Final = "lift-sanctions"
"""…and, once the listing ended, confirms it lifted them."""

_DECIDED_BY: Final = "区人力资源和社会保障局局长"
_BASIS: Final = "《保障农民工工资支付条例》第四十八条；东区政〔2017〕104号"


@dataclass(frozen=True)
class Step:
    """One command on the listing (`POST /listings/{id}/<path>`), or CONFIRM / LIFT."""

    path: str
    body: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    """One listing: `key` names it in the Idempotency-Keys; a person's story names
    its employer's, whose listing its decision links to."""

    key: str
    subject: Mapping[str, Any]
    grounds: Mapping[str, Any]
    opened_on: date
    steps: tuple[Step, ...] = ()
    employer: str | None = None

    def open_body(self) -> dict[str, Any]:
        """The body of `POST /listings`."""
        return {
            "subject": dict(self.subject),
            "grounds": dict(self.grounds),
            "opened_from": "by_hand",
            "opened_on": self.opened_on.isoformat(),
        }


def grounds(amount: str, months: int, workers: int, **more: Any) -> dict[str, Any]:
    """Arrears left unpaid past the date of an order to pay (Order 45 art. 5)."""
    return {
        "amount_owed": amount,
        "months_owed": months,
        "workers_count": workers,
        "is_order_overdue": True,
        **more,
    }


def procedure(
    *,
    served: date,
    objection: date | None = None,
    is_upheld: bool | None = None,
    decided: date | None = None,
    decision: str = "",
    published: date | None = None,
    confirmed: date | None = None,
) -> tuple[Step, ...]:
    """Notice, objection and its review, decision, publication and the units'
    confirmations (a week after publication unless `confirmed`), as far as dates are
    given. Without an objection the decision comes after the objection period (the
    service records its lapse); after an objection, once it was reviewed."""
    steps = [Step("serve-notice", {"served_on": served.isoformat(), "method": "mail"})]
    if objection is not None:
        filed = {
            "filed_on": objection.isoformat(),
            "text": "对拖欠数额有异议，已在协调支付",
        }
        steps.append(Step("file-objection", filed))
    if objection is not None and is_upheld is not None:
        reasoning = (
            "异议成立，工资已在限期内支付"
            if is_upheld
            else "逾期未支付属实，异议不成立"
        )
        review = {"reviewed_on": objection.isoformat(), "upheld": is_upheld}
        steps.append(Step("review-objection", review | {"reasoning": reasoning}))
    if decided is not None:
        decide = {"decided_on": decided.isoformat(), "decided_by": _DECIDED_BY}
        steps.append(Step("decide", decide | {"decision_id": decision}))
    if published is not None:
        steps += publication(published, confirmed or published + timedelta(days=7))
    return tuple(steps)


def publication(published: date, confirmed: date) -> tuple[Step, ...]:
    """Publish and share the listing; units confirm their sanctions."""
    channels = ["credit-sharing-platform", "credit-china"]
    body = {"published_on": published.isoformat(), "shared_to": channels}
    applied = {"applied_on": confirmed.isoformat(), "basis": _BASIS}
    return Step("publish", body), Step(CONFIRM, applied)


def decision_id(decided: date, number: int) -> str:
    """The number of a listing decision of the HR bureau."""
    return f"东人社惩决〔{decided.year}〕{number}号"
