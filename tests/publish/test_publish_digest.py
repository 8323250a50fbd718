"""The digest over the sample corpus: provenance, redundancy, grouping, marks, determinism."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nkwatch.config import load_settings
from nkwatch.enrich.profile import load_profile
from nkwatch.enrich.tracker import assign_measure
from nkwatch.errors import PublishError
from nkwatch.publish.digest import FORMATS, Digest, build_digest, parse_since, render, write_digest
from nkwatch.sample import ingest_sample
from nkwatch.sentences import split_sentences
from nkwatch.store import SQLiteStore
from nkwatch.summarize import REDUNDANCY_CUTOFF, sentence_similarities

PROFILE = load_profile()
UNTIL = datetime(2026, 11, 21, tzinfo=UTC)
NOW = datetime(2026, 11, 21, 6, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    db = tmp_path_factory.mktemp("digest") / "d.db"
    store = SQLiteStore(db)
    ingest_sample(store, settings=load_settings(db_path=str(db)))
    return store


@pytest.fixture(scope="module")
def month(store: SQLiteStore) -> Digest:
    return build_digest(
        store, profile=PROFILE, since=parse_since("30d", until=UNTIL), until=UNTIL, now=NOW
    )


def _as_pattern(text: str, marks: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    """The quote with each protected span standing for some non-empty original text."""
    pieces, cursor = [], 0
    for start, end in marks:
        pieces += [re.escape(text[cursor:start]), r"(.+?)"]
        cursor = end
    pieces.append(re.escape(text[cursor:]))
    return re.compile("".join(pieces), re.DOTALL)


def test_every_summary_sentence_is_verbatim_from_its_cited_article(
    store: SQLiteStore, month: Digest
) -> None:
    """A summary sentence equals its article's sentence except for the protected spans it marks."""
    quotes = [quote for story in month.stories for quote in story.summary]
    assert len(quotes) >= 40
    marked = 0
    for quote in quotes:
        assert quote.article_id is not None
        article = store.get_article(quote.article_id)
        assert article is not None
        for start, end in quote.protected:
            label = quote.text[start:end]
            assert label.startswith("[") and label.endswith("]"), label
        match = _as_pattern(quote.text, quote.protected).search(article.text)
        assert match is not None, quote.text
        # What a mark replaced is never the label itself: the original value is gone.
        for index, (start, end) in enumerate(quote.protected, 1):
            assert match.group(index) != quote.text[start:end]
        marked += bool(quote.protected)
        assert article.story_id in {s.id for s in month.stories}
    # The sample names a former prisoner in a summarised sentence: the check above covers marks.
    assert marked >= 1


def test_no_two_summary_sentences_say_the_same_thing(store: SQLiteStore, month: Digest) -> None:
    for story in month.stories:
        texts = [quote.text for quote in story.summary]
        members = [store.get_article(link.article_id or 0) for link in story.links]
        background = [
            s for a in members if a and a.duplicate_of is None for s in split_sentences(a.text)
        ]
        similarity = sentence_similarities(texts, background=background)
        measures: dict[str, set[str]] = {}
        for article in members:
            for figure in (
                (store.enrichment(article.id or 0) or {"figures": []})["figures"] if article else []
            ):
                measure = assign_measure(PROFILE, figure)
                if measure is not None:
                    measures.setdefault(figure["sentence"], set()).add(measure.id)

        def disputed(a: str, b: str, measures: dict[str, set[str]] = measures) -> bool:
            return bool(measures.get(a, set()) & measures.get(b, set()))

        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                if disputed(texts[i], texts[j]):
                    continue  # disagreeing figures are quoted side by side on purpose
                assert similarity[i][j] < REDUNDANCY_CUTOFF, (story.title, texts[i], texts[j])


def test_stories_grouped_by_theme_and_ordered_by_importance(month: Digest) -> None:
    assert len(month.sections) >= 5
    for section in month.sections:
        assert all(section.theme in s.themes or not s.themes for s in section.stories)
        scores = [s.importance for s in section.stories]
        assert scores == sorted(scores, reverse=True)
    for story in month.stories:
        assert len(story.links) >= 1 and 1 <= len(story.summary) <= 4
        assert story.first_seen is not None and story.first_seen <= story.last_seen  # type: ignore[operator]
        # Every entry links to its article: on the web, else the local file it came from.
        assert all(link.url and link.url.startswith(("http", "file:")) for link in story.links)
        assert all(quote.url for quote in story.summary)


def test_figures_carry_their_attribution(month: Digest) -> None:
    figures = [f for s in month.stories for f in s.figures]
    assert len(figures) >= 10
    assert sum(1 for f in figures if f.attribution) >= len(figures) // 3


def test_same_store_and_window_give_the_same_output(store: SQLiteStore, month: Digest) -> None:
    again = build_digest(
        store, profile=PROFILE, since=parse_since("30d", until=UNTIL), until=UNTIL, now=NOW
    )
    assert again == month
    for fmt in FORMATS:
        assert render(again, fmt) == render(month, fmt)


