"""Tables written for people: text that looks like a formula is never a live formula."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from pps_sdk.dedup.outputs import _xlsx
from pps_sdk.formats.tables import csv_text, inert


def test_formula_like_text_is_written_as_text(tmp_path):
    hostile = ["=HYPERLINK(\"http://example.com\")", "+1+1", "-2", "@SUM(A1)", "plain", 3]
    assert [inert(v) for v in hostile] == ["'=HYPERLINK(\"http://example.com\")", "'+1+1", "'-2", "'@SUM(A1)", "plain", 3]
    rows = list(csv.reader(io.StringIO(csv_text(["value"], [[v] for v in hostile]))))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://example.com\")", "'+1+1", "'-2", "'@SUM(A1)", "plain", "3"]
    path = tmp_path / "t.xlsx"
    _xlsx(path, {"sheet": (("value",), [[v] for v in hostile])})
    cells = [row[0] for row in load_workbook(path)["sheet"].iter_rows(min_row=2)]
    assert [c.data_type for c in cells[:4]] == ["s"] * 4
    assert [c.value for c in cells] == hostile
