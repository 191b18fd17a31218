"""Shared fixtures: the example catalogues as plain data, ready to be broken on purpose."""

from __future__ import annotations

import copy
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from pps_sdk.examples import NAMES, example_text

ROOT = Path(__file__).resolve().parents[1]
# The team's shared files (official CPSV-AP files, data) sit next to the project; PPS_SHARED
# points elsewhere when a checkout lives somewhere else.
SHARED = Path(os.environ.get("PPS_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def building() -> dict:
    """The building-permit example catalogue as a JSON dictionary (a fresh copy per test)."""
    return copy.deepcopy(json.loads(example_text("building-permit")))


@pytest.fixture(params=NAMES)
def example_name(request: pytest.FixtureRequest) -> str:
    return request.param


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        type(self).requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY leak "leaked">')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback_server():
    """A web server on 127.0.0.1 that records every request; tests assert it got none."""
    _Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.requests
    server.shutdown()


@pytest.fixture(scope="session")
def official_shapes():
    """The official CPSV-AP 3.2.0 SHACL shapes (../shared), parsed once."""
    from rdflib import Graph

    return Graph().parse(SHARED / "cpsv-ap" / "3.2.0" / "cpsv-ap-SHACL.ttl")


@pytest.fixture(scope="session")
def official_ontology():
    """The CPSV-AP 3.2.0 vocabulary (../shared), for validating with RDFS inference."""
    from rdflib import Graph

    return Graph().parse(SHARED / "cpsv-ap" / "3.2.0" / "cpsv-ap.ttl")
