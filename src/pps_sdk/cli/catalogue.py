"""`pps serve`, `pps token …` and `pps schema openapi`: running a catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..catalogue import CatalogueHead, Database, Role, Settings, create_app, create_token, list_tokens, revoke_token
from ..catalogue.openapi import OPENAPI_FILE, openapi_text
from ..formats import write_atomically
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
                  "The organisation that publishes the catalogue (named in the snapshot)."))] = CatalogueHead.publisher,
              max_body: Annotated[int, typer.Option("--max-body-mb", metavar="MB", help="Largest request body.")] = 20,
              ) -> None:
        """Run the catalogue service: institutions publish to it, maintainers review, anyone reads
        what is published. With no --db it keeps its data in ./pps-catalogue.db (SQLite)."""
        import uvicorn

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
        token = create_token(_open(database, err), org, role)
        out.file.write(token + "\n")
        err.print(f"Token for {org} ({role.value}). It is shown only now.", highlight=False)

    @token_app.command("list", cls=Command, short_help="List tokens (never their secrets).",
                       epilog=example("pps token list --db pps-catalogue.db"))
    def token_list(database: DatabaseOption = DEFAULT_DATABASE) -> None:
        """List the tokens: id, organisation, role, when created and when revoked."""
        for row in list_tokens(_open(database, err)):
            revoked = f"revoked {row['revoked_at']}" if row["revoked_at"] else "live"
            out.print(f"{row['id']}  {row['org']}  {row['role']}  created {row['created_at']}  {revoked}", highlight=False)

    @token_app.command("revoke", cls=Command, short_help="Revoke a token.",
                       epilog=example("pps token revoke 3f9a1c0d5e7b2a64"))
    def token_revoke(token: Annotated[str, typer.Argument(metavar="TOKEN-ID", help="The token's id (from 'pps token list') or the token.")],
                     database: DatabaseOption = DEFAULT_DATABASE) -> None:
        """Revoke a token: requests with it are refused from now on."""
        if not revoke_token(_open(database, err), token):
            err.print(f"No live token {token[:20]!r}.", highlight=False)
            raise typer.Exit(1)
        out.print("Revoked.")

    @schema_app.command("openapi", cls=Command, short_help="The OpenAPI document of the catalogue service.",
                        epilog=example("pps schema openapi --out schemas"))
    def schema_openapi(output: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Folder to write the file to instead of printing.")] = None) -> None:
        """The OpenAPI 3.1 document of the catalogue service (pps-catalogue-openapi.json)."""
        if output is None:
            out.file.write(openapi_text())
            return
        write_atomically(output / OPENAPI_FILE, openapi_text())
        out.print(f"Wrote {output / OPENAPI_FILE}.", highlight=False)


def _open(database: str, err) -> Database:  # type: ignore[no-untyped-def]
    try:
        return Database(database)
    except Exception as exc:  # a wrong URL, an unreachable server, a file that is not a database
        err.print(f"Cannot open the database {database!r}: {str(exc).splitlines()[0]}", highlight=False)
        raise typer.Exit(2) from None


def _shown(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
