"""Summaries are byte-identical to those the summariser gave before its TF-IDF was fitted once
per article (each sentence tokenised once).

``tests/data/summaries/unchanged.json`` holds every summary below as the earlier summariser
(commit d793b50) wrote it: every article of the sample corpus under each scorer, and every
labelled story of it. A change that means to alter summaries regenerates the file with
``python tests/test_summarize_unchanged.py`` and says why in its commit.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import summaries as bench  # noqa: E402
from nkwatch.sample import LabelledCorpus  # noqa: E402
from nkwatch.summarize import (  # noqa: E402
    METHODS,
    StoryMember,
    SummarySentence,
    summarize_article,
    summarize_story,
)

EXPECTED = REPO_ROOT / "tests" / "data" / "summaries" / "unchanged.json"


def _rows(summary: list[SummarySentence]) -> list[list[Any]]:
    return [[s.text, s.article_id, s.sentence_index, s.score] for s in summary]


def produce(corpus: LabelledCorpus) -> dict[str, Any]:
    """Every article summary (each scorer) and story summary of the sample corpus."""
    articles = sorted(corpus.matched.items())
    found: dict[str, Any] = {"articles": {}, "stories": {}}
    for path, article in articles:
        found["articles"][path] = {
            method: _rows(
                summarize_article(
                    title=article.title or "",
                    text=article.text,
                    article_id=article.id,
                    method=method,
                )
            )
            for method in METHODS
            if method != "default"
        }
    groups: dict[str, list[StoryMember]] = defaultdict(list)
    by_id = {article.id: article for _, article in articles}
    for article_id, story in sorted(corpus.gold_stories().items()):
        article = by_id[article_id]
        groups[story].append(
            StoryMember(
                article_id, article.title or "", article.text, article.published, article.outlet
            )
        )
    for story, members in sorted(groups.items()):
        found["stories"][story] = {
            method: _rows(summarize_story(members, method=method))
            for method in ("features", "lead")
        }
    return found


@pytest.fixture(scope="module")
def corpus() -> LabelledCorpus:
    return bench.load_corpus()


def test_summaries_are_byte_identical(corpus: LabelledCorpus) -> None:
    expected = json.loads(EXPECTED.read_text("utf-8"))
    found = json.loads(json.dumps(produce(corpus)))
    assert len(found["articles"]) >= 20 and len(found["stories"]) >= 5
    for path, summaries in expected["articles"].items():
        assert found["articles"][path] == summaries, path
    for story, summaries in expected["stories"].items():
        assert found["stories"][story] == summaries, story
    assert found == expected


if __name__ == "__main__":
    EXPECTED.write_text(
        json.dumps(produce(bench.load_corpus()), ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
