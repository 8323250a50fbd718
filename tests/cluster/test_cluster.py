"""Story clustering on small hand-written North Korea news streams."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from nkwatch.cluster import (
    Assignment,
    ClusterDoc,
    ClusterSettings,
    MergeModel,
    StoryClusterer,
    cluster_stream,
)
from nkwatch.cluster.persist import ARTICLE_MODEL, calibrated_model
from nkwatch.cluster.stories import bisect, separation
from nkwatch.cluster.views import Centroid, DocumentFrequencies, tokenize

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def doc(id_: str, title: str, text: str, *, days: float = 0.0, **kwargs: object) -> ClusterDoc:
    return ClusterDoc(id=id_, title=title, text=text, published=T0 + timedelta(days=days), **kwargs)


MISSILE_MARCH = [
    doc(
        "yna-1",
        "North Korea fires ballistic missile into East Sea",
        "North Korea fired a short-range ballistic missile into the East Sea on Monday morning, "
        "South Korea's Joint Chiefs of Staff said. The missile flew about 600 km from Pyongyang.",
    ),
    doc(
        "nknews-1",
        "DPRK launches short-range ballistic missile toward East Sea, JCS says",
        "The Joint Chiefs of Staff said North Korea launched a short-range ballistic missile "
        "from near Pyongyang that flew roughly 600 km before falling into the East Sea.",
        days=0.1,
    ),
]
MISSILE_APRIL = [
    doc(
        "yna-2",
        "North Korea fires ballistic missile into East Sea again",
        "North Korea fired a ballistic missile into the East Sea on Thursday, the Joint Chiefs "
        "of Staff said, its first launch in a month. The missile flew about 500 km.",
        days=31,
    ),
    doc(
        "kyodo-2",
        "N. Korea launches ballistic missile, Japan says it fell outside EEZ",
        "A ballistic missile launched by North Korea on Thursday fell outside Japan's exclusive "
        "economic zone, the defence ministry said; the Joint Chiefs of Staff tracked it.",
        days=31.05,
    ),
]
TROOPS = [
    doc(
        "reuters-t",
        "North Korean troops deployed to Russia's Kursk region, Seoul says",
        "South Korea's intelligence service said thousands of North Korean troops have been "
        "deployed to Russia's Kursk region to fight alongside Russian forces against Ukraine.",
        days=2,
    ),
    doc(
        "yonhap-t",
        "NIS: North Korean soldiers sent to Kursk front",
        "The National Intelligence Service told lawmakers North Korean soldiers were deployed "
        "to the Kursk region of Russia, where they are fighting Ukrainian forces.",
        days=2.2,
    ),
    doc(
        "dailynk-t",
        "Families of North Korean troops in Russia kept in dark about Kursk deployment",
        "Sources say families of North Korean soldiers deployed to Russia's Kursk region "
        "were not told where the troops went; Ukraine says they fight with Russian forces.",
        days=2.5,
    ),
]
MARKET = [
    doc(
        "dailynk-m",
        "Rice prices jump in Hyesan markets as border trade stalls",
        "Rice prices in markets in Hyesan rose sharply this week, traders said, as trade "
        "across the border with China stalled and the won weakened against the yuan.",
        days=2.3,
    ),
]


def labels_by_id(docs: list[ClusterDoc], labels: list[int]) -> dict[str, int]:
    return {d.id: label for d, label in zip(docs, labels, strict=True)}


def test_tokenize_drops_stop_words_and_case() -> None:
    assert tokenize("The DPRK fired a missile, Seoul's JCS said.") == [
        "dprk",
        "fired",
        "missile",
        "seoul's",
        "jcs",
    ]


def test_centroid_keeps_its_norm_and_prunes_the_lightest_terms() -> None:
    centroid = Centroid(max_terms=2)
    centroid.add({"missile": 0.8, "launch": 0.6})
    centroid.add({"missile": 0.6, "kursk": 0.8})
    assert centroid.square_norm == pytest.approx(1.4**2 + 0.6**2 + 0.8**2)
    centroid.add({"troops": 0.1, "rice": 0.1})  # more than twice max_terms: prune to two
    assert list(centroid.weights) == ["missile", "kursk"]
    assert centroid.square_norm == pytest.approx(1.4**2 + 0.8**2)


def test_idf_grows_for_rare_terms_as_documents_arrive() -> None:
    table = DocumentFrequencies()
    table.add(["missile", "launch"])
    table.add(["missile", "kursk"])
    assert table.idf("kursk") > table.idf("missile")
    assert table.idf("never-seen") > table.idf("kursk")


def test_three_outlets_on_one_troop_deployment_make_one_story() -> None:
    docs = TROOPS + MARKET
    labels = labels_by_id(docs, cluster_stream(docs, settings=ClusterSettings()))
    assert labels["reuters-t"] == labels["yonhap-t"] == labels["dailynk-t"]
    assert labels["dailynk-m"] != labels["reuters-t"]


def test_two_missile_launches_a_month_apart_are_two_stories() -> None:
    docs = MISSILE_MARCH + MISSILE_APRIL
    labels = labels_by_id(docs, cluster_stream(docs, settings=ClusterSettings()))
    assert labels["yna-1"] == labels["nknews-1"]
    assert labels["yna-2"] == labels["kyodo-2"]
    assert labels["yna-1"] != labels["yna-2"]


def test_stream_is_replayed_by_publication_time() -> None:
    docs = MISSILE_MARCH + TROOPS + MARKET + MISSILE_APRIL
    forward = cluster_stream(docs, settings=ClusterSettings())
    backward = cluster_stream(list(reversed(docs)), settings=ClusterSettings())
    assert list(reversed(backward)) == forward


def test_undated_article_falls_back_to_fetch_time() -> None:
    fetched = ClusterDoc(id="x", title="t", text="b", fetched=T0)
    assert fetched.time == T0
    assert ClusterDoc(id="y", title="t", text="b").time is None


def test_same_input_same_order_gives_same_stories() -> None:
    docs = MISSILE_MARCH + TROOPS + MARKET + MISSILE_APRIL
    runs = [cluster_stream(docs, settings=ClusterSettings(refine_every=2)) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]


def test_add_reports_new_and_joined_stories() -> None:
    clusterer = StoryClusterer(settings=ClusterSettings())
    first = clusterer.add(TROOPS[0])
    second = clusterer.add(TROOPS[1])
    assert first.is_new and not second.is_new
    assert second.story_id == first.story_id
    assert 0.5 <= second.score <= 1.0
    assert clusterer.stories() == {first.story_id: ("reuters-t", "yonhap-t")}


def test_inactive_stories_leave_the_candidate_set() -> None:
    """A quiet story takes no new article; it leaves memory once past the storyline window
    too (until then, storylines may still link it)."""
    for window, kept in ((0.0, False), (365.0, True)):
        settings = ClusterSettings(inactive_after_days=7, storyline_window_days=window)
        clusterer = StoryClusterer(settings=settings)
        march = clusterer.add(MISSILE_MARCH[0])
        clusterer.add(MISSILE_MARCH[1])
        april = clusterer.add(MISSILE_APRIL[0])
        assert april.is_new
        assert (march.story_id in clusterer.stories()) is kept
        indexed = any(march.story_id in ids for ids in clusterer._index.values())
        assert indexed is kept


def test_max_active_stories_bounds_memory_without_dates() -> None:
    clusterer = StoryClusterer(settings=ClusterSettings(max_active_stories=2))
    undated = [
        ClusterDoc(id=d.id, title=d.title, text=d.text)
        for d in (*TROOPS[:1], *MARKET, *MISSILE_MARCH[:1])
    ]
    ids = [clusterer.add(d).story_id for d in undated]
    assert list(clusterer.stories()) == ids[1:]


def test_state_round_trip_resumes_exactly() -> None:
    docs = MISSILE_MARCH + TROOPS + MARKET + MISSILE_APRIL
    settings = ClusterSettings(inactive_after_days=60, refine_every=3)
    whole = StoryClusterer(settings=settings)
    expected = [whole.add(d) for d in docs]

    first = StoryClusterer(settings=settings)
    got = [first.add(d) for d in docs[:4]]
    state = json.loads(json.dumps(first.state_dict()))
    resumed = StoryClusterer.from_state_dict(state, settings=settings)
    got += [resumed.add(d) for d in docs[4:]]
    assert got == expected
    assert resumed.stories() == whole.stories()
    assert resumed.state_dict() == json.loads(json.dumps(whole.state_dict()))


def test_unknown_state_version_is_refused() -> None:
    with pytest.raises(ValueError, match="version"):
        StoryClusterer.from_state_dict({"version": 99}, settings=ClusterSettings())


class KeywordEmbedder:
    """A stand-in embedder: one axis per topic keyword, so the test needs no model."""

    AXES = ("missile", "troops", "rice")

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        rows = np.array([[1.0 + text.lower().count(axis) for axis in self.AXES] for text in texts])
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_embeddings_are_used_when_enabled() -> None:
    embedder = KeywordEmbedder()
    docs = TROOPS + MARKET
    settings = ClusterSettings(use_embeddings=True)
    labels = labels_by_id(docs, cluster_stream(docs, settings=settings, embedder=embedder))
    assert embedder.calls == 1  # one batch for the whole stream
    assert labels["reuters-t"] == labels["yonhap-t"] == labels["dailynk-t"] != labels["dailynk-m"]
    clusterer = StoryClusterer(settings=settings, embedder=embedder)
    clusterer.add(TROOPS[0])
    assert embedder.calls == 2
    state = json.loads(json.dumps(clusterer.state_dict()))
    assert len(state["stories"][0]["embedding"]) == len(KeywordEmbedder.AXES)


def test_embeddings_without_an_embedder_are_refused() -> None:
    with pytest.raises(ValueError, match="embedder"):
        cluster_stream(TROOPS, settings=ClusterSettings(use_embeddings=True))


def test_refinement_merges_fragments_and_reports_them() -> None:
    always = MergeModel(coefficients=(("text", 1.0),), intercept=5.0)
    never = MergeModel(coefficients=(("text", 1.0),), intercept=-50.0)
    settings = ClusterSettings(model=never, refine_model=always, refine_every=3)
    clusterer = StoryClusterer(settings=settings)
    results: list[Assignment] = [clusterer.add(d) for d in TROOPS]
    assert [r.is_new for r in results] == [True, True, True]
    assert results[-1].merged  # the third article triggered a pass that joined the fragments
    assert len(clusterer.stories()) == 1


@pytest.mark.parametrize(
    "options",
    [
        {"inactive_after_days": 0},
        {"max_candidates": 0},
        {"refine_every": -1},
        {"split_min_part": 0},
        {"split_retest_growth": -0.1},
        {"split_sample": 5},  # fewer than two parts of the default ten members
        {"orphan_passes": -1},
    ],
)
def test_bad_settings_are_rejected(options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        ClusterSettings(**options)  # type: ignore[arg-type]


def test_merge_model_round_trips_and_checks_feature_names() -> None:
    model = MergeModel(coefficients=(("text", 12.5), ("title", 2.0)), intercept=-3.0)
    assert MergeModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model
    assert model.probability({"text": 1.0}) > 0.99
    with pytest.raises(ValueError, match="unknown"):
        MergeModel(coefficients=(("nonsense", 1.0),), intercept=0.0)


def test_a_floor_holds_back_same_day_joins_on_a_shared_subject_only() -> None:
    floored = calibrated_model({"text": 0.7, "title": 0.3}, cut=0.12, gap=-2.5, floor=0.18)
    plain = calibrated_model({"text": 0.7, "title": 0.3}, cut=0.12, gap=-2.5)
    same_day_neighbour = {"text": 0.16, "title": 0.14, "log_gap_days": 0.0}
    assert plain.probability(same_day_neighbour) > 0.5
    assert floored.probability(same_day_neighbour) < 0.5
    # The floor never lowers the bar: a close report weeks later still pays the gap's cost.
    for features in (
        {"text": 0.45, "title": 0.4, "log_gap_days": 0.1},
        {"text": 0.3, "title": 0.2, "log_gap_days": math.log1p(20.0)},
    ):
        assert floored.probability(features) <= plain.probability(features)
        similarity = 0.7 * features["text"] + 0.3 * features["title"]
        assert (floored.probability(features) > 0.5) == (
            plain.probability(features) > 0.5 and similarity >= 0.18
        )
    assert MergeModel.from_dict(json.loads(json.dumps(floored.to_dict()))) == floored
    assert ARTICLE_MODEL.floor_intercept is not None


ALWAYS = MergeModel(coefficients=(("text", 1.0),), intercept=5.0)
NEVER = MergeModel(coefficients=(("text", 1.0),), intercept=-50.0)


def _unit_rows(rows: list[list[float]]) -> np.ndarray:
    matrix = np.array(rows, dtype=np.float64)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_bisection_finds_two_groups_and_separation_tells_them_from_noise() -> None:
    rng = np.random.default_rng(0)
    two = _unit_rows(
        [[1.0, 0.1 * rng.random(), 0.0, 0.0] for _ in range(8)]
        + [[0.0, 0.0, 1.0, 0.1 * rng.random()] for _ in range(6)]
    )
    side = bisect(two)
    assert side is not None
    assert sorted([int(side.sum()), int((~side).sum())]) == [6, 8]
    assert side[:8].all() != side[8:].any()  # the cut is exactly between the groups
    assert separation(two, side) > 0.9
    one = _unit_rows([[1.0, *(0.2 * rng.random(3))] for _ in range(14)])
    noise_side = bisect(one)
    assert noise_side is not None
    assert separation(one, noise_side) < 0.2
    assert bisect(_unit_rows([[1.0, 0.0]] * 5)) is None  # identical rows cannot be cut


def test_refinement_splits_a_story_of_two_events_and_reports_the_moves() -> None:
    docs = TROOPS + MISSILE_MARCH + MISSILE_APRIL
    settings = ClusterSettings(
        model=ALWAYS,
        refine_model=NEVER,
        refine_every=len(docs),
        inactive_after_days=60,
        split_min_part=2,
        split_separation=0.3,
        split_size_slope=0.0,
    )
    clusterer = StoryClusterer(settings=settings)
    results = [clusterer.add(d) for d in docs]
    assert len({r.story_id for r in results[:-1]}) == 1  # everything joined one story
    moved = dict(results[-1].moved)
    assert set(moved) == {d.id for d in TROOPS}  # the smaller group leaves, the larger stays
    assert len(set(moved.values())) == 1
    assert results[-1].story_id not in moved.values()
    assert clusterer.last_moves == results[-1].moved
    groups = sorted(sorted(ids) for ids in clusterer.stories().values())
    assert groups == sorted(
        [sorted(d.id for d in MISSILE_MARCH + MISSILE_APRIL), sorted(d.id for d in TROOPS)]
    )
    labels = labels_by_id(docs, cluster_stream(docs, settings=settings))
    assert labels["reuters-t"] == labels["yonhap-t"] == labels["dailynk-t"]
    assert labels["yna-1"] == labels["kyodo-2"] != labels["reuters-t"]


def test_without_splitting_the_joined_story_stays_whole() -> None:
    docs = TROOPS + MISSILE_MARCH + MISSILE_APRIL
    settings = ClusterSettings(
        model=ALWAYS,
        refine_model=NEVER,
        refine_every=len(docs),
        inactive_after_days=60,
        split_stories=False,
    )
    assert len(set(cluster_stream(docs, settings=settings))) == 1


def test_refinement_refuses_a_merge_the_split_test_would_undo() -> None:
    docs = TROOPS + MISSILE_MARCH + MISSILE_APRIL
    options: dict[str, object] = {
        "model": NEVER,
        "refine_every": len(docs),
        "inactive_after_days": 60,
        "split_min_part": 1,
        "split_separation": 0.3,
        "split_size_slope": 0.0,
    }
    loose = ClusterSettings(refine_model=ALWAYS, split_stories=False, **options)  # type: ignore[arg-type]
    checked = ClusterSettings(refine_model=ALWAYS, **options)  # type: ignore[arg-type]
    merged_all = cluster_stream(docs, settings=loose)
    checked_labels = labels_by_id(docs, cluster_stream(docs, settings=checked))
    assert len(set(merged_all)) < len(set(checked_labels.values()))
    assert checked_labels["reuters-t"] != checked_labels["yna-1"]


def test_state_round_trip_after_a_split_resumes_exactly() -> None:
    docs = TROOPS + MISSILE_MARCH + MISSILE_APRIL + MARKET
    settings = ClusterSettings(
        model=ALWAYS,
        refine_model=NEVER,
        refine_every=7,
        inactive_after_days=60,
        split_min_part=2,
        split_separation=0.3,
        split_size_slope=0.0,
    )
    whole = StoryClusterer(settings=settings)
    expected = [whole.add(d) for d in docs]
    first = StoryClusterer(settings=settings)
    got = [first.add(d) for d in docs[:7]]
    assert got[-1].moved  # the split happened before the state was saved
    state = json.loads(json.dumps(first.state_dict()))
    resumed = StoryClusterer.from_state_dict(state, settings=settings)
    got += [resumed.add(d) for d in docs[7:]]
    assert got == expected
    assert resumed.stories() == whole.stories()


def test_split_is_due_only_after_enough_growth() -> None:
    settings = ClusterSettings(split_min_part=2, split_retest_growth=0.25, split_retest_members=10)
    assert not settings.split_due(3, 0)  # too small to leave two parts of two
    assert settings.split_due(4, 0)  # never tested
    assert not settings.split_due(4, 4)
    assert not settings.split_due(24, 20)  # grown by 20 %
    assert settings.split_due(25, 20)  # grown by 25 %
    assert not settings.split_due(1009, 1000)  # 25 % would be 250: ten members come first
    assert settings.split_due(1010, 1000)


def _record_bisections(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Rows of every matrix the split test bisects, in order."""
    import nkwatch.cluster.stories as stories

    rows: list[int] = []
    original = stories.bisect

    def recording(matrix: np.ndarray) -> np.ndarray | None:
        rows.append(matrix.shape[0])
        return original(matrix)

    monkeypatch.setattr(stories, "bisect", recording)
    return rows


