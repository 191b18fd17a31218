"""How long judging and reporting indicator values takes at the scale of a large institution
network, against reading the same table with the csv module alone (the floor).

    python benchmarks/indicators_bench.py [services] [months]

Default: 1,000 services × 10 indicators × 36 months = 360,000 measured values in one CSV,
10,000 charts. Each service adopts ten standard passports (`pps_sdk.indicators.templates`),
measured monthly; values are drawn with a fixed seed so that some are critical. Prints, for
each stage, the time, the peak memory (resident set) so far and the time as a ratio to the
floor, and the processor time (this process's and its workers'; on a busy machine it says
more than the clock); the report's own parts (charts, page, tables, Data Cube) each with
their time, and the charts' time per chart.
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
import pps_sdk.indicators.report as report
from pps_sdk.indicators import evaluate, integrity_problems, read_measurements, templates, write_report
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


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds() -> float:
    """Processor time of this process and of its finished workers: on a busy machine it says
    more than the time on the clock."""
    return sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def line(label: str, took: float, cpu: float, floor: float | None = None, note: str = "") -> None:
    ratio = f"  {took / floor:7.1f}× the floor" if floor else ""
    print(f"{label:<40} {took:8.2f} s  cpu {cpu:7.2f} s   peak {peak_mb():6.0f} MB{ratio}{note}", flush=True)


def timed(label: str, work, floor: float | None = None):  # type: ignore[no-untyped-def]
    start, cpu = time.perf_counter(), cpu_seconds()
    result = work()
    took = time.perf_counter() - start
    line(label, took, cpu_seconds() - cpu, floor)
    return result, took


class Parts:
    """The time write_report spends in each of its parts, measured by wrapping the functions
    the report module calls (the report is written once, as `pps indicators report` writes it)."""

    NAMES = {"draw_charts": "charts", "html_report": "report.html", "write_evaluated": "evaluated.csv and .xlsx",
             "write_cube": "indicator-values.ttl"}

    def __init__(self) -> None:
        self.took = dict.fromkeys(self.NAMES, 0.0)
        self.cpu = dict.fromkeys(self.NAMES, 0.0)
        self.charts = 0
        for name in self.NAMES:
            setattr(report, name, self._wrapped(name, getattr(report, name)))

    def _wrapped(self, name: str, function):  # type: ignore[no-untyped-def]
        def timed_part(*args, **kwargs):  # type: ignore[no-untyped-def]
            if name == "draw_charts":
                self.charts += len(args[0])
            start, cpu = time.perf_counter(), cpu_seconds()
            try:
                return function(*args, **kwargs)
            finally:
                self.took[name] += time.perf_counter() - start
                self.cpu[name] += cpu_seconds() - cpu
        return timed_part

    def show(self, floor: float) -> None:
        for name, label in self.NAMES.items():
            note = ""
            if name == "draw_charts" and self.charts:
                workers = peak_mb(resource.RUSAGE_CHILDREN)
                note = (f"; {self.charts:,} charts, {self.took[name] / self.charts * 1000:.1f} ms each "
                        f"(cpu {self.cpu[name] / self.charts * 1000:.1f} ms)" + (f"; largest worker {workers:.0f} MB" if workers else ""))
            line(f"  {label}", self.took[name], self.cpu[name], floor, note)


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
    parts = Parts()
    written, report_time = timed("write_report (PNG charts, tables, cube)", lambda: write_report(cat, result, folder / "report"), floor)
    parts.show(floor)
    problems, check_time = timed("Data Cube integrity constraints", lambda: integrity_problems(folder / "report" / "indicator-values.ttl"), floor)
    assert problems == [], problems[:5]
    total = read_time + judge_time + report_time
    print(f"{'read + evaluate + report':<40} {total:8.2f} s  {'':>29}{total / floor:7.1f}× the floor; "
          f"{len(written):,} files in {folder / 'report'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 36)
