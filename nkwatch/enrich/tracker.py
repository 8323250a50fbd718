"""The figure tracker: figures grouped into measures, followed over time, disagreements flagged.

Reads stored figures (with their article's date, outlet and link) and the watch profile's measure
definitions, and returns, per measure, every reported value in date order with its source,
attribution and hedge. A figure joins the measure whose unit fits and whose counted terms match
what the figure counts (or appear beside it), helped by the measure's cue words in the sentence.
Two reports of one measure disagree when they were published within ``window_days`` of each
other and their values, widened by what their approximations allow, do not overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from nkwatch.enrich.profile import Measure, Profile

#: Figure units each measure unit accepts (a bare count has no unit).
_UNIT_FAMILIES: dict[str, frozenset[str | None]] = {
    "people": frozenset({None, "people"}),
    "shells": frozenset({None, "shells", "rounds"}),
    "count": frozenset({None}),
    "percent": frozenset({"%"}),
    "%": frozenset({"%"}),
    "USD": frozenset({"USD"}),
}
#: How far an approximation lets a value move when deciding whether two reports disagree.
_APPROX_SLACK = {
    "about": 0.1,
    "around": 0.1,
    "roughly": 0.1,
    "approximately": 0.1,
    "some": 0.1,
    "an estimated": 0.15,
    "estimated": 0.15,
    "nearly": 0.1,
    "almost": 0.1,
}
_LOWER_BOUND = ("more than", "over", "at least", "upwards of", "in excess of", "dozens of")
_UPPER_BOUND = ("up to", "fewer than", "less than", "under", "as many as", "no more than")
_MIN_SCORE = 2.0
_WORD = re.compile(r"[a-z][a-z'-]+")


@dataclass(frozen=True, slots=True)
class Report:
    """One reported value of a measure, with where it came from."""

    article_id: int
    published: datetime | None
    outlet: str | None
    url: str | None
    value: float
    value_max: float | None
    unit: str | None
    approx: str | None
    period: str | None
    attribution: str | None
    hedge: str | None
    sentence: str

    def bounds(self) -> tuple[float, float]:
        """The interval of values this report allows."""
        low, high = self.value, self.value_max if self.value_max is not None else self.value
        approx = (self.approx or "").lower()
        if any(approx.startswith(p) for p in _LOWER_BOUND):
            return low, float("inf")
        if any(approx.startswith(p) for p in _UPPER_BOUND):
            return 0.0, high
        slack = _APPROX_SLACK.get(approx, 0.0)
        return low * (1 - slack), high * (1 + slack)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Two reports of one measure, close in time, whose values cannot both be right."""

    first: Report
    second: Report


@dataclass(slots=True)
class MeasureSeries:
    """A measure's reports in date order and the disagreements among them."""

    measure: Measure
    reports: list[Report] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _words(text: str | None) -> set[str]:
    return {_stem(w) for w in _WORD.findall((text or "").lower())}


def _unit_fits(measure: Measure, unit: str | None) -> bool:
    family = _UNIT_FAMILIES.get(measure.unit)
    if family is not None:
        return unit in family
    if measure.unit.startswith("KPW"):
        return unit in ("KPW", "KRW")  # market prices quoted in "won"
    return unit == measure.unit


def measure_score(measure: Measure, figure: dict[str, Any]) -> float:
    """How well a figure fits a measure (0 when its unit cannot fit)."""
    if not _unit_fits(measure, figure.get("unit")):
        return 0.0
    counted = _words(figure.get("counted"))
    sentence = figure.get("sentence", "")
    sentence_words = _words(sentence)
    score = 0.0
    for term in measure.counted:
        term_words = _words(term)
        if term_words and term_words <= counted:
            score = max(score, 2.0)
        elif term_words and term_words <= sentence_words:
            score = max(score, 1.0)
    cues = sum(1 for cue in measure.cues if cue.lower() in sentence.lower())
    if not score or (measure.cues and not cues):
        return 0.0  # a count of soldiers at a border post is not a count of troops in Russia
    return score + min(1.5, 0.5 * cues)


def assign_measure(profile: Profile, figure: dict[str, Any]) -> Measure | None:
    """The profile measure a figure reports, if any fits well enough."""
    best, best_score = None, 0.0
    for measure in profile.measures:
        score = measure_score(measure, figure)
        if score > best_score:
            best, best_score = measure, score
    return best if best_score >= _MIN_SCORE else None


def lead_reports(reports: Sequence[Report]) -> list[Report]:
    """Each article's first report of a measure: its headline claim (later ones are details)."""
    seen: set[int] = set()
    lead = []
    for report in reports:
        if report.article_id not in seen:
            seen.add(report.article_id)
            lead.append(report)
    return lead


def disagreements(reports: Sequence[Report], *, window_days: float) -> list[Disagreement]:
    """Pairs of headline claims from different outlets, within ``window_days`` of each other,
    for the same period, whose value intervals do not overlap."""
    found = []
    window = timedelta(days=window_days)
    lead = lead_reports(reports)
    for index, first in enumerate(lead):
        for second in lead[index + 1 :]:
            if first.outlet == second.outlet or (first.period or "") != (second.period or ""):
                continue
            if first.published and second.published and second.published - first.published > window:
                continue
            low_a, high_a = first.bounds()
            low_b, high_b = second.bounds()
            if high_a < low_b or high_b < low_a:
                found.append(Disagreement(first, second))
    return found


def report_of(figure: dict[str, Any], article: dict[str, Any]) -> Report:
    """A stored figure and its article's ``id``, ``published``, ``outlet`` and ``url``."""
    return Report(
        article_id=article["id"],
        published=article.get("published"),
        outlet=article.get("outlet"),
        url=article.get("url"),
        value=float(figure["value"]),
        value_max=figure.get("value_max"),
        unit=figure.get("unit"),
        approx=figure.get("approx"),
        period=figure.get("period"),
        attribution=figure.get("attribution"),
        hedge=figure.get("hedge"),
        sentence=figure.get("sentence", ""),
    )


def track(
    profile: Profile,
    figures: Iterable[tuple[dict[str, Any], dict[str, Any]]],
    *,
    window_days: float = 45.0,
) -> list[MeasureSeries]:
    """Group ``(figure, article)`` pairs into the profile's measures, in date order."""
    series = {m.id: MeasureSeries(m) for m in profile.measures}
    for figure, article in figures:
        measure = assign_measure(profile, figure)
        if measure is None:
            continue
        series[measure.id].reports.append(report_of(figure, article))
    result = []
    for item in series.values():
        item.reports.sort(
            key=lambda r: (r.published is None, r.published or datetime.min, r.article_id)
        )
        item.disagreements = disagreements(item.reports, window_days=window_days)
        if item.reports:
            result.append(item)
    return result
