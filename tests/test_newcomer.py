"""What someone new to the SDK meets first: clear help, counted messages, strict input."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from pps_sdk import (Catalogue, Channel, Cost, Importance, LegalResource, Maturity, ModelError, Organisation, Provider,
                     PublicService, Requirement, ResponsibleRole, Rule, dump, load, loads)
from pps_sdk.cli import app
from pps_sdk.errors import Problem
from pps_sdk.examples import example, example_catalogue, example_text
from pps_sdk.validation import Finding, Report, Severity, validate
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

def command_paths(command: Any = None, path: tuple[str, ...] = ()) -> list[list[str]]:
    """Every command and group of `pps`, as the words that call it ([] is `pps` itself)."""
    command = command or typer.main.get_command(app)
    found = [list(path)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += command_paths(sub, (*path, name))
    return found


COMMANDS = command_paths()


def help_of(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], prog_name="pps", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.output


def test_help_of_every_command_is_checked():
    assert {"validate", "convert", "demo", "schema xsd"} <= {" ".join(c) for c in COMMANDS}


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


# -- every problem at once --------------------------------------------------------------

def test_an_invalid_value_and_a_dangling_reference_are_reported_together(building):
    building["services"][0]["importance"] = 7
    building["services"][0]["channels"].append("ch-nowhere")
    with pytest.raises(ModelError) as caught:
        loads(json.dumps(building, indent=2, ensure_ascii=False), "json")
    problems = problems_of(caught)
    assert "Input should be 1, 2, 3 or 4" in problems["services[0].importance"]
    last = len(building["services"][0]["channels"]) - 1
    assert problems[f"services[0].channels[{last}]"] == "no channel 'ch-nowhere' in the catalogue"
    assert all(p.line for p in caught.value.problems)


def test_rules_inside_a_service_are_reported_along_with_invalid_values(building):
    service = building["services"][0]
    service["importance"] = "2"
    service["costs"][0]["channel"] = "ch-nowhere"
    service["valid_from"], service["valid_to"] = "2025-01-01", "2024-01-01"
    building["organisations"][0]["kind"] = "ministry"
    with pytest.raises(ModelError) as caught:
        Catalogue.model_validate(building)
    assert set(problems_of(caught)) == {"services[0].importance", "services[0].costs[0].channel",
                                        "services[0].valid_to", "organisations[0].kind"}


def test_a_rule_that_needs_an_invalid_value_stays_silent():
    # The cost's channel is invalid itself: whether it is one of the service's channels cannot be said.
    with pytest.raises(ModelError) as caught:
        PublicService(**SERVICE, channels=["ch-web"], costs=[{"id": "fee", "value": 5, "channel": "not an id!"}],
                      importance=9)
    assert set(problems_of(caught)) == {"costs[0].channel", "importance"}


def test_a_formula_that_does_not_parse_is_reported_once(building):
    indicator = building["services"][0]["indicators"][2]
    indicator["formula"] = "{ind-buvatlauja-e-lietas} / * 100"
    building["services"][0]["maturity"] = "3"
    with pytest.raises(ModelError) as caught:
        Catalogue.model_validate(building)
    assert set(problems_of(caught)) == {"services[0].indicators[2].formula", "services[0].maturity"}


def test_broken_input_always_gives_a_model_error(building):
    # Any value put anywhere: the answer is a ModelError (or a valid catalogue), never a crash.
    def places(node, path=()):
        yield path
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            yield from places(child, (*path, key))

    for path in list(places(building))[1::5]:
        for value in (None, "x y", 7, [], {"id": "q"}, True):
            data = json.loads(json.dumps(building))
            node = data
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
            try:
                Catalogue.model_validate(data)
            except ModelError:
                pass


def test_opening_hours_with_and_without_a_time_zone_are_refused():
    with pytest.raises(ModelError) as caught:
        Channel(id="ch", type="in_person", opening_hours=[{"days": ["monday"], "opens": "09:00", "closes": "17:00+02:00"}])
    assert "local times" in problems_of(caught)["opening_hours[0].closes"]


# -- objects where identifiers are kept -------------------------------------------------

def test_objects_can_be_given_where_their_identifiers_are_kept():
    vid = Organisation(id="org-vid", name="Valsts ieņēmumu dienests", kind="state_institution")
    web = Channel(id="ch-eds", type="website", url="https://eds.vid.gov.lv/")
    law = LegalResource(id="lr-likums", title="Likums \"Par nodokļiem un nodevām\"", url="https://likumi.lv/ta/id/33946")
    rule = Rule(id="r-deklaresana", name="Deklarēšana", description="Kā deklarē", legal_resources=[law])
    service = PublicService(
        **{**SERVICE, "holders": [vid]}, channels=[web], legal_resources=[law], rules=[rule],
        requirements=[Requirement(id="req", name="Prasība", rules=[rule])],
        costs=[Cost(id="fee", value=0, channel=web, defined_by=vid)],
        providers=[Provider(organisation=vid, tasks=[{"task": "execution"}], channels=[web])],
        manager=ResponsibleRole(role="Vadītājs", organisation=vid))
    assert service.holders == ["org-vid"] and service.channels == ["ch-eds"] and service.legal_resources == ["lr-likums"]
    assert service.costs[0].channel == "ch-eds" and service.costs[0].defined_by == "org-vid"
    assert service.providers[0].organisation == "org-vid" and service.providers[0].channels == ["ch-eds"]
    assert service.requirements[0].rules == ["r-deklaresana"] and service.manager.organisation == "org-vid"
    catalogue = Catalogue(id="cat", title="Katalogs", description="Apraksts", publisher=vid,
                          organisations=[vid], channels=[web], legal_resources=[law], services=[service])
    assert catalogue.publisher == "org-vid"
    assert loads(dump(catalogue, "json"), "json") == catalogue


def test_an_object_of_the_wrong_kind_is_refused_with_its_path():
    web = Channel(id="ch-eds", type="website", url="https://eds.vid.gov.lv/")
    with pytest.raises(ModelError) as caught:
        PublicService(**{**SERVICE, "holders": ["org-x", web]})
    assert problems_of(caught)["holders[1]"] == \
        "expected the identifier of an Organisation, or the Organisation itself; got a Channel"
    with pytest.raises(ModelError) as caught:
        Catalogue.model_validate({"id": "c", "title": "T", "description": "D", "publisher": "o",
                                  "services": [{**SERVICE, "providers": [{"organisation": web, "tasks": [{"task": "execution"}]}]}]})
    assert problems_of(caught)["services[0].providers[0].organisation"].startswith(
        "expected the identifier of an Organisation, or the Organisation itself")


# -- validating one service -------------------------------------------------------------

def test_a_service_validates_with_the_objects_it_refers_to():
    catalogue = example("building-permit")
    [service] = catalogue.services
    references = [*catalogue.organisations, *catalogue.channels, *catalogue.legal_resources, *catalogue.business_events]
    report = validate(service, references=references)
    assert report.ok and report.findings == [] and report.subject == f"service {service.id!r}"
    assert validate(service, references=catalogue).findings == []


def test_what_a_service_refers_to_and_is_not_given_is_an_error_that_says_what_to_pass():
    catalogue = example("building-permit")
    [service] = catalogue.services
    report = validate(service, references=[*catalogue.organisations, *catalogue.channels])
    assert not report.ok
    assert {f.path for f in report.errors} == {"services[0].legal_resources[0]", "services[0].legal_resources[1]",
                                               "services[0].business_events[0]", "services[0].rules[0].legal_resources[0]"}
    assert "no legal resource 'lr-mk-500' among the references: give it in references=[...]" in \
        [f.message for f in report.errors]


def test_business_rules_run_on_a_single_service():
    catalogue = example("building-permit")
    service = catalogue.services[0].model_copy(update={"channels": [], "channel_strategy": None, "maturity": None,
                                                       "costs": [], "providers": []})
    report = validate(service, references=catalogue)
    assert report.ok  # warnings only
    assert [f.path for f in report.warnings] == ["services[0].channels"]


def test_a_changed_service_is_checked_against_its_catalogue():
    catalogue = example_catalogue()
    service = catalogue.services[0].model_copy(update={"related_services": ["ps-vsaa-apbedisanas-pabalsts", "ps-none"]})
    report = validate(service, references=catalogue)
    assert [(f.path, f.severity) for f in report.findings] == [("services[0].related_services[1]", Severity.ERROR)]


def test_measurements_given_with_a_service_are_checked():
    catalogue = example("building-permit")
    [service] = catalogue.services
    measurement = catalogue.measurements[0]
    stray = measurement.model_copy(update={"indicator": "ind-elsewhere"})
    report = validate(service, references=[*catalogue.organisations, *catalogue.channels, *catalogue.legal_resources,
                                           *catalogue.business_events, measurement, stray])
    assert [(f.path, f.severity) for f in report.findings] == [("measurements[1].indicator", Severity.ERROR)]
    assert "no indicator 'ind-elsewhere'" in report.findings[0].message


def test_validate_says_what_it_takes():
    catalogue = example("building-permit")
    with pytest.raises(TypeError, match="takes a Catalogue, or a PublicService with references"):
        validate(catalogue.organisations[0])
    with pytest.raises(TypeError, match="references holds a Cost; give the objects the service refers to: Organisation"):
        validate(catalogue.services[0], references=[catalogue.services[0].costs[0]])
    with pytest.raises(TypeError, match="goes with a single PublicService"):
        validate(catalogue, references=catalogue.organisations)
