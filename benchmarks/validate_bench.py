"""The cpsv-ap profile's SHACL check against pyshacl, with the official CPSV-AP 3.2.0 shapes.

    python benchmarks/validate_bench.py [sizes...] [--pyshacl-all]

Default sizes 1,000, 5,000 and 20,000 services. Each catalogue is written as N-Triples with a
break in every tenth service (a title without a language, a missing competent authority, a
wrong class of channel, two identifiers), so both checks have verdicts to find. Each check runs
in a fresh process that parses the file, then checks it: the time is the check's alone, the
memory that process's peak. pyshacl takes minutes at 20,000 services: unless --pyshacl-all is
given, its time there is extrapolated (linear, from the two smaller sizes) and marked as such.
Verdicts (focus node, path, value, shape, constraint) are compared wherever both ran.
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

# Run in a child process: parse the file, run one check, print its time, peak memory and verdicts.
CHILD = r"""
import json, resource, sys, time
from rdflib import Graph
from rdflib.namespace import RDF, SH
from pps_sdk.formats.rdf import parse
from pps_sdk.validation import fast_shacl, validate_file

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

method, data_path, shapes_path = sys.argv[1:4]
shapes = Graph().parse(shapes_path)
fast_shacl.supports(shapes)
start = time.perf_counter()
if method == "profile":  # the whole of `pps validate --profile cpsv-ap`: parse, read, check, report
    before = peak_mb()
    report = validate_file(data_path, profile="cpsv-ap", max_bytes=2**40)  # a 20,000-service file is over 50 MB
    assert not report.unreadable, report.findings
    verdicts = [(f.node, f.path, f.rule) for f in report.findings]
    parse_seconds = 0.0
else:
    data = parse(open(data_path, "rb").read(), "nt")
    parse_seconds = time.perf_counter() - start
    before = peak_mb()
    start = time.perf_counter()
    if method == "fast":
        verdicts = [(v.focus, v.path, v.value, v.shape, v.component) for v in fast_shacl.violations(data, shapes)]
    else:
        from pyshacl import validate
        _, report, _ = validate(data, shacl_graph=shapes, allow_warnings=True)
        keys = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraintComponent)
        verdicts = [tuple(report.value(r, k) for k in keys) for r in report.subjects(RDF.type, SH.ValidationResult)]
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "parse_seconds": parse_seconds, "added_mb": peak_mb() - before,
                  "verdicts": sorted(repr(v) for v in verdicts)}))
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


def check(method: str, data: Path) -> dict:
    shapes = SHARED / "cpsv-ap-SHACL.ttl"
    result = subprocess.run([sys.executable, "-c", CHILD, method, str(data), str(shapes)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(sizes: list[int], pyshacl_all: bool) -> None:
    print("check: the SHACL check alone, on a parsed graph; end to end: parsing the file too (for us, all of\n"
          "`pps validate --profile cpsv-ap`); MB: memory the check adds to the process's peak")
    print(f"{'services':>9} {'check s':>8} {'pyshacl s':>10} {'ratio':>7} {'MB':>5} {'pyshacl MB':>10} "
          f"{'end to end s':>12} {'pyshacl e2e s':>13} {'ratio':>6}  verdicts")
    measured: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            data = broken_catalogue(size, Path(folder))
            fast, whole = check("fast", data), check("profile", data)
            if pyshacl_all or len(measured) < 2:
                slow = check("pyshacl", data)
                seconds, parse_seconds = measured[size] = slow["seconds"], slow["parse_seconds"]
                same = "equal" if slow["verdicts"] == fast["verdicts"] else "DIFFERENT"
                marker, memory = " ", f"{slow['added_mb']:10.0f}"
            else:
                (a, (ta, pa)), (b, (tb, pb)) = sorted(measured.items())[-2:]
                seconds = ta + (tb - ta) * (size - a) / (b - a)
                parse_seconds = fast["parse_seconds"]
                marker, memory, same = "*", f"{'—':>10}", "(pyshacl extrapolated)"
            end_to_end = parse_seconds + seconds
            print(f"{size:9,} {fast['seconds']:8.2f} {seconds:9.1f}{marker} {seconds / fast['seconds']:6.1f}x "
                  f"{fast['added_mb']:5.0f} {memory} {whole['seconds']:12.1f} {end_to_end:12.1f}{marker} "
                  f"{end_to_end / whole['seconds']:5.1f}x  {len(fast['verdicts']):,} {same}", flush=True)
    if not pyshacl_all:
        print("* pyshacl not run at this size: its check time extrapolated linearly from the two smaller sizes")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main([int(a) for a in arguments] or [1_000, 5_000, 20_000], "--pyshacl-all" in sys.argv)
