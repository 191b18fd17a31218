"""Values judged against their passports: derived values, status, alarms, trends."""

from __future__ import annotations

import pytest

from pps_sdk import load
from pps_sdk.indicators import FormulaError, Status, evaluate, judge, read_measurements
from pps_sdk.indicators.evaluation import derive, formula_order
from pps_sdk.model import Catalogue
from pps_sdk.model.indicator import Indicator
from conftest import ROOT

PERMIT = ROOT / "src" / "pps_sdk" / "examples" / "building-permit.json"


@pytest.fixture(scope="module")
def catalogue():
    return load(PERMIT)


def passport(catalogue, id, **changes):
    data = catalogue.indicator(id).model_dump(mode="json", exclude_none=True)
    data.update(changes)
    return Indicator.model_validate(data)


def table(tmp_path, text):
    path = tmp_path / "values.csv"
    path.write_text("indicator,period,value,channel,segment\n" + text, encoding="utf-8")
    return path


def test_the_example_is_judged_with_its_derived_share_and_trends(catalogue):
    result = evaluate(catalogue, read_measurements([], catalogue))
    by_key = {(v.indicator, v.period.label, v.breakdown.label): v for v in result.values}
    share = by_key[("ind-buvatlauja-e-dala", "2026-Q2", "all")]
    assert share.derived and share.value == pytest.approx(53 / 58 * 100)
    assert (share.status, share.reason) == (Status.GOOD, "is at or above the minimum 75")
    assert share.previous == pytest.approx(37 / 42 * 100) and share.change_from_previous == pytest.approx(53 / 58 * 100 - 37 / 42 * 100)
    duration = by_key[("ind-buvatlauja-ilgums", "2026-Q1", "all")]
    assert (duration.status, duration.reason) == (Status.WARNING, "is in the warning zone 21…28")
    assert duration.target == "zones: good < 21, warning 21…28, critical ≥ 28 (aim 20); corridor ≤ 30"
    # the one-stop centre's breakdown has no e-cases, so no share is computed for it
    assert ("ind-buvatlauja-e-dala", "2026-Q2", "channel ch-jelgava-vpvkac, segment residents") not in by_key
    assert not result.critical and result.alarms == [] and result.not_computed == []


def test_a_value_outside_the_corridor_raises_an_alarm_naming_the_procedure_and_who_analyses(catalogue, tmp_path):
    readings = read_measurements([table(tmp_path, "ind-buvatlauja-ilgums,2026-Q3,31,,\nind-buvatlauja-ilgums,2027-Q2,29,,\n")], catalogue)
    result = evaluate(catalogue, readings)
    assert result.critical
    first, second = result.alarms_first()[:2]
    assert (first.period.label, first.status, first.reason) == ("2026-Q3", Status.CRITICAL, "is above the critical corridor's upper bound 30")
    alarm = first.alarm
    assert alarm.procedure.startswith("Ja vidējais laiks pārsniedz 30 dienas")
    assert alarm.analysed_by == "Būvvaldes vadītājs (org-jelgava-buvvalde)"
    assert "Alarm procedure: Ja vidējais" in str(alarm) and "Analysed by: Būvvaldes vadītājs" in str(alarm)
    # inside the corridor but in the critical zone: critical too
    assert (second.period.label, second.status, second.reason) == ("2027-Q2", Status.CRITICAL, "is in the critical zone ≥ 28")
    assert second.previous is None and (second.year_earlier, second.change_from_year_earlier) == (19.0, 10.0)
    q3 = next(v for v in result.values if v.period.label == "2026-Q3")
    assert q3.previous == 19.0 and q3.change_from_previous == 12.0


def test_trend_against_the_same_period_a_year_earlier(catalogue, tmp_path):
    readings = read_measurements([table(tmp_path, "ind-buvatlauja-lietas,2027-Q2,70,,\n")], catalogue)
    q2 = next(v for v in evaluate(catalogue, readings).values if v.period.label == "2027-Q2")
    assert (q2.year_earlier, q2.change_from_year_earlier, q2.previous) == (58.0, 12.0, None)


