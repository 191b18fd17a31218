"""Reports as text or JSON, for people and for the tools of an institution's CI."""

from __future__ import annotations

import json

from . import Report

REPORT_FORMATS = ("text", "json")


def render(reports: list[Report], report_format: str) -> str:
    """`reports` in `report_format` (`text` or `json`)."""
    if report_format == "json":
        return json.dumps({"reports": [as_dict(report) for report in reports]}, ensure_ascii=False, indent=1) + "\n"
    if report_format == "text":
        return "".join(report.summary() + "\n" + "".join(f"  {f}\n" for f in report.findings) for report in reports)
    raise ValueError(f"unknown report format {report_format!r}; choose one of {', '.join(REPORT_FORMATS)}")


def as_dict(report: Report) -> dict[str, object]:
    """One report as plain data: the file, the profile, how many services it held, the findings."""
    return {"subject": report.subject, "profile": report.profile, "ok": report.ok, "services_read": report.services_read,
            "errors": len(report.errors), "warnings": len(report.warnings),
            "leftover_triples": None if report.leftovers is None else len(report.leftovers),
            "findings": [finding.as_dict() for finding in report.findings]}
