"""What a `pps` command exits with, and says, when an exception ends it: decided here, once.

Every command is a `help.Command`, whose `invoke` passes what ends a command to `failed`.
Input that cannot be read and output that cannot be written exit 2, like any error nobody
foresaw; a catalogue that is not valid, or that a format cannot carry, exits 1, the code of
the commands that check things. The message is one line; `pps --debug COMMAND …` shows the
traceback instead.
"""

from __future__ import annotations

import typer

from ..errors import FormatError, ModelError, PPSError, UnreadableError, UnwritableError

CLEAN, FINDINGS, UNREADABLE = 0, 1, 2
"""Exit codes: done and clean; findings (an invalid catalogue, a critical value); cannot go on."""

# In order: the first class an exception is an instance of decides.
_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (UnreadableError, UNREADABLE), (UnwritableError, UNREADABLE), (ModelError, FINDINGS), (FormatError, FINDINGS),
    (PPSError, UNREADABLE), (OSError, UNREADABLE))


def exit_code(exc: BaseException) -> int:
    """The exit code of a command that `exc` ended."""
    return next((code for kind, code in _CODES if isinstance(exc, kind)), UNREADABLE)


def one_line(exc: BaseException) -> str:
    """What the user is told: the SDK's own message, or for anything else what went wrong and where."""
    text = " ".join(str(exc).split())[:500]
    if isinstance(exc, PPSError) or (isinstance(exc, OSError) and text):
        return text
    return f"error: {type(exc).__name__}: {text}"


def failed(exc: Exception) -> typer.Exit:
    """Say `exc` on stderr and give the Exit that ends the command with its code."""
    typer.echo(one_line(exc), err=True)
    return typer.Exit(exit_code(exc))
