"""The `pps` console script, run as a user runs it: a real process with real files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pps_sdk
from pps_sdk import Catalogue, load
from pps_sdk.examples import example_text

PPS = shutil.which("pps", path=str(Path(sys.executable).parent)) or "pps"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PPS, *args], capture_output=True, text=True, cwd=cwd, timeout=120,
                          env={"PATH": str(Path(sys.executable).parent), "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"})


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"pps_sdk {pps_sdk.__version__}"


def test_demo_builds_validates_and_writes_the_catalogue(tmp_path):
    result = run("demo", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    written = tmp_path / "out" / "catalogue.json"
    catalogue = load(written)
    assert isinstance(catalogue, Catalogue) and len(catalogue.services) == 3
    assert "Built 3 services" in result.stdout
    assert "valid (0 errors, 0 warnings)" in result.stdout
    assert f"Wrote {written}" in result.stdout
    assert "Būvatļaujas izsniegšana" in result.stdout


def test_validate_clean_file_exits_0(tmp_path):
    path = tmp_path / "permit.json"
    path.write_text(example_text("building-permit"), encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 0
    assert "valid (0 errors, 0 warnings)" in result.stdout


def test_validate_invalid_file_exits_1_and_lists_problems(tmp_path):
    data = json.loads(example_text("building-permit"))
    data["services"][0]["processing_time"] = "30 days"
    data["services"][0]["importance"] = 0
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 1
    assert "services[0].processing_time" in result.stdout and "services[0].importance" in result.stdout
    assert "INVALID (2 errors" in result.stdout


def test_validate_missing_file_exits_2(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(example_text("funeral-allowance"), encoding="utf-8")
    result = run("validate", str(good), str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert "missing.json: INVALID" in result.stdout


@pytest.mark.parametrize("args", [["validate"], ["validate", "x.json", "--format", "yaml"]])
def test_bad_usage_does_not_crash(tmp_path, args):
    result = run(*args, cwd=tmp_path)
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stdout + result.stderr
