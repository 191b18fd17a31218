"""Business rules of the concept: each one warns on a broken example, at the right path."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pps_sdk import Catalogue
from pps_sdk.validation import Severity, validate, validate_file

TODAY = date(2026, 11, 24)
SERVICE = "services[0]"


def drop_strategy(s: dict) -> None:
    del s["channel_strategy"]


def drop_indicators(s: dict, catalogue: dict) -> None:
    s["indicators"] = []
    catalogue["measurements"] = []


def foreign_complaints(s: dict) -> None:
    s["providers"][0]["tasks"].append({"task": "handling_feedback"})


CASES = {
    "name without Latvian": (lambda s: s.update(name={"en": "Building permit"}), "name", "no Latvian text"),
    "description without Latvian": (lambda s: s.update(description={"en": "Permit"}), "description", "no Latvian text"),
    "published without manager": (lambda s: s.pop("manager"), "manager", "service manager"),
    "inter-institutional service": (lambda s: s.update(kind="inter_institutional"), "kind", "not a public service"),
    "maturity 3 without strategy": (drop_strategy, "channel_strategy", "requires a channel strategy"),
    "complaints handed to a provider": (foreign_complaints, "providers[0].tasks[2]", "stays with the holder"),
    "published after valid_to": (lambda s: s.update(valid_to="2026-06-30"), "valid_to", "valid only until 2026-06-30"),
}


@pytest.mark.parametrize("case", CASES)
def test_service_rule_warns_with_path(building, case):
    mutate, path, message = CASES[case]
    mutate(building["services"][0])
    report = validate(Catalogue.model_validate(building), today=TODAY)
    assert report.ok, "business rules warn; they do not make a valid model invalid"
    found = [(f.path, f.message) for f in report.warnings]
    assert any(p == f"{SERVICE}.{path}" and message in m for p, m in found), found


def test_clean_example_has_no_findings(building):
    assert validate(Catalogue.model_validate(building), today=TODAY).findings == []


def test_service_without_channels_cannot_reach_clients(building):
    service = building["services"][0]
    service.update(channels=[], costs=[c | {"channel": None} for c in service["costs"]])
    service["providers"] = [p | {"channels": []} for p in service["providers"]]
    drop_strategy(service)
    report = validate(Catalogue.model_validate(building), today=TODAY)
    assert {f.path for f in report.warnings} == {f"{SERVICE}.channels", f"{SERVICE}.channel_strategy"}


def test_maturity_3_without_indicators(building):
    drop_indicators(building["services"][0], building)
    building["channels"] = [c | {"indicators": []} for c in building["channels"]]
    report = validate(Catalogue.model_validate(building), today=TODAY)
    assert [f.path for f in report.warnings] == [f"{SERVICE}.indicators"]


def test_lower_maturity_needs_neither_indicators_nor_strategy(building):
    service = building["services"][0]
    service["maturity"] = 2
    drop_strategy(service)
    assert validate(Catalogue.model_validate(building), today=TODAY).findings == []


def test_holder_may_handle_its_own_complaints(building):
    holder = building["services"][0]["holders"][0]
    building["services"][0]["providers"].append({"organisation": holder, "tasks": [{"task": "handling_feedback"}]})
    assert validate(Catalogue.model_validate(building), today=TODAY).findings == []


def test_measurement_outside_indicator_period(building):
    building["measurements"][0].update(start="2025-10-01", end="2025-12-31")
    report = validate(Catalogue.model_validate(building), today=TODAY)
    assert [(f.path, f.severity) for f in report.findings] == [("measurements[0]", Severity.WARNING)]
    assert "ind-buvatlauja-lietas" in report.findings[0].message


def test_validate_file_reports_model_errors_with_lines(tmp_path, building):
    building["services"][0]["importance"] = 7
    path = tmp_path / "c.json"
    path.write_text(json.dumps(building, indent=2, ensure_ascii=False), encoding="utf-8")
    report = validate_file(path, today=TODAY)
    assert not report.ok and not report.unreadable
    [error] = report.errors
    assert error.path == "services[0].importance" and error.source == "model"
    assert path.read_text(encoding="utf-8").splitlines()[error.line - 1].strip().startswith('"importance": 7')


def test_validate_file_reports_syntax_and_missing_files(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x",\n  "title": }', encoding="utf-8")
    syntax = validate_file(broken)
    assert [f.rule for f in syntax.errors] == ["PPS-SYNTAX"] and "line 2" in syntax.errors[0].message
    assert syntax.unreadable  # broken syntax: the file cannot be read, exit code 2
    missing = validate_file(tmp_path / "nothing.json")
    assert missing.unreadable and not missing.ok
    assert "INVALID (1 error, 0 warnings)" in missing.summary()
