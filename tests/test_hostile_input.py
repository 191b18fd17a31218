"""Hostile and broken input: every case ends in one clear error (exit 2 when the file cannot be
read, 1 when it is read and invalid), never a traceback, never a network request, never memory
far beyond the input's size; and nothing the SDK would itself reject is written."""

from __future__ import annotations

import json
import os
import threading
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pps_sdk import MalformedError, ModelError, PPSError, UnreadableError, UnwritableError, dump, load, loads
from pps_sdk.cli import app
from pps_sdk.examples import example_catalogue
from pps_sdk.formats import read_file, write_atomically
from pps_sdk.formats.rdf import parse
from pps_sdk.validation import validate_file

from test_cli import run

RUNNER = CliRunner()
PREFIXES = "@prefix x: <http://x.example/> .\n"


def pps(*args: str | Path) -> tuple[int, str]:
    """Run the `pps` command in this process; its exit code and what it printed."""
    result = RUNNER.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash: let pytest show the traceback
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def example_json() -> dict:
    return json.loads(dump(example_catalogue(), "json"))


def _write_json(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


# -- nesting ----------------------------------------------------------------------------

@pytest.mark.parametrize("levels", [500, 990, 5000, 100_000])
def test_deeply_nested_jsonld_is_unreadable_not_a_recursion_error(tmp_path, levels):
    path = tmp_path / "deep.jsonld"
    path.write_text('{"http://x.example/p": ' * levels + "{}" + "}" * levels, encoding="utf-8")
    report = validate_file(path)
    assert report.unreadable and "nested more than" in report.errors[0].message
    with pytest.raises(MalformedError, match="nested"):
        load(path)
    code, output = pps("convert", path, tmp_path / "out.ttl")
    assert code == 2 and "nested" in output and not (tmp_path / "out.ttl").exists()


@pytest.mark.parametrize("suffix, text", [
    (".json", "[" * 100_000 + "]" * 100_000),
    (".ttl", PREFIXES + "x:a x:p " + "[ x:p " * 5000 + "x:b" + " ]" * 5000 + " .\n"),
    (".ttl", PREFIXES + "x:a x:p " + "( " * 5000 + "x:b" + " )" * 5000 + " .\n"),
    (".xml", "<a>" * 5000 + "</a>" * 5000),
])
def test_deeply_nested_documents_of_other_syntaxes_are_unreadable(tmp_path, suffix, text):
    path = tmp_path / f"deep{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MalformedError):
        load(path)
    assert validate_file(path).unreadable


# -- size -------------------------------------------------------------------------------

def test_the_size_limit_holds_for_devices(tmp_path):
    with pytest.raises(UnreadableError, match="more than the limit of 1,000 bytes"):
        read_file(Path("/dev/zero"), max_bytes=1000)


def test_the_size_limit_holds_for_named_pipes(tmp_path):
    fifo = tmp_path / "catalogue.json"
    os.mkfifo(fifo)

    def feed() -> None:
        try:
            with open(fifo, "wb") as pipe:
                pipe.write(b" " * 5000)  # fits the pipe's buffer: never blocks
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with pytest.raises(UnreadableError, match="more than the limit"):
        read_file(fifo, max_bytes=1000)
    writer.join(timeout=10)
    assert not writer.is_alive()


def test_validate_refuses_an_endless_device_with_exit_2():
    result = run("validate", "--format", "json", "/dev/zero")
    assert result.returncode == 2 and "more than the limit" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize("body", [
    '{"id": "' + "a" * 4_000_000 + '"}',  # a long string: the line mapping once took 120 bytes a character
    '{"id": 1' + "\n" * 2_000_000 + "}",  # many lines: once a list of every newline's position
    '{"id": "' + '\\"' * 2_000_000 + '"}',
])
def test_a_large_invalid_document_costs_memory_near_its_size(body):
    raw = body.encode()
    tracemalloc.start()
    try:
        with pytest.raises(ModelError):
            loads(raw, "json")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * len(raw), f"{peak:,} bytes for a {len(raw):,}-byte document"


def test_line_numbers_survive_the_bounded_line_mapping():
    text = '{\n  "id": "x",\n  "title": {"lv": "a\\"b"},\n  "services": [\n    {"id": 5}\n  ]\n}'
    with pytest.raises(ModelError) as caught:
        loads(text, "json")
    lines = {p.path: p.line for p in caught.value.problems}
    assert lines["services[0].id"] == 5 and lines["publisher"] == 1


# -- output the SDK would reject --------------------------------------------------------

@pytest.mark.parametrize("target, options", [("out.rdf", ()), ("out.xml", ()), ("out.semic", ("--to", "semic-xml"))])
def test_a_control_character_is_never_written_into_xml(tmp_path, example_json, target, options):
    example_json["services"][0]["name"]["lv"] = "Būv\x01atļauja"
    source = _write_json(tmp_path / "control.json", example_json)
    code, output = pps("convert", *options, source, tmp_path / target)
    assert code == 1 and "U+0001" in output
    assert not (tmp_path / target).exists()


def test_a_control_character_travels_in_turtle_and_reads_back(tmp_path, example_json):
    example_json["services"][0]["name"]["lv"] = "Būv\x01atļauja"
    source = _write_json(tmp_path / "control.json", example_json)
    assert pps("convert", source, tmp_path / "out.ttl")[0] == 0
    assert load(tmp_path / "out.ttl").services[0].name.get("lv") == "Būv\x01atļauja"


def test_a_control_character_in_foreign_rdf_is_not_passed_into_rdf_xml(tmp_path):
    source = tmp_path / "foreign.ttl"
    source.write_text('@prefix cpsv: <http://purl.org/vocab/cpsv#> . @prefix dct: <http://purl.org/dc/terms/> .\n'
                      '<http://x.example/s> a cpsv:PublicService ; dct:title "T\\u0001" .\n', encoding="utf-8")
    code, output = pps("convert", source, tmp_path / "out.rdf")
    assert code == 1 and "U+0001" in output and not (tmp_path / "out.rdf").exists()


def test_a_property_rdf_xml_cannot_name_is_a_clear_error(tmp_path):
    source = tmp_path / "foreign.ttl"
    source.write_text('@prefix cpsv: <http://purl.org/vocab/cpsv#> .\n'
                      '<http://x.example/s> a cpsv:PublicService ; <http://x.example/p/> "v" .\n', encoding="utf-8")
    code, output = pps("convert", source, tmp_path / "out.rdf")
    assert code == 1 and "RDF/XML" in output and not (tmp_path / "out.rdf").exists()


@pytest.mark.parametrize("duration", ["P999999999999999999999D", "PT24000000000H", "P1" + "0" * 5000 + "D"])
def test_a_processing_time_rdf_cannot_hold_is_refused_when_read(tmp_path, example_json, duration):
    example_json["services"][0]["processing_time"] = duration
    source = _write_json(tmp_path / "long.json", example_json)
    with pytest.raises(ModelError, match="processing_time"):
        load(source)
    code, _ = pps("convert", source, tmp_path / "out.ttl")
    assert code == 1 and not (tmp_path / "out.ttl").exists()


def test_the_longest_processing_time_rdf_holds_conforms(tmp_path, example_json):
    example_json["services"][0]["processing_time"] = "P999999999D"
    source = _write_json(tmp_path / "long.json", example_json)
    assert pps("convert", source, tmp_path / "out.ttl")[0] == 0
    assert validate_file(tmp_path / "out.ttl").ok


# -- where output goes ------------------------------------------------------------------

def test_convert_into_a_folder_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "plain").write_text("not a folder", encoding="utf-8")
    for target in (tmp_path / "plain" / "out.ttl", tmp_path / "plain" / "deeper" / "out.ttl"):
        code, output = pps("convert", "examples/building-permit.json", target)
        assert code == 2 and "is a file, not a folder" in output
    assert (tmp_path / "plain").read_text(encoding="utf-8") == "not a folder"


