"""Publishing CPSV-AP RDF to a SPARQL 1.1 Graph Store (any triple store that speaks the
SPARQL 1.1 Graph Store HTTP Protocol: Oxigraph, Fuseki, GraphDB, Virtuoso…).

    store = GraphStore("http://127.0.0.1:7878/store", query_endpoint="http://127.0.0.1:7878/query")
    store.publish(catalogue)                 # one named graph per record, each replaced whole
    service = store.get_service("ps-jelgava-buvatlauja")

Every record of the catalogue — each service, organisation, channel, legal resource, event,
unified service — goes into a named graph of its own, named by the record's IRI, with the
nodes that describe it (its costs, requirements, contact points, opening hours…). A `PUT`
replaces the graph in one request, so readers see either the old description or the new one.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import httpx
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..formats.rdf import DEFAULT_BASE, from_graph, to_graph
from ..formats.rdf.iris import Iris
from ..formats.rdf.syntax import parse, serialize
from ..model import Catalogue, PublicService
from .client import Call, RetryPolicy, error_for, send
from .protocol import COLLECTIONS

TURTLE = "text/turtle"
SPARQL_RESULTS = "application/sparql-results+json"


def record_graphs(catalogue: Catalogue, base: str = DEFAULT_BASE) -> Iterator[tuple[URIRef, Graph]]:
    """Each record of `catalogue` as (its IRI, the graph that describes it), and last the
    catalogue itself (the dataset, its measurements) with everything no record describes."""
    whole = to_graph(catalogue, base=base)
    iris = Iris(base)
    records = {iris.member(name, item.id) for name in COLLECTIONS for item in getattr(catalogue, name)}
    placed: set = set()
    for name in COLLECTIONS:
        for item in getattr(catalogue, name):
            iri = iris.member(name, item.id)
            graph = _description(whole, iri, records)
            placed.update(graph)
            yield iri, graph
    rest = _empty_like(whole)
    for triple in whole:
        if triple not in placed:
            rest.add(triple)
    yield iris.catalogue(catalogue.id), rest


def _empty_like(whole: Graph) -> Graph:
    graph = Graph()
    for prefix, namespace in whole.namespaces():
        graph.bind(prefix, namespace, override=True)
    return graph


def _description(whole: Graph, start: URIRef, records: set[URIRef]) -> Graph:
    """The triples about `start` and about the nodes it leads to that are not records of
    their own (those have their own graphs)."""
    graph = _empty_like(whole)
    seen: set[Node] = {start}
    todo: list[Node] = [start]
    while todo:
        node = todo.pop()
        for triple in whole.triples((node, None, None)):
            graph.add(triple)
            target = triple[2]
            if target not in seen and target not in records and (target, None, None) in whole:
                seen.add(target)
                todo.append(target)
    return graph


class GraphStore:
    """A SPARQL 1.1 Graph Store at `endpoint` (the URL that takes `?graph=`), with its SPARQL
    query endpoint if questions are to be asked of it."""

    def __init__(self, endpoint: str, *, query_endpoint: str | None = None, base: str = DEFAULT_BASE,
                 headers: dict[str, str] | None = None, timeout: float = 60.0, retry: RetryPolicy = RetryPolicy(),
                 transport: httpx.BaseTransport | None = None):
        self.endpoint = endpoint
        self.query_endpoint = query_endpoint
        self.base = base
        self.retry = retry
        self._http = httpx.Client(headers=headers, timeout=timeout, transport=transport)

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, call: Call) -> httpx.Response:
        response = send(self._http, call, self.retry)
        if response.status_code >= 400:
            raise error_for(response)
        return response

    def put_graph(self, name: URIRef, graph: Graph) -> None:
        """Replace named graph `name` with `graph`, in one request."""
        body = serialize(graph, "ttl").encode("utf-8")
        self._send(Call("PUT", self.endpoint, lambda r: r, params={"graph": str(name)},
                        headers={"Content-Type": TURTLE}, content=body))

    def get_graph(self, name: URIRef) -> Graph:
        """Named graph `name` as the store holds it."""
        response = self._send(Call("GET", self.endpoint, lambda r: r, params={"graph": str(name)},
                                   headers={"Accept": TURTLE}))
        return parse(response.content, "ttl")

    def publish(self, catalogue: Catalogue) -> list[URIRef]:
        """Write every record of `catalogue` into its own named graph, and the catalogue's own
        description (with its measurements) into one named by the catalogue; returns the names."""
        names = []
        for name, graph in record_graphs(catalogue, self.base):
            self.put_graph(name, graph)
            names.append(name)
        return names

    def get_service(self, id: str) -> PublicService:
        """Service `id` read back from its named graph."""
        graph = self.get_graph(Iris(self.base).member("services", id))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the graph names organisations and channels only by IRI
            return from_graph(graph, PublicService, base=self.base)  # type: ignore[return-value]

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SPARQL SELECT query; each row maps variable names to values."""
        if self.query_endpoint is None:
            raise ValueError("no query endpoint was given")
        response = self._send(Call("POST", self.query_endpoint, lambda r: r, content=query.encode("utf-8"),
                                   headers={"Content-Type": "application/sparql-query", "Accept": SPARQL_RESULTS}))
        rows = response.json()["results"]["bindings"]
        return [{name: cell["value"] for name, cell in row.items()} for row in rows]

    def services(self) -> list[str]:
        """The IRIs of the public services the store holds, in any named graph."""
        rows = self.select("SELECT DISTINCT ?service WHERE { GRAPH ?g { "
                           "?service a <http://purl.org/vocab/cpsv#PublicService> } } ORDER BY ?service")
        return [row["service"] for row in rows]
