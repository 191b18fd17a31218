"""The `pps` console script, run as a user runs it: a real process with real files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pps_sdk
from conftest import ROOT
from pps_sdk import Catalogue, dump, load
from pps_sdk.examples import example, example_text
from pps_sdk.formats.rdf import canonical

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
    assert load(tmp_path / "out" / "catalogue.xml") == catalogue
    assert "checked it against pps-1.0.xsd: valid" in result.stdout
    assert "Būvatļaujas izsniegšana" in result.stdout
    for rdf in ("catalogue.ttl", "catalogue.jsonld"):
        assert load(tmp_path / "out" / rdf) == canonical(catalogue)
    assert "checked it with SHACL (CPSV-AP 3.2.0 and PPS shapes): conforms" in result.stdout
    # Then the whole road through a catalogue service, and back.
    for service in catalogue.services:
        assert f"{service.holders[0]} published {service.id} as draft" in result.stdout
        assert f"The maintainer published {service.id}" in result.stdout
    assert "it equals what was sent" in result.stdout and "Stopped the catalogue service" in result.stdout
    published = load(tmp_path / "out" / "published.ttl")
    assert sorted(s.id for s in published.services) == sorted(s.id for s in catalogue.services)
    assert len(published.measurements) == len(catalogue.measurements)


def test_validate_runs_shacl_on_rdf(tmp_path):
    path = tmp_path / "catalogue.ttl"
    dump(example("building-permit"), path)
    result = run("validate", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    broken = path.read_text(encoding="utf-8").replace("dct:publisher", "dct:creator")
    path.write_text(broken, encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 1
    assert "dct:publisher" in result.stdout


def test_validate_reports_repairs_of_foreign_rdf_as_warnings(tmp_path, official_dir):
    # The official example breaks the official shapes (and ours): errors, exit 1.
    result = run("validate", str(official_dir / "example-rdf_public_service.ttl"))
    assert result.returncode == 1
    assert "skos:Concept" in result.stdout
    # Its re-export conforms; converting it says what was repaired and what is left over.
    target = tmp_path / "tax-on-web.ttl"
    result = run("convert", "--remint", str(official_dir / "example-rdf_public_service.ttl"), str(target))
    assert result.returncode == 0, result.stderr
    assert "no pps:serviceKind" in result.stderr and "no place in the model" in result.stderr
    assert run("validate", str(target)).returncode == 0


def test_convert_between_xml_and_rdf(tmp_path):
    source = tmp_path / "catalogue.xml"
    dump(example("funeral-allowance"), source)
    for suffix in (".jsonld", ".nt", ".rdf"):
        result = run("convert", str(source), str(tmp_path / f"catalogue{suffix}"))
        assert result.returncode == 0, result.stderr
        assert load(tmp_path / f"catalogue{suffix}") == canonical(example("funeral-allowance"))


def test_schema_commands_print_what_is_shipped(tmp_path):
    result = run("schema", "shacl", "--out", str(tmp_path))
    assert result.returncode == 0
    for name in ("cpsv-ap-3.2.0-shapes.ttl", "pps-shapes.ttl"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (ROOT / "schemas" / name).read_text(encoding="utf-8")
    result = run("schema", "vocabulary")
    assert result.stdout == (ROOT / "schemas" / "pps-vocabulary.ttl").read_text(encoding="utf-8")


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


def test_convert_json_to_xml_and_back(tmp_path):
    source = tmp_path / "permit.json"
    source.write_text(example_text("building-permit"), encoding="utf-8")
    result = run("convert", str(source), str(tmp_path / "permit.xml"))
    assert result.returncode == 0, result.stderr
    assert "(json, 1 service) to" in result.stdout and "(xml," in result.stdout
    back = run("convert", str(tmp_path / "permit.xml"), str(tmp_path / "back.data"), "--to", "json")
    assert back.returncode == 0, back.stderr
    assert (tmp_path / "back.data").read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_convert_reports_invalid_and_unreadable_sources(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<catalogue xmlns="https://w3id.org/pps-lv/xml/1"><id>x</id></catalogue>', encoding="utf-8")
    result = run("convert", str(bad), str(tmp_path / "out.json"))
    assert result.returncode == 1
    assert "line 1: title: field required" in result.stderr
    assert not (tmp_path / "out.json").exists()
    assert run("convert", str(tmp_path / "none.json"), str(tmp_path / "out.xml")).returncode == 2


def test_validate_xml_against_the_schema(tmp_path):
    good = tmp_path / "good.xml"
    run("convert", "--from", "json", str(_json_file(tmp_path)), str(good))
    assert run("validate", str(good)).returncode == 0
    broken = tmp_path / "broken.xml"
    broken.write_text(good.read_text(encoding="utf-8").replace("<importance>2</importance>", "<importance>9</importance>"),
                      encoding="utf-8")
    result = run("validate", str(broken))
    assert result.returncode == 1
    assert "services[0].importance: Element 'importance'" in result.stdout


def test_schema_xsd_prints_and_writes_the_schema(tmp_path):
    from pps_sdk.formats.xsd import generate_xsd

    assert run("schema", "xsd").stdout == generate_xsd()
    result = run("schema", "xsd", "--out", str(tmp_path / "s" / "pps.xsd"))
    assert result.returncode == 0
    assert (tmp_path / "s" / "pps.xsd").read_text(encoding="utf-8") == generate_xsd()
    assert (tmp_path / "s" / "xml.xsd").exists()


def test_schema_out_writes_through_links_and_keeps_them(tmp_path):
    # A checkout's schemas/ holds links into the package; regenerating must not turn them into copies.
    package, linked = tmp_path / "package", tmp_path / "schemas"
    package.mkdir()
    linked.mkdir()
    names = ("pps-1.0.xsd", "xml.xsd", "cpsv-ap-3.2.0-shapes.ttl", "pps-shapes.ttl")
    for name in names:
        (package / name).write_text("old", encoding="utf-8")
        (linked / name).symlink_to(Path("..") / "package" / name)
    assert run("schema", "xsd", "--out", str(linked / "pps-1.0.xsd")).returncode == 0
    assert run("schema", "shacl", "--out", str(linked)).returncode == 0
    for name in names:
        assert (linked / name).is_symlink(), name
        assert (package / name).read_text(encoding="utf-8") == (ROOT / "schemas" / name).read_text(encoding="utf-8")
    assert sorted(p.name for p in package.iterdir()) == sorted(names)  # no temporary files left behind


def _json_file(tmp_path: Path) -> Path:
    path = tmp_path / "permit.json"
    path.write_text(example_text("building-permit"), encoding="utf-8")
    return path


def test_an_error_ends_any_command_with_its_exit_code_and_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    schema = run("schema", "xsd", "--out", str(blocker / "pps-1.0.xsd"))
    assert schema.returncode == 2 and "Traceback" not in schema.stderr and len(schema.stderr.strip().splitlines()) == 1
    demo = run("demo", "--out", str(blocker))
    assert demo.returncode == 2 and "Traceback" not in demo.stderr and str(blocker) in demo.stderr
    debugged = run("--debug", "schema", "xsd", "--out", str(blocker / "pps-1.0.xsd"))
    assert debugged.returncode != 0 and "Traceback" in debugged.stderr


def test_exit_codes_follow_from_the_kind_of_error():
    from pps_sdk.cli.exits import FINDINGS, UNREADABLE, exit_code, one_line
    from pps_sdk.errors import FormatError, MalformedError, ModelError, Problem, UnwritableError

    assert exit_code(ModelError([Problem("id", "missing")], "invalid")) == FINDINGS
    assert exit_code(FormatError("SEMIC XML cannot carry it")) == FINDINGS
    assert exit_code(MalformedError("not Turtle")) == exit_code(UnwritableError("read-only")) == UNREADABLE
    assert exit_code(KeyError("x")) == UNREADABLE and one_line(KeyError("x")) == "error: KeyError: 'x'"
