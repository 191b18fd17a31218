from __future__ import annotations

import json

import pytest

from pps_sdk import Catalogue, FormatError, ModelError, PublicService, UnreadableError, dump, load, loads
from pps_sdk.examples import example
from pps_sdk.formats.json_format import value_lines


def test_examples_round_trip_through_files(tmp_path, example_name):
    catalogue = example(example_name)
    path = tmp_path / "out.json"
    text = dump(catalogue, path)
    assert path.read_text(encoding="utf-8") == text
    assert load(path) == catalogue


def test_output_is_utf8_and_keeps_latvian_letters(tmp_path):
    text = dump(example("building-permit"), "json")
    assert "Būvatļaujas izsniegšana" in text  # not \u escapes
    assert text.endswith("\n")


def test_a_single_service_can_be_loaded(tmp_path):
    service = example("funeral-allowance").services[0]
    path = tmp_path / "service.json"
    dump(service, path)
    assert load(path, model=PublicService) == service


def test_model_problems_carry_line_numbers(tmp_path, building):
    building["services"][0]["importance"] = 7
    del building["services"][0]["indicators"][1]["goal"]
    text = json.dumps(building, indent=2, ensure_ascii=False)
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load(path)
    lines = text.splitlines()
    by_path = {p.path: p.line for p in caught.value.problems}
    assert '"importance": 7' in lines[by_path["services[0].importance"] - 1]
    # a missing field points at the object that lacks it
    assert lines[by_path["services[0].indicators[1].goal"] - 1].strip() == "{"
    assert "line " in str(caught.value)


def test_value_lines_maps_every_value():
    text = '{\n "a": [1,\n  {"b": "x\\"y"}, []],\n "c": {}\n}'
    assert value_lines(text) == {"": 1, "a": 2, "a[0]": 2, "a[1]": 3, "a[1].b": 3, "a[2]": 3, "c": 4}


def test_syntax_errors_name_line_and_column():
    with pytest.raises(FormatError, match=r"line 3, column 1: invalid JSON"):
        loads('{\n  "id": "x",\n}', "json")


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe{}", "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
def test_hostile_or_broken_bytes_are_refused_cleanly(data, message):
    with pytest.raises(FormatError, match=message):
        loads(data, "json")


def test_size_limit_is_enforced_before_reading(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2000 + b"{}")
    with pytest.raises(UnreadableError, match="more than the limit of 1,000"):
        load(path, max_bytes=1000)
    with pytest.raises(FormatError, match="more than the limit"):
        loads(b" " * 2000, "json", max_bytes=1000)


def test_missing_file_and_unknown_format(tmp_path):
    with pytest.raises(UnreadableError, match="cannot read"):
        load(tmp_path / "nope.json")
    with pytest.raises(FormatError, match="cannot tell the format"):
        load(tmp_path / "catalogue.docx")
    with pytest.raises(FormatError, match="unknown format 'yaml'"):
        loads("{}", "yaml")


def test_a_failed_write_leaves_what_was_there(tmp_path):
    target = tmp_path / "catalogue.json"
    target.mkdir()  # a folder where the file should go: the final rename fails
    (target / "keep.txt").write_text("old")
    with pytest.raises(FormatError, match="cannot write"):
        dump(example("building-permit"), target, format="json")
    assert (target / "keep.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["catalogue.json"]  # no temporary file left behind


def test_defaults_are_left_out_but_restored(building):
    catalogue = Catalogue.model_validate(building)
    text = dump(catalogue, "json")
    assert '"currency"' not in text  # EUR is the default
    assert loads(text, "json").services[0].costs[0].currency == "EUR"


def test_dump_creates_missing_folders(tmp_path):
    target = tmp_path / "new" / "deeper" / "catalogue.json"
    text = dump(example("funeral-allowance"), target)
    assert target.read_text(encoding="utf-8") == text
    assert load(target) == example("funeral-allowance")
