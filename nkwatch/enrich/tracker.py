"""The figure tracker: claims grouped into measures, followed over time, disputes and revisions.

Reads stored figures (with their article's date, outlet and link) and the watch profile's measure
definitions, and returns, per measure, every claim in date order with its claimant, the period
it is about, its hedge and its sentence. A figure joins the measure whose unit fits, whose
counted terms name what the figure counts (or, when the figure names nothing, appear beside it
with the measure's cues), and none of whose exclusions appear in the figure's clause: two
prisoners of war are not troops deployed.

Two claims are a **disagreement** only when they are about the same measure and overlapping
periods, come from different claimants in different outlets, are neither a part of a whole nor
a possibility ("could reach"), and their values are incompatible once stated ranges,
approximations ("about", "more than"), estimates ("estimated", "believed"), vague plurals and
rounding are allowed for. Each article is represented by its headline claim and by the first
claim of every source it names, not by its first figure alone. For a cumulative measure (a
death toll) a larger count on a later day is an update, not a dispute. Differing values from
one claimant, or in one article, are a **revision**: a timeline, never a dispute; one outlet is
never set against itself. For a flow (a sum over a period: arrivals, money stolen), claims
about times that do not overlap count different things and revise nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from nkwatch.enrich.claims import claimant_text, is_vague, vague_scale, written_value
from nkwatch.enrich.profile import Measure, Profile
from nkwatch.record import outlet_key

#: Figure units each measure unit accepts (a bare count has no unit).
_UNIT_FAMILIES: dict[str, frozenset[str | None]] = {
    "people": frozenset({None, "people"}),
    "shells": frozenset({None, "shells", "rounds"}),
    "missiles": frozenset({None}),
    "count": frozenset({None}),
    "percent": frozenset({"%"}),
    "%": frozenset({"%"}),
    "USD": frozenset({"USD"}),
}
#: Measures that count things: what a figure counts must be one of the measure's nouns.
_COUNT_UNITS = frozenset({"people", "shells", "missiles", "count"})
#: What a price's own head may be besides the thing priced: the price or rate itself ("the
#: price of rice"), or the currency it is paid in ("the won fell past 28,000 to the dollar").
_PRICE_HEADS = frozenset(
    {"price", "prices", "cost", "costs", "rate", "rates", "value", "won", "yuan", "currency"}
)
#: How far an approximation lets a value move when deciding whether two claims disagree.
_APPROX_SLACK = 0.1
_APPROXIMATE = (
    "about",
    "around",
    "roughly",
    "approximately",
    "approx.",
    "some",
    "nearly",
    "almost",
    "close to",
    "an estimated",
    "estimated",
    "or so",
    "약",
    "여",
    "가량",
)
_LOWER_BOUND = (
    "more than",
    "over",
    "above",
    "past",
    "at least",
    "upwards of",
    "in excess of",
    "no fewer than",
    "no less than",
    "not less than",
    "well over",
    "just over",
    "as few as",
    "as low as",
    "as little as",
    "or more",
    "plus",
    "최소",
    "이상",
    "넘게",
    "넘는",
)
_UPPER_BOUND = (
    "up to",
    "fewer than",
    "less than",
    "under",
    "below",
    "no more than",
    "not more than",
    "at most",
    "as many as",
    "as much as",
    "as high as",
    "well under",
    "just under",
    "or fewer",
    "or less",
    "최대",
)
#: Rounding a bare value allows: half its last significant place, at most this share of it.
_MAX_ROUNDING = 0.05
_MIN_SCORE = 2.0
#: Period phrases that are a rate ("per month", "annually"), not a time the claim is about.
_RATE = re.compile(
    r"^(?:per|a|an|each|every)\s|^(?:monthly|annually|yearly|daily|weekly|overnight)$|year[\s-]on",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z][a-z'-]+|[가-힣]+")
#: Period phrases of a running total ("since 2023", "so far this year", "to date").
#: A total up to now: "since 2023", "so far", "to date", and a total over the span that ends
#: now ("killed 20,000 people in the past seven years").
_RUNNING = re.compile(
    r"^since\b|\bso\s+far\b|\bto\s+date\b|^until\s+now\b"
    r"|^(?:in|over|during|for|within)\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years|months|decades)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Report:
    """One claim of a measure, with where it came from and the period it is about."""

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
    counted: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    part: str | None = None
    part_of: float | None = None

    @property
    def claimant(self) -> str:
        """Who makes the claim: its attribution, else the outlet itself."""
        return self.attribution or self.outlet or "unknown source"

    @property
    def written(self) -> str:
        """The value as a reader should see it ("more than 6,000", "millions")."""
        return written_value(self.value, self.value_max, self.unit, self.approx)

    def bounds(self) -> tuple[float, float]:
        """The interval of values this claim allows, rounding and qualifiers included."""
        low, high = self.value, self.value_max if self.value_max is not None else self.value
        approx = (self.approx or "").lower()
        if vague_scale(approx, self.value) is not None and self.value_max is None:
            # "several hundred": from the scale up to ten of it ("at least several hundred":
            # no upper bound)
            lower_bound = any(approx.startswith(p + " ") for p in _LOWER_BOUND)
            return low, math.inf if lower_bound else low * 10.0
        if is_vague(approx):
            last = approx.removesuffix(" of").split()[-1]
            return low, low * (1000.0 if last in {"millions", "billions", "trillions"} else 10.0)
        if any(approx == p or approx.startswith(p + " ") for p in _LOWER_BOUND):
            return low, math.inf
        if any(approx == p or approx.startswith(p + " ") for p in _UPPER_BOUND):
            return 0.0, high
        if approx in _APPROXIMATE or (
            not approx and (self.hedge or "").lower() in _ESTIMATE_HEDGES
        ):
            return low * (1 - _APPROX_SLACK), high * (1 + _APPROX_SLACK)
        return low - _rounding(low), high + _rounding(high)

    def about(self) -> tuple[date | None, date | None]:
        """The stated period a chart plots: a running total ("since 2023") at its end date."""
        if self.period_start is None or self.period_end is None:
            return None, None
        if self.running_total:
            return self.period_end, self.period_end
        return self.period_start, self.period_end

    @property
    def running_total(self) -> bool:
        """A total up to now ("more than 6,000 since late 2024", "$1 billion so far this
        year"), not a count for one time."""
        return bool(_RUNNING.search(self.period or ""))

    def span(self, window_days: float) -> tuple[date, date] | None:
        """The dates the claim is about: its stated period, else its article's date.

        ``None`` when the sentence names a time that cannot be placed ("that year"): such a
        claim is compared with nothing.
        """
        half = timedelta(days=window_days / 2)
        if self.period and self.period_start is None and not _RATE.search(self.period):
            return None
        if self.period_start is not None and self.period_end is not None:
            if self.running_total:
                # "more than 6,000 since late 2024" is a running total as of its end date.
                return self.period_end - half, self.period_end + half
            return self.period_start, self.period_end
        if self.published is None:
            return None
        day = self.published.date()
        return day - half, day + half


def _rounding(value: float) -> float:
    """Half the last significant place of a written value ("12,000" allows 11,500-12,500)."""
    if value <= 0 or value != math.floor(value):
        return 0.0
    digits = str(int(value))
    zeros = len(digits) - len(digits.rstrip("0"))
    return min(0.5 * 10**zeros, _MAX_ROUNDING * value) if zeros else 0.5


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Two claims of one measure about overlapping periods whose values cannot both be right."""

    first: Report
    second: Report
    measure: str = ""

    def describe(self) -> str:
        """One line naming both claimants, both dates and both sentences."""
        return (
            f"Sources differ on {self.measure or 'this figure'}: "
            f"{_side(self.first)} vs {_side(self.second)}."
        )


@dataclass(frozen=True, slots=True)
class Revision:
    """One claimant's (or one outlet's) earlier and later values of a measure."""

    earlier: Report
    later: Report


@dataclass(slots=True)
class MeasureSeries:
    """A measure's claims in date order, with the disagreements and revisions among them."""

    measure: Measure
    reports: list[Report] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)

    def timeline(self) -> dict[str, list[Report]]:
        """The claims by claimant, each claimant's in date order."""
        by_claimant: dict[str, list[Report]] = {}
        for report in self.reports:
            by_claimant.setdefault(report.claimant, []).append(report)
        return by_claimant

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view: claims, the timeline by claimant, revisions and disagreements.

        Revisions and disagreements refer to claims by their index in ``claims``.
        """
        index = {id(report): number for number, report in enumerate(self.reports)}
        return {
            "measure": self.measure.id,
            "label": self.measure.label,
            "unit": self.measure.unit,
            "claims": [_claim_dict(report) for report in self.reports],
            "timeline": {
                claimant: [index[id(r)] for r in reports]
                for claimant, reports in self.timeline().items()
            },
            "revisions": [
                {"earlier": index[id(r.earlier)], "later": index[id(r.later)]}
                for r in self.revisions
            ],
            "disagreements": [
                {
                    "first": index[id(d.first)],
                    "second": index[id(d.second)],
                    "text": d.describe(),
                }
                for d in self.disagreements
            ],
        }


def _claim_dict(report: Report) -> dict[str, Any]:
    return {
        "article_id": report.article_id,
        "published": report.published.isoformat() if report.published else None,
        "outlet": report.outlet,
        "url": report.url,
        "claimant": report.claimant,
        "attribution": report.attribution,
        "value": report.value,
        "value_max": report.value_max,
        "unit": report.unit,
        "approx": report.approx,
        "written": report.written,
        "counted": report.counted,
        "period": report.period,
        "period_start": report.period_start.isoformat() if report.period_start else None,
        "period_end": report.period_end.isoformat() if report.period_end else None,
        "part": report.part,
        "part_of": report.part_of,
        "hedge": report.hedge,
        "sentence": report.sentence,
    }


def _side(report: Report) -> str:
    when = report.published.date().isoformat() if report.published else "date unknown"
    about = f", about {report.period}" if report.period else ""
    outlet = report.outlet or "unknown outlet"
    who = (
        f"{claimant_text(report.attribution)} ({outlet}, {when}{about})"
        if report.attribution
        else f"{outlet} ({when}{about})"
    )
    return f"{report.written} according to {who}: “{report.sentence}”"


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _words(text: str | None) -> set[str]:
    return {_stem(w) for w in _WORD.findall((text or "").lower())}


@lru_cache(maxsize=8192)
def _term_words(term: str) -> frozenset[str]:
    """The stemmed words of a text, read once however many measures or figures ask (a profile
    term; a sentence that states several figures)."""
    return frozenset(_words(term))


@lru_cache(maxsize=4096)
def _term_head(term: str) -> str | None:
    return _head(term)


def _head(text: str | None) -> str | None:
    words = _WORD.findall((text or "").lower())
    return _stem(words[-1]) if words else None


def _is_state(head: str | None) -> bool:
    """A participle or state standing for an elided noun ("59 are dead", "15,000 have been
    deployed"): it says what happened to those counted, not what kind they are."""
    return bool(head) and (
        str(head).endswith("ed") or head in {"dead", "missing", "hurt", "injur", "wound"}
    )


@dataclass(frozen=True, slots=True)
class FigureFeatures:
    """What measure matching reads of one figure, computed once and shared by every measure."""

    unit: str | None
    counted_text: str | None
    counted: frozenset[str]
    head: str | None
    clause_lower: str
    clause_words: frozenset[str]
    sentence_words: frozenset[str]

    @classmethod
    def of(cls, figure: dict[str, Any]) -> FigureFeatures:
        counted_text = figure.get("counted")
        sentence = figure.get("sentence", "")
        clause = figure.get("clause") or sentence
        return cls(
            unit=figure.get("unit"),
            counted_text=counted_text,
            counted=_term_words(counted_text or ""),
            head=_head(counted_text),
            clause_lower=clause.lower(),
            clause_words=_term_words(clause),
            sentence_words=_term_words(sentence),
        )


def _unit_fits(measure: Measure, unit: str | None) -> bool:
    family = _UNIT_FAMILIES.get(measure.unit)
    if family is not None:
        return unit in family
    if measure.unit.startswith("KPW"):
        return unit in ("KPW", "KRW")  # market prices quoted in "won"
    return unit == measure.unit


def measure_score(
    measure: Measure, figure: dict[str, Any], *, features: FigureFeatures | None = None
) -> float:
    """How well a figure fits a measure (0 when its unit, counted noun or context cannot fit).

    ``features`` are the figure's :class:`FigureFeatures` when the caller already has them (one
    figure scored against every measure reads its words once).
    """
    if not _unit_fits(measure, figure.get("unit")):
        return 0.0
    seen = features or FigureFeatures.of(figure)
    counted = seen.counted
    clause_words = seen.clause_words
    for term in getattr(measure, "exclude", ()):
        if _term_words(term) <= clause_words or _term_words(term) <= counted:
            return 0.0  # "two soldiers held as prisoners of war" are not troops deployed
    head = seen.head
    # What is counted must be what the measure counts ("147 women" are no arrivals), and a
    # price is of the thing priced ("a monthly wage of 40,000 won" is no rice price); a count
    # may name only a state ("59 are dead"), a price only itself or its currency.
    if (
        seen.counted_text
        and not any(_term_head(term) == head for term in measure.counted)
        and (
            (measure.unit in _COUNT_UNITS and not _is_state(head))
            or ("/" in (measure.unit or "") and head not in _PRICE_HEADS)
        )
    ):
        return 0.0
    score = 0.0
    sentence_words = seen.sentence_words
    for term in measure.counted:
        term_words = _term_words(term)
        if term_words and term_words <= counted:
            score = max(score, 2.0)
        elif term_words and term_words <= sentence_words:
            score = max(score, 1.0)
    # The cues must be in the figure's context (its clause, near the number): in "59 were
    # killed, and 527 were injured" the 527 belongs with "injured", not with "killed".
    clause_lower = seen.clause_lower
    cues = sum(1 for cue in measure.cues if cue.lower() in clause_lower)
    if not score or (measure.cues and not cues):
        return 0.0  # a count of soldiers at a border post is not a count of troops in Russia
    return score + min(1.5, 0.5 * cues)


#: The key under which enrichment stores the id of the measure a figure reports (None: none).
MEASURE_KEY = "measure"


@lru_cache(maxsize=8)
def _measures_by_id(measures: tuple[Measure, ...]) -> dict[str, Measure]:
    return {measure.id: measure for measure in measures}


def assign_measure(profile: Profile, figure: dict[str, Any]) -> Measure | None:
    """The profile measure a figure reports, if any fits well enough.

    A figure stored by the enrichment stage carries its measure's id (``MEASURE_KEY``), decided
    when it was enriched with this profile; charts over months of history read it instead of
    scoring every figure against every measure again. An id the profile does not know (a store
    enriched with another profile) is decided afresh.
    """
    if MEASURE_KEY in figure:
        stored = figure[MEASURE_KEY]
        if stored is None:
            return None
        known = _measures_by_id(profile.measures).get(stored)
        if known is not None:
            return known
    return score_measure(profile, figure)


def score_measure(profile: Profile, figure: dict[str, Any]) -> Measure | None:
    """The profile measure whose words, unit and cues fit a figure best, if any fits enough."""
    best, best_score = None, 0.0
    features: FigureFeatures | None = None
    for measure in profile.measures:
        if not _unit_fits(measure, figure.get("unit")):
            continue  # scores 0: no need to read the figure's words for it
        if features is None:
            features = FigureFeatures.of(figure)
        score = measure_score(measure, figure, features=features)
        if score > best_score:
            best, best_score = measure, score
    return best if best_score >= _MIN_SCORE else None


def lead_reports(reports: Sequence[Report]) -> list[Report]:
    """The claims of a measure that stand for their articles when sources are compared.

    Per article: its headline claim, the first precise whole claim (its first vague one, such
    as "dozens", only when it states no precise one), and, for every source the article names
    besides, that source's first precise whole claim. A part of a whole ("147 of the 168"), a
    vague figure before a precise one, or a possibility ("could reach") never stands for the
    article, so none of them hides the claim a rival source disputes. Unattributed later
    claims are the article's details (other places, other events in a list) and stay out.
    """
    headline: dict[int, Report] = {}
    named: dict[tuple[int, str], Report] = {}
    order: list[tuple[int, str]] = []
    for report in reports:
        if report.part is not None or _possibility(report):
            continue
        held = headline.get(report.article_id)
        if held is None or (
            is_vague(held.approx, held.value) and not is_vague(report.approx, report.value)
        ):
            headline[report.article_id] = report
            order.append((report.article_id, ""))
        if report.attribution and not is_vague(report.approx, report.value):
            key = (report.article_id, _normal(report.attribution))
            if key not in named:
                named[key] = report
                order.append(key)
    lead: list[Report] = []
    for article_id, claimant in order:
        report = named[(article_id, claimant)] if claimant else headline[article_id]
        if all(report is not other for other in lead) and not (
            claimant
            and _same_claimant(report, headline[article_id])
            and report is not headline[article_id]
        ):
            lead.append(report)
    return lead


#: Hedges that make a claim a possibility, not a statement of how many there are.
_POSSIBILITY_HEDGES = frozenset({"could", "might", "may", "possibly"})
#: Hedges that make a bare value an estimate, read as loosely as "about".
_ESTIMATE_HEDGES = frozenset(
    {"estimated", "estimates", "estimate", "estimating", "believed", "believes", "believe"}
    | {"reportedly", "likely", "probably", "apparently", "suspected", "thought"}
)


def _possibility(report: Report) -> bool:
    return (report.hedge or "").lower() in _POSSIBILITY_HEDGES


def _same_claimant(first: Report, second: Report) -> bool:
    return _normal(first.claimant) == _normal(second.claimant)


def _normal(name: str) -> str:
    text = re.sub(r"^(?:the|a|an)\s+", "", name.lower().strip())
    return " ".join(text.split())


def compatible(first: Report, second: Report) -> bool:
    """Whether both values can be right once ranges, qualifiers and rounding are allowed for."""
    low_a, high_a = first.bounds()
    low_b, high_b = second.bounds()
    return not (high_a < low_b or high_b < low_a)


def periods_overlap(first: Report, second: Report, *, window_days: float) -> bool:
    """Whether two claims are about overlapping times (undated claims never overlap)."""
    span_a, span_b = first.span(window_days), second.span(window_days)
    if span_a is None or span_b is None:
        return False
    if first.running_total != second.running_total:
        return False  # "21 missiles since February" and "three on Saturday" count different things
    return span_a[0] <= span_b[1] and span_b[0] <= span_a[1]


def _updates(first: Report, second: Report) -> bool:
    """Whether the later of two counts of a running total can be an update of the earlier one:
    it was reported on a later day and is not below it (a death toll that rose overnight). A
    running count stands as of the day it is reported, whatever event day its sentence names."""
    day_a = first.published.date() if first.published else None
    day_b = second.published.date() if second.published else None
    if day_a is None or day_b is None or day_a == day_b:
        return False
    earlier, later = (first, second) if day_a < day_b else (second, first)
    return later.bounds()[1] >= earlier.bounds()[0]


@dataclass(frozen=True, slots=True)
class _Compared:
    """What comparing a claim with others reads of it, computed once per claim, not per pair."""

    report: Report
    claimant: str
    bounds: tuple[float, float]
    span: tuple[date, date] | None
    running_total: bool

    @classmethod
    def of(cls, report: Report, window_days: float) -> _Compared:
        return cls(
            report,
            _normal(report.claimant),
            report.bounds(),
            report.span(window_days),
            report.running_total,
        )


def _bounds_meet(first: tuple[float, float], second: tuple[float, float]) -> bool:
    return not (first[1] < second[0] or second[1] < first[0])


def disagreements(
    reports: Sequence[Report],
    *,
    window_days: float,
    measure: str = "",
    cumulative: bool = False,
) -> list[Disagreement]:
    """Pairs of headline claims that dispute each other (see the module docstring).

    Every claimant's headline claim in an article (:func:`lead_reports`) is compared with every
    other article's, so a disagreement is found wherever in the articles it is stated.
    """
    found = []
    lead = [_Compared.of(report, window_days) for report in lead_reports(reports)]
    for index, first in enumerate(lead):
        for second in lead[index + 1 :]:
            a, b = first.report, second.report
            if (
                a.article_id == b.article_id
                or outlet_key(a.outlet, "") == outlet_key(b.outlet, "")
                or first.claimant == second.claimant
            ):
                continue
            # periods_overlap, on the spans computed once
            if first.span is None or second.span is None:
                continue
            if first.running_total != second.running_total:
                continue
            if not (first.span[0] <= second.span[1] and second.span[0] <= first.span[1]):
                continue
            if cumulative and _updates(a, b):
                continue  # a running count that grew between the two days
            if not _bounds_meet(first.bounds, second.bounds):  # compatible()
                found.append(Disagreement(a, b, measure))
    return found


def revisions(reports: Sequence[Report], *, flow: bool = False) -> list[Revision]:
    """Later values from the same claimant (or article) that differ from its earlier one.

    For a ``flow`` measure (a sum over a period) claims about periods that do not overlap are
    about different things ("$300 million this week", "$1 billion in the first nine months"):
    neither revises the other."""
    found = []
    whole = [_Compared.of(r, 0.0) for r in reports if r.part is None]
    for index, later in enumerate(whole):
        for earlier in reversed(whole[:index]):
            # One claimant's new figure, or one article quoting an older figure beside a newer:
            # two sources of one article revise nothing unless their figures are about
            # different times ("$300 million in this heist" beside "$1 billion this year").
            same_claimant = earlier.claimant == later.claimant
            same_article = earlier.report.article_id == later.report.article_id
            if not (same_claimant or (same_article and _apart(earlier.span, later.span))):
                continue
            # A running total ("15,000 in all since late 2024") and a count for one time
            # ("11,000 there now") are two series: neither revises the other.
            if earlier.running_total != later.running_total:
                continue
            if flow and not earlier.running_total and _apart(earlier.span, later.span):
                continue  # two periods' sums; running totals of a flow do revise each other
            if not _bounds_meet(earlier.bounds, later.bounds):
                found.append(Revision(*_in_time_order(earlier.report, later.report)))
            break
    return found


def _apart(first: tuple[date, date] | None, second: tuple[date, date] | None) -> bool:
    """Whether two claims are about times that do not overlap (both known)."""
    if first is None or second is None:
        return False
    return first[1] < second[0] or second[1] < first[0]


def _in_time_order(first: Report, second: Report) -> tuple[Report, Report]:
    def when(report: Report) -> date:
        if report.period_end is not None:
            return report.period_end
        return report.published.date() if report.published else date.min

    return (first, second) if when(first) <= when(second) else (second, first)


def measured_reports(
    profile: Profile,
    figures: Iterable[dict[str, Any]],
    article: dict[str, Any],
) -> Iterator[tuple[Measure, Report]]:
    """The figures of one article that report a measure of the profile, as reports.

    ``article`` has the ``id``, ``published``, ``outlet`` and ``url`` the reports carry.
    """
    for figure in figures:
        measure = assign_measure(profile, figure)
        if measure is not None:
            yield measure, report_of(figure, article)


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
        counted=figure.get("counted"),
        period_start=_day(figure.get("period_start")),
        period_end=_day(figure.get("period_end")),
        part=figure.get("part"),
        part_of=figure.get("part_of"),
    )


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def track(
    profile: Profile,
    figures: Iterable[tuple[dict[str, Any], dict[str, Any]]],
    *,
    window_days: float = 45.0,
    compare: bool = True,
) -> list[MeasureSeries]:
    """Group ``(figure, article)`` pairs into the profile's measures, in date order.

    With ``compare`` (the default) each series also gets its disagreements and revisions; a
    chart of the claims alone (the digest's) needs neither, and comparing every pair of a
    long history is most of the cost.
    """
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
        if compare:
            item.disagreements = disagreements(
                item.reports,
                window_days=window_days,
                measure=item.measure.label,
                cumulative=item.measure.cumulative,
            )
            item.revisions = revisions(item.reports, flow=item.measure.flow)
        if item.reports:
            result.append(item)
    return result
