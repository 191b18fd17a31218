"""`pps serve`, `pps token …` and `pps schema openapi`: running a catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

# Only the protocol is loaded up front: the service, its database and the HTTP client are
# imported by the commands that use them, so that other `pps` commands start quickly.
from ..catalogue import protocol as p
from ..catalogue.protocol import DEFAULT_PUBLISHER, Role
from ..errors import FormatError, ModelError, PPSError
from ..formats import DEFAULT_MAX_BYTES, dump, get_format, load, read_file, write_atomically
from ..formats.tables import csv_text
from ..model import PPSModel
from ..validation import Finding, Severity
from ..wording import counted
from .help import Command, example

DEFAULT_DATABASE = "pps-catalogue.db"
DatabaseOption = Annotated[str, typer.Option("--db", metavar="URL", help=(
    "The catalogue's database: an SQLite file path or sqlite:///FILE, or postgresql://USER@HOST/NAME."))]


def register(app: typer.Typer, schema_app: typer.Typer, out, err) -> None:  # type: ignore[no-untyped-def]
    """Add the catalogue commands to the `pps` app."""

    @app.command(cls=Command, short_help="Run the catalogue service (HTTP API).",
                 epilog=example("pps serve --db pps-catalogue.db --port 8080"))
    def serve(database: DatabaseOption = DEFAULT_DATABASE,
              host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on.")] = "127.0.0.1",
              port: Annotated[int, typer.Option("--port", metavar="PORT", help="Port to listen on.")] = 8080,
              publisher: Annotated[str, typer.Option("--publisher", metavar="ORG-ID", help=(
                  "The organisation that publishes the catalogue (named in the snapshot)."))] = DEFAULT_PUBLISHER,
              max_body: Annotated[int, typer.Option("--max-body-mb", metavar="MB", help="Largest request body.")] = 20,
              ) -> None:
        """Run the catalogue service: institutions publish to it, maintainers review, anyone reads
        what is published. With no --db it keeps its data in ./pps-catalogue.db (SQLite)."""
        import uvicorn

        from ..catalogue import CatalogueHead, Settings, create_app

        db = _open(database, err)
        settings = Settings(database=db.url, max_body_bytes=max_body * 1024 * 1024,
                            head=CatalogueHead(publisher=publisher))
        out.print(f"Catalogue service on http://{host}:{port}/ (database {_shown(db.url)}); "
                  f"API description at /openapi.json. Stop with Ctrl+C.", highlight=False)
        uvicorn.run(create_app(settings, db), host=host, port=port, log_level="info")

    token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True, rich_markup_mode=None,
                            epilog=example("pps token create --org org-jelgava --role publisher"))
    app.add_typer(token_app, name="token")

    @token_app.command("create", cls=Command, short_help="Create a token and print it once.",
                       epilog=example("pps token create --db pps-catalogue.db --org org-jelgava"))
    def token_create(org: Annotated[str, typer.Option("--org", metavar="ORG-ID", help="The organisation the token acts for.")],
                     role: Annotated[Role, typer.Option("--role", metavar="ROLE", help="publisher (default) or maintainer.")] = Role.PUBLISHER,
                     database: DatabaseOption = DEFAULT_DATABASE) -> None:
        """Create an API token for an organisation. It is printed once; the catalogue keeps
        only its SHA-256 digest, so keep it somewhere safe."""
        from ..catalogue import create_token

        token = create_token(_open(database, err), org, role)
        out.file.write(token + "\n")
        err.print(f"Token for {org} ({role.value}). It is shown only now.", highlight=False)

    @token_app.command("list", cls=Command, short_help="List tokens (never their secrets).",
                       epilog=example("pps token list --db pps-catalogue.db"))
    def token_list(database: DatabaseOption = DEFAULT_DATABASE) -> None:
        """List the tokens: id, organisation, role, when created and when revoked."""
        from ..catalogue import list_tokens

        for row in list_tokens(_open(database, err)):
            revoked = f"revoked {row['revoked_at']}" if row["revoked_at"] else "live"
            out.print(f"{row['id']}  {row['org']}  {row['role']}  created {row['created_at']}  {revoked}", highlight=False)

    @token_app.command("revoke", cls=Command, short_help="Revoke a token.",
                       epilog=example("pps token revoke 3f9a1c0d5e7b2a64"))
    def token_revoke(token: Annotated[str, typer.Argument(metavar="TOKEN-ID", help="The token's id (from 'pps token list') or the token.")],
                     database: DatabaseOption = DEFAULT_DATABASE) -> None:
        """Revoke a token: requests with it are refused from now on."""
        from ..catalogue import revoke_token

        if not revoke_token(_open(database, err), token):
            err.print(f"No live token {token[:20]!r}.", highlight=False)
            raise typer.Exit(1)
        out.print("Revoked.")

    @app.command(cls=Command, short_help="Publish service descriptions to a catalogue.",
                 epilog=example("pps publish services.json --to https://katalogs.example.lv --token-file pps.token"))
    def publish(files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Catalogue files in any format the SDK reads.")],
                to: Annotated[str, typer.Option("--to", metavar="URL", help="The catalogue service.")],
                token_file: Annotated[Path | None, typer.Option("--token-file", metavar="FILE", help=(
                    "A file holding the API token (needed unless --dry-run)."))] = None,
                outbox: Annotated[Path | None, typer.Option("--outbox", metavar="FILE", help=(
                    "Keep the job in this file, so that a run that was stopped finishes when started again."))] = None,
                results: Annotated[Path, typer.Option("--results", metavar="PREFIX", help=(
                    "Where to write one result per record (PREFIX.csv and PREFIX.json)."))] = Path("publish-results"),
                submit: Annotated[bool, typer.Option("--submit", help="Submit each published service for review.")] = False,
                dry_run: Annotated[bool, typer.Option("--dry-run", help="Read and check only; send nothing.")] = False,
                batch_size: Annotated[int, typer.Option("--batch-size", metavar="N", help="Records per request.")] = 200,
                attempts: Annotated[int, typer.Option("--attempts", metavar="N", help=(
                    "Tries per request when the connection fails or the service is busy."))] = 6,
                ) -> None:
        """Publish the records of FILE... to a catalogue service: organisations, channels and the
        records services refer to, then the services, as drafts (with --submit, submitted for
        review). Invalid records are refused before sending and do not stop the others.
        Exit 0 when every record went through, 1 when some were refused, 2 when nothing could be sent."""
        sent: list[PPSModel] = []
        origin: dict[tuple[str, str], str] = {}
        outcomes: list[tuple[str, p.WriteResult]] = []
        for path in files:
            try:
                records, refused = read_records(path)
            except PPSError as exc:
                err.print(f"{exc}", highlight=False, markup=False)
                outcomes.append((str(path), p.WriteResult(collection="file", id=path.name, outcome=p.Outcome.REFUSED,
                                                           findings=[Finding(Severity.ERROR, "", str(exc), "read")])))
                continue
            outcomes += [(str(path), r) for r in refused]
            for record in records:
                origin[(p.COLLECTIONS[_name(record)].path, record.id)] = str(path)  # type: ignore[attr-defined]
            sent += records
        if dry_run:
            out.print(f"Would send {counted(len(sent), 'record')} to {to}; "
                      f"{counted(len(outcomes), 'record')} refused before sending.", highlight=False)
            _summary(outcomes, out)
            raise typer.Exit(1 if outcomes else 0)
        if token_file is None:
            err.print("Name the file holding your API token with --token-file.")
            raise typer.Exit(2)
        token = _read_token(token_file, err)
        if not sent:
            err.print("Nothing to send.")
            _write_results(results, outcomes)
            raise typer.Exit(2)
        from ..catalogue.client import CatalogueClient, RetryPolicy, Unauthorised, Unavailable
        from ..catalogue.outbox import OutboxError

        try:
            with CatalogueClient(to, token, batch_size=batch_size, retry=RetryPolicy(attempts=max(1, attempts))) as client, \
                    Progress(TextColumn("publishing"), BarColumn(), TaskProgressColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
                             console=err, transient=True) as bar:
                task = bar.add_task("publishing", total=len(sent))
                done = client.publish(sent, outbox=str(outbox) if outbox else None,
                                      progress=lambda count, total: bar.update(task, completed=count, total=total))
                written = done.others + done.services
                if submit:
                    written = [*done.others, *(_submit(client, r) for r in done.services)]
        except (Unavailable, Unauthorised, OutboxError) as exc:
            err.print(f"Nothing more could be sent: {exc}", highlight=False, markup=False)
            raise typer.Exit(2) from None
        outcomes += [(origin.get((r.collection, r.id), ""), r) for r in written]
        _summary(outcomes, out)
        for path in _write_results(results, outcomes):
            out.print(f"Wrote {path}.", highlight=False)
        raise typer.Exit(1 if any(r.outcome is p.Outcome.REFUSED for _, r in outcomes) else 0)

    @app.command(cls=Command, short_help="Mirror the published catalogue into a folder.",
                 epilog=example("pps pull --from https://katalogs.example.lv --out mirror --format ttl"))
    def pull(source: Annotated[str, typer.Option("--from", metavar="URL", help="The catalogue service.")],
             folder: Annotated[Path, typer.Option("--out", metavar="DIR", help="The mirror's folder.")],
             fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="ttl, jsonld, xml or json.")] = "ttl",
             token_file: Annotated[Path | None, typer.Option("--token-file", metavar="FILE", help="An API token, if needed.")] = None,
             ) -> None:
        """Mirror the published catalogue: the first run reads the whole snapshot, later runs only
        the changes since (the feed's cursor is kept in DIR). Writes DIR/catalogue.FORMAT."""
        if fmt not in ("ttl", "jsonld", "xml", "json"):
            err.print(f"Unknown format {fmt!r}: use ttl, jsonld, xml or json.", highlight=False)
            raise typer.Exit(2)
        from ..catalogue.client import CatalogueClient, CatalogueClientError
        from ..catalogue.mirror import Mirror

        try:
            with CatalogueClient(source, _read_token(token_file, err)) as client:
                mirror = Mirror(folder)
                changed = mirror.update(client)
                target = mirror.write(fmt)
        except CatalogueClientError as exc:
            err.print(f"Cannot mirror {source}: {exc}", highlight=False, markup=False)
            raise typer.Exit(2) from None
        out.print(f"{changed}; wrote {target} (cursor {mirror.cursor}).", highlight=False)

    def _submit(client: Any, result: p.WriteResult) -> p.WriteResult:
        from ..catalogue.client import CatalogueClientError, ValidationRefused

        if result.outcome is p.Outcome.REFUSED or result.state not in (p.PublishingState.DRAFT, p.PublishingState.MODIFIED):
            return result
        try:
            submitted = client.submit(result.id)
        except ValidationRefused as exc:
            return result.model_copy(update={"outcome": p.Outcome.REFUSED, "problem": exc.problem,
                                             "findings": exc.findings})
        except CatalogueClientError as exc:
            return result.model_copy(update={"outcome": p.Outcome.REFUSED, "problem": exc.problem})
        # What publishing did, and where the submission left the service.
        return result.model_copy(update={"version": submitted.version, "state": submitted.state,
                                         "findings": [*result.findings, *submitted.findings]})

    @schema_app.command("openapi", cls=Command, short_help="The OpenAPI document of the catalogue service.",
                        epilog=example("pps schema openapi --out schemas"))
    def schema_openapi(output: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Folder to write the file to instead of printing.")] = None) -> None:
        """The OpenAPI 3.1 document of the catalogue service (pps-catalogue-openapi.json)."""
        from ..catalogue.openapi import OPENAPI_FILE, openapi_text

        if output is None:
            out.file.write(openapi_text())
            return
        write_atomically(output / OPENAPI_FILE, openapi_text())
        out.print(f"Wrote {output / OPENAPI_FILE}.", highlight=False)


RESULT_COLUMNS = ("file", "collection", "id", "outcome", "version", "state", "detail")


def _read_token(path: Path | None, err) -> str | None:  # type: ignore[no-untyped-def]
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        err.print(f"Cannot read the token file {path}: {exc.strerror or exc}", highlight=False)
        raise typer.Exit(2) from None


def read_records(path: Path) -> tuple[list[PPSModel], list[p.WriteResult]]:
    """The records of a file, and those refused before sending (invalid, with findings).

    JSON is read record by record, so one invalid record does not hold back the others; a
    JSON file may also hold one service description. Other formats are read whole."""
    if get_format(path=path).name != "json":
        catalogue = load(path)
        return [item for name in p.COLLECTIONS for item in getattr(catalogue, name)], []
    try:
        data = json.loads(read_file(path, DEFAULT_MAX_BYTES).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FormatError(f"{path}: not a JSON document ({str(exc)[:200]})") from None
    if isinstance(data, dict) and not set(data) & {*p.COLLECTIONS, p.MEASUREMENTS}:
        data = {"services": [data]}  # one service description
    try:
        items = p.bulk_records(data)
    except ValueError as exc:
        raise FormatError(f"{path}: {exc}") from None
    records, refused = [], []
    for index, (collection, value) in enumerate(items):
        if collection is None:
            continue  # measurements go to published indicators, not through publishing
        try:
            records.append(collection.model.model_validate(value))
        except ModelError as exc:
            ident = str(value.get("id", f"#{index}")) if isinstance(value, dict) else f"#{index}"
            findings = [Finding(Severity.ERROR, pr.path, pr.message, "model") for pr in exc.problems]
            refused.append(p.WriteResult(collection=collection.path, id=ident, outcome=p.Outcome.REFUSED,
                                         findings=findings))
    return records, refused


def _detail(result: p.WriteResult) -> str:
    parts = [result.problem.detail] if result.problem and result.problem.detail else []
    parts += [f"{f.severity.value}: {f.path}: {f.message}" if f.path else f.message for f in result.findings]
    return "; ".join(parts)


def _result_rows(results: list[tuple[str, p.WriteResult]]) -> list[list[Any]]:
    return [[file, r.collection, r.id, r.outcome.value, r.version if r.version is not None else "",
             r.state.value if r.state else "", _detail(r)] for file, r in results]


def _write_results(prefix: Path, results: list[tuple[str, p.WriteResult]]) -> list[Path]:
    rows = _result_rows(results)
    csv_path, json_path = prefix.with_name(prefix.name + ".csv"), prefix.with_name(prefix.name + ".json")
    write_atomically(csv_path, csv_text(RESULT_COLUMNS, rows))
    write_atomically(json_path, json.dumps([dict(zip(RESULT_COLUMNS, row)) for row in rows], ensure_ascii=False,
                                           indent=1) + "\n")
    return [csv_path, json_path]


def _name(record: PPSModel) -> str:
    return next(name for name, c in p.COLLECTIONS.items() if isinstance(record, c.model))


def _summary(outcomes: list[tuple[str, p.WriteResult]], out) -> None:  # type: ignore[no-untyped-def]
    table = Table(title="Published", show_header=True)
    table.add_column("records")
    for outcome in p.Outcome:
        table.add_column(outcome.value, justify="right")
    groups: dict[str, dict[str, int]] = {}
    for _, result in outcomes:
        row = groups.setdefault(result.collection, {o.value: 0 for o in p.Outcome})
        row[result.outcome.value] += 1
    for collection, row in groups.items():
        table.add_row(collection, *(str(row[o.value]) for o in p.Outcome))
    out.print(table)
    for file, result in outcomes:
        if result.outcome is p.Outcome.REFUSED:
            where = f"{file}: " if file else ""
            out.print(f"  refused {where}{result.collection}/{result.id}: {_detail(result)}", highlight=False, markup=False)


def _open(database: str, err) -> Any:  # type: ignore[no-untyped-def]
    from ..catalogue import Database

    try:
        return Database(database)
    except Exception as exc:  # a wrong URL, an unreachable server, a file that is not a database
        err.print(f"Cannot open the database {database!r}: {str(exc).splitlines()[0]}", highlight=False)
        raise typer.Exit(2) from None


def _shown(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
