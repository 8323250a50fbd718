"""The figure tracker: measure assignment, headline claims, disagreements."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from nkwatch.enrich.profile import load_profile
from nkwatch.enrich.tracker import Report, assign_measure, disagreements, track

PROFILE = load_profile()


def figure(value: float, counted: str | None, sentence: str, **kw: Any) -> dict[str, Any]:
    return {"value": value, "counted": counted, "sentence": sentence, "unit": None, **kw}


def article(article_id: int, day: int, outlet: str) -> dict[str, Any]:
    return {
        "id": article_id,
        "published": datetime(2026, 11, day, tzinfo=UTC),
        "outlet": outlet,
        "url": f"https://{outlet.lower()}.example/{article_id}",
    }


def test_measures_need_unit_counted_and_context() -> None:
    troops = figure(11000, "troops", "About 11,000 troops are in Russia's Kursk region.")
    assert assign_measure(PROFILE, troops).id == "north-korean-troops-in-russia"  # type: ignore[union-attr]
    border = figure(300, "soldiers", "Some 300 soldiers were seen at a border post near Kaesong.")
    assert assign_measure(PROFILE, border) is None
    fee = figure(50, "fee", "Brokers take a fee of 50% on remittances.", unit="%")
    assert assign_measure(PROFILE, fee).id == "remittance-fee"  # type: ignore[union-attr]
    wrong_unit = figure(50, "fee", "Brokers take a fee of $50 on remittances.", unit="USD")
    assert assign_measure(PROFILE, wrong_unit) is None


def test_bounds_follow_approximations() -> None:
    def report(value: float, approx: str | None, value_max: float | None = None) -> Report:
        return Report(1, None, "A", None, value, value_max, None, approx, None, None, None, "")

    assert report(11000, "about").bounds() == pytest.approx((9900.0, 12100.0))
    assert report(6000, "more than").bounds() == (6000.0, float("inf"))
    assert report(12000, "up to").bounds() == (0.0, 12000.0)
    assert report(10000, None, 12000).bounds() == (10000.0, 12000.0)


def test_disagreements_between_outlets_within_the_window() -> None:
    pairs = [
        (
            figure(11000, "troops", "About 11,000 troops are in Kursk, Russia.", approx="about"),
            article(1, 1, "Wire"),
        ),
        (
            figure(
                10500, "troops", "Roughly 10,500 troops are in Kursk, Russia.", approx="roughly"
            ),
            article(2, 2, "Times"),
        ),
        (
            figure(15000, "soldiers", "Some 15,000 soldiers are deployed in Russia."),
            article(3, 3, "Daily"),
        ),
        # The same outlet's second figure is a detail, not its headline claim.
        (
            figure(2, "soldiers", "Two soldiers captured in Kursk asked to go to Seoul."),
            article(3, 3, "Daily"),
        ),
    ]
    (series,) = [
        s for s in track(PROFILE, pairs) if s.measure.id == "north-korean-troops-in-russia"
    ]
    assert [r.value for r in series.reports] == [11000, 10500, 15000, 2]
    flagged = {(d.first.outlet, d.second.outlet) for d in series.disagreements}
    assert flagged == {("Wire", "Daily"), ("Times", "Daily")}


def test_reports_far_apart_in_time_do_not_disagree() -> None:
    early = Report(
        1, datetime(2026, 1, 1, tzinfo=UTC), "A", None, 3000, None, None, None, None, None, None, ""
    )
    late = Report(
        2,
        datetime(2026, 11, 1, tzinfo=UTC),
        "B",
        None,
        12000,
        None,
        None,
        None,
        None,
        None,
        None,
        "",
    )
    assert disagreements([early, late], window_days=45) == []
    assert len(disagreements([early, late], window_days=400)) == 1
