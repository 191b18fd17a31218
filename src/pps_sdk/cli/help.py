"""How `pps … --help` reads: names for what arguments hold, no Python types, one example.

Typer describes parameters by their Python types (`<list[Path]>`, `<bool>`), which tell a
user nothing about what to type. `Command` shows each argument by its metavar (`FILE...`,
`SOURCE TARGET`) and the usage line in the usual form (`pps validate [OPTIONS] FILE...`);
options show theirs (`--out DIR`) and flags stand bare, as in click's plain help, which the
`pps` app uses. Only click's own help hooks (usage pieces, the options section) are
overridden, so the help keeps its shape as typer changes its rich rendering.

`Command` is also where an exception that ends a command becomes its exit code (`exits`).
"""

from __future__ import annotations

from typing import Any

import click
import typer
from typer.core import TyperCommand
from typer.exceptions import TyperException

from .exits import failed


def example(*commands: str) -> str:
    """An epilog showing `commands` as typed, kept on their own lines by the help formatter."""
    # "\b" tells click's formatter not to rewrap the paragraph that follows.
    return "\b\n" + ("Example:" if len(commands) == 1 else "Examples:") + "\n" + "\n".join(f"  {c}" for c in commands)


def _argument_name(param: Any) -> str:
    name = param.metavar or param.name.upper()
    many = param.nargs != 1
    if many and not name.endswith("..."):
        name += "..."
    return name if param.required else f"[{name}]"


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _options_sections(command: Any, ctx: Any, formatter: Any) -> None:
    arguments = [(_argument_name(p), p.help or "") for p in command.get_params(ctx) if _is_argument(p) and not p.hidden]
    options = [record for p in command.get_params(ctx) if not _is_argument(p) and (record := p.get_help_record(ctx))]
    if arguments:
        with formatter.section("Arguments"):
            formatter.write_dl(arguments)
    if options:
        with formatter.section("Options"):
            formatter.write_dl(options)


def _usage(command: Any, ctx: Any) -> list[str]:
    pieces = [command.options_metavar] if command.options_metavar else []
    return pieces + [_argument_name(p) for p in command.get_params(ctx) if _is_argument(p)]


class Command(TyperCommand):
    """A `pps` command whose help names its arguments instead of typing them, and whose
    errors end it with the exit code and the one line `exits` gives them (the traceback
    with `pps --debug`)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException, click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise  # how a command ends on purpose, or a usage error, which typer reports itself
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                raise
            raise failed(exc) from None

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _usage(self, ctx)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _options_sections(self, ctx, formatter)
