"""Charts for the digest: story volume per theme and tracked figures over time, as inline SVG.

Pure functions from the digest's data to SVG text. The output is deterministic (points sorted,
coordinates and numbers formatted with fixed precision), every label is escaped, and each chart
is an accessible image: ``role="img"`` with a ``<title>`` and a ``<desc>`` that states the data in
words. Sizes are set by ``viewBox`` so a page can scale the chart to its column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from nkwatch.enrich.claims import is_vague, readable_number, vague_scale
from nkwatch.publish.digest import MeasureChart, Point

#: ``digest.volume``: ``((theme, label, ((day, count), ...)), ...)``.
Volume = Sequence[tuple[str, str, Sequence[tuple[str, int]]]]

_WIDTH = 640
_FONT = 'font-family="system-ui, -apple-system, &quot;Segoe UI&quot;, sans-serif"'
_INK = "#1a1a1a"
_MUTED = "#4a4a4a"
_GRID = "#c8c8c8"
_ACCENT = "#0b4f8a"
_MAX_LABEL = 26
_SLUG = re.compile(r"[^a-z0-9]+")


def _coord(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def number(value: float) -> str:
    """A value as a reader sees it: thousands separators, at most two decimals, large round
    values in words ("1.5 billion")."""
    return readable_number(value)


def _compact(value: float) -> str:
    """An axis tick: ``12,500``, ``1.5M``, ``2B``."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            return number(round(value / size, 2)) + suffix
    return number(round(value, 2))


def with_unit(value: float, value_max: float | None, unit: str) -> str:
    """``11,000–12,000 people``, ``45%``: a value or range with its unit."""
    text = number(value)
    if value_max is not None and value_max != value:
        text += f"–{number(value_max)}"
    if unit in ("%", "percent"):
        return text + "%"
    return f"{text} {unit}" if unit else text


def point_value(point: Point, unit: str) -> str:
    """A charted claim's value as its source wrote it: "more than 6,000 people", "millions"."""
    approx = point.approx or ""
    scale = vague_scale(approx, point.value) if point.value_max is None else None
    if scale or is_vague(approx):
        phrase = scale or approx.lower().removesuffix(" of")
        return f"{phrase} ({unit})" if unit and unit not in ("%", "percent") else phrase
    text = with_unit(point.value, point.value_max, unit)
    return f"{approx} {text}" if approx else text


def period_text(point: Point) -> str:
    """The period a claim is about, when its sentence states one ("2026-06-01 to 2026-08-31")."""
    if point.period_start is None or point.period_end is None:
        return ""
    if point.period_start == point.period_end:
        return point.period_start.isoformat()
    return f"{point.period_start.isoformat()} to {point.period_end.isoformat()}"


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def _day(value: datetime) -> str:
    return _utc(value).date().isoformat()


def _short(label: str) -> str:
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1].rstrip() + "…"


def slug(name: str) -> str:
    """A stable, HTML-safe element id from a measure or theme id."""
    return _SLUG.sub("-", name.lower()).strip("-") or "chart"


def _open(element_id: str, height: float, title: str, desc: str) -> list[str]:
    chart = escape(element_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_WIDTH} '
        f'{_coord(height)}" width="{_WIDTH}" height="{_coord(height)}" role="img" '
        f'aria-labelledby="{chart}-title {chart}-desc" focusable="false" {_FONT} '
        f'font-size="12" fill="{_INK}">',
        f'<title id="{chart}-title">{escape(title)}</title>',
        f'<desc id="{chart}-desc">{escape(desc)}</desc>',
    ]


def _articles(count: int) -> str:
    return f"{count} article{'' if count == 1 else 's'}"


def _volume_desc(volume: Volume) -> str:
    parts = []
    for _theme, label, days in volume:
        total = sum(count for _day_, count in days)
        if total == 0:
            parts.append(f"{label}: no articles.")
            continue
        peak_day, peak = max(days, key=lambda item: (item[1], item[0]))
        parts.append(f"{label}: {_articles(total)}, most on {peak_day} ({peak}).")
    return " ".join(parts) or "No articles in this window."


