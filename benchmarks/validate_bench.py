"""`pps validate --profile cpsv-ap` end to end against pyshacl with the official CPSV-AP 3.2.0 shapes.

    python benchmarks/validate_bench.py [sizes...] [--pyshacl-all]

Default sizes 1,000, 5,000 and 20,000 services. Each catalogue is written as N-Triples with a
break in every tenth service (a title without a language, a missing competent authority, a
wrong class of channel, two identifiers), so both sides have verdicts to find. Each side runs
in a fresh process, its imports done before the clock starts:

- ours: `validate_file(path, profile="cpsv-ap")`, the whole of `pps validate --profile cpsv-ap`
  (reading the file, parsing, checking, the report with the line of every finding), run three
  times and the run with the median processor time shown;
- pyshacl: rdflib parses the file, pyshacl validates the graph against the official shapes.

Times are seconds, wall clock and processor time (on a machine shared with other work the
wall clock of both sides grows with that work; processor time much less), memory what the
run adds to its process's peak (MB). pyshacl takes many
minutes at 20,000 services: unless --pyshacl-all is given, its parse and check times there are
extrapolated linearly from the two smaller sizes, and marked so. Verdicts (focus node, path,
constraint and value, which our report names in its message) are compared wherever both ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from pps_sdk.examples import large_catalogue
from pps_sdk.formats.rdf import serialize, to_graph

SHARED = Path(os.environ.get("PPS_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "cpsv-ap" / "3.2.0"
CPSV, CV, DCT = "http://purl.org/vocab/cpsv#", "http://data.europa.eu/m8g/", "http://purl.org/dc/terms/"

# Run in a child process: one side on one file; prints its times, added peak memory and verdicts.
CHILD = r"""
import json, re, sys, time
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from pyshacl import validate
from pps_sdk.formats.rdf import parse
from pps_sdk.validation import validate_file
from pps_sdk.validation.profiles import _rule_id, _short
from pps_sdk.vocab import compact

def peak_mb():  # the process's own high-water mark (ru_maxrss would carry over the parent's, whose copy it started as)
    status = open("/proc/self/status").read()
    return int(re.search(r"VmHWM:\s*(\d+)", status)[1]) / 1024 if "VmHWM" in status else 0.0

def constraint(rule):
    return rule.rsplit(":", 1)[-1]  # the official shapes name property shapes by hashes, ours by what they check

def node(term):
    text = str(term)  # ours names a blank node `_:label`, rdflib's term is the bare label
    return "_:" if text.startswith("_:") or ":" not in text else text  # blank nodes are named differently by each parser

side, data_path, shapes_path = sys.argv[1:4]
shapes = Graph().parse(shapes_path)
validate_file(shapes_path, profile="cpsv-ap")  # every import of the reading done before the clock starts
before, start, cpu = peak_mb(), time.perf_counter(), time.process_time()
if side == "ours":
    report = validate_file(data_path, profile="cpsv-ap", max_bytes=2**40)  # a 20,000-service file is over 50 MB
    seconds = {"total": time.perf_counter() - start, "cpu": time.process_time() - cpu}
    assert not report.unreadable, report.findings
    verdicts = [(node(f.node), f.path, constraint(f.rule), f.message) for f in report.findings if f.source == "schema"]
else:
    data = parse(open(data_path, "rb").read(), "nt")
    parsed = time.perf_counter()
    _, results, _ = validate(data, shacl_graph=shapes, allow_warnings=True)
    seconds = {"parse": parsed - start, "check": time.perf_counter() - parsed}
    seconds["total"], seconds["cpu"] = seconds["parse"] + seconds["check"], time.process_time() - cpu
    keys = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraintComponent)
    verdicts = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus, path, value, shape, component = (results.value(result, key) for key in keys)
        verdicts.append((node(focus), compact(str(path)) if isinstance(path, URIRef) else "",
                         constraint(_rule_id(shape, str(component))), None if value is None else _short(value)))
