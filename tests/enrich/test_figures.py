"""Figures: numeric claims with unit, counted noun, approximation, period, source and hedge."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkwatch.enrich.figures import NUMBER_WORDS, Figure, extract_figures, score_figures

LABELS = Path(__file__).parent.parent / "data" / "enrich" / "figures_unit.json"


def _load_labels() -> list[dict[str, Any]]:
    return json.loads(LABELS.read_text(encoding="utf-8"))


def _scores(items: list[dict[str, Any]]) -> Any:
    return score_figures((item["figures"], extract_figures(item["sentence"])) for item in items)


def test_label_set_is_large_enough_and_has_negatives() -> None:
    items = _load_labels()
    assert len(items) >= 120
    assert sum(1 for item in items if not item["figures"]) >= 30
    assert {item["split"] for item in items} == {"development", "held-out"}


@pytest.mark.parametrize("split", [None, "held-out"])
def test_scores_on_labelled_sentences_meet_floors(split: str | None) -> None:
    items = [item for item in _load_labels() if split is None or item["split"] == split]
    scores = _scores(items)
    assert scores.f1 >= 0.95, scores
    assert scores.counted >= 0.85, scores
    assert scores.attribution >= 0.85, scores
    assert scores.hedge >= 0.9, scores


def test_negative_sentences_give_no_figures() -> None:
    found = {
        item["sentence"]: extract_figures(item["sentence"])
        for item in _load_labels()
        if not item["figures"]
    }
    assert {sentence: figs for sentence, figs in found.items() if figs} == {}


def test_offsets_point_into_the_original_text() -> None:
    text = (
        "Comments 0\n\nSeoul, Oct. 14 — South Korea's National Intelligence Service said about "
        "11,000 North Korean troops had been sent to Russia. Brokers charge $2.50 per hour."
    )
    figures = extract_figures(text)
    assert [text[f.start : f.end] for f in figures] == ["about 11,000", "$2.50"]
    troops, wage = figures
    assert troops.sentence in text and troops.sentence.startswith("Seoul, Oct. 14")
    assert (troops.value, troops.unit, troops.counted, troops.approx) == (
        11000,
        None,
        "troops",
        "about",
    )
    assert troops.attribution == "South Korea's National Intelligence Service"
    assert (wage.value, wage.unit, wage.period) == (2.5, "USD", "per hour")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Output fell 35–50 % in the border towns last winter.", (35, 50, "%")),
        ("Pyongyang sent between 10,000 and 12,000 troops, officials said.", (10000, 12000, None)),
        ("The regime lost 3 billion dollars to sanctions in the year.", (3e9, None, "USD")),
        ("The hackers took $1.2bn from the exchange, investigators said.", (1.2e9, None, "USD")),
        ("Each team sold 200k tickets for the games.", (200000, None, None)),
        ("Trade with Russia rose tenfold after the summit.", (10, None, "times")),
        ("A third of the harvest was lost to the floods.", (33.33, None, "%")),
        # A bare "won" is North Korean in a market report, South Korean with Seoul's money.
        ("A loaf of bread costs 7,800 won in the market.", (7800, None, "KPW")),
        ("A flat in Seoul rents for 900,000 won a month.", (900000, None, "KRW")),
        ("The ministry put the damage at 40 billion won.", (4e10, None, "KRW")),
        ("The flat was bought for ₩1 million by the broker.", (1e6, None, "KRW")),
        ("A ride across the river costs 500 yuan for each person.", (500, None, "CNY")),
        ("A guard asked for 100 rubles as a bribe at the gate.", (100, None, "RUB")),
        ("Prices rose 35 per cent in a single month.", (35, None, "%")),
        ("The soldiers were kept for 12 000 hours in the tunnels.", (12000, None, "hours")),
    ],
)
def test_value_grammar(sentence: str, expected: tuple[float, float | None, str | None]) -> None:
    figures = extract_figures(sentence)
    assert len(figures) == 1, figures
    value, value_max, unit = expected
    assert figures[0].value == pytest.approx(value, rel=1e-3)
    assert figures[0].value_max == (None if value_max is None else pytest.approx(value_max))
    assert figures[0].unit == unit


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        ("Annual arrivals peaked at 2,100 in 2012.", ["Annual arrivals"]),
        ("Of those caught, 90 were women.", ["women"]),
        ("Officials put deliveries at 3 million barrels.", ["deliveries"]),
        ("The third rotation brought the force to about 9,000.", ["force"]),
        ("Rice sold for 12,000 won per kilogram, up from 10,800 won.", ["Rice", "Rice"]),
        ("Corn rose less sharply, to 5,000 won per kilogram.", ["Corn"]),
        ("Rice remains about 60 percent more expensive than a year ago.", ["Rice"]),
        ("That is about 20 percent more than in September.", [None]),
        ("The estimate put the eventual figure at up to 12,000.", [None]),
    ],
)
def test_counted_is_the_subject_when_the_number_is_the_predicate(
    sentence: str, counted: list[str | None]
) -> None:
    assert [f.counted for f in extract_figures(sentence)] == counted


def test_figures_are_frozen_records() -> None:
    figure = extract_figures("Officials said 300 soldiers had died in the fighting.")[0]
    assert isinstance(figure, Figure)
    with pytest.raises(dataclasses.FrozenInstanceError):
        figure.value = 1.0  # type: ignore[misc]


def test_max_figures_caps_a_price_table() -> None:
    table = "\n".join(
        f"The price of item {i} was {i * 10 + 5:,} won, up {i % 40 + 1} percent on the week."
        for i in range(3000)
    )
    assert len(extract_figures(table, max_figures=250)) == 250
    assert len(extract_figures(table, max_figures=10_000)) == 6000
    assert extract_figures(table, max_figures=0) == []


def test_very_long_unpunctuated_sentences_complete() -> None:
    words = " ".join(f"about {i + 100} trucks crossed and" for i in range(2500))
    sentence = words + " nothing else happened."
    figures = extract_figures(sentence)
    assert len(figures) == 500
    assert all(f.counted == "trucks" and f.approx == "about" for f in figures)
    run_of_words = " ".join(["one two three four five six seven eight nine ten"] * 1500) + "."
    assert len(extract_figures(run_of_words, max_figures=100_000)) == 13500
    glued = "x" * 30_000 + " carried 5 troops across."
    assert [f.value for f in extract_figures(glued)] == [5]


def test_scorer_matches_on_value_and_unit_and_compares_fields() -> None:
    predicted = extract_figures(
        "Roughly 26,000 North Korean women were trafficked, a group claims."
    )
    gold = [
        {
            "value": 26000,
            "value_max": None,
            "unit": None,
            "counted": "North Korean women",
            "approx": "roughly",
            "period": None,
            "attribution": "A group",
            "hedge": "claims",
        }
    ]
    scores = score_figures([(gold, predicted), ([], [])])
    assert (scores.matched, scores.f1, scores.counted, scores.attribution) == (1, 1.0, 1.0, 1.0)
    wrong_unit = [{**gold[0], "unit": "%"}]
    assert score_figures([(wrong_unit, predicted)]).f1 == 0.0


_NEWSISH = st.lists(
    st.sampled_from(
        [
            "about",
            "11,000",
            "1.5",
            "12 000",
            "$",
            "US$",
            "₩",
            "million",
            "bn",
            "k",
            "%",
            "percent",
            "won",
            "yuan",
            "troops",
            "of",
            "the",
            "between",
            "and",
            "to",
            "–",
            "-",
            "two",
            "or",
            "three",
            "hundred",
            "a",
            "dozen",
            "hundreds",
            "half",
            "third",
            "tenfold",
            "said",
            "according",
            "citing",
            "reportedly",
            "may",
            "since",
            "2023",
            "October",
            "14,",
            "09:14",
            "Hwasong-19",
            "26-year-old",
            "per",
            "hour",
            "a year",
            ",",
            ".",
            "\n",
            "(",
            ")",
            "'s",
            "NIS",
            "KCNA",
        ]
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), _NEWSISH))
def test_never_raises_and_offsets_hold_the_number(text: str) -> None:
    for figure in extract_figures(text):
        span = text[figure.start : figure.end]
        assert span, figure
        assert figure.sentence in text
        assert span in figure.sentence
        lowered = span.lower()
        assert any(c.isdigit() for c in span) or any(w in lowered for w in NUMBER_WORDS), span
        assert figure.value_max is None or figure.value_max > figure.value


def test_claims_from_the_issue_read_as_an_analyst_would() -> None:
    from datetime import date

    published = date(2026, 10, 15)
    [troops] = extract_figures(
        "According to Vadym Skibitskyi, Ukraine's Defense Intelligence deputy head, about "
        "11,000 North Korean troops are in Kursk.",
        published=published,
    )
    assert (troops.attribution, troops.counted, troops.approx) == (
        "Vadym Skibitskyi",
        "troops",
        "about",
    )
    [workers] = extract_figures(
        "Russia employs approximately 12,000 North Korean laborers on building sites.",
        published=published,
    )
    assert (workers.value, workers.counted, workers.approx) == (12000, "laborers", "approximately")
    now, summer = extract_figures(
        "North Korea has around 12,000 soldiers in Russia, up from about 10,000 in the summer, "
        "a spokesman said.",
        published=published,
    )
    assert now.period is None and now.counted == "soldiers"
    assert (summer.counted, summer.period_start, summer.period_end) == (
        "soldiers",
        "2026-06-01",
        "2026-08-31",
    )
    [rate] = extract_figures(
        "Traders said the dollar fetched 8,000 won two years ago.", published=published
    )
    assert (rate.period, rate.period_start) == ("two years ago", "2024-10-15")
    whole, part = extract_figures(
        "The ministry counted 168 arrivals between January and September, 147 of them women.",
        published=published,
    )
    assert (whole.part, part.part, part.part_of) == (None, "of them", 168)
    assert (whole.period_start, whole.period_end) == ("2026-01-01", "2026-09-30")
    present, including = extract_figures(
        "About 12,000 troops are in Russia, including 3,000 who arrived in October.",
        published=published,
    )
    assert (present.part, including.part, including.part_of) == (None, "including", 12000)
    [vague] = extract_figures("Pyongyang has supplied millions of artillery shells to Russia.")
    assert (vague.value, vague.approx, vague.vague) == (1e6, "millions of", True)


def test_a_fronted_whole_is_read() -> None:
    whole, women = extract_figures("Of the 168 arrivals, 147 were women.")
    assert whole.part is None
    assert (women.part, women.part_of, women.counted) == ("of the", 168, "women")
    # a count with a unit (a span of time) in the fronted phrase is not the whole
    years, _, later = extract_figures("Of the 3 years and 168 defectors studied, 147 were women.")
    assert (years.unit, later.part_of) == ("years", 168)
    # a fronted phrase without a count names the whole but gives no value
    [alone] = extract_figures("Of the arrivals this year, 147 were women.")
    assert (alone.part, alone.part_of) == ("of the", None)


def _read(text: str) -> list[tuple[str, float, str | None, str | None, str | None]]:
    from datetime import date

    return [
        (text[f.start : f.end], f.value, f.unit, f.counted, f.attribution)
        for f in extract_figures(text, published=date(2017, 12, 27))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A restatement in other units measures what the figure it restates measures.
        (
            "The missile reached a height of 341 miles (548km).",
            [("341 miles", 341.0, "miles", "height", None), ("548km", 548.0, "km", "height", None)],
        ),
        # A number with no noun: what happened to those counted is what it counts.
        (
            "At least 59 are dead and more than 500 were injured.",
            [
                ("At least 59", 59.0, None, "dead", None),
                ("more than 500", 500.0, None, "injured", None),
            ],
        ),
        # A hyphenated membership counts members.
        (
            "The 15-member council approved a new round of sanctions.",
            [("15-member", 15.0, None, "member", None)],
        ),
        # "five of whom" counts the whole's noun.
        (
            "The case involves 25 defendants, five of whom were acquitted.",
            [("25", 25.0, None, "defendants", None), ("five", 5.0, None, "defendants", None)],
        ),
        # A noun before the plural head stays in the phrase.
        (
            "Two subway work trains collided in a tunnel.",
            [("Two", 2.0, None, "subway work trains", None)],
        ),
        # Coordinated and participial sources.
        (
            "Seven people were killed, the British police and emergency services said.",
            [("Seven", 7.0, None, "people", "the British police and emergency services")],
        ),
        (
            "Yoshihide Suga condemned the test, saying the missile flew 2,000 kilometers.",
            [("2,000 kilometers", 2000.0, "km", None, "Yoshihide Suga")],
        ),
        (
            "The toll rose to 85, Christian Estrosi, president of the region announced.",
            [("85", 85.0, None, "toll", "Christian Estrosi")],
        ),
        # An adverb and an adjective before the plural head stay out of the way.
        (
            "The inspector general released two highly critical audits of the programme.",
            [("two", 2.0, None, "critical audits", None)],
        ),
        # An acronym ending in -ed is not a participle that ends the phrase.
        (
            "The car is complemented by a pair of eye-catching LED headlights at the front.",
            [("pair", 2.0, None, "eye-catching LED headlights", None)],
        ),
        # "or more" between the number and its noun.
        (
            "The mass detention of a million or more Uighurs began in directives from Xi.",
            [("a million", 1e6, None, "Uighurs", None)],
        ),
        # A possessive name makes a partitive; a model code beside a name is part of the name.
        (
            "Emirates agreed to purchase 30 of Boeing's 787-9 Dreamliner jets at the air show.",
            [("30", 30.0, None, "Dreamliner jets", None)],
        ),
        (
            "Emirates placed an order of 50 Airbus A350-900 jets on Monday.",
            [("50", 50.0, None, "Airbus jets", None)],
        ),
        # A move in points has the unit points; a points total in a game is a count of points.
        (
            "The Nasdaq Composite fell 20.72 points on Monday.",
            [("20.72 points", 20.72, "points", "Nasdaq Composite", None)],
        ),
        (
            "He scored 24 points in the third quarter against Boston.",
            [("24", 24.0, None, "points", None)],
        ),
        # A move restated and the level it reaches measure what the first amount measures.
        (
            "Brent crude fell 1.2 points, or 0.5%, to 60.73 on Monday.",
            [
                ("1.2 points", 1.2, "points", "Brent crude", None),
                ("0.5%", 0.5, "%", "Brent crude", None),
                ("60.73", 60.73, None, "Brent crude", None),
            ],
        ),
        # A count with no noun of its own takes the noun of the sentence's earlier count,
        # unless it is a level or a complement of a noun named right before it.
        (
            "The agency tapped three of those companies, but only two committed to the plan.",
            [("three", 3.0, None, "companies", None), ("two", 2.0, None, "companies", None)],
        ),
        (
            "The North sent 9 million rounds, and a later tally put the figure as high as 12 million.",
            [
                ("9 million", 9e6, None, "rounds", None),
                ("as high as 12 million", 12e6, None, None, None),
            ],
        ),
        # A sum paid for or spent on something counts what it buys.
        (
            "Customers are ready to pay $3 for fresh air at the new oxygen bar in Delhi.",
            # ("fresh", like "new", is a generic modifier and dropped.)
            [("$3", 3.0, "USD", "air", None)],
        ),
        # A sum after "for" prices the noun before it, past that noun's complement; a verb or
        # an idiom's noun after a preposition is no such noun.
        (
            "The miner raised its bid to buy Korea Zinc for more than $9 billion on Monday.",
            [("more than $9 billion", 9e9, "USD", "bid", None)],
        ),
        (
            "Regulators cleared the ministry's 2026 procurement request for $310 million.",
            [("$310 million", 310e6, "USD", "procurement request", None)],
        ),
        (
            "Even if the exchange were to settle for $40 million, cardholders stay on the hook "
            "for no more than $50.",
            [
                ("$40 million", 40e6, "USD", None, None),
                ("no more than $50", 50.0, "USD", None, None),
            ],
        ),
        (
            "That's good for nearly $600 off, and it ships over the wire for $60 less.",
            [("nearly $600", 600.0, "USD", None, None), ("$60", 60.0, "USD", None, None)],
        ),
        # "it said" is the claim of the body that spoke last before it, unless a person spoke
        # since; a person's "it" is no body.
        (
            "The Ministry of Unification said on Monday that defections fell. It said 196 "
            "defectors arrived in 2023.",
            [("196", 196.0, None, "defectors", "The Ministry of Unification")],
        ),
        (
            "KCNA reported the drill. Kim Yo Jong said it went well. It said 3,000 troops took part.",
            [("3,000", 3000.0, None, "troops", None)],
        ),
        # A price per share with nothing named for it prices the share.
        (
            "The retailer earned $2.53 per diluted share, as revenue rose in the quarter.",
            [("$2.53", 2.53, "USD", "diluted share", None)],
        ),
        # A span "of" something counts what it is a span of.
        (
            "The bar charges $4 for fifteen minutes of pure air on weekdays.",
            [
                ("$4", 4.0, "USD", "pure air", None),
                ("fifteen minutes", 15.0, "minutes", "pure air", None),
            ],
        ),
        # A number the article writes as a model's name ("320x", "747 Jumbo jet") counts nothing.
        (
            "The 320 program stalled after the 320x redesign, and the airline retired its last "
            "747 Jumbo jet after selling twelve 747 Jumbo freighters.",
            [("twelve", 12.0, None, "Jumbo freighters", None)],
        ),
        # A change verb keeps its subject across a place, a time and a participle.
        (
            "Brent crude settled in London on Friday at $61.40, while the 10-year gilt weakened "
            "slightly over the week, hitting 0.8%.",
            [("$61.40", 61.4, "USD", "Brent crude", None), ("0.8%", 0.8, "%", "gilt", None)],
        ),
        # A speaker named after the verb ('…," said Name') closes a quotation and names a pronoun.
        (
            '"We moved 40 containers before noon. Then we rested," said Maria Lopez, a foreman. '
            "She said the crew had earned 300 euros.",
            [
                ("40", 40.0, None, "containers", "Maria Lopez"),
                ("300 euros", 300.0, "EUR", None, "Maria Lopez"),
            ],
        ),
        # A short line that prices something after a label and a colon is a price list's row.
        ("Family ticket : 45,000₩", [("45,000₩", 45000.0, "KRW", None, None)]),
        # A capitalised label before a colon opens the line's next field: it is not priced.
        (
            "Price: €19.99 Stockist details: www.example.org",
            [("€19.99", 19.99, "EUR", None, None)],
        ),
        # A written fraction is a price move after a verb of movement, or a mixed number before a
        # unit; a day and a month ("11/9") stay a date.
        (
            "German bunds rose 5/32 in early trade, ending a 2-1/2 year slump, while the vote of "
            "11/9 stood.",
            [
                ("5/32", 0.15625, None, "German bunds", None),
                ("2-1/2 year", 2.5, "years", "slump", None),
            ],
        ),
        # Numbers joined by "and"/"or" before one noun share it.
        (
            "Rebels held 6% and 9% stakes in the two mines.",
            [("6%", 6.0, "%", "stakes", None), ("9%", 9.0, "%", "stakes", None)],
        ),
        # A reporting verb's form right after a count is a plural noun: the count stays.
        (
            "The monitors compiled five detailed reports on the camps.",
            [("five", 5.0, None, "reports", None)],
        ),
        # "including" is a preposition: it never opens the counted noun phrase.
        (
            "The buyout, which amounts to $4 billion including debt, ended the feud.",
            [("$4 billion", 4e9, "USD", "buyout", None)],
        ),
        # A figure set off by dashes right after a noun restates that noun.
        (
            "The ship carried its cargo — 4,000 tonnes — to Nampo.",
            [("4,000 tonnes", 4000.0, "tons", "cargo", None)],
        ),
        # A direction between "of" and the number keeps the noun before "of".
        (
            "The bank kept its forecast of up 3 percent.",
            [("3 percent", 3.0, "%", "forecast", None)],
        ),
        # The second of two numbers joined by "and" takes the first one's noun when it has none.
        (
            "The regulator set a cap of 15% and 10% for the two banks.",
            [("15%", 15.0, "%", "cap", None), ("10%", 10.0, "%", "cap", None)],
        ),
        # A sentence inside a quotation that opened earlier in its paragraph is the speaker's who
        # closes it, also a "she" that stands for the latest named speaker.
        (
            'Anna Berg said the storm came at night.\n"It was dark. We lost 300 sheep. The barn '
            'is gone," she admitted.',
            [("300", 300.0, None, "sheep", "Anna Berg")],
        ),
        # The named owner of a statement is its claimant; a day that owns one is not.
        (
            "Pyongyang's announcement of a 30% cut in rations alarmed aid groups.",
            [("30%", 30.0, "%", "rations", "Pyongyang")],
        ),
        # A word in -ing with a particle or an object after it is a participle, not the noun.
        (
            "The Kospi index climbed 1.2% ending its losing streak.",
            [("1.2%", 1.2, "%", "Kospi index", None)],
        ),
        # A move in an absolute phrase ("with X up N%") measures its noun.
        (
            "Asian markets were mixed, with the Nikkei down 0.4% on the day.",
            [("0.4%", 0.4, "%", "Nikkei", None)],
        ),
        # A transitive change names its object before "by"; a name in -s closes no compound.
        (
            "The airline plans to expand the Emirates fleet by 30% next year.",
            [("30%", 30.0, "%", "Emirates fleet", None)],
        ),
    ],
)
def test_counted_and_attribution_rules(text: str, expected: list[tuple[Any, ...]]) -> None:
    assert _read(text) == expected


def test_bare_pounds_are_money_or_weight_by_context() -> None:
    egypt = "Five defendants were fined 30,000 pounds (about $1,680) each by a court in Cairo."
    assert [(f.unit, f.counted) for f in extract_figures(egypt)] == [
        (None, "defendants"),
        ("EGP", "fine"),
        ("USD", "fine"),
    ]
    britain = "The London court ordered him to pay 2,000 pounds in damages."
    assert [f.unit for f in extract_figures(britain)] == ["GBP"]
    weight = "The rocket can lift a payload of 119,000 pounds into orbit."
    assert [f.unit for f in extract_figures(weight)] == ["lb"]


def test_holidays_are_periods_and_rates_inside_units_are_not() -> None:
    from datetime import date

    [snow] = extract_figures(
        "The storm brought 34 inches of snow on Christmas Day in Erie.",
        published=date(2017, 12, 27),
    )
    assert (snow.period, snow.period_start) == ("on Christmas Day", "2017-12-25")
    [party] = extract_figures(
        "Passengers celebrated New Year's Eve twice, with 300 passengers on board.",
        published=date(2018, 1, 2),
    )
    assert party.period is None
    speeds = extract_figures("It can reach 60 miles per hour (100 km/h) in 1.9 seconds.")
    assert [f.period for f in speeds] == [None, None, None]


def test_since_pointing_back_makes_a_running_total_from_the_earlier_time() -> None:
    from datetime import date

    [troops] = extract_figures(
        "The two countries signed a pact in March 2024, and the North has since sent about "
        "9,000 workers to Russian building sites.",
        published=date(2026, 5, 4),
    )
    assert (troops.period, troops.period_start, troops.period_end) == (
        "since March 2024",
        "2024-03-01",
        "2026-05-04",
    )
    [drones] = extract_figures(
        "The workshop opened in 2021 and since then has turned out 3,000 drones.",
        published=date(2026, 5, 4),
    )
    assert drones.period == "since 2021"
    # A time in the figure's own clause still dates it.
    [launch] = extract_figures(
        "The regime has since fired 12 missiles in April.", published=date(2026, 5, 4)
    )
    assert launch.period == "in April"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("He is serving a five-year sentence for spying.", (5.0, "years", "sentence")),
        ("Officials imposed a 48-hour curfew on the port.", (48.0, "hours", "curfew")),
        ("After a three-day trial the court convicted him.", (3.0, "days", "trial")),
    ],
)
def test_a_hyphenated_duration_of_a_thing_is_a_figure(
    sentence: str, expected: tuple[float, str, str]
) -> None:
    figures = extract_figures(sentence)
    assert [(f.value, f.unit, f.counted) for f in figures] == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "Shares closed at a four-year high.",
        "Benchmark 10-year notes rose in price.",
        "The 31-year-old driver was arrested.",
        "Crews worked under the five-year plan.",
        "He signed a one-year deal.",
    ],
)
def test_durations_that_place_or_name_something_are_no_figures(sentence: str) -> None:
    assert extract_figures(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Several hundred people gathered at the gate.", (100.0, "several", "people")),
        ("A few thousand workers were sent to Tatarstan.", (1000.0, "a few", "workers")),
        (
            "Several thousand North Korean IT workers earn money abroad.",
            (1000.0, "several", "IT workers"),
        ),
        # two scale words, and a qualifier before the quantifier
        ("Several hundred thousand people fled the floods.", (1e5, "several", "people")),
        ("At least a few hundred guards were moved.", (100.0, "at least a few", "guards")),
    ],
)
def test_a_quantifier_before_a_scale_word_is_its_approximation(
    sentence: str, expected: tuple[float, str, str]
) -> None:
    figures = extract_figures(sentence)
    assert [(f.value, f.approx, f.counted) for f in figures] == [expected]


def test_several_alone_is_no_figure() -> None:
    assert extract_figures("Several soldiers crossed the line on Tuesday.") == []


def test_assumed_to_hedges_a_figure() -> None:
    (figure,) = extract_figures("Each crate is assumed to hold 2,000 rounds.")
    assert figure.hedge == "assumed"


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Officials say the fee could double within a year.", 2.0),
        ("Shipments are expected to triple by spring.", 3.0),
        ("She was twice deported from China.", 2.0),
    ],
)
def test_a_multiplier_verb_after_a_modal_or_a_count_of_a_state(sentence: str, value: float) -> None:
    assert [(f.value, f.unit) for f in extract_figures(sentence)] == [(value, "times")]


def test_doubling_down_is_no_figure() -> None:
    assert extract_figures("Pyongyang will double down on its demands.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The relay draws 60W from a 12W backup cell.", [(60.0, "W"), (12.0, "W")]),
        ("The panel refreshes at 120Hz with a 4ms delay.", [(120.0, "Hz"), (4.0, "ms")]),
        ("Each unit stores 71 kWh of energy.", [(71.0, "kWh")]),
        ("The engine makes 414 lb-ft of torque.", [(414.0, "lb-ft")]),
        ("The dam adds 300 megawatt-hours a day.", [(300.0, "MWh")]),
    ],
)
def test_units_of_power_frequency_energy_and_torque(
    sentence: str, expected: list[tuple[float, str]]
) -> None:
    assert [(f.value, f.unit) for f in extract_figures(sentence)] == expected


def test_letters_glued_to_a_number_are_a_unit_only_as_written() -> None:
    # "60w" in lower case is no unit of power, so the token is a model code.
    assert extract_figures("The 60w unit failed.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The fair runs Oct. 11–21 in Rason.",
        "Those aged between 12 to 17 were asked.",
        "Kim Yo Jong, 38 – who runs the department – spoke.",
        "Patients recover if treated within 24 hours of the first symptoms.",
        "The risk rises in the following 3-5 years.",
        "A user is counted once over the course of 12 months.",
        "The broadcast is in 4K with 5.1 surround sound on a 16:9 screen.",
        "The suit, number FHC/ABJ/03/095/2018, was filed in Abuja.",
        "The pods would double as cabins.",
        "It was one of the two main routes.",
        "No link was found to the earlier two.",
        "The game returns after 12 years of waiting.",
    ],
)
def test_dates_ages_windows_formats_codes_and_known_sets_are_no_figures(sentence: str) -> None:
    assert extract_figures(sentence) == []


def test_a_change_from_one_level_to_another_is_two_figures() -> None:
    figures = extract_figures("Use rose by 37 percent, from 0.90 percent to 1.23 percent.")
    assert [(f.value, f.value_max, f.unit) for f in figures] == [
        (37.0, None, "%"),
        (0.9, None, "%"),
        (1.23, None, "%"),
    ]


def test_an_offer_line_keeps_its_price_and_names_the_product() -> None:
    (figure,) = extract_figures("Sonos Move for $400")
    assert (figure.value, figure.unit, figure.counted) == (400.0, "USD", "Sonos Move")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("He served two and a half years in prison.", (2.5, "years")),
        ("The ruling party lost by five-and-a-half points.", (5.5, "points")),
    ],
)
def test_and_a_half_adds_a_half(sentence: str, expected: tuple[float, str | None]) -> None:
    (figure,) = extract_figures(sentence)
    assert (figure.value, figure.unit) == expected


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        ("A storm dumped about 2 inches (50.8 millimeters) of rain on Kaesong.", "rain"),
        ("Top speed is an electronically-limited 124 mph.", "Top speed"),
        ("The new hull is just over 16 feet long.", "hull"),
    ],
)
def test_what_a_measure_measures(sentence: str, counted: str) -> None:
    assert extract_figures(sentence)[0].counted == counted


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("The index added 2% to begin the week.", "2019-11-18", "2019-11-18"),
        ("A 51% stake was sold at the beginning of the week.", "2019-11-18", "2019-11-18"),
        ("Three inmates died during the 2018 flu season.", "2018-01-01", "2018-12-31"),
        ("Plague killed 40 million people in the 1300s.", "1300-01-01", "1399-12-31"),
    ],
)
def test_periods_of_week_edges_named_years_and_centuries(
    sentence: str, start: str, end: str
) -> None:
    (figure,) = extract_figures(sentence, published=date(2019, 11, 20))
    assert (str(figure.period_start), str(figure.period_end)) == (start, end)


def test_a_bare_edge_names_no_period() -> None:
    (figure,) = extract_figures(
        "Prices rose 5% at the beginning, then fell.", published=date(2019, 11, 20)
    )
    assert figure.period_start is None


@pytest.mark.parametrize(
    "text",
    [
        "When aides proposed $20 billion, Mr. Trump was not satisfied. He said he asked for up "
        "to $50 billion.",
        "The station saw no rain since 1905, said Scott Strenfel, a meteorologist. The usual "
        "total is 5 inches, he said.",
    ],
)
def test_a_pronoun_claimant_takes_the_name_before_it(text: str) -> None:
    figure = extract_figures(text)[-1]
    assert figure.attribution in {"Mr. Trump", "Scott Strenfel"}


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("The won added more than 2% against the yuan on Monday.", None),
        (
            "Pak Chol, director and founder of the Seoul Rice Institute, said that prices rose 12%.",
            "Pak Chol",
        ),
        ("North Korea threatened to fire four missiles toward Guam.", "North Korea"),
        ("The government promised 500 tons of rice.", None),
    ],
)
def test_claimants_of_moves_appositions_and_threats(sentence: str, claimant: str | None) -> None:
    assert extract_figures(sentence)[-1].attribution == claimant


def test_a_measure_joined_to_another_counts_the_noun_after_both() -> None:
    figures = extract_figures("The shells are mostly 152mm and 122mm rounds.")
    assert [f.counted for f in figures] == ["rounds", "rounds"]


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("The party won 30 seats in 2016.", "2016-01-01", "2016-12-31"),
        ("Famine killed 3 million people in the 1990s.", "1990-01-01", "1999-12-31"),
        ("The plague killed 25 million people in the 14th Century.", "1300-01-01", "1399-12-31"),
    ],
)
def test_an_undated_article_still_places_a_phrase_that_names_its_year(
    sentence: str, start: str, end: str
) -> None:
    (figure,) = extract_figures(sentence)
    assert (figure.period_start, figure.period_end) == (start, end)


def test_an_undated_article_does_not_place_a_phrase_read_from_its_day() -> None:
    (figure,) = extract_figures("Exports rose 12% since 2015.")
    assert figure.period_start is None


def test_an_ordinal_century_in_words() -> None:
    (figure,) = extract_figures(
        "Some 40 million died during the fourteenth century.", published=date(2019, 11, 20)
    )
    assert (figure.period_start, figure.period_end) == ("1300-01-01", "1399-12-31")


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        (
            "Officials in Washington and Seoul estimate that 4,000 IT workers are abroad.",
            "Officials in Washington and Seoul",
        ),
        (
            "The won fell past 28,000 to the dollar, sources in Musan and Hyesan told us.",
            "sources in Musan and Hyesan",
        ),
        (
            "Rice cost 12,000 won, officials of Ryanggang and North Hamgyong provinces said.",
            "officials of Ryanggang and North Hamgyong provinces",
        ),
        # two clauses, two subjects: the second speaks
        ("Prices rose to 12,000 won in Hyesan and Kim said the rise would last.", "Kim"),
    ],
)
def test_places_joined_inside_a_source_stay_in_it(sentence: str, source: str) -> None:
    [figure] = extract_figures(sentence)
    assert figure.attribution == source


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        # a comment on the clause before, with its own speaker, does not source its figures
        ("The army sent 3,000 troops, a move which officials said would anger Seoul.", None),
        (
            "The North fired two missiles on Friday and one that analysts say was a new type.",
            None,
        ),
        # a relative clause that holds the figure is still its source
        ("The toll, which police said was 84, rose overnight.", "police"),
        ("The toll, a figure that police said was 84, rose overnight.", "police"),
    ],
)
def test_a_comment_with_its_own_speaker_is_a_clause_of_its_own(
    sentence: str, source: str | None
) -> None:
    [figure] = extract_figures(sentence)
    assert figure.attribution == source


def test_a_gallery_of_captions_is_read_caption_by_caption() -> None:
    text = (
        "Tram crash 1/4 The scene after the tram overturned, trapping five people and injuring "
        "another 40 Photo Agency 2/4 Police officers walk the site 3/4 Rescuers worked for hours "
        "4/4 40 people were injured and five trapped inside the tram"
    )
    figures = extract_figures(text)
    assert [f.sentence for f in figures if f.counted == "people"][-1] == (
        "4/4 40 people were injured and five trapped inside the tram"
    )
    # one counter, or counters of different totals, is no gallery
    [single] = extract_figures("Photo 1/4 shows 40 people at the gate of the camp.")
    assert single.sentence.startswith("Photo 1/4")
