"""Fuzzing the readers: random bytes and mutated valid documents, in every format, through
`loads`, `validate_file` and `pps convert`. Whatever comes in, the SDK answers with a PPSError
(or a report, or exit code 1 or 2), never another exception, never a connection, and what
`pps convert` writes loads back."""

from __future__ import annotations

import socket
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pps_sdk import PPSError, dump, load, loads
from pps_sdk.cli import app
from pps_sdk.formats.rdf import parse
from pps_sdk.validation import RDF_FORMATS, validate_file

pytestmark = [pytest.mark.thorough, pytest.mark.filterwarnings("ignore::UserWarning")]  # losses and repairs are expected

RUNNER = CliRunner()
SUFFIXES = {"json": ".json", "xml": ".xml", "semic-xml": ".xml", "ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld",
            "rdfxml": ".rdf", "ttl-2.2.1": ".ttl"}
# Pieces that break parsers and models in interesting ways, spliced into valid documents.
TOKENS = [b'"', b"\\", b"{", b"}", b"[", b"]", b"<", b">", b"&", b";", b".", b",", b":", b"@", b"\x00", b"\x01",
          b"\xff", b"\xed\xa0\x80", b"\n", b"null", b"true", b"-1", b"1e999", b"NaN", b"9" * 40, b"P999999999999999999999D",
          b'"@context": "http://127.0.0.1:9/context.jsonld", ', b'{"@context": {"@import": "http://127.0.0.1:9/c"}}',
          b'<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/e">]>', b"&e;", b"@prefix p: <http://127.0.0.1:9/> .",
          b"[ " * 300, b"( " * 300, b'{"a": ' * 300, b"<a>" * 300, b"_:b", b"^^<http://www.w3.org/2001/XMLSchema#date>",
          b"@xx-invalid-tag", b"<http://x.example/p/>"]


@cache
def seeds() -> dict[str, bytes]:
    """A small valid catalogue in every format (the example building permit)."""
    catalogue = load(Path(__file__).resolve().parents[1] / "examples" / "building-permit.json")
    return {name: dump(catalogue, name).encode("utf-8") for name in SUFFIXES}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A format and one of its valid documents with a few cuts, copies and splices."""
    name = draw(st.sampled_from(sorted(SUFFIXES)))
    document = bytearray(seeds()[name])
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(document)))
        end = min(len(document), start + draw(st.integers(0, 200)))
        kind = draw(st.sampled_from(["cut", "copy", "token", "byte"]))
        if kind == "cut":
            del document[start:end]
        elif kind == "copy":
            document[start:start] = document[start:end]
        elif kind == "token":
            document[start:start] = draw(st.sampled_from(TOKENS))
        else:
            document[start:start + 1] = bytes([draw(st.integers(0, 255))])
    return name, bytes(document)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any connection the SDK tries is recorded (and fails); the test asserts there was none."""
    attempts: list[object] = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError("the network is not for tests of untrusted input")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield
    assert attempts == []


def _every_way_in(name: str, raw: bytes) -> None:
    try:
        loads(raw, name)
    except PPSError:
        pass
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"input{SUFFIXES[name]}"
        source.write_bytes(raw)
        report = validate_file(source, name)
        assert report.findings or report.ok
        _convert(source, name, Path(folder))


def _convert(source: Path, name: str, folder: Path) -> None:
    target_name = "ttl" if name != "ttl" else "json"
    target = folder / f"output{SUFFIXES[target_name]}"
    result = RUNNER.invoke(app, ["convert", "--from", name, "--to", target_name, str(source), str(target)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 0 and name in RDF_FORMATS and target_name in RDF_FORMATS:
        parse(target.read_bytes(), target_name)  # passed through as read: still a document of its syntax
    elif result.exit_code == 0:
        load(target, target_name)  # what convert writes from our model, the SDK reads
    else:
        assert not target.exists()


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)
@given(st.sampled_from(sorted(SUFFIXES)), st.binary(max_size=3000))
def test_random_bytes_never_crash_a_reader(name, raw):
    _every_way_in(name, raw)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)
@given(mutated())
def test_mutated_documents_never_crash_a_reader(case):
    _every_way_in(*case)