print(json.dumps({"seconds": seconds, "added_mb": peak_mb() - before, "verdicts": sorted(set(verdicts), key=repr)}))
"""


def broken_catalogue(services: int, folder: Path) -> Path:
    """`services` services as N-Triples, every tenth broken in one of four ways."""
    graph = to_graph(large_catalogue(services))
    nodes = sorted(graph.subjects(RDF.type, URIRef(CPSV + "PublicService")), key=str)
    channel = next(graph.subjects(RDF.type, URIRef(CV + "Channel")))
    for index, service in enumerate(nodes[::10]):
        kind = index % 4
        if kind == 0:
            graph.set((service, URIRef(DCT + "title"), Literal("no language")))
        elif kind == 1:
            graph.remove((service, URIRef(CV + "hasCompetentAuthority"), None))
        elif kind == 2:
            graph.add((service, URIRef(CV + "hasCompetentAuthority"), channel))
        else:
            graph.add((service, URIRef(DCT + "identifier"), Literal(f"second-{index}")))
    path = folder / f"catalogue-{services}.nt"
    path.write_text(serialize(graph, "nt"), encoding="utf-8")
    return path


def run(side: str, data: Path) -> dict:
    shapes = SHARED / "cpsv-ap-SHACL.ttl"
    result = subprocess.run([sys.executable, "-c", CHILD, side, str(data), str(shapes)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def median_run(side: str, data: Path, runs: int = 3) -> dict:
    """The run of `runs` with the median processor time: one run of a second or two on a
    shared machine varies by a third with the other work."""
    results = sorted((run(side, data) for _ in range(runs)), key=lambda result: result["seconds"]["cpu"])
    return results[len(results) // 2]


def same_verdicts(ours: list[list], theirs: list[list]) -> bool:
    """Whether our findings (node, path, constraint, message) are pyshacl's results (node,
    path, constraint, value): the same triples of the first three as often, each value named
    in the message of a finding with those."""
    if sorted(tuple(found[:3]) for found in ours) != sorted(tuple(result[:3]) for result in theirs):
        return False
    messages: dict[tuple, list[str]] = {}
    for node, path, constraint, message in ours:
        messages.setdefault((node, path, constraint), []).append(message)
    return all(value is None or any(f"(value {value})" in message for message in messages[(node, path, constraint)])
               for node, path, constraint, value in theirs)


def extrapolated(measured: dict[int, dict[str, float]], size: int) -> dict[str, float]:
    """pyshacl's times at `size`, linear through the two largest sizes measured."""
    (a, at_a), (b, at_b) = sorted(measured.items())[-2:]
    return {key: at_a[key] + (at_b[key] - at_a[key]) * (size - a) / (b - a) for key in ("parse", "check", "total", "cpu")}


def main(sizes: list[int], pyshacl_all: bool) -> None:
    print("ours: validate_file(profile='cpsv-ap'), file to report, median of 3 runs; pyshacl: rdflib parse + pyshacl validate "
          "(official shapes);\ns = seconds (cpu: processor time, what a busy machine's other work does not lengthen), "
          "MB = added peak memory")
    print(f"{'services':>9} {'file MB':>8} {'ours s':>7} {'cpu s':>6} {'MB':>5} | {'pyshacl parse s':>15} {'check s':>8} "
          f"{'total s':>8} {'cpu s':>7} {'MB':>5} | {'ratio':>6} {'cpu ratio':>9}  verdicts")
    measured: dict[int, dict[str, float]] = {}
    extrapolating = False
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            data = broken_catalogue(size, Path(folder))
            ours = median_run("ours", data)
            if pyshacl_all or len(measured) < 2:
                theirs = run("pyshacl", data)
                seconds = measured[size] = theirs["seconds"]
                marker, memory = " ", f"{theirs['added_mb']:5.0f}"
                same = "equal" if same_verdicts(ours["verdicts"], theirs["verdicts"]) else "DIFFERENT"
            else:
                seconds, extrapolating = extrapolated(measured, size), True
                marker, memory, same = "*", f"{'—':>5}", "(pyshacl extrapolated)"
            total, cpu = ours["seconds"]["total"], ours["seconds"]["cpu"]
            print(f"{size:9,} {data.stat().st_size / 2**20:8.0f} {total:7.2f} {cpu:6.2f} {ours['added_mb']:5.0f} | "
                  f"{seconds['parse']:14.1f}{marker} {seconds['check']:7.1f}{marker} {seconds['total']:7.1f}{marker} "
                  f"{seconds['cpu']:6.1f}{marker} {memory} | {seconds['total'] / total:5.1f}x {seconds['cpu'] / cpu:8.1f}x  "
                  f"{len(ours['verdicts']):,} {same}", flush=True)
            data.unlink()
    if extrapolating:
        print("* pyshacl not run at this size: its times extrapolated linearly from the two smaller sizes")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main([int(a) for a in arguments] or [1_000, 5_000, 20_000], "--pyshacl-all" in sys.argv)
