"""JSON: the models' own field names, UTF-8, fields at their defaults left out."""

from __future__ import annotations

import bisect
import json
import re

from ..errors import FormatError, ModelError
from ..model import PPSModel, format_path
from . import register_format, with_lines


def write_json(obj: PPSModel) -> str:
    """The JSON text of `obj`; leaving out defaults loses nothing, since loading restores them."""
    return obj.model_dump_json(indent=2, exclude_defaults=True) + "\n"


def read_json(raw: bytes, model: type[PPSModel]) -> PPSModel:
    """Parse JSON into `model`. Syntax errors raise FormatError; model problems raise
    ModelError whose problems carry the line of the offending value."""
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise FormatError("JSON nested too deeply") from None
    try:
        return model.model_validate(data)
    except ModelError as exc:
        raise with_lines(exc, value_lines(text)) from None


_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"[^,\]}\s]+")


def value_lines(text: str) -> dict[str, int]:
    """Map the path of every value in a valid JSON text (as `format_path` writes it) to the
    line the value starts on."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    lines: dict[str, int] = {}
    # Iterative walk: a stack of (container path, is_object, next index).
    pos = _SPACE.match(text, 0).end()
    stack: list[list] = []
    path: tuple = ()
    while True:
        lines[format_path(path)] = bisect.bisect_right(newlines, pos - 1) + 1
        ch = text[pos]
        if ch in "{[":
            after = _SPACE.match(text, pos + 1).end()
            if text[after] in "}]":
                pos = after + 1  # an empty container is a value like any other
            else:
                stack.append([path, ch == "{", 0])
                path, pos = _next_member(text, after, stack[-1])
                continue
        elif ch == '"':
            pos = _STRING.match(text, pos).end()
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
            return lines


def _next_member(text: str, pos: int, frame: list) -> tuple[tuple, int]:
    """Advance past an object key (if any) to the next value; return its path and position."""
    parent, is_object, index = frame
    if is_object:
        end = _STRING.match(text, pos).end()
        key = json.loads(text[pos:end])
        pos = _SPACE.match(text, end).end() + 1  # the colon
        pos = _SPACE.match(text, pos).end()
        return (*parent, key), pos
    frame[2] = index + 1
    return (*parent, index), pos


register_format("json", (".json",), read_json, write_json)
