"""The `pps` command. Nothing imports this package; it only calls the SDK."""

from __future__ import annotations

import warnings
from pathlib import Path
from collections.abc import Callable
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn
from rich.table import Table

from .. import __version__
from ..dedup.entries import read_entries
from ..dedup.evaluate import evaluate, read_labels, read_prediction
from ..dedup.match import Settings
from ..dedup.outputs import write_outputs
from ..dedup.pipeline import Decisions, Previous, deduplicate
from ..errors import FormatError, ModelError, PPSError, UnreadableError, UnwritableError
from ..examples import example_catalogue
from ..formats import DEFAULT_MAX_BYTES, dump, get_format, load, write_atomically
from ..formats.rdf.schemas import schema_texts
from ..formats.xml_schema import SCHEMA_NAME
from ..formats.xsd import XML_NAMESPACE_SCHEMA, generate_xsd
from ..validation import RDF_FORMATS, Report, validate, validate_file
from ..wording import counted
from .catalogue import register as register_catalogue_commands
from .exits import CLEAN, FINDINGS, UNREADABLE
from .indicators import register as register_indicator_commands
from .help import Command, example

# Plain help (no rich panels): it names what to type instead of Python types; see .help.
app = typer.Typer(help="pps: describe, validate and publish Latvian public services.", no_args_is_help=True,
                  add_completion=False, rich_markup_mode=None,
                  epilog=example("pps validate examples/*.json", "pps COMMAND --help"))
# Paths and messages stay on one line, for people and for grep; what they quote from a document
# is shown as it is (no emoji for ':telephone:' in "cv:telephone: ...").
out = Console(soft_wrap=True, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False)



