"""Storylines: stories of one thread linked over weeks, unrelated stories left apart."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from nkwatch.cluster import ClusterSettings, StoryClusterer
from nkwatch.cluster.persist import article_settings
from nkwatch.cluster.storylines import (
    STORYLINE_MODEL,
    link_storylines,
    relink_storylines,
    storyline_model,
)
from nkwatch.store import SQLiteStore
from tests.cluster.test_cluster import MARKET, MISSILE_MARCH, TROOPS, doc

# Three weeks after the deployment reports: a new happening of the same thread.
CASUALTIES = [
    doc(
        "kyiv-c",
        "Ukraine says North Korean troops in Kursk suffered heavy losses",
        "Ukraine's military intelligence said North Korean soldiers fighting for Russia in the "
        "Kursk region lost hundreds of men in assaults this week; the troops were deployed "
        "last month.",
        days=23,
    ),
    doc(
        "nis-c",
        "Seoul: hundreds of North Korean soldiers killed or wounded in Kursk",
        "South Korea's spy agency told lawmakers several hundred North Korean troops deployed "
        "to Russia's Kursk region had been killed or wounded in fighting with Ukrainian forces.",
        days=23.3,
    ),
]


def _clusterer() -> tuple[StoryClusterer, dict[str, int]]:
    clusterer = StoryClusterer(settings=article_settings(ClusterSettings(inactive_after_days=120)))
    story_of = {}
    for item in sorted(MISSILE_MARCH + TROOPS + MARKET + CASUALTIES, key=lambda d: d.time):
        story_of[item.id] = clusterer.add(item).story_id
    return clusterer, story_of


def test_deployment_and_losses_are_two_stories_of_one_storyline() -> None:
    clusterer, story_of = _clusterer()
    march, april = story_of["reuters-t"], story_of["kyiv-c"]
    assert story_of["kyiv-c"] == story_of["nis-c"]
    assert march != april  # weeks apart: separate happenings
    links = link_storylines(clusterer, clusterer.stories(), lambda story: None)
    assert links[march] == links[april]
    assert links[story_of["yna-1"]] not in (links[march], links[story_of["dailynk-m"]])
    assert links[story_of["dailynk-m"]] != links[march]


def test_linked_stories_keep_their_storyline() -> None:
    clusterer, story_of = _clusterer()
    march, april = story_of["reuters-t"], story_of["kyiv-c"]
    known = {march: 500}
    links = link_storylines(clusterer, [april], known.get)
    assert links == {april: 500}
    assert link_storylines(clusterer, [march], known.get) == {}


def test_a_story_linked_to_the_wrong_thread_moves_to_its_own() -> None:
    """A deployment story linked to a missile story's storyline (the only candidate when it
    was linked, say) moves to the storyline of its losses once that thread has a story; the
    missile story, whose closest link is its own storyline's, stays."""
    clusterer, story_of = _clusterer()
    missile, march, april = story_of["yna-1"], story_of["reuters-t"], story_of["kyiv-c"]
    lines = {missile: 1, march: 1, april: 2}
    moved = relink_storylines(clusterer, [missile, march, april], lines.get)
    assert moved == {march: 2}
    # A story whose storyline has no other active story is left where it is.
    assert relink_storylines(clusterer, [april], {april: 2, march: 1}.get) == {}


def test_a_strict_model_links_nothing() -> None:
    clusterer, _ = _clusterer()
    strict = storyline_model(cut=0.99, gap=STORYLINE_MODEL.coefficients[-1][1])
    links = link_storylines(clusterer, clusterer.stories(), lambda story: None, model=strict)
    assert sorted(links) == sorted(links.values())  # every story alone, under its own id


def test_store_keeps_storylines(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    for story_id in (1, 2, 3):
        store.save_story(
            {
                "id": story_id,
                "title": f"story {story_id}",
                "first_seen": None,
                "last_seen": None,
                "articles": 1,
                "independent_sources": 1,
                "outlets": [],
            }
        )
    store.set_storyline(1, 1)
    store.set_storyline(3, 1)
    assert store.storyline_of(3) == 1 and store.storyline_of(2) is None
    assert store.storylines() == [{"id": 1, "stories": [1, 3]}]
    assert store.storylines(min_stories=3) == []
    assert store.get_story(3)["storyline_id"] == 1  # type: ignore[index]
    store.close()


def _months_later(window: float) -> tuple[StoryClusterer, dict[str, int]]:
    """The deployment reports, then the losses seven months on (a thread's later story)."""
    settings = ClusterSettings(inactive_after_days=120, storyline_window_days=window)
    clusterer = StoryClusterer(settings=article_settings(settings))
    later = [replace(d, published=d.published + timedelta(days=190)) for d in CASUALTIES]
    story_of = {}
    for item in sorted(TROOPS + later, key=lambda d: d.time):
        story_of[item.id] = clusterer.add(item).story_id
    return clusterer, story_of


def test_a_story_quiet_for_months_is_linked_into_its_storyline_but_not_joined() -> None:
    """Past the days a story takes new articles, it stays within reach of storyline links
    for the storyline window; with no window beyond those days, the thread is lost."""
    clusterer, story_of = _months_later(365.0)
    march, autumn = story_of["reuters-t"], story_of["kyiv-c"]
    assert march != autumn
    links = link_storylines(clusterer, clusterer.stories(), lambda story: None)
    assert links[march] == links[autumn]
    clusterer, story_of = _months_later(0.0)
    march, autumn = story_of["reuters-t"], story_of["kyiv-c"]
    assert march not in clusterer.stories()  # left memory with its last join
    links = link_storylines(clusterer, clusterer.stories(), lambda story: None)
    assert links[autumn] == autumn


def test_a_story_past_joining_keeps_only_what_storylines_read() -> None:
    """Once a story can take no new article its members' term counts are dropped (the state
    stops carrying them), and the link into its storyline survives a resumed state."""
    clusterer, story_of = _months_later(365.0)
    march, autumn = story_of["reuters-t"], story_of["kyiv-c"]
    before = clusterer.story_state(march)
    assert any(m["counts"] for m in before["members"])
    clusterer.refine()
    after = clusterer.story_state(march)
    assert after["compact"] and not any(m["counts"] for m in after["members"])
    assert [m["id"] for m in after["members"]] == [m["id"] for m in before["members"]]
    assert after["centroids"] == before["centroids"]
    assert not clusterer.story_state(autumn)["compact"]
    state = json.loads(json.dumps(clusterer.state_dict()))
    settings = ClusterSettings(inactive_after_days=120, storyline_window_days=365.0)
    resumed = StoryClusterer.from_state_dict(state, settings=article_settings(settings))
    assert resumed.story_state(march) == after
    links = link_storylines(resumed, resumed.stories(), lambda story: None)
    assert links[march] == links[autumn]
    # A compact story that loses a member cannot be rebuilt: it leaves memory.
    assert resumed.forget({"reuters-t"}) == {march} and march not in resumed.stories()
