"""A run's results as files: the unified list, the mapping, the review queue (CSV, XLSX,
JSON), the unified list as a pps catalogue (XML, CPSV-AP Turtle), and an HTML report."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from ..folders import OutputFolderError, write_folder
from ..formats import dump, write_atomically
from ..formats.tables import csv_text
from ..model import Catalogue, Organisation, OrganisationKind
from ..wording import counted
from .entries import Entry
from .pipeline import Result, as_json

MAPPING_COLUMNS = ("record_id", "source", "row", "municipality", "name", "unified_id", "unified_name", "confidence",
                   "explanation", "excluded")
UNIFIED_COLUMNS = ("unified_id", "name", "municipalities", "entries", "description")
REVIEW_COLUMNS = ("kind", "similarity", "first", "second", "first_names", "second_names", "reason")
FORMATS = ("csv", "xlsx", "json", "html", "xml", "ttl")


def tables(result: Result) -> dict[str, tuple[tuple[str, ...], list[list[Any]]]]:
    """Table name → (columns, rows) for the unified list, the mapping and the review queue."""
    names = {s.id: s.name.get("lv") for s in result.unified}
    by_key = {m.entry.key: m.entry for m in result.mappings}
    mapping = [[m.entry.record_id or "", m.entry.source, m.entry.row, m.entry.municipality, m.entry.name,
                m.unified_id or "", names.get(m.unified_id or "", ""), m.confidence, m.explanation, m.excluded or ""]
               for m in result.mappings]
    unified = [[s.id, s.name.get("lv"), len({e.municipality for e in result.members[s.id]}), len(result.members[s.id]),
                s.description.get("lv")] for s in result.unified]
    review = [[r.kind, r.similarity, " ".join(r.first), " ".join(r.second),
               " | ".join(by_key[k].name for k in r.first if k in by_key),
               " | ".join(by_key[k].name for k in r.second if k in by_key), r.reason] for r in result.review]
    return {"mapping": (MAPPING_COLUMNS, mapping), "unified": (UNIFIED_COLUMNS, unified), "review": (REVIEW_COLUMNS, review)}


# Kept under its earlier name: what `write_outputs` raises when the folder cannot be written.
DedupOutputError = OutputFolderError


def write_outputs(result: Result, folder: str | Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write the results in `formats` into `folder`; returns the files written.

    All or nothing (`pps_sdk.folders.write_folder`): a run that fails or is interrupted leaves
    an earlier `folder` as it was. Files in `folder` that are not results (notes, a decisions
    file) are carried over."""
    return write_folder(folder, lambda staging: _write_all(result, staging, formats), _RESULT_NAMES)


