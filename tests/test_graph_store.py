"""Publishing CPSV-AP RDF to a real triple store (an Oxigraph server on loopback)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from catalogue_support import REQUIRE_SERVERS
from catalogue_support import free_port

from pps_sdk.catalogue.graph_store import GraphStore, record_graphs
from pps_sdk.examples import example_catalogue

EXAMPLES = example_catalogue()
CPSV = "http://purl.org/vocab/cpsv#"


@pytest.fixture
def oxigraph(tmp_path):
    program = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if program is None:
        message = "the Oxigraph server is not installed (pip install oxigraph)"
        if REQUIRE_SERVERS:
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    server = subprocess.Popen([program, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"})
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("oxigraph did not start") from None
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=30)


def test_each_record_is_a_named_graph_and_a_query_finds_the_services(oxigraph):
    with GraphStore(f"{oxigraph}/store", query_endpoint=f"{oxigraph}/query") as store:
        names = store.publish(EXAMPLES)
        records = 1 + sum(len(getattr(EXAMPLES, n)) for n in ("organisations", "channels", "legal_resources", "life_events",
                                                           "business_events", "unified_services", "services"))
        assert len(names) == len(set(names)) == records
        services = store.services()
        assert services == sorted(f"https://w3id.org/pps-lv/id/service/{s.id}" for s in EXAMPLES.services)
        permit = EXAMPLES.service("ps-jelgava-buvatlauja")
        back = store.get_service(permit.id)
        assert back.id == permit.id and back.name == permit.name and back.costs == permit.costs
        # A service's graph holds the service and what describes it, not its organisations' records.
        graphs = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert len(graphs) == records

        # Publishing again replaces each graph whole: the old processing time is gone.
        changed = EXAMPLES.model_copy(update={"services": [
            s.model_copy(update={"processing_time": "P3D"}) if s.id == permit.id else s for s in EXAMPLES.services]})
        store.publish(changed)
        rows = store.select(f"SELECT ?t WHERE {{ GRAPH ?g {{ <https://w3id.org/pps-lv/id/service/{permit.id}> "
                            "<http://data.europa.eu/m8g/processingTime> ?t } }")
        assert [row["t"] for row in rows] == ["P3D"]
        assert store.services() == services


def test_record_graphs_keep_every_triple_of_the_catalogue():
    from rdflib import BNode

    from pps_sdk.formats.rdf import to_graph

    union, names = set(), []
    for name, graph in record_graphs(EXAMPLES):
        union |= set(graph)
        names.append(str(name))
    whole = set(to_graph(EXAMPLES))

    def named(triples: set) -> set:  # blank nodes are named anew by every writing
        return {t for t in triples if not any(isinstance(term, BNode) for term in t)}

    assert len(union) == len(whole) and named(union) == named(whole)
    assert names[-1] == "https://w3id.org/pps-lv/id/catalogue/" + EXAMPLES.id
