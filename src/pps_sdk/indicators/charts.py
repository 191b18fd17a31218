"""One chart per indicator (matplotlib, PNG or SVG): its values over time, the target band,
the critical corridor, each value coloured by its status.

matplotlib draws with its Agg backend only: no window is ever opened, so charts are drawn the
same on a server without a display.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from ..model.enums import TargetKind, ZoneLevel
from ..model.indicator import Indicator
from .evaluation import EvaluatedValue, Status

FORMATS = ("png", "svg")
COLOURS = {Status.GOOD: "#1a7f37", Status.WARNING: "#bf8700", Status.CRITICAL: "#cf222e", Status.NO_TARGET: "#57606a"}
_ZONE = {ZoneLevel.GOOD: COLOURS[Status.GOOD], ZoneLevel.WARNING: COLOURS[Status.WARNING], ZoneLevel.CRITICAL: COLOURS[Status.CRITICAL]}
SIZE = (5.2, 2.4)  # inches
DPI = 80


class ChartMaker:
    """Draws charts on one figure, cleared between charts (making a figure costs more than drawing)."""

    def __init__(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure  # a figure without pyplot is bound to no GUI backend
        from matplotlib.ticker import MaxNLocator

        self.figure = Figure(figsize=SIZE, dpi=DPI)
        FigureCanvasAgg(self.figure)
        # One set of axes and one title for every chart: only the drawn data changes.
        self.axes = self.figure.add_axes((0.11, 0.2, 0.86, 0.68))
        self.axes.yaxis.set_major_locator(MaxNLocator(5))
        self.axes.tick_params(labelsize=7)
        for side in ("top", "right"):
            self.axes.spines[side].set_visible(False)
        self.title = self.figure.text(0.02, 0.93, "", fontsize=8)

    def draw(self, indicator: Indicator, values: Sequence[EvaluatedValue], path: Path) -> Path:
        """Draw `values` (one series, in period order) of `indicator` into `path` (.png or .svg)."""
        axes = self.axes
        for artist in [*axes.lines, *axes.collections, *axes.patches]:
            artist.remove()
        xs = list(range(len(values)))
        ys = [v.value for v in values]
        low, high = _span(indicator, ys)
        _bands(axes, indicator, low, high)
        axes.plot(xs, ys, color="#24292f", linewidth=1.2, zorder=3)
        axes.scatter(xs, ys, c=[COLOURS[v.status] for v in values], s=18, zorder=4, edgecolors="white", linewidths=0.5)
        axes.set_ylim(low, high)
        axes.set_xlim(-0.5, max(len(values) - 0.5, 0.5))
        step = max(1, math.ceil(len(values) / 8))
        axes.set_xticks(xs[::step], [v.period.label for v in values][::step])
        self.title.set_text(f"{indicator.name.get()[:70]} ({indicator.unit[:20]})")
        if path.suffix == ".png":  # light compression: the charts are small, and thousands are drawn
            self.figure.savefig(path, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
        else:
            self.figure.savefig(path, format="svg", dpi=DPI, metadata={"Date": None})
        return path


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


def _bands(axes, indicator: Indicator, low: float, high: float) -> None:  # type: ignore[no-untyped-def]
    """The target band shaded (zones in their colours), the critical corridor's bounds dashed
    red with the outside of the corridor tinted."""
    target, corridor = indicator.target, indicator.critical_corridor
    if target is not None:
        if target.kind is TargetKind.ZONES:
            for zone in target.zones:
                axes.axhspan(zone.lower if zone.lower is not None else low, zone.upper if zone.upper is not None else high,
                             color=_ZONE[zone.level], alpha=0.12, linewidth=0)
        elif target.kind is TargetKind.SCALE:
            if target.value is not None:
                axes.axhspan(target.value, target.maximum if target.maximum is not None else high,
                             color=COLOURS[Status.GOOD], alpha=0.12, linewidth=0)
        else:
            bottom = target.minimum if target.kind in (TargetKind.MINIMUM, TargetKind.RANGE) else None
            top = target.maximum if target.kind in (TargetKind.MAXIMUM, TargetKind.RANGE) else None
            axes.axhspan(bottom if bottom is not None else low, top if top is not None else high,
                         color=COLOURS[Status.GOOD], alpha=0.12, linewidth=0)
        if target.value is not None:
            axes.axhline(target.value, color=COLOURS[Status.GOOD], linewidth=0.8, linestyle=":")
    if corridor is not None:
        for bound, outside in ((corridor.lower, (low, corridor.lower)), (corridor.upper, (corridor.upper, high))):
            if bound is not None:
                axes.axhline(bound, color=COLOURS[Status.CRITICAL], linewidth=0.9, linestyle="--")
                axes.axhspan(*outside, color=COLOURS[Status.CRITICAL], alpha=0.06, linewidth=0)
