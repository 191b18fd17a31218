"""Shared fixtures: the example catalogues as plain data, ready to be broken on purpose; the
official reference files; the hypothesis profiles.

Reference files that are not ours (the official CPSV-AP release files from SEMIC and the
labelled municipal service lists) are read from the folder named by the environment variable
PPS_SHARED, by default `../shared` next to the checkout. Tests that need one are skipped,
with the reason, when it is missing; with PPS_REQUIRE_SHARED=1 (as in `.ci/run`) a missing
file fails them instead.

Hypothesis profiles: `quick` (the default, a few examples per property) and `thorough` (many
more); choose one with HYPOTHESIS_PROFILE=thorough or `--hypothesis-profile=thorough`. The
round-trip and fuzzing properties are marked `thorough`, so `pytest -m thorough` selects them.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from pps_sdk.examples import NAMES, example_text

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PPS_SHARED") or ROOT.parent / "shared").resolve()
REQUIRE_SHARED = os.environ.get("PPS_REQUIRE_SHARED", "").strip().lower() not in ("", "0", "no", "false")

# Generating whole catalogues is slow, and so are the checks run on them: no deadline, no
# health check about it.
_SLOW_DATA = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("quick", max_examples=20, **_SLOW_DATA)
settings.register_profile("thorough", max_examples=500, **_SLOW_DATA)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))
# Tests that check many generated catalogues as one graph with pyshacl take at most this many:
# beyond it the graph, not the variety, is what grows.
MAX_UNION = 200


def union_size() -> int:
    """How many generated catalogues a test that validates them as one graph takes."""
    return min(settings.default.max_examples, MAX_UNION)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "thorough: a round-trip or fuzzing property; `.ci/run` runs these again with "
                   "HYPOTHESIS_PROFILE=thorough")


# -- reference files that are not ours ----------------------------------------------------

CPSV_AP_3_2_0 = "cpsv-ap/3.2.0"
CPSV_AP_2_2_1 = "cpsv-ap/2.2.1"
SEMIC_XSD = "cpsv-ap/xml-schema-draft/models/CoreVoc_CPSV-AP"
LABELLED_LV = "data/lv_services_dev.csv"
REAL_CPSV_AP = "data/cpsv-ap-real"

# What each folder or file is, for the skip reason; one reason per kind of file.
_WHAT = {
    CPSV_AP_3_2_0: "official CPSV-AP 3.2.0 release files (shapes, vocabulary, example)",
    CPSV_AP_2_2_1: "official CPSV-AP 2.2.1 shapes",
    SEMIC_XSD: "SEMIC's draft CPSV-AP 3.2.0 XML Schema",
    LABELLED_LV: "labelled Latvian municipal service list",
    REAL_CPSV_AP: "CPSV-AP files published by others",
}
_NEEDED = {
    CPSV_AP_3_2_0: ("cpsv-ap-SHACL.ttl", "cpsv-ap.ttl", "cpsv-ap.jsonld", "example-rdf_public_service.ttl",
                    "example-rdf_public_service.jsonld"),
    CPSV_AP_2_2_1: ("CPSV-AP_shacl_shapes v2.2.1.ttl", "CPSV-AP_shacl_cv_shapes v2.2.1.ttl"),
    SEMIC_XSD: ("CoreVoc_CPSV-AP.xsd", "CoreVoc_CPSV-AP.xml"),
    LABELLED_LV: (),
    REAL_CPSV_AP: ("semic-example-3.2.0.ttl", "fi-pilot-FinnishServices.ttl", "ee-pilot-EstonianServices.rdf",
                   "c4c-demo2-export-AT.ttl", "c4c-affligem-BE.rdf", "no-fdk-public_service0.ttl"),
}


def reference(relative: str) -> Path:
    """The path of a reference file or folder under PPS_SHARED; skips the test when it (or a
    file the tests need in it) is missing, or fails it under PPS_REQUIRE_SHARED=1."""
    path = SHARED / relative
    missing = [path] if not path.exists() else [path / name for name in _NEEDED[relative] if not (path / name).is_file()]
    if missing:
        message = (f"{_WHAT[relative]} not found ({missing[0]}): set PPS_SHARED to the folder that holds "
                   f"{relative}, or put such a folder at ../shared beside the checkout")
        if REQUIRE_SHARED:
            pytest.fail(f"{message} (PPS_REQUIRE_SHARED is set)", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def official_dir() -> Path:
    """The folder of the official CPSV-AP 3.2.0 release files."""
    return reference(CPSV_AP_3_2_0)


@pytest.fixture(scope="session")
def official_2_2_1_dir() -> Path:
    """The folder of the official CPSV-AP 2.2.1 release files."""
    return reference(CPSV_AP_2_2_1)


@pytest.fixture(scope="session")
def semic_xsd_dir() -> Path:
    """The folder of SEMIC's draft CPSV-AP XML Schema and its sample."""
    return reference(SEMIC_XSD)


@pytest.fixture(scope="session")
def labelled_lv() -> Path:
    """The hand-labelled Latvian municipal service list (CSV)."""
    return reference(LABELLED_LV)


@pytest.fixture(scope="session")
def official_shapes(official_dir):
    """The official CPSV-AP 3.2.0 SHACL shapes, parsed once."""
    from rdflib import Graph

    return Graph().parse(official_dir / "cpsv-ap-SHACL.ttl")


@pytest.fixture(scope="session")
def official_ontology(official_dir):
    """The official CPSV-AP 3.2.0 vocabulary, for validating with RDFS inference."""
    from rdflib import Graph

    return Graph().parse(official_dir / "cpsv-ap.ttl")


# -- our own fixtures -----------------------------------------------------------------------

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
    # A short poll interval, so shutting the server down does not wait half a second.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.requests
    server.shutdown()
