"""Digest pages: one item per read-more-closed summary, and [] for anything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkwatch.extract.digest import (
    DigestItem,
    is_digest_html,
    is_digest_text,
    split_digest_html,
    split_digest_text,
)

DATA = Path(__file__).parent.parent / "data" / "extract" / "digest"
BASE = "https://frontier.example.org/brief/"


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_digest_article_blocks_with_chrome_around() -> None:
    items = split_digest_html(_read("articles_layout.html"), base_url=BASE)
    assert [item.title for item in items] == [
        "Freight trains cross the Tumen bridge again",
        "Seasonal fishing ban lifted on the east coast",
        "Electricity supply improves in provincial towns",
    ]
    assert [item.link for item in items] == [
        "https://frontier.example.org/2026/10/21/rail-link",
        "https://frontier.example.org/2026/10/21/fishing-ban",
        "https://www.example-frontier.org/2026/10/21/power",
    ]
    assert [item.index for item in items] == [0, 1, 2]
    assert items[0].text.startswith("Freight trains have started crossing")
    for item in items:
        assert "Read More" not in item.text
        assert "October 21, 2026" not in item.text
    joined = " ".join(item.text for item in items)
    assert "Flood damage" not in joined
    assert "Three stories we are watching" not in joined


def test_digest_flat_siblings_without_wrappers() -> None:
    items = split_digest_html(_read("flat_siblings.html"), base_url=BASE)
    assert len(items) == 4
    assert items[0] == DigestItem(
        title="Leaders trade messages on the party anniversary",
        text=(
            "The leaders of North Korea and Laos exchanged messages marking the anniversary of "
            "their ruling parties, pledging closer ties in agriculture and education."
        ),
        link="https://laosdesk.example.net/messages",
        index=0,
    )
    assert items[2].title == "Border trade picks up before winter"
    assert items[2].text.endswith("Customs data for October will be released next month.")
    assert items[3].link == "https://frontier.example.org/reports/football"
    assert all("Our editors picked" not in item.text for item in items)
    assert all("»" not in item.text for item in items)


def test_digest_posts_with_bold_headlines_and_base_tag() -> None:
    items = split_digest_html(_read("div_posts_nohead.html"), base_url=BASE)
    assert len(items) == 3
    assert items[0].title == "Pyongyang hosts a trade fair for building materials"
    assert items[0].link == "https://briefs.example.com/news/item-1.html"
    assert items[1].title is None
    assert items[1].text.startswith("Officials in South Hamgyong")
    assert items[2].title == "Tour agency reopens bookings"
    assert items[2].link == "https://briefs.example.com/tours/paektu"
    assert all("Continue reading" not in item.text for item in items)


def test_digest_text_with_links_on_same_and_next_line() -> None:
    items = split_digest_text(_read("plain_digest.txt"), base_url="https://frontier.example.org/")
    assert [(item.title, item.link) for item in items] == [
        ("Rail bridge reopens to freight", "https://frontier.example.org/rail-bridge"),
        ("Fishing fleet back at sea", "https://frontier.example.org/fishing"),
        ("Power supply improves", "https://frontier.example.org/power-supply"),
    ]
    assert items[2].text == (
        "Residents of several provincial towns say electricity now lasts for most of the evening."
    )
    assert all("Read" not in item.text and "Unsubscribe" not in item.text for item in items)


def test_digest_text_with_inline_read_more_and_no_links() -> None:
    items = split_digest_text(_read("inline_digest.txt"))
    assert len(items) == 3
    assert all(item.link is None and item.title is None for item in items)
    assert items[0].text.endswith("expected to open next month.")
    assert items[1].text.split("\n\n") == [
        "The state news agency said a new textbook on national history will be introduced in all "
        "secondary schools from the next academic year.",
        "Teachers will receive training over the winter break.",
    ]
    assert "Full story" not in items[1].text


@pytest.mark.parametrize(
    "name",
    ["not_article_single_readmore.html", "not_article_related.html", "not_article_teasers.html"],
)
def test_non_digest_html_pages_give_no_items(name: str) -> None:
    assert split_digest_html(_read(name), base_url=BASE) == []
    assert not is_digest_html(_read(name))


def test_non_digest_text_gives_no_items() -> None:
    assert split_digest_text(_read("not_digest.txt")) == []
    assert not is_digest_text(_read("not_digest.txt"))
    assert is_digest_text(_read("plain_digest.txt"))


def test_degenerate_inputs() -> None:
    assert split_digest_html("") == []
    assert split_digest_html("<html></html>") == []
    assert split_digest_text("Read more\nRead more\n") == []


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_digest_functions_never_raise(text: str) -> None:
    for items in (split_digest_text(text), split_digest_html(text)):
        assert all(item.text for item in items)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<a href='x'>Read more</a>", "<h3>T", "ab. "])))
def test_digest_html_never_raises_on_tag_soup(parts: list[str]) -> None:
    items = split_digest_html("".join(parts), base_url=BASE)
    assert [item.index for item in items] == list(range(len(items)))
