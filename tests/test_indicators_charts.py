"""The charts of `pps indicators report`: what a chart shows (the values, the target band,
the critical corridor, each value's status), and the same bytes whether drawn in this
process or in worker processes."""

from __future__ import annotations

import multiprocessing
import os
import re

import pytest
from PIL import Image

from pps_sdk import load
from pps_sdk.indicators import evaluate, read_measurements
from pps_sdk.indicators.charts import COLOURS, Band, Chart, Rule, chart_of, draw_charts
from pps_sdk.indicators import charts as charts_module
from pps_sdk.indicators.drawing import ChartMaker, y_ticks
from pps_sdk.indicators.evaluation import Status
from pps_sdk.indicators.report import chart_series
from conftest import ROOT

PERMIT = str(ROOT / "src" / "pps_sdk" / "examples" / "building-permit.json")
DURATION = "ind-buvatlauja-ilgums"  # zones (good < 21, warning 21…28, critical ≥ 28), aim 20, corridor ≤ 30


@pytest.fixture(scope="module")
def charts(tmp_path_factory):
    """The example's charts, with a year of monthly durations, some critical."""
    catalogue = load(PERMIT)
    table = tmp_path_factory.mktemp("values") / "durations.csv"
    table.write_text("indicator,period,value\n" + "".join(f"{DURATION},2027-{m:02d},{v}\n" for m, v in
                                                        enumerate((12, 18, 22, 25, 29, 31, 35, 19, 15, 21, 27, 33), start=1)),
                     encoding="utf-8")
    evaluation = evaluate(catalogue, read_measurements([table], catalogue))
    series = chart_series(evaluation)
    return {i.id: chart_of(i, series[i.id]) for s in catalogue.services for i in s.indicators if i.id in series}


def test_a_chart_shows_the_values_the_target_zones_and_the_corridor(charts):
    chart = charts[DURATION]  # the example's two quarters, then the twelve months
    assert chart.periods[:3] == ("2026-Q1", "2026-Q2", "2027-01") and chart.values[2:5] == (12, 18, 22)
    assert chart.statuses[2:5] == (Status.GOOD, Status.GOOD, Status.WARNING) and chart.statuses[8] is Status.CRITICAL
    good, warning, critical = COLOURS[Status.GOOD], COLOURS[Status.WARNING], COLOURS[Status.CRITICAL]
    assert chart.low < 12 and chart.high > 35
    assert chart.bands == (Band(chart.low, 21, good, 0.12), Band(21, 28, warning, 0.12), Band(28, chart.high, critical, 0.12),
                           Band(30, chart.high, critical, 0.06))
    assert chart.rules == (Rule(20, good, 0.8, ":"), Rule(30, critical, 0.9, "--"))


def test_tick_labels_share_the_decimals_their_step_needs():
    assert [label for _, label in y_ticks(1.2, 12.7)] == ["2.5", "5.0", "7.5", "10.0", "12.5"]
    assert [label for _, label in y_ticks(-3, 3)] == ["-3.0", "-1.5", "0.0", "1.5", "3.0"]
    assert [label for _, label in y_ticks(85, 101)] == ["88", "92", "96", "100"]


def test_worker_processes_draw_the_same_bytes_and_png_shows_the_status_colours(charts, tmp_path, monkeypatch):
    here = [(chart, tmp_path / f"here-{n}.{suffix}") for suffix in ("png", "svg") for n, chart in enumerate(charts.values())]
    workers = [(chart, path.with_name(path.name.replace("here", "workers"))) for chart, path in here]
    draw_charts(here, workers=1)
    drawn_by = tmp_path / "drawn-by"
    drawn_by.mkdir()
    draw = ChartMaker.draw

    def noted(maker, chart, path):  # which process drew each chart, kept by the forked workers too
        (drawn_by / str(os.getpid())).touch()
        return draw(maker, chart, path)

    monkeypatch.setattr(ChartMaker, "draw", noted)
    monkeypatch.setattr(charts_module, "BATCH", 2)  # a few charts, yet several batches
    draw_charts(workers, workers=2)
    assert not multiprocessing.active_children()
    assert {int(p.name) for p in drawn_by.iterdir()} - {os.getpid()}, "no worker process drew a chart"
    assert [path.read_bytes() for _, path in here] == [path.read_bytes() for _, path in workers]
    duration = next(path for chart, path in here if chart is charts[DURATION] and path.suffix == ".png")
    image = Image.open(duration)
    assert image.size == (416, 192) and image.mode == "RGB"
    colours = {"#%02x%02x%02x" % image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)}
    assert {COLOURS[Status.GOOD], COLOURS[Status.WARNING], COLOURS[Status.CRITICAL]} <= colours
    svg = duration.with_suffix(".svg").read_text(encoding="utf-8")
    assert "2027-01" in re.findall(r"<text[^>]*>([^<]*)", svg) and "<dc:date>" not in svg


def test_an_error_in_a_worker_stops_the_drawing_and_leaves_no_process(charts, tmp_path):
    chart = charts[DURATION]
    jobs = [(chart, tmp_path / f"{n}.png") for n in range(3)] + [(chart, tmp_path / "missing" / "x.png")]
    with pytest.raises(FileNotFoundError):
        draw_charts(jobs, workers=2)
    assert not multiprocessing.active_children()


def test_a_chart_with_one_value_and_no_target(tmp_path):
    chart = Chart("One value (units)", ("2027",), (5.0,), (Status.NO_TARGET,), 4.5, 5.5)
    draw_charts([(chart, tmp_path / "one.png")])
    assert Image.open(tmp_path / "one.png").size == (416, 192)


def test_dollar_signs_in_a_title_are_drawn_as_written(tmp_path):
    title = "Fee from $5 to $10 (% of cases)"  # as mathtext: a syntax error
    chart = Chart(title, ("2027", "2028"), (5.0, 10.0), (Status.NO_TARGET,) * 2, 4.5, 10.5)
    draw_charts([(chart, tmp_path / "fee.png"), (chart, tmp_path / "fee.svg")])
    assert Image.open(tmp_path / "fee.png").size == (416, 192)
    assert title in re.findall(r"<text[^>]*>([^<]*)", (tmp_path / "fee.svg").read_text(encoding="utf-8"))


def test_a_users_matplotlib_settings_change_no_chart(charts, tmp_path, monkeypatch):
    import matplotlib

    chart = charts[DURATION]
    monkeypatch.setattr(charts_module, "_makers", [])
    draw_charts([(chart, tmp_path / "plain.png")], workers=1)
    monkeypatch.setattr(charts_module, "_makers", [])
    with matplotlib.rc_context({"figure.facecolor": "none", "lines.linewidth": 4, "font.size": 20, "font.family": "serif",
                                "axes.facecolor": "black", "lines.markersize": 12}):
        draw_charts([(chart, tmp_path / "styled.png")], workers=1)
        assert matplotlib.rcParams["figure.facecolor"] == "none"  # given back as it was
    assert (tmp_path / "styled.png").read_bytes() == (tmp_path / "plain.png").read_bytes()
    assert Image.open(tmp_path / "plain.png").getpixel((0, 0)) == (255, 255, 255)
