"""The digest renderers: HTML page, Markdown, RSS, Atom and JSON Feed from hand-built digests."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import lxml.html
import pytest
from markupsafe import escape

from nkwatch.enrich.tracker import Disagreement, Report
from nkwatch.publish.digest import (
    FORMATS,
    Digest,
    DigestStory,
    DigestStoryline,
    FigureLine,
    MeasureChart,
    MemberLink,
    Point,
    Quote,
    Section,
    StorylineEntry,
    earlier_period,
)
from nkwatch.publish.render import RENDERERS, disagreements, md_text

SCHEMA = Path(__file__).parents[1] / "data" / "publish" / "jsonfeed-1.1.schema.json"
SINCE = datetime(2026, 11, 17, 12, tzinfo=UTC)
UNTIL = datetime(2026, 11, 20, 12, tzinfo=UTC)
BUILT = datetime(2026, 11, 20, 12, 5, tzinfo=UTC)


def _at(day: int, hour: int = 8) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


_NIS_CLAIM = Report(
    1,
    _at(17),
    "Yonhap",
    "https://yna.example/a1",
    11000,
    None,
    None,
    "about",
    None,
    "the NIS",
    "estimated",
    "About 11,000 troops moved.",
)
_DAILY_CLAIM = Report(
    3,
    _at(18),
    "Daily NK",
    None,
    15000,
    None,
    None,
    None,
    None,
    None,
    None,
    "A third outlet put the number at 15,000.",
)
TROOPS_DISPUTE = Disagreement(_NIS_CLAIM, _DAILY_CLAIM, "North Korean troops in Russia")
TROOPS_DISPUTE_TEXT = (
    "Sources differ on North Korean troops in Russia: about 11,000 according to the NIS "
    "(Yonhap, 2026-11-17): “About 11,000 troops moved.” vs 15,000 according to Daily NK "
    "(2026-11-18): “A third outlet put the number at 15,000.”."
)

TROOPS = DigestStory(
    id=101,
    title="Troops moved to <Kursk> & beyond",
    themes=("troops-abroad", "diplomacy"),
    summary=(
        Quote(
            "About 11,000 troops moved to the <b>Kursk</b> region.",
            1,
            "Yonhap",
            "https://yna.example/a1",
        ),
        Quote(
            'Officials said the "deployment" was "complete" & final.',
            2,
            "Reuters",
            "https://reuters.example/r2?x=1&y=2",
        ),
        Quote("A third outlet put the number at 12,000.", 3, None, None),
    ),
    figures=(
        FigureLine(
            "North Korean troops in Russia",
            "about 11,000",
            "according to the NIS",
            "estimated",
            "Yonhap",
            "About 11,000 troops moved.",
        ),
        FigureLine(
            "North Korean troops in Russia",
            "12,000",
            None,
            None,
            "Daily NK",
            "A third outlet put the number at 12,000.",
        ),
    ),
    links=(
        MemberLink(
            4, "KCNA Watch", "Copy of the Yonhap report", "https://kcna.example/c4", _at(19, 9), 1
        ),
        MemberLink(
            2,
            "Reuters",
            "Officials confirm <deployment>",
            "https://reuters.example/r2?x=1&y=2",
            _at(18),
            None,
        ),
        MemberLink(1, "Yonhap", "Troops move", "https://yna.example/a1", _at(18, 6), None),
        MemberLink(3, "Daily NK", "Twelve thousand", None, _at(19), None),
    ),
    first_seen=_at(18, 6),
    last_seen=_at(19, 9),
    independent_sources=3,
    outlets=("Yonhap", "Reuters", "Daily NK", "KCNA Watch"),
    mark="new",
    importance=7.5,
    disputes=(TROOPS_DISPUTE,),
)
RICE = DigestStory(
    id=102,
    title="<script>alert(1)</script> Rice prices",
    themes=("markets",),
    summary=(
        Quote(
            "Rice cost *6,000* won_a_kilo <script>x()</script> [link](http://evil.example) #1.",
            5,
            "Asia Press",
            "https://asiapress.example/5",
        ),
    ),
    figures=(),
    links=(
        MemberLink(
            5, "Asia Press", "# Rice | prices [up]", "https://asiapress.example/5", _at(18), None
        ),
    ),
    first_seen=_at(18),
    last_seen=_at(18),
    independent_sources=1,
    outlets=("Asia Press",),
    mark="updated",
    importance=2.5,
)
CORN = DigestStory(
    id=103,
    title="- Corn stays flat",
    themes=("markets", "troops-abroad"),
    summary=(),
    figures=(),
    links=(MemberLink(6, "NK News", "Corn", None, None, None),),
    first_seen=None,
    last_seen=None,
    independent_sources=1,
    outlets=("NK News",),
    mark="",
    importance=1.0,
)
DIGEST = Digest(
    since=SINCE,
    until=UNTIL,
    generated_at=BUILT,
    sections=(
        Section("troops-abroad", "Troops & workers abroad", (TROOPS,)),
        Section("markets", "Remittances and markets", (RICE, CORN)),
    ),
    volume=(
        (
            "troops-abroad",
            "Troops & workers abroad",
            (("2026-11-17", 0), ("2026-11-18", 2), ("2026-11-19", 1), ("2026-11-20", 0)),
        ),
        (
            "markets",
            "Remittances and markets",
            (("2026-11-17", 0), ("2026-11-18", 1), ("2026-11-19", 0), ("2026-11-20", 0)),
        ),
    ),
    measures=(
        MeasureChart(
            "troops-russia",
            "North Korean troops in Russia",
            "people",
            (
                Point(_at(19), 12000.0, None, "Daily NK"),
                Point(_at(18, 6), 11000.0, None, "Yonhap <script>"),
                Point(datetime(2026, 10, 2, tzinfo=UTC), 10000.0, 12000.0, None),
            ),
        ),
        MeasureChart(
            "broker-fee",
            "Broker fee on remittances",
            "percent",
            (Point(_at(1), 30.0, None, "Asia Press"), Point(_at(15), 27.5, None, "Daily NK")),
        ),
    ),
)
EMPTY = Digest(since=SINCE, until=UNTIL, generated_at=BUILT, sections=(), volume=(), measures=())
ARTICLE_URLS = {link.url for story in DIGEST.stories for link in story.links if link.url} | {
    quote.url for story in DIGEST.stories for quote in story.summary if quote.url
}


def _render(fmt: str, digest: Digest = DIGEST) -> str:
    return RENDERERS[fmt](digest)


# -- every format ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("digest", [DIGEST, EMPTY], ids=["full", "empty"])
def test_same_digest_same_bytes(fmt: str, digest: Digest) -> None:
    first = RENDERERS[fmt](digest)
    assert first == RENDERERS[fmt](digest)
    assert first.endswith("\n") and first.strip()


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_only_the_build_time_varies(fmt: str) -> None:
    later = replace(DIGEST, generated_at=datetime(2027, 1, 2, 3, 4, tzinfo=UTC))
    before, after = _render(fmt).splitlines(), _render(fmt, later).splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    if fmt == "jsonfeed":
        assert changed == []
    else:
        assert len(changed) == 1
        assert "2027" in changed[0][1] and "2027" not in changed[0][0]


def test_every_format_is_registered() -> None:
    assert set(RENDERERS) == set(FORMATS)


# -- HTML -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> tuple[str, lxml.html.HtmlElement]:
    text = _render("html")
    return text, lxml.html.document_fromstring(text)


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_html_landmarks_and_language(page: tuple[str, lxml.html.HtmlElement]) -> None:
    text, doc = page
    assert text.startswith("<!DOCTYPE html>")
    assert doc.get("lang") == "en"
    body = doc.find("body")
    assert [child.tag for child in body if child.tag in {"header", "nav", "main", "footer"}] == [
        "header",
        "nav",
        "main",
        "footer",
    ]
    assert doc.xpath('//meta[@name="viewport"]')
    assert doc.xpath('//a[@href="#content"]') and doc.xpath('//main[@id="content"]')


def test_html_heading_hierarchy(page: tuple[str, lxml.html.HtmlElement]) -> None:
    _, doc = page
    headings = doc.xpath("//h1|//h2|//h3|//h4|//h5|//h6")
    levels = [int(h.tag[1]) for h in headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert [_text(h) for h in doc.xpath("//main//h2")] == [
        "Story volume",
        "Troops & workers abroad",
        "Remittances and markets",
        "Tracked figures",
    ]
    story_titles = [_text(h) for h in doc.xpath("//main//article/h3")]
    assert story_titles == [
        "Troops moved to <Kursk> & beyond new",
        "<script>alert(1)</script> Rice prices updated",
        "- Corn stays flat",
    ]


def test_html_contents_link_to_sections(page: tuple[str, lxml.html.HtmlElement]) -> None:
    _, doc = page
    targets = [a.get("href") for a in doc.xpath("//nav//a")]
    assert targets == ["#volume", "#theme-troops-abroad", "#theme-markets", "#figures"]
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))
    for target in targets:
        assert doc.xpath(f'//*[@id="{target[1:]}"]')


def test_html_is_self_contained(page: tuple[str, lxml.html.HtmlElement]) -> None:
    text, doc = page
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Rice prices" in text
    assert not doc.xpath("//@src") and not doc.xpath("//link") and not doc.xpath("//iframe")
    style = "".join(doc.xpath("//style/text()"))
    assert "@import" not in style and "url(" not in text and "@font-face" not in style
    for href in doc.xpath("//@href"):
        assert href.startswith("#") or href in ARTICLE_URLS, href
    # Every attribute naming a web address is an article link (or the SVG namespace).
    for element in doc.iter():
        for name, value in element.attrib.items():
            if "http" in value:
                assert (name == "href" and value in ARTICLE_URLS) or (
                    name == "xmlns" and value == "http://www.w3.org/2000/svg"
                ), (name, value)
    assert "@media print" in style and ":focus-visible" in style


def test_html_quotes_every_summary_sentence_with_its_source(
    page: tuple[str, lxml.html.HtmlElement],
) -> None:
    text, doc = page
    quotes = [quote for story in DIGEST.stories for quote in story.summary]
    for quote in quotes:
        assert str(escape(quote.text)) in text
    assert [q.text_content() for q in doc.iter("q")] == [quote.text for quote in quotes]
    for q, quote in zip(doc.iter("q"), quotes, strict=True):
        source = q.getnext()
        links = source.xpath(".//a")
        if quote.url:
            assert [a.get("href") for a in links] == [quote.url]
            assert links[0].text_content() == quote.outlet
        else:
            assert links == [] and "source unknown" in _text(source)


def test_html_story_details(page: tuple[str, lxml.html.HtmlElement]) -> None:
    _, doc = page
    troops = doc.get_element_by_id("story-101")
    words = _text(troops)
    assert doc.xpath('//*[@id="story-101"]//span[@class="badge badge-new"]')
    assert doc.xpath('//*[@id="story-102"]//span[@class="badge badge-updated"]')
    assert not doc.xpath('//*[@id="story-103"]//span[contains(@class, "badge")]')
    # KCNA Watch only carries a copy of the Yonhap report: named apart from the reporting outlets.
    assert "3 independent sources: Daily NK, Reuters, Yonhap; copies in KCNA Watch" in words
    times = troops.xpath(".//p[@class='meta']//time/@datetime")
    assert times == ["2026-11-18T06:00:00Z", "2026-11-19T09:00:00Z"]
    assert (
        "North Korean troops in Russia: about 11,000 — according to the NIS, estimated, Yonhap"
        in words
    )
    assert "North Korean troops in Russia: 12,000 — Daily NK" in words
    assert TROOPS_DISPUTE_TEXT in words


def test_html_reads_more_at_every_member(page: tuple[str, lxml.html.HtmlElement]) -> None:
    _, doc = page
    for story in DIGEST.stories:
        items = doc.xpath(f'//*[@id="story-{story.id}"]//ul[@class="links"]/li')
        assert len(items) == len(story.links)
        for link in story.links:
            (item,) = [li for li in items if _text(li).startswith(link.title)]
            anchors = item.xpath("./a")
            assert [a.get("href") for a in anchors] == ([link.url] if link.url else [])
            assert (link.outlet or "") in _text(item)
            assert bool(item.xpath('.//span[@class="copy"]')) == (link.copy_of is not None)
    copy = doc.xpath('//*[@id="story-101"]//span[@class="copy"]')
    assert _text(copy[0]) == "copy of the Yonhap report"
    # Originals first, then by date: the copy is last.
    first_titles = [_text(li) for li in doc.xpath('//*[@id="story-101"]//ul[@class="links"]/li')]
    assert first_titles[0].startswith("Troops move") and "copy" in first_titles[-1]


def test_html_charts_are_accessible_images(page: tuple[str, lxml.html.HtmlElement]) -> None:
    text, doc = page
    charts = doc.xpath("//svg")
    assert len(charts) == 1 + len(DIGEST.measures)
    for svg in charts:
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.xpath(f'./title[@id="{title_id}"]/text()')[0].strip()
        assert svg.xpath(f'./desc[@id="{desc_id}"]/text()')[0].strip()
        figure = svg.getparent()
        assert figure.tag == "figure" and figure.find("figcaption") is not None
        table = figure.getnext()
        assert table.tag == "details" and table.xpath(".//table")
    volume = doc.get_element_by_id("volume")
    rows = volume.xpath(".//tbody/tr")
    assert [[_text(cell) for cell in row] for row in rows][1] == ["2026-11-18", "2", "1"]
    assert "<title>2026-11-18: 11,000 people (Yonhap &lt;script&gt;)</title>" in text
    measure_rows = doc.get_element_by_id("figures").xpath(".//table//tbody/tr")
    assert [_text(cell) for cell in measure_rows[0]] == [
        "2026-10-02 00:00 UTC",
        "10,000–12,000 people",
        "unknown",
    ]


def test_empty_digest_is_a_friendly_page() -> None:
    text = _render("html", EMPTY)
    doc = lxml.html.document_fromstring(text)
    assert "Nothing new in this window." in _text(doc)
    assert doc.find(".//main") is not None and doc.find(".//footer") is not None
    assert not doc.xpath("//svg") and not doc.xpath("//nav") and not doc.xpath("//article")
    assert "Nothing new in this window." in _render("md", EMPTY)


def test_empty_digest_still_charts_tracked_figures() -> None:
    digest = replace(EMPTY, measures=DIGEST.measures)
    doc = lxml.html.document_fromstring(_render("html", digest))
    assert len(doc.xpath("//svg")) == len(DIGEST.measures)
    assert [a.get("href") for a in doc.xpath("//nav//a")] == ["#figures"]


# -- Markdown -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def markdown() -> str:
    return _render("md")


def test_markdown_has_no_raw_html(markdown: str) -> None:
    assert re.search(r"(?<!\\)<", markdown) is None
    assert re.search(r"(?<!\\)&[A-Za-z#][A-Za-z0-9]*;", markdown) is None
    markdown_it = pytest.importorskip("markdown_it")
    tokens = markdown_it.MarkdownIt("commonmark").parse(markdown)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    assert "html_block" not in kinds and "html_inline" not in kinds


def test_markdown_structure_and_escaping(markdown: str) -> None:
    lines = markdown.splitlines()
    assert lines[0] == "# nkwatch digest: 2026-11-17 12:00 UTC to 2026-11-20 12:00 UTC"
    assert "## Troops \\& workers abroad" in lines
    assert "### Troops moved to \\<Kursk\\> \\& beyond *(new)*" in lines
    assert "### \\<script\\>alert(1)\\</script\\> Rice prices *(updated)*" in lines
    assert "### \\- Corn stays flat" in lines
    assert (
        "> About 11,000 troops moved to the \\<b\\>Kursk\\</b\\> region. — [Yonhap](https://yna.example/a1)"
        in lines
    )
    assert "> A third outlet put the number at 12,000. — source unknown" in lines
    assert (
        "\\*6,000\\* won\\_a\\_kilo" in markdown and "\\[link\\](http://evil.example)" in markdown
    )
    assert (
        "- North Korean troops in Russia: **about 11,000** — according to the NIS, estimated, Yonhap"
        in lines
    )
    assert (
        "- [\\# Rice \\| prices \\[up\\]](https://asiapress.example/5) — Asia Press, 2026-11-18"
        in lines
    )
    assert "- Twelve thousand — Daily NK, 2026-11-19" in lines
    assert any(line.endswith("copy of the Yonhap report") for line in lines)
    assert "- 2026-11-15: 27.5% — Daily NK" in lines


def test_markdown_renders_the_sentences_as_written(markdown: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    rendered = lxml.html.fragment_fromstring(
        markdown_it.MarkdownIt("commonmark").render(markdown), create_parent="div"
    )
    quoted = _text(rendered)
    for story in DIGEST.stories:
        assert story.title in quoted
        for quote in story.summary:
            assert quote.text in quoted
    hrefs = set(rendered.xpath("//a/@href"))
    assert hrefs == ARTICLE_URLS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. First", "1\\. First"),
        ("2) Second", "2\\) Second"),
        ("27.5% fee", "27.5% fee"),
        ("- dash", "\\- dash"),
        ("+ plus", "\\+ plus"),
        ("a\n\n b\tc", "a b c"),
        ("back\\slash `code` ~strike~ !bang", "back\\\\slash \\`code\\` \\~strike\\~ \\!bang"),
    ],
)
def test_md_text(text: str, expected: str) -> None:
    assert md_text(text) == expected


# -- RSS and Atom ---------------------------------------------------------------------------


def test_rss_parses_cleanly() -> None:
    text = _render("rss")
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "nkwatch digest: 2026-11-17 to 2026-11-20"
    assert [e.id for e in parsed.entries] == [
        "nkwatch:story:101",
        "nkwatch:story:102",
        "nkwatch:story:103",
    ]
    troops, rice, corn = parsed.entries
    assert troops.title == TROOPS.title and rice.title == RICE.title
    assert troops.link == "https://yna.example/a1" and "link" not in corn
    assert [t.term for t in troops.tags] == ["troops-abroad", "diplomacy"]
    assert troops.published_parsed[:5] == (2026, 11, 19, 9, 0)
    assert "published" not in corn
    described = lxml.html.fragment_fromstring(troops.description, create_parent="div")
    assert [q.text_content() for q in described.iter("q")] == [q.text for q in TROOPS.summary]

    root = ET.fromstring(text)
    channel = root.find("channel")
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == BUILT
    assert channel.findtext("description")
    for item in channel.iter("item"):
        assert item.find("guid").get("isPermaLink") == "false"
    first = channel.find("item")
    assert parsedate_to_datetime(first.findtext("pubDate")) == TROOPS.last_seen
    # The description is escaped HTML of the summary, figures and read-more links.
    fragment = lxml.html.fragment_fromstring(first.findtext("description"), create_parent="div")
    assert [q.text_content() for q in fragment.iter("q")] == [q.text for q in TROOPS.summary]
    assert len(fragment.xpath('//ul[@class="links"]/li')) == len(TROOPS.links)


def test_atom_parses_cleanly() -> None:
    text = _render("atom")
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id == "tag:nkwatch,2026:digest:2026-11-17T12:00:00Z/2026-11-20T12:00:00Z"
    assert parsed.feed.updated_parsed[:5] == (2026, 11, 20, 12, 5)
    assert parsed.feed.author == "nkwatch"
    troops, rice, corn = parsed.entries
    assert [e.id for e in parsed.entries] == [
        f"tag:nkwatch,2026:story:{n}" for n in (101, 102, 103)
    ]
    assert troops.title == TROOPS.title and rice.title == RICE.title
    assert troops.updated_parsed[:5] == (2026, 11, 19, 9, 0)
    assert troops.published_parsed[:5] == (2026, 11, 18, 6, 0)
    assert [(t.term, t.scheme, t.label) for t in troops.tags] == [
        ("troops-abroad", "tag:nkwatch,2026:theme", "Troops & workers abroad"),
        ("diplomacy", "tag:nkwatch,2026:theme", None),
    ]
    assert [(link.rel, link.href) for link in troops.links] == [
        ("alternate", "https://yna.example/a1")
    ]
    assert troops.content[0].type == "text/html"
    assert "A third outlet put the number at 12,000." in troops.content[0].value
    # A story seen at no known time is dated at the digest's end and has no link.
    assert corn.updated_parsed[:5] == (2026, 11, 20, 12, 0) and "published" not in corn
    assert "links" not in corn


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feeds_survive_control_characters(fmt: str) -> None:
    story = replace(RICE, title="Rice\x0b prices\x00 & <b>", summary=())
    digest = replace(DIGEST, sections=(Section("markets", "Markets", (story,)),))
    parsed = feedparser.parse(_render(fmt, digest))
    assert parsed.bozo == 0
    assert parsed.entries[0].title == "Rice prices & <b>"


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_empty_feeds_parse(fmt: str) -> None:
    parsed = feedparser.parse(_render(fmt, EMPTY))
    assert parsed.bozo == 0 and parsed.entries == []


# -- JSON Feed ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> object:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("digest", [DIGEST, EMPTY], ids=["full", "empty"])
def test_jsonfeed_validates(validator: object, digest: Digest) -> None:
    feed = json.loads(_render("jsonfeed", digest))
    errors = [e.message for e in validator.iter_errors(feed)]  # type: ignore[attr-defined]
    assert errors == []


def test_jsonfeed_schema_rejects_broken_feeds(validator: object) -> None:
    feed = json.loads(_render("jsonfeed"))
    broken = [
        {**feed, "version": "https://jsonfeed.org/version/1"},
        {key: value for key, value in feed.items() if key != "items"},
        {**feed, "items": [{"id": "x", "title": "no content"}]},
        {**feed, "items": [{**feed["items"][0], "date_published": "19 Nov 2026"}]},
        {**feed, "items": [{**feed["items"][0], "date_publised": "2026-11-19T09:00:00Z"}]},
        {**feed, "authors": [{}]},
    ]
    for document in broken:
        assert not validator.is_valid(document)  # type: ignore[attr-defined]


def test_jsonfeed_items() -> None:
    feed = json.loads(_render("jsonfeed"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    troops, rice, corn = feed["items"]
    assert troops["id"] == "nkwatch:story:101"
    assert troops["url"] == "https://yna.example/a1" and "url" not in corn
    assert troops["title"] == TROOPS.title
    assert troops["date_published"] == "2026-11-18T06:00:00Z"
    assert troops["date_modified"] == "2026-11-19T09:00:00Z"
    assert "date_published" not in corn
    assert troops["tags"] == ["troops-abroad", "diplomacy"]
    for quote in TROOPS.summary:
        assert quote.text in troops["content_text"]
        assert str(escape(quote.text)) in troops["content_html"]
    assert "<script>" not in rice["content_html"] and "&lt;script&gt;" in rice["content_html"]
    extension = troops["_nkwatch"]
    assert extension["story_id"] == 101
    assert extension["independent_sources"] == 3
    assert extension["outlets"] == ["Daily NK", "KCNA Watch", "Reuters", "Yonhap"]
    assert extension["mark"] == "new" and corn["_nkwatch"]["mark"] == ""
    assert [(s["text"], s["article_id"]) for s in extension["summary"]] == [
        (q.text, q.article_id) for q in TROOPS.summary
    ]
    assert [f["value"] for f in extension["figures"]] == ["about 11,000", "12,000"]


def test_render_names_the_story_in_every_feed() -> None:
    for fmt in ("rss", "atom", "jsonfeed", "md", "html"):
        text = _render(fmt)
        assert "Twelve thousand" in text and "Corn" in text, fmt


def test_html_ids_stay_unique_when_names_collide() -> None:
    chart = DIGEST.measures[1]
    digest = replace(
        DIGEST,
        sections=(
            Section("a b", "A B", (TROOPS,)),
            Section("a-b", "A-B", (RICE,)),
            Section("a-b-heading", "A-B heading", (CORN,)),
        ),
        measures=(replace(chart, measure="x"), replace(chart, measure="x-chart-title")),
    )
    doc = lxml.html.document_fromstring(_render("html", digest))
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))
    for href in doc.xpath("//nav//a/@href"):
        assert len(doc.xpath(f'//*[@id="{href[1:]}"]')) == 1
    for svg in doc.xpath("//svg"):
        for ref in svg.get("aria-labelledby").split():
            assert len(doc.xpath(f'//*[@id="{ref}"]')) == 1


def test_disagreements_come_from_the_tracker_and_name_both_sides() -> None:
    # Two values from one source are a revision, which the tracker never reports as a dispute.
    assert disagreements(RICE) == []
    assert disagreements(TROOPS) == [TROOPS_DISPUTE_TEXT]


def test_a_figure_about_an_earlier_time_says_so_in_every_format() -> None:
    """A running total or an older count carries its time phrase next to its value, so that
    "15,000 since late 2024" is not read beside "11,000" as a count for the same day."""
    total = FigureLine(
        "North Korean troops in Russia",
        "roughly 15,000",
        "the agency",
        None,
        "Yonhap",
        "Roughly 15,000 troops have been sent in total since late 2024.",
        "since late 2024",
    )
    story = replace(TROOPS, figures=(total,))
    digest = replace(DIGEST, sections=(Section("troops-abroad", "Troops", (story,)),))
    assert "**roughly 15,000** (since late 2024)" in RENDERERS["md"](digest)
    page = lxml.html.fromstring(RENDERERS["html"](digest))
    items = [li.text_content() for li in page.xpath("//ul[@class='figures']/li")]
    assert any("roughly 15,000 (since late 2024)" in item for item in items), items
    feed = json.loads(RENDERERS["jsonfeed"](digest))
    figures = [f for item in feed["items"] for f in item["_nkwatch"]["figures"]]
    assert figures and figures[0]["period"] == "since late 2024"


def test_onlyearlier_periods_are_shown() -> None:
    published = datetime(2026, 11, 4, tzinfo=UTC)

    def report(period: str | None, start: str | None, end: str | None) -> Report:
        day = datetime.fromisoformat
        return Report(
            value=11000.0,
            value_max=None,
            unit=None,
            approx=None,
            attribution=None,
            hedge=None,
            outlet="Yonhap",
            article_id=1,
            url=None,
            published=published,
            sentence="",
            period=period,
            period_start=day(start).date() if start else None,
            period_end=day(end).date() if end else None,
        )

    assert earlier_period(report("on Tuesday", "2026-11-03", "2026-11-03")) is None
    assert earlier_period(report(None, None, None)) is None
    assert earlier_period(report("in September", "2026-09-01", "2026-09-30")) == "in September"
    assert earlier_period(report("since late 2024", "2024-10-01", "2026-11-04")) == (
        "since late 2024"
    )


# -- storylines and named sources -----------------------------------------------------------

THREAD = DigestStoryline(
    id=7,
    title="North Korean troops in Russia: losses reported",
    stories=(
        StorylineEntry(90, "Troops <arrive> in Kursk", _at(1), _at(3), 4, in_digest=False),
        StorylineEntry(101, TROOPS.title, _at(18, 6), _at(19, 9), 4, in_digest=True),
    ),
    size=5,
)
THREADED = replace(
    DIGEST,
    sections=(
        Section(
            "troops-abroad",
            "Troops & workers abroad",
            (replace(TROOPS, storyline_id=7, sources=("Daily NK", "Reuters", "Yonhap")),),
        ),
        Section("markets", "Remittances and markets", (RICE, CORN)),
    ),
    storylines=(THREAD,),
)


def test_html_lists_storylines_and_links_them_both_ways() -> None:
    text = _render("html", THREADED)
    doc = lxml.html.document_fromstring(text)
    assert [a.get("href") for a in doc.xpath("//nav//a")][-2:] == ["#storylines", "#figures"]
    line = doc.get_element_by_id("storyline-7")
    assert _text(line.xpath(".//h3")[0]) == THREAD.title
    assert "5 stories, 2026-11-01 to 2026-11-19, the latest 2 listed" in _text(line)
    items = line.xpath(".//ol/li")
    assert len(items) == 2
    # A story of the digest is linked to its entry; an earlier one is named, escaped, unlinked.
    assert items[1].xpath("./a/@href") == ["#story-101"]
    assert not items[0].xpath("./a") and "Troops <arrive> in Kursk" in _text(items[0])
    assert "(not in this window)" in _text(items[0])
    assert "&lt;arrive&gt;" in text
    story = doc.get_element_by_id("story-101")
    assert story.xpath(".//p[contains(@class, 'storyline-note')]/a/@href") == ["#storyline-7"]
    assert f"Part of the storyline {THREAD.title} (5 stories)" in _text(story)
    assert not doc.get_element_by_id("story-102").xpath(".//p[contains(@class, 'storyline')]")
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_markdown_and_jsonfeed_carry_storylines() -> None:
    text = _render("md", THREADED)
    assert "## Storylines" in text and f"### {md_text(THREAD.title)}" in text
    assert f"Part of the storyline “{md_text(THREAD.title)}” (5 stories)" in text
    assert "- 2026-11-01: Troops \\<arrive\\> in Kursk (not in this window) — 4 articles" in text
    feed = json.loads(_render("jsonfeed", THREADED))
    troops, rice, _ = feed["items"]
    assert troops["_nkwatch"]["storyline_id"] == 7 and rice["_nkwatch"]["storyline_id"] is None
    (line,) = feed["_nkwatch"]["storylines"]
    assert line["id"] == 7 and line["size"] == 5 and line["title"] == THREAD.title
    assert [(s["story_id"], s["in_digest"]) for s in line["stories"]] == [(90, False), (101, True)]
    assert json.loads(_render("jsonfeed"))["_nkwatch"]["storylines"] == []


def test_rss_and_atom_carry_storylines() -> None:
    """A feed reader shows the storyline as a category of the entry and as its first line."""
    note = f"Part of the storyline “{THREAD.title}” (5 stories)"
    rss = feedparser.parse(_render("rss", THREADED))
    atom = feedparser.parse(_render("atom", THREADED))
    for feed in (rss, atom):
        troops, rice, _ = feed.entries
        assert not feed.bozo
        tags = {(t.get("scheme"), t.get("label") or t.get("term")) for t in troops.tags}
        assert ("tag:nkwatch,2026:storyline", THREAD.title) in tags
        assert not any(t.get("scheme") == "tag:nkwatch,2026:storyline" for t in rice.tags)
        html = troops.summary if feed is rss else troops.content[0].value
        assert html.startswith(f"<p><em>{escape(note)}</em></p>")
        assert note not in (rice.summary if feed is rss else rice.content[0].value)
    (line_tag,) = [t for t in atom.entries[0].tags if t.scheme == "tag:nkwatch,2026:storyline"]
    assert line_tag.term == "7"
    item = json.loads(_render("jsonfeed", THREADED))["items"][0]
    assert item["content_html"].startswith(f"<p><em>{escape(note)}</em></p>")


def test_jsonfeed_with_storylines_validates(validator: object) -> None:
    feed = json.loads(_render("jsonfeed", THREADED))
    assert [e.message for e in validator.iter_errors(feed)] == []  # type: ignore[attr-defined]


def test_named_sources_are_the_count_and_copies_stay_apart() -> None:
    story = THREADED.sections[0].stories[0]
    doc = lxml.html.document_fromstring(_render("html", THREADED))
    words = _text(doc.get_element_by_id("story-101"))
    assert "3 independent sources: Daily NK, Reuters, Yonhap; copies in KCNA Watch" in words
    assert json.loads(_render("jsonfeed", THREADED))["items"][0]["_nkwatch"]["sources"] == list(
        story.sources
    )
    # A re-post credited to another outlet: the source named is the origin, the re-poster is
    # named apart with the copies.
    credited = replace(story, independent_sources=1, sources=("Yonhap",))
    words = _text(
        lxml.html.document_fromstring(
            _render("html", replace(THREADED, sections=(Section("t", "T", (credited,)),)))
        ).get_element_by_id("story-101")
    )
    assert "1 independent source: Yonhap; copies in Daily NK, KCNA Watch, Reuters" in words
