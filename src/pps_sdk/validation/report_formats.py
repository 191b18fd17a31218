"""Reports as text or JSON for people and scripts, and as JUnit XML or SARIF 2.1.0 for the CI
systems and code hosts that show test results and code-scanning alerts.

- JUnit XML: one test suite per file; each error is a failed test case, each warning and note a
  passing one that carries its message; a file with no findings is one passing case.
- SARIF 2.1.0: one run of the tool `pps`, with every rule that was reported (its id and what it
  requires), and one result per finding: its level, message, the file and line, and the node's
  IRI or the field path as its logical location.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import PurePath
from urllib.parse import quote
from xml.etree import ElementTree

from . import RULES, Finding, Report, Severity

REPORT_FORMATS = ("text", "json", "junit", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# XML 1.0 cannot carry these characters even escaped; a message quoting a hostile value may hold them.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def render(reports: list[Report], report_format: str) -> str:
    """`reports` in `report_format`: text, json, junit or sarif."""
    if report_format == "json":
        return json.dumps({"reports": [as_dict(report) for report in reports]}, ensure_ascii=False, indent=1) + "\n"
    if report_format == "text":
        return "".join(report.summary() + "\n" + "".join(f"  {f}\n" for f in report.findings) for report in reports)
    if report_format == "junit":
        return junit(reports)
    if report_format == "sarif":
        return json.dumps(sarif(reports), ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown report format {report_format!r}; choose one of {', '.join(REPORT_FORMATS)}")


def as_dict(report: Report) -> dict[str, object]:
    """One report as plain data: the file, the profile, how many services it held, the findings."""
    return {"subject": report.subject, "profile": report.profile, "ok": report.ok, "services_read": report.services_read,
            "errors": len(report.errors), "warnings": len(report.warnings),
            "leftover_triples": None if report.leftovers is None else len(report.leftovers),
            "findings": [finding.as_dict() for finding in report.findings]}


# -- JUnit XML ----------------------------------------------------------------------------------

def junit(reports: list[Report]) -> str:
    """The reports as JUnit XML: a suite per file, a case per finding (errors fail)."""
    suites = ElementTree.Element("testsuites", name="pps validate", tests=str(sum(len(_cases(r)) for r in reports)),
                                 failures=str(sum(len(r.errors) for r in reports)))
    for report in reports:
        cases = _cases(report)
        suite = ElementTree.SubElement(suites, "testsuite", name=_xml_text(report.subject), tests=str(len(cases)),
                                       failures=str(len(report.errors)), errors="0", skipped="0")
        ElementTree.SubElement(suite, "properties").extend(
            [ElementTree.Element("property", name="profile", value=report.profile),
             ElementTree.Element("property", name="services_read", value=str(report.services_read))])
        names: Counter[str] = Counter()
        for finding in cases:
            case = _case(report, finding)
            names[case.get("name", "")] += 1
            if names[case.get("name", "")] > 1:  # the same rule broken again on the same node and path
                case.set("name", f"{case.get('name')} ({names[case.get('name', '')]})")
            suite.append(case)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def _cases(report: Report) -> list[Finding | None]:
    return list(report.findings) or [None]  # a clean file is one passing case


def _case(report: Report, finding: Finding | None) -> ElementTree.Element:
    if finding is None:
        return ElementTree.Element("testcase", classname=_xml_text(report.subject), name="valid")
    name = " ".join(part for part in (finding.rule, finding.node, finding.path) if part) or finding.source
    case = ElementTree.Element("testcase", classname=_xml_text(report.subject), name=_xml_text(name))
    if finding.line is not None:
        case.set("line", str(finding.line))
    text = _xml_text(str(finding))
    if finding.severity is Severity.ERROR:
        ElementTree.SubElement(case, "failure", message=_xml_text(finding.message), type=finding.rule or finding.source).text = text
    else:
        ElementTree.SubElement(case, "system-out").text = text
    return case


def _xml_text(text: str) -> str:
    return _NOT_IN_XML.sub("\ufffd", text)


# -- SARIF 2.1.0 --------------------------------------------------------------------------------

def sarif(reports: list[Report]) -> dict[str, object]:
    """The reports as one SARIF 2.1.0 log."""
    from .. import __version__

    findings = [(report, finding) for report in reports for finding in report.findings]
    rule_ids = sorted({finding.rule for _, finding in findings if finding.rule})
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "pps", "version": __version__, "rules": [_sarif_rule(rule_id) for rule_id in rule_ids]}},
        "artifacts": [{"location": {"uri": _uri(report.subject)}} for report in reports],
        "results": [_sarif_result(report, finding, {rule_id: i for i, rule_id in enumerate(rule_ids)})
                    for report, finding in findings],
    }]}


def _sarif_rule(rule_id: str) -> dict[str, object]:
    from .rules_page import shacl_rule_texts

    found = RULES.get(rule_id)
    if found is not None:
        return {"id": rule_id, "shortDescription": {"text": f"Requires: {found.requires}"},
                "defaultConfiguration": {"level": _SARIF_LEVELS[found.severity]}}
    if rule_id in shacl_rule_texts():
        return {"id": rule_id, "shortDescription": {"text": f"Requires: {shacl_rule_texts()[rule_id]}"},
                "defaultConfiguration": {"level": "error"}}
    return {"id": rule_id}


def _sarif_result(report: Report, finding: Finding, rule_index: dict[str, int]) -> dict[str, object]:
    location: dict[str, object] = {"artifactLocation": {"uri": _uri(report.subject)}}
    if finding.line is not None:
        location["region"] = {"startLine": finding.line}
    result: dict[str, object] = {"level": _SARIF_LEVELS[finding.severity], "message": {"text": finding.message},
                                 "locations": [{"physicalLocation": location}]}
    where = finding.node or finding.path
    if where:
        result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": where, "kind": "object" if finding.node else "member"}]  # type: ignore[index]
    properties = {"path": finding.path} if finding.node and finding.path else {}
    if finding.value is not None:
        properties["value"] = finding.value
    if properties:
        result["properties"] = properties
    if finding.rule:
        result["ruleId"] = finding.rule
        result["ruleIndex"] = rule_index[finding.rule]
    return result


def _uri(subject: str) -> str:
    """A file name as a SARIF artifact URI: a relative path stays relative (with '/' separators),
    an absolute one becomes a file: URI."""
    path = PurePath(subject)
    return path.as_uri() if path.is_absolute() else quote(path.as_posix(), safe="/")
