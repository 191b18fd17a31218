"""Standard passports: the concept's kinds, adopted and adjusted (`pps indicators new`)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pps_sdk import load
from pps_sdk.cli import app
from pps_sdk.errors import ModelError
from pps_sdk.indicators import KINDS, new_passport, templates
from conftest import ROOT

PERMIT = str(ROOT / "src" / "pps_sdk" / "examples" / "building-permit.json")
runner = CliRunner()


def test_every_kind_has_passports_in_latvian_and_english_that_are_valid():
    for kind in KINDS:
        assert templates(kind), kind
    for t in templates():
        passport = new_passport(t.template, f"ind-{t.template}", "2026-01-01")
        for text in (passport.name, passport.goal, passport.description, passport.alarm_procedure):
            if text is not None:
                assert text.get("lv") and text.get("en"), t.template
    assert {t.kind.is_result for t in templates("process")} == {False}
    assert [t.template for t in templates("quality")] == ["processing-time", "on-time-share", "satisfaction"]


def test_a_passport_is_adjusted_and_the_library_stays_as_it_was():
    adjusted = new_passport("processing-time", "ind-a", "2026-01-01", critical_corridor={"upper": 45})
    assert adjusted.critical_corridor.upper == 45
    assert new_passport("processing-time", "ind-b", "2026-01-01").critical_corridor.upper == 30
    with pytest.raises(ModelError, match="needs an alarm procedure"):
        new_passport("waiting-time", "ind-c", "2026-01-01", alarm_procedure=None)
    with pytest.raises(ValueError, match="no standard passport 'nope'"):
        new_passport("nope", "ind-d", "2026-01-01")


def test_pps_indicators_new_prints_and_adopts(tmp_path):
    printed = runner.invoke(app, ["indicators", "new", "--kind", "quality", "--template", "satisfaction", "--start", "2026-01-01"])
    assert printed.exit_code == 0, printed.output
    [passport] = json.loads(printed.output)
    assert passport["id"] == "ind-satisfaction" and passport["target"] == {"kind": "scale", "minimum": 1.0, "maximum": 5.0, "value": 4.0, "zones": []}
    target = tmp_path / "permit.json"
    added = runner.invoke(app, ["indicators", "new", "--kind", "accessibility", "--prefix", "ind-permit-", "--start", "2026-01-01",
                                "--catalogue", PERMIT, "--service", "ps-jelgava-buvatlauja", "--out", str(target)])
    assert added.exit_code == 0, added.output
    ids = [i.id for i in load(target).services[0].indicators]
    assert ids[-2:] == ["ind-permit-e-share", "ind-permit-waiting-time"]


@pytest.mark.parametrize("arguments, message", [
    (["--kind", "speed"], "no indicator kind 'speed'"),
    (["--kind", "cost", "--template", "processing-time"], "no cost passport named processing-time"),
    (["--kind", "cost", "--start", "soon"], "start"),
    (["--kind", "cost", "--catalogue", PERMIT, "--service", "nope", "--out", "x.json"], "the catalogue has no service 'nope'"),
    (["--kind", "cost", "--catalogue", PERMIT], "--catalogue needs --service"),
])
def test_pps_indicators_new_says_what_is_wrong_in_one_line(arguments, message):
    result = runner.invoke(app, ["indicators", "new", *arguments])
    assert isinstance(result.exception, SystemExit) and result.exception.code == 2 and message in result.output