def test_a_symbolic_link_is_written_through(tmp_path):
    (tmp_path / "real.ttl").write_text("old", encoding="utf-8")
    (tmp_path / "link.ttl").symlink_to("real.ttl")
    assert pps("convert", "examples/building-permit.json", tmp_path / "link.ttl")[0] == 0
    assert (tmp_path / "link.ttl").is_symlink() and load(tmp_path / "real.ttl").services


@pytest.mark.parametrize("kind", ["fifo", "folder", "link to a fifo"])
def test_a_target_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    target = tmp_path / "out.ttl"
    special = tmp_path / "special.ttl" if kind == "link to a fifo" else target
    os.mkfifo(special) if "fifo" in kind else special.mkdir()
    if kind == "link to a fifo":
        target.symlink_to(special)
    code, output = pps("convert", "examples/building-permit.json", target)
    assert code == 2 and "not a regular file" in output
    with pytest.raises(UnwritableError):
        write_atomically(target, "text")
    assert not special.is_file() and not list(tmp_path.glob(".*tmp*"))


def test_a_loop_of_symbolic_links_is_a_clear_error(tmp_path):
    (tmp_path / "a.ttl").symlink_to("b.ttl")
    (tmp_path / "b.ttl").symlink_to("a.ttl")
    with pytest.raises(UnwritableError):
        write_atomically(tmp_path / "a.ttl", "text")