def volume_chart(volume: Volume, *, element_id: str = "volume-chart") -> str:
    """Small multiples: one row of daily bars per theme, on a shared scale, with its total.

    ``element_id`` prefixes the ids of the ``<title>`` and ``<desc>``; unique in the page.
    """
    days = sorted({day for _theme, _label, counts in volume for day, _count in counts})
    peak = max((count for _t, _l, counts in volume for _d, count in counts), default=0) or 1
    label_w, total_w, row_h, top, axis_h = 190.0, 56.0, 30.0, 22.0, 26.0
    plot_x0, plot_x1 = label_w, _WIDTH - total_w
    slot = (plot_x1 - plot_x0) / max(len(days), 1)
    bar_w = max(slot * 0.8, 1.0)
    height = top + row_h * len(volume) + axis_h
    first, last = (days[0], days[-1]) if days else ("", "")
    title = f"Articles per theme per day, {first} to {last}" if days else "Articles per theme"
    out = _open(element_id, height, title, _volume_desc(volume))
    out.append(
        f'<text x="{_coord(_WIDTH - 4)}" y="14" text-anchor="end" fill="{_MUTED}" '
        'class="muted">total</text>'
    )
    for row, (_theme, label, counts) in enumerate(volume):
        base = top + row_h * (row + 1) - 6
        by_day = dict(counts)
        total = sum(by_day.values())
        out.append(f'<g class="row"><title>{escape(label)}: {_articles(total)}</title>')
        out.append(
            f'<text x="{_coord(label_w - 8)}" y="{_coord(base - 4)}" '
            f'text-anchor="end">{escape(_short(label))}</text>'
        )
        out.append(
            f'<line x1="{_coord(plot_x0)}" y1="{_coord(base)}" x2="{_coord(plot_x1)}" '
            f'y2="{_coord(base)}" stroke="{_GRID}" class="grid"/>'
        )
        for index, day in enumerate(days):
            count = by_day.get(day, 0)
            if count <= 0:
                continue
            bar_h = max(count / peak * (row_h - 10), 1.5)
            x = plot_x0 + slot * index + (slot - bar_w) / 2
            out.append(
                f'<rect x="{_coord(x)}" y="{_coord(base - bar_h)}" width="{_coord(bar_w)}" '
                f'height="{_coord(bar_h)}" fill="{_ACCENT}" class="bar">'
                f"<title>{escape(label)}, {day}: {_articles(count)}</title></rect>"
            )
        out.append(
            f'<text x="{_coord(_WIDTH - 4)}" y="{_coord(base - 4)}" '
            f'text-anchor="end">{number(total)}</text>'
        )
        out.append("</g>")
    if days:
        axis_y = top + row_h * len(volume) + 14
        out.append(
            f'<text x="{_coord(plot_x0)}" y="{_coord(axis_y)}" fill="{_MUTED}" '
            f'class="muted">{first}</text>'
        )
        if last != first:
            out.append(
                f'<text x="{_coord(plot_x1)}" y="{_coord(axis_y)}" text-anchor="end" '
                f'fill="{_MUTED}" class="muted">{last}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def _nice_step(span: float) -> float:
    if span <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(span))
    for factor in (1, 2, 2.5, 5, 10):
        if span <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def about(point: Point) -> datetime:
    """When a claim is about: the middle of its stated period, else its article's date."""
    if point.period_start is None or point.period_end is None:
        return point.published
    middle = point.period_start + (point.period_end - point.period_start) / 2
    return datetime(middle.year, middle.month, middle.day, tzinfo=UTC)


def _plottable(point: Point) -> bool:
    values = (point.value, point.value if point.value_max is None else point.value_max)
    return all(math.isfinite(v) and abs(v) < 1e15 for v in values)


def sorted_points(chart: MeasureChart) -> list[Point]:
    """A chart's points in the order of the time they are about (ties by value, then outlet)."""
    return sorted(
        (p for p in chart.points if _plottable(p)),
        key=lambda p: (
            _utc(about(p)).timestamp(),
            p.value,
            p.value if p.value_max is None else p.value_max,
            p.outlet or "",
        ),
    )


def _point_text(point: Point, unit: str) -> str:
    period = period_text(point)
    when = f"{period}, reported {_day(point.published)}" if period else _day(point.published)
    return f"{when}: {point_value(point, unit)}" + (f" ({point.outlet})" if point.outlet else "")


def _measure_desc(chart: MeasureChart, points: list[Point]) -> str:
    low = min(points, key=lambda p: p.value)
    high = max(points, key=lambda p: p.value_max if p.value_max is not None else p.value)
    return (
        f"{len(points)} reported values from {_day(about(points[0]))} to "
        f"{_day(about(points[-1]))}. Lowest {_point_text(low, chart.unit)}; highest "
        f"{_point_text(high, chart.unit)}; latest {_point_text(points[-1], chart.unit)}."
    )


