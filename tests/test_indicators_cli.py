"""`pps indicators check` and `pps indicators evaluate`, and the evaluated table they write."""

from __future__ import annotations

import csv

from openpyxl import load_workbook
from typer.testing import CliRunner

from pps_sdk.cli import app
from pps_sdk.indicators import evaluate, read_measurements
from pps_sdk.indicators.tables import EVALUATED_COLUMNS, write_evaluated
from pps_sdk import load
from conftest import ROOT

PERMIT = str(ROOT / "examples" / "building-permit.json")
runner = CliRunner()


def q3(tmp_path, duration="31"):
    path = tmp_path / "q3.csv"
    path.write_text(f"indicator;period;value\nind-buvatlauja-ilgums;2026-Q3;{duration}\n"
                    "ind-buvatlauja-lietas;2026-Q3;60\nind-buvatlauja-e-lietas;2026-Q3;50\n", encoding="utf-8")
    return path


def test_check_prints_the_alarm_first_and_exits_1_when_critical(tmp_path):
    result = runner.invoke(app, ["indicators", "check", str(q3(tmp_path)), "--catalogue", PERMIT])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("critical  ind-buvatlauja-ilgums") and "2026-Q3" in lines[0]
    assert "is above the critical corridor's upper bound 30" in lines[0] and "previous +12" in lines[0]
    alarm = next(line for line in lines if line.startswith("ALARM"))
    assert "Alarm procedure: Ja vidējais laiks pārsniedz 30 dienas" in alarm and "Analysed by: Būvvaldes vadītājs" in alarm
    assert lines[-1] == "13 values: 1 critical, 1 warning, 4 good, 7 without a target."


def test_check_exits_0_when_nothing_is_critical(tmp_path):
    result = runner.invoke(app, ["indicators", "check", str(q3(tmp_path, "20")), "--catalogue", PERMIT])
    assert result.exit_code == 0, result.output
    assert "ALARM" not in result.output and "0 critical" in result.output


def test_check_exits_2_listing_every_wrong_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,period,value\nind-nope,2026-Q3,1\nind-buvatlauja-lietas,2026-Q3,x\n", encoding="utf-8")
    result = runner.invoke(app, ["indicators", "check", str(bad), "--catalogue", PERMIT])
    assert result.exit_code == 2
    assert "measurements not read: 2 problems" in result.output
    assert f"{bad}, row 2, column 'indicator'" in result.output and f"{bad}, row 3, column 'value'" in result.output


def test_an_unreadable_catalogue_or_table_exits_2(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert runner.invoke(app, ["indicators", "check", "--catalogue", str(broken)]).exit_code == 2
    assert runner.invoke(app, ["indicators", "check", str(tmp_path / "none.csv"), "--catalogue", PERMIT]).exit_code == 2


def test_evaluate_writes_csv_and_xlsx_alarms_first(tmp_path):
    for name in ("evaluated.csv", "evaluated.xlsx"):
        target = tmp_path / name
        result = runner.invoke(app, ["indicators", "evaluate", str(q3(tmp_path)), "--catalogue", PERMIT, "--out", str(target)])
        assert result.exit_code == 0, result.output
        assert f"Wrote 13 values to {target}." in result.output
        if name.endswith(".csv"):
            rows = list(csv.reader(target.open(encoding="utf-8")))
        else:
            rows = [list(row) for row in load_workbook(target, read_only=True).active.iter_rows(values_only=True)]
        assert tuple(rows[0]) == EVALUATED_COLUMNS
        first = dict(zip(rows[0], rows[1]))
        assert (first["indicator"], first["period"], first["status"]) == ("ind-buvatlauja-ilgums", "2026-Q3", "critical")
        assert first["analysed_by"] == "Būvvaldes vadītājs (org-jelgava-buvvalde)"
        assert len(rows) == 14


def test_evaluate_refuses_another_suffix(tmp_path):
    result = runner.invoke(app, ["indicators", "evaluate", "--catalogue", PERMIT, "--out", str(tmp_path / "x.ods")])
    assert result.exit_code == 2 and "written as .csv or .xlsx" in result.output


def test_no_written_cell_is_a_live_formula(tmp_path):
    catalogue = load(PERMIT)
    data = catalogue.model_dump(mode="json", exclude_none=True)
    data["services"][0]["indicators"][3]["alarm_procedure"] = {"lv": "=HYPERLINK(\"http://example.com\")"}
    catalogue = type(catalogue).model_validate(data)
    table = tmp_path / "v.csv"
    table.write_text("indicator,period,value,provider\nind-buvatlauja-ilgums,2026-Q3,40,@SUM(A1)\n", encoding="utf-8")
    result = evaluate(catalogue, read_measurements([table], catalogue))
    write_evaluated(result, tmp_path / "out.xlsx")
    write_evaluated(result, tmp_path / "out.csv")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'=HYPERLINK" in {str(c.value)[:11] for c in cells} and "'@SUM(A1)" in {c.value for c in cells}
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ",'@SUM(A1)," in text


def test_a_period_beyond_the_calendar_is_refused_with_its_row_and_exit_2(tmp_path):
    table = tmp_path / "far.csv"
    table.write_text("indicator,period,start,end,value\n" + "".join(
        f"ind-buvatlauja-lietas,{period},{start},{end},5\n" for period, start, end in (
            ("9999-12", "", ""), ("0001-01", "", ""), ("", "9999-12-31", "9999-12-31"), ("", "0001-01-01", "0001-01-01"))),
        encoding="utf-8")
    result = runner.invoke(app, ["indicators", "check", str(table), "--catalogue", PERMIT])
    assert isinstance(result.exception, SystemExit) and result.exception.code == 2, result.output
    assert "row 2, column 'period': '9999-12' is not a period of the years 1900 to 9998" in result.output
    assert all(f"row {row}" in result.output for row in (3, 4, 5))


def test_an_unexpected_error_is_one_line_and_exit_2_not_1(tmp_path, monkeypatch):
    import pps_sdk.cli.indicators as commands

    def broken(*args, **kwargs):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(commands, "evaluate", broken)
    result = runner.invoke(app, ["indicators", "check", str(q3(tmp_path)), "--catalogue", PERMIT])
    assert isinstance(result.exception, SystemExit) and result.exception.code == 2
    assert result.output.strip() == "error: RuntimeError: something unexpected"


def test_characters_xml_cannot_hold_are_replaced_and_an_interrupt_leaves_no_temporary_file(tmp_path, monkeypatch):
    import zipfile
    from xml.etree import ElementTree

    import pytest

    from pps_sdk.indicators import tables
    from pps_sdk.indicators.evaluation import EvaluatedValue, Evaluation, Status
    from pps_sdk.indicators.periods import parse_period
    from pps_sdk.indicators.readings import Breakdown

    odd = EvaluatedValue("ind-x", "a\ufffeb\uffffc\ud800d\x01e", parse_period("2026-07"), Breakdown(), 5.0, False,
                         Status.NO_TARGET, "no target", "none")
    write_evaluated(Evaluation([odd]), tmp_path / "odd.xlsx")
    with zipfile.ZipFile(tmp_path / "odd.xlsx") as book:
        ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))  # well-formed XML
    assert load_workbook(tmp_path / "odd.xlsx").active["J2"].value == "a\ufffdb\ufffdc\ufffdd\ufffde"

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(tables, "_xlsx_row", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_evaluated(Evaluation([odd]), tmp_path / "stopped.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["odd.xlsx"]
