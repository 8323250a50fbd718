"""Enrichment against analyst labels on the bundled sample corpus, with pinned floors.

Labels: ``tests/data/enrich/corpus_{themes,entities,figures}.json`` (articles by manifest path,
spans by exact substring). Scoring lives in ``bench/enrich.py``; the floors sit just under what
the stage reaches (see bench/RESULTS.md, "Enrichment"), and where that is below the target the
gap is recorded there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nkwatch.enrich.profile import Profile, load_profile
from nkwatch.record import Article

REPO_ROOT = Path(__file__).resolve().parents[2]

# Measured: themes micro-F1 0.908 (target 0.85; 0.777 before the lead, passing-mention and
# relative-share rules); known-entity F1 1.000 (0.953 before bare-surname linking, outlet names
# and the new aliases), 1.000 without bare surnames (target 0.95); unknown-name precision 1.00,
# 0.97 on exact spans (recall 0.45); figures value+unit F1 0.975 (0.974 English; target 0.95),
# counted 0.936 (0.835 before the predicate-subject rules; target 0.85), attribution 0.852
# (target 0.85), hedge 0.962 (target 0.9).
THEMES_F1 = 0.90
KNOWN_ENTITIES_F1 = 0.99
KNOWN_ENTITIES_FULL_NAMES_F1 = 0.99
UNKNOWN_PRECISION = 0.95
UNKNOWN_PRECISION_EXACT = 0.9
FIGURES_F1 = 0.97
FIGURES_F1_ENGLISH = 0.97
FIGURES_COUNTED = 0.92
FIGURES_ATTRIBUTION = 0.85
FIGURES_HEDGE = 0.96


from bench import enrich as bench  # noqa: E402


@pytest.fixture(scope="module")
def by_path(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Article]:
    articles = bench.sample_articles(tmp_path_factory.mktemp("enrich"))
    return bench.articles_by_path(articles)


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


def test_label_sets_are_large_enough() -> None:
    themes = bench.load_labels("themes")["articles"]
    entities = bench.load_labels("entities")["articles"]
    figures = bench.load_labels("figures")["articles"]
    assert len(themes) >= 100
    assert len(entities) >= 25
    assert sum(len(a["mentions"]) for a in entities) >= 300
    assert {a["language"] for a in entities} == {"en", "ko"}
    assert len(figures) >= 30
    assert sum(len(a["figures"]) for a in figures) >= 150


def test_every_label_points_into_its_article(by_path: dict[str, Article]) -> None:
    for item in bench.load_labels("themes")["articles"]:
        assert item["path"] in by_path, item["path"]
    for item in bench.load_labels("entities")["articles"]:
        text = by_path[item["path"]].text
        for mention in item["mentions"]:
            start, end = bench.locate(text, mention["surface"], mention["occurrence"])
            assert text[start:end] == mention["surface"]
    for item in bench.load_labels("figures")["articles"]:
        text = by_path[item["path"]].text
        assert all(figure["sentence"] in text for figure in item["figures"]), item["path"]


def test_scoring_helpers() -> None:
    assert bench.PRF(3, 0, 0).f1 == 1.0
    assert bench.PRF(0, 0, 0).precision == 1.0
    assert bench.PRF(1, 1, 2).f1 == pytest.approx(0.4)
    assert bench.locate("Kim met Kim Jong Un", "Kim", 1) == (8, 11)
    with pytest.raises(LookupError):
        bench.locate("Kim", "Kim", 1)


def test_themes_meet_floor(by_path: dict[str, Article], profile: Profile) -> None:
    result = bench.theme_scores(by_path, profile)
    assert result.scores.f1 >= THEMES_F1, result.scores


def test_entities_meet_floors(by_path: dict[str, Article], profile: Profile) -> None:
    result = bench.entity_scores(by_path, profile)
    assert result.known.f1 >= KNOWN_ENTITIES_F1, result.known
    assert result.known_full_names.f1 >= KNOWN_ENTITIES_FULL_NAMES_F1, result.known_full_names
    assert result.unknown_precision >= UNKNOWN_PRECISION, result.unknown_spurious
    assert result.unknown_precision_exact >= UNKNOWN_PRECISION_EXACT


def test_figures_meet_floors(by_path: dict[str, Article]) -> None:
    scores = bench.figure_scores(by_path)
    assert scores.f1 >= FIGURES_F1, scores
    assert scores.counted >= FIGURES_COUNTED, scores
    assert scores.attribution >= FIGURES_ATTRIBUTION, scores
    assert scores.hedge >= FIGURES_HEDGE, scores
    assert bench.figure_scores(by_path, language="en").f1 >= FIGURES_F1_ENGLISH
