"""`pps indicators report`: a folder a service manager opens in a browser.

    report.html            per service: its passports, the latest values coloured by status,
                           a chart per indicator; the alarms first, before everything else
    charts/                one PNG (or SVG) per indicator, referenced from report.html
    evaluated.csv, .xlsx   every value judged (as `pps indicators evaluate` writes it)
    indicator-values.ttl   the values as a W3C Data Cube data set (`cube.py`)

The folder is written all or nothing (`pps_sdk.folders.write_folder`). The page needs
nothing from outside the folder: no script, font or style from the network.
"""

from __future__ import annotations

import html
import os
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from ..folders import write_folder
from ..model import Catalogue
from ..wording import counted
from .charts import COLOURS, FORMATS, chart_of, draw_charts
from .cube import write_cube
from .evaluation import EvaluatedValue, Evaluation, Status
from .numbers import shown, shown_change
from .readings import Breakdown
from .rollups import Method, method
from .tables import write_evaluated

RESULTS = ("report.html", "charts", "evaluated.csv", "evaluated.xlsx", "indicator-values.ttl")
_WHOLE = Breakdown()


def write_report(catalogue: Catalogue, evaluation: Evaluation, folder: str | os.PathLike[str], *, charts: str = "png",
                 centres: Evaluation | None = None, title: str = "Indicators") -> list[Path]:
    """Write the report folder (see the module's description) and return the files written.

    `centres` are the one-stop centre network's figures (`centre_figures`, evaluated), shown
    in a table of their own. Raises ValueError for a chart format other than png or svg,
    OutputFolderError when the folder cannot be written; an earlier folder stays as it was."""
    if charts not in FORMATS:
        raise ValueError(f"charts are drawn as {' or '.join(FORMATS)}, not {charts!r}")

    def write(staging: Path) -> list[Path]:
        (staging / "charts").mkdir()
        drawn = _draw_charts(catalogue, evaluation, staging / "charts", charts)
        page = staging / "report.html"
        page.write_text(html_report(catalogue, evaluation, {id: f"charts/{p.name}" for id, p in drawn.items()},
                                    centres, title), encoding="utf-8")
        tables = [write_evaluated(evaluation, staging / "evaluated.csv"), write_evaluated(evaluation, staging / "evaluated.xlsx")]
        cube = write_cube(catalogue, evaluation.values, staging / "indicator-values.ttl")
        return [page, *drawn.values(), *tables, cube]

    return write_folder(folder, write, RESULTS)


def chart_series(evaluation: Evaluation) -> dict[str, list[EvaluatedValue]]:
    """For each indicator, the values its chart shows, in period order: the whole's, or when
    it has none, the part with the most values."""
    series: dict[str, dict[Breakdown, list[EvaluatedValue]]] = defaultdict(lambda: defaultdict(list))
    for v in evaluation.values:
        series[v.indicator][v.breakdown].append(v)
    chosen = {}
    for id, parts in series.items():
        values = parts.get(_WHOLE) or max(parts.values(), key=len)
        chosen[id] = sorted(values, key=lambda v: v.period)
    return chosen


def _draw_charts(catalogue: Catalogue, evaluation: Evaluation, folder: Path, suffix: str) -> dict[str, Path]:
    series = chart_series(evaluation)
    drawn = {}
    for n, indicator in enumerate(i for s in catalogue.services for i in s.indicators):
        if indicator.id in series:
            drawn[indicator.id] = (chart_of(indicator, series[indicator.id]), folder / f"{n:05d}-{indicator.id}.{suffix}")
    draw_charts(list(drawn.values()))
    return {id: path for id, (_, path) in drawn.items()}


