"""Figures: claims read across the article (speakers, quotations) and the structure of sums,
measures, multipliers, hedges and periods around a number."""

from __future__ import annotations

from datetime import date

import pytest

from nkwatch.enrich.figures import extract_figures
from nkwatch.enrich.periods import filed_day


def _one(text: str, published: date | None = None) -> object:
    figures = extract_figures(text, published=published)
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize(
    ("sentence", "written", "value", "unit"),
    [
        (
            "The barge was about 300 feet long when it sank in the river.",
            "about 300 feet",
            300,
            "ft",
        ),
        ("The warehouse stands 250 yards from the station gate.", "250 yards", 250, "yards"),
        (
            "Engineers said the launch will have double the thrust of the old rocket.",
            "double",
            2,
            "times",
        ),
        ("Shareholders said the $95-a-share offer must be raised.", "$95", 95, "USD"),
    ],
)
def test_units_multipliers_and_prices(sentence: str, written: str, value: float, unit: str) -> None:
    figure = _one(sentence)
    assert sentence[figure.start : figure.end] == written  # type: ignore[attr-defined]
    assert (figure.value, figure.unit) == (value, unit)  # type: ignore[attr-defined]


def test_a_pair_of_is_two_of_what_follows() -> None:
    figure = _one("Engineers will launch a pair of probes toward the far side of the moon.")
    assert (figure.value, figure.unit, figure.counted) == (2, None, "probes")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "sentence",
    [
        "The relay is part of the Tianlong 4 programme, which the agency runs from the coast.",
        "Families can call 0800 0452211 for news of relatives who were on board the ferry.",
        "The ferry had to turn back four hours into its crossing because of the storm.",
        "The ship returned to port after eight hours at sea because of a fault in its engine.",
        "The girls, ages 14 to 17, were taken from their dormitory in the middle of the night.",
        'The agency threatened that the "four islands" of the archipelago would be sunk.',
    ],
)
def test_names_codes_relative_times_and_ages_are_no_figures(sentence: str) -> None:
    assert extract_figures(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        ("Northwind made a new $64 per share offer for the group on Monday.", ["offer"]),
        (
            "The offer includes $40 in cash and $24 in Northwind stock, the bank said.",
            ["cash", "Northwind stock"],
        ),
        ("The lender is expecting a $3 billion hit to profits this quarter.", ["hit"]),
        (
            "Northwind shares edged up 0.4 percent to $81.20 in early trading.",
            ["Northwind shares"] * 2,
        ),
        ("The port town lies 1,200 kilometers from the capital of the province.", [None]),
        ("Rescuers found a wall about nine feet tall behind the depot.", ["wall"]),
        (
            "At least six people died and more than 40 taken to hospital after the crash.",
            ["people", "people"],
        ),
        ("The crew flew an 11 hour flight to reach the island before the storm.", ["flight"]),
    ],
)
def test_what_a_sum_a_share_price_or_a_length_measures(
    sentence: str, counted: list[str | None]
) -> None:
    assert [f.counted for f in extract_figures(sentence)] == counted


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        ("The merged company would earn about $40 billion a year in revenue.", "would"),
        ("Output may have reached 3 million tons, perhaps more, the ministry said.", "may"),
        (
            "At least nine people died and 30 were hurt after a bus, believed to be speeding, overturned.",
            None,
        ),
        (
            "The missile, believed to be a new design, flew about 900 kilometers before landing.",
            None,
        ),
        ("Police arrested 12 people after a suspected smuggler fled the checkpoint.", None),
        ("The plant, which would give it a third site, has 2,000 centrifuges in one hall.", None),
    ],
)
def test_hedges_govern_their_own_clause(sentence: str, hedge: str | None) -> None:
    assert extract_figures(sentence)[0].hedge == hedge


def test_an_embedded_post_is_its_signers_across_sentences() -> None:
    text = (
        "The rocket is ready. Will carry three satellites to orbit. Launch is next week."
        " — Jane Roe (@janeroe) March 2, 2018\nOther news followed."
    )
    figure = _one(text)
    assert figure.attribution == "Jane Roe"  # type: ignore[attr-defined]