def test_a_story_is_tested_for_a_split_again_only_after_it_grows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = _record_bisections(monkeypatch)
    settings = ClusterSettings(
        model=ALWAYS,
        refine_model=NEVER,
        refine_every=1,  # a pass after every article: the story changes at each one
        inactive_after_days=60,
        split_min_part=2,
        split_separation=5.0,  # never split, so every test leaves the story as it is
        split_size_slope=0.0,
        split_retest_growth=0.5,
    )
    clusterer = StoryClusterer(settings=settings)
    for d in TROOPS + MISSILE_MARCH + MISSILE_APRIL:
        clusterer.add(d)
    assert len(clusterer.stories()) == 1
    # First test at 4 members (twice the smallest part), then after 50 % growth: 6; 9 is never
    # reached.
    assert rows == [4, 6]
    state = json.loads(json.dumps(clusterer.state_dict()))
    assert state["stories"][0]["tested_size"] == 6


def test_split_test_reads_a_bounded_sample_and_still_moves_every_member(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = _record_bisections(monkeypatch)
    docs = TROOPS + MISSILE_MARCH + MISSILE_APRIL
    settings = ClusterSettings(
        model=ALWAYS,
        refine_model=NEVER,
        refine_every=len(docs),
        inactive_after_days=60,
        split_min_part=2,
        split_separation=0.3,
        split_size_slope=0.0,
        split_sample=4,
    )
    clusterer = StoryClusterer(settings=settings)
    results = [clusterer.add(d) for d in docs]
    assert rows and max(rows) <= 4
    assert set(dict(results[-1].moved)) == {d.id for d in TROOPS}
    groups = sorted(sorted(ids) for ids in clusterer.stories().values())
    assert groups == sorted(
        [sorted(d.id for d in MISSILE_MARCH + MISSILE_APRIL), sorted(d.id for d in TROOPS)]
    )


def test_small_stories_get_a_second_look_with_the_orphan_model() -> None:
    docs = TROOPS + MISSILE_MARCH
    options: dict[str, object] = {"model": NEVER, "refine_model": NEVER, "refine_every": 1}
    adopting = ClusterSettings(orphan_model=ALWAYS, orphan_size=1, **options)  # type: ignore[arg-type]
    assert adopting.orphan_merge_model == ALWAYS
    assert len(set(cluster_stream(docs, settings=adopting))) == 1
    no_orphans = ClusterSettings(orphan_model=ALWAYS, orphan_size=0, **options)  # type: ignore[arg-type]
    assert len(set(cluster_stream(docs, settings=no_orphans))) == len(docs)
    # A caller's own models bring their own second look: the refinement model.
    assert ClusterSettings(**options).orphan_merge_model == NEVER  # type: ignore[arg-type]
    assert ClusterSettings().orphan_merge_model == ClusterSettings().merge_model


def test_a_korean_report_joins_by_entities_and_figures_only() -> None:
    from nkwatch.cluster.persist import article_settings

    english = [
        doc(
            "en-1",
            "Defector arrivals rise to 168 in nine months",
            "The unification ministry said 168 North Korean defectors reached South Korea "
            "between January and September, 87 percent of them women.",
            entities=("Ministry of Unification", "North Korea", "South Korea", "#168", "#87"),
        ),
        doc(
            "en-2",
            "North Korea fires two ballistic missiles into the East Sea",
            "The Joint Chiefs of Staff said North Korea fired two short-range ballistic "
            "missiles that flew about 300 km into the East Sea.",
            days=0.5,
            entities=("Joint Chiefs of Staff", "North Korea", "#300"),
        ),
    ]
    korean = doc(
        "ko-1",
        "올해 1~9월 탈북민 168명 입국",
        "통일부는 올해 1~9월 탈북민 168명이 한국에 입국했으며 이 가운데 87%가 여성이라고 밝혔다.",
        days=1,
        entities=("Ministry of Unification", "North Korea", "South Korea", "#168", "#87"),
    )
    settings = article_settings(ClusterSettings(inactive_after_days=120))
    stream = [*english, korean]
    labels = labels_by_id(stream, cluster_stream(stream, settings=settings))
    assert labels["ko-1"] == labels["en-1"] != labels["en-2"]
    unanchored = doc("ko-2", korean.title, korean.text, days=1)
    stream = [*english, unanchored]
    labels = labels_by_id(stream, cluster_stream(stream, settings=settings))
    assert labels["ko-2"] not in (labels["en-1"], labels["en-2"])
