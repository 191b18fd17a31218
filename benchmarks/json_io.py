"""How fast the SDK reads and writes JSON catalogues, against plain `json` on the same text.

    python benchmarks/json_io.py [number of services]

The catalogue repeats the building-permit example's service under new identifiers. The
baseline parses and serialises the same text with the standard library alone, without any
model; the ratio is what validation into models costs on top of that.
"""

from __future__ import annotations

import copy
import json
import sys
import time
import tracemalloc

from pps_sdk import dump, loads
from pps_sdk.examples import example_text


def big_catalogue_text(services: int) -> str:
    data = json.loads(example_text("building-permit"))
    template = data["services"][0]
    data["services"], data["measurements"] = [], []
    for n in range(services):
        service = copy.deepcopy(template)
        service["id"] = f"{template['id']}-{n}"
        old_ids = [i["id"] for i in service["indicators"]]
        text = json.dumps(service["indicators"])
        for old in old_ids:  # indicator ids are catalogue-wide, formulas refer to them
            text = text.replace(f'"{old}"', f'"{old}-{n}"').replace(f"{{{old}}}", f"{{{old}-{n}}}")
        service["indicators"] = json.loads(text)
        data["services"].append(service)
    return json.dumps(data, ensure_ascii=False, indent=2)


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(services: int) -> None:
    text = big_catalogue_text(services)
    size = len(text.encode("utf-8"))
    catalogue = loads(text, "json")
    assert len(catalogue.services) == services

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
