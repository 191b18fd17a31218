"""`pps indicators report`: the folder (HTML, charts, tables, Data Cube), the page in a real
browser (alarms first, every chart loaded), and the Data Cube's integrity constraints."""

from __future__ import annotations

import csv
import shutil

import pytest
from openpyxl import Workbook, load_workbook
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from typer.testing import CliRunner

from pps_sdk import load
from pps_sdk.cli import app
from pps_sdk.indicators import evaluate, read_measurements
from pps_sdk.indicators.cube import integrity_problems, write_cube
from pps_sdk.vocab import NAMESPACES, PPS_VOCABULARY
from browser_support import seen_in_browser
from conftest import ROOT

PERMIT = str(ROOT / "src" / "pps_sdk" / "examples" / "building-permit.json")
QB = NAMESPACES["qb"]
runner = CliRunner()


def tables(tmp_path):
    """A CSV of the third quarter (a critical duration) and an XLSX of values per one-stop centre."""
    q3 = tmp_path / "q3.csv"
    q3.write_text("indicator;period;value\nind-buvatlauja-lietas;2026-Q3;60\nind-buvatlauja-e-lietas;2026-Q3;50\n"
                  "ind-buvatlauja-ilgums;2026-Q3;31\n", encoding="utf-8")
    book = Workbook()
    book.active.append(["indicator", "period", "value", "centre"])
    for month in range(1, 13):
        book.active.append(["ind-buvatlauja-lietas", f"2027-{month:02d}", 5, "Jelgavas VPVKAC"])
        book.active.append(["ind-buvatlauja-lietas", f"2027-{month:02d}", 3, "Ozolnieku VPVKAC"])
    book.save(tmp_path / "centres.xlsx")
    return [str(q3), str(tmp_path / "centres.xlsx")]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("report")
    folder = tmp_path / "out"
    (tmp_path / "out").mkdir()
    (folder / ".pps-output").write_text("", encoding="utf-8")  # a folder written by pps before
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["indicators", "report", *tables(tmp_path), "--catalogue", PERMIT, "--out", str(folder)])
    assert result.exit_code == 0, result.output
    return folder, result.output


def test_the_folder_has_the_page_the_charts_the_tables_and_the_cube(report):
    folder, output = report
    assert "4 charts" in output and "Data Cube: well formed" in output
    assert sorted(p.name for p in folder.iterdir()) == [".pps-output", "charts", "evaluated.csv", "evaluated.xlsx", "indicator-values.ttl",
                                                        "notes.txt", "report.html"]
    assert all(p.stat().st_size > 1000 and p.read_bytes()[:4] == b"\x89PNG" for p in (folder / "charts").iterdir())
    rows = list(csv.DictReader((folder / "evaluated.csv").open(encoding="utf-8")))
    assert (rows[0]["indicator"], rows[0]["period"], rows[0]["status"]) == ("ind-buvatlauja-ilgums", "2026-Q3", "critical")
    sheet = load_workbook(folder / "evaluated.xlsx", read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == len(rows) + 1
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page.index("id='alarms'") < page.index("id='centres'") < page.index("class='service'")
    assert "Ja vidējais laiks pārsniedz 30 dienas" in page and "http" not in page.replace("https://w3id", "")
    # the network's yearly figures: each centre's twelve months, and both centres together
    assert "<td>Jelgavas VPVKAC</td><td>2027</td><td class='no_target'>60" in page
    assert "<td>the whole network</td><td>2027</td><td>96 <small>(the plan is per centre)" in page


# Run when the page has loaded: the first section's id, the alarms listed, and each image's size.
DRIVER = """<script>
window.addEventListener('load', function () {
  var seen = {first: document.querySelector('section').id,
              alarms: Array.prototype.map.call(document.querySelectorAll('#alarms li'), function (li) { return li.textContent; }),
              images: Array.prototype.map.call(document.images, function (img) { return [img.getAttribute('src'), img.naturalWidth]; })};
  document.body.setAttribute('data-seen', JSON.stringify(seen));
});
</script>"""


def test_in_a_browser_the_alarms_come_first_and_every_chart_loads(report, tmp_path):
    folder, _ = report
    copy = tmp_path / "copy"  # the report is shared by the other tests: the page with the driver is a copy
    shutil.copytree(folder, copy)
    page = copy / "report.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", DRIVER + "</body>"), encoding="utf-8")
    seen = seen_in_browser(page, tmp_path / "profile")
    assert seen["first"] == "alarms"
    assert len(seen["alarms"]) == 1 and seen["alarms"][0].startswith("ind-buvatlauja-ilgums 2026-Q3 (all): 31")
    assert len(seen["images"]) == 4
    assert [src for src, width in seen["images"] if width == 0] == []
    assert all(src.startswith("charts/") for src, _ in seen["images"])


