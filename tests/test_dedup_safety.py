"""pps dedup on bad input and under failure: clear errors instead of tracebacks, and an output
folder that is either complete or as it was."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from typer.testing import CliRunner

from pps_sdk.cli import app
from pps_sdk.dedup import outputs
from pps_sdk.dedup.entries import DedupInputError, Entry, read_entries
from pps_sdk.dedup.evaluate import read_labels, read_prediction
from pps_sdk.dedup.outputs import DedupOutputError, write_outputs
from pps_sdk.dedup.pipeline import Decisions, Previous, deduplicate


def entry(key: str, name: str, municipality: str, description: str = "") -> Entry:
    return Entry(key=key, name=name, municipality=municipality, record_id=key, description=description)


def workbook(change=lambda name, content: content) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "municipality"])
    book.active.append(["Būvatļauja", "Tukuma novads"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = change(name, source.read(name))
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


# -- inputs --------------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "message"), [
    (workbook()[:600], "not an XLSX"),
    (workbook(lambda name, content: None if "worksheets/" in name else content), "no sheet"),
    (workbook(lambda name, content: b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + content if name.endswith("sheet1.xml")
              else content), "document type"),
])
def test_broken_or_dangerous_workbooks_are_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "list.xlsx"
    path.write_bytes(content)
    with pytest.raises(DedupInputError, match=message):
        read_entries([path])


def test_an_unclosed_quote_that_would_swallow_the_rows_after_it_is_reported(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text('name,municipality\n"Būvatļauja,Tukuma novads\nAdopcija,Talsu novads\nAprūpe,Ogres novads\n',
                    encoding="utf-8")
    with pytest.raises(DedupInputError, match="line 2: a quote opened there is never closed"):
        read_entries([path])


@pytest.mark.parametrize(("loader", "content", "message"), [
    (Previous.load, [1, 2], "not a unified.json"),
    (Previous.load, {"unified": [{"id": "a"}]}, "not a unified.json"),
    (Previous.load, {"unified": [{"id": "a", "service": {"id": 5}, "members": []}]}, "not valid"),
    (Decisions.load, [1], "a JSON object"),
    (Decisions.load, {"accept": "a"}, "accept is a list of pairs"),
    (Decisions.load, {"reject": [["a"]]}, "reject is a list of pairs"),
    (Decisions.load, {"rename": ["x"]}, "rename maps"),
    (Decisions.load, {"not_service": [1]}, "not_service is a list"),
])
def test_previous_lists_and_decisions_of_the_wrong_shape_say_what_is_wrong(tmp_path, loader, content, message):
    path = tmp_path / "file.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(DedupInputError, match=message):
        loader(path)


@pytest.mark.parametrize(("content", "message"), [
    ("record_id,unified_id,is_public_service\nA,x\n", "line 2: the row has fewer cells"),
    ("record_id,unified_id,is_public_service\nA," + "x" * 200_000 + ",1\n", "not a readable CSV row"),
    ("record_id,unified_id,excluded,confidence\nA,x,,1\n", "looks like a mapping.csv"),
])
def test_dedup_eval_labels_that_cannot_be_read_say_why(tmp_path, content, message):
    path = tmp_path / "labels.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_labels(path)


def test_dedup_eval_with_its_files_swapped_says_which_is_the_labelled_one(tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("record_id,unified_id,is_public_service\nA,x,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="labels.csv looks like the hand-labelled file"):
        read_prediction(labels)
    result = CliRunner().invoke(app, ["dedup-eval", str(labels), str(labels)])
    assert result.exit_code == 2 and "looks like the hand-labelled file" in result.output


def test_the_threshold_is_between_0_and_1(tmp_path):
    (tmp_path / "list.csv").write_text("name,municipality\nAdopcija,Talsu novads\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["dedup", str(tmp_path / "list.csv"), "--threshold", "1.5",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--threshold" in result.output and not (tmp_path / "out").exists()


# -- the output folder ----------------------------------------------------------------------

def test_control_characters_in_names_and_descriptions_do_not_stop_the_writing(tmp_path):
    result = deduplicate([entry("a", "Būvatļauja\x07 izsniegšana\x1b", "Tukuma novads", "apraksts\x00"),
                          entry("b", "Būvatļaujas saņemšana", "Talsu novads")])
    written = write_outputs(result, tmp_path / "out")
    assert len(written) == 10 and all(path.exists() for path in written)


def previous_run(folder) -> dict[str, bytes]:
    write_outputs(deduplicate([entry("a", "Adopcija", "Talsu novads")]), folder)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    return {path.name: path.read_bytes() for path in folder.iterdir()}


@pytest.mark.parametrize("failure", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_a_run_that_fails_while_writing_leaves_the_earlier_results_whole(tmp_path, monkeypatch, failure):
    folder = tmp_path / "out"
    before = previous_run(folder)

    def fail(result):
        raise failure

    monkeypatch.setattr(outputs, "html_report", fail)  # after the tables, before the catalogue files
    with pytest.raises(type(failure)):
        write_outputs(deduplicate([entry("b", "Aprūpe mājās", "Ogres novads")]), folder)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # nothing half-written left beside it


def test_a_new_run_replaces_the_results_and_keeps_what_else_is_in_the_folder(tmp_path):
    folder = tmp_path / "out"
    previous_run(folder)
    write_outputs(deduplicate([entry("b", "Aprūpe mājās", "Ogres novads")]), folder)
    assert "Aprūpe mājās" in (folder / "mapping.csv").read_text(encoding="utf-8")
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_out_that_is_a_file_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "results"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(DedupOutputError, match="is a file"):
        write_outputs(deduplicate([entry("a", "Adopcija", "Talsu novads")]), target)
    assert target.read_text(encoding="utf-8") == "keep me"
    (tmp_path / "list.csv").write_text("name,municipality\nAdopcija,Talsu novads\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["dedup", str(tmp_path / "list.csv"), "--out", str(target)])
    assert result.exit_code == 2 and "is a file" in result.output


def test_odd_names_never_crash_a_run_or_its_files(tmp_path):
    odd = ["\x00\x01", "...", "😀", "a" * 5000, "2019", "<script>alert(1)</script>", "\u202e", "Kā", "half \ud800 pair"]
    entries = [entry(f"k{i}", name, municipality, description)
               for i, (name, municipality, description) in enumerate(
                   (name, municipality, description) for name in odd for municipality in ("Talsu novads", "\udc00")
                   for description in ("", "\x00", "\udfff"))]
    for language in ("lv", "de", "en"):
        result = deduplicate(entries, language=language)
        assert len(write_outputs(result, tmp_path / language)) == 10
        assert "<script>alert" not in (tmp_path / language / "report.html").read_text(encoding="utf-8")
