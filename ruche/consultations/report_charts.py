"""Geometry of the report's SVG charts, computed here so templates only place shapes.

No JavaScript library: the charts are SVG written by the server, each with a caption, and
the same numbers in an HTML table beside it (templates `consultations/report/…`).

Colours are the DSFR's illustrative "sun" shades (contrast ≥ 3:1 on white, WCAG 1.4.11),
and each group also has its own marker shape, so colour is never the only cue (1.4.1).
Templates write the hex value as the SVG `fill` (kept in a saved or printed page) and the
class `ruche-series-N`, which report.css maps to the DSFR variable (dark theme).
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# (hex, DSFR variable, shape name): the same order as the groups in the report.
SERIES = [
    ("#000091", "--artwork-major-blue-france", "circle"),
    ("#a94645", "--artwork-major-pink-tuile", "square"),
    ("#297254", "--artwork-major-green-emeraude", "triangle"),
    ("#6e445a", "--artwork-major-purple-glycine", "diamond"),
    ("#695240", "--artwork-major-yellow-moutarde", "cross"),
]

SHAPE_LABELS = {
    "circle": _("circle"),
    "square": _("square"),
    "triangle": _("triangle"),
    "diamond": _("diamond"),
    "cross": _("cross"),
}


@dataclass(frozen=True)
class Series:
    position: int
    colour: str
    css_class: str
    shape: str

    def marker(self, x: float, y: float, r: float) -> str:
        return marker_path(self.shape, x, y, r)

    @property
    def marker_legend(self) -> str:
        """The marker in a 16 × 16 box, for legends and headings."""
        return marker_path(self.shape, 8, 8, 5)

    @property
    def shape_label(self) -> str:
        """The marker's shape in words (tables and legends: colour is not the only cue)."""
        return str(SHAPE_LABELS[self.shape])


def series(position: int) -> Series:
    colour, _variable, shape = SERIES[position % len(SERIES)]
    return Series(position, colour, f"ruche-series-{position % len(SERIES)}", shape)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def marker_path(shape: str, x: float, y: float, r: float) -> str:
    """An SVG path (absolute moves) for one marker centred on (x, y), about 2r wide."""
    if shape == "circle":
        arc = f"a{_n(r)} {_n(r)} 0 1 0"
        return f"M{_n(x - r)} {_n(y)}{arc} {_n(2 * r)} 0{arc} {_n(-2 * r)} 0Z"
    if shape == "square":
        s = r * 0.9
        return f"M{_n(x - s)} {_n(y - s)}h{_n(2 * s)}v{_n(2 * s)}h{_n(-2 * s)}Z"
    if shape == "triangle":
        h = r * 1.15
        return f"M{_n(x)} {_n(y - h)}L{_n(x + h)} {_n(y + h * 0.8)}L{_n(x - h)} {_n(y + h * 0.8)}Z"
    if shape == "diamond":
        d = r * 1.25
        return f"M{_n(x)} {_n(y - d)}L{_n(x + d)} {_n(y)}L{_n(x)} {_n(y + d)}L{_n(x - d)} {_n(y)}Z"
    # cross: a plus sign drawn as one filled outline
    a, b = r * 1.2, r * 0.4
    return (
        f"M{_n(x - b)} {_n(y - a)}h{_n(2 * b)}v{_n(a - b)}h{_n(a - b)}v{_n(2 * b)}"
        f"h{_n(b - a)}v{_n(a - b)}h{_n(-2 * b)}v{_n(b - a)}h{_n(b - a)}v{_n(-2 * b)}"
        f"h{_n(a - b)}Z"
    )


def _nice_max(value: int) -> int:
    """A round axis maximum ≥ value (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: object
    votes: int


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    plot_right: int
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def per_day_chart(per_day, width: int = 720, height: int = 260) -> BarChart | None:
    """Votes per day as bars; at most ~8 date labels, whatever the number of days."""
    if not per_day:
        return None
    left, right, top, bottom = 56, width - 12, 12, height - 36
    top_value = _nice_max(max(day.votes for day in per_day))
    slot = (right - left) / len(per_day)
    bar_width = max(slot * 0.8, 1.0)
    bars = []
    for i, day in enumerate(per_day):
        h = (bottom - top) * day.votes / top_value
        bars.append(
            Bar(
                x=round(left + i * slot + (slot - bar_width) / 2, 2),
                y=round(bottom - h, 2),
                width=round(bar_width, 2),
                height=round(h, 2),
                day=day.day,
                votes=day.votes,
            )
        )
    y_ticks = [
        Tick(round(bottom - (bottom - top) * i / 4, 2), f"{top_value * i // 4:,}".replace(",", " "))
        for i in range(5)
    ]
    every = max(1, math.ceil(len(per_day) / 8))
    x_ticks = [
        Tick(round(left + i * slot + slot / 2, 2), day.day.strftime("%d/%m"))
        for i, day in enumerate(per_day)
        if i % every == 0
    ]
    return BarChart(width, height, left, bottom, right, bars, y_ticks, x_ticks)


@dataclass(frozen=True)
class MapSeries:
    series: Series
    path: str  # every marker of the group, in one path
    count: int  # points drawn


@dataclass(frozen=True)
class MapChart:
    width: int
    height: int
    series: list[MapSeries]
    axis_x: float  # where x = 0 falls (the map is centred on the average opinion)
    axis_y: float


def opinion_map_chart(opinion_map, n_groups: int, size: int = 480) -> MapChart | None:
    """The opinion map: one path per group, markers shaped and coloured by group."""
    if opinion_map is None or not opinion_map.points:
        return None
    pad = 16
    # Larger marks when there are few, so shapes stay recognisable; smaller in a crowd.
    n = len(opinion_map.points)
    r = 5.0 if n <= 200 else 3.5 if n <= 1000 else 2.5
    xs = [p.x for p in opinion_map.points]
    ys = [p.y for p in opinion_map.points]
    span = max(max(abs(v) for v in xs), max(abs(v) for v in ys), 1e-9)
    scale = (size / 2 - pad) / span

    def place(x, y):
        # SVG's y axis points down: flip so positive values are drawn upwards.
        return size / 2 + x * scale, size / 2 - y * scale

    paths: dict[int, list[str]] = {g: [] for g in range(n_groups)}
    for point in opinion_map.points:
        paths.setdefault(point.group, []).append(
            series(point.group).marker(*place(point.x, point.y), r)
        )
    return MapChart(
        width=size,
        height=size,
        series=[
            MapSeries(
                series=series(group),
                path="".join(parts),
                count=len(parts),
            )
            for group, parts in sorted(paths.items())
        ],
        axis_x=size / 2,
        axis_y=size / 2,
    )
