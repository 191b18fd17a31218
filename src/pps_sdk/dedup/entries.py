"""Municipal service lists in: CSV, XLSX, JSON, and our catalogues (XML, RDF, JSON).

Every row that can be read becomes an `Entry`; every row that cannot is reported with its
file and row number (`RowProblem`), never dropped silently. Columns are found by name, in
English or Latvian (`name`/`nosaukums`, `municipality`/`pašvaldība` …); a list without a
municipality column takes the municipality from `municipality=` or from the file's name.
"""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PPSError
from ..formats import DEFAULT_MAX_BYTES, get_format, loads, read_file

MAX_NAME = 1000
CATALOGUE_SUFFIXES = (".xml", ".ttl", ".nt", ".jsonld", ".rdf")  # pps catalogues, read as services  # longer "names" are pasted text, not titles

# Our field → the column headings that mean it (compared case-folded, without diacritics).
COLUMNS = {
    "name": ("name", "title", "nosaukums", "pakalpojums", "pakalpojuma nosaukums", "dct:title"),
    "municipality": ("municipality", "pasvaldiba", "novads", "org", "organisation", "iestade"),
    "record_id": ("record_id", "id", "identifier", "identifikators", "dct:identifier"),
    "description": ("description", "apraksts", "dct:description"),
    "holder": ("holder", "turetajs", "pakalpojuma turetajs"),
    "legal_basis": ("legal_basis", "legal basis", "tiesiskais pamats", "normativais akts", "normativie akti"),
    "category": ("category", "kategorija", "joma", "thema"),
    "url": ("url", "link", "saite", "dcat:landingpage"),
}


class DedupInputError(PPSError):
    """A file of entries cannot be read at all (missing, not a table, no name column)."""


@dataclass(frozen=True)
class Entry:
    """One municipality's own entry for a service, as listed."""

    key: str  # unique in a run: the record id, else "file:row"
    name: str
    municipality: str
    record_id: str | None = None
    description: str = ""
    holder: str = ""
    legal_basis: str = ""
    category: str = ""
    url: str = ""
    source: str = ""
    row: int = 0


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be read, and why."""

    source: str
    row: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}, row {self.row}: {self.message}"


def read_entries(paths: Iterable[str | os.PathLike[str]], municipality: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Entry], list[RowProblem]]:
    """The entries of every file, and the rows that could not be read.

    Record ids must be unique over all files; a repeated one is a row problem.
    """
    entries: list[Entry] = []
    problems: list[RowProblem] = []
    seen: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        for item in _read_one(path, municipality, max_bytes, problems):
            if item.key in seen:
                problems.append(RowProblem(item.source, item.row, f"record id {item.key!r} already used ({seen[item.key]})"))
                continue
            seen[item.key] = f"{item.source}, row {item.row}"
            entries.append(item)
    return _one_spelling_per_municipality(entries), problems


def place_key(municipality: str) -> str:
    """What tells municipalities apart: "tukuma-novads" (a file name) and "Tukuma novads" (a
    column) are one municipality."""
    return " ".join("".join(c if c.isalnum() else " " for c in _fold(municipality)).split())


def _one_spelling_per_municipality(entries: list[Entry]) -> list[Entry]:
    """Each municipality under one name: the spelling a column gives most often, else the
    file name's with a capital letter."""
    from collections import Counter
    from dataclasses import replace

    spellings: dict[str, Counter] = {}
    for entry in entries:
        spellings.setdefault(place_key(entry.municipality), Counter())[entry.municipality] += 1
    chosen = {key: max(counts, key=lambda s: (s != s.lower(), counts[s], s)) for key, counts in spellings.items()}
    chosen = {key: name if name != name.lower() else name[:1].upper() + name[1:] for key, name in chosen.items()}
    return [entry if chosen[place_key(entry.municipality)] == entry.municipality
            else replace(entry, municipality=chosen[place_key(entry.municipality)]) for entry in entries]


def _read_one(path: Path, municipality: str | None, max_bytes: int, problems: list[RowProblem]) -> Iterator[Entry]:
    suffix = path.suffix.lower()
    raw = read_file(path, max_bytes)  # read once; each branch parses what it needs
    if suffix in CATALOGUE_SUFFIXES:
        yield from _catalogue_entries(path, raw, None)
        return
    if suffix == ".xlsx":
        rows = _xlsx_rows(path, raw)
    elif suffix == ".json":
        data = _json(path, raw)
        if isinstance(data, dict) and "services" in data and "publisher" in data:  # a pps catalogue in JSON
            yield from _catalogue_entries(path, raw, "json")
            return
        rows = _json_rows(path, data)
    else:
        rows = _csv_rows(path, raw)
    yield from _entries(path, rows, municipality or _municipality_from_name(path), problems)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _columns(header: list[str], path: Path) -> dict[str, int]:
    folded = [_fold(h or "") for h in header]
    found = {}
    for field, names in COLUMNS.items():
        for name in names:
            if name in folded:
                found[field] = folded.index(name)
                break
    if "name" not in found:
        raise DedupInputError(f"{path}: no name column (one of: {', '.join(COLUMNS['name'])}); the header is {header}")
    return found


