"""Reading and writing models in files and documents.

`load`/`loads` and `dump` pick a format by name or by file suffix from a registry, so a new
format is one `register_format` call and callers do not change.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import FormatError, ModelError, Problem, UnreadableError
from ..model import Catalogue, PPSModel

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Largest document read by default (50 MB): a bound on what untrusted input can cost."""

Reader = Callable[[bytes, type[PPSModel]], PPSModel]
Writer = Callable[[PPSModel], str]
Checker = Callable[[bytes], list[Problem]]
"""Checks a document against the format's own schema; returns the problems found."""


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    read: Reader
    write: Writer
    check: Checker | None = None


_FORMATS: dict[str, Format] = {}


def register_format(name: str, suffixes: tuple[str, ...], read: Reader, write: Writer,
                    check: Checker | None = None) -> None:
    """Make format `name` available to `load`, `loads` and `dump`, also by file `suffixes`.

    `check`, if given, validates a document against the format's schema (`pps validate` runs it).
    """
    _FORMATS[name] = Format(name, tuple(s.lower() for s in suffixes), read, write, check)


def formats() -> list[str]:
    """Names of the registered formats."""
    return sorted(_FORMATS)


def get_format(name: str | None = None, path: str | os.PathLike[str] | None = None) -> Format:
    """The format called `name`, or else the one whose suffix `path` has."""
    if name is not None:
        if name not in _FORMATS:
            raise FormatError(f"unknown format {name!r}; known formats: {', '.join(formats())}")
        return _FORMATS[name]
    suffix = Path(path).suffix.lower() if path is not None else ""
    for fmt in _FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt
    raise FormatError(f"cannot tell the format of {str(path)!r} from its suffix; name one of: {', '.join(formats())}")


def loads(data: str | bytes, format: str, model: type[PPSModel] = Catalogue,
          max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Read a `model` (a Catalogue unless told otherwise) from a document held in memory."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise FormatError(f"document is {len(raw):,} bytes, more than the limit of {max_bytes:,}")
    with paused_gc():
        return get_format(format).read(raw, model)


def load(source: str | os.PathLike[str], format: str | None = None, model: type[PPSModel] = Catalogue,
         max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Read a `model` (a Catalogue unless told otherwise) from the file `source`.

    The format is `format`, or else follows from the file's suffix. Files larger than
    `max_bytes` are refused before they are read.
    """
    path = Path(source)
    fmt = get_format(format, path)
    raw = read_file(path, max_bytes)
    try:
        with paused_gc():
            return fmt.read(raw, model)
    except FormatError as exc:
        raise FormatError(f"{path}: {exc}") from None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a document is read or written.

    Reading a large catalogue creates millions of objects that all live on; the collector
    would scan them again and again for nothing (a third of the time at 20,000 services).
    Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of `path`; UnreadableError if it is missing, unreadable or over `max_bytes`."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableError(f"{path}: {size:,} bytes, more than the limit of {max_bytes:,}")
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def dump(obj: PPSModel, target: str | os.PathLike[str], format: str | None = None) -> str:
    """Write `obj` and return the document text.

    `target` is either a format name (`dump(catalogue, "json")` only returns the text) or a
    file path, whose suffix picks the format unless `format` is given. A file is replaced
    only once the whole document is written, so a failed dump leaves the old file intact.
    """
    if format is None and isinstance(target, str) and target in _FORMATS:
        with paused_gc():
            return _FORMATS[target].write(obj)
    path = Path(target)
    with paused_gc():
        text = get_format(format, path).write(obj)
    write_atomically(path, text)
    return text


def with_lines(error: ModelError, lines: dict[str, int]) -> ModelError:
    """`error` with each problem given the line of its path in `lines` (path → line)."""
    error.problems = [replace(p, line=_line_for(p.path, lines)) for p in error.problems]
    return error


def _line_for(path: str, lines: dict[str, int]) -> int | None:
    # A missing field has no value of its own: point at the nearest enclosing value.
    while path not in lines and path:
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return lines.get(path)


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then rename it.

    Missing parent folders are created. A symbolic link is written through: the file it points
    to is replaced and the link stays a link.
    """
    if path.is_symlink():
        path = path.resolve()
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise FormatError(f"{path}: cannot write ({exc.strerror or exc})") from exc


from . import json_format  # noqa: E402,F401  (registers the JSON format)
from . import xml_format  # noqa: E402,F401  (registers our XML format)
from . import semic_xml  # noqa: E402,F401  (registers SEMIC's draft CPSV-AP XML)
from . import rdf  # noqa: E402,F401  (registers the CPSV-AP RDF syntaxes: ttl, nt, jsonld, rdfxml)
