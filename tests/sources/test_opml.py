"""Tests for OPML subscription lists."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkwatch.errors import Reason, RejectedInput
from nkwatch.sources.opml import OpmlFeed, parse_opml

DATA = Path(__file__).resolve().parent.parent / "data" / "sources"


def test_nested_outlines_become_categories(caplog: pytest.LogCaptureFixture) -> None:
    content = (DATA / "subscriptions.opml").read_bytes()

    with caplog.at_level(logging.WARNING, logger="nkwatch.sources.opml"):
        feeds = parse_opml(content, location="subscriptions.opml")

    assert feeds == [
        OpmlFeed("https://top.example.org/feed.xml", "Top-level feed", None),
        OpmlFeed("http://state.example.org/rss", "State media", "Korea"),
        OpmlFeed("https://think.example.org/atom.xml", "Think tank", "Korea/Analysis"),
        OpmlFeed("https://cat.example.org/rss", "Categorised", "World/Asia"),
    ]
    skipped = [record.getMessage() for record in caplog.records]
    assert any("mailto:list@example.org" in message for message in skipped)
    assert any("file:///etc/passwd" in message for message in skipped)


def test_opml_without_feeds_is_an_empty_list() -> None:
    content = b'<opml version="1.0"><head/><body><outline text="Empty folder"/></body></opml>'

    assert parse_opml(content, location="empty.opml") == []


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<opml><body><outline xmlUrl='http://x.example/'></body>",
        b"<rss version='2.0'><channel/></rss>",
        b"<opml version='2.0'><head/></opml>",
        b"\xff\xfe\x00\x01 not xml",
    ],
)
def test_malformed_opml_is_rejected(content: bytes) -> None:
    with pytest.raises(RejectedInput) as caught:
        parse_opml(content, location="bad.opml")

    assert caught.value.reason is Reason.BAD_FEED
    assert caught.value.source == "bad.opml"


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    content = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY leak SYSTEM "file://{secret}">]>'
        '<opml version="2.0"><body><outline text="&leak;" xmlUrl="https://x.example/rss"/>'
        "</body></opml>"
    ).encode()

    try:
        feeds = parse_opml(content, location="xxe.opml")
    except RejectedInput as exc:
        assert exc.reason is Reason.BAD_FEED
    else:
        assert [feed.url for feed in feeds] == ["https://x.example/rss"]
        assert all("TOP-SECRET" not in (feed.title or "") for feed in feeds)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_parse_opml_only_ever_rejects_arbitrary_bytes(content: bytes) -> None:
    try:
        feeds = parse_opml(content, location="fuzz")
    except RejectedInput as exc:
        assert exc.reason is Reason.BAD_FEED
    else:
        assert all(feed.url.lower().startswith(("http://", "https://")) for feed in feeds)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100), st.text(max_size=100))
def test_parse_opml_only_ever_rejects_opml_like_input(url: str, title: str) -> None:
    content = (
        f'<opml version="2.0"><body><outline text="{title}"><outline xmlUrl="{url}"/></outline>'
        "</body></opml>"
    ).encode()
    try:
        feeds = parse_opml(content, location="fuzz")
    except RejectedInput as exc:
        assert exc.reason is Reason.BAD_FEED
    else:
        assert all(feed.url.lower().startswith(("http://", "https://")) for feed in feeds)
