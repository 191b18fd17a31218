"""RDF at scale: to_graph, serialise and parse back a large catalogue; SHACL on smaller ones.

    python benchmarks/rdf_bench.py [services] [shacl services...]

Default 20,000 services, and pyshacl on 1,000 and 2,000. The baselines are rdflib on its
own in the same run: serialising the graph we built with rdflib's stock serialiser, and
parsing the same text into a bare Graph. Our figures include what we add on top (exact
doubles and lexical forms, the JSON-LD context, reading the graph into models).

rdflib's stock Turtle serialiser slows down quadratically with the number of distinct IRI
namespaces (it keeps every one it has seen and searches them all for each new IRI); at
20,000 services it does not finish in any useful time, so its Turtle baseline is measured
on the first `TURTLE_BASELINE_SERVICES` services and scaled by triples (which favours it).
"""

from __future__ import annotations

import os
import resource
import sys
import time
import warnings
from pathlib import Path

from rdflib import Graph

from pps_sdk.examples import large_catalogue
from pps_sdk.formats.rdf import canonical, parse, read_graph, serialize, to_graph

TURTLE_BASELINE_SERVICES = 1_000
# The official CPSV-AP 3.2.0 files, in the folder named by PPS_SHARED (default: ../shared).
SHARED = Path(os.environ.get("PPS_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "cpsv-ap" / "3.2.0"
RDFLIB_NAMES = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


def timed(work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(services: int, shacl_sizes: list[int]) -> None:
    catalogue, built = timed(lambda: large_catalogue(services))
    graph, graph_time = timed(lambda: to_graph(catalogue))
    triples = len(graph)
    print(f"catalogue: {services:,} services (built in {built:.1f} s) → {triples:,} triples")
    print(f"to_graph          {graph_time:7.2f} s   {triples / graph_time:10,.0f} triples/s")
    expected = canonical(catalogue)
    for syntax in ("ttl", "nt", "jsonld"):
        text, ours_out = timed(lambda: serialize(graph, syntax))
        raw = text.encode("utf-8")
        base_out = _baseline_serialize(graph, syntax, services, triples)
        parsed, parse_time = timed(lambda: parse(raw, syntax))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # our own output reads back with no repairs or leftovers
            result, read_time = timed(lambda: read_graph(parsed))
        assert result.model == expected, f"{syntax}: the catalogue did not come back unchanged"
        del parsed, result, text  # one parsed graph at a time keeps the peak down
        _, base_in = timed(lambda: len(Graph().parse(data=raw, format=RDFLIB_NAMES[syntax])))
        ours_in = parse_time + read_time
        print(f"{syntax:6} {len(raw) / 1e6:7.1f} MB  serialise {ours_out:6.2f} s ({triples / ours_out:9,.0f} triples/s, "
              f"rdflib alone {base_out:6.2f} s, ratio {ours_out / base_out:4.2f}x)   "
              f"parse+read {ours_in:6.2f} s ({triples / ours_in:9,.0f} triples/s; parse {parse_time:.2f} + models "
              f"{read_time:.2f}; rdflib parse alone {base_in:6.2f} s, ratio {ours_in / base_in:4.2f}x)")
    print(f"peak memory: {peak_mb():,.0f} MB")
    del graph
    _shacl(shacl_sizes)


def _baseline_serialize(graph: Graph, syntax: str, services: int, triples: int) -> float:
    if syntax != "ttl" or services <= TURTLE_BASELINE_SERVICES:
        return timed(lambda: graph.serialize(format=RDFLIB_NAMES[syntax]))[1]
    sample = to_graph(large_catalogue(TURTLE_BASELINE_SERVICES))
    seconds = timed(lambda: sample.serialize(format="turtle"))[1]
    print(f"       (rdflib's Turtle baseline: {TURTLE_BASELINE_SERVICES:,} services, {len(sample):,} triples in "
          f"{seconds:.2f} s, scaled by triples)")
    return seconds * triples / len(sample)


def _shacl(sizes: list[int]) -> None:
    from pyshacl import validate

    from pps_sdk.formats.rdf.shacl import shapes

    official = SHARED / "cpsv-ap-SHACL.ttl"
    shape_sets = {"ours (CPSV-AP + PPS)": shapes("cpsv-ap", "pps")}
    if official.exists():
        shape_sets["official CPSV-AP 3.2.0"] = Graph().parse(official)
    for label, shapes_graph in shape_sets.items():
        times = []
        for size in sizes:
            graph = to_graph(large_catalogue(size))
            (conforms, _, _), seconds = timed(lambda: validate(graph, shacl_graph=shapes_graph))
            times.append(seconds)
            print(f"pyshacl, {label:24} {size:6,} services {len(graph):9,} triples  {seconds:7.2f} s  "
                  f"conforms: {conforms}")
        if len(times) > 1:
            print(f"pyshacl, {label:24} {sizes[-1] / sizes[0]:.0f}x the services took {times[-1] / times[0]:.2f}x the time")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(arguments[0] if arguments else 20_000, arguments[1:] or [1_000, 2_000])
