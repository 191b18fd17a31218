"""The `pps` command. Nothing imports this package; it only calls the SDK."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .. import __version__
from ..examples import example_catalogue
from ..formats import dump
from ..validation import Report, validate, validate_file

app = typer.Typer(help="pps: describe, validate and publish Latvian public services.", no_args_is_help=True,
                  add_completion=False)
out = Console()
err = Console(stderr=True)

# Exit codes shared by the commands that check things.
CLEAN, FINDINGS, UNREADABLE = 0, 1, 2


def _show_version(value: bool) -> None:
    if value:
        out.print(f"pps_sdk {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """pps: describe, validate and publish Latvian public services."""


@app.command()
def demo(output: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the demo files to.")] = Path("pps-demo")) -> None:
    """Build the example catalogue, validate it, write it out and say what was done."""
    catalogue = example_catalogue()
    report = validate(catalogue)
    output.mkdir(parents=True, exist_ok=True)
    target = output / "catalogue.json"
    dump(catalogue, target)

    table = Table(title=f"Example catalogue {catalogue.id}", show_header=True)
    table.add_column("service")
    table.add_column("holder")
    table.add_column("channels", justify="right")
    table.add_column("indicators", justify="right")
    for service in catalogue.services:
        holders = ", ".join(org.name.get("lv") for org in catalogue.holders(service))
        table.add_row(service.name.get("lv"), holders, str(len(service.channels)), str(len(service.indicators)))
    out.print(table)
    out.print(f"Built {len(catalogue.services)} services, {len(catalogue.organisations)} organisations, "
              f"{len(catalogue.channels)} channels, {len(catalogue.measurements)} measurements.")
    _print_report(report)
    out.print(f"Wrote {target} ({target.stat().st_size:,} bytes, JSON).")
    raise typer.Exit(CLEAN if report.ok else FINDINGS)


@app.command(name="validate")
def validate_command(files: Annotated[list[Path], typer.Argument(help="Catalogue files to check.")],
                     format: Annotated[str | None, typer.Option("--format", "-f", help="Format, if the suffix does not tell it.")] = None) -> None:
    """Check catalogue files: syntax, model rules and the concept's business rules.

    Exit code 0 when every file is clean, 1 when any has errors, 2 when any cannot be read.
    Warnings are shown but do not change the exit code.
    """
    reports = [validate_file(path, format) for path in files]
    for report in reports:
        _print_report(report)
    if any(r.unreadable for r in reports):
        raise typer.Exit(UNREADABLE)
    raise typer.Exit(CLEAN if all(r.ok for r in reports) else FINDINGS)


def _print_report(report: Report) -> None:
    style = "green" if report.ok else "red"
    out.print(f"[{style}]{report.summary()}[/{style}]", highlight=False)
    for finding in report.findings:
        out.print(f"  {finding}", highlight=False, markup=False)


def main() -> None:
    """Entry point of the `pps` console script."""
    app()