def test_a_transcript_speaker_says_every_paragraph_until_the_next_label() -> None:
    text = (
        "HOST: What do we know about the flood tonight?\n"
        "REPORTER: We hear that more than 30 people are missing in the valley.\n"
        "And there were thousands of people on the roads this evening.\n"
        "HOST: Thank you for joining us."
    )
    figures = extract_figures(text)
    assert [f.attribution for f in figures] == ["Reporter", "Reporter"]


def test_a_pronoun_is_the_latest_named_speaker_unless_someone_else_spoke_since() -> None:
    text = (
        "Jane Roe says the probe will be ready in spring. "
        '"It will carry twice the fuel of the old one," she said.'
    )
    assert extract_figures(text)[0].attribution == "Jane Roe"
    other = (
        "Jane Roe says the probe will be ready in spring. "
        '"The schedule is tight," said an engineer who works on the project. '
        "She estimated that the probe could carry 40 kilograms of instruments."
    )
    assert extract_figures(other)[0].attribution in {"She", "she"}


def test_a_quotation_spanning_sentences_is_its_speakers() -> None:
    opened = (
        'The envoy Mary Major, speaking in Geneva, said: "This cannot go on.\n'
        '"No town should see 4,000 homes destroyed in one night."'
    )
    assert extract_figures(opened)[0].attribution == "Mary Major"
    closed = (
        '"We met the 12 who came back this morning. They are tired but well," '
        "Lee Morgan told reporters after the meeting."
    )
    assert extract_figures(closed)[0].attribution == "Lee Morgan"


@pytest.mark.parametrize(
    ("sentence", "published", "start", "end"),
    [
        (
            "The probe will launch in June, carrying a 400kg lander.",
            date(2018, 1, 2),
            "2018-06-01",
            "2018-06-30",
        ),
        (
            "The probe launched in June, carrying a 400kg lander.",
            date(2018, 1, 2),
            "2017-06-01",
            "2017-06-30",
        ),
        (
            "The bank expects fourth-quarter income of $2 billion.",
            date(2017, 12, 29),
            "2017-10-01",
            "2017-12-31",
        ),
        (
            "The bank expects a loss of $2 billion for the fourth quarter.",
            date(2017, 12, 29),
            "2017-10-01",
            "2017-12-31",
        ),
        (
            "The rocket will carry 400kg of fuel next month.",
            date(2017, 12, 27),
            "2018-01-01",
            "2018-01-31",
        ),
    ],
)
def test_periods_of_plans_and_quarters(
    sentence: str, published: date, start: str, end: str
) -> None:
    figure = extract_figures(sentence, published=published)[0]
    assert (figure.period_start, figure.period_end) == (start, end)


def test_a_time_that_dates_the_counted_nouns_past_is_not_the_claims() -> None:
    sentence = "Officials said 30 of the miners trapped two years ago have been found."
    figure = extract_figures(sentence, published=date(2016, 10, 13))[0]
    assert figure.period_start is None


def test_a_headline_with_its_verb_before_the_count_is_a_claim() -> None:
    figures = extract_figures("Rebels free 12 hostages after talks\nThe talks lasted a week.")
    assert [(f.value, f.counted) for f in figures] == [(12, "hostages")]


