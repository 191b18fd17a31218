"""The SDK's exceptions: one small tree, so callers can catch as broadly as they like.

    PPSError
    ├── ModelError       the input does not make a valid model (lists every problem)
    ├── TransitionError  a publishing-state change that the life cycle does not allow
    └── FormatError      a file or document cannot be read or written in a format
        ├── UnreadableError  the file cannot be read at all (missing, no permission, too large)
        │   └── MalformedError  it is not a document of its format (broken syntax, not UTF-8…)
        └── UnwritableError  the target cannot be written (a file in the way of its folder…)
"""

from __future__ import annotations

from dataclasses import dataclass

from .wording import counted


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with the path to where it is wrong.

    `path` reads like Python access into the document, e.g.
    `services[2].channels[0].opening_hours[1].closes`; an empty path means the whole object.
    `line` is set when the problem was found in a file and its line is known.
    """

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{location(self.path, self.line)}: {self.message}"


def location(path: str, line: int | None = None) -> str:
    """Where something is, as messages show it: `line 12: services[0].name` or `(document)`."""
    where = path or "(document)"
    return f"line {line}: {where}" if line is not None else where


class PPSError(Exception):
    """Base class of every error the SDK raises on purpose."""


class ModelError(PPSError, ValueError):
    """The input is not a valid model. `problems` lists every problem found, each with a path."""

    def __init__(self, problems: list[Problem], title: str = "invalid input"):
        self.problems = list(problems)
        self.title = title
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.title}: {counted(len(self.problems), 'problem')}"
        return "\n  ".join([head, *map(str, self.problems)])


class FormatError(PPSError):
    """A source cannot be read or written in the requested format (unknown format, bad syntax…)."""


class TransitionError(PPSError, ValueError):
    """A service description cannot move to the requested publishing state."""


class UnreadableError(FormatError):
    """The source cannot be read at all: it is missing, not permitted, or larger than the limit."""


class MalformedError(UnreadableError):
    """The source is not a document of its format: broken syntax, not UTF-8, nested too deeply,
    or something refused on sight (an XML DOCTYPE, a remote JSON-LD context)."""


class UnwritableError(FormatError):
    """The target cannot be written: a file where a folder should be, no permission, or
    something other than a regular file (a folder, a pipe, a device) at its path."""
