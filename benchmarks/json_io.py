"""How fast the SDK reads and writes JSON catalogues, against plain `json` on the same text.

    python benchmarks/json_io.py [number of services]

The catalogue repeats the example services under new identifiers
(`pps_sdk.examples.large_catalogue`). The baseline parses and serialises the same text with the standard library alone, without any
model; the ratio is what validation into models costs on top of that.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc

from pps_sdk import dump, loads
from pps_sdk.examples import large_catalogue


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(services: int) -> None:
    catalogue = large_catalogue(services)
    text = dump(catalogue, "json")
    size = len(text.encode("utf-8"))
    assert loads(text, "json") == catalogue

    baseline_read = best_of(3, lambda: json.loads(text))
    sdk_read = best_of(3, lambda: loads(text, "json"))
    parsed = json.loads(text)
    baseline_write = best_of(3, lambda: json.dumps(parsed, ensure_ascii=False, indent=2))
    sdk_write = best_of(3, lambda: dump(catalogue, "json"))

    tracemalloc.start()
    loads(text, "json")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"catalogue: {services} services, {size / 1e6:.1f} MB of JSON")
    print(f"read   json.loads {baseline_read * 1000:8.1f} ms   pps loads {sdk_read * 1000:8.1f} ms   "
          f"ratio {sdk_read / baseline_read:5.1f}x   {size / sdk_read / 1e6:.1f} MB/s")
    print(f"write  json.dumps {baseline_write * 1000:8.1f} ms   pps dump  {sdk_write * 1000:8.1f} ms   "
          f"ratio {sdk_write / baseline_write:5.1f}x")
    print(f"peak memory while reading: {peak / 1e6:.1f} MB ({peak / size:.1f}x the document)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