# --- forms found on pages of other outlets (development extension 3) --------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A hyphenated range: the upper end is read and the scale written once applies to both.
        ("The repairs will take 3-5 weeks, the council said.", [(3, 5, "weeks")]),
        ("Investors put $20-30 billion into the funds.", [(20e9, 30e9, "USD")]),
        # Rupees with a lakh, Hong Kong dollars, a won sign after the number.
        ("He paid Rs 12 lakh to the agent.", [(1.2e6, None, "INR")]),
        ("The shares were priced at 80 Hong Kong dollars each.", [(80, None, "HKD")]),
        ("Front seats cost 70,000₩ at the box office.", [(70000, None, "KRW")]),
        # A share of a round number.
        ("The town spent nearly half a million dollars on the signs.", [(5e5, None, "USD")]),
        # "by N to M" is a change and the level it reached, not a range.
        ("The fleet was cut by 12 to 140 aircraft.", [(12, None, None), (140, None, None)]),
        # A currency's price per dollar is in that currency.
        ("The yuan weakened to 7.05 per dollar on Friday.", [(7.05, None, "CNY")]),
    ],
)
def test_ranges_currencies_and_scales_on_other_pages(
    sentence: str, expected: list[tuple[float, float | None, str | None]]
) -> None:
    assert [(f.value, f.value_max, f.unit) for f in extract_figures(sentence)] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Leeds won 3-1 at home on Saturday in front of a small crowd.",
        "The Hawks (7-3, 4-2) host the Bears at the stadium next week.",
        "Qantas flew its new 787-9 jets to Perth for the first time.",
        "Following the 15-inch MacBook Pro, the firm updated its whole range.",
        "Neighbours called 911 when the fire started in the kitchen.",
        "Staff face alarm fatigue, the review found [2], and it urged changes.",
        "I have lived in this town since I was 12 and still love it.",
        "Most people keep an app or two on their phones for the weather.",
        "The mayor doubled down on the plan after the vote in the council.",
        "It was the largest protest in the city for nine years, organisers said.",
        "The seats use Zero Gravity Foam and a heated function for winter.",
        "WXYZ 7 has aired the footage of the rescue in full.",
        "The ECRI top 10 Health Technology Hazards list came out in the spring.",
        # a product named in camel case, in prose and in a listing's title
        "The iPhone 11 Pro Max wasn't supposed to blow us away, but it did.",
        "Apple iPhone 11 Pro Max For Sale In Three Colours",
        "Apps made switching easier once iPadOS 13 arrived on the tablets.",
    ],
)
def test_scores_codes_names_and_bounding_spans_are_no_figures(sentence: str) -> None:
    assert extract_figures(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "N times" after a verb counts occurrences; before a comparison it multiplies.
        ("She has been arrested five times since May.", (5, None, "times")),
        ("Rents are three times the level of 2010.", (3, "times", "Rents")),
        # A hyphenated count of countable parts counts the part.
        ("A three-car train left the rails near the depot.", (3, None, "car")),
        ("The visitors held a two-goal lead at half-time.", (2, None, "goal")),
    ],
)
def test_occurrences_and_countable_parts(
    sentence: str, expected: tuple[float, str | None, str | None]
) -> None:
    figure = extract_figures(sentence)[0]
    assert (figure.value, figure.unit, figure.counted) == expected


@pytest.mark.parametrize(
    ("sentence", "attribution"),
    [
        # A source in an absolute clause governs only its own clause.
        ("Ten people died, with officials saying the toll could rise to 30.", [None, "officials"]),
        # The subject of a reporting verb inside a relative clause.
        ("The new engine gives 150 hp, which Nissan claims is a record.", ["Nissan"]),
        # A progressive forecast is not a passive.
        ("Analysts were expecting $1.10 a share.", ["Analysts"]),
        # A market move is not a remark.
        ("The Nasdaq added 20.5 points on Tuesday.", [None]),
        ("Police added 40 people were hurt in the blast.", ["Police"]),
        # "denied that" names a claimant; "according to reports" names the reports.
        ("The minister denied that 40 prisoners were freed.", ["The minister"]),
        ("According to reports, the bar charges $5 for ten minutes.", ["reports", "reports"]),
        # The speaker before a relative clause too long to keep.
        (
            "A nurse who treated many of the wounded in the first hours after the blast said 18 "
            "had died.",
            ["A nurse"],
        ),
        # A name's initials in brackets before the verb; an opening subject with lower-case
        # words and an irregular verb before ", estimating".
        (
            "About 900 troops were moved, the Defence Intelligence Agency (DIA) told reporters.",
            ["the Defence Intelligence Agency"],
        ),
        (
            "The country's spy agency gave a lower count, estimating 3,000 workers in the region.",
            ["The country's spy agency"],
        ),
    ],
)
def test_claimants_in_clauses(sentence: str, attribution: list[str | None]) -> None:
    assert [f.attribution for f in extract_figures(sentence)] == attribution


