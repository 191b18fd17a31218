"""SHACL validation with the shapes we ship, for `pps validate`: no other files needed.

`shacl_problems(graph)` checks a graph against our CPSV-AP 3.2.0 shapes and our PPS shapes
(`schemas/cpsv-ap-3.2.0-shapes.ttl`, `schemas/pps-shapes.ttl`) with pyshacl and returns one
problem per violation: where (the node and the property) and what the shape requires.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ...errors import Problem
from ...vocab import compact

SHAPE_FILES = {"cpsv-ap": "cpsv-ap-3.2.0-shapes.ttl", "pps": "pps-shapes.ttl"}


@cache
def shapes(*which: str) -> Graph:
    """Our shapes: `"cpsv-ap"`, `"pps"` or both, as one graph."""
    graph = Graph()
    for name in which:
        text = resources.files("pps_sdk.schemas").joinpath(SHAPE_FILES[name]).read_text(encoding="utf-8")
        graph.parse(data=text, format="turtle")
    return graph


def shacl_results(data: Graph, shapes_graph: Graph, ontology: Graph | None = None) -> list[dict[str, str]]:
    """The violations of `data` against `shapes_graph` (with RDFS inference over `ontology`
    when given), each as {focus, path, value, shape, message}."""
    inference = {"ont_graph": ontology, "inference": "rdfs"} if ontology is not None else {}
    _, report, _ = validate(data, shacl_graph=shapes_graph, allow_warnings=True, **inference)
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        def one(predicate: URIRef) -> str:
            value = report.value(result, predicate)
            return "" if value is None else str(value)
        results.append({"focus": one(SH.focusNode), "path": one(SH.resultPath), "value": one(SH.value),
                        "shape": one(SH.sourceShape), "message": one(SH.resultMessage)})
    return sorted(results, key=lambda r: (r["focus"], r["path"], r["message"]))


def shacl_problems(data: Graph, which: tuple[str, ...] = ("cpsv-ap", "pps")) -> list[Problem]:
    """Problems of `data` against our shapes, with the shape's own message where it has one."""
    graph = shapes(*which)
    problems = []
    for result in shacl_results(data, graph):
        message = graph.value(URIRef(result["shape"]), SH.message) if result["shape"].startswith("http") else None
        text = result["message"] if not message or str(message) == result["message"] else f"{message}: {result['message']}"
        path = compact(result["path"]) if result["path"].startswith("http") else result["path"]
        where = f"<{result['focus']}> {path}".strip()
        problem = Problem(where, text + (f" (value {result['value']})" if result["value"] else ""))
        if problem not in problems:  # a shape with two constraints reports one value twice
            problems.append(problem)
    return problems
