"""Credits of syndicated re-posts: found when present, never invented from attributions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkwatch.errors import ExtractError
from nkwatch.extract import extract_document
from nkwatch.extract.syndication import find_origin, strip_credit, strip_reporting_credit
from nkwatch.record import Origin, RawDocument

CASES = json.loads(
    (Path(__file__).parent.parent / "data" / "extract" / "syndication" / "cases.json").read_text(
        encoding="utf-8"
    )
)
REPOST = "https://repost.example.com/2026/10/story"


@pytest.mark.parametrize("case", CASES["positive"], ids=lambda c: c["text"][:40])
def test_credit_lines_are_found(case: dict[str, str | None]) -> None:
    assert find_origin(str(case["text"])) == Origin(outlet=case["outlet"], url=case["url"])


@pytest.mark.parametrize("sentence", CASES["negative"])
def test_attributions_inside_stories_are_not_credits(sentence: str) -> None:
    assert find_origin(sentence) is None


@pytest.mark.parametrize("case", CASES["positive"], ids=lambda c: c["text"][:40])
def test_strip_credit_removes_only_standalone_credits(case: dict[str, str | bool]) -> None:
    story = "Officials in Seoul said the talks would resume next month."
    text = f"{case['text']}\n\n{story}" if not case["standalone"] else f"{story}\n\n{case['text']}"
    stripped = strip_credit(text)
    assert story in stripped
    if case["standalone"]:
        assert stripped == story
    else:
        assert str(case["text"]) in stripped


def test_credit_in_a_full_story() -> None:
    text = (
        "SEOUL, Oct 12 (Yonhap) — North Korea fired two short-range missiles into the sea on "
        "Sunday, according to Yonhap, which cited the military.\n\n"
        "A source said the launch came hours after joint drills ended.\n\n"
        "This article first appeared in NK News on October 12, 2026.\n"
    )
    assert find_origin(text) == Origin(outlet="NK News", url=None)
    stripped = strip_credit(text)
    assert stripped.startswith("SEOUL, Oct 12 (Yonhap) — North Korea fired")
    assert "first appeared" not in stripped
    assert stripped.endswith("joint drills ended.")


def test_html_original_source_and_canonical() -> None:
    canonical = '<html><head><link rel="canonical" href="https://www.nknews.org/a/1"></head></html>'
    body = "Markets in the north are quiet this week."
    assert find_origin(body, html=canonical, url=REPOST) == Origin(
        outlet=None, url="https://www.nknews.org/a/1"
    )
    # A canonical link to the page's own site is not a credit.
    assert find_origin(body, html=canonical, url="https://nknews.org/a/1") is None
    # Without the page's own URL a canonical link proves nothing.
    assert find_origin(body, html=canonical) is None
    declared = (
        '<html><head><meta name="syndication-source" content="https://www.dailynk.com/x">'
        '<link rel="original-source" href="https://www.dailynk.com/x"></head></html>'
    )
    assert find_origin("[Source: Daily NK]", html=declared, url=REPOST) == Origin(
        outlet="Daily NK", url="https://www.dailynk.com/x"
    )


def test_credit_url_on_the_reposting_site_is_ignored() -> None:
    text = "Story text.\n\nOriginal article: https://repost.example.com/older-copy"
    assert find_origin(text, url=REPOST) is None


@settings(max_examples=200, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_find_origin_never_raises(text: str, html: str | None, url: str | None) -> None:
    origin = find_origin(text, html=html, url=url)
    assert origin is None or origin.outlet or origin.url
    assert isinstance(strip_credit(text), str)


TEXT_PAGES = Path(__file__).parent.parent / "data" / "extract" / "syndication" / "text_pages"
TEXT_PAGE_CASES = json.loads((TEXT_PAGES.parent / "text_pages.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "expected"), sorted(TEXT_PAGE_CASES.items()))
def test_text_page_credits_set_origin(name: str, expected: dict[str, str | None]) -> None:
    path = TEXT_PAGES / name
    article = extract_document(RawDocument(location=str(path), content=path.read_bytes()))[0]
    assert article.origin == Origin(outlet=expected["outlet"], url=expected["url"])
    assert "Source:" not in article.text
    assert "first appeared" not in article.text
    assert "://" not in article.text
    assert article.text.rstrip().endswith(".")


def test_bare_url_of_another_site_near_the_top_is_the_source() -> None:
    url = "https://www.eastgatemonitor.example/economy/2026/03/fishing-fleet"
    text = f"Fishing Fleet Kept in Port\n\n{url}\n\nCrews were told to stay in harbour."
    assert find_origin(text) == Origin(outlet="eastgatemonitor.example", url=url)
    # The page's own address is no credit, and neither is a URL deep in the story.
    assert find_origin(text, url="https://eastgatemonitor.example/x") is None
    late = "\n\n".join(["Crews were told to stay in harbour."] * 8 + [url])
    assert find_origin(late) is None


def test_reporting_credit_goes_to_the_author() -> None:
    story = "Crews were told to stay in harbour for two weeks."
    text, reporters = strip_reporting_credit(
        f"{story}\n\n(Reporting by Yoon Mi-rae; Editing by Tom Vale)"
    )
    assert text == story
    assert reporters == "Yoon Mi-rae"
    kept, none = strip_reporting_credit(f"{story} Reporting by the paper was thorough, he said.")
    assert none is None
    assert kept.startswith(story)


def _page_of_a_site_named_by_its_host(body: str) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n"))
    return (
        "<html><head><title>Border trade slows</title>"
        '<meta property="og:site_name" content="www.borderdesk.example">'
        "</head><body><article><h1>Border trade slows</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode()


def test_a_site_named_by_its_host_gets_one_name_with_or_without_a_footer() -> None:
    body = (
        "Trucks queued for two days at the Dandong crossing this week, traders said.\n"
        "Customs officers inspected every container, according to drivers who spoke by phone.\n"
        "Prices of flour in Sinuiju markets rose by a fifth over the same period."
    )
    plain = _page_of_a_site_named_by_its_host(body)
    footed = _page_of_a_site_named_by_its_host(body + "\nCopyright © 2026 Border Desk")
    outlets = {
        extract_document(RawDocument(location=f"{name}.html", content=content))[0].outlet
        for name, content in (("plain", plain), ("footed", footed))
    }
    assert outlets == {"borderdesk.example"}


def test_page_furniture_read_as_a_site_name_gives_way_to_the_host() -> None:
    # Site names taken from a page's chrome: a menu's lines, a social handle, a bare notice.
    body = "</p><p>".join(
        (
            "Trucks queued for two days at the Dandong crossing this week, traders said.",
            "Customs officers inspected every container, according to drivers who spoke by phone.",
            "Prices of flour in Sinuiju markets rose by a fifth over the same period.",
        )
    )
    for furniture in (
        "Advertise With Us\n\n\nMedia Kit\n\nMarket",
        "@borderdesk",
        "Copyright 2014",
    ):
        page = (
            "<html><head><title>Border trade slows</title>"
            f'<meta property="og:site_name" content="{furniture}">'
            '<link rel="canonical" href="https://www.borderdesk.example/trade/slows">'
            f"</head><body><article><h1>Border trade slows</h1><p>{body}</p>"
            "</article></body></html>"
        ).encode()
        article = extract_document(RawDocument(location="page.html", content=page))[0]
        assert article.outlet == "borderdesk.example", furniture
    named = (
        "<html><head><title>Border trade slows</title>"
        '<meta property="og:site_name" content="Border Desk">'
        f"</head><body><article><h1>Border trade slows</h1><p>{body}</p></article></body></html>"
    ).encode()
    assert (
        extract_document(RawDocument(location="p.html", content=named))[0].outlet == "Border Desk"
    )


def test_a_copyright_notice_names_the_outlet_only_on_its_own_line() -> None:
    body = "".join(
        f"<p>{line}</p>"
        for line in (
            "Trucks queued for two days at the Dandong crossing this week, traders said.",
            "Customs officers inspected every container, according to drivers who spoke by phone.",
            "Prices of flour in Sinuiju markets rose by a fifth over the same period.",
        )
    )

    def outlet(footer: str) -> str | None:
        page = (
            "<html><head><title>Border trade slows</title>"
            f"</head><body><article><h1>Border trade slows</h1>{body}</article>"
            f"<footer>{footer}</footer></body></html>"
        ).encode()
        return extract_document(RawDocument(location="page.html", content=page))[0].outlet

    # A notice split by inline tags still names its holder.
    assert outlet('<p>&copy; <span>2026</span> <a href="/">Border Desk</a></p>') == "Border Desk"
    # A menu's "Copyright" link is followed by other links, not by a name.
    menu = "".join(
        f"<li><a href='#'>{item}</a></li>" for item in ("Copyright", "Advertise With Us")
    )
    assert outlet(f"<ul>{menu}</ul>") == "unknown outlet (page.html)"
    # The word itself is no holder ("© Copyright 2011-2019", the name on the next line).
    assert outlet("<p>&copy; Copyright 2011-2019<br>ノート</p>") == "unknown outlet (page.html)"


def test_a_wire_bulletin_whose_page_is_mostly_its_credit_is_still_an_article() -> None:
    bulletin = "SEOUL — North Korea fired a ballistic missile toward the East Sea on Thursday."
    credit = (
        "Copyright 2026 The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed."
    )
    page = (
        "<html><head><title>N. Korea fires missile</title></head><body><article>"
        f"<h1>N. Korea fires missile</h1><p>{bulletin}</p><p>{credit}</p></article></body></html>"
    ).encode()
    article = extract_document(RawDocument(location="/wire.html", content=page))[0]
    assert article.text == bulletin and article.origin == Origin(outlet="AP", url=None)
    # Without a credit, a text that short is page chrome, not an article.
    bare = page.replace(f"<p>{credit}</p>".encode(), b"")
    with pytest.raises(ExtractError, match="not-an-article"):
        extract_document(RawDocument(location="/bare.html", content=bare))


def test_a_follow_us_link_near_the_top_is_no_source() -> None:
    text = (
        "Three executives sold their stock days before the breach was announced.\n"
        "Check us out on Facebook:\nhttp://www.facebook.com/ExampleShow\n"
        "https://youtu.be/abc123\nThe show airs nightly."
    )
    assert find_origin(text, url="https://show.example/ep") is None
