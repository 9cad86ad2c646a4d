"""Reconciliation across services: for each event that should have set something off
in another service (or in another stream of its own), whether audit received what it
set off. Pure functions of the events audit received (no I/O, no clock); each rule
returns how many it checked and the gaps, aged from the source event's time."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

EVERY_UNIT = "*"


class Rule(StrEnum):
    """What must follow what; the values are stored and published: add, never rename."""

    CREDIT_CANDIDATE = "credit-candidate"
    FINDING_CASE = "finding-case"
    ACTION_ITEMS = "action-items"
    SANCTION_TASKS = "sanction-tasks"
    TASKS_LIFTED = "tasks-lifted"


@dataclass(frozen=True)
class Received:
    """An event as audit received it: enough to reconcile."""

    service: str
    position: int
    stream_id: str
    event_type: str
    recorded_at: datetime
    data: Mapping[str, object]


@dataclass(frozen=True)
class Gap:
    """A source event whose consequence `missing` audit has not received."""

    rule: Rule
    service: str
    position: int
    stream_id: str
    since: datetime
    missing: str


@dataclass(frozen=True)
class RuleResult:
    """One rule over everything received: how many source events it checked, the gaps."""

    rule: Rule
    checked: int
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class UnitSpan:
    """A member unit, by code, from its admission to its withdrawal (if any)."""

    code: str
    admitted_at: datetime
    withdrawn_at: datetime | None = None


def _gap(rule: Rule, source: Received, missing: str) -> Gap:
    return Gap(
        rule,
        source.service,
        source.position,
        source.stream_id,
        source.recorded_at,
        missing,
    )


def _of(events: Iterable[Received], service: str, *types: str) -> list[Received]:
    return [e for e in events if e.service == service and e.event_type in types]


def _text(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _items(data: Mapping[str, object], key: str) -> list[Mapping[str, object]]:
    value = data.get(key)
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def _strings(data: Mapping[str, object], key: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, str)]


def credit_candidates(events: Sequence[Received]) -> RuleResult:
    """Every cases `CreditListingRecommended` has a credit `CandidateOpened` whose
    grounds name the case (credit opens one candidate per case)."""
    opened = {
        case_id
        for e in _of(events, "credit", "CandidateOpened")
        for grounds in [e.data.get("grounds")]
        if isinstance(grounds, Mapping)
        for case_id in _strings(grounds, "case_ids")
    }
    sources = _of(events, "cases", "CreditListingRecommended")
    gaps = tuple(
        _gap(
            Rule.CREDIT_CANDIDATE, s, f"credit candidate for {_text(s.data, 'case_id')}"
        )
        for s in sources
        if _text(s.data, "case_id") not in opened
    )
    return RuleResult(Rule.CREDIT_CANDIDATE, len(sources), gaps)


def finding_cases(events: Sequence[Received]) -> RuleResult:
    """Every meetings `InspectionFindingRaised` (arrears) has a cases `CaseReceived`
    from an inspection finding naming it (`<meeting stream>/<finding id>`)."""
    received = {
        _text(e.data, "source_reference")
        for e in _of(events, "cases", "CaseReceived")
        if _text(e.data, "source") == "inspection_finding"
    }
    sources = _of(events, "meetings", "InspectionFindingRaised")
    gaps = []
    for s in sources:
        reference = f"{s.stream_id}/{_text(s.data, 'finding_id')}"
        if reference not in received:
            gaps.append(_gap(Rule.FINDING_CASE, s, f"case for finding {reference}"))
    return RuleResult(Rule.FINDING_CASE, len(sources), tuple(gaps))


def action_items(events: Sequence[Received]) -> RuleResult:
    """Every meetings decision (and work plan) has one action item per responsible
    unit: an `ActionItemAssigned` on `action-<id>` of each task, for its unit."""
    assigned = {
        (e.stream_id, _text(e.data, "unit_code"))
        for e in _of(events, "meetings", "ActionItemAssigned")
    }
    sources = _of(events, "meetings", "DecisionRecorded", "WorkPlanAdopted")
    gaps = [
        _gap(
            Rule.ACTION_ITEMS,
            s,
            f"action item {_text(task, 'action_id')} for {_text(task, 'unit_code')}",
        )
        for s in sources
        for task in _items(s.data, "tasks")
        if (f"action-{_text(task, 'action_id')}", _text(task, "unit_code"))
        not in assigned
    ]
    return RuleResult(Rule.ACTION_ITEMS, len(sources), tuple(gaps))


def active_units(directory: Iterable[UnitSpan], at: datetime) -> set[str]:
    """The codes of the units admitted and not withdrawn at `at`."""
    return {
        u.code
        for u in directory
        if u.admitted_at <= at and (u.withdrawn_at is None or u.withdrawn_at > at)
    }


def expected_tasks(
    duties: Mapping[str, Collection[str]], units: Collection[str]
) -> set[tuple[str, str]]:
    """(unit, measure) of each active unit with a sanction duty (`*`: every unit);
    a unit named in a duty but not active has none."""
    return {
        (code, measure)
        for measure, named in duties.items()
        for duty_unit in named
        for code in (units if duty_unit == EVERY_UNIT else (duty_unit,))
        if code in units
    }


def sanction_tasks(
    events: Sequence[Received],
    *,
    duties: Mapping[str, Collection[str]],
    directory: Sequence[UnitSpan],
) -> RuleResult:
    """Every credit `ListingPublished` is activated (`ListingActivated`, same stream)
    with a sanction task for each unit with that duty, active when it was published."""
    tasks = {
        e.stream_id: {
            (_text(t, "unit_code"), _text(t, "measure"))
            for t in _items(e.data, "sanction_tasks")
        }
        for e in _of(events, "credit", "ListingActivated")
    }
    sources = _of(events, "credit", "ListingPublished")
    gaps: list[Gap] = []
    for s in sources:
        held = tasks.get(s.stream_id)
        if held is None:
            gaps.append(_gap(Rule.SANCTION_TASKS, s, "listing activation"))
            continue
        wanted = expected_tasks(duties, active_units(directory, s.recorded_at))
        gaps += [
            _gap(Rule.SANCTION_TASKS, s, f"sanction task {measure} for {unit}")
            for unit, measure in sorted(wanted - held)
        ]
    return RuleResult(Rule.SANCTION_TASKS, len(sources), tuple(gaps))


ENDINGS = ("ListingExpired", "ListingRevoked", "EarlyRemovalGranted")


def tasks_lifted(events: Sequence[Received], *, today: date) -> RuleResult:
    """Every ended listing (expired, revoked, removed early) has each task it named to
    lift lifted (`SanctionLifted`, same stream) once the day to confirm it by has
    passed: before then the units are still in time."""
    lifted = {
        (e.stream_id, _text(e.data, "task_id"))
        for e in _of(events, "credit", "SanctionLifted")
    }
    sources = _of(events, "credit", *ENDINGS)
    gaps: list[Gap] = []
    for s in sources:
        due = _text(s.data, "lift_due")
        if not due or date.fromisoformat(due) >= today:
            continue
        gaps += [
            _gap(Rule.TASKS_LIFTED, s, f"sanction task {task} lifted")
            for task in _strings(s.data, "sanctions_to_lift")
            if (s.stream_id, task) not in lifted
        ]
    return RuleResult(Rule.TASKS_LIFTED, len(sources), tuple(gaps))


def reconcile(
    events: Sequence[Received],
    *,
    duties: Mapping[str, Collection[str]],
    directory: Sequence[UnitSpan],
    today: date,
) -> list[RuleResult]:
    """Every rule over the events received."""
    return [
        credit_candidates(events),
        finding_cases(events),
        action_items(events),
        sanction_tasks(events, duties=duties, directory=directory),
        tasks_lifted(events, today=today),
    ]