def _show_version(value: bool) -> None:
    if value:
        out.print(f"pps_sdk {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                                help="Print the version and exit.")] = False,
          debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error instead of one line.")] = False) -> None:
    """pps: describe, validate and publish Latvian public services."""


@app.command(cls=Command, short_help="Build, validate and write the example catalogue.",
             epilog=example("pps demo --out pps-demo"))
def demo(output: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder to write the demo files to.")] = Path("pps-demo")) -> None:
    """Build the example catalogue, validate it and write it out; then publish it through a
    catalogue service started for the purpose (SQLite, a free loopback port), as its holders and a
    maintainer would, pull the published catalogue back and check it equals what was sent."""
    catalogue = example_catalogue()
    report = validate(catalogue)
    written = [output / name for name in ("catalogue.json", "catalogue.xml", "catalogue.ttl", "catalogue.jsonld")]
    for target in written:
        dump(catalogue, target)
    schema_report = validate_file(output / "catalogue.xml")
    shacl_report = validate_file(output / "catalogue.ttl")

    table = Table(title=f"Example catalogue {catalogue.id}", show_header=True)
    table.add_column("service")
    table.add_column("holder")
    table.add_column("channels", justify="right")
    table.add_column("indicators", justify="right")
    for service in catalogue.services:
        holders = ", ".join(org.name.get("lv") for org in catalogue.holders(service))
        table.add_row(service.name.get("lv"), holders, str(len(service.channels)), str(len(service.indicators)))
    out.print(table)
    built = [counted(len(catalogue.services), "service"), counted(len(catalogue.organisations), "organisation"),
             counted(len(catalogue.channels), "channel"), counted(len(catalogue.measurements), "measurement")]
    out.print(f"Built {', '.join(built)}.")
    _print_report(report)
    for target in written:
        out.print(f"Wrote {target} ({target.stat().st_size:,} bytes, {get_format(path=target).name.upper()}).")
    verdict = "valid" if schema_report.ok else "INVALID"
    out.print(f"Read {written[1]} back and checked it against {SCHEMA_NAME}: {verdict}.")
    if not schema_report.ok:
        _print_report(schema_report)
    verdict = "conforms" if shacl_report.ok else "DOES NOT CONFORM"
    out.print(f"Read {written[2]} back and checked it with SHACL (CPSV-AP 3.2.0 and PPS shapes): {verdict}.")
    if not shacl_report.ok:
        _print_report(shacl_report)
    out.print("Publishing the example catalogue through a catalogue service:")
    from ..catalogue.embedded import publishing_demo  # the HTTP and database libraries load only here

    mirrored = publishing_demo(catalogue, output, lambda line: out.print(f"  {line}", highlight=False, markup=False))
    raise typer.Exit(CLEAN if report.ok and schema_report.ok and shacl_report.ok and mirrored else FINDINGS)


@app.command(name="validate", cls=Command, short_help="Check catalogue files: syntax, model and business rules.",
             epilog=example("pps validate examples/*.json permit.xml"))
def validate_command(files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Catalogue files to check.")],
                     format: Annotated[str | None, typer.Option("--format", "-f", metavar="NAME", help="Format, if the suffix does not tell it.")] = None,
                     profile: Annotated[str, typer.Option(metavar="cpsv-ap|pps", help="Rules to check: the CPSV-AP standard's alone, or ours too (the Latvian profile).")] = "pps",
                     report_format: Annotated[str, typer.Option("--report", metavar="text|json|junit|sarif", help="How to print the report: for people, for scripts, as JUnit XML or SARIF 2.1.0 for CI systems.")] = "text",
                     output: Annotated[Path | None, typer.Option("--output", metavar="FILE", help="Write the report to FILE instead of printing it.")] = None,
                     language: Annotated[str | None, typer.Option(metavar="CODE", help="Language of untagged text in RDF (else it stays untagged).")] = None,
                     catalogue: Annotated[str | None, typer.Option(metavar="IRI", help="The dcat:Dataset to check when an RDF file holds several.")] = None,
                     max_mb: Annotated[int, typer.Option(metavar="MB", help="Largest file read, in megabytes (a 20,000-service catalogue in Turtle is some 200).")] = DEFAULT_MAX_BYTES // 2**20,
                     leftovers: Annotated[Path | None, typer.Option("--leftovers", metavar="FILE", help="Write the RDF triples our model has no place for to FILE (N-Triples; Turtle, JSON-LD or RDF/XML by its suffix).")] = None) -> None:
    """Check catalogue files: syntax, model rules and the concept's business rules.

    RDF from anyone (CPSV-AP 3.2.0 or 2.2.1) is read leniently: every service is read and every
    problem is reported, with its rule, the node's IRI and the line.
    Exit code 0 when every file is clean, 1 when any has errors, 2 when any cannot be read.
    Warnings are shown but do not change the exit code.
    """
    from ..validation.report_formats import REPORT_FORMATS, render

    if profile not in ("cpsv-ap", "pps") or report_format not in REPORT_FORMATS:
        err.print(f"choose --profile cpsv-ap or pps, and --report {' or '.join(REPORT_FORMATS)}", markup=False, highlight=False)
        raise typer.Exit(UNREADABLE)
    reports = [validate_file(path, format, profile=profile, language=language, catalogue=catalogue, max_bytes=max_mb * 2**20,
                             leftovers=leftovers is not None) for path in files]
    if leftovers is not None:
        _write_leftovers(leftovers, reports)
    if output is not None or report_format != "text":
        text = render(reports, report_format)
        if output is None:
            out.file.write(text)
        else:
            _write_or_exit(output, lambda: write_atomically(output, text))
    else:
        for report in reports:
            _print_report(report)
    if any(r.unreadable for r in reports):
        raise typer.Exit(UNREADABLE)
    raise typer.Exit(CLEAN if all(r.ok for r in reports) else FINDINGS)


def _write_leftovers(target: Path, reports: list[Any]) -> None:
    """Write the leftovers of every RDF file checked into one document (their IRIs keep them apart)."""
    from rdflib import Graph

    from ..formats.rdf.syntax import bind_prefixes, serialize

    try:  # the suffix names the syntax as everywhere else (.ttl, .jsonld, .rdf); N-Triples otherwise
        syntax = get_format(path=target).name
    except FormatError:
        syntax = "nt"
    syntax = syntax if syntax in RDF_FORMATS[:4] else "nt"
    graph = Graph()
    for report in reports:
        if report.leftovers is not None:
            graph += report.leftovers
    bind_prefixes(graph)
    _write_or_exit(target, lambda: write_atomically(target, serialize(graph, syntax)))
    err.print(f"{counted(len(graph), 'leftover triple')} written to {target}", markup=False, highlight=False)


@app.command(cls=Command, short_help="Convert a catalogue from one format to another.",
             epilog=example("pps convert examples/building-permit.json permit.ttl"))
def convert(source: Annotated[Path, typer.Argument(metavar="SOURCE", help="File to read.")],
            target: Annotated[Path, typer.Argument(metavar="TARGET", help="File to write (replaced only once fully written).")],
            from_format: Annotated[str | None, typer.Option("--from", metavar="NAME", help="Format of SOURCE, if its suffix does not tell it.")] = None,
            to_format: Annotated[str | None, typer.Option("--to", metavar="NAME", help="Format of TARGET, if its suffix does not tell it.")] = None,
            remint: Annotated[bool, typer.Option("--remint", help="RDF to RDF: read into our model and write it with IRIs made from identifiers.")] = False,
            language: Annotated[str | None, typer.Option(metavar="CODE", help="RDF source: the language of untagged text (else it stays untagged, and --remint does not read it).")] = None,
            catalogue: Annotated[str | None, typer.Option(metavar="IRI", help="RDF read into our model: the dcat:Dataset to read when SOURCE holds several.")] = None) -> None:
    """Convert a catalogue from one format to another (formats from the suffixes, or --from/--to).

    RDF to RDF keeps what the source says: its IRIs, identifiers and texts, in CPSV-AP 3.2.0
    terms (2.2.1 is upgraded); --remint reads it into our model instead.
    TARGET is replaced only once fully written; a symbolic link is written through, anything
    else that is not a regular file (a folder, a pipe, a device) is refused.
    Exit code 0 when converted, 1 when SOURCE is not a valid catalogue or TARGET's format cannot
    carry it, 2 when SOURCE cannot be read or TARGET cannot be written. RDF to RDF converts a
    source that breaks CPSV-AP's constraints as it is (exit 0, with a warning that counts them);
    it exits 1 only when the source describes no service.
    """
    try:
        source_format, target_format = get_format(from_format, source).name, get_format(to_format, target).name
    except FormatError as exc:
        _fail(str(exc), UNREADABLE)
    if not remint and source_format in RDF_FORMATS and target_format in RDF_FORMATS[:4]:
        if catalogue is not None:
            _fail("--catalogue chooses what is read into our model: with RDF to RDF, give --remint too", UNREADABLE)
        _convert_as_read(source, target, source_format, target_format, language)
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rdf = source_format in RDF_FORMATS
        read = _load_or_exit(source, source_format, catalogue, language if rdf else "lv")
        _write_or_exit(target, lambda: dump(read, target, target_format))
    for warning in caught:  # e.g. what a format cannot carry: said, never dropped silently
        err.print(f"warning: {warning.message}", markup=False, highlight=False)
    out.print(f"Converted {source} ({source_format}, {counted(len(read.services), 'service')}) "
              f"to {target} ({target_format}, {target.stat().st_size:,} bytes).", highlight=False)


def _fail(message: str, code: int) -> NoReturn:
    err.print(message, markup=False, highlight=False)
    raise typer.Exit(code)


def _load_or_exit(source: Path, source_format: str, catalogue: str | None = None, language: str | None = "lv") -> Any:
    try:
        return load(source, source_format, catalogue=catalogue, language=language)
    except UnreadableError as exc:
        _fail(str(exc), UNREADABLE)
    except ModelError as exc:
        hint = ("\n(text without a language tag was not read: name its language with --language)"
                if language is None and "language" in str(exc) else "")
        _fail(f"{source}: {exc}{hint}", FINDINGS)
    except FormatError as exc:
        _fail(str(exc), FINDINGS)


def _write_or_exit(target: Path, write: Callable[[], object]) -> None:
    """Run `write`: exit 2 when TARGET cannot be written, 1 when its format cannot carry the catalogue."""
    try:
        write()
    except UnwritableError as exc:
        _fail(str(exc), UNREADABLE)
    except FormatError as exc:
        _fail(f"{target}: not written: {exc}", FINDINGS)


def _convert_as_read(source: Path, target: Path, source_format: str, target_format: str, language: str | None) -> None:
    from ..formats import read_file
    from ..formats.rdf.syntax import bind_prefixes, serialize
    from ..validation import Severity
    from ..validation.profiles import shacl_findings
    from ..validation.reading import read_rdf

    try:
        reading = read_rdf(read_file(source), source_format, language, into_models=False)  # the graph is written as read
    except UnreadableError as exc:
        _fail(str(exc) if str(exc).startswith(str(source)) else f"{source}: {exc}", UNREADABLE)
    if not reading.services:
        _fail(f"{source}: the document describes no cpsv:PublicService", FINDINGS)
    for note in reading.notes:
        if note.kind == "upgrade":
            err.print(f"note: {note.message}", markup=False, highlight=False)
    bind_prefixes(reading.graph)
    _write_or_exit(target, lambda: write_atomically(target, serialize(reading.graph, target_format)))
    broken = [f for f in shacl_findings(reading, ("cpsv-ap",)) if f.severity is Severity.ERROR]
    if broken:  # converting keeps what the source says, its faults too: said, not hidden
        err.print(f"warning: the source breaks {counted(len(broken), 'CPSV-AP 3.2.0 constraint')}, written as they are "
                  f"(pps validate {target} --profile cpsv-ap lists them)", markup=False, highlight=False)
    out.print(f"Converted {source} (CPSV-AP {reading.version}, {counted(len(reading.services), 'service')}) to {target} "
              f"(CPSV-AP 3.2.0, IRIs and texts as given; check it with: pps validate {target}).", highlight=False)


@app.command(cls=Command, short_help="Merge municipal service lists into the unified list.",
             epilog=example("pps dedup lists/*.xlsx --out unified-list"))
def dedup(inputs: Annotated[list[Path], typer.Argument(metavar="LIST", help="Municipal service lists: CSV, XLSX, JSON, or pps catalogues.")],
          output: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the unified list, mapping, review queue and report.")] = Path("unified-list"),
          municipality: Annotated[str | None, typer.Option(metavar="NAME", help="Municipality of lists without a municipality column (else the file name).")] = None,
          previous: Annotated[Path | None, typer.Option(metavar="FILE", help="unified.json of an earlier run: its ids are kept.")] = None,
          decisions: Annotated[Path | None, typer.Option(metavar="FILE", help="Reviewers' decisions (JSON) to respect.")] = None,
          language: Annotated[str, typer.Option(metavar="CODE", help="Language of the names.")] = "lv",
          threshold: Annotated[float | None, typer.Option(metavar="NUMBER", min=0.0, max=1.0, help="How similar groups must be to merge (0–1; 0.5, for German 0.35).")] = None) -> None:
    """Merge municipal service lists into the unified list, with a mapping and a review report.

    Exit code 0 when done (rows that could not be read are listed), 2 when an input cannot be read.
    """
    try:
        entries, problems = read_entries(inputs, municipality)
        known = Previous.load(previous) if previous else None
        reviewed = Decisions.load(decisions) if decisions else None
    except (PPSError, OSError, ValueError) as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(UNREADABLE) from None
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("reading", total=len(entries) or 1)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total or 1)

        settings = Settings.for_language(language, **({} if threshold is None else {"threshold": threshold}))
        result = deduplicate(entries, settings, known, reviewed, language, progress)
        bar.update(task, description="writing")
        try:
            written = write_outputs(result, output)  # all files or none: an earlier folder stays whole
        except PPSError as exc:
            err.print(str(exc), markup=False, highlight=False)
            raise typer.Exit(UNREADABLE) from None
    for problem in problems:
        err.print(f"skipped: {problem}", markup=False, highlight=False)
    table = Table(title="Unified municipal service list", show_header=False)
    for label, value in (("entries read", len(entries)), ("rows skipped", len(problems)),
                         ("municipalities", len({e.municipality for e in entries})),
                         ("not services", len(result.excluded)), ("unified services", len(result.unified)),
                         ("decisions to review", len(result.review))):
        table.add_row(label, f"{value:,}")
    out.print(table)
    out.print(f"Wrote {counted(len(written), 'file')} to {output}: {', '.join(p.name for p in written)}.", highlight=False)


@app.command(name="dedup-eval", cls=Command, short_help="Score a unified list against a hand-labelled one.",
             epilog=example("pps dedup-eval unified-list/mapping.csv labels.csv"))
def dedup_eval(predicted: Annotated[Path, typer.Argument(metavar="MAPPING", help="mapping.csv written by pps dedup.")],
               gold: Annotated[Path, typer.Argument(metavar="LABELS", help="Hand-labelled CSV: record_id, unified_id, is_public_service.")]) -> None:
    """Score a unified list against a hand-labelled one: pairwise and B-cubed precision, recall
    and F1, and the share of non-services left out."""
    try:
        scores = evaluate(read_prediction(predicted), read_labels(gold))
    except (OSError, ValueError) as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(UNREADABLE) from None
    table = Table(title=f"{predicted} against {gold}")
    for column in ("", "precision", "recall", "F1"):
        table.add_column(column, justify="right")
    for label, score in (("pairwise", scores.pairwise), ("B-cubed", scores.bcubed)):
        table.add_row(label, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}")
    out.print(table)
    out.print(f"{counted(scores.services, 'service row')}, {counted(scores.non_services, 'non-service row')}; "
              f"non-services left out: {scores.excluded:.1%}", highlight=False)


schema_app = typer.Typer(help="Print the schemas of the SDK's formats.", no_args_is_help=True, rich_markup_mode=None,
                         epilog=example("pps schema shacl --out schemas"))
app.add_typer(schema_app, name="schema")


@schema_app.command("xsd", cls=Command, short_help="The XML Schema of our XML format.",
                     epilog=example("pps schema xsd --out schemas/pps-1.0.xsd"))
def schema_xsd(output: Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE", help="File to write instead of printing.")] = None) -> None:
    """The XML Schema of the pps XML format (pps-1.0.xsd), generated from the models."""
    text = generate_xsd()
    if output is None:
        out.file.write(text)
        return
    write_atomically(output, text)
    write_atomically(output.parent / "xml.xsd", XML_NAMESPACE_SCHEMA)  # the schema imports it from its folder
    out.print(f"Wrote {output} and {output.parent / 'xml.xsd'}.", highlight=False)


@schema_app.command("shacl", cls=Command, short_help="SHACL shapes of CPSV-AP 3.2.0 and of our extension.",
                     epilog=example("pps schema shacl --out schemas"))
def schema_shacl(output: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Folder to write the files to instead of printing.")] = None) -> None:
    """SHACL shapes: CPSV-AP 3.2.0 (ours, from the specification) and PPS (from the models)."""
    _write_schemas("shacl", output)


@schema_app.command("vocabulary", cls=Command, short_help="Our RDF extension vocabulary.",
                     epilog=example("pps schema vocabulary > pps-vocabulary.ttl"))
def schema_vocabulary(output: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Folder to write the file to instead of printing.")] = None) -> None:
    """Our RDF extension vocabulary (pps-vocabulary.ttl), in Latvian and English."""
    _write_schemas("vocabulary", output)


@schema_app.command("context", cls=Command, short_help="The JSON-LD context of our JSON-LD documents.",
                     epilog=example("pps schema context --out schemas"))
def schema_context(output: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Folder to write the file to instead of printing.")] = None) -> None:
    """The JSON-LD context of our JSON-LD documents (pps-context.jsonld)."""
    _write_schemas("context", output)


def _write_schemas(kind: str, folder: Path | None) -> None:
    texts = schema_texts(kind)
    if folder is None:
        for text in texts.values():
            out.file.write(text)
        return
    for name, text in texts.items():
        write_atomically(folder / name, text)
        out.print(f"Wrote {folder / name}.", highlight=False)


def _print_report(report: Report) -> None:
    style = "green" if report.ok else "red"
    out.print(f"[{style}]{escape(report.summary())}[/{style}]", highlight=False)
    for finding in report.findings:
        out.print(f"  {finding}", highlight=False, markup=False)


register_catalogue_commands(app, schema_app, out, err)
register_indicator_commands(app, out, err)


def main() -> None:
    """Entry point of the `pps` console script."""
    app()
