"""Plain-text pages: chrome out, headline, body, date and author in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkwatch.extract.text import extract_text_page, find_dates, is_metadata_line

DATA = Path(__file__).parent.parent / "data" / "extract" / "text"


def _page(name: str):
    result = extract_text_page((DATA / name).read_text(encoding="utf-8"))
    assert result is not None
    return result


CASES = [
    (
        "nav_breadcrumb.txt",
        "North Korea Opens Second Missile Assembly Hall in Jagang Province",
        datetime(2026, 10, 21, 9, 14),
        "Jane Doe",
        [
            "North Korea has finished building a second assembly hall",
            '"This is a serious expansion of capacity," said one analyst.',
            "disbanded in 2024 after a veto in the Security Council.",
        ],
        [
            "Comments0",
            "12 shares",
            "Advertisement",
            "Tags:",
            "Latest Stories",
            "Pyongyang marks party anniversary",
            "Prev Next",
            "©",
            "Home > North Korea",
            "Tweet",
        ],
    ),
    (
        "wrapped_cookies.txt",
        "Ferry Service Between Rason and Vladivostok Resumes After Five Years",
        datetime(2026, 10, 21),
        "John Roe",
        [
            "A passenger ferry has begun sailing again between the North Korean port of Rason",
            "The route matters less for tourism than for freight.",
            "previously moved by rail through China.",
        ],
        [
            "cookies",
            "Most Read",
            "Kim Yo Jong issues a statement",
            "John Roe is a staff reporter",
            "Subscribe",
            "Copyright",
            "Home » News",
        ],
    ),
    (
        "sidebar_comments.txt",
        "Why the Latest Currency Rules Are Squeezing Small Traders",
        datetime(2026, 10, 21),
        None,
        [
            "Small traders in North Korean markets are struggling",
            '"It is not worth the risk," she said.',
            "keep rising through the winter.",
        ],
        [
            "Related Articles",
            "Unification ministry to cut staff",
            "ANALYSIS",
            "Comments (3)",
            "Previous article",
            "terrible policy",
            "Privacy policy",
            "Skip to content",
        ],
    ),
    (
        "flat_lines_bio.txt",
        "Seoul Weighs Resuming Loudspeaker Broadcasts Along the Border",
        datetime(2026, 11, 14, 16, 40, tzinfo=timezone(timedelta(hours=9))),
        "Min-ji Park and Tom Ellis",
        [
            "South Korea's defence ministry is considering",
            '"We are watching closely," the spokesperson said.',
            "consult them before any change.",
        ],
        [
            "Share on Facebook",
            "is a correspondent based in Seoul",
            "Related Articles",
            "Balloons land on a school roof",
            "Follow us",
            "News / Korea",
            "Video",
        ],
    ),
    (
        # Skip links, a columnist label, a photo caption, a first sentence cut by a blank line,
        # an e-mail sign-off, then headline lists (numbered, with section labels, repeated,
        # with teasers) under assorted headers.
        "signoff_headline_lists.txt",
        "Ration Cards Return to Hyesan Shops as Corn Prices Climb",
        None,
        "Han Seo-rin",
        [
            "Authorities in Ryanggang Province have brought back paper ration cards for corn at "
            "state-run shops in Hyesan, two residents",
            "up to 12 kilograms of corn a month",
            "state media have made no mention of it.",
        ],
        [
            "Skip to",
            "Views",
            "Photo:",
            "seorin.han@",
            "Comments0",
            "214 shares",
            "Latest Stories",
            "Weekly Best",
            "40+ Horses",
            "BUSINESS",
            "You May Also Like",
            "Units along the river received the weapons",
            "Popular Now",
            "Must-Reads",
            "Village Mended",
            "Pine Ridge Courier",
        ],
    ),
    (
        # The same structure under headers no word list knows, and no sign-off.
        "unlisted_headers.txt",
        "Seoul Extends Cash Support Scheme for Resettled Families",
        None,
        "Oh Ji-hoon",
        ["Seoul's unification ministry said on Thursday", "leaving many families dependent"],
        [
            "From Our Newsroom",
            "ECONOMY",
            "Weekend Selection",
            "Lantern Festival",
            "40,000 members",
            "Readers' Favourites",
            "Riverside Ledger",
        ],
    ),
    (
        # A re-post: breadcrumb, "Date :" line, short headline, the source URL, the headline.
        "repost_breadcrumb.txt",
        "Border Officials Detained Over Rice Smuggling Ring in Sinuiju",
        datetime(2026, 3, 3),
        None,
        ["Six customs officials in the border city", "expected the supply to tighten."],
        ["Home >", "Date :", "Rice Smuggling Case\n", "https://", "[Source:", "Prev"],
    ),
]


@pytest.mark.parametrize(("name", "title", "published", "author", "present", "absent"), CASES)
def test_text_page_extraction(name, title, published, author, present, absent) -> None:
    page = _page(name)
    assert page.title == title
    assert page.published == published
    assert page.author == author
    for snippet in present:
        assert snippet in page.text
    for snippet in absent:
        assert snippet not in page.text


def test_text_page_paragraphs_are_separated_and_unwrapped() -> None:
    page = _page("wrapped_cookies.txt")
    paragraphs = page.text.split("\n\n")
    assert len(paragraphs) == 4
    assert "\n" not in paragraphs[0]


def test_text_page_headline_list_with_full_stops_is_chrome() -> None:
    page = _page("nav_breadcrumb.txt")
    assert len(page.text.split("\n\n")) == 5
    assert "Prices of rice climb again" not in page.text


def test_text_page_without_body_is_none() -> None:
    assert extract_text_page((DATA / "no_body.txt").read_text(encoding="utf-8")) is None
    assert extract_text_page("") is None
    assert extract_text_page("Home\nNews\nSearch\n") is None


def test_text_page_prefers_published_over_updated() -> None:
    text = (
        "Grain Imports Rise Sharply\n\nUpdated: 2026-10-23 08:00\nPublished: 2026-10-20 07:30\n\n"
        "Customs figures released in Beijing show that shipments of wheat flour to the North "
        "rose again last month, continuing a trend that began in the spring of this year.\n"
    )
    page = extract_text_page(text)
    assert page is not None
    assert page.title == "Grain Imports Rise Sharply"
    assert page.published == datetime(2026, 10, 20, 7, 30)


@pytest.mark.parametrize(
    ("line", "expected", "label"),
    [
        ("2026-10-21 09:14", datetime(2026, 10, 21, 9, 14), ""),
        ("October 21, 2026", datetime(2026, 10, 21), ""),
        ("21 Oct 2026", datetime(2026, 10, 21), ""),
        ("Published: Oct. 3, 2026 at 4:05 p.m.", datetime(2026, 10, 3, 16, 5), "published"),
        ("Updated 2 November 2026", datetime(2026, 11, 2), "updated"),
    ],
)
def test_find_dates(line: str, expected: datetime, label: str) -> None:
    found = find_dates(line)
    assert [(d.value, d.label) for d in found] == [(expected, label)]


def test_metadata_lines() -> None:
    assert is_metadata_line("By Jane Doe")
    assert is_metadata_line("Published: October 21, 2026")
    assert not is_metadata_line("By Tuesday, the talks had collapsed without any agreement.")
    assert not is_metadata_line("On October 21, 2026, the two sides met at the border to talk.")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_extract_text_page_never_raises(text: str) -> None:
    result = extract_text_page(text)
    assert result is None or result.text


def test_wrapped_first_sentence_is_rejoined_and_the_headline_found_above_it() -> None:
    page = _page("signoff_headline_lists.txt")
    first = page.text.split("\n\n")[0]
    assert first.startswith("Authorities in Ryanggang Province")
    assert "for corn at state-run shops" in first
    assert len(page.text.split("\n\n")) == 4


def test_headline_list_after_the_body_needs_three_headlines() -> None:
    body = (
        "The ministry said on Thursday that the scheme would be extended for two more years, "
        "after a review found that most families still earned less than the median income."
    )
    two = f"Pine Ridge Notes\n\n{body}\n\nHarbour Crane Collapses in the Night\n\n{body}"
    page = extract_text_page(two)
    assert page is not None
    # A subheading followed by prose is body; a list of headlines never is.
    assert "Harbour Crane Collapses in the Night" in page.text
    listed = (
        f"Pine Ridge Notes\n\n{body}\n\nMore Reading\n\n"
        "Harbour Crane Collapses in the Night\nFerry Route Reopens After Repairs\n"
        "1 WORLD Talks Resume in the Border Town\n"
    )
    page = extract_text_page(listed)
    assert page is not None
    assert page.text == body


def test_breadcrumb_and_date_line_are_metadata() -> None:
    page = _page("repost_breadcrumb.txt")
    assert "Home > News > North Korea" in page.head
    assert "Date : March 3, 2026" in page.head
    assert "[Source: Harbour Light News]" in page.tail
