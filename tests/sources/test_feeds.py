"""Tests for feed sniffing and parsing."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nkwatch.errors import Reason, RejectedInput
from nkwatch.record import FeedHints
from nkwatch.sources.feeds import FULL_TEXT_MIN_CHARS, looks_like_feed, parse_feed

DATA = Path(__file__).resolve().parent.parent / "data" / "sources"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_rss2_entries_dates_authors_and_relative_links() -> None:
    feed = parse_feed(read("rss2.xml"), location="rss2.xml", url="https://news.example.org/feed")

    assert feed.title == "Example Korea Desk"
    assert feed.link == "https://news.example.org/"
    assert feed.version == "rss20"
    assert [entry.link for entry in feed.entries] == [
        "https://news.example.org/2024/01/02/satellite",
        "https://news.example.org/2024/01/03/brief",
    ]
    first, second = feed.entries
    assert first.title == "Satellite launch announced"
    assert first.author == "Kim Example"
    assert first.published == datetime(2024, 1, 2, 1, 0, tzinfo=UTC)
    assert first.summary == "Pyongyang announced a satellite launch."
    assert second.title == "Short brief & more"
    assert second.published == datetime(2024, 1, 3, 8, 30, tzinfo=UTC)
    assert second.author is None


def test_rss2_full_text_detected_only_for_long_content() -> None:
    feed = parse_feed(read("rss2.xml"), location="rss2.xml")
    first, second = feed.entries

    assert first.full_text is not None
    assert "Sohae station" in first.full_text
    assert second.full_text is None


def test_full_text_entry_becomes_raw_document_with_hints() -> None:
    feed = parse_feed(read("rss2.xml"), location="rss2.xml", url="https://news.example.org/feed")
    entry = feed.entries[0]

    doc = entry.to_raw_document(feed, outlet="Example")

    assert doc is not None
    assert doc.url == entry.link
    assert doc.location == entry.link
    assert doc.outlet == "Example"
    assert doc.content_type == "text/html"
    assert doc.charset == "utf-8"
    page = doc.content.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Satellite launch announced</title>" in page
    assert "Sohae station" in page
    assert doc.feed == FeedHints(
        title="Satellite launch announced",
        published=datetime(2024, 1, 2, 1, 0, tzinfo=UTC),
        author="Kim Example",
        summary="Pyongyang announced a satellite launch.",
        full_text=entry.full_text,
        feed_url="https://news.example.org/feed",
        feed_title="Example Korea Desk",
    )


def test_entry_without_full_text_gives_hints_but_no_document() -> None:
    feed = parse_feed(read("rss2.xml"), location="rss2.xml")
    entry = feed.entries[1]

    assert entry.to_raw_document(feed) is None
    hints = entry.to_hints(feed)
    assert hints.title == "Short brief & more"
    assert hints.full_text is None
    assert hints.feed_title == "Example Korea Desk"


def test_rss1_rdf() -> None:
    feed = parse_feed(read("rss1.rdf"), location="rss1.rdf")

    assert feed.version == "rss10"
    assert feed.title == "RDF Desk"
    (entry,) = feed.entries
    assert entry.link == "https://rdf.example.org/one"
    assert entry.author == "Desk Editor"
    assert entry.published == datetime(2024, 1, 1, 18, 4, 5, tzinfo=UTC)


def test_atom_published_and_full_text() -> None:
    feed = parse_feed(read("atom.xml"), location="atom.xml")

    assert feed.version == "atom10"
    assert feed.title == "Atom Desk"
    full, teaser = feed.entries
    assert full.published == datetime(2024, 1, 5, 14, 0, tzinfo=UTC)
    assert full.author == "Lee Writer"
    assert full.summary == "Teaser text."
    assert full.full_text is not None and "Okinawa" in full.full_text
    assert teaser.published == datetime(2024, 1, 4, 10, 0, tzinfo=UTC)
    assert teaser.full_text is None


def test_content_equal_to_summary_counts_as_full_text() -> None:
    body = "<p>" + "word " * (FULL_TEXT_MIN_CHARS // 4) + "</p>"
    rss = (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>T</title><item><title>A</title><link>https://x.example/a</link>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item></channel></rss>"
    ).encode()

    (entry,) = parse_feed(rss, location="inline").entries

    assert entry.full_text == body


def test_plain_text_content_is_escaped_into_html() -> None:
    text = ("Line with <angle> & ampersand. " * 20 + "\n\n") * 2
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>A</title>'
        '<link href="https://x.example/a"/><id>a</id><updated>2024-01-01T00:00:00Z</updated>'
        f'<content type="text">{text.replace("&", "&amp;").replace("<", "&lt;")}</content>'
        "</entry></feed>"
    ).encode()

    (entry,) = parse_feed(atom, location="inline").entries

    assert entry.full_text is not None
    assert entry.full_text.startswith("<p>Line with &lt;angle&gt; &amp; ampersand.")
    assert entry.full_text.count("<p>") == 2


def test_malformed_but_recoverable_feed_is_accepted_with_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="nkwatch.sources.feeds"):
        feed = parse_feed(read("malformed.xml"), location="malformed.xml")

    assert [entry.link for entry in feed.entries] == [
        "https://broken.example.org/talks",
        "https://broken.example.org/second",
    ]
    assert any("malformed" in record.getMessage() for record in caplog.records)


def test_html_page_is_rejected_as_bad_feed() -> None:
    with pytest.raises(RejectedInput) as caught:
        parse_feed(read("page.html"), location="https://news.example.org/")

    assert caught.value.reason is Reason.BAD_FEED
    assert "is an HTML page, not a feed" in caught.value.detail
    assert "give the feed URL" in caught.value.detail


def test_html_without_doctype_is_rejected_as_html() -> None:
    with pytest.raises(RejectedInput) as caught:
        parse_feed(b"  <!-- hi --><html><body>x</body></html>", location="p")

    assert caught.value.reason is Reason.BAD_FEED
    assert "HTML page" in caught.value.detail


def test_empty_feed_is_rejected_as_empty_feed() -> None:
    with pytest.raises(RejectedInput) as caught:
        parse_feed(read("empty.xml"), location="empty.xml")

    assert caught.value.reason is Reason.EMPTY_FEED
    assert caught.value.source == "empty.xml"


@pytest.mark.parametrize("content", [b"", b"   \n", b"just some words", b'{"json": true}'])
def test_non_feeds_are_rejected_as_bad_feed(content: bytes) -> None:
    with pytest.raises(RejectedInput) as caught:
        parse_feed(content, location="x")

    assert caught.value.reason is Reason.BAD_FEED


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rss2.xml", True),
        ("rss1.rdf", True),
        ("atom.xml", True),
        ("empty.xml", True),
        ("page.html", False),
        ("subscriptions.opml", False),
    ],
)
def test_looks_like_feed_sniffs_root_element(name: str, expected: bool) -> None:
    assert looks_like_feed(read(name)) is expected


def test_looks_like_feed_handles_bom_and_utf16() -> None:
    rss = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel/></rss>'
    assert looks_like_feed(b"\xef\xbb\xbf" + rss.encode("utf-8"))
    assert looks_like_feed(rss.encode("utf-16"))
    assert looks_like_feed(rss.encode("utf-16-le"))


def test_looks_like_feed_uses_content_type_only_when_sniffing_fails() -> None:
    assert looks_like_feed(b"", "application/rss+xml")
    assert not looks_like_feed(b"", "text/html")
    assert not looks_like_feed(read("page.html"), "application/rss+xml")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
@example(b"<item></pubDate>")
@example(b"<rss version='2.0'><channel><item><pubDate>Mon, 99 Jan 9999</pubDate></item>")
def test_parse_feed_only_ever_rejects_arbitrary_bytes(content: bytes) -> None:
    try:
        feed = parse_feed(content, location="fuzz")
    except RejectedInput as exc:
        assert exc.reason in (Reason.BAD_FEED, Reason.EMPTY_FEED)
    else:
        assert feed.entries


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=200).map(
        lambda text: f'<rss version="2.0"><channel><item><title>{text}</title>'.encode()
    )
)
def test_parse_feed_only_ever_rejects_feed_like_bytes(content: bytes) -> None:
    try:
        feed = parse_feed(content, location="fuzz")
    except RejectedInput as exc:
        assert exc.reason in (Reason.BAD_FEED, Reason.EMPTY_FEED)
    else:
        assert feed.entries
