"""JSON: the models' own field names, UTF-8, fields at their defaults left out.

Reading is strict about what JSON itself allows but the models do not: a key repeated in
one object is refused (JSON parsers silently keep the last value), and the models refuse
`true` or `"2"` where a number is meant.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ..errors import MalformedError, ModelError, Problem
from ..model import PPSModel, format_path
from . import register_format, with_lines


def write_json(obj: PPSModel) -> str:
    """The JSON text of `obj`; leaving out defaults loses nothing, since loading restores them."""
    return obj.model_dump_json(indent=2, exclude_defaults=True) + "\n"


class _RepeatedKey(Exception):
    """An object in the document repeats a key; found again, with paths, by `repeated_keys`."""


def _object_without_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _RepeatedKey
    return obj


def read_json(raw: bytes, model: type[PPSModel]) -> PPSModel:
    """Parse JSON into `model`. Syntax errors raise FormatError; a key repeated in one object
    and model problems raise ModelError whose problems carry the path and line."""
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text, object_pairs_hook=_object_without_repeats)
    except _RepeatedKey:
        try:  # a repeat is found as its object closes: the rest must be valid JSON too before keys are walked
            json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise _malformed(exc) from None
        raise ModelError(repeated_keys(text), f"invalid {model.__name__}") from None
    except UnicodeDecodeError as exc:
        raise MalformedError(f"not UTF-8 text (byte {exc.start})") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise _malformed(exc) from None
    try:
        return model.model_validate(data)
    except ModelError as exc:
        raise with_lines(exc, value_lines(text)) from None


def _malformed(exc: json.JSONDecodeError | RecursionError) -> MalformedError:
    if isinstance(exc, RecursionError):
        return MalformedError("nested too deeply for JSON")
    return MalformedError(f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}")


_SPACE = re.compile(r"[ \t\n\r]*")
# Possessive repeats: the regex engine keeps no state to backtrack into, so a string of tens
# of megabytes costs no more than itself (a plain repeated group costs gigabytes).
_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
_SCALAR = re.compile(r"[^,\]}\s]+")


def value_lines(text: str) -> dict[str, int]:
    """Map the path of every value in a valid JSON text (as `format_path` writes it) to the
    line the value starts on."""
    return {format_path(path): line for path, line, _ in _values(text)}


def repeated_keys(text: str) -> list[Problem]:
    """A problem for every key of a valid JSON text that repeats a key of the same object."""
    first: dict[tuple[int | None, str | int], int] = {}  # (object, key) → line of its first value
    problems = []
    for path, line, container in _values(text):
        if not path or not isinstance(path[-1], str):
            continue
        key = (container, path[-1])
        if key in first:
            problems.append(Problem(format_path(path), f"key {path[-1]!r} appears more than once in its object "
                                    f"(first on line {first[key]}); keep one", line))
        else:
            first[key] = line
    return problems


def _values(text: str) -> Iterator[tuple[tuple, int, int | None]]:
    """The path and starting line of every value in a valid JSON text, in document order,
    with the offset of the object or array holding it (None for the whole document)."""
    lines = _LineCounter(text)
    # Iterative walk: a stack of (container path, is_object, next index, container offset).
    pos = _SPACE.match(text, 0).end()
    stack: list[list] = []
    path: tuple = ()
    while True:
        yield path, lines.at(pos), stack[-1][3] if stack else None
        ch = text[pos]
        if ch in "{[":
            after = _SPACE.match(text, pos + 1).end()
            if text[after] in "}]":
                pos = after + 1  # an empty container is a value like any other
            else:
                stack.append([path, ch == "{", 0, pos])
                path, pos = _next_member(text, after, stack[-1])
                continue
        elif ch == '"':
            pos = _string_end(text, pos)
        else:
            pos = _SCALAR.match(text, pos).end()
        # After a value: either another member follows, or containers close.
        while stack:
            pos = _SPACE.match(text, pos).end()
            if text[pos] == ",":
                pos = _SPACE.match(text, pos + 1).end()
                path, pos = _next_member(text, pos, stack[-1])
                break
            stack.pop()
            pos += 1  # the closing bracket
        else:
            return


class _LineCounter:
    """The line of a position, for positions asked in increasing order; counts newlines as
    it goes rather than keeping a list of them (a text of newlines would cost 36 bytes each)."""

    def __init__(self, text: str):
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _string_end(text: str, start: int) -> int:
    """The position after the JSON string that starts (with its quote) at `start`."""
    return _STRING.match(text, start).end()


def _next_member(text: str, pos: int, frame: list) -> tuple[tuple, int]:
    """Advance past an object key (if any) to the next value; return its path and position."""
    parent, is_object, index, _ = frame
    if is_object:
        end = _string_end(text, pos)
        key = json.loads(text[pos:end])
        pos = _SPACE.match(text, end).end() + 1  # the colon
        pos = _SPACE.match(text, pos).end()
        return (*parent, key), pos
    frame[2] = index + 1
    return (*parent, index), pos


register_format("json", (".json",), read_json, write_json)
