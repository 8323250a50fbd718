"""Digest charts: inline SVG that is well-formed, accessible, escaped and deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from nkwatch.publish.charts import measure_chart, number, slug, volume_chart, with_unit
from nkwatch.publish.digest import MeasureChart, Point

SVG = "{http://www.w3.org/2000/svg}"
VOLUME = (
    (
        "troops-abroad",
        "Troops <b>& workers</b> abroad",
        (("2026-11-18", 4), ("2026-11-19", 0), ("2026-11-20", 2)),
    ),
    (
        "markets",
        "Remittances and markets",
        (("2026-11-18", 1), ("2026-11-19", 0), ("2026-11-20", 0)),
    ),
)
TROOPS = MeasureChart(
    "troops-russia",
    "North Korean troops in Russia",
    "people",
    (
        Point(datetime(2026, 11, 19, tzinfo=UTC), 12000.0, None, "Daily NK"),
        Point(datetime(2026, 10, 2, tzinfo=UTC), 10000.0, 12000.0, "Yonhap <script>"),
        Point(datetime(2026, 11, 18, tzinfo=UTC), 11000.0, None, None),
    ),
)


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def _accessible(root: ET.Element) -> tuple[str, str]:
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == title_id and title.text
    assert desc is not None and desc.get("id") == desc_id and desc.text
    return title.text, desc.text


def _coordinates(svg: str) -> list[str]:
    return re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]+)"', svg)


def test_volume_chart_rows_and_bars() -> None:
    svg = volume_chart(VOLUME)
    root = _parse(svg)
    title, desc = _accessible(root)
    assert title == "Articles per theme per day, 2026-11-18 to 2026-11-20"
    assert desc == (
        "Troops <b>& workers</b> abroad: 6 articles, most on 2026-11-18 (4). "
        "Remittances and markets: 1 article, most on 2026-11-18 (1)."
    )
    rows = root.findall(f"{SVG}g")
    assert len(rows) == 2
    bars = [rect for row in rows for rect in row.iter(f"{SVG}rect")]
    assert [bar.findtext(f"{SVG}title") for bar in bars] == [
        "Troops <b>& workers</b> abroad, 2026-11-18: 4 articles",
        "Troops <b>& workers</b> abroad, 2026-11-20: 2 articles",
        "Remittances and markets, 2026-11-18: 1 article",
    ]
    heights = [float(bar.get("height")) for bar in bars]
    # One scale for every row: half the count, half the bar.
    assert heights[0] == pytest.approx(2 * heights[1]) and heights[1] == pytest.approx(
        2 * heights[2]
    )
    totals = [row.findall(f"{SVG}text")[-1].text for row in rows]
    assert totals == ["6", "1"]
    assert "&lt;b&gt;&amp; workers&lt;/b&gt;" in svg and "<b>" not in svg


def test_volume_chart_shortens_long_labels_but_names_them_in_full() -> None:
    label = "Information control, propaganda and the jamming of foreign broadcasts"
    root = _parse(volume_chart((("info", label, (("2026-11-18", 1),)),)))
    row = root.find(f"{SVG}g")
    assert row.findtext(f"{SVG}title") == f"{label}: 1 article"
    shown = row.findall(f"{SVG}text")[0].text
    assert shown.endswith("…") and len(shown) <= 26 and label.startswith(shown[:-1])


def test_volume_chart_without_articles() -> None:
    title, desc = _accessible(_parse(volume_chart(())))
    assert title == "Articles per theme" and desc == "No articles in this window."
    quiet = _parse(volume_chart((("markets", "Markets", (("2026-11-18", 0),)),)))
    assert quiet.find(f".//{SVG}rect") is None
    assert _accessible(quiet)[1] == "Markets: no articles."


def test_measure_chart_points_ranges_and_tooltips() -> None:
    svg = measure_chart(TROOPS)
    root = _parse(svg)
    title, desc = _accessible(root)
    assert root.get("aria-labelledby") == "measure-troops-russia-title measure-troops-russia-desc"
    assert title == "North Korean troops in Russia: reported values over time (people)"
    assert desc == (
        "3 reported values from 2026-10-02 to 2026-11-19. "
        "Lowest 2026-10-02: 10,000–12,000 people (Yonhap <script>); "
        "highest 2026-10-02: 10,000–12,000 people (Yonhap <script>); "
        "latest 2026-11-19: 12,000 people (Daily NK)."
    )
    points = root.findall(f"{SVG}g")
    assert [p.findtext(f"{SVG}title") for p in points] == [
        "2026-10-02: 10,000–12,000 people (Yonhap <script>)",
        "2026-11-18: 11,000 people",
        "2026-11-19: 12,000 people (Daily NK)",
    ]
    assert [len(p.findall(f"{SVG}circle")) for p in points] == [1, 1, 1]
    assert [len(p.findall(f"{SVG}path")) for p in points] == [1, 0, 0]
    xs = [float(p.find(f"{SVG}circle").get("cx")) for p in points]
    assert xs == sorted(xs) and xs[0] < xs[1] < xs[2]
    ys = [float(p.find(f"{SVG}circle").get("cy")) for p in points]
    assert ys[0] > ys[1] > ys[2]  # larger values are higher up
    ticks = [t.text for t in root.findall(f"{SVG}text")]
    assert ticks[0] == "people" and {"0", "5,000", "10,000", "15,000"} <= set(ticks)
    assert "2026-10-02" in ticks and "2026-11-19" in ticks
    assert "<script>" not in svg


def test_measure_chart_ignores_input_order_and_naive_times() -> None:
    reordered = MeasureChart(
        TROOPS.measure, TROOPS.label, TROOPS.unit, tuple(reversed(TROOPS.points))
    )
    assert measure_chart(reordered) == measure_chart(TROOPS)
    naive = MeasureChart(
        TROOPS.measure,
        TROOPS.label,
        TROOPS.unit,
        tuple(
            Point(p.published.replace(tzinfo=None), p.value, p.value_max, p.outlet)
            for p in TROOPS.points
        ),
    )
    assert measure_chart(naive) == measure_chart(TROOPS)


@pytest.mark.parametrize(
    "points",
    [
        (Point(datetime(2026, 11, 18, tzinfo=UTC), 5.0, None, "A"),) * 2,
        (
            Point(datetime(2026, 11, 18, tzinfo=UTC), -3.5, None, "A"),
            Point(datetime(2026, 11, 19, tzinfo=UTC), 2.0, None, "B"),
        ),
        (
            Point(datetime(2026, 11, 18, tzinfo=UTC), 0.0, None, "A"),
            Point(datetime(2026, 11, 19, tzinfo=UTC), 0.0, None, "B"),
        ),
        (
            Point(datetime(2026, 11, 18, tzinfo=UTC), 1.2e9, None, "A"),
            Point(datetime(2026, 11, 19, tzinfo=UTC), 3.0e9, None, "B"),
        ),
    ],
    ids=["same-moment", "negative", "all-zero", "billions"],
)
def test_measure_chart_edge_cases(points: tuple[Point, ...]) -> None:
    svg = measure_chart(MeasureChart("m", "Measure", "USD", points), element_id="m-1")
    root = _parse(svg)
    _accessible(root)
    assert root.get("aria-labelledby") == "m-1-title m-1-desc"
    for value in _coordinates(svg):
        assert re.fullmatch(r"-?\d+(\.\d)?", value), value
        assert value != "-0.0"
    for circle in root.iter(f"{SVG}circle"):
        assert 0 <= float(circle.get("cy")) <= 260


def test_billions_are_compact_on_the_axis() -> None:
    points = (
        Point(datetime(2026, 11, 18, tzinfo=UTC), 1.2e9, None, "A"),
        Point(datetime(2026, 11, 19, tzinfo=UTC), 3.0e9, None, "B"),
    )
    ticks = {
        t.text
        for t in _parse(measure_chart(MeasureChart("m", "M", "USD", points))).iter(f"{SVG}text")
    }
    assert {"0", "1B", "2B", "3B"} <= ticks


def test_measure_chart_without_points() -> None:
    title, desc = _accessible(_parse(measure_chart(MeasureChart("m", "M", "", ()))))
    assert title == "M: reported values over time" and desc == "No reported values."


def test_charts_are_deterministic() -> None:
    assert volume_chart(VOLUME) == volume_chart(VOLUME)
    assert measure_chart(TROOPS) == measure_chart(TROOPS)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (11000.0, "11,000"),
        (27.5, "27.5"),
        (2 / 3, "0.67"),
        (-3.0, "-3"),
        # large round values in words, others in digits
        (1e12, "1 trillion"),
        (1.5e9, "1.5 billion"),
        (12_000_000.0, "12 million"),
        (1_234_567.0, "1,234,567"),
    ],
)
def test_number(value: float, text: str) -> None:
    assert number(value) == text


def test_with_unit_and_slug() -> None:
    assert with_unit(10000, 12000, "people") == "10,000–12,000 people"
    assert with_unit(45, None, "percent") == "45%"
    assert with_unit(45, 45, "") == "45"
    assert slug("Troops <abroad> & more") == "troops-abroad-more"
    assert slug("<>") == "chart"


def test_measure_chart_plots_the_period_a_claim_is_about() -> None:
    from datetime import date

    from nkwatch.publish.charts import point_value, sorted_points

    summer = Point(
        datetime(2026, 11, 4, tzinfo=UTC),
        10000.0,
        None,
        "Tumen River Times",
        date(2026, 6, 1),
        date(2026, 8, 31),
        "about",
    )
    now = Point(datetime(2026, 11, 4, tzinfo=UTC), 12000.0, None, "Tumen River Times")
    chart = MeasureChart("troops-russia", "North Korean troops in Russia", "people", (now, summer))
    # The summer figure is plotted in the summer, before the newer one, with its span drawn.
    assert sorted_points(chart) == [summer, now]
    svg = measure_chart(chart)
    assert 'class="period"' in svg
    assert "2026-06-01 to 2026-08-31, reported 2026-11-04: about 10,000 people" in svg
    assert point_value(summer, "people") == "about 10,000 people"
    vague = Point(datetime(2026, 11, 4, tzinfo=UTC), 1e6, None, None, approx="millions of")
    assert point_value(vague, "shells") == "millions (shells)"


def test_measure_chart_skips_values_it_cannot_draw() -> None:
    broken = Point(datetime(2026, 11, 4, tzinfo=UTC), float("inf"), None, "X")
    huge = Point(datetime(2026, 11, 5, tzinfo=UTC), 1e300, None, "Y")
    fine = Point(datetime(2026, 11, 6, tzinfo=UTC), 12.0, None, "Z")
    svg = measure_chart(MeasureChart("m", "M", "", (broken, huge, fine)))
    assert "12" in svg and "inf" not in svg
