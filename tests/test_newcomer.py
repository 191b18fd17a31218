"""What someone new to the SDK meets first: clear help, counted messages, strict input."""

from __future__ import annotations

import json
import re
import warnings

import pytest
from typer.testing import CliRunner

from pps_sdk import (Catalogue, Cost, Importance, Maturity, ModelError, Organisation, PublicService, dump, load,
                     loads)
from pps_sdk.cli import app
from pps_sdk.errors import Problem
from pps_sdk.examples import example, example_text
from pps_sdk.validation import Finding, Report, Severity, validate_file
from pps_sdk.wording import counted

SERVICE = {"id": "ps-x", "name": "Pakalpojums", "description": "Apraksts", "kind": "administrative", "holders": ["org-x"]}


def problems_of(caught: pytest.ExceptionInfo[ModelError]) -> dict[str, str]:
    return {p.path: p.message for p in caught.value.problems}


# -- counting in messages ---------------------------------------------------------------

@pytest.mark.parametrize("number, words, expected", [
    (0, ("service",), "0 services"),
    (1, ("service",), "1 service"),
    (2, ("service",), "2 services"),
    (1, ("entry", "entries"), "1 entry"),
    (3, ("entry", "entries"), "3 entries"),
    (20000, ("service",), "20,000 services"),
])
def test_counted_words_numbers_in_the_right_form(number, words, expected):
    assert counted(number, *words) == expected


def test_report_and_error_summaries_count_in_the_singular():
    report = Report("x.json", [Finding(Severity.ERROR, "id", "bad", "model"), Finding(Severity.WARNING, "", "hm", "rules")])
    assert report.summary() == "x.json: INVALID (1 error, 1 warning)"
    assert str(ModelError([Problem("id", "bad")], "invalid Catalogue")).startswith("invalid Catalogue: 1 problem\n")


# -- help -------------------------------------------------------------------------------

COMMANDS = [[], ["demo"], ["validate"], ["convert"], ["dedup"], ["dedup-eval"], ["schema"], ["schema", "xsd"],
            ["schema", "shacl"], ["schema", "vocabulary"], ["schema", "context"]]


def help_of(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], prog_name="pps", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "pps")
def test_help_names_what_to_type_and_gives_an_example(command):
    text = help_of(*command)
    # No Python types or typer's placeholders: <bool>, <list[Path]>, <path>, {files}
    assert not re.search(r"<\w+(\[\w+\])?>|\{\w+\}", text), text
    example_lines = text.split("Example")[1].splitlines()[1:]
    assert example_lines and example_lines[0].strip().startswith(" ".join(["pps", *command]))


@pytest.mark.parametrize("command, usage, names", [
    (["validate"], "pps validate [OPTIONS] FILE...", ["FILE...", "-f, --format NAME"]),
    (["convert"], "pps convert [OPTIONS] SOURCE TARGET", ["SOURCE", "TARGET", "--from NAME", "--to NAME"]),
    (["dedup"], "pps dedup [OPTIONS] LIST...", ["-o, --out DIR", "--previous FILE", "--threshold NUMBER"]),
    (["dedup-eval"], "pps dedup-eval [OPTIONS] MAPPING LABELS", ["MAPPING", "LABELS"]),
    (["demo"], "pps demo [OPTIONS]", ["-o, --out DIR"]),
    ([], "pps [OPTIONS] COMMAND [ARGS]...", ["--version  Print the version"]),
])
def test_help_shows_usage_with_argument_names(command, usage, names):
    text = help_of(*command)
    assert f"Usage: {usage}\n" in text
    for name in names:
        assert name in text


def test_command_list_gives_whole_summaries():
    text = help_of()
    commands = text.split("Commands:")[1].split("Example")[0]
    assert "..." not in commands and "validate    Check catalogue files" in commands


def test_a_missing_argument_is_named_as_in_the_help():
    result = CliRunner().invoke(app, ["convert", "only-one.json"])
    assert result.exit_code == 2
    assert "Missing argument 'TARGET'" in result.output


# -- numbers are numbers ----------------------------------------------------------------

@pytest.mark.parametrize("value", [True, "2", 2.0])
def test_importance_must_be_a_whole_number(value):
    with pytest.raises(ModelError) as caught:
        PublicService(**SERVICE, importance=value)
    assert list(problems_of(caught)) == ["importance"]
    assert "whole number" in problems_of(caught)["importance"]


def test_importance_as_number_or_member_is_accepted():
    assert PublicService(**SERVICE, importance=2).importance is Importance.IMPORTANT
    assert PublicService(**SERVICE, importance=Importance.MINOR).importance is Importance.MINOR


@pytest.mark.parametrize("value", [True, "12.50"])
def test_amounts_must_be_numbers(value):
    with pytest.raises(ModelError) as caught:
        Cost(id="fee", value=value)
    assert "Input should be a number" in problems_of(caught)["value"]
    assert Cost(id="fee", value=12).value == 12.0