def test_svg_charts_and_bad_input_in_one_line(tmp_path):
    result = runner.invoke(app, ["indicators", "report", "--catalogue", PERMIT, "--charts", "svg", "--out", str(tmp_path / "svg")])
    assert result.exit_code == 0, result.output
    assert {p.suffix for p in (tmp_path / "svg" / "charts").iterdir()} == {".svg"}
    for arguments, message in ((["--charts", "gif"], "--charts is png or svg"), (["--across", "city"], "--across is one of"),
                               (["--per", "weekly"], "--per is one of"), (["--out", PERMIT], "is a file")):
        result = runner.invoke(app, ["indicators", "report", "--catalogue", PERMIT, "--out", str(tmp_path / "x"), *arguments])
        assert isinstance(result.exception, SystemExit) and result.exception.code == 2 and message in result.output
    assert not (tmp_path / "x").exists()


# -- the Data Cube ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cube(tmp_path_factory):
    catalogue = load(PERMIT)
    path = tmp_path_factory.mktemp("cube") / "values.ttl"
    write_cube(catalogue, evaluate(catalogue, read_measurements([], catalogue)).values, path)
    return Graph().parse(path, format="turtle")


def broken(graph, change):
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    change(copy)
    return copy


def first_observation(graph):
    return sorted(graph.subjects(RDF.type, URIRef(QB + "Observation")))[0]


def drop(predicate):
    return lambda g: g.remove((first_observation(g), URIRef(predicate), None))


PPS = PPS_VOCABULARY
BREAKS = {
    "IC-1": drop(QB + "dataSet"),
    "IC-2": lambda g: g.remove((None, URIRef(QB + "structure"), None)),
    "IC-3": lambda g: g.remove((URIRef(PPS + "value"), RDF.type, URIRef(QB + "MeasureProperty"))),
    "IC-4": lambda g: g.remove((URIRef(PPS + "channel"), RDFS.range, None)),
    "IC-5": lambda g: g.set((URIRef(PPS + "segment"), RDFS.range, URIRef(NAMESPACES["skos"] + "Concept"))),
    "IC-6": lambda g: g.add((URIRef(PPS + "IndicatorValueStructure-channel"), URIRef(QB + "componentRequired"), Literal(False))),
    "IC-11": drop(PPS + "periodEnd"),
    "IC-12": lambda g: [g.add((URIRef(str(s) + "-copy"), p, o)) for s, p, o in list(g.triples((first_observation(g), None, None)))],
    "IC-13": drop(PPS + "unit"),
    "IC-14": drop(PPS + "value"),
}


def test_the_cube_is_well_formed_and_each_constraint_finds_its_break(cube, tmp_path):
    """Each break is checked in Oxigraph (fast); rdflib, the engine without it, gives the same
    verdicts on the whole cube and on the duplicate."""
    pytest.importorskip("pyoxigraph")
    assert integrity_problems(cube, "rdflib") == []
    for constraint, change in BREAKS.items():
        graph = broken(cube, change)
        path = tmp_path / f"{constraint}.nt"  # N-Triples is Turtle too
        graph.serialize(path, format="nt", encoding="utf-8")
        found = integrity_problems(path, "oxigraph")
        assert constraint in {p.split(" ", 1)[0] for p in found}, (constraint, found)
        if constraint == "IC-12":
            assert sorted(integrity_problems(graph, "rdflib")) == sorted(found)