def test_a_report_that_cannot_be_written_exits_2(tmp_path):
    (tmp_path / "plain").write_text("", encoding="utf-8")
    code, output = pps("validate", "examples/building-permit.json", "--report", "json", "--output", tmp_path / "plain" / "r.json")
    assert code == 2 and "not a folder" in output


# -- what cannot be read ----------------------------------------------------------------

@pytest.mark.parametrize("name, content", [
    ("junk.json", bytes(range(256)) * 20),
    ("junk.ttl", bytes(range(256)) * 20),
    ("junk.xml", bytes(range(256)) * 20),
    ("broken.json", b'{"id": "x",\n "title": }'),
    ("broken.jsonld", b'{"@id": '),
    ("broken.rdf", b"<rdf:RDF"),
    ("catalogue.xyz", b"{}"),
    ("no-suffix", b"{}"),
])
def test_unreadable_files_exit_2(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    code, output = pps("validate", path)
    assert code == 2 and "INVALID" in output
    assert validate_file(path).unreadable
    assert pps("convert", path, tmp_path / "out.json")[0] == 2


def test_turtle_errors_keep_their_reason_and_line(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(PREFIXES + "\nx:a x:b ", encoding="utf-8")
    report = validate_file(path)
    assert report.unreadable and report.errors[0].rule == "PPS-SYNTAX"
    assert "line 3" in report.errors[0].message and "objectList expected" in report.errors[0].message
    with pytest.raises(MalformedError, match="line 3: objectList expected"):
        load(path)


def test_the_strict_reader_keeps_the_kind_of_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_bytes(b"\xff")
    with pytest.raises(MalformedError, match=str(path)):
        load(path)
    with pytest.raises(PPSError):
        loads(b"\xff", "json")


def test_an_iri_turtle_cannot_write_is_a_finding_and_not_written(tmp_path):
    source = tmp_path / "quote.jsonld"
    source.write_text(json.dumps({"@id": 'http://x.example/s"q', "@type": "http://purl.org/vocab/cpsv#PublicService"}),
                      encoding="utf-8")
    assert any(f.rule == "PPS-IRI" for f in validate_file(source).errors)
    assert not any(f.rule == "PPS-IRI" for f in validate_file(source, profile="cpsv-ap").findings)
    code, output = pps("convert", source, tmp_path / "out.ttl")
    assert code == 1 and "not written" in output and not (tmp_path / "out.ttl").exists()


def test_a_generous_limit_costs_nothing_up_front(tmp_path):
    path = tmp_path / "small.json"
    path.write_bytes(b"{}")
    assert read_file(path, max_bytes=2**40) == b"{}"  # never a buffer of the limit's size


@pytest.mark.parametrize("document", [b"0", b'"text"', b"null", b"true"])
def test_json_ld_that_is_neither_an_object_nor_an_array_is_unreadable(tmp_path, document):
    with pytest.raises(PPSError):  # no triples to read (pyoxigraph), or not JSON-LD at all (rdflib)
        loads(document, "jsonld")
    with pytest.raises(MalformedError, match="an object or an array"):
        parse(document, "jsonld")
    path = tmp_path / "scalar.jsonld"
    path.write_bytes(document)
    for profile in ("pps", "cpsv-ap"):
        report = validate_file(path, profile=profile)
        assert report.unreadable and "an object or an array" in report.errors[0].message


@pytest.mark.parametrize("document", ['{"a": 1, "a": 2} x', '{"a": 1, "a": 2}\x01', '[{"a": 1, "a": 2},'])
def test_a_repeated_key_before_broken_json_is_a_syntax_error_not_a_crash(document):
    with pytest.raises(MalformedError, match="invalid JSON"):
        loads(document, "json")
