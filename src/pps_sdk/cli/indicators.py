"""`pps indicators check`, `evaluate` and `report`: measured values judged against their
passports; `pps indicators new`: standard passports to adopt."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape

from ..errors import ModelError, PPSError
from ..formats import dump, load
from ..indicators import Evaluation, Reading, Status, evaluate, read_measurements
from ..indicators.charts import FORMATS
from ..indicators.cube import integrity_problems
from ..indicators.readings import BREAKDOWN
from ..indicators.report import write_report
from ..indicators.rollups import PERIODS, centre_figures, roll_up
from ..model.enums import Frequency
from ..indicators.numbers import shown, shown_change
from ..indicators.library import KINDS, adopt, new_passport, templates
from ..indicators.tables import write_evaluated
from ..model import Catalogue
from ..wording import counted
from .exits import UNREADABLE
from .help import Command, example

_STYLE = {Status.CRITICAL: "bold red", Status.WARNING: "yellow", Status.GOOD: "green", Status.NO_TARGET: "dim"}

Measurements = Annotated[list[Path] | None, typer.Argument(metavar="MEASUREMENTS", help=(
    "CSV or XLSX tables of measured values (columns: indicator, period or start and end, value, and optionally "
    "unit, channel, segment, provider, centre)."))]
CatalogueOption = Annotated[Path, typer.Option("--catalogue", metavar="FILE", help=(
    "The catalogue with the indicator passports (any format the SDK reads); its own measurements are included."))]


def register(app: typer.Typer, out, err) -> None:  # type: ignore[no-untyped-def]
    """Add the `pps indicators` commands to the `pps` app."""
    group = typer.Typer(help="Judge measured indicator values against their passports.", no_args_is_help=True,
                        rich_markup_mode=None, epilog=example("pps indicators check values.csv --catalogue services.json"))
    app.add_typer(group, name="indicators")

    def fail(message: str) -> NoReturn:
        err.print(message, markup=False, highlight=False)
        raise typer.Exit(UNREADABLE)

    def loaded(catalogue_file: Path) -> Catalogue:
        try:
            catalogue = load(catalogue_file)
        except ModelError as exc:
            fail(f"{catalogue_file}: {exc}")
        except PPSError as exc:
            fail(str(exc))
        if not isinstance(catalogue, Catalogue):
            fail(f"{catalogue_file}: not a catalogue")
        return catalogue

    def measured(tables: list[Path] | None, catalogue_file: Path) -> tuple[Catalogue, list[Reading]]:
        catalogue = loaded(catalogue_file)
        try:
            return catalogue, read_measurements(tables or [], catalogue, catalogue_name=str(catalogue_file))
        except PPSError as exc:
            fail(str(exc))

    def judged(catalogue: Catalogue, readings: list[Reading]) -> Evaluation:
        try:
            result = evaluate(catalogue, readings)
        except PPSError as exc:
            fail(str(exc))
        for note in result.not_computed:
            err.print(f"warning: {note}", markup=False, highlight=False)
        return result

    def evaluated(tables: list[Path] | None, catalogue_file: Path) -> Evaluation:
        return judged(*measured(tables, catalogue_file))

    @group.command("check", cls=Command, short_help="Print the values judged, alarms first; exit 1 when any is critical.",
                   epilog=example("pps indicators check values.csv --catalogue services.json"))
    def check(catalogue_file: CatalogueOption, tables: Measurements = None) -> None:
        """Judge every measured and derived value of MEASUREMENTS and of the catalogue against its
        passport's target and critical corridor, and print them, the critical ones first, then the
        alarms with their procedure and who analyses them. Exit 0 when no value is critical,
        1 when some is, 2 when the input cannot be read (every wrong row is listed)."""
        result = evaluated(tables, catalogue_file)
        for line in _lines(result):
            out.print(line, highlight=False)
        for alarm in result.alarms:
            out.print(f"ALARM {alarm}", markup=False, highlight=False)
        out.print(_summary(result), highlight=False)
        raise typer.Exit(1 if result.critical else 0)

    @group.command("evaluate", cls=Command, short_help="Write the values judged to a CSV or XLSX table.",
                   epilog=example("pps indicators evaluate values.csv --catalogue services.json --out evaluated.xlsx"))
    def evaluate_command(output: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="A .csv or .xlsx file to write.")],
                         catalogue_file: CatalogueOption, tables: Measurements = None) -> None:
        """Judge the values as 'check' does and write them, one row each, to a CSV or XLSX table:
        status, why, target, changes against the previous period and a year earlier, and for a
        critical value its alarm procedure and who analyses it. Exit 0 when written, 2 when the
        input cannot be read or the table cannot be written."""
        result = evaluated(tables, catalogue_file)
        try:
            write_evaluated(result, output)
        except PPSError as exc:
            fail(str(exc))
        out.print(f"Wrote {counted(len(result.values), 'value')} to {output}. {_summary(result)}", highlight=False)

    @group.command("report", cls=Command, short_help="Write a folder: an HTML report, charts, the values as CSV, XLSX and Data Cube RDF.",
                   epilog=example("pps indicators report values.csv --catalogue services.json --out report/",
                                  "pps indicators report centres.xlsx --catalogue services.json --per yearly --across centre --out report/"))
    def report(output: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="The folder to write (replaced whole).")],
               catalogue_file: CatalogueOption, tables: Measurements = None,
               charts: Annotated[str, typer.Option("--charts", metavar="FORMAT", help="png or svg.")] = "png",
               across: Annotated[list[str] | None, typer.Option("--across", metavar="PART", help=(
                   f"Add the wholes made from the parts: {', '.join(BREAKDOWN)} (repeat for several)."))] = None,
               per: Annotated[str | None, typer.Option("--per", metavar="PERIOD", help=(
                   f"Add each part's values rolled up to {', '.join(p.value for p in PERIODS)} periods."))] = None,
               check_cube: Annotated[bool, typer.Option("--check-cube/--no-check-cube", help=(
                   "Check the Data Cube output against the integrity constraints of the W3C recommendation."))] = True) -> None:
        """Judge the values as 'check' does and write the folder DIR: report.html (the alarms
        first, then per service its passports, latest values coloured by status and a chart per
        indicator with its target band and critical corridor; the one-stop centres' yearly
        figures against the plan when values are given per centre), charts/, evaluated.csv and
        evaluated.xlsx, and indicator-values.ttl (the W3C Data Cube). The folder is written whole
        or not at all. Exit 0 when written, 1 when written but the Data Cube breaks an integrity
        constraint, 2 when the input cannot be read or DIR cannot be written."""
        if charts not in FORMATS:
            fail(f"--charts is {' or '.join(FORMATS)}, not {charts!r}")
        if any(name not in BREAKDOWN for name in across or ()):
            fail(f"--across is one of {', '.join(BREAKDOWN)}, not {', '.join(n for n in across or () if n not in BREAKDOWN)}")
        if per is not None and per not in {p.value for p in PERIODS}:
            fail(f"--per is one of {', '.join(p.value for p in PERIODS)}, not {per!r}")
        catalogue, readings = measured(tables, catalogue_file)
        notes: list[str] = []
        if per or across:
            rolled = roll_up(catalogue, readings, across=across or (), period=Frequency(per) if per else None)
            readings, notes = readings + rolled.readings, rolled.notes
        result = judged(catalogue, readings)
        centres = None
        if any(r.breakdown.centre for r in readings):
            figures = centre_figures(catalogue, readings)
            centres = judged(catalogue, figures.readings)
        for note in notes:
            err.print(f"note: {note}", markup=False, highlight=False)
        try:
            written = write_report(catalogue, result, output, charts=charts, centres=centres)
        except (PPSError, OSError) as exc:
            fail(str(exc))
        out.print(f"Wrote {output}: report.html, {counted(sum(p.parent.name == 'charts' for p in written), 'chart')}, evaluated.csv, evaluated.xlsx, "
                  f"indicator-values.ttl. {_summary(result)}", highlight=False, markup=False)
        if check_cube:
            problems = integrity_problems(output / "indicator-values.ttl")
            for problem in problems[:20]:
                err.print(f"Data Cube: {problem}", markup=False, highlight=False)
            out.print(f"Data Cube: {'well formed' if not problems else counted(len(problems), 'problem')} "
                      "(integrity constraints IC-1 to IC-6, IC-11 to IC-14).", highlight=False, markup=False)
            if problems:
                raise typer.Exit(1)

    @group.command("new", cls=Command, short_help="Standard passports of a kind, to adopt and adjust.",
                   epilog=example("pps indicators new --kind quality",
                                  "pps indicators new --kind volume --catalogue services.json --service svc-1 --out services.json"))
    def new(kind: Annotated[str, typer.Option("--kind", metavar="KIND", help=f"One of {', '.join(KINDS)} (or a process kind).")],
            template: Annotated[list[str] | None, typer.Option("--template", metavar="NAME", help=(
                "Only these passports of the kind (e.g. processing-time); all of the kind when left out."))] = None,
            prefix: Annotated[str, typer.Option("--prefix", metavar="TEXT", help="Identifiers are this prefix and the passport's name.")] = "ind-",
            start: Annotated[str | None, typer.Option("--start", metavar="DATE", help="Measuring starts (default: 1 January this year).")] = None,
            catalogue_file: Annotated[Path | None, typer.Option("--catalogue", metavar="FILE", help="Add the passports to a service of this catalogue.")] = None,
            service: Annotated[str | None, typer.Option("--service", metavar="ID", help="The service, with --catalogue.")] = None,
            output: Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE", help="Where the catalogue goes, with --catalogue.")] = None) -> None:
        """Print the library's standard passports of KIND as JSON, ready to go into a service's
        'indicators' and be adjusted (the target above all); or, with --catalogue, --service and
        --out, add them to that service and write the catalogue. Names, goals and alarm
        procedures are in Latvian and English. Exit 0 when done, 2 for an unknown kind, name or
        service, or a catalogue that cannot be read or written."""
        try:
            chosen = [t for t in templates(kind) if not template or t.template in template]
            unknown = sorted(set(template or ()) - {t.template for t in chosen})
            if unknown:
                fail(f"no {kind} passport named {', '.join(unknown)}; the {kind} passports are "
                     f"{', '.join(t.template for t in templates(kind))}")
            passports = [new_passport(t.template, f"{prefix}{t.template}", start or date(date.today().year, 1, 1))
                         for t in chosen]
        except (ValueError, PPSError) as exc:
            fail(str(exc))
        if catalogue_file is None:
            out.print(json.dumps([p.model_dump(mode="json", exclude_none=True) for p in passports], ensure_ascii=False, indent=2),
                      markup=False, highlight=False, soft_wrap=True)
            return
        if service is None or output is None:
            fail("--catalogue needs --service (the service to add the passports to) and --out (the file to write)")
        try:
            dump(adopt(loaded(catalogue_file), service, passports), output)
        except ModelError as exc:
            fail(f"{service}: {exc}")
        except (ValueError, PPSError) as exc:
            fail(str(exc))
        out.print(f"Added {counted(len(passports), 'passport')} to {service}: {', '.join(p.id for p in passports)}; "
                  f"wrote {output}. Adjust their targets before publishing.", highlight=False, markup=False)


def _summary(result: Evaluation) -> str:
    counts = {status: sum(v.status is status for v in result.values) for status in Status}
    return (f"{counted(len(result.values), 'value')}: {counts[Status.CRITICAL]} critical, "
            f"{counted(counts[Status.WARNING], 'warning')}, {counts[Status.GOOD]} good, "
            f"{counts[Status.NO_TARGET]} without a target.")


def _lines(result: Evaluation) -> list[str]:
    """One line per value, critical first, columns aligned: status, indicator, period, value and
    unit, why, the breakdown when it is not the whole, and the changes against earlier periods."""
    values = result.alarms_first()
    width = max((len(v.indicator) for v in values), default=0)
    lines = []
    for v in values:
        status = f"[{_STYLE[v.status]}]{v.status.value:<9}[/]"
        changes = [f"{name} {_change(change)}" for name, change in (
            ("previous", v.change_from_previous), ("year earlier", v.change_from_year_earlier)) if change is not None]
        details = [v.reason, *([f"target {v.target}"] if v.target != "none" else []), *([f"for {v.breakdown.label}"] if v.breakdown.label != "all" else []),
                   *(["derived"] if v.derived else []), *([", ".join(changes)] if changes else [])]
        lines.append(f"{status} {escape(v.indicator):<{width}}  {v.period.label:<10} {shown(v.value)} {escape(v.unit)}"
                     f": {escape('; '.join(details))}")
    return lines


def _change(change: float | None) -> str:
    return "" if change is None else shown_change(change)