@pytest.mark.parametrize(
    ("sentence", "attribution"),
    [
        # A speech tag after a quote, then where it was said.
        (
            "“We sold 40 tonnes that week,” Mr. Ryu recalled in a court filing.",
            ["Mr. Ryu"],
        ),
        # A closing source, its addressee and where it said so.
        (
            "About 700 workers left the site, three labour ministry officials told Reuters.",
            ["three labour ministry officials"],
        ),
        (
            "The North fired 12 rockets, a five-nation monitoring group said in its report on "
            "Friday.",
            ["a five-nation monitoring group"],
        ),
        # A plural head before the place it speaks for.
        (
            "The trade fell sharply when authorities in Dandong announced that 30 trucks were held.",
            ["authorities in Dandong"],
        ),
        # A count inside the source is not the source's claim.
        (
            "The 9-member panel said 200 ships had switched off their transponders.",
            [None, "The 9-member panel"],
        ),
    ],
)
def test_claimants_after_quotes_and_at_the_end(
    sentence: str, attribution: list[str | None]
) -> None:
    assert [f.attribution for f in extract_figures(sentence)] == attribution


@pytest.mark.parametrize(
    ("sentence", "attribution"),
    [
        # A relative clause's source speaks for what follows it, not for counts before it.
        (
            "The order names six people and two firms, including a shipper that the ministry "
            "said earned $40,000 a month.",
            [None, None, "the ministry"],
        ),
        # A comment on the figure itself still speaks for it.
        ("The new line carries 900 tonnes, which the operator says is a record.", ["the operator"]),
        # So does a clause on the figure's own noun, with no other noun phrase between.
        (
            "The talks will cover the 4,500 engineers that the inspectors say are on the site.",
            ["the inspectors"],
        ),
        ("Ships moved 700 tonnes to a port that the monitors say is closed.", [None]),
        # A phrase before the source that opens the sentence: it frames all of it.
        (
            "In a statement on Monday, the agency said the group was behind the theft, and that "
            "the coins were spread across hundreds of wallets.",
            ["the agency"],
        ),
    ],
)
def test_relative_clauses_and_opening_phrases(sentence: str, attribution: list[str | None]) -> None:
    assert [f.attribution for f in extract_figures(sentence)] == attribution


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        ("The fire appears to have destroyed 40 homes.", "appears"),
        ("They are said to be among the 120 workers who were trapped.", "said"),
        ("The building appears on a list of 40 protected sites.", None),
    ],
)
def test_appears_to_and_said_to_hedge(sentence: str, hedge: str | None) -> None:
    assert extract_figures(sentence)[0].hedge == hedge


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        ("Copper CMCU3 lost 0.8% to $5,900 a tonne.", ["Copper", "Copper"]),
        # a verb after a singular head ends the phrase
        ("The 90-minute delay meant the ferry left at dawn.", ["delay"]),
        ("The 300 page report comes with maps.", ["page report"]),
        (
            "Retail shares are up 12 percent while the FTSE 100 is up 9 percent.",
            ["Retail shares", "FTSE"],
        ),
        ("Profit was flat as revenue rose 4 percent.", ["revenue"]),
        ("The shares fell 2 percent year-to-date.", ["shares"]),
        ("The group reported a 30 percent drop in operating income.", ["operating income"]),
    ],
)
def test_what_moved_in_a_market_report(sentence: str, counted: list[str]) -> None:
    assert [f.counted for f in extract_figures(sentence)] == counted


def test_a_time_in_a_relative_aside_does_not_date_the_figure() -> None:
    figure = _one("The firm, which was founded in 1990, said it would cut 300 jobs.")
    assert figure.period is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("sentence", "period", "start", "end"),
    [
        (
            "The shares are up 20 percent year-to-date.",
            "year-to-date",
            date(2019, 1, 1),
            date(2019, 11, 19),
        ),
        (
            "The city has spent $2 million so far this year.",
            "so far this year",
            date(2019, 1, 1),
            date(2019, 11, 19),
        ),
        (
            "As of October, the airline had 270 aircraft.",
            "As of October",
            date(2019, 10, 1),
            date(2019, 10, 31),
        ),
        (
            "About 900 engineers have rotated through the site since the project began in the "
            "spring of 2017.",
            "since the project began in the spring of 2017",
            date(2017, 3, 1),
            date(2019, 11, 19),
        ),
        (
            "Traders said the dollar fetched 27,000 won at the start of September.",
            "at the start of September",
            date(2019, 9, 1),
            date(2019, 9, 10),
        ),
        (
            "Rates rose above 28,000 won in the second half of October 2018, traders said.",
            "in the second half of October 2018",
            date(2018, 10, 16),
            date(2018, 10, 31),
        ),
        (
            "The firm sees fiscal 2019 sales growth of 2 percent.",
            "fiscal 2019",
            date(2019, 1, 1),
            date(2019, 12, 31),
        ),
    ],
)
def test_running_and_fiscal_periods(sentence: str, period: str, start: date, end: date) -> None:
    figure = _one(sentence, published=date(2019, 11, 19))
    got = (figure.period, figure.period_start, figure.period_end)  # type: ignore[attr-defined]
    assert got == (period, start.isoformat(), end.isoformat())


