"""The demo's plenaries, one each half-year since the joint meeting was set up on
2017-08-02 (原则上每半年召开一次全体会议): proposed three weeks ahead, chaired by the
convener or a deputy he delegates the chair to, with a notice asking units for
materials, attendance, minutes approved by the convener, two decisions, and the year's
work plan at the first plenary of each year."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from demo.meetings.carrying_out import fates, task
from demo.meetings.made_up import attendance, rng_for
from demo.meetings.story import (
    CONVENER,
    UNITS,
    ItemPlan,
    Step,
    Story,
    step,
)
from demo.meetings.wording import (
    DECISIONS,
    PLACES,
    TASKS,
    UNIT_NAMES,
    day_text,
    document_ref,
    half_text,
    minutes_text,
    plenary_agenda,
)

FIRST_HALF: Final = (2017, 2)
"""The joint meeting was set up on 2017-08-02; its first plenary was that August."""

# The convener (the first) chairs most plenaries; now and then he delegates the chair
# to a deputy convener.
_CHAIRS: Final = ("2017-01", "2017-02", "2017-03")
_CHAIR_WEIGHTS: Final = (6, 1, 1)
_DUE_IN_DAYS: Final = (60, 90, 120, 180, 270)
_QUARTER_ENDS: Final = ((3, 31), (6, 30), (9, 30), (12, 31))


def half_years(today: date) -> list[tuple[int, int]]:
    """Every half-year from 2017's second to today's."""
    now = (today.year, 1 if today.month <= 6 else 2)
    halves = []
    year, half = FIRST_HALF
    while (year, half) <= now:
        halves.append((year, half))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return halves


def held_on(seed: int, year: int, half: int) -> date:
    """The plenary's day: late August 2017, then between late February and April, or
    between September and mid-December."""
    rng = random.Random(f"meetings-demo-{seed}-held-{year}h{half}")  # noqa: S311 - demo data
    if (year, half) == FIRST_HALF:
        return date(2017, 8, 24) + timedelta(days=rng.randrange(7))
    start = date(year, 2, 20) if half == 1 else date(year, 9, 1)
    return start + timedelta(days=rng.randrange(70 if half == 1 else 105))


def plenary(seed: int, year: int, half: int, *, is_latest: bool) -> Story:
    """One half-year's plenary; the latest leaves one requested material missing."""
    key = f"plenary-{year}h{half}"
    rng = rng_for(seed, key)
    held = held_on(seed, year, half)
    has_work_plan = half == 1 or (year, half) == FIRST_HALF
    agenda = plenary_agenda(rng, year, half, has_work_plan=has_work_plan)
    proposed = held - timedelta(days=21)
    chair = rng.choices(_CHAIRS, weights=_CHAIR_WEIGHTS)[0]
    proposal = {
        "kind": "plenary",
        "title": f"城东区农民工工资清欠工作联席会议{half_text(year, half)}全体会议",
        "agenda": [{"title": t} for t in agenda],
        "proposed_on": proposed.isoformat(),
        "proposed_for": held.isoformat(),
    }
    schedule = step(
        "schedule",
        "schedule",
        proposed + timedelta(days=1),
        scheduled_on=held,
        place=rng.choice(PLACES),
        chair_person_id=chair,
    )
    decided = _decided(rng, year, held, has_work_plan=has_work_plan)
    steps = (
        *_delegation(chair, proposed + timedelta(days=1)),
        schedule,
        *_notice(rng, year, half, held, is_latest=is_latest),
        step("hold", "hold", held, held_on=held),
        step("attendance", "record-attendance", held, entries=attendance(rng, chair)),
        *decided[0],
        *_minutes(rng, held, agenda),
    )
    return Story(key, "plenary", proposal, steps, decided[1])


def _delegation(chair: str, on: date) -> tuple[Step, ...]:
    # A deputy chairs a plenary only once the convener delegated the chair to him.
    if chair == _CHAIRS[0]:
        return ()
    delegate = step(
        "delegate-chair",
        "delegate-chair",
        on,
        CONVENER,
        deputy_person_id=chair,
        delegated_on=on,
    )
    return (delegate,)