def _write_all(result: Result, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    written: list[Path] = []
    data = tables(result)
    for name, (columns, rows) in data.items():
        if "csv" in formats:
            written.append(_write(folder / f"{name}.csv", _csv(columns, rows)))
        if "json" in formats and name != "unified":
            written.append(_write(folder / f"{name}.json", json.dumps([dict(zip(columns, row)) for row in rows],
                                                                      ensure_ascii=False, indent=1)))
    if "json" in formats:  # the unified list in the form the next run reads back (--previous)
        written.append(_write(folder / "unified.json", json.dumps(as_json(result), ensure_ascii=False, indent=1)))
    if "xlsx" in formats:
        path = folder / "unified-list.xlsx"
        _xlsx(path, data)
        written.append(path)
    if "html" in formats:
        written.append(_write(folder / "report.html", html_report(result)))
    catalogue = as_catalogue(result)
    for fmt in ("xml", "ttl"):
        if fmt in formats:
            path = folder / f"unified-list.{fmt}"
            dump(catalogue, path)
            written.append(path)
    return written


_RESULT_NAMES = {f"{table}.{suffix}" for table in ("mapping", "unified", "review") for suffix in ("csv", "json")} | {
    "unified-list.xlsx", "report.html", "unified-list.xml", "unified-list.ttl"}


def as_catalogue(result: Result) -> Catalogue:
    """The unified list as a pps catalogue (its `unified_services`), for XML and RDF."""
    maintainer = Organisation(id="unified-list-maintainer", kind=OrganisationKind.STATE_INSTITUTION,
                              name={"lv": "Vienotā pašvaldību pakalpojumu saraksta uzturētājs",
                                    "en": "Maintainer of the unified municipal service list"})
    return Catalogue(id="unified-municipal-services", publisher=maintainer.id, organisations=[maintainer],
                     title={"lv": "Vienotais pašvaldību pakalpojumu saraksts", "en": "Unified municipal service list"},
                     description={"lv": f"{len(result.unified)} unificēti pakalpojumi no "
                                        f"{len({e.municipality for m in result.members.values() for e in m})} pašvaldību sarakstiem.",
                                  "en": "Each unique municipal service once."},
                     unified_services=result.unified)


def _write(path: Path, text: str) -> Path:
    write_atomically(path, text)
    return path


def _csv(columns: tuple[str, ...], rows: list[list[Any]]) -> str:
    return csv_text(columns, rows)


def _xlsx(path: Path, data: dict[str, tuple[tuple[str, ...], list[list[Any]]]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (columns, rows) in data.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_cell_text(value) for value in row])
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # text that looks like a formula stays text
                    cell.data_type = "s"
    temporary = path.with_name(f".{path.name}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(temporary)
    temporary.replace(path)


def _cell_text(value: Any) -> Any:
    """A value a worksheet can hold: control characters (which XLSX cannot store) become U+FFFD."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def html_report(result: Result) -> str:
    """A page a reviewer reads in a browser, one self-contained file: a table of contents, a
    filter box, the groups with their members (file and row of each), confidences and why, the
    uncertain decisions, and what was left out and why; every table sorts by a click on its
    headings."""
    e = html.escape
    by_key = {m.entry.key: m for m in result.mappings}
    services = sorted(result.unified, key=lambda s: (-len(result.members[s.id]), s.id))
    parts = [f"<!doctype html><html lang=\"lv\"><head><meta charset=\"utf-8\"><title>Vienotais pakalpojumu saraksts</title>"
             f"<style>{_STYLE}</style></head><body>",
             "<h1>Vienotais pašvaldību pakalpojumu saraksts</h1>",
             f"<p class=\"summary\">{counted(len(result.unified), 'unified service')} from "
             f"{counted(len(result.mappings), 'entry', 'entries')}; left out as not services: "
             f"{counted(len(result.excluded), 'entry', 'entries')}; to review: {counted(len(result.review), 'decision')}.</p>",
             "<nav id=\"contents\"><h2>Contents</h2><ol>"
             f"<li><a href=\"#services\">Unified services</a> ({len(services):,})</li>"
             f"<li><a href=\"#review\">To review</a> ({len(result.review):,})</li>"
             f"<li><a href=\"#left-out\">Not services</a> ({len(result.excluded):,})</li></ol></nav>",
             "<p><label>Filter: <input id=\"filter\" type=\"search\" size=\"40\" "
             "placeholder=\"words of a name, a municipality, a file\"></label> "
             "<span id=\"shown\"></span></p>",
             "<section id=\"services\"><h2>Unified services</h2>"]
    for service in services:
        members = result.members[service.id]
        parts.append(f"<section class=\"cluster\" id=\"{e(service.id)}\"><h3>{e(service.name.get('lv'))} "
                     f"<code>{e(service.id)}</code> <span class=\"count\">{len(members)}</span></h3>"
                     + _head("municipality", "name", "file, row", "confidence", "why"))
        for entry in sorted(members, key=lambda x: x.municipality):
            mapping = by_key[entry.key]
            low = " class=\"low\"" if mapping.confidence < 0.6 else ""
            parts.append(f"<tr{low}><td>{e(entry.municipality)}</td><td>{e(entry.name)}</td>"
                         f"<td>{e(_where(entry))}</td><td>{mapping.confidence:.2f}</td><td>{e(mapping.explanation)}</td></tr>")
        parts.append("</tbody></table></section>")
    if not services:
        parts.append("<p class=\"empty\">No unified services: no entry was read as a service.</p>")
    parts.append("</section><section id=\"review\"><h2>To review</h2>")
    if result.review:
        parts.append(_head("decision", "similarity", "one side", "other side"))
        for item in result.review:
            first = "<br>".join(_described(by_key[k].entry) for k in item.first if k in by_key)
            second = "<br>".join(_described(by_key[k].entry) for k in item.second if k in by_key)
            kind = f"{item.kind}: {item.reason}" if item.reason else item.kind
            similarity = f"{item.similarity:.3f}" if item.second else ""
            parts.append(f"<tr><td>{e(kind)}</td><td>{similarity}</td><td>{first}</td><td>{second}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p class=\"empty\">Nothing to review.</p>")
    parts.append("</section><section id=\"left-out\"><h2>Not services</h2>")
    if result.excluded:
        parts.append(_head("municipality", "name", "file, row", "reason"))
        for mapping in result.excluded:
            parts.append(f"<tr><td>{e(mapping.entry.municipality)}</td><td>{e(mapping.entry.name)}</td>"
                         f"<td>{e(_where(mapping.entry))}</td><td>{e(mapping.excluded or '')}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p class=\"empty\">Nothing was left out.</p>")
    parts.append(f"</section><script>{_SCRIPT}</script></body></html>\n")
    return "\n".join(parts)


def _head(*columns: str) -> str:
    cells = "".join(f"<th title=\"sort\">{html.escape(c)}</th>" for c in columns)
    return f"<table class=\"sortable\"><thead><tr>{cells}</tr></thead><tbody>"


def _where(entry: Entry) -> str:
    return f"{entry.source}, row {entry.row}" if entry.source else ""


def _described(entry: Entry) -> str:
    """An entry in the review queue: its name, municipality, file and row."""
    where = ", ".join(x for x in (entry.municipality, _where(entry)) if x)
    return f"{html.escape(entry.name)} <small>({html.escape(where)})</small>"


_STYLE = ("body{font-family:sans-serif;margin:2em;max-width:75em}table{border-collapse:collapse;width:100%;margin:.5em 0}"
          "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}tr.low td{background:#fff3cd}"
          "th{cursor:pointer;background:#f4f4f4;user-select:none}th[aria-sort=ascending]::after{content:' ▲'}"
          "th[aria-sort=descending]::after{content:' ▼'}.empty{color:#555;font-style:italic}small{color:#666}"
          ".count{background:#eee;border-radius:1em;padding:0 .6em;font-size:80%}code{color:#555;font-size:80%}")

# Filtering hides rows (and groups left empty) whose text lacks every word typed, diacritics
# and case aside; a click on a heading sorts its table by that column, numbers as numbers.
_SCRIPT = """
(function () {
  function plain(text) {
    return text.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase();
  }
  var box = document.getElementById('filter'), shown = document.getElementById('shown');
  function filter() {
    var words = plain(box.value).split(/\\s+/).filter(Boolean), visible = 0, total = 0;
    document.querySelectorAll('tbody tr').forEach(function (row) {
      var text = plain(row.textContent + ' ' + (row.closest('section').querySelector('h3') || {}).textContent);
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !hit; total += 1; visible += hit ? 1 : 0;
    });
    document.querySelectorAll('section.cluster').forEach(function (group) {
      group.hidden = !group.querySelector('tbody tr:not([hidden])');
    });
    shown.textContent = words.length ? visible + ' of ' + total + ' rows' : '';
  }
  box.addEventListener('input', filter);
  document.querySelectorAll('table.sortable th').forEach(function (head) {
    head.addEventListener('click', function () {
      var table = head.closest('table'), body = table.tBodies[0], column = head.cellIndex;
      var down = head.getAttribute('aria-sort') === 'ascending';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      head.setAttribute('aria-sort', down ? 'descending' : 'ascending');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
        var number = /^-?[0-9]+(\\.[0-9]+)?$/;
        var order = number.test(x) && number.test(y) ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, 'lv');
        return down ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
"""
