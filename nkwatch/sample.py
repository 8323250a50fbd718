"""The bundled, labelled sample corpus: ingest it and match its labels to stored articles.

Used by ``nkwatch run`` (offline demo), by the quality tests and by the benchmarks, which all
score the pipeline against the manifest's labels (stories, duplicates, dates, origins …).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import combinations
from typing import Any

from nkwatch.config import Settings, sample_corpus_path, sample_outlets
from nkwatch.pipeline import IngestReport, Pipeline
from nkwatch.record import Article
from nkwatch.store import SQLiteStore

#: Manifest kinds that become standalone articles.
ARTICLE_KINDS = ("article", "feed", "json")


def load_manifest() -> dict[str, Any]:
    """The sample corpus's labels."""
    return json.loads((sample_corpus_path().parent / "manifest.json").read_text("utf-8"))


def ingest_sample(store: SQLiteStore, *, settings: Settings) -> IngestReport:
    """Ingest the whole sample corpus, offline, with its outlet table."""
    settings = replace(settings, outlets={**sample_outlets(), **settings.outlets})
    pipeline = Pipeline(settings, store, allow_network=False)
    try:
        return pipeline.ingest([str(sample_corpus_path())], command="sample")
    finally:
        pipeline.close()


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


def pair_scores(predicted: list[bool], gold: list[bool]) -> tuple[float, float]:
    """Precision and recall of positive pair predictions (1.0 when there is nothing to find)."""
    tp = sum(1 for p, g in zip(predicted, gold, strict=True) if p and g)
    fp = sum(1 for p, g in zip(predicted, gold, strict=True) if p and not g)
    fn = sum(1 for p, g in zip(predicted, gold, strict=True) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall
