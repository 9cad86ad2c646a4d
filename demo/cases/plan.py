"""How the demo's cases are made up and written down: employers, projects, workers and
amounts drawn from a seed, and each case's steps, every one dated after the one before
and never after today."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

from demo.cases.made_up import (
    BUILDERS,
    GIVEN,
    NOTES,
    OTHERS,
    PLACES,
    SOURCES,
    SURNAMES,
    TERRITORIES,
    WORDS,
    WORKS,
    credit_code,
    id_number,
)

# The field that dates each step (the command's business date).
_DATE_FIELDS: Final = {
    "accept": "accepted_on",
    "reject": "rejected_on",
    "request-supplement": "requested_on",
    "receive-supplement": "received_on",
    "transfer-out": "transferred_on",
    "extend-investigation": "approved_on",
    "cancel": "cancelled_on",
    "record-payment": "paid_on",
    "decide-handling": "decided_on",
    "apply-court-enforcement": "applied_on",
    "record-enforcement-accepted": "accepted_on",
    "record-property-preservation": "ordered_on",
    "record-advance-execution": "ordered_on",
    "record-enforcement-outcome": "decided_on",
    "close": "closed_on",
    "propose-referral": "proposed_on",
    "approve-referral": "approved_on",
    "refuse-referral": "refused_on",
    "transfer-to-police": "transferred_on",
    "record-police-filing": "filed_on",
    "record-police-declining": "declined_on",
    "request-reconsideration": "requested_on",
    "request-procuratorate-supervision": "requested_on",
    "flag-mass-incident": "flagged_on",
    "flag-employer-absconded": "flagged_on",
}


@dataclass(frozen=True)
class Step:
    """One request of the demo: `path` "" receives the case, others are case steps."""

    number: int
    path: str
    body: dict[str, Any]
    unit: str | None = None  # a unit's own step (a progress report): needs its token
    is_deferred: bool = False  # runs once the deadline watcher made the order overdue


@dataclass(frozen=True)
class CasePlan:
    """One case: its steps in order, the first one receiving it; whether its order
    must first be made overdue by the deadline watcher, as it is at the end."""

    steps: tuple[Step, ...]
    awaits_overdue: bool


@dataclass(frozen=True)
class Plan:
    """Every case of the demo."""

    seed: int
    cases: tuple[CasePlan, ...]


_YUAN: Final = Decimal("1")


@dataclass
class Story:
    """One case's steps, each dated `days` after the one before (or `ago` days before
    today), never after today."""

    planner: Planner
    intake: dict[str, Any]
    day: date
    owed: Decimal
    territory: str
    subjects: tuple[str, ...]
    steps: list[tuple[str, dict[str, Any], str | None]] = field(default_factory=list)
    deferred_from: int | None = None

    def then(
        self,
        path: str,
        days: int = 0,
        *,
        ago: int | None = None,
        by: str | None = None,
        **body: Any,
    ) -> Story:
        """Add a step dated `days` after the last (or `ago` days before today); `by` a
        unit records it itself, with its own token (the police their answer)."""
        today = self.planner.today
        day = self.day + timedelta(days=days)
        if ago is not None:
            day = max(self.day, today - timedelta(days=ago))
        self.day = min(day, today)
        if path in _DATE_FIELDS:
            body = {_DATE_FIELDS[path]: self.day.isoformat(), **body}
        self.steps.append((path, body, by))
        return self

    def accept(self, days: int = 2) -> Story:
        """The inspection accepts and opens the case."""
        return self.then("accept", days)

    def supplement(self, days: int, what: str, due_in: int | None = None) -> Story:
        """Ask for supplementary material, due `due_in` days later if at all."""
        self.then("request-supplement", days, what=what)
        if due_in is not None:
            self.steps[-1][1]["due"] = (self.day + timedelta(days=due_in)).isoformat()
        return self

    def order(self, days: int, pay_in: int = 15, how: str = "in_person") -> Story:
        """Order payment of what is still owed; by mail it arrives two days later."""
        self.then("order-payment", days)
        ordered = self.day
        self.day = min(
            ordered + timedelta(days=2 if how == "mail" else 0), self.planner.today
        )
        self.steps[-1][1].update(
            ordered_on=ordered.isoformat(),
            served_on=self.day.isoformat(),
            pay_by=(self.day + timedelta(days=pay_in)).isoformat(),
            service_method=how,
            amount=str(self.owed),
        )
        return self

    def pay(self, days: int, share: str = "1") -> Story:
        """Record a payment of a share of what is still owed (all of it by default)."""
        amount = (
            self.owed if share == "1" else (self.owed * Decimal(share)).quantize(_YUAN)
        )
        self.owed -= amount
        return self.then("record-payment", days, amount=str(amount))

    def assign(
        self, lead: str, helpers: tuple[str, ...] = (), due_in: int = 15
    ) -> Story:
        """The office assigns the case now, due `due_in` days from today; the case's
        own town or community helps unless it leads."""
        if self.territory not in (lead, *helpers):
            helpers = (*helpers, self.territory)
        body = {
            "lead_unit": lead,
            "helping_units": list(helpers),
            "due_on": (self.planner.today + timedelta(days=due_in)).isoformat(),
            "note": NOTES.get(lead, NOTES["sq"]),
        }
        self.steps.append(("assign", body, None))
        return self

    def report(self, unit: str, text: str) -> Story:
        """An assigned unit reports progress today."""
        body = {"text": text, "reported_on": self.planner.today.isoformat()}
        self.steps.append(("report-progress", body, unit))
        return self

    def once_overdue(self) -> Story:
        """The steps after this wait until the watcher has marked the order overdue
        (and the demo waits for that even when no step follows)."""
        self.deferred_from = len(self.steps)
        return self


class Planner:
    """Makes up the cases from the seed: employers, projects, workers, amounts."""

    def __init__(self, seed: int, today: date) -> None:
        self.seed = seed
        self.today = today
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
        self.stories: list[Story] = []
        self.named = 0
        self.codes: dict[str, str] = {}

    def case(
        self,
        ago: int,
        *,
        sector: str = "construction",
        source: str = "complaint",
        workers: int = 0,
        months: int = 0,
        named: int = 0,
        territory: str = "",
        employer: dict[str, str] | None = None,
        **flags: bool,
    ) -> Story:
        """A case received `ago` days before today."""
        workers = workers or self.rng.randint(3, 25)
        months = months or self.rng.randint(2, 8)
        owed = self.amount(sector, workers * months)
        made_up, project = self.employer(sector)
        employer = employer or made_up
        story = Story(
            planner=self,
            intake={},
            day=self.today - timedelta(days=ago),
            owed=owed,
            territory=territory or self.rng.choice(TERRITORIES),
            subjects=tuple(self.subject() for _ in range(named)),
        )
        story.intake = {
            "source": source,
            "sector": sector,
            "employer": employer,
            "project": project,
            "workers_count": workers,
            "workers": [self.worker(s) for s in story.subjects],
            "months_owed": months,
            "amount_owed": str(owed),
            "territorial_unit": story.territory,
            "summary": f"{SOURCES[source]}{workers}名农民工反映{employer['name']}"
            f"拖欠{months}个月工资共{owed}元",
            "received_on": story.day.isoformat(),
            "is_mass_incident": flags.get("mass", False),
            "is_employer_absconded": flags.get("absconded", False),
        }
        self.stories.append(story)
        return story

    def amount(self, sector: str, worker_months: int) -> Decimal:
        """What is owed: a month's wage of the sector, for each worker and month,
        less what was paid on account."""
        rng = self.rng
        wage = (
            rng.randrange(3800, 6800, 100)
            if sector == "construction"
            else rng.randrange(2800, 4600, 100)
        )
        return Decimal(worker_months * wage * rng.randrange(6, 11) // 10)

    def employer(self, sector: str) -> tuple[dict[str, str], dict[str, str] | None]:
        """An employer with a valid code and, in construction, its project and chain."""
        rng = self.rng
        words = rng.sample(WORDS, 4)
        if sector != "construction":
            name = rng.choice(OTHERS).format(words[0])
            return {"name": name, "uscc": self.code_of(name)}, None
        contractor = BUILDERS[0].format(words[1])
        subcontractor = BUILDERS[2].format(words[2])
        client = rng.choice(
            ("西宁市城东区城市建设投资有限公司", f"青海{words[3]}房地产开发有限公司")
        )
        project = {
            "name": f"{rng.choice(PLACES)}{rng.choice(WORKS)}项目",
            "client": client,
            "general_contractor": contractor,
            "subcontractor": subcontractor,
        }
        name = rng.choice((contractor, subcontractor, BUILDERS[1].format(words[0])))
        return {"name": name, "uscc": self.code_of(name)}, project

    def code_of(self, name: str) -> str:
        """The employer's USCC: the same name keeps the same code."""
        return self.codes.setdefault(name, credit_code(self.rng))

    def subject(self) -> str:
        """A new worker's subject: the key their personal data is sealed under."""
        self.named += 1
        return f"demo{self.seed}-w{self.named:03d}"

    def worker(self, subject: str) -> dict[str, str]:
        """A named worker with a valid ID number and a mobile number."""
        rng = self.rng
        return {
            "subject": subject,
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "id_number": id_number(rng),
            "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        }

    def plan(self) -> Plan:
        """The stories in order of receipt, every step numbered."""
        cases: list[CasePlan] = []
        number = 0
        for story in sorted(self.stories, key=lambda s: s.intake["received_on"]):
            steps = []
            for index, (path, body, unit) in enumerate(
                [("", story.intake, None), *story.steps]
            ):
                number += 1
                later = story.deferred_from is not None and index > story.deferred_from
                steps.append(Step(number, path, body, unit, later))
            cases.append(CasePlan(tuple(steps), story.deferred_from is not None))
        return Plan(self.seed, tuple(cases))