@pytest.mark.parametrize(
    ("period", "published", "day"),
    [
        # a dateline a time zone ahead of the page's stamp, a meeting in the coming weeks
        ("on Nov 20", date(2019, 11, 19), date(2019, 11, 20)),
        ("on Dec 30", date(2019, 11, 19), date(2019, 12, 30)),
        # a day already past this year, or too far ahead to be this year's
        ("on Nov 2", date(2019, 11, 19), date(2019, 11, 2)),
        ("on Dec 31", date(2019, 9, 19), date(2018, 12, 31)),
        ("on Nov 20 last year", date(2019, 11, 19), date(2018, 11, 20)),
        # 2019-11-20 is a Wednesday: a bare day is this week's, "last" the week before's
        ("on Tuesday", date(2019, 11, 20), date(2019, 11, 19)),
        ("last Tuesday", date(2019, 11, 20), date(2019, 11, 12)),
        ("last Tuesday", date(2019, 11, 19), date(2019, 11, 12)),
        ("last Friday", date(2019, 11, 18), date(2019, 11, 15)),
        ("this past Sunday", date(2019, 11, 20), date(2019, 11, 17)),
        ("next Tuesday", date(2019, 11, 20), date(2019, 11, 26)),
    ],
)
def test_a_day_named_without_its_year(period: str, published: date, day: date) -> None:
    figure = _one(f"The convoy carried 300 shells {period}.", published=published)
    got = (figure.period, figure.period_start, figure.period_end)  # type: ignore[attr-defined]
    assert got == (period, day.isoformat(), day.isoformat())


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        (
            "TOKYO, Mar 3 (Agency) - The navy fired between 300 and 400 shells and more than 20 "
            "torpedoes at the reef since 2021.",
            "since 2021",
        ),
        ("OSLO, Norway, Mar 3 (Agency) — The storm cut power to 9,000 homes.", None),
        ("OSLO - The storm cut power to 9,000 homes on Mar 2.", "on Mar 2"),
    ],
)
def test_a_wire_dateline_dates_no_figure(sentence: str, period: str | None) -> None:
    first = extract_figures(sentence, published=date(2019, 3, 3))[0]
    assert first.period == period


@pytest.mark.parametrize(
    ("text", "published", "day"),
    [
        # filed a time zone ahead of the page's stamp: the dateline's Wednesday, not last week's
        ("SEOUL, Oct 21 (Agency) - It fired two missiles on Wednesday.", date(2026, 10, 20), 21),
        # a headline line first, a country after the city, a dateline a week behind a re-post
        (
            "Missiles fired\nERIMO, Japan, Oct. 9 (Agency) — It fired two missiles on Wednesday.",
            date(2026, 10, 20),
            7,
        ),
        # no dateline, or one too far from the stamp to trust: the page's date
        ("It fired two missiles on Wednesday.", date(2026, 10, 20), 14),
        ("SEOUL, Aug 19 (Agency) - It fired two missiles on Wednesday.", date(2026, 10, 20), 14),
    ],
)
def test_relative_days_are_read_against_the_dateline(text: str, published: date, day: int) -> None:
    figure = extract_figures(text, published=published)[0]
    assert (figure.period_start, figure.period_end) == (f"2026-10-{day:02d}", f"2026-10-{day:02d}")


