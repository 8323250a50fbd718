"""Theme assignment: labelled articles with pinned micro-F1 floors, specific cases, invariants."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkwatch.enrich.profile import Profile, load_profile
from nkwatch.enrich.themes import DEFAULT_THRESHOLD, assign_themes, score_themes

DATA = Path(__file__).resolve().parents[1] / "data" / "enrich"
DEFAULT = load_profile()


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


def _micro_f1(name: str, profile: Profile) -> tuple[float, float, float]:
    articles = json.loads((DATA / name).read_text(encoding="utf-8"))
    tp = fp = fn = 0
    for article in articles:
        hits = assign_themes(article["title"], article["text"], profile=profile)
        predicted = {hit.theme for hit in hits}
        gold = set(article["themes"])
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    return 2 * precision * recall / (precision + recall), precision, recall


def test_labelled_articles_reach_the_f1_floor(profile: Profile) -> None:
    articles = json.loads((DATA / "themes_unit.json").read_text(encoding="utf-8"))
    assert len(articles) >= 40
    f1, precision, recall = _micro_f1("themes_unit.json", profile)
    # Measured 0.957 (P 0.971, R 0.943); the cue lists were written alongside this set.
    assert f1 >= 0.93, (f1, precision, recall)


def test_held_out_articles_reach_the_f1_floor(profile: Profile) -> None:
    f1, precision, recall = _micro_f1("themes_heldout.json", profile)
    # Written after the cue lists; first measured 0.909, 0.926 after one generic fix.
    assert f1 >= 0.88, (f1, precision, recall)


def test_evidence_is_a_verbatim_sentence(profile: Profile) -> None:
    text = (
        "The weather was mild in the capital. "
        "Investigators said hackers stole cryptocurrency from an exchange in Singapore. "
        "The stolen coins were moved within hours."
    )
    hits = assign_themes("Exchange loses funds", text, profile=profile)
    assert [h.theme for h in hits] == ["cyber-it"]
    assert hits[0].evidence == (
        "Investigators said hackers stole cryptocurrency from an exchange in Singapore."
    )
    assert 0 < hits[0].score <= 1


def test_title_counts_more_than_body(profile: Profile) -> None:
    in_title = score_themes("Defector speaks", "She spoke to students.", profile=profile)
    in_body = score_themes("A talk", "A defector spoke to students.", profile=profile)
    title_score = next(s for s in in_title if s.theme == "defectors")
    body_score = next(s for s in in_body if s.theme == "defectors")
    assert title_score.score > body_score.score
    assert title_score.evidence == "Defector speaks"


def test_a_passing_mention_in_a_long_article_is_not_enough(profile: Profile) -> None:
    filler = "The weather was mild and the streets of the town were quiet that week. " * 30
    text = filler + "One official mentioned sanctions in passing."
    assert "diplomacy-sanctions" not in {
        h.theme for h in assign_themes("A quiet week", text, profile=profile)
    }
    short = "One official mentioned sanctions in passing."
    assert "diplomacy-sanctions" in {
        h.theme for h in assign_themes("A quiet week", short, profile=profile)
    }


def test_weak_cues_alone_count_for_less(profile: Profile) -> None:
    weak_only = score_themes("", "Troops and soldiers were in Russia.", profile=profile)
    theme = next(s for s in weak_only if s.theme == "troops-abroad")
    assert theme.score < DEFAULT_THRESHOLD


def test_defectors_as_sources_do_not_make_a_defector_story(profile: Profile) -> None:
    text = "According to defectors, rice prices in Hyesan doubled this spring."
    themes = {h.theme for h in assign_themes("Prices climb", text, profile=profile)}
    assert "defectors" not in themes
    assert "food-economy" in themes


def test_hangul_cues(profile: Profile) -> None:
    hits = assign_themes("탈북민 입국 증가", "올해 탈북민 입국이 늘었다.", profile=profile)
    assert "defectors" in {h.theme for h in hits}


def test_score_themes_returns_every_theme_best_first(profile: Profile) -> None:
    scores = score_themes("Missile launch", "North Korea fired a missile.", profile=profile)
    assert {s.theme for s in scores} == {t.id for t in profile.themes}
    assert scores == sorted(scores, key=lambda s: -s.score)
    assert scores[0].theme == "weapons-missiles"
    assert "missile" in scores[0].cues
    assert all(s.embedding_score is None for s in scores)


class KeywordEmbedder:
    """A stand-in sentence embedder: one dimension per keyword, normalised."""

    KEYWORDS = ("rice", "food", "hunger", "missile", "weapon", "hacker", "money")

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = []
        for text in texts:
            lowered = text.lower()
            row = np.array([lowered.count(k) for k in self.KEYWORDS] + [0.1], dtype=np.float32)
            rows.append(row / np.linalg.norm(row))
        return np.vstack(rows)


def test_embedder_scores_are_blended(profile: Profile) -> None:
    embedder = KeywordEmbedder()
    text = "Families went hungry. The hunger was worst in the villages."
    plain = {s.theme: s for s in score_themes("Villages", text, profile=profile)}
    blended = {
        s.theme: s for s in score_themes("Villages", text, profile=profile, embedder=embedder)
    }
    food = blended["food-economy"]
    assert food.embedding_score is not None and food.embedding_score > 0
    assert food.cue_score == pytest.approx(plain["food-economy"].cue_score)
    assert food.score != plain["food-economy"].score
    hits = assign_themes("Villages", text, profile=profile, embedder=embedder)
    assert all(h.evidence in text or h.evidence == "Villages" for h in hits)


def test_embedder_with_the_wrong_shape_is_reported(profile: Profile) -> None:
    class Broken:
        def encode(self, texts: list[str]) -> np.ndarray:
            return np.ones((1, 3), dtype=np.float32)

    with pytest.raises(ValueError, match="one row per text"):
        score_themes("A", "One sentence. Another one.", profile=profile, embedder=Broken())


@settings(max_examples=150, deadline=None)
@given(title=st.text(max_size=80), text=st.text(max_size=600))
def test_never_raises_on_arbitrary_text(title: str, text: str) -> None:
    hits = assign_themes(title, text, profile=DEFAULT)
    for hit in hits:
        assert 0.0 <= hit.score <= 1.0
        assert hit.evidence