def _notice(
    rng: random.Random, year: int, half: int, held: date, *, is_latest: bool
) -> tuple[Step, ...]:
    sent = held - timedelta(days=18)
    units = rng.sample(UNITS, rng.choice((2, 3)))
    period = half_text(year, half)
    requests = [
        {
            "material_id": f"{unit}-summary",
            "unit_code": unit,
            "title": f"{UNIT_NAMES[unit]}{period}清欠工作总结",
            "due": held - timedelta(days=4),
        }
        for unit in units
    ]
    notice = step(
        "notice",
        "send-notice",
        sent,
        sent_on=sent,
        text=f"定于{day_text(held)}召开联席会议全体会议，请各成员单位按要求报送材料。",
        requests=requests,
    )
    # In the latest plenary one unit has not yet handed in its material.
    handed_in = units[:-1] if is_latest else units
    submissions = []
    for unit in handed_in:
        on = sent + timedelta(days=rng.randint(3, 16))
        submissions.append(
            step(
                f"material-{unit}",
                "submit-material",
                on,
                unit,
                notice_id="n1",
                material_id=f"{unit}-summary",
                document_ref=document_ref(unit, on, rng),
                submitted_on=on,
            )
        )
    return notice, *sorted(submissions, key=lambda s: s.on)


def _minutes(rng: random.Random, held: date, agenda: list[str]) -> tuple[Step, ...]:
    items = [
        {"agenda_item_id": str(n), "text": minutes_text(title)}
        for n, title in enumerate(agenda, start=1)
    ]
    steps = [
        step(
            "draft-minutes",
            "draft-minutes",
            held + timedelta(days=3),
            items=items,
            drafted_on=held + timedelta(days=3),
        ),
        step(
            "circulate-minutes",
            "circulate-minutes",
            held + timedelta(days=5),
            circulated_on=held + timedelta(days=5),
        ),
    ]
    if rng.random() < 0.4:
        amended = [
            *items[:-1],
            {**items[-1], "text": items[-1]["text"] + "会议要求各单位抓好落实。"},
        ]
        steps.append(
            step(
                "amend-minutes",
                "amend-minutes",
                held + timedelta(days=8),
                items=amended,
                reason="根据成员单位反馈意见补充落实要求",
                amended_on=held + timedelta(days=8),
            )
        )
    approved = held + timedelta(days=12)
    steps.append(
        step(
            "approve-minutes",
            "approve-minutes",
            approved,
            CONVENER,
            approved_on=approved,
        )
    )
    return tuple(steps)


@dataclass(frozen=True)
class _Draft:
    """A task before its fate is drawn: `source` is `d1`, `d2` or `wp<year>`."""

    source: str
    key: str
    unit: str
    text: str
    due: date


def _decided(
    rng: random.Random, year: int, held: date, *, has_work_plan: bool
) -> tuple[tuple[Step, ...], tuple[ItemPlan, ...]]:
    """Two decisions, each with tasks for two or three units, and the work plan; one
    task in the meeting is sent back once."""
    texts = rng.sample(DECISIONS, 2)
    drafts = _drafts(rng, year, held, has_work_plan=has_work_plan)
    built = [
        task(
            rng,
            source=d.source,
            key=d.key,
            unit=d.unit,
            text=d.text,
            assigned_on=held,
            due=d.due,
            fate=fate,
        )
        for d, fate in zip(drafts, fates(rng, len(drafts)), strict=True)
    ]
    steps = [
        step(
            f"decision-{n}",
            "record-decision",
            held,
            agenda_item_id=str(n),
            text=text,
            decided_on=held,
            tasks=[spec for spec, item in built if item.source == f"d{n}"],
        )
        for n, text in enumerate(texts, start=1)
    ]
    if has_work_plan:
        steps.append(
            step(
                "work-plan",
                "adopt-work-plan",
                held,
                year=year,
                title=f"{year}年度农民工工资清欠工作计划",
                adopted_on=held,
                tasks=[spec for spec, item in built if item.source == f"wp{year}"],
            )
        )
    return tuple(steps), tuple(item for _, item in built)


def _drafts(
    rng: random.Random, year: int, held: date, *, has_work_plan: bool
) -> list[_Draft]:
    drafts = []
    for number in (1, 2):
        for unit in rng.sample(UNITS, rng.choice((2, 3))):
            due = held + timedelta(days=rng.choice(_DUE_IN_DAYS))
            drafts.append(
                _Draft(f"d{number}", unit, unit, rng.choice(TASKS[unit]), due)
            )
    return drafts + (_work_plan(rng, year, held) if has_work_plan else [])


def _work_plan(rng: random.Random, year: int, held: date) -> list[_Draft]:
    """Three or four tasks due at the quarter ends left in the year."""
    ends = [
        day
        for month, last in _QUARTER_ENDS
        if (day := date(year, month, last)) >= held + timedelta(days=30)
    ]
    return [
        _Draft(
            f"wp{year}",
            str(n),
            unit,
            rng.choice(TASKS[unit]),
            ends[(n - 1) % len(ends)],
        )
        for n, unit in enumerate(rng.sample(UNITS, rng.choice((3, 4))), start=1)
    ]
