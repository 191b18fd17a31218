"""Drawing a chart (`charts.Chart`) with matplotlib, fast (see `charts` for why and how).

Imported only when charts are drawn: importing matplotlib takes about a second.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure  # a figure without pyplot is bound to no GUI backend
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN, TICKLEFT
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import IdentityTransform, ScaledTranslation
from PIL import Image

from .charts import COLOURS, DPI, SIZE, Chart

MAX_X_LABELS = 8
Y_TICKS = 5
TICK = 3.5  # points: the length of a tick mark, and the gap between it and its label
LABEL_SIZE = 7
MAX_STAMPS = 2000  # labels kept as bitmaps: about 10 MB at most (a title, the largest, is 20 kB)


class ChartMaker:
    """Draws charts on one figure whose artists are made once: a chart only moves them."""

    def __init__(self) -> None:
        self.figure = Figure(figsize=SIZE, dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = axes = self.figure.add_axes((0.11, 0.2, 0.86, 0.68))
        # matplotlib's axis lays out and measures every tick label on every draw; the ticks and
        # their labels are this class's own artists instead.
        axes.xaxis.set_visible(False)
        axes.yaxis.set_visible(False)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        self.stamps = Stamps()
        self.title = self.figure.add_artist(StampedText(self.stamps, 0.02, 0.93, "", fontsize=8, transform=self.figure.transFigure))
        self.across = axes.get_yaxis_transform()  # x from the axes (0 to 1), y from the data
        self.along = axes.get_xaxis_transform()  # x from the data, y from the axes
        self.bands: list[Rectangle] = []
        self.rules: list[Line2D] = []
        self.line = axes.add_line(Line2D([], [], color="#24292f", linewidth=1.2, zorder=3))
        # One line of dots per status: four sets of markers cost less to draw than a scatter.
        self.dots = {status: axes.add_line(Line2D([], [], linestyle="none", marker="o", markersize=math.sqrt(18),
                                                  markerfacecolor=colour, markeredgecolor="white", markeredgewidth=0.5, zorder=4))
                     for status, colour in COLOURS.items()}
        self.y_marks = axes.add_line(Line2D([], [], transform=self.across, linestyle="none", marker=TICKLEFT, markersize=TICK,
                                            markeredgewidth=0.8, color="black", clip_on=False))
        self.x_marks = axes.add_line(Line2D([], [], transform=self.along, linestyle="none", marker=TICKDOWN, markersize=TICK,
                                            markeredgewidth=0.8, color="black", clip_on=False))
        inches = self.figure.dpi_scale_trans
        self.y_label_place = self.across + ScaledTranslation(-2 * TICK / 72, 0, inches)
        self.x_label_place = self.along + ScaledTranslation(0, -2 * TICK / 72, inches)
        self.y_labels: list[StampedText] = []
        self.x_labels: list[StampedText] = []

    def draw(self, chart: Chart, path: Path) -> Path:
        """Draw `chart` into `path` (.png or .svg)."""
        xs = range(len(chart.values))
        for patch, band in zip(_use(self.bands, len(chart.bands), self._band), chart.bands):
            patch.set_y(band.bottom)
            patch.set_height(band.top - band.bottom)
            patch.set_facecolor(band.colour)
            patch.set_alpha(band.alpha)
        for line, rule in zip(_use(self.rules, len(chart.rules), self._rule), chart.rules):
            line.set_ydata([rule.y, rule.y])
            line.set_color(rule.colour)
            line.set_linewidth(rule.width)
            line.set_linestyle(rule.style)
        self.line.set_data(xs, chart.values)
        for status, dots in self.dots.items():
            dots.set_data([x for x in xs if chart.statuses[x] is status], [y for y, s in zip(chart.values, chart.statuses) if s is status])
        self.axes.set_ylim(chart.low, chart.high)
        self.axes.set_xlim(-0.5, max(len(xs) - 0.5, 0.5))
        ticks = y_ticks(chart.low, chart.high)
        self.y_marks.set_data([0] * len(ticks), [y for y, _ in ticks])
        for text, (y, label) in zip(_use(self.y_labels, len(ticks), self._y_label), ticks):
            text.set_y(y)
            text.set_text(label)
        shown = xs[::max(1, math.ceil(len(xs) / MAX_X_LABELS))]
        self.x_marks.set_data(shown, [0] * len(shown))
        for text, x in zip(_use(self.x_labels, len(shown), self._x_label), shown):
            text.set_x(x)
            text.set_text(chart.periods[x])
        self.title.set_text(chart.title)
        if path.suffix == ".png":
            self.canvas.draw()
            Image.fromarray(np.asarray(self.canvas.buffer_rgba())[:, :, :3]).save(path, format="PNG", compress_level=1)
        else:  # text stays text; a fixed salt gives the same element ids every time
            with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "pps-sdk-chart"}):
                self.figure.savefig(path, format="svg", metadata={"Date": None})
        return path

    def _band(self) -> Rectangle:
        return self.axes.add_patch(Rectangle((0, 0), 1, 1, transform=self.across, linewidth=0))

    def _rule(self) -> Line2D:
        return self.axes.add_line(Line2D([0, 1], [0, 0], transform=self.across))

    def _y_label(self) -> StampedText:
        return self.axes.add_artist(StampedText(self.stamps, 0, 0, "", transform=self.y_label_place, fontsize=LABEL_SIZE,
                                                ha="right", va="center", clip_on=False))

    def _x_label(self) -> StampedText:
        return self.axes.add_artist(StampedText(self.stamps, 0, 0, "", transform=self.x_label_place, fontsize=LABEL_SIZE,
                                                ha="center", va="top", clip_on=False))


def _use(pool: list, count: int, make) -> list:  # type: ignore[no-untyped-def, type-arg]
    """The first `count` artists of `pool` (more are made when it has too few); the others hidden."""
    while len(pool) < count:
        pool.append(make())
    for n, artist in enumerate(pool):
        artist.set_visible(n < count)
    return pool[:count]


def y_ticks(low: float, high: float) -> list[tuple[float, str]]:
    """The value axis's ticks and their labels: round numbers, all with the decimals their step needs."""
    ticks = [t for t in MaxNLocator(Y_TICKS).tick_values(low, high) if low <= t <= high]
    if len(ticks) < 2:
        return [(t, f"{t:g}") for t in ticks]
    step = ticks[1] - ticks[0]
    decimals = next((d for d in range(12) if abs(step * 10 ** d - round(step * 10 ** d)) < 1e-6 * step * 10 ** d), 12)
    labels = [f"{t:.{decimals}f}" for t in ticks]
    return [(t, label if float(label) else f"{0:.{decimals}f}") for t, label in zip(ticks, labels)]  # never "-0"