def html_report(catalogue: Catalogue, evaluation: Evaluation, charts: dict[str, str],
                centres: Evaluation | None = None, title: str = "Indicators") -> str:
    """The page: the alarms first, then the one-stop centres (when given), then per service its
    passports, its latest values and a chart per indicator (`charts`: indicator → image path)."""
    e = html.escape
    by_indicator: dict[str, list[EvaluatedValue]] = defaultdict(list)
    for v in evaluation.values:
        by_indicator[v.indicator].append(v)
    counts = {status: sum(v.status is status for v in evaluation.values) for status in Status}
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>",
             f"<style>{_STYLE}</style></head><body><h1>{e(title)}</h1>",
             f"<p class='summary'>{counted(len(evaluation.values), 'value')} of {counted(len(by_indicator), 'indicator')}: "
             f"{counts[Status.CRITICAL]} critical, {counted(counts[Status.WARNING], 'warning')}, {counts[Status.GOOD]} good, "
             f"{counts[Status.NO_TARGET]} without a target. Made {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.</p>"]
    alarms = evaluation.alarms
    parts.append(f"<section id='alarms'><h2>Alarms ({len(alarms)})</h2>")
    if alarms:
        parts.append("<ul>" + "".join(
            f"<li class='alarm'><a href='#{e(a.indicator)}'>{e(a.indicator)}</a> {e(a.period.label)} ({e(a.breakdown.label)}): "
            f"<b>{shown(a.value)}</b> {e(a.reason)}.<br>Alarm procedure: {e(a.procedure or 'the passport gives none.')}"
            f"<br>Analysed by: {e(a.analysed_by or 'the passport names no one.')}</li>" for a in alarms) + "</ul>")
    else:
        parts.append("<p>No value is critical.</p>")
    parts.append("</section>")
    if centres is not None and centres.values:
        parts.append(_centres(catalogue, centres))
    for service in catalogue.services:
        if not service.indicators:
            continue
        parts.append(f"<section class='service' id='service-{e(service.id)}'><h2>{e(service.name.get())}</h2>"
                     f"<p class='id'>{e(service.id)}</p>{_passports(service.indicators)}")
        for indicator in service.indicators:
            values = by_indicator.get(indicator.id, [])
            parts.append(f"<div class='indicator' id='{e(indicator.id)}'><h3>{e(indicator.name.get())}</h3>")
            if not values:
                parts.append("<p>No values.</p></div>")
                continue
            latest = max(v.period for v in values)
            rows = "".join(_value_row(v) for v in values if v.period == latest)
            parts.append(f"<table class='latest'><thead><tr><th>period</th><th>for</th><th>value</th><th>status</th><th>why</th>"
                         f"<th>change</th></tr></thead><tbody>{rows}</tbody></table>")
            if indicator.id in charts:
                parts.append(f"<img src='{e(charts[indicator.id])}' alt='{e(indicator.name.get())}: values over time' "
                             f"width='416' height='192'>")
            parts.append("</div>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


def _passports(indicators: list) -> str:  # type: ignore[type-arg]
    from .evaluation import describe_target

    e = html.escape
    rows = "".join(
        f"<tr><td><a href='#{e(i.id)}'>{e(i.id)}</a></td><td>{e(i.name.get())}</td><td>{e(i.kind.value)}</td><td>{e(i.unit)}</td>"
        f"<td>{e(i.formula or '')}</td><td>{e(i.measuring_frequency.value)} / {e(i.reporting_frequency.value)}</td>"
        f"<td>{e(describe_target(i))}</td><td>{e(i.data_source.value)}</td>"
        f"<td>{e(i.analysed_by.role.get() if i.analysed_by else '')}</td></tr>" for i in indicators)
    return ("<table class='passports'><thead><tr><th>indicator</th><th>name</th><th>kind</th><th>unit</th><th>formula</th>"
            "<th>measured / reported</th><th>target; corridor</th><th>data source</th><th>analysed by</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _value_row(v: EvaluatedValue) -> str:
    e = html.escape
    change = "" if v.change_from_previous is None else f"{shown_change(v.change_from_previous)} on {v.period.previous().label}"
    return (f"<tr class='{v.status.name.lower()}'><td>{e(v.period.label)}</td><td>{e(v.breakdown.label)}</td>"
            f"<td class='number'>{shown(v.value)} {e(v.unit)}</td><td><span class='status'>{e(v.status.value)}</span></td>"
            f"<td>{e(v.reason)}</td><td>{e(change)}</td></tr>")


def _centres(catalogue: Catalogue, centres: Evaluation) -> str:
    """The network's table: one row per centre and period, a column per indicator (value, plan, status)."""
    e = html.escape
    ids = list(dict.fromkeys(v.indicator for v in centres.values))
    names = {i.id: i.name.get() for s in catalogue.services for i in s.indicators}
    summed = {i.id for s in catalogue.services for i in s.indicators if method(i) is Method.SUM}
    cells: dict[tuple[str, str], dict[str, EvaluatedValue]] = defaultdict(dict)
    for v in centres.values:
        cells[(v.breakdown.centre or "", v.period.label)][v.indicator] = v
    head = "".join(f"<th>{e(names.get(id, id))}</th>" for id in ids)
    rows = []
    for (centre, period), found in sorted(cells.items(), key=lambda item: (item[0][1], item[0][0] == "", item[0][0])):
        row = "".join(_centre_cell(found[id], network=not centre and id in summed) if id in found else "<td></td>" for id in ids)
        rows.append(f"<tr><td>{e(centre or 'the whole network')}</td><td>{e(period)}</td>{row}</tr>")
    return (f"<section id='centres'><h2>One-stop centres</h2><table class='centres'><thead><tr><th>centre</th><th>period</th>{head}"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>")


def _centre_cell(v: EvaluatedValue, network: bool) -> str:
    """A centre's value against its plan; the network's sum has no plan of its own (the plan is per centre)."""
    if network:
        return f"<td>{shown(v.value)} <small>(the plan is per centre)</small></td>"
    return f"<td class='{v.status.name.lower()}'>{shown(v.value)} <small>(plan {html.escape(v.target)})</small></td>"


_STYLE = ("body{font-family:sans-serif;margin:2em;max-width:75em}table{border-collapse:collapse;margin:.5em 0}"
          "th,td{border:1px solid #d0d7de;padding:.25em .5em;text-align:left;vertical-align:top;font-size:.9em}"
          "th{background:#f6f8fa}.number{text-align:right}.id{color:#57606a;margin-top:-.8em}"
          "#alarms{border:2px solid " + COLOURS[Status.CRITICAL] + ";padding:0 1em;margin-bottom:1.5em}"
          ".alarm{margin:.5em 0}.indicator{margin:1em 0 2em}"
          + "".join(f".{s.name.lower()} .status,td.{s.name.lower()}{{color:{c};font-weight:bold}}" for s, c in COLOURS.items()))
