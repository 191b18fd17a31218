"""Reports for CI systems (JUnit XML, SARIF 2.1.0) and the generated list of rules."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

from pps_sdk.validation import RULES, Finding, Report, Severity, validate_file
from pps_sdk.validation.report_formats import render
from pps_sdk.validation.rules_page import render as rules_page, shacl_rule_texts

from conftest import ROOT
from test_cli import run
from test_foreign_rdf import TWO_SERVICES

VALIDATION = ROOT / "src" / "pps_sdk" / "validation"


def _reports(tmp_path):
    broken = tmp_path / "two services.ttl"
    broken.write_text(TWO_SERVICES, encoding="utf-8")
    clean = ROOT / "examples" / "building-permit.json"
    return [validate_file(broken), validate_file(clean)]


def test_the_rules_page_is_current():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_page(), "regenerate: python -m pps_sdk.validation.rules_page docs/rules.md"


def test_every_rule_a_check_names_is_declared_and_on_the_page():
    named = {m for path in VALIDATION.glob("*.py") for m in re.findall(r'"(PPS-[A-Z-]+)"', path.read_text(encoding="utf-8"))}
    assert named and named <= set(RULES)
    page = rules_page()
    assert all(f"`{rule}`" in page for rule in RULES)


def test_every_finding_names_a_listed_rule(tmp_path):
    reports = _reports(tmp_path) + [validate_file(tmp_path / "two services.ttl", profile="cpsv-ap")]
    rules = {f.rule for report in reports for f in report.findings}
    assert rules and "" not in rules
    assert rules <= set(RULES) | set(shacl_rule_texts())


def test_junit_has_a_suite_per_file_and_a_failure_per_error(tmp_path):
    reports = _reports(tmp_path)
    root = ElementTree.fromstring(render(reports, "junit").encode())
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [r.subject for r in reports]
    broken, clean = suites
    assert len(broken.findall("testcase/failure")) == int(broken.get("failures")) == len(reports[0].errors) > 0
    assert int(broken.get("tests")) == len(reports[0].findings)
    names = [case.get("name") for case in broken.findall("testcase")]
    assert len(set(names)) == len(names)  # CI systems merge cases of one name
    failure = broken.find("testcase/failure")
    assert failure.get("type") and failure.get("message") and failure.text
    assert reports[1].ok and clean.get("failures") == "0"
    assert len(clean.findall("testcase")) == max(1, len(reports[1].findings))


def test_junit_stays_xml_whatever_the_message_holds():
    report = Report("bad\x01name.ttl", [Finding(Severity.ERROR, "name", "value 'a\x00b\x1f' is not text", "model", 3, "PPS-MODEL")])
    root = ElementTree.fromstring(render([report], "junit").encode())
    case = root.find("testsuite/testcase")
    assert case.get("line") == "3" and "\ufffd" in case.find("failure").get("message")


def test_sarif_results_point_at_file_line_and_rule(tmp_path):
    reports = _reports(tmp_path)
    log = json.loads(render(reports, "sarif"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    assert len(results) == sum(len(r.findings) for r in reports)
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert all(rule.get("shortDescription", {}).get("text", "").startswith("Requires: ") for rule in rules)
    errors = [r for r in results if r["level"] == "error"]
    assert len(errors) == len(reports[0].errors) + len(reports[1].errors)
    located = [r for r in results if "region" in r["locations"][0]["physicalLocation"]]
    assert located and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in located)
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("two%20services.ttl")
    assert any(r["locations"][0].get("logicalLocations", [{}])[0].get("fullyQualifiedName", "").startswith("http://x.example/")
               for r in results)


def test_cli_writes_a_ci_report_and_refuses_unknown_formats(tmp_path):
    source = tmp_path / "two.ttl"
    source.write_text(TWO_SERVICES, encoding="utf-8")
    target = tmp_path / "report.sarif"
    result = run("validate", str(source), "--report", "sarif", "--output", str(target))
    assert result.returncode == 1 and result.stdout == "", result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["runs"][0]["results"]
    refused = run("validate", str(source), "--report", "html")
    assert refused.returncode == 2 and "junit" in refused.stderr