def test_new_and_updated_marks_against_the_previous_digest(
    store: SQLiteStore, tmp_path: Path
) -> None:
    first_until = datetime(2026, 11, 8, tzinfo=UTC)
    first = build_digest(
        store, profile=PROFILE, since=parse_since("7d", until=first_until), until=first_until
    )
    assert first.stories and all(s.mark == "new" for s in first.stories)
    store.record_digest(first.since, first.until, {s.id: len(s.links) for s in first.stories})
    second = build_digest(
        store, profile=PROFILE, since=parse_since("14d", until=UNTIL), until=UNTIL
    )
    marks = {s.id: s.mark for s in second.stories}
    carried = [s for s in first.stories if s.id in marks]
    assert carried, "some stories of the first week go on into the second"
    for story in carried:
        later = next(s for s in second.stories if s.id == story.id)
        grown = any(link.published and link.published > first_until for link in later.links)
        assert marks[story.id] == ("updated" if grown else "")
    assert "updated" in marks.values()
    assert any(mark == "new" for mark in marks.values())
    assert second.previous_until == first_until


def test_empty_window_is_friendly(store: SQLiteStore) -> None:
    empty = build_digest(
        store,
        profile=PROFILE,
        since=datetime(2030, 1, 1, tzinfo=UTC),
        until=datetime(2030, 1, 2, tzinfo=UTC),
    )
    assert empty.is_empty
    for fmt in FORMATS:
        assert render(empty, fmt)


def test_parse_since_forms() -> None:
    assert parse_since("12h", until=UNTIL) == datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert parse_since("2w", until=UNTIL) == datetime(2026, 11, 7, tzinfo=UTC)
    assert parse_since("2026-11-01", until=UNTIL) == datetime(2026, 11, 1, tzinfo=UTC)
    with pytest.raises(PublishError, match="neither a window"):
        parse_since("yesterday", until=UNTIL)


def test_unwritable_output_names_the_path(month: Digest, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PublishError, match=r"cannot write the digest to .*file/out\.html"):
        write_digest(month, blocker / "out.html", "html")
    with pytest.raises(PublishError, match="unknown digest format"):
        render(replace(month), "pdf")


def test_site_url_becomes_the_feeds_home(store: SQLiteStore) -> None:
    import feedparser

    digest = build_digest(
        store,
        profile=PROFILE,
        since=parse_since("7d", until=UNTIL),
        until=UNTIL,
        now=NOW,
        site_url="https://desk.example/digests/",
    )
    rss = feedparser.parse(render(digest, "rss"))
    assert rss.bozo == 0 and rss.feed.link == "https://desk.example/digests/"
    assert '"home_page_url": "https://desk.example/digests/"' in render(digest, "jsonfeed")
    unsafe = build_digest(
        store, profile=PROFILE, since=UNTIL, until=UNTIL, site_url="javascript:alert(1)"
    )
    assert unsafe.site_url is None


def test_sources_are_named_and_never_outnumber_the_members(month: Digest) -> None:
    for story in month.stories:
        assert 1 <= story.independent_sources == len(story.sources) <= len(story.links)
        assert len(set(story.sources)) == len(story.sources)
    html = render(month, "html")
    for story in month.stories:
        assert f"independent source{'s' if len(story.sources) > 1 else ''}: " in html
        assert ", ".join(story.sources) in html.replace("&amp;", "&")


def test_story_titles_are_headlines_or_opening_clauses(store: SQLiteStore, month: Digest) -> None:
    for row in store.stories():
        title = row["title"]
        assert title and not title.endswith(("…", "...")), row
        members = store.story_members(row["id"])
        texts = [" ".join(a.text.split()) for a in members]
        assert title in {a.title for a in members} or any(t.startswith(title) for t in texts)


def test_storylines_of_the_digest(store: SQLiteStore, month: Digest) -> None:
    assert month.storylines, "the sample has threads of several stories"
    shown = {story.id: story for story in month.stories}
    listed = {line.id: line for line in month.storylines}
    for story in month.stories:
        assert story.storyline_id == store.storyline_of(story.id)
        if story.storyline_id is not None and store.storyline_size(story.storyline_id) >= 2:
            assert story.storyline_id in listed
    for line in month.storylines:
        assert line.size >= len(line.stories) >= 2
        assert any(entry.in_digest for entry in line.stories)
        assert line.title in {entry.title for entry in line.stories}
        for entry in line.stories:
            assert store.storyline_of(entry.story_id) == line.id
            assert entry.in_digest == (entry.story_id in shown)
            if entry.in_digest:
                assert entry.title == shown[entry.story_id].title
    feed = json.loads(render(month, "jsonfeed"))
    assert [line["id"] for line in feed["_nkwatch"]["storylines"]] == list(listed)
    for item in feed["items"]:
        assert item["_nkwatch"]["storyline_id"] == shown[item["_nkwatch"]["story_id"]].storyline_id
    markdown = render(month, "md")
    assert "## Storylines" in markdown and markdown.count("Part of the storyline") >= 2
