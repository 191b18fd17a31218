"""RDF at scale: writing and reading a large catalogue in every syntax, on both engines.

    python benchmarks/rdf_bench.py [sizes...] [--rdflib-max N]

For each size (default 1,000, 5,000 and 20,000 services) and each syntax (Turtle, N-Triples,
JSON-LD, RDF/XML): the time and peak memory of writing the catalogue to a file and of reading
the file back into models, with the `oxigraph` engine (the default) and the `rdflib` one, and
rdflib's parser alone on the same file (the floor the rdflib engine builds on). Each figure
is measured in a fresh process: wall-clock seconds, CPU seconds of that process (what the
code costs, whatever else the machine is running), and peak resident memory (a write includes
the catalogue it writes). The rdflib engine takes minutes per syntax at 20,000 services: it
runs up to `--rdflib-max` services (default 5,000); beyond, its times are extrapolated in
proportion to the services from the largest size measured, marked `~`, without memory.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

SYNTAXES = ("ttl", "nt", "jsonld", "rdfxml")
RDFLIB_NAMES = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def _write(services: int, syntax: str, engine: str, path: str) -> float:
    from pps_sdk.examples import large_catalogue
    from pps_sdk.formats import paused_gc
    from pps_sdk.formats.rdf import write_document

    catalogue = large_catalogue(services)
    start, cpu = time.perf_counter(), time.process_time()
    with paused_gc(), open(path, "w", encoding="utf-8") as out:
        write_document(catalogue, syntax, out, engine=engine)
    return time.perf_counter() - start, time.process_time() - cpu


def _read(services: int, syntax: str, engine: str, path: str) -> float:
    from pps_sdk.formats import paused_gc
    from pps_sdk.formats.rdf import read_document

    raw = Path(path).read_bytes()
    start, cpu = time.perf_counter(), time.process_time()
    with paused_gc():
        result = read_document(raw, syntax, engine=engine)
    seconds = time.perf_counter() - start, time.process_time() - cpu
    assert len(result.model.services) == services
    return seconds


def _rdflib_parse(services: int, syntax: str, engine: str, path: str) -> float:
    from rdflib import Graph

    from pps_sdk.formats import paused_gc

    raw = Path(path).read_bytes()
    start, cpu = time.perf_counter(), time.process_time()
    with paused_gc():
        Graph().parse(data=raw, format=RDFLIB_NAMES[syntax])
    return time.perf_counter() - start, time.process_time() - cpu


def _child(task, args, results) -> None:  # type: ignore[no-untyped-def]
    seconds, cpu = task(*args)
    results.put((seconds, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


Figure = tuple[float, float, float | None]  # wall seconds, CPU seconds, peak MB (None: extrapolated)


def measured(task, *args) -> Figure:  # type: ignore[no-untyped-def]
    """(seconds, CPU seconds, peak MB) of `task(*args)` in a fresh process."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_child, args=(task, args, results))
    process.start()
    figure = results.get()
    process.join()
    return figure


def main(sizes: list[int], rdflib_max: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="rdf-bench-"))
    print(f"{'services':>8} {'syntax':6} {'MB':>4}  {'write ox':>21} {'write rdflib':>21} {'ratio':>6}   "
          f"{'read ox':>21} {'read rdflib':>21} {'ratio':>6}   {'rdflib parse':>21} {'ox/parse':>8}")
    rdflib_figures: dict[str, tuple[int, Figure, Figure, Figure]] = {}  # syntax → the largest size measured
    for services in sizes:
        for syntax in SYNTAXES:
            path = str(folder / f"catalogue-{services}.{syntax}")
            write_ox = measured(_write, services, syntax, "oxigraph", path)
            size = Path(path).stat().st_size / 1e6
            read_ox = measured(_read, services, syntax, "oxigraph", path)
            if services <= rdflib_max:
                write_rd = measured(_write, services, syntax, "rdflib", path + ".rdflib")
                read_rd = measured(_read, services, syntax, "rdflib", path)
                parse_rd = measured(_rdflib_parse, services, syntax, "", path)
                rdflib_figures[syntax] = (services, write_rd, read_rd, parse_rd)
            elif syntax in rdflib_figures:
                measured_at, *figures = rdflib_figures[syntax]
                write_rd, read_rd, parse_rd = (_scaled(figure, services / measured_at) for figure in figures)
            else:
                write_rd = read_rd = parse_rd = None
            print(f"{services:8,} {syntax:6} {size:4.0f}  {_figure(write_ox)} {_figure(write_rd)} {_ratio(write_rd, write_ox)}   "
                  f"{_figure(read_ox)} {_figure(read_rd)} {_ratio(read_rd, read_ox)}   "
                  f"{_figure(parse_rd)} {_ratio(read_ox, parse_rd, inverse=True)}", flush=True)
            Path(path).unlink()
            Path(path + ".rdflib").unlink(missing_ok=True)
    print("figures: wall seconds, CPU seconds (c) and peak MB of a fresh process; ratio: rdflib engine time ÷ oxigraph "
          "engine time; ox/parse: oxigraph read (parse and models) ÷ rdflib's parse alone")
    if any(services > rdflib_max for services in sizes):
        print(f"~: rdflib figures above {rdflib_max:,} services are not measured but extrapolated in proportion to the "
              "services from the largest size measured")


def _scaled(figure: Figure, factor: float) -> Figure:
    return figure[0] * factor, figure[1] * factor, None


def _figure(figure: Figure | None) -> str:
    if not figure:
        return f"{'-':>21}"
    if figure[2] is None:
        return f"~{figure[0]:5.0f}s {figure[1]:5.0f}c {'':>6}"
    return f"{figure[0]:6.1f}s {figure[1]:5.1f}c {figure[2]:4.0f}MB"


def _ratio(slow: Figure | None, fast: Figure | None, inverse: bool = False) -> str:
    if not slow or not fast:
        return f"{'-':>6}" if not inverse else f"{'-':>8}"
    return f"{slow[0] / fast[0]:5.1f}x" if not inverse else f"{slow[0] / fast[0]:7.2f}x"


if __name__ == "__main__":
    arguments = sys.argv[1:]
    limit = 5_000
    if "--rdflib-max" in arguments:
        at = arguments.index("--rdflib-max")
        limit = int(arguments[at + 1])
        del arguments[at:at + 2]
    main([int(a) for a in arguments] or [1_000, 5_000, 20_000], limit)