def test_a_dateline_gives_its_year_across_new_year() -> None:
    assert filed_day("SEOUL, Dec 31 (Agency) - a", date(2027, 1, 1)) == date(2026, 12, 31)
    assert filed_day("SEOUL, Feb 30 (Agency) - a", date(2027, 1, 1)) == date(2027, 1, 1)
    assert filed_day("PYONGYANG, March 3, 2025 - a", None) == date(2025, 3, 3)


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        # a sum named before "worth"; a name before "worth" is no noun, the subject is
        ("The two firms signed a contract worth $40 million on Friday.", ["contract"]),
        ("Backing from investor Bluewave worth up to $2 billion kept the chain open.", ["Backing"]),
        # a relative clause's noun
        ("Callers reported queues that exceeded three hours.", ["queues"]),
        # a price with its rate glued on, and a yearly sum spent on something
        ("The $4.99-a-month plan includes the sports pages.", ["plan"]),
        (
            "Ministries will be spending $3 billion a year on coastal defences.",
            ["coastal defences"],
        ),
        # a comparison that qualifies a noun; one that qualifies an adjective leaves it alone
        ("The new engine delivers 30% higher thrust.", ["thrust"]),
        # a participle set off by a comma moves the noun before it
        ("It was a strong month for exports, rising nearly 12%.", ["exports"]),
        # modifiers joined by "and" before one head
        ("Floods hit 14 eastern and central provinces.", ["eastern and central provinces"]),
        # a clause after the phrase, and a verb with its object, end it
        ("Officials ignore 40% of the information they’re sent.", ["information"]),
        (
            "A 1.5-litre, turbocharged three-cylinder motor powers the car.",
            ["three-cylinder motor", "cylinder"],
        ),
        # a size set off from the rest of its noun phrase
        ("Police stopped the 18-ton, unlicensed lorry at the border.", ["lorry"]),
        ("It was a 90-minute long silent film.", ["silent film"]),
        # a noun in -s that modifies the next one
        ("The $90,000 sports coupe sold out.", ["sports coupe"]),
        # a participle between a modifier and the plural head
        ("The kit comes with four different sized nozzles.", ["different sized nozzles"]),
        # vague sums and what they are
        ("They earned billions of dollars in export revenue.", ["export revenue"]),
        ("They lost millions of dollars in Busan.", [None]),
        # a preposition in -ed is no state of those counted
        ("Arrivals reached 2,000 compared with 1,500 a year earlier.", ["Arrivals", "Arrivals"]),
        # the dimensions of one thing share its noun
        ("The hall is 40 metres long and 20 metres wide, but 9 metres high.", ["hall"] * 3),
        # "triple that figure" multiplies the figure
        ("He told aides to triple that figure.", ["figure"]),
        # what cost, not whom it cost; a clause's subject after its opener
        ("The blockade cost the regime an estimated $2 billion.", ["blockade"]),
        ("The bid rose to $40, where the first offer was $25.", ["bid", "first offer"]),
        # a measure named before "of", or before a value that opens with its approximation
        ("The new glider has a cruising range of about 900 kilometres.", ["cruising range"]),
        ("The scooter has a top speed over 45 km/h, the maker says.", ["top speed"]),
        # ... but not a past tense, nor "the equivalent of"
        ("The shell travelled around 30 km before it fell.", [None]),
        ("It was the equivalent of 90 miles of road.", ["road"]),
        # a subject after its article, with "will remain", "will be"
        ("Leaks say the screen size will remain 6.1 inches, as before.", ["screen size"]),
    ],
)
def test_what_is_counted_in_longer_phrases(sentence: str, counted: list[str | None]) -> None:
    assert [f.counted for f in extract_figures(sentence)] == counted


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("The party lost by six-and-a-half points.", 5.5 + 1, "points"),
        ("She won the district by 12 points.", 12.0, "points"),
        ("It held a lead of 3 points.", 3.0, "points"),
        ("The index fell for three straight years.", 3.0, "years"),
        ("The sedan's 0-100 km/h time is quick.", 100.0, "km/h"),
    ],
)
def test_differences_runs_and_specifications(sentence: str, value: float, unit: str) -> None:
    figure = extract_figures(sentence)[0]
    assert (figure.value, figure.value_max, figure.unit) == (value, None, unit)


@pytest.mark.parametrize(
    "sentence",
    ["Grab a pretzel or two at half time.", "Skip all but the one or two treats you love."],
)
def test_a_thing_or_two_is_no_figure(sentence: str) -> None:
    assert extract_figures(sentence) == []


def test_company_guidance_names_the_company() -> None:
    figure = extract_figures("Looking ahead, Acme sees full-year sales growth of 2.5 percent.")[0]
    assert figure.attribution == "Acme"
