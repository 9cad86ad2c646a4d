"""The documentation site's generated pages: they come from the code, and they stop the
build when the code and the notes disagree."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs.generate import asyncapi_pages, bench_results, problem_codes, settings_table
from docs.hooks import render

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "docs" / "settings-notes.yml"


def test_problem_codes_are_found_where_they_are_raised(tmp_path: Path) -> None:
    module = tmp_path / "services" / "x" / "domain.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from shared.errors import DomainError, InvalidInput, RuleViolated\n"
        "class Gone(DomainError):\n"
        "    code = 'gone-away'\n"
        "class Setting:\n"
        "    code = 'not-an-error'\n"
        "def f() -> None:\n"
        "    raise RuleViolated('too-late', 'detail')\n"
        "def g() -> None:\n"
        "    raise InvalidInput(field='a', rule='a_rule', detail='d')\n",
        encoding="utf-8",
    )
    found = problem_codes.scan(tmp_path, ("services",))
    assert {(f.kind, f.name, f.where) for f in found} == {
        ("code", "gone-away", "services/x/domain.py:3"),
        ("code", "too-late", "services/x/domain.py:7"),
        ("rule", "a_rule", "services/x/domain.py:9"),
    }


def test_every_code_of_the_repository_is_listed_once() -> None:
    found = problem_codes.scan(ROOT)
    page = problem_codes.table(found, "code")
    names = {f.name for f in found if f.kind == "code"}
    assert "not-found" in names
    for name in names:
        assert page.count(f"| `{name}` |") == 1


def test_a_setting_without_a_note_stops_the_build() -> None:
    said = settings_table.notes(NOTES)
    del said["PORT"]
    with pytest.raises(settings_table.NotesOutOfStep, match="PORT"):
        settings_table.service_table(said)


def test_a_note_without_a_setting_stops_the_build() -> None:
    said = {**settings_table.notes(NOTES), "limits.credit.no_such_key": "gone"}
    with pytest.raises(settings_table.NotesOutOfStep, match="no_such_key"):
        settings_table.limits_table("credit", said)


def test_the_settings_table_shows_the_codes_defaults_and_bounds() -> None:
    table = settings_table.service_table(settings_table.notes(NOTES))
    assert "| `TOPIC_PARTITIONS` | all | `int` | `3` | ≥ 1, ≤ 64 |" in table
    assert "members: `8001`, cases: `8002`" in table


def test_bench_results_render_each_ratio(tmp_path: Path) -> None:
    (tmp_path / "reference-quick.json").write_text(
        '{"mode": "quick", "seconds": 45.2, "figures": {"relay events/s": 15000.0},'
        ' "runs": {"relay events/s": 3}, "ratios": {"relay / raw keyed produce":'
        ' {"value": 0.61, "target": "≥ 0.5", "is_met": true}}}',
        encoding="utf-8",
    )
    page = bench_results.page_section(tmp_path)
    assert "| relay / raw keyed produce | 0.61 | ≥ 0.5 | yes |" in page
    assert "| relay events/s | 15,000 | 3 |" in page


def test_an_unknown_marker_stops_the_build() -> None:
    with pytest.raises(ValueError, match="no maker"):
        render("<!-- generated: nothing -->")


def test_the_event_contracts_page_lists_every_message_of_every_document() -> None:
    folder = ROOT / "contracts" / "asyncapi"

    page = asyncapi_pages.page_section(folder)

    for service, document in asyncapi_pages.load(folder).items():
        assert f"## {service}" in page
        for name in document["channels"]["events"]["messages"]:
            assert page.count(f"### `{name}`") == 1
    assert "| `lead_unit` | string | yes |" in page


def test_no_asyncapi_documents_stop_the_build(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no AsyncAPI documents"):
        asyncapi_pages.page_section(tmp_path)
