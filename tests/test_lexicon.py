"""The shared word lists and shapes: wire datelines read the same way by every stage."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nkwatch.enrich.entities import find_unknown_entities
from nkwatch.enrich.figures import extract_figures
from nkwatch.enrich.periods import filed_day
from nkwatch.extract.syndication import find_origin
from nkwatch.isolation import time_budget
from nkwatch.lexicon import DATELINE, dateline_day
from nkwatch.summarize import summarize_article

#: Datelines as agencies write them: (opening, agency, cities, (month, day, year) or None).
FORMS = [
    ("SEOUL, Oct 21 (Yonhap) -- ", "Yonhap", "SEOUL", (10, 21, None)),
    ("SEOUL/WASHINGTON, Dec. 7 (Yonhap) -- ", "Yonhap", "SEOUL/WASHINGTON", (12, 7, None)),
    ("ERIMO, Japan, Oct 19 (Reuters) - ", "Reuters", "ERIMO", (10, 19, None)),
    ("SEOUL, 12 Oct 2024 (AFP) - ", "AFP", "SEOUL", (10, 12, 2024)),
    ("PANMUNJOM, South Korea, Sept. 15, 2026 (AP) — ", "AP", "PANMUNJOM", (9, 15, 2026)),
    ("ERIE, Pa. (AP) — ", "AP", "ERIE", None),
    ("NEW YORK (Reuters) - ", "Reuters", "NEW YORK", None),
]


@pytest.mark.parametrize(("opening", "agency", "cities", "day"), FORMS)
def test_a_dateline_is_read_whole(
    opening: str, agency: str, cities: str, day: tuple[int, int, int | None] | None
) -> None:
    match = DATELINE.match(opening)
    assert match is not None
    assert match.group(0) == opening.rstrip()
    assert match.group("places") == cities
    assert match.group("outlet") == agency
    assert dateline_day(match) == day


@pytest.mark.parametrize(("opening", "agency", "cities", "day"), FORMS)
def test_every_stage_reads_the_same_datelines(
    opening: str, agency: str, cities: str, day: tuple[int, int, int | None] | None
) -> None:
    text = opening + "North Korea fired two missiles into the sea on Wednesday, officials said."
    origin = find_origin(text)
    assert origin is not None and origin.outlet == agency
    if day is None:
        assert filed_day(text, date(2026, 10, 20)) == date(2026, 10, 20)
    else:
        # The page is stamped a day after the filing: relative days are read from the dateline.
        month, number, year = day
        given = date(year or 2026, month, number)
        assert filed_day(text, given + timedelta(days=1)) == given
        places = {m.surface for m in find_unknown_entities(text) if m.type == "place"}
        assert set(cities.split("/")) <= places


def test_a_line_of_capitals_is_no_dateline() -> None:
    assert DATELINE.match("KST - the time zone") is None
    assert dateline_day(DATELINE.match("BEIJING -- China said")) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("unit", ["A-", "A.", "AB'"])
def test_a_run_of_capitals_costs_a_bounded_time_at_each_one(unit: str) -> None:
    # Summaries search every sentence for a dateline: a pattern whose city could run to the
    # end of "A-A-A-…" tried again from each capital would be quadratic (a hang guard).
    text = unit * 50_000
    with time_budget(20.0):
        summarize_article(title="", text=text)
        find_unknown_entities(text)
        extract_figures(text)