@contextmanager
def default_style() -> Iterator[None]:
    """matplotlib's own defaults while charts are made and drawn: a user's matplotlibrc (a
    transparent figure, other fonts or line widths) changes no chart."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        yield


class Stamps:
    """Each distinct label (text, font, alignment, colour) rendered once, as a bitmap.

    matplotlib 3.11 draws text one glyph at a time in Python, and labels repeat from chart to
    chart (months, round tick values, the names of standard passports). A label is rendered
    with its anchor on a whole pixel of a scratch canvas and stamped with its anchor rounded
    to a whole pixel, so it looks the same wherever, whenever and in whichever process it is
    drawn."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, int, float], tuple[np.ndarray, int, int] | None] = {}
        self.styles: dict[tuple, int] = {}  # type: ignore[type-arg]
        self.canvas: FigureCanvasAgg | None = None
        self.text = Text(clip_on=False, parse_math=False)

    def style(self, label: Text) -> int:
        """A number for the label's font, alignment and colour, the same for labels that share them."""
        return self.styles.setdefault((label.get_fontproperties(), label.get_ha(), label.get_va(), to_rgba(label.get_color())),
                                      len(self.styles))

    def get(self, label: StampedText, dpi: float) -> tuple[np.ndarray, int, int] | None:
        """The label's bitmap (rows bottom first) and its offset from the anchor, or None when
        it does not fit on the scratch canvas (it is then drawn as text)."""
        key = (label.get_text(), label.style, dpi)
        if key not in self.found:
            if len(self.found) >= MAX_STAMPS:
                self.found.clear()
            self.found[key] = self._render(label, dpi)
        return self.found[key]

    def _render(self, label: Text, dpi: float) -> tuple[np.ndarray, int, int] | None:
        if self.canvas is None or self.canvas.figure.dpi != dpi:
            figure = Figure(figsize=(2 * SIZE[0], 2 * SIZE[1]), dpi=dpi)  # twice the chart: any label of it fits
            figure.patch.set_alpha(0)
            figure.add_artist(self.text)
            self.canvas = FigureCanvasAgg(figure)
        renderer = self.canvas.get_renderer()
        width, height = int(renderer.width), int(renderer.height)
        anchor = (width // 2, height // 2)
        self.text.update_from(label)  # the font, colour and alignment; and the transform, undone below
        self.text.set_transform(IdentityTransform())
        self.text.set_text(label.get_text())
        self.text.set_position(anchor)
        renderer.clear()
        self.text.draw(renderer)
        box = self.text.get_window_extent(renderer)
        margin = 2  # antialiasing, and glyphs that reach past their box
        left, bottom = math.floor(box.x0) - margin, math.floor(box.y0) - margin
        right, top = math.ceil(box.x1) + margin, math.ceil(box.y1) + margin
        if left < 0 or bottom < 0 or right > width or top > height:
            return None
        pixels = np.asarray(renderer.buffer_rgba())[height - top:height - bottom, left:right]
        return pixels[::-1].copy(), left - anchor[0], bottom - anchor[1]


class StampedText(Text):
    """A label the Agg renderer stamps from `Stamps`; any other renderer (SVG) draws it as text.
    Its font, alignment and colour are those it is made with; only its text and place change."""

    def __init__(self, stamps: Stamps, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, parse_math=False, **kwargs)  # "$5 … $10" is drawn as written
        self.stamps = stamps
        self.style = stamps.style(self)

    def draw(self, renderer) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(renderer, RendererAgg) or not self.get_visible() or not self.get_text():
            return super().draw(renderer)
        stamp = self.stamps.get(self, renderer.dpi)
        if stamp is None:
            return super().draw(renderer)
        pixels, dx, dy = stamp
        x, y = self.get_transform().transform(self.get_position())
        gc = renderer.new_gc()
        renderer.draw_image(gc, round(x) + dx, round(y) + dy, pixels)
        gc.restore()
        self.stale = False
