"""The figure tracker: measure assignment, headline claims, disagreements."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkwatch.enrich.apply import enrich_article
from nkwatch.enrich.claims import claimant_text
from nkwatch.enrich.profile import load_profile
from nkwatch.enrich.tracker import (
    MEASURE_KEY,
    Report,
    _normal,
    assign_measure,
    compatible,
    disagreements,
    lead_reports,
    periods_overlap,
    revisions,
    track,
)
from nkwatch.record import Article

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


def test_a_claimant_reads_in_lower_case_mid_line_unless_it_is_a_name() -> None:
    assert claimant_text("The agency") == "the agency"
    assert claimant_text("A source in Hyesan") == "a source in Hyesan"
    assert claimant_text("Sources") == "sources"
    for name in ("Seoul", "South Korea's spy agency", "NIS", "Reuters", "Kim Yo Jong"):
        assert claimant_text(name) == name
    [flagged] = disagreements(
        [claim(11000, "A", 1, attribution="The agency"), claim(15000, "B", 2)], window_days=45
    )
    assert "according to the agency (A, 2026-10-01)" in flagged.describe()


def test_workers_abroad_are_not_workers_in_russia() -> None:
    abroad = figure(
        1000,
        "IT workers",
        "Officials estimate that several thousand IT workers are active overseas, mostly in "
        "China and Russia.",
        approx="several",
    )
    assert assign_measure(PROFILE, abroad).id == "it-workers-abroad"  # type: ignore[union-attr]
    builders = figure(2000, "workers", "About 2,000 North Korean workers arrived in Khabarovsk.")
    assert assign_measure(PROFILE, builders).id == "workers-in-russia"  # type: ignore[union-attr]


def test_enrichment_stores_each_figures_measure_and_the_tracker_reads_it() -> None:
    text = (
        "South Korea's spy agency said about 11,000 North Korean troops are in Russia's Kursk "
        "region. Some 300 soldiers were seen at a border post near Kaesong."
    )
    stored = enrich_article(Article(text=text, title="Troops", id=1), profile=PROFILE)["figures"]
    assert [f[MEASURE_KEY] for f in stored] == ["north-korean-troops-in-russia", None]
    # The stored decision stands (a chart of months of claims does not score them again) ...
    troops = {**stored[0], MEASURE_KEY: "remittance-fee"}
    assert assign_measure(PROFILE, troops).id == "remittance-fee"  # type: ignore[union-attr]
    assert assign_measure(PROFILE, {**stored[0], MEASURE_KEY: None}) is None
    # ... unless the profile does not know it: then the figure is scored afresh.
    unknown = {**stored[0], MEASURE_KEY: "a-measure-of-another-profile"}
    assert assign_measure(PROFILE, unknown).id == "north-korean-troops-in-russia"  # type: ignore[union-attr]


def test_an_article_with_no_theme_and_no_entity_of_the_profile_reports_none_of_its_measures() -> (
    None
):
    text = (
        "The river port handles barges and rail freight from across the region. Around "
        "2.1 million containers are shipped through its terminals every year, the operator said."
    )
    enriched = enrich_article(Article(text=text, title="A busy port", id=1), profile=PROFILE)
    assert enriched["themes"] == [] and enriched["entities"] == []
    assert [f[MEASURE_KEY] for f in enriched["figures"]] == [None]
    # A short report the themes miss still reports a measure when it names the watched country.
    short = "An intelligence service said North Korea had sent about 99,000 troops to Russia."
    enriched = enrich_article(Article(text=short, title="Estimate", id=2), profile=PROFILE)
    assert [f[MEASURE_KEY] for f in enriched["figures"]] == ["north-korean-troops-in-russia"]


def test_missiles_a_threat_names_were_not_fired() -> None:
    threat = figure(
        4,
        "missiles",
        "North Korea has not carried out its threat to fire four ballistic missiles toward Guam.",
    )
    assert assign_measure(PROFILE, threat) is None
    fired = figure(
        2,
        "missiles",
        "North Korea fired two ballistic missiles on Monday, the Joint Chiefs of Staff said.",
    )
    assert assign_measure(PROFILE, fired).id == "missile-launches"  # type: ignore[union-attr]


def test_a_profile_without_themes_or_entities_assigns_measures_to_any_article() -> None:
    text = "About 2,000 workers arrived in Khabarovsk this year for construction jobs."
    themeless = dataclasses.replace(PROFILE, themes=(), entities=())
    enriched = enrich_article(Article(text=text, title="Workers", id=1), profile=themeless)
    assert [f[MEASURE_KEY] for f in enriched["figures"]] == ["workers-in-russia"]


def test_containers_are_counted_as_containers_not_as_shells() -> None:
    text = (
        "North Korea has sent about 15,000 containers of munitions to Russia since 2023 by ship "
        "and rail, South Korea's military said, and more than 10 million artillery shells."
    )
    enriched = enrich_article(Article(text=text, title="Shells", id=1), profile=PROFILE)
    measures = {f["value"]: f[MEASURE_KEY] for f in enriched["figures"]}
    assert measures[15000] == "munition-containers-to-russia"
    assert measures[10_000_000] == "artillery-shells-to-russia"


def test_bounds_follow_approximations() -> None:
    def report(value: float, approx: str | None, value_max: float | None = None) -> Report:
        return Report(1, None, "A", None, value, value_max, None, approx, None, None, None, "")

    assert report(11000, "about").bounds() == pytest.approx((9900.0, 12100.0))
    assert report(6000, "more than").bounds() == (6000.0, float("inf"))
    assert report(12000, "up to").bounds() == (0.0, 12000.0)
    # A bare written value allows for its rounding: "10,000-12,000" is 9,500-12,500.
    assert report(10000, None, 12000).bounds() == (9500.0, 12500.0)
    assert report(147, None).bounds() == (146.5, 147.5)
    assert report(12, "dozens of").bounds() == (12.0, 120.0)
    # A quantifier before a scale word: "several thousand" is 1,000 up to ten of it.
    assert report(1000, "several").bounds() == (1000.0, 10000.0)
    assert report(100, "at least a few").bounds() == (100.0, float("inf"))


def test_a_quantifier_before_a_scale_word_reads_as_written() -> None:
    def report(value: float, approx: str | None, unit: str | None = None) -> Report:
        return Report(1, None, "A", None, value, None, unit, approx, None, None, None, "")

    assert report(1000, "several").written == "several thousand"
    assert report(100, "a few").written == "a few hundred"
    assert report(12, "a few").written == "a few dozen"
    assert report(1e5, "several").written == "several hundred thousand"
    assert report(100, "at least several").written == "at least several hundred"
    assert report(1000, "several", "USD").written == "several thousand (USD)"
    # "some 300" is a number, not a scale word
    assert report(300, "some").written == "some 300"
    # large round values read in words, others keep their digits
    assert report(1.5e9, "about", "USD").written == "about 1.5 billion USD"
    assert report(1_234_567, None).written == "1,234,567"
    # "several thousand" and "3,000" can both be right: no dispute
    several = claim(1000, "A", 1, approx="several")
    assert disagreements([several, claim(3000, "B", 2)], window_days=45) == []


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
        # Prisoners of war are not troops deployed, whatever noun names them.
        (
            figure(2, "soldiers", "Two soldiers captured in Kursk asked to go to Seoul."),
            article(3, 3, "Daily"),
        ),
    ]
    (series,) = [
        s for s in track(PROFILE, pairs) if s.measure.id == "north-korean-troops-in-russia"
    ]
    assert [r.value for r in series.reports] == [11000, 10500, 15000]
    flagged = {(d.first.outlet, d.second.outlet) for d in series.disagreements}
    assert flagged == {("Wire", "Daily"), ("Times", "Daily")}
    # A chart of the claims alone: the same reports, nothing compared.
    (chart,) = [
        s
        for s in track(PROFILE, pairs, compare=False)
        if s.measure.id == "north-korean-troops-in-russia"
    ]
    assert chart.reports == series.reports
    assert chart.disagreements == [] and chart.revisions == []


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


def claim(value: float, outlet: str, day: int, **kw: Any) -> Report:
    fields: dict[str, Any] = {
        "article_id": day * 100 + len(outlet),
        "published": datetime(2026, 10, day, tzinfo=UTC),
        "outlet": outlet,
        "url": None,
        "value": value,
        "value_max": None,
        "unit": None,
        "approx": None,
        "period": None,
        "attribution": None,
        "hedge": None,
        "sentence": f"{outlet} says {value:,.0f} troops are in Russia.",
    }
    fields.update(kw)
    return Report(**fields)


def test_what_is_counted_must_agree_with_the_measure() -> None:
    women = figure(147, "women", "Of the defectors who arrived in South Korea, 147 were women.")
    assert assign_measure(PROFILE, women) is None
    # A price is of the thing priced: a wage quoted beside rice is no rice price.
    wage = figure(
        40000,
        "official monthly wage",
        "A worker's official monthly wage of 40,000 won buys three kilograms of rice at "
        "market prices.",
        unit="KPW",
    )
    assert assign_measure(PROFILE, wage) is None
    rice = figure(12500, "rice", "Rice sold for 12,500 won per kilogram in the market.", unit="KPW")
    assert assign_measure(PROFILE, rice).id == "rice-price"  # type: ignore[union-attr]
    won = figure(
        28000, "won", "The won fell past 28,000 to the dollar in border markets.", unit="KPW"
    )
    assert assign_measure(PROFILE, won).id == "usd-exchange-rate"  # type: ignore[union-attr]
    arrivals = figure(168, "defectors", "168 defectors arrived in South Korea this year.")
    assert assign_measure(PROFILE, arrivals).id == "defector-arrivals"  # type: ignore[union-attr]
    pows = figure(
        2,
        "soldiers",
        "Two North Korean soldiers held as prisoners of war in Ukraine asked to go to Seoul.",
    )
    assert assign_measure(PROFILE, pows) is None
    laborers = figure(
        12000,
        "laborers",
        "Russia employs approximately 12,000 North Korean laborers on construction sites.",
        approx="approximately",
    )
    assert assign_measure(PROFILE, laborers).id == "workers-in-russia"  # type: ignore[union-attr]


def test_approximations_and_rounding_are_not_disputes() -> None:
    assert (
        disagreements(
            [claim(12000, "A", 1), claim(12000, "B", 2, approx="approximately")], window_days=45
        )
        == []
    )
    assert (
        disagreements([claim(11000, "A", 1), claim(12000, "B", 2, approx="about")], window_days=45)
        == []
    )
    assert (
        disagreements(
            [claim(6000, "A", 1, approx="more than"), claim(9000, "B", 2)], window_days=45
        )
        == []
    )
    assert (
        disagreements(
            [claim(1e6, "A", 1, approx="millions of"), claim(9e6, "B", 2)], window_days=45
        )
        == []
    )
    [flagged] = disagreements(
        [claim(11000, "A", 1), claim(15000, "B", 2)], window_days=45, measure="Troops"
    )
    line = flagged.describe()
    assert "A (2026-10-01)" in line and "B (2026-10-02)" in line
    assert "A says 11,000 troops" in line and "B says 15,000 troops" in line


def test_one_outlet_or_claimant_is_never_set_against_itself() -> None:
    same_outlet = [claim(11000, "A", 1), claim(15000, "A", 2)]
    assert disagreements(same_outlet, window_days=45) == []
    assert len(revisions(same_outlet)) == 1
    nis = {"attribution": "the NIS"}
    same_claimant = [claim(11000, "A", 1, **nis), claim(15000, "B", 2, attribution="NIS")]
    assert disagreements(same_claimant, window_days=45) == []
    assert [(r.earlier.value, r.later.value) for r in revisions(same_claimant)] == [(11000, 15000)]


def test_a_running_total_does_not_revise_a_count_for_one_time() -> None:
    now = claim(11000, "A", 2)
    in_all = claim(
        15000,
        "A",
        2,
        period="since late 2024",
        period_start=date(2024, 9, 1),
        period_end=date(2026, 10, 2),
    )
    assert revisions([now, in_all]) == []
    later = claim(14000, "A", 20)
    assert [(r.earlier.value, r.later.value) for r in revisions([now, in_all, later])] == [
        (11000, 14000)
    ]


def test_two_sources_of_one_article_revise_only_across_times() -> None:
    year = claim(1e9, "A", 2, attribution="the NIS", approx="more than")
    same_article = [year, claim(3e8, "A", 2, attribution="the FBI", article_id=year.article_id)]
    assert revisions(same_article) == []
    summer = claim(
        10000,
        "A",
        2,
        attribution="Kyiv",
        period="in the summer",
        period_start=date(2026, 6, 1),
        period_end=date(2026, 8, 31),
        article_id=year.article_id,
    )
    now = claim(12000, "A", 2, attribution="the GUR", article_id=year.article_id)
    assert [(r.earlier.value, r.later.value) for r in revisions([summer, now])] == [(10000, 12000)]


def _sum(value: float, day: int, who: str, start: date, end: date, **kw: Any) -> Report:
    """A claim of ``who`` about the span from ``start`` to ``end``, published on ``day``."""
    return claim(
        value, "A", day, attribution=who, period="x", period_start=start, period_end=end, **kw
    )


def test_sums_over_other_periods_revise_nothing() -> None:
    # "$300 million this week" (the FBI) beside "$1 billion in the first nine months" (the NIS),
    # and one ministry's arrivals of two different years: sums over periods that do not meet.
    year = _sum(1e9, 24, "the NIS", date(2026, 1, 1), date(2026, 9, 30))
    week = _sum(
        3e8, 24, "the FBI", date(2026, 10, 19), date(2026, 10, 24), article_id=year.article_id
    )
    assert len(revisions([year, week])) == 1  # a level, as troops present, moves over time
    assert revisions([year, week], flow=True) == []
    last_year = _sum(236, 2, "the ministry", date(2025, 1, 1), date(2025, 12, 31))
    this_year = _sum(168, 20, "the ministry", date(2026, 1, 1), date(2026, 9, 30))
    assert revisions([last_year, this_year], flow=True) == []
    # running totals of a flow, a month apart, are one series: the later revises the earlier
    since = {"period": "since 2023", "period_start": date(2023, 1, 1)}
    first = claim(9e6, "A", 1, attribution="the team", period_end=date(2026, 10, 1), **since)
    second = claim(14e6, "B", 30, attribution="the team", period_end=date(2026, 10, 30), **since)
    assert len(revisions([first, second], flow=True)) == 1


def test_parts_and_other_periods_are_not_disputes() -> None:
    part = claim(147, "B", 2, part="of the", part_of=168)
    assert disagreements([claim(168, "A", 1), part], window_days=45) == []
    summer = claim(
        10000,
        "B",
        2,
        period="in the summer",
        period_start=date(2026, 6, 1),
        period_end=date(2026, 8, 31),
    )
    assert disagreements([claim(12000, "A", 1), summer], window_days=45) == []
    autumn = claim(
        10000,
        "B",
        2,
        period="in October",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
    )
    assert len(disagreements([claim(12000, "A", 1), autumn], window_days=45)) == 1


def test_timeline_groups_claims_by_claimant() -> None:
    pairs = [
        (
            figure(
                11000,
                "troops",
                "About 11,000 troops are in Kursk, Russia.",
                approx="about",
                attribution="the NIS",
            ),
            article(1, 1, "Wire"),
        ),
        (
            figure(
                12000, "troops", "Some 12,000 troops are in Kursk, Russia.", attribution="the NIS"
            ),
            article(2, 20, "Wire"),
        ),
        (
            figure(
                12000,
                "troops",
                "12,000 troops are deployed in Russia.",
                attribution="Ukraine's HUR",
            ),
            article(3, 21, "Times"),
        ),
    ]
    (series,) = [
        s for s in track(PROFILE, pairs) if s.measure.id == "north-korean-troops-in-russia"
    ]
    timeline = series.timeline()
    assert [r.value for r in timeline["the NIS"]] == [11000, 12000]
    assert [r.value for r in timeline["Ukraine's HUR"]] == [12000]
    assert series.disagreements == []


def test_a_vague_or_partial_first_claim_does_not_hide_a_dispute() -> None:
    # Article 1 opens with "dozens" and a part; its precise claim comes third.
    opening = [
        claim(12, "A", 1, approx="dozens of"),
        claim(3, "A", 1, part="including"),
        claim(11000, "A", 1),
    ]
    [flagged] = disagreements([*opening, claim(15000, "B", 2)], window_days=45)
    assert (flagged.first.value, flagged.second.value) == (11000, 15000)
    # A source the article names later is compared too, not only the article's first claim.
    named = [claim(15000, "A", 1), claim(11000, "A", 1, attribution="the NIS")]
    found = disagreements([*named, claim(11000, "B", 2, attribution="Ukraine")], window_days=45)
    assert [(d.first.value, d.second.value) for d in found] == [(15000, 11000)]
    # Unattributed later figures are the article's details (a list of other events): left out.
    details = [claim(11000, "A", 1), claim(22, "A", 1)]
    assert disagreements([*details, claim(11000, "B", 2)], window_days=45) == []


def test_possibilities_estimates_and_running_totals() -> None:
    could = claim(20000, "A", 1, hedge="could")
    assert disagreements([could, claim(11000, "B", 2)], window_days=45) == []
    estimated = claim(12500, "A", 1, hedge="estimated")
    assert disagreements([estimated, claim(11000, "B", 2)], window_days=45) == []
    assert len(disagreements([claim(12500, "A", 1), claim(11000, "B", 2)], window_days=45)) == 1
    so_far = claim(
        1e9,
        "B",
        2,
        approx="more than",
        period="so far this year",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 10, 2),
    )
    assert so_far.running_total
    assert disagreements([claim(3e8, "A", 1, approx="about"), so_far], window_days=45) == []
    # A total over the span that ends now is a running total too.
    past_years = claim(
        20000,
        "B",
        2,
        approx="more than",
        period="in the past seven years",
        period_start=date(2019, 10, 2),
        period_end=date(2026, 10, 2),
    )
    assert past_years.running_total
    assert disagreements([claim(8, "A", 1), past_years], window_days=45) == []


def test_a_cumulative_count_that_grows_is_an_update() -> None:
    night, next_day = claim(77, "A", 1), claim(84, "B", 2, approx="at least")
    assert len(disagreements([night, next_day], window_days=45)) == 1
    assert disagreements([night, next_day], window_days=45, cumulative=True) == []
    # A count that fell is still a dispute, and so are two counts of the same day.
    fell = claim(60, "B", 2)
    assert len(disagreements([night, fell], window_days=45, cumulative=True)) == 1
    same_day = claim(84, "B", 1, article_id=999)
    assert len(disagreements([night, same_day], window_days=45, cumulative=True)) == 1


# -- the comparison passes read each claim once --------------------------------------------------
# disagreements() and revisions() compute a claim's claimant, bounds and span once per pass; the
# reference below compares pair by pair with the public predicates, as they did before.


def _reference_disagreements(reports: list[Report], window_days: float) -> list[tuple[int, int]]:
    lead = lead_reports(reports)
    found = []
    for index, first in enumerate(lead):
        for second in lead[index + 1 :]:
            if (
                first.article_id == second.article_id
                or first.outlet == second.outlet
                or _normal(first.claimant) == _normal(second.claimant)
            ):
                continue
            if not periods_overlap(first, second, window_days=window_days):
                continue
            if not compatible(first, second):
                found.append((id(first), id(second)))
    return found


def _reference_revisions(reports: list[Report]) -> list[tuple[int, int]]:
    found = []
    whole = [r for r in reports if r.part is None]
    for index, later in enumerate(whole):
        for earlier in reversed(whole[:index]):
            span_a, span_b = earlier.span(0.0), later.span(0.0)
            apart = (
                span_a is not None
                and span_b is not None
                and (span_a[1] < span_b[0] or span_b[1] < span_a[0])
            )
            same = _normal(earlier.claimant) == _normal(later.claimant) or (
                earlier.article_id == later.article_id and apart
            )
            if not same or earlier.running_total != later.running_total:
                continue
            if not compatible(earlier, later):
                found.append((id(earlier), id(later)))
            break
    return found


_CLAIMS = st.builds(
    Report,
    article_id=st.integers(1, 6),
    published=st.one_of(
        st.none(), st.integers(1, 60).map(lambda d: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(d))
    ),
    outlet=st.sampled_from([None, "Daily NK", "NK News", "Yonhap"]),
    url=st.none(),
    value=st.sampled_from([3.0, 100.0, 950.0, 1000.0, 1200.0, 11000.0, 12000.0]),
    value_max=st.sampled_from([None, 1500.0, 13000.0]),
    unit=st.none(),
    approx=st.sampled_from([None, "about", "more than", "up to", "thousands", "nearly"]),
    period=st.sampled_from([None, "since February", "last year", "per month", "that year"]),
    attribution=st.sampled_from([None, "the NIS", "The NIS", "a lawmaker", "the Pentagon"]),
    hedge=st.none(),
    sentence=st.just("s"),
    period_start=st.sampled_from([None, date(2026, 1, 1), date(2026, 2, 1)]),
    period_end=st.sampled_from([None, date(2026, 1, 31), date(2026, 3, 1)]),
    part=st.sampled_from([None, None, None, "killed"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_CLAIMS, max_size=14), st.sampled_from([0.0, 10.0, 45.0]))
def test_comparison_passes_agree_with_pairwise_predicates(
    reports: list[Report], window_days: float
) -> None:
    found = disagreements(reports, window_days=window_days)
    assert [(id(d.first), id(d.second)) for d in found] == _reference_disagreements(
        reports, window_days
    )
    pairs = {(id(r.earlier), id(r.later)) for r in revisions(reports)}
    expected = {
        (first, second)
        for earlier, later in _reference_revisions(reports)
        for first, second in [(earlier, later), (later, earlier)]
    }
    assert pairs <= expected and len(pairs) == len(_reference_revisions(reports))