def test_yearly_values_of_the_centres_and_the_whole_are_kept_when_rolled_up_across_centres(tmp_path):
    table = tmp_path / "months.csv"
    table.write_text("indicator,period,value,centre\n" + "".join(
        f"ind-buvatlauja-lietas,2027-{m:02d},{value},{centre}\n" for m in range(1, 13)
        for value, centre in ((8, ""), (5, "Jelgava"), (3, "Ozolnieki"))), encoding="utf-8")
    result = runner.invoke(app, ["indicators", "report", str(table), "--catalogue", PERMIT, "--out", str(tmp_path / "out"),
                                 "--per", "yearly", "--across", "centre"])
    assert result.exit_code == 0, result.output
    rows = csv.DictReader((tmp_path / "out" / "evaluated.csv").open(encoding="utf-8"))
    yearly = {(r["centre"], r["value"]) for r in rows if r["indicator"] == "ind-buvatlauja-lietas" and r["period"] == "2027"}
    assert yearly == {("", "96.0"), ("Jelgava", "60.0"), ("Ozolnieki", "36.0")}
    assert "measured" not in result.output


def test_a_data_cube_that_breaks_a_constraint_exits_1(tmp_path, monkeypatch):
    import pps_sdk.cli.indicators as commands

    monkeypatch.setattr(commands, "integrity_problems", lambda path: ["IC-1 Unique DataSet: an observation in two data sets"])
    result = runner.invoke(app, ["indicators", "report", *tables(tmp_path), "--catalogue", PERMIT, "--out", str(tmp_path / "out")])
    assert isinstance(result.exception, SystemExit) and result.exception.code == 1, result.output
    assert "Data Cube: 1 problem" in result.output and (tmp_path / "out" / "report.html").is_file()


def test_a_folder_of_other_files_and_the_current_folder_are_refused_and_left_alone(tmp_path, monkeypatch):
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("mine", encoding="utf-8")
    values = tables(tmp_path)
    result = runner.invoke(app, ["indicators", "report", *values, "--catalogue", PERMIT, "--out", str(documents)])
    assert isinstance(result.exception, SystemExit) and result.exception.code == 2, result.output
    assert f"{documents} is a folder of other files" in result.output
    assert [p.name for p in documents.iterdir()] == ["letter.txt"] and sorted(p.name for p in tmp_path.iterdir()) == [
        "Documents", "centres.xlsx", "q3.csv"]
    monkeypatch.chdir(documents)
    result = runner.invoke(app, ["indicators", "report", *values, "--catalogue", PERMIT, "--out", "."])
    assert isinstance(result.exception, SystemExit) and result.exception.code == 2, result.output
    assert result.output.startswith(". is the current folder")
    older = tmp_path / "older"  # results written before the marker: known by their names
    older.mkdir()
    (older / "report.html").write_text("old", encoding="utf-8")
    result = runner.invoke(app, ["indicators", "report", *values, "--catalogue", PERMIT, "--out", str(older)])
    assert result.exit_code == 0, result.output
    assert (older / ".pps-output").is_file() and "old" != (older / "report.html").read_text(encoding="utf-8")


def test_numbers_are_written_alike_in_the_terminal_and_the_page_without_exponents(tmp_path):
    from pps_sdk.indicators.numbers import shown

    assert [shown(x) for x in (12345, 1234567, 12.5, 66.6667, 0.00125, -0.0)] == ["12345", "1234567", "12.5", "66.67", "0.00125", "0"]
    big = tmp_path / "big.csv"
    big.write_text("indicator,period,value\nind-buvatlauja-lietas,2026-Q3,12345\nind-buvatlauja-e-lietas,2026-Q3,1234567\n"
                   "ind-buvatlauja-ilgums,2026-Q3,1234567\n", encoding="utf-8")
    result = runner.invoke(app, ["indicators", "report", str(big), "--catalogue", PERMIT, "--out", str(tmp_path / "out")])
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "e+0" not in page and "12345 gadījumi" in page and "<b>1234567</b>" in page
    check = runner.invoke(app, ["indicators", "check", str(big), "--catalogue", PERMIT])
    assert "1234567" in check.output and "e+0" not in check.output
    assert result.exit_code == 0, result.output
