"""The demo's meetings in the order they were proposed: a plenary each half-year, two
special meetings the convener approved, and a joint inspection whose finding of wage
arrears becomes a case in cases. Every date is fixed by the seed; a meeting is in the
plan once it has been held, and each step once its day has come."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, Final

from demo.meetings.carrying_out import fates, task
from demo.meetings.made_up import employer, rng_for
from demo.meetings.plenaries import half_years, held_on, plenary
from demo.meetings.story import CONVENER, ItemPlan, Step, Story, step
from demo.meetings.wording import TASKS

_ARREARS_AREA: Final = "sq-huochezhan"


def build_plan(seed: int, today: date) -> tuple[Story, ...]:
    """Every demo meeting held by today, as far as today, oldest proposal first."""
    held = [(y, h) for y, h in half_years(today) if held_on(seed, y, h) <= today]
    latest = held[-1] if held else None
    stories = [plenary(seed, y, h, is_latest=(y, h) == latest) for y, h in held]
    stories += [
        s
        for s, held_day in (
            _special_2019(seed),
            _special_2023(seed),
            _inspection(seed),
        )
        if held_day <= today
    ]
    stories.sort(key=lambda s: str(s.proposal["proposed_on"]))
    return tuple(s.until(today) for s in stories)


def _special(
    seed: int,
    key: str,
    *,
    held: date,
    title: str,
    invited: tuple[str, ...],
    chair: str,
    decision: str,
    tasked: tuple[str, ...],
) -> tuple[Story, date]:
    """A special meeting: proposed two weeks ahead, approved by the convener, held
    under its chair, with one decision."""
    rng = rng_for(seed, key)
    proposed, approved = held - timedelta(days=14), held - timedelta(days=11)
    proposal = {
        "kind": "special",
        "title": title,
        "agenda": [{"title": title.removesuffix("专题会议")}],
        "invited_units": list(invited),
        "proposed_on": proposed.isoformat(),
        "proposed_for": held.isoformat(),
    }
    built = [
        task(
            rng,
            source="d1",
            key=unit,
            unit=unit,
            text=rng.choice(TASKS[unit]),
            assigned_on=held,
            due=held + timedelta(days=rng.choice((45, 60, 90))),
            fate=fate,
        )
        for unit, fate in zip(tasked, fates(rng, len(tasked)), strict=True)
    ]
    steps = (
        step("approve", "approve", approved, CONVENER, approved_on=approved),
        step(
            "schedule",
            "schedule",
            approved + timedelta(days=1),
            scheduled_on=held,
            place="区人社局五楼会议室",
            chair_person_id=chair,
        ),
        step("hold", "hold", held, held_on=held),
        step(
            "decision-1",
            "record-decision",
            held,
            agenda_item_id="1",
            text=decision,
            decided_on=held,
            tasks=[spec for spec, _ in built],
        ),
    )
    items: tuple[ItemPlan, ...] = tuple(item for _, item in built)
    return Story(key, "special", proposal, steps, items), held


def _special_2019(seed: int) -> tuple[Story, date]:
    return _special(
        seed,
        "special-2019",
        held=date(2019, 6, 3) + timedelta(days=_jitter(seed, "special-2019")),
        title="涉嫌拒不支付劳动报酬犯罪案件行刑衔接专题会议",
        invited=("rsj", "gafj", "fy", "sfj"),
        chair="2017-01",
        decision="人社、公安、法院建立欠薪案件线索通报和移送会商机制",
        tasked=("gafj", "fy", "rsj"),
    )


def _special_2023(seed: int) -> tuple[Story, date]:
    return _special(
        seed,
        "special-2023",
        held=date(2023, 12, 11) + timedelta(days=_jitter(seed, "special-2023")),
        title="岁末年初根治欠薪冬季攻坚专题会议",
        invited=("rsj", "jsj", "xfj", "yjkz", "sq-linjiaya"),
        chair="2017-03",
        decision="春节前集中排查化解欠薪隐患，确保农民工工资应发尽发",
        tasked=("jsj", "xfj", "yjkz"),
    )


def _inspection(seed: int) -> tuple[Story, date]:
    """A joint inspection of building sites before the Spring Festival: one finding of
    wage arrears (a case for cases), one about wage accounts."""
    key = "inspection-2025"
    rng = rng_for(seed, key)
    starts = date(2025, 12, 8) + timedelta(days=_jitter(seed, key))
    ends = starts + timedelta(days=4)
    proposal = {
        "kind": "inspection",
        "title": "2026年春节前农民工工资支付情况联合督查",
        "agenda": [{"title": "在建工程项目农民工工资支付情况"}],
        "invited_units": ["rsj", "jsj", "gafj", _ARREARS_AREA],
        "plan": {
            "text": "督查火车站片区在建工程项目农民工工资专用账户、实名制管理和"
            "工资按月足额支付情况",
            "area": "火车站社区",
            "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(),
        },
        "proposed_on": (starts - timedelta(days=14)).isoformat(),
    }
    steps = (
        step(
            "schedule",
            "schedule",
            starts - timedelta(days=13),
            scheduled_on=starts,
            place="火车站片区在建项目现场",
        ),
        _arrears_finding(rng, starts + timedelta(days=1)),
        step(
            "finding-accounts",
            "raise-finding",
            starts + timedelta(days=2),
            found_on=starts + timedelta(days=2),
            description="部分在建项目未按规定开设农民工工资专用账户、未落实实名制管理",
            unit_code="jsj",
        ),
        step("hold", "hold", ends, held_on=ends),
    )
    return Story(key, "inspection", proposal, steps), ends


def _arrears_finding(rng: random.Random, found: date) -> Step:
    name, code = employer(rng)
    workers = rng.randint(12, 40)
    arrears: dict[str, Any] = {
        "employer_name": name,
        "employer_uscc": code,
        "sector": "construction",
        "project_name": "城东区火车站片区棚户区改造安置房项目",
        "workers_count": workers,
        "months_owed": 3,
        "amount_owed": f"{workers * rng.randint(5200, 7800)}.00",
        "territorial_unit": _ARREARS_AREA,
    }
    return step(
        "finding-arrears",
        "raise-finding",
        found,
        found_on=found,
        description=f"{name}拖欠{workers}名农民工3个月工资",
        unit_code="jsj",
        suggested_lead_unit="rsj",
        arrears=arrears,
    )


def _jitter(seed: int, key: str) -> int:
    """A few days either way, the same for the same seed."""
    return random.Random(f"meetings-demo-{seed}-{key}-day").randint(-3, 3)  # noqa: S311 - demo data
