"""Story summaries made once: the digest of their inputs, read back only when it matches,
made again when stale, and made by the run for the stories it changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from nkwatch import story_summaries
from nkwatch.config import load_settings
from nkwatch.executors import InProcessExecutor
from nkwatch.runner import Runner
from nkwatch.sample import ingest_sample
from nkwatch.store import SQLiteStore
from nkwatch.story_summaries import (
    inputs_digest,
    page_selection,
    recalled_summary,
    story_members,
    summariser_version,
)
from nkwatch.summarize import StoryMember, summarize_story

WHEN = datetime(2026, 11, 3, 8, tzinfo=UTC)
MEMBERS = [
    StoryMember(
        1,
        "Troops sent to Kursk",
        "About 12,000 soldiers were sent to the Kursk region, the spy agency said on Monday. "
        "The deployment began in October. Lawmakers were briefed in Seoul.",
        WHEN,
        "A",
    ),
    StoryMember(
        2,
        "Kursk deployment grows",
        "Another 3,000 soldiers arrived in Kursk, officials said. The soldiers were trained in "
        "the far east first. Casualties were reported by the Ukrainian side.",
        WHEN.replace(day=4),
        "B",
    ),
]


def test_the_digest_follows_every_input() -> None:
    base = inputs_digest(MEMBERS)
    assert base == inputs_digest(list(MEMBERS))
    edited = [MEMBERS[0], StoryMember(2, MEMBERS[1].title, MEMBERS[1].text + " More.", WHEN, "B")]
    retitled = [MEMBERS[0], StoryMember(2, "Other", MEMBERS[1].text, MEMBERS[1].published, "B")]
    claims = {1: [("troops", 12000.0, "About 12,000 soldiers were sent")]}
    variants = {
        inputs_digest(edited),
        inputs_digest(retitled),
        inputs_digest(MEMBERS[:1]),
        inputs_digest(list(reversed(MEMBERS))),
        inputs_digest(MEMBERS, max_sentences=3),
        inputs_digest(MEMBERS, claims=claims),
    }
    assert base not in variants and len(variants) == 6
    assert len(summariser_version()) == 12


def test_a_stored_summary_is_read_back_only_while_its_inputs_match(tmp_path: Path) -> None:
    made = summarize_story(MEMBERS)
    assert made
    with SQLiteStore(tmp_path / "s.db") as store:
        assert recalled_summary(store, 7, MEMBERS, keep=False) == made
        assert store.story_summary(7) is None
        assert recalled_summary(store, 7, MEMBERS) == made
        stored = store.story_summary(7)
        assert stored is not None and stored[0] == inputs_digest(MEMBERS)
        # What is stored is what is shown while the digest matches (a kept row read back) ...
        kept = [["Kept sentence.", 1, 0, 0.5]]
        store.save_story_summary(7, stored[0], kept)
        assert [s.text for s in recalled_summary(store, 7, MEMBERS)] == ["Kept sentence."]
        # ... a malformed row is not: the summary is made again and stored.
        store.save_story_summary(7, stored[0], [["text only"]])
        assert recalled_summary(store, 7, MEMBERS) == made
        assert store.story_summary(7) == stored
        # Other members: made again, and kept unless told not to.
        assert recalled_summary(store, 7, MEMBERS[:1], keep=False) == summarize_story(MEMBERS[:1])
        assert store.story_summary(7) == stored
        assert recalled_summary(store, 7, MEMBERS[:1]) == summarize_story(MEMBERS[:1])
        assert store.story_summary(7) != stored


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("storysum") / "s.db"
    with SQLiteStore(db) as store:
        ingest_sample(store, settings=load_settings(db_path=str(db)))
    return db


def test_the_run_summarises_the_stories_it_changed(sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(sample.read_bytes())
    with SQLiteStore(db) as store:
        stories = store.stories()
        assert len(stories) >= 5
        assert store.stories_to_summarize() == []
        for row in stories:
            members = story_members(
                page_selection(
                    store.latest_story_members(row["id"], limit=story_summaries.PAGE_MEMBERS)
                )
            )
            stored = store.story_summary(row["id"])
            assert stored is not None and stored[0] == inputs_digest(members)
            made = summarize_story(members, max_sentences=story_summaries.STORY_SENTENCES)
            assert recalled_summary(store, row["id"], members) == made
        # Stories changed since their summary was made are summarised again when what they
        # summarise changed, and only marked when it did not.
        first, second = stories[0]["id"], stories[1]["id"]
        digest, rows = store.story_summary(first) or ("", [])
        store.save_story_summary(first, "stale", rows, story_updated="old")
        store.save_story_summary(second, "another digest", [], story_updated="x")
        runner = Runner(store, InProcessExecutor())
        assert runner.summarize_stories() == 2
        assert store.stories_to_summarize() == []
        assert store.story_summary(first) == (digest, rows)
        second_stored = store.story_summary(second)
        assert second_stored is not None and second_stored[0] != "another digest"
        store.save_story_summary(first, digest, rows, story_updated="old")
        assert runner.summarize_stories() == 0
        assert store.stories_to_summarize() == []
