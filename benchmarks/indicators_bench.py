"""How long judging and reporting indicator values takes at the scale of a large institution
network, against reading the same table with the csv module alone (the floor).

    python benchmarks/indicators_bench.py [services] [months]

Default: 1,000 services × 10 indicators × 36 months = 360,000 measured values in one CSV.
Each service adopts ten standard passports (`pps_sdk.indicators.templates`), measured
monthly; values are drawn with a fixed seed so that some are critical. Prints the time and the
peak memory (resident set) after each stage, and each stage's time as a ratio to the floor.
"""

from __future__ import annotations

import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from pps_sdk.examples import example
from pps_sdk.indicators import evaluate, integrity_problems, read_measurements, templates, write_report
from pps_sdk.indicators.report import chart_series
from pps_sdk.model import Catalogue

TEMPLATES = ("applications", "services-provided", "consultations", "total-cost", "cost-per-case", "processing-time",
             "on-time-share", "satisfaction", "waiting-time", "step-time")
RANGES = {"applications": (50, 500), "services-provided": (50, 200), "consultations": (100, 400), "total-cost": (1e3, 9e3),
          "cost-per-case": (5, 40), "processing-time": (5, 33), "on-time-share": (85, 100), "satisfaction": (2, 5),
          "waiting-time": (2, 35), "step-time": (1, 12)}


def catalogue(services: int) -> Catalogue:
    base = example("building-permit").model_dump(mode="json", exclude_none=True)
    library = {t.template: t.fields for t in templates()}
    service = base["services"][0]
    copies = []
    for n in range(services):
        indicators = [{**library[name], "id": f"{name}-{n}", "start": "2024-01-01", "measuring_frequency": "monthly"}
                      for name in TEMPLATES]
        copies.append({**service, "id": f"{service['id']}-{n}", "indicators": indicators})
    base.update(services=copies, measurements=[])
    return Catalogue.model_validate(base)


def write_table(path: Path, services: int, months: int) -> int:
    rng = random.Random(20260101)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["indicator", "period", "value"])
        for n in range(services):
            for name in TEMPLATES:
                low, high = RANGES[name]
                for m in range(months):
                    writer.writerow([f"{name}-{n}", f"{2024 + m // 12}-{m % 12 + 1:02d}", round(rng.uniform(low, high), 2)])
                    rows += 1
    return rows


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, work, floor: float | None = None):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    took = time.perf_counter() - start
    ratio = f"  {took / floor:8.1f}× the floor" if floor else ""
    print(f"{label:<44} {took:8.2f} s   peak {peak_mb():7.0f} MB{ratio}", flush=True)
    return result, took


def main(services: int, months: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="indicators-bench-"))
    table = folder / "values.csv"
    rows = write_table(table, services, months)
    print(f"{services:,} services × {len(TEMPLATES)} indicators × {months} months = {rows:,} values "
          f"({table.stat().st_size / 1e6:.1f} MB of CSV)", flush=True)
    cat, _ = timed("catalogue built and validated", lambda: catalogue(services))
    _, floor = timed("floor: csv.reader over the table", lambda: list(csv.reader(table.open(encoding="utf-8", newline=""))))
    readings, read_time = timed("read_measurements (every row checked)", lambda: read_measurements([table], cat), floor)
    result, judge_time = timed("evaluate (status, alarms, trends)", lambda: evaluate(cat, readings), floor)
    print(f"  {len(result.values):,} values judged, {len(result.alarms):,} alarms", flush=True)
    charts = len(chart_series(result))
    written, report_time = timed(f"write_report ({charts:,} PNG charts, tables, cube)",
                                 lambda: write_report(cat, result, folder / "report"), floor)
    problems, check_time = timed("Data Cube integrity constraints", lambda: integrity_problems(folder / "report" / "indicator-values.ttl"), floor)
    assert problems == [], problems[:5]
    total = read_time + judge_time + report_time
    print(f"{'read + evaluate + report':<44} {total:8.2f} s   {total / floor:8.1f}× the floor; "
          f"{len(written):,} files in {folder / 'report'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 36)
