"""Reading and writing models in files and documents.

`load`/`loads` and `dump` pick a format by name or by file suffix from a registry, so a new
format is one `register_format` call and callers do not change.
"""

from __future__ import annotations

import gc
import threading
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from ..errors import FormatError, ModelError, Problem, UnreadableError, UnwritableError
from ..model import Catalogue, PPSModel

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Largest document read by default (50 MB): a bound on what untrusted input can cost."""

Reader = Callable[[bytes, type[PPSModel]], PPSModel]
Writer = Callable[[PPSModel], str]
Streamer = Callable[[PPSModel, IO[str]], None]
"""Writes a model to an open text file piece by piece, never holding the whole document."""
Checker = Callable[[bytes], list[Problem]]
"""Checks a document against the format's own schema; returns the problems found."""


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    read: Reader
    write: Writer
    check: Checker | None = None
    stream: Streamer | None = None


_FORMATS: dict[str, Format] = {}


def register_format(name: str, suffixes: tuple[str, ...], read: Reader, write: Writer,
                    check: Checker | None = None, stream: Streamer | None = None) -> None:
    """Make format `name` available to `load`, `loads` and `dump`, also by file `suffixes`.

    `check`, if given, validates a document against the format's schema (`pps validate` runs it).
    `stream`, if given, is how `dump` writes a file: piece by piece, without the whole text.
    """
    _FORMATS[name] = Format(name, tuple(s.lower() for s in suffixes), read, write, check, stream)


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
        raise UnreadableError(f"document is {len(raw):,} bytes, more than the limit of {max_bytes:,}")
    with paused_gc():
        return get_format(format).read(raw, model)


def load(source: str | os.PathLike[str], format: str | None = None, model: type[PPSModel] = Catalogue,
         max_bytes: int = DEFAULT_MAX_BYTES, catalogue: str | None = None, language: str | None = "lv") -> Any:
    """Read a `model` (a Catalogue unless told otherwise) from the file `source`.

    The format is `format`, or else follows from the file's suffix. Files larger than
    `max_bytes` are refused before they are read. For RDF: `catalogue` is the IRI of the
    dcat:Dataset to read from a document that holds several, and `language` the language of
    text without a language tag (None: such text is not read, and the model may then lack it).
    """
    path = Path(source)
    fmt = get_format(format, path)
    raw = read_file(path, max_bytes)
    try:
        with paused_gc():
            if catalogue is not None or language != "lv":
                from .rdf import read_chosen  # only RDF documents hold several catalogues or untagged text

                return read_chosen(raw, fmt.name, model, catalogue, language)
            return fmt.read(raw, model)
    except FormatError as exc:
        raise type(exc)(f"{path}: {exc}") from None  # the same kind of error (MalformedError…), with the file


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a document is read or written, when no other
    thread could notice.

    Reading a large catalogue creates millions of objects that all live on; the collector
    would scan them again and again for nothing (a third of the time at 20,000 services).
    Reference counting still frees everything as usual. The collector is the whole process's:
    while other threads run (a web service, a worker pool) it is left alone, since they may
    rely on it; alone, the process runs nothing else meanwhile, and finds it as it was after.
    """
    if threading.active_count() > 1:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of `path`; UnreadableError if it is missing, unreadable or over `max_bytes`.

    The limit holds for what is read, not only for what the file system says: a pipe or a
    device (`/dev/zero`) has no size, and reading stops one byte past the limit.
    """
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > max_bytes:  # a regular file too large: refused without reading it
                raise UnreadableError(f"{path}: {size:,} bytes, more than the limit of {max_bytes:,}")
            chunks = _bounded_chunks(file, size, max_bytes)
    except OSError as exc:
        raise UnreadableError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if sum(map(len, chunks)) > max_bytes:
        raise UnreadableError(f"{path}: more than the limit of {max_bytes:,} bytes")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _bounded_chunks(file: Any, size: int, max_bytes: int) -> list[bytes]:
    """What `file` holds, in chunks, up to one byte past `max_bytes`: a regular file in one
    read of its size (and one more to see it ended), a pipe or device a megabyte at a time."""
    chunks, total, want = [], 0, (size or 1 << 20) + 1
    while total <= max_bytes:
        chunk = file.read(min(want, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = 1 << 20
    return chunks or [b""]


def dump(obj: PPSModel, target: str | os.PathLike[str], format: str | None = None) -> str | None:
    """Write `obj` and return the document text.

    `target` is either a format name (`dump(catalogue, "json")` only returns the text) or a
    file path, whose suffix picks the format unless `format` is given. A file is replaced
    only once the whole document is written, so a failed dump leaves the old file intact.
    A file in a format that streams (the RDF syntaxes) is written piece by piece, so a large
    catalogue's text is never held whole: then nothing is returned (None).
    """
    if format is None and isinstance(target, str) and target in _FORMATS:
        with paused_gc():
            return _FORMATS[target].write(obj)
    path = Path(target)
    fmt = get_format(format, path)
    if fmt.stream is not None:
        stream = fmt.stream
        with paused_gc():
            write_through(path, lambda out: stream(obj, out))
        return None
    with paused_gc():
        text = fmt.write(obj)
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
    to is replaced and the link stays a link. Anything else that is not a regular file (a
    folder, a pipe, a device) is refused with UnwritableError, as is a path whose folder
    cannot be made.
    """
    write_through(path, lambda out: out.write(text))


def write_through(path: Path, write: Callable[[IO[str]], object]) -> None:
    """Like `write_atomically`, with the text written by `write(file)` to the open temporary
    file; whatever `write` raises (a FormatError half-way…) leaves the old file as it was."""
    try:
        path = _regular_target(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of symbolic links
        raise UnwritableError(f"{path}: cannot write ({getattr(exc, 'strerror', None) or exc})") from None
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with temporary.open("w", encoding="utf-8") as out:
            write(out)
        os.replace(temporary, path)
    except OSError as exc:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise UnwritableError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def _regular_target(path: Path) -> Path:
    """`path`, or the file a symbolic link at `path` points to; OSError unless it is a
    regular file or nothing yet."""
    if path.is_symlink():
        path = path.resolve()
    folder = next((parent for parent in path.parents if parent.exists()), None)
    if folder is not None and not folder.is_dir():
        raise OSError(f"{folder} is a file, not a folder")
    if path.exists() and not path.is_file():
        raise OSError(f"not a regular file ({_kind(path)}); name a file to write")
    return path


def _kind(path: Path) -> str:
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket or other special file"


from . import json_format  # noqa: E402,F401  (registers the JSON format)
from . import xml_format  # noqa: E402,F401  (registers our XML format)
from . import semic_xml  # noqa: E402,F401  (registers SEMIC's draft CPSV-AP XML)
from . import rdf  # noqa: E402,F401  (registers the CPSV-AP RDF syntaxes: ttl, nt, jsonld, rdfxml)
