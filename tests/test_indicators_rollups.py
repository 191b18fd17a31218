"""Roll-ups: parts (centres, providers, channels, months) made into wholes, summed or averaged
as the unit requires; the one-stop centre network's yearly figures against the plan."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from pps_sdk import load
from pps_sdk.indicators import (Breakdown, Method, Reading, Status, adopt, centre_figures, evaluate, method,
                                new_passport, parse_period, read_measurements, roll_up)
from pps_sdk.model.enums import Frequency
from conftest import ROOT

PERMIT = ROOT / "src" / "pps_sdk" / "examples" / "building-permit.json"
CASES, E_CASES, SHARE, DAYS = "ind-buvatlauja-lietas", "ind-buvatlauja-e-lietas", "ind-buvatlauja-e-dala", "ind-buvatlauja-ilgums"


@pytest.fixture(scope="module")
def catalogue():
    permit = load(PERMIT)
    return adopt(permit, permit.services[0].id, [
        new_passport("services-provided", id="ind-vpvkac-pakalpojumi", start="2026-01-01",
                     target={"kind": "minimum", "minimum": 600}),
        new_passport("consultations", id="ind-vpvkac-konsultacijas", start="2026-01-01",
                     target={"kind": "minimum", "minimum": 1200})])


def test_the_method_follows_the_unit(catalogue):
    assert method(catalogue.indicator(CASES)) is Method.SUM
    assert method(catalogue.indicator(DAYS), CASES) is Method.WEIGHTED_MEAN
    assert method(catalogue.indicator(DAYS)) is Method.MEAN
    assert method(catalogue.indicator(SHARE)) is Method.DERIVED
    assert method(new_passport("cost-per-case", id="c", start="2026-01-01"), CASES) is Method.WEIGHTED_MEAN
    assert method(new_passport("total-cost", id="c", start="2026-01-01")) is Method.SUM
    assert method(new_passport("satisfaction", id="s", start="2026-01-01"), CASES) is Method.WEIGHTED_MEAN


def test_centres_roll_up_to_the_whole_from_a_real_table(catalogue, tmp_path):
    table = tmp_path / "centres.csv"
    table.write_text("indicator;period;value;centre\n"
                     f"{CASES};2026-Q3;30;Jelgava\n{CASES};2026-Q3;10;Ozolnieki\n"
                     f"{E_CASES};2026-Q3;27;Jelgava\n{E_CASES};2026-Q3;5;Ozolnieki\n"
                     f"{DAYS};2026-Q3;20;Jelgava\n{DAYS};2026-Q3;40;Ozolnieki\n", encoding="utf-8")
    readings = read_measurements([table], catalogue, with_catalogue=False)
    whole = roll_up(catalogue, readings, across=["centre"])
    values = {r.indicator: r for r in whole.readings}
    assert set(values) == {CASES, E_CASES, DAYS} and whole.notes == []
    assert values[CASES].value == 40 and values[CASES].breakdown == Breakdown()
    assert values[DAYS].value == pytest.approx((20 * 30 + 40 * 10) / 40)  # weighed by the cases, not 30
    assert values[DAYS].source == "weighted mean of 2 values"
    # the share is computed again from the summed counts: 32 of 40, not the mean of 90% and 50%
    share = next(v for v in evaluate(catalogue, whole.readings).values if v.indicator == SHARE)
    assert share.value == pytest.approx(80.0) and share.derived


def test_months_roll_up_to_a_year_only_when_all_are_there(catalogue):
    months = [Reading(CASES, parse_period(f"2026-{m:02d}"), float(m)) for m in range(1, 13)]
    year = roll_up(catalogue, months, period=Frequency.YEARLY)
    assert [(r.period.label, r.value) for r in year.readings] == [("2026", 78.0)]
    short = roll_up(catalogue, months[:11] + [Reading(CASES, parse_period("2027-01"), 1.0)], period=Frequency.YEARLY)
    assert short.readings == []
    assert short.notes == [f"{CASES} 2026 (all) not rolled up: its values cover 334 of its 365 days",
                           f"{CASES} 2027 (all) not rolled up: its values cover 31 of its 365 days"]


def test_a_measured_whole_is_kept_and_a_disagreement_noted(catalogue):
    q3 = parse_period("2026-Q3")
    readings = [Reading(CASES, q3, 50.0), Reading(CASES, q3, 30.0, Breakdown(provider="org-a")),
                Reading(CASES, q3, 10.0, Breakdown(provider="org-b"))]
    result = roll_up(catalogue, readings, across=["provider"])
    assert result.readings == [] and result.notes == [f"{CASES} 2026-Q3 (all): measured 50 kept; its parts make 40 (sum)"]


def test_a_mean_without_its_weight_is_not_made(catalogue):
    q3 = parse_period("2026-Q3")
    readings = [Reading(DAYS, q3, 20.0, Breakdown(channel="ch-a")), Reading(DAYS, q3, 40.0, Breakdown(channel="ch-b")),
                Reading(CASES, q3, 5.0, Breakdown(channel="ch-a"))]
    result = roll_up(catalogue, readings, across=["channel"])
    assert [r.indicator for r in result.readings] == [CASES]
    assert result.notes == [f"{DAYS} 2026-Q3 (all) not rolled up: 2026-Q3 (channel ch-b) has no value of {CASES} to weigh it by"]


def test_unknown_names_are_refused(catalogue):
    with pytest.raises(ValueError, match="across one of channel, segment, provider, centre"):
        roll_up(catalogue, [], across=["municipality"])
    with pytest.raises(ValueError, match="to one of monthly"):
        roll_up(catalogue, [], period=Frequency.WEEKLY)


def test_the_centre_network_per_centre_per_year_against_the_plan_from_an_xlsx_table(catalogue, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "period", "value", "centre"])
    for centre, services, consultations in (("Jelgavas VPVKAC", 60, 110), ("Ozolnieku VPVKAC", 40, 90)):
        for month in range(1, 13):
            sheet.append(["ind-vpvkac-pakalpojumi", f"2026-{month:02d}", services, centre])
            sheet.append(["ind-vpvkac-konsultacijas", f"2026-{month:02d}", consultations, centre])
    book.save(tmp_path / "centres.xlsx")
    readings = read_measurements([tmp_path / "centres.xlsx"], catalogue, with_catalogue=False)
    figures = centre_figures(catalogue, readings)
    judged = {(v.indicator, v.breakdown.centre): v for v in evaluate(catalogue, figures.readings).values}
    assert len(judged) == 6 and figures.notes == []
    jelgava = judged[("ind-vpvkac-pakalpojumi", "Jelgavas VPVKAC")]
    assert (jelgava.period.label, jelgava.value, jelgava.status) == ("2026", 720.0, Status.GOOD)
    assert judged[("ind-vpvkac-pakalpojumi", "Ozolnieku VPVKAC")].status is Status.WARNING  # 480 < plan 600
    assert judged[("ind-vpvkac-konsultacijas", None)].value == 2400.0  # the network: both centres


# -- properties -------------------------------------------------------------------------------

values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
weights = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)
names = st.sampled_from(["channel", "segment", "provider", "centre"])


@given(value=values, weight=weights, name=names, indicator=st.sampled_from([CASES, DAYS]))
def test_the_roll_up_of_one_part_is_the_part(catalogue, value, weight, name, indicator):
    q3 = parse_period("2026-Q3")
    part = Breakdown(**{name: "part-1"})
    readings = [Reading(indicator, q3, value, part)]
    if indicator != CASES:
        readings.append(Reading(CASES, q3, weight, part))
    rolled = {r.indicator: r for r in roll_up(catalogue, readings, across=[name]).readings}
    assert rolled[indicator].value == value and rolled[indicator].breakdown == Breakdown()


@given(parts=st.lists(st.tuples(values, weights), min_size=1, max_size=8))
def test_a_sum_is_the_sum_and_a_mean_lies_between_its_parts(catalogue, parts):
    q3 = parse_period("2026-Q3")
    readings = []
    for n, (value, weight) in enumerate(parts):
        readings += [Reading(DAYS, q3, value, Breakdown(centre=f"c{n}")), Reading(CASES, q3, weight, Breakdown(centre=f"c{n}"))]
    rolled = {r.indicator: r.value for r in roll_up(catalogue, readings, across=["centre"]).readings}
    assert rolled[CASES] == pytest.approx(math.fsum(w for _, w in parts))
    low, high = min(v for v, _ in parts), max(v for v, _ in parts)
    assert low - 1e-6 * abs(low) - 1e-9 <= rolled[DAYS] <= high + 1e-6 * abs(high) + 1e-9
    backwards = {r.indicator: r.value for r in roll_up(catalogue, list(reversed(readings)), across=["centre"]).readings}
    assert backwards[CASES] == pytest.approx(rolled[CASES]) and backwards[DAYS] == pytest.approx(rolled[DAYS])


def test_a_yearly_plan_judges_the_years_not_the_months_and_the_network_has_no_plan_of_its_own(catalogue, tmp_path):
    table = tmp_path / "months.csv"
    table.write_text("indicator,period,value,centre\n" + "".join(
        f"ind-vpvkac-pakalpojumi,2026-{m:02d},{value},{centre}\n" for m in range(1, 13)
        for value, centre in ((60, "Jelgava"), (40, "Ozolnieki"))), encoding="utf-8")
    readings = read_measurements([table], catalogue, with_catalogue=False)
    months = evaluate(catalogue, readings).values
    assert {(v.status, v.reason) for v in months} == {(Status.NO_TARGET, "no target for this period")}
    figures = evaluate(catalogue, centre_figures(catalogue, readings).readings)
    assert {v.breakdown.centre: v.status for v in figures.values} == {"Jelgava": Status.GOOD, "Ozolnieki": Status.WARNING,
                                                                       None: Status.GOOD}
    from pps_sdk.indicators.report import _centres
    page = _centres(catalogue, figures)
    network = page[page.index("the whole network"):]
    assert "1200 <small>(the plan is per centre)" in network and "class='good'" not in network
