"""The bundled, labelled sample corpus: ingest it and match its labels to stored articles.

Used by ``nkwatch run`` (offline demo), by the quality tests and by the benchmarks, which all
score the pipeline against the manifest's labels (stories, duplicates, dates, origins …).
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import combinations
from typing import Any

from nkwatch.config import Settings, sample_corpus_path, sample_outlets
from nkwatch.pipeline import IngestReport, ingest
from nkwatch.record import Article
from nkwatch.store import Store

#: Manifest kinds that become standalone articles.
ARTICLE_KINDS = ("article", "feed", "json")


def load_manifest() -> dict[str, Any]:
    """The sample corpus's labels."""
    return json.loads((sample_corpus_path().parent / "manifest.json").read_text("utf-8"))


def ingest_sample(store: Store, *, settings: Settings) -> IngestReport:
    """Ingest the whole sample corpus, offline, with its outlet table."""
    settings = replace(settings, outlets={**sample_outlets(), **settings.outlets})
    return ingest(
        [str(sample_corpus_path())],
        settings=settings,
        store=store,
        allow_network=False,
        command="sample",
    )


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """Two labelled documents and how they relate."""

    first: dict[str, Any]
    second: dict[str, Any]
    duplicate: bool
    same_story: bool


class LabelledCorpus:
    """The manifest's documents matched to the articles stored from them."""

    def __init__(self, articles: list[Article], manifest: dict[str, Any] | None = None) -> None:
        self.articles = articles
        self.manifest = manifest or load_manifest()
        self._corpus = sample_corpus_path()

    @property
    def documents(self) -> list[dict[str, Any]]:
        return list(self.manifest["documents"])

    def article_for(self, doc: dict[str, Any]) -> Article | None:
        """The stored article a manifest entry describes (a digest page for a digest entry)."""
        path, _, fragment = doc["path"].partition("#")
        full = str((self._corpus / path).resolve())
        for article in self.articles:
            if article.kind == "digest-item":
                continue
            if fragment and article.source in (f"{full}#{fragment}", fragment):
                return article
            if not fragment and article.source == full:
                return article
        # A JSON export repeating a feed entry under the same URL is stored once.
        url = doc.get("url")
        return next((a for a in self.articles if url and a.url == url), None)

    @cached_property
    def matched(self) -> dict[str, Article]:
        """Manifest path -> article, for the standalone article documents."""
        found = {}
        for doc in self.documents:
            if doc["kind"] in ARTICLE_KINDS:
                article = self.article_for(doc)
                if article is not None:
                    found[doc["path"]] = article
        return found

    def gold_stories(self) -> dict[int, str]:
        """Article id -> labelled story, for the stored article documents that have one."""
        return {
            self.matched[d["path"]].id or 0: d["story"]
            for d in self.documents
            if d["path"] in self.matched and d.get("story")
        }

    def duplicate_family(self) -> dict[str, str]:
        """Manifest path -> the path at the root of its labelled duplicate family."""
        parent = {
            d["path"]: d["duplicate_of"]
            for d in self.documents
            if d.get("duplicate_of") and d["kind"] in ARTICLE_KINDS
        }

        def root(path: str) -> str:
            seen = set()
            while path in parent and path not in seen:
                seen.add(path)
                path = parent[path]
            return path

        return {d["path"]: root(d["path"]) for d in self.documents if d["kind"] in ARTICLE_KINDS}

    def pairs(self) -> Iterator[LabelledPair]:
        """Every pair of distinct stored article documents with its labels."""
        family = self.duplicate_family()
        docs = [d for d in self.documents if d["path"] in self.matched]
        for first, second in combinations(docs, 2):
            if self.matched[first["path"]].id == self.matched[second["path"]].id:
                continue  # one article reached through two channels
            yield LabelledPair(
                first,
                second,
                duplicate=family[first["path"]] == family[second["path"]],
                same_story=bool(first.get("story")) and first.get("story") == second.get("story"),
            )


StoryScores = tuple[float, float, float, float, float]


def story_scores(
    pred: dict[int, int], gold: dict[int, str], keep: Callable[[str], bool]
) -> StoryScores:
    """Pairwise P, R, F1, BCubed F1 and NMI over the labelled articles whose story passes."""
    ids = [i for i in gold if i in pred and keep(gold[i])]
    tp = fp = fn = 0
    for x, y in itertools.combinations(ids, 2):
        same_pred, same_gold = pred[x] == pred[y], gold[x] == gold[y]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, bcubed_f1(ids, pred, gold), nmi(ids, pred, gold)


def bcubed_f1(ids: Sequence[int], pred: dict[int, int], gold: dict[int, str]) -> float:
    """BCubed F1 of the averaged per-item precision and recall."""
    if not ids:
        return 1.0
    precision = recall = 0.0
    for i in ids:
        same_pred = [j for j in ids if pred[j] == pred[i]]
        same_gold = [j for j in ids if gold[j] == gold[i]]
        both = sum(1 for j in same_pred if gold[j] == gold[i])
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    precision, recall = precision / len(ids), recall / len(ids)
    return 2 * precision * recall / (precision + recall)


def nmi(ids: Sequence[int], pred: dict[int, int], gold: dict[int, str]) -> float:
    """Normalised mutual information (arithmetic mean of the entropies, as scikit-learn)."""
    n = len(ids)
    if n == 0:
        return 1.0
    joint = Counter((pred[i], gold[i]) for i in ids)
    a, b = Counter(pred[i] for i in ids), Counter(gold[i] for i in ids)
    mutual = sum(c / n * math.log(c * n / (a[p] * b[g])) for (p, g), c in joint.items())

    def entropy(counts: Counter[object]) -> float:
        return -sum(c / n * math.log(c / n) for c in counts.values())

    h_a, h_b = entropy(a), entropy(b)  # type: ignore[arg-type]
    if h_a == 0 and h_b == 0:
        return 1.0
    return mutual / ((h_a + h_b) / 2) if h_a + h_b else 0.0


def pair_scores(predicted: list[bool], gold: list[bool]) -> tuple[float, float]:
    """Precision and recall of positive pair predictions (1.0 when there is nothing to find)."""
    tp = sum(1 for p, g in zip(predicted, gold, strict=True) if p and g)
    fp = sum(1 for p, g in zip(predicted, gold, strict=True) if p and not g)
    fn = sum(1 for p, g in zip(predicted, gold, strict=True) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall
