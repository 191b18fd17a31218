"""One chart per indicator (matplotlib, PNG or SVG): its values over time, the target band,
the critical corridor, each value coloured by its status.

matplotlib draws with its Agg backend only: no window is ever opened, so charts are drawn the
same on a server without a display.

A report may have ten thousand charts, so drawing one must cost little:

- what a chart shows is worked out first, as plain values (`Chart`);
- one figure is made once, with every artist a chart needs; a chart only moves them
  (`set_data`, `set_y`…) instead of clearing the figure and plotting again (`drawing.py`);
- the ticks and their labels are artists of our own rather than matplotlib's axis, which
  lays out and measures every tick label on every draw;
- for PNG, each distinct label is rendered once and stamped after that (`drawing.Stamps`);
  SVG keeps real text (`svg.fonttype: none`);
- PNG is written by Pillow with light compression;
- charts are drawn with matplotlib's defaults, whatever the user's matplotlibrc says;
- many charts are drawn in worker processes, one per core (`draw_charts`).

A chart's pixels depend only on what it shows, never on which process drew it or which
charts came before it, so a report is the same however it was drawn.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..model.enums import TargetKind, ZoneLevel
from ..model.indicator import Indicator
from .evaluation import EvaluatedValue, Status

FORMATS = ("png", "svg")
COLOURS = {Status.GOOD: "#1a7f37", Status.WARNING: "#bf8700", Status.CRITICAL: "#cf222e", Status.NO_TARGET: "#57606a"}
_ZONE = {ZoneLevel.GOOD: COLOURS[Status.GOOD], ZoneLevel.WARNING: COLOURS[Status.WARNING], ZoneLevel.CRITICAL: COLOURS[Status.CRITICAL]}
SIZE = (5.2, 2.4)  # inches
DPI = 80
CHARTS_PER_WORKER = 200  # fewer charts than this per worker are drawn faster in this process
BATCH = 50  # charts a worker draws per task: small enough that an interrupt is answered within a second or so


@dataclass(frozen=True)
class Band:
    """A horizontal band across the chart: part of the target, or the outside of the corridor."""

    bottom: float
    top: float
    colour: str
    alpha: float


@dataclass(frozen=True)
class Rule:
    """A horizontal line across the chart: the target value, or a bound of the corridor."""

    y: float
    colour: str
    width: float
    style: str


@dataclass(frozen=True)
class Chart:
    """What one chart shows, in plain values (cheap to send to a worker process)."""

    title: str
    periods: tuple[str, ...]
    values: tuple[float, ...]
    statuses: tuple[Status, ...]
    low: float
    high: float
    bands: tuple[Band, ...] = ()
    rules: tuple[Rule, ...] = ()


def chart_of(indicator: Indicator, values: Sequence[EvaluatedValue]) -> Chart:
    """The chart of `values` (one series, in period order) of `indicator`."""
    ys = [v.value for v in values]
    low, high = _span(indicator, ys)
    bands, rules = _bands(indicator, low, high)
    return Chart(f"{indicator.name.get()[:70]} ({indicator.unit[:20]})", tuple(v.period.label for v in values),
                 tuple(ys), tuple(v.status for v in values), low, high, tuple(bands), tuple(rules))


def _span(indicator: Indicator, ys: list[float]) -> tuple[float, float]:
    """The value axis: every value, the target's bounds and the corridor's, with a margin."""
    points = list(ys)
    target, corridor = indicator.target, indicator.critical_corridor
    if target is not None:
        points += [x for x in (target.minimum, target.maximum, target.value) if x is not None]
        points += [x for z in target.zones for x in (z.lower, z.upper) if x is not None]
    if corridor is not None:
        points += [x for x in (corridor.lower, corridor.upper) if x is not None]
    low, high = min(points), max(points)
    margin = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
    return low - margin, high + margin


def _bands(indicator: Indicator, low: float, high: float) -> tuple[list[Band], list[Rule]]:
    """The target band shaded (zones in their colours) with its target value dotted; the
    critical corridor's bounds dashed red with the outside of the corridor tinted."""
    bands, rules = [], []
    good, critical = COLOURS[Status.GOOD], COLOURS[Status.CRITICAL]
    target, corridor = indicator.target, indicator.critical_corridor
    if target is not None:
        if target.kind is TargetKind.ZONES:
            bands += [Band(zone.lower if zone.lower is not None else low, zone.upper if zone.upper is not None else high,
                           _ZONE[zone.level], 0.12) for zone in target.zones]
        elif target.kind is TargetKind.SCALE:
            if target.value is not None:
                bands.append(Band(target.value, target.maximum if target.maximum is not None else high, good, 0.12))
        else:
            bottom = target.minimum if target.kind in (TargetKind.MINIMUM, TargetKind.RANGE) else None
            top = target.maximum if target.kind in (TargetKind.MAXIMUM, TargetKind.RANGE) else None
            bands.append(Band(bottom if bottom is not None else low, top if top is not None else high, good, 0.12))
        if target.value is not None:
            rules.append(Rule(target.value, good, 0.8, ":"))
    if corridor is not None:
        if corridor.lower is not None:
            rules.append(Rule(corridor.lower, critical, 0.9, "--"))
            bands.append(Band(low, corridor.lower, critical, 0.06))
        if corridor.upper is not None:
            rules.append(Rule(corridor.upper, critical, 0.9, "--"))
            bands.append(Band(corridor.upper, high, critical, 0.06))
    return bands, rules


# -- many charts ---------------------------------------------------------------------------------

def draw_charts(charts: Sequence[tuple[Chart, Path]], workers: int | None = None) -> None:
    """Draw each chart into its path: in this process, or in `workers` processes (by default
    one per core when there are enough charts to repay starting them).

    Workers are copies of this process (fork), so nothing is imported again and a script
    need not guard its main code; where that is not safe (another thread is running, or on
    macOS and Windows) the charts are drawn in this process. An interrupt (Ctrl-C) or an error
    stops the drawing: charts not begun are cancelled and the workers are waited for, so none
    is left behind and none writes after this returns."""
    if workers is None:
        workers = min(_cores(), len(charts) // CHARTS_PER_WORKER)
    if workers <= 1 or not _can_fork():
        _draw_batch(charts)
        return
    batches = [charts[n:n + BATCH] for n in range(0, len(charts), BATCH)]
    from . import drawing  # noqa: F401  imported once here rather than in every worker

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(os.getpid(),))
    try:
        for _ in pool.map(_draw_batch, batches):
            pass
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _draw_batch(charts: Sequence[tuple[Chart, Path]]) -> None:
    from .drawing import default_style

    with default_style():
        maker = _maker()
        for chart, path in charts:
            maker.draw(chart, path)


_makers: list = []  # type: ignore[type-arg]


def _maker():  # type: ignore[no-untyped-def]
    """This process's chart maker (`drawing.ChartMaker`), made once: a worker draws many batches."""
    if not _makers:
        from .drawing import ChartMaker

        _makers.append(ChartMaker())
    return _makers[0]


def _can_fork() -> bool:
    """Linux, no other thread, and not a daemonic worker itself (which may not start processes)."""
    return sys.platform == "linux" and threading.active_count() == 1 and not multiprocessing.current_process().daemon


def _start_worker(parent: int) -> None:
    # The objects copied from the parent are left out of garbage collection: collecting would
    # touch, and so copy, every page of them.
    gc.freeze()
    # Ctrl-C reaches every process of the terminal's group; the parent handles it for all.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A parent killed outright (SIGKILL) cannot stop its workers: they stop themselves."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