def _entries(path: Path, rows: Iterator[tuple[int, list[Any]]], municipality: str | None,
             problems: list[RowProblem]) -> Iterator[Entry]:
    columns: dict[str, int] | None = None
    source = path.name
    for number, row in rows:
        if columns is None:
            columns = _columns([str(c) if c is not None else "" for c in row], path)
            continue
        values = {field: _cell(row, index) for field, index in columns.items()}
        if not any(_cell(row, i) for i in range(len(row))):
            continue  # an empty line is not an entry
        name = " ".join(values.get("name", "").split())
        where = values.get("municipality") or municipality or ""
        if not name:
            problems.append(RowProblem(source, number, "no name"))
        elif len(name) > MAX_NAME:
            problems.append(RowProblem(source, number, f"the name is {len(name):,} characters long; a title is at most {MAX_NAME:,}"))
        elif not where:
            problems.append(RowProblem(source, number, "no municipality (add a municipality column or name it with --municipality)"))
        else:
            record_id = values.get("record_id") or None
            yield Entry(key=record_id or f"{source}:{number}", name=name, municipality=" ".join(where.split()),
                        record_id=record_id, description=values.get("description", ""), holder=values.get("holder", ""),
                        legal_basis=values.get("legal_basis", ""), category=values.get("category", ""),
                        url=values.get("url", ""), source=source, row=number)
    if columns is None:
        raise DedupInputError(f"{path}: the file is empty")


def _cell(row: list[Any], index: int) -> str:
    if index >= len(row) or row[index] is None:
        return ""
    return str(row[index]).strip()


def _csv_rows(path: Path, raw: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DedupInputError(f"{path}: not UTF-8 text (byte {exc.start}); save the list as UTF-8 CSV") from None
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect, strict=True)
    started = 0
    try:
        for row in reader:
            yield reader.line_num, row
            started = reader.line_num
    except csv.Error as exc:
        if "end of data" in str(exc):  # a quote opened and never closed swallows every row after it
            raise DedupInputError(f"{path}, line {started + 1}: a quote opened there is never closed, so the "
                                  f"{reader.line_num - started - 1:,} lines after it would be read as one field; "
                                  "close the quote or remove it") from None
        raise DedupInputError(f"{path}, line {reader.line_num}: {exc}") from None


def _xlsx_rows(path: Path, raw: bytes) -> Iterator[tuple[int, list[Any]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        _refuse_dtds(path, zipfile.ZipFile(io.BytesIO(raw)))
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError) as exc:
        raise DedupInputError(f"{path}: not an XLSX workbook ({exc})") from None
    if not book.worksheets:
        raise DedupInputError(f"{path}: the workbook has no sheet")
    sheet = book.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, list(row)
    book.close()


def _refuse_dtds(path: Path, archive: Any) -> None:
    """An XLSX never needs a document type declaration; one can define entities that expand
    without bound, so a workbook with one is refused before it is parsed. A declaration stands
    before the root element, so the start of each part is enough to look at."""
    for member in archive.infolist():
        if member.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(member) as part:
                if b"<!DOCTYPE" in part.read(65_536):
                    raise DedupInputError(f"{path}: {member.filename} declares a document type (a DTD), which "
                                          "spreadsheet programs never write; refused so that it cannot expand without bound")


def _json(path: Path, raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise DedupInputError(f"{path}: not valid JSON ({exc})") from None


def _json_rows(path: Path, data: Any) -> Iterator[tuple[int, list[Any]]]:
    items = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise DedupInputError(f"{path}: expected a list of objects (or {{\"entries\": [...]}})")
    header = list(dict.fromkeys(key for item in items for key in item))
    yield 0, header
    for number, item in enumerate(items, start=1):
        yield number, [item.get(key) for key in header]


def _catalogue_entries(path: Path, raw: bytes, format: str | None) -> Iterator[Entry]:
    """Services of a catalogue as entries: municipality from the holder."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # format repairs are not the deduplicator's business
        catalogue = loads(raw, format or get_format(path=path).name, max_bytes=len(raw))
    organisations = {o.id: o for o in catalogue.organisations}
    acts = {a.id: a for a in catalogue.legal_resources}
    for number, service in enumerate(catalogue.services, start=1):
        holder = organisations.get(service.holders[0])
        municipality = holder.name.get("lv") if holder is not None else ""
        yield Entry(key=service.id, name=service.name.get("lv"), municipality=municipality, record_id=service.id,
                    description=service.description.get("lv"), holder=municipality,
                    legal_basis="; ".join(acts[a].title.get("lv") for a in service.legal_resources if a in acts),
                    source=path.name, row=number)


def _municipality_from_name(path: Path) -> str | None:
    # One list per municipality: "tukuma-novads.csv" → "tukuma novads".
    stem = path.stem.replace("_", " ").replace("-", " ").strip()
    return stem or None