@pytest.mark.parametrize("target, value, status", [
    ({"kind": "minimum", "minimum": 75}, 75, Status.GOOD),
    ({"kind": "minimum", "minimum": 75}, 74.9, Status.WARNING),
    ({"kind": "maximum", "maximum": 10}, 10, Status.GOOD),
    ({"kind": "maximum", "maximum": 10}, 11, Status.WARNING),
    ({"kind": "range", "minimum": 5, "maximum": 10}, 4, Status.WARNING),
    ({"kind": "range", "minimum": 5, "maximum": 10}, 7, Status.GOOD),
    ({"kind": "scale", "minimum": 1, "maximum": 5, "value": 4}, 4, Status.GOOD),
    ({"kind": "scale", "minimum": 1, "maximum": 5, "value": 4}, 3.5, Status.WARNING),
    ({"kind": "scale", "minimum": 1, "maximum": 5}, 3.5, Status.NO_TARGET),
    ({"kind": "zones", "zones": [{"level": "good", "upper": 5}, {"level": "warning", "lower": 5, "upper": 8}]}, 5, Status.WARNING),
    ({"kind": "zones", "zones": [{"level": "good", "upper": 5}, {"level": "warning", "lower": 5, "upper": 8}]}, 9, Status.WARNING),
    ({"kind": "zones", "zones": [{"level": "good", "upper": 5}, {"level": "critical", "lower": 8}]}, 8, Status.CRITICAL),
])
def test_each_kind_of_target(catalogue, target, value, status):
    assert judge(passport(catalogue, "ind-buvatlauja-lietas", target=target), value)[0] is status


def test_the_corridor_wins_over_the_target_and_no_target_is_said(catalogue):
    guarded = passport(catalogue, "ind-buvatlauja-lietas", target={"kind": "minimum", "minimum": 10},
                       critical_corridor={"lower": 5, "upper": 100}, alarm_procedure={"lv": "Ziņot."})
    assert judge(guarded, 4) == (Status.CRITICAL, "is below the critical corridor's lower bound 5")
    assert judge(guarded, 100)[0] is Status.GOOD and judge(guarded, 101)[0] is Status.CRITICAL
    assert judge(catalogue.indicator("ind-buvatlauja-lietas"), 1e9) == (Status.NO_TARGET, "no target")


def test_a_division_by_zero_skips_that_value_only(catalogue, tmp_path):
    readings = read_measurements([table(tmp_path, "ind-buvatlauja-lietas,2026-Q3,0,,\nind-buvatlauja-e-lietas,2026-Q3,0,,\n")], catalogue)
    result = evaluate(catalogue, readings)
    assert result.not_computed == ["ind-buvatlauja-e-dala 2026-Q3 (all) not computed: formula "
                                   "'{ind-buvatlauja-e-lietas} / {ind-buvatlauja-lietas} * 100': division by zero"]
    assert {v.period.label for v in result.values if v.indicator == "ind-buvatlauja-e-dala"} == {"2026-Q1", "2026-Q2"}


def test_a_measured_value_of_a_derived_indicator_is_kept(catalogue, tmp_path):
    readings = read_measurements([table(tmp_path, "ind-buvatlauja-e-dala,2026-Q1,50,,\n")], catalogue)
    q1 = next(v for v in evaluate(catalogue, readings).values if v.indicator == "ind-buvatlauja-e-dala" and v.period.label == "2026-Q1")
    assert (q1.value, q1.derived, q1.status) == (50.0, False, Status.WARNING)


def test_formulas_are_ordered_and_cycles_and_unknown_references_refused(catalogue):
    base = catalogue.indicator("ind-buvatlauja-lietas")
    def ind(id, formula=None):
        return base.model_copy(update={"id": id, "formula": formula})
    chain = {"a": ind("a"), "c": ind("c", "{b} * 2"), "b": ind("b", "{a} + 1")}
    assert formula_order(chain) == ["b", "c"]
    from pps_sdk.indicators import Reading, parse_period
    computed, _ = derive(chain, [Reading("a", parse_period("2026"), 1.0)])
    assert {r.indicator: r.value for r in computed} == {"b": 2.0, "c": 4.0}
    with pytest.raises(FormulaError, match="cycle: b → c → b"):
        formula_order({"a": ind("a"), "b": ind("b", "{c} + 1"), "c": ind("c", "{b} * 2")})
    with pytest.raises(FormulaError, match="unknown indicator 'z'"):
        formula_order({"b": ind("b", "{z} + 1")})


def test_a_catalogue_with_a_formula_cycle_is_refused_when_read(catalogue):
    data = catalogue.model_dump(mode="json", exclude_none=True)
    data["services"][0]["indicators"][0]["formula"] = "{ind-buvatlauja-e-dala} + 1"
    with pytest.raises(ValueError, match="cycle"):
        Catalogue.model_validate(data)