def measure_chart(chart: MeasureChart, *, element_id: str | None = None) -> str:
    """A tracked figure over time: a point per report, a bar over a reported range, value axis.

    Points are not joined by a line: they are separate reports, often from different sources,
    not one series.

    ``element_id`` prefixes the ids of the ``<title>`` and ``<desc>`` (default: from the measure).
    """
    prefix = element_id or f"measure-{slug(chart.measure)}"
    points = sorted_points(chart)
    height = 260.0
    left, right, top, bottom = 76.0, 20.0, 28.0, 34.0
    title = f"{chart.label}: reported values over time" + (f" ({chart.unit})" if chart.unit else "")
    if not points:
        out = _open(prefix, 60.0, title, "No reported values.")
        out += ['<text x="8" y="34">No reported values.</text>', "</svg>"]
        return "\n".join(out)
    out = _open(prefix, height, title, _measure_desc(chart, points))
    highs = [p.value_max if p.value_max is not None else p.value for p in points]
    low = min(0.0, *(p.value for p in points))
    high = max(highs)
    step = _nice_step((high - low) / 4)
    axis_low = math.floor(low / step) * step
    axis_high = max(math.ceil(high / step) * step, axis_low + step)
    t0, t1 = _utc(about(points[0])).timestamp(), _utc(about(points[-1])).timestamp()
    plot_w, plot_h = _WIDTH - left - right, height - top - bottom

    def x_of(moment: datetime) -> float:
        # Inset so that the first and last points do not sit on the value axis or the edge.
        if t1 == t0:
            return left + plot_w / 2
        return left + 12 + (_utc(moment).timestamp() - t0) / (t1 - t0) * (plot_w - 24)

    def x_at(point: Point) -> float:
        return x_of(about(point))

    def y_at(value: float) -> float:
        return top + plot_h - (value - axis_low) / (axis_high - axis_low) * plot_h

    if chart.unit:
        out.append(f'<text x="8" y="14" fill="{_MUTED}" class="muted">{escape(chart.unit)}</text>')
    ticks = round((axis_high - axis_low) / step)
    for index in range(ticks + 1):
        value = axis_low + index * step
        y = y_at(value)
        out.append(
            f'<line x1="{_coord(left)}" y1="{_coord(y)}" x2="{_coord(_WIDTH - right)}" '
            f'y2="{_coord(y)}" stroke="{_GRID}" class="grid"/>'
        )
        out.append(
            f'<text x="{_coord(left - 6)}" y="{_coord(y + 4)}" text-anchor="end" '
            f'fill="{_MUTED}" class="muted">{_compact(value)}</text>'
        )
    axis_y = height - 12
    first, last = _day(about(points[0])), _day(about(points[-1]))
    if first == last:
        out.append(
            f'<text x="{_coord(left + plot_w / 2)}" y="{_coord(axis_y)}" text-anchor="middle" '
            f'fill="{_MUTED}" class="muted">{first}</text>'
        )
    else:
        out.append(
            f'<text x="{_coord(left)}" y="{_coord(axis_y)}" fill="{_MUTED}" '
            f'class="muted">{first}</text>'
        )
        out.append(
            f'<text x="{_coord(_WIDTH - right)}" y="{_coord(axis_y)}" text-anchor="end" '
            f'fill="{_MUTED}" class="muted">{last}</text>'
        )
    for point in points:
        x, y = x_at(point), y_at(point.value)
        out.append(f'<g class="point"><title>{escape(_point_text(point, chart.unit))}</title>')
        if point.value_max is not None and point.value_max != point.value:
            y_max = y_at(point.value_max)
            out.append(
                f'<path d="M{_coord(x)} {_coord(y)}V{_coord(y_max)}M{_coord(x - 4)} '
                f'{_coord(y_max)}H{_coord(x + 4)}" stroke="{_ACCENT}" stroke-width="2" '
                'fill="none" class="range"/>'
            )
        if point.period_start is not None and point.period_end is not None:
            # The period the claim is about, drawn as a span at its value.
            start = datetime(*point.period_start.timetuple()[:3], tzinfo=UTC)
            end = datetime(*point.period_end.timetuple()[:3], tzinfo=UTC)
            x_start, x_end = max(left, x_of(start)), min(_WIDTH - right, x_of(end))
            if x_end > x_start:
                out.append(
                    f'<path d="M{_coord(x_start)} {_coord(y)}H{_coord(x_end)}" '
                    f'stroke="{_ACCENT}" stroke-width="2" fill="none" class="period"/>'
                )
        out.append(
            f'<circle cx="{_coord(x)}" cy="{_coord(y)}" r="4" fill="{_ACCENT}" class="dot"/>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
