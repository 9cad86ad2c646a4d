"""The demo's listings, in every state: for each, the subject, the grounds and the
steps, with dates counted back from today that the domain accepts (past dates are
allowed; the objection period of `[limits.credit]` has passed before each past
decision, and a decision today follows an objection filed and reviewed today)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from demo.credit.made_up import MadeUp
from demo.credit.story import (
    LIFT,
    Step,
    Story,
    decision_id,
    grounds,
    procedure,
)
from shared.months import add_months

_PERSON: Final = "legal_representative"
FROM_CASE: Final = "from-case"
_RESPONSIBLE: Final = "responsible_person"


def build_plan(seed: int, today: date) -> tuple[Story, ...]:
    """Every demo listing, employers before their persons."""
    made = MadeUp(seed)
    return (
        *_before_decision(made, today),
        *_decided(made, today),
        *_ended(made, today),
    )


def _ago(today: date, days: int) -> date:
    return today - timedelta(days=days)


def _before_decision(made: MadeUp, today: date) -> tuple[Story, ...]:
    t = today
    return (
        Story("candidate", made.employer(), grounds("86000.00", 4, 11), _ago(t, 6)),
        Story(
            "notice-served",
            made.employer(),
            grounds("134500.00", 5, 23, is_mass_incident=True),
            _ago(t, 20),
            procedure(served=t),
        ),
        Story(
            "objection-filed",
            made.employer(),
            grounds("52300.00", 3, 9),
            _ago(t, 15),
            procedure(served=t, objection=t),
        ),
        Story(
            "under-review",
            made.employer(),
            grounds("71800.00", 4, 14),
            _ago(t, 18),
            procedure(served=t, objection=t, is_upheld=False),
        ),
        # The cautious-listing clause: paid in full and committed before the decision.
        Story(
            "paid-before-decision",
            made.employer(),
            grounds("48000.00", 3, 8),
            _ago(t, 70),
            (
                *procedure(served=_ago(t, 60)),
                Step(
                    "decide-not-to-list",
                    {
                        "decided_on": _ago(t, 40).isoformat(),
                        "reason": "列入决定前已全额支付拖欠工资并书面承诺，依审慎列入原则不予列入",
                    },
                ),
            ),
        ),
        Story(
            "objection-upheld",
            made.employer(),
            grounds("39000.00", 3, 7),
            _ago(t, 12),
            (
                *procedure(served=t, objection=t, is_upheld=True),
                Step(
                    "decide-not-to-list",
                    {
                        "decided_on": t.isoformat(),
                        "reason": "异议成立：工资已在限期内支付",
                    },
                ),
            ),
        ),
    )


def _decided(made: MadeUp, today: date) -> tuple[Story, ...]:
    t = today
    listed = procedure(
        served=_ago(t, 65), decided=_ago(t, 3), decision=decision_id(_ago(t, 3), 11)
    )
    now = procedure(
        served=t,
        objection=t,
        is_upheld=False,
        decided=t,
        decision=decision_id(t, 12),
        published=t,
        confirmed=t,
    )
    active = procedure(
        served=_ago(t, 140),
        decided=_ago(t, 80),
        decision=decision_id(_ago(t, 80), 9),
        published=_ago(t, 78),
    )
    big = grounds("312600.00", 7, 46, is_mass_incident=True)
    return (
        Story(
            "listed", made.employer(), grounds("96000.00", 5, 12), _ago(t, 75), listed
        ),
        Story(
            "listed-rep",
            made.person(_PERSON, "法定代表人"),
            grounds("96000.00", 5, 12),
            _ago(t, 75),
            listed,
            employer="listed",
        ),
        Story("active-today", made.employer(), big, _ago(t, 10), now),
        Story(
            "active-today-rep",
            made.person(_PERSON, "法定代表人"),
            big,
            _ago(t, 10),
            now,
            employer="active-today",
        ),
        Story(
            "active", made.employer(), grounds("158000.00", 6, 21), _ago(t, 150), active
        ),
        Story(
            "active-responsible",
            made.person(_RESPONSIBLE, "项目负责人"),
            grounds("158000.00", 6, 21),
            _ago(t, 150),
            active,
            employer="active",
        ),
        _ending_soon(made, today),
    )


def _ending_soon(made: MadeUp, today: date) -> Story:
    # Decided almost three years ago: the listing ends within 90 days.
    decided = add_months(today, -36) + timedelta(days=40)
    return Story(
        "ending-soon",
        made.employer(),
        grounds("64000.00", 4, 10),
        decided - timedelta(days=80),
        procedure(
            served=decided - timedelta(days=70),
            decided=decided,
            decision=decision_id(decided, 3),
            published=decided + timedelta(days=2),
        ),
    )


def _ended(made: MadeUp, today: date) -> tuple[Story, ...]:
    t = today
    removed = procedure(
        served=_ago(t, 410),
        decided=_ago(t, 340),
        decision=decision_id(_ago(t, 340), 5),
        published=_ago(t, 338),
    )
    # Paid 250 days ago, during the listing, over 6 months before applying, with a
    # written commitment; no case covers these listings, so the office records the
    # evidence of payment it checked (the payment must be on record).
    early = {"applied_on": t.isoformat(), "paid_on": _ago(t, 250).isoformat()}
    commitment = "本公司承诺今后按时足额支付农民工工资，接受社会监督"
    refused = procedure(
        served=_ago(t, 190),
        decided=_ago(t, 120),
        decision=decision_id(_ago(t, 120), 7),
        published=_ago(t, 118),
    )
    # Paid only a month ago and no written commitment: the application is refused.
    too_soon = {"applied_on": t.isoformat(), "paid_on": _ago(t, 30).isoformat()}
    revoked = procedure(
        served=_ago(t, 290),
        decided=_ago(t, 220),
        decision=decision_id(_ago(t, 220), 6),
        published=_ago(t, 218),
    )
    revocation = {
        "revoked_on": _ago(t, 5).isoformat(),
        "by": "reconsideration",
        "reference": f"东区政复决字〔{_ago(t, 5).year}〕3号",
    }
    decide_now = Step("decide-early-removal", {"decided_on": t.isoformat()})
    return (
        Story(
            "removed-early",
            made.employer(),
            grounds("88000.00", 4, 13),
            _ago(t, 420),
            (
                *removed,
                _evidence(early["paid_on"]),
                Step(
                    "apply-for-early-removal", early | {"commitment_text": commitment}
                ),
                decide_now,
                _lift(t),
            ),
        ),
        Story(
            "removal-refused",
            made.employer(),
            grounds("57000.00", 3, 9),
            _ago(t, 200),
            (
                *refused,
                _evidence(too_soon["paid_on"]),
                Step("apply-for-early-removal", too_soon),
                decide_now,
            ),
        ),
        Story(
            "revoked",
            made.employer(),
            grounds("45000.00", 3, 10),
            _ago(t, 300),
            (*revoked, Step("revoke", revocation), _lift(t)),
        ),
        *_expiring(made, today),
    )


def _evidence(paid_on: str) -> Step:
    return Step(
        "record-payment-evidence",
        {
            "paid_on": paid_on,
            "evidence": "银行转账凭证（农民工工资足额支付）",
            "verified_by": "劳动保障监察大队 王五",
        },
    )


def _lift(today: date) -> Step:
    return Step(LIFT, {"lifted_on": today.isoformat()})


def _expiring(made: MadeUp, today: date) -> tuple[Story, ...]:
    # Decided more than 3 years ago: the watcher expires it (rules.md §3.1.1).
    decided = add_months(today, -36) - timedelta(days=30)
    steps = procedure(
        served=decided - timedelta(days=70),
        decided=decided,
        decision=decision_id(decided, 2),
        published=decided + timedelta(days=2),
    )
    amounts = grounds("126000.00", 6, 18)
    opened = decided - timedelta(days=80)
    return (
        Story("expired", made.employer(), amounts, opened, steps),
        Story(
            "expired-rep",
            made.person(_PERSON, "法定代表人"),
            amounts,
            opened,
            steps,
            employer="expired",
        ),
    )


def from_case(today: date) -> Story:
    """A candidate credit opened from a case of the cases demo, listed and published
    today after an objection reviewed today: one employer's cases and listing on one
    timeline (audit's `/timeline?uscc=`). The runner picks the candidate; the story
    names no subject of its own."""
    steps = procedure(
        served=today,
        objection=today,
        is_upheld=False,
        decided=today,
        decision=decision_id(today, 13),
        published=today,
        confirmed=today,
    )
    return Story(FROM_CASE, {}, {}, today, steps)