@pytest.mark.parametrize("field, value, shown", [
    ("importance", True, "(got true)"),
    ("importance", "2", "(got '2')"),
    ("maturity", False, "(got false)"),
])
def test_json_with_text_or_booleans_for_numbers_is_refused_with_path_and_line(tmp_path, building, field, value, shown):
    building["services"][0][field] = value
    text = json.dumps(building, indent=2, ensure_ascii=False)
    with pytest.raises(ModelError) as caught:
        loads(text, "json")
    [problem] = caught.value.problems
    assert problem.path == f"services[0].{field}" and shown in problem.message
    assert f'"{field}": {json.dumps(value)}' in text.splitlines()[problem.line - 1]


def test_json_amount_as_text_is_refused(building):
    building["services"][0]["costs"][0]["value"] = "12"
    with pytest.raises(ModelError) as caught:
        loads(json.dumps(building), "json")
    assert list(problems_of(caught)) == ["services[0].costs[0].value"]


def test_json_key_given_twice_is_refused_with_path_and_both_lines():
    text = example_text("building-permit").replace('"kind": "administrative",',
                                                   '"kind": "administrative",\n      "kind": "physical",', 1)
    with pytest.raises(ModelError) as caught:
        loads(text, "json")
    [problem] = caught.value.problems
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines, 1) if '"kind": "administrative"' in line)
    assert problem.path == "services[0].kind" and problem.line == first + 1
    assert f"first on line {first}" in problem.message


def test_the_same_key_in_different_objects_is_not_a_repeat():
    text = '{"id": "c", "title": "T", "description": {"lv": "a"}, "publisher": "o", "organisations": [' \
           '{"id": "o", "name": {"lv": "A"}, "kind": "other"}, {"id": "p", "name": {"lv": "B"}, "kind": "other"}]}'
    assert loads(text, "json").organisations[1].id == "p"
    with pytest.raises(ModelError, match=r"organisations\[0\]\.name: key 'name' appears more than once"):
        loads(text.replace('"kind": "other"}, {"id": "p"', '"kind": "other", "name": {"lv": "C"}}, {"id": "p"'), "json")


def test_xml_still_reads_numbers_written_as_text(tmp_path):
    catalogue = example("building-permit")
    service = catalogue.services[0].model_copy(update={"importance": Importance.CRITICAL, "maturity": Maturity.REPEATABLE})
    catalogue = catalogue.model_copy(update={"services": [service]})
    path = tmp_path / "permit.xml"
    text = dump(catalogue, path)
    assert "<importance>1</importance>" in text and "<value>" in text
    back = load(path)
    assert back == catalogue and back.services[0].importance is Importance.CRITICAL
    assert isinstance(back.services[0].costs[0].value, float)


def test_xml_number_that_is_not_one_is_refused_with_path_and_line(tmp_path):
    path = tmp_path / "permit.xml"
    text = dump(example("building-permit"), path)
    path.write_text(re.sub(r"<importance>[0-9]</importance>", "<importance>two</importance>", text), encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load(path)
    [problem] = caught.value.problems
    assert problem.path == "services[0].importance" and "(got 'two')" in problem.message and problem.line


# -- a municipality's territory ---------------------------------------------------------

@pytest.mark.parametrize("kind", ["municipality", "municipal_institution"])
@pytest.mark.parametrize("territory", [{}, {"territory": "LV"}], ids=["left out", "LV"])
def test_a_municipality_must_give_its_own_atvk_code(kind, territory):
    with pytest.raises(ModelError) as caught:
        Organisation(id="org-jelgava", name="Jelgavas valstspilsētas pašvaldība", kind=kind, **territory)
    assert "ATVK code" in problems_of(caught)["territory"]
    assert Organisation(id="org-jelgava", name="Jelgava", kind=kind, territory="0009000").territory == "0009000"


def test_a_state_institution_acts_in_the_whole_country_unless_told_otherwise():
    assert Organisation(id="org-vid", name="VID", kind="state_institution").territory == "LV"
    assert Organisation(id="org-x", name="X", kind="state_institution", territory="0009000").territory == "0009000"


def test_a_municipality_without_its_code_in_a_file_is_reported_with_path_and_line(building):
    municipality = next(o for o in building["organisations"] if o["kind"] == "municipality")
    del municipality["territory"]
    index = building["organisations"].index(municipality)
    with pytest.raises(ModelError) as caught:
        loads(json.dumps(building, indent=2, ensure_ascii=False), "json")
    [problem] = caught.value.problems
    assert problem.path == f"organisations[{index}].territory" and problem.line


@pytest.mark.parametrize("format", ["json", "xml", "ttl", "semic-xml"])
def test_municipal_territories_survive_every_format(format):
    catalogue = example("building-permit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SEMIC XML says what it cannot carry
        back = loads(dump(catalogue, format), format)
    # SEMIC XML carries the territory of holders only; every format carries theirs.
    [service], [back_service] = catalogue.services, back.services
    assert [back.organisation(h).territory for h in back_service.holders] == \
        [catalogue.organisation(h).territory for h in service.holders] == ["0009000"]
