"""Story recall on the real stream: every variant scored on the three labelled sets together.

    python bench/event_variants.py               # the variant table (about a minute)
    python bench/event_variants.py --cv          # also the learned models cross-validated
    python bench/event_variants.py --pairs       # story-pair similarities of both labellings

Three sets, each replayed in arrival order through the clusterer with the variant's settings:

- the shared real stream (``../shared/benchmarks/stream/news_events.jsonl``, 204 articles,
  35 gold events), ingested once by the real pipeline (bench/stream.py) and its stored
  originals replayed (copies take their original's story, as in the pipeline);
- GoogleNews-TS (``../shared/benchmarks/clustering/googlenews_ts.jsonl``, file order, whole
  set): undated snippets, clustered with the snippet models; a variant that only changes the
  full-article models leaves it as it is, a learned model is scored in place of the snippet
  model;
- the labelled North Korea stream of the sample corpus (bench/stories.py), its fitting half
  (stories with an even index) and its held-out half.

Variants (bench/RESULTS.md, "Story recall: a learned decision, a story-level pass, a bounded
gap cost, a candidate that stands out (2026-12-05)"):

- ``story pass``: a second, story-level merge pass (story centroid against story centroid) run
  every ``N`` articles with a weaker time-gap cost than the join's;
- ``saturating gap``: the time-gap cost stops growing after ``cap`` days (reached smoothly with
  time constant ``tau``), so a quiet story is re-opened by an article that clears a higher but
  bounded bar, instead of a bar that keeps rising with the log of the gap;
- ``standing out``: when no candidate passes the join model, the article joins the candidate
  whose similarity stands out from its other candidates (a score normalisation: the similarity
  over the mean of the next ten candidates' plus a smoothing term), with no time-gap cost;
  ``--only "standing out"`` runs these alone;
- ``learned``: a new-story-or-not decision in the manner of Miranda et al. (EMNLP 2018): a
  logistic model over the per-view features (title, body, whole text, entities, their means
  over members, the story's size and the time gap), fitted on gold replays: for every article,
  each candidate story the clusterer retrieves (and the gold story when retrieval missed it)
  is one example, labelled by whether it holds the article's gold event. The sets are weighed
  equally. ``--cv`` refits without each fold of the stream's events (5 folds by event, as in
  bench/stream.py) and labels that fold with it.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))

from bench import clustering as snippets  # noqa: E402
from bench import stories as sample_bench  # noqa: E402
from bench import stream as stream_bench  # noqa: E402
from nkwatch.cluster import ClusterDoc, ClusterSettings  # noqa: E402
from nkwatch.cluster.model import MergeModel  # noqa: E402
from nkwatch.cluster.persist import (  # noqa: E402
    ARTICLE_MODEL,
    ARTICLE_REFINE_MODEL,
    article_settings,
    calibrated_model,
    cluster_anchors,
)
from nkwatch.cluster.stories import (  # noqa: E402
    StoryClusterer,
    _arrival_order,
    _Candidate,
    _Prepared,
    _Story,
)
from nkwatch.config import load_settings  # noqa: E402
from nkwatch.sample import story_scores  # noqa: E402

GOOGLENEWS = stream_bench.shared_file(
    Path("shared") / "benchmarks" / "clustering" / "googlenews_ts.jsonl"
)
#: Features of the learned decision (all computed by the clusterer for an article-story pair).
FEATURES = (
    "title",
    "body",
    "text",
    "entities",
    "title_mean",
    "text_mean",
    "log_size",
    "text_x_log_size",
    "log_gap_days",
)
_DAY = 86_400.0

Factory = Callable[[ClusterSettings], StoryClusterer]


def plain(settings: ClusterSettings) -> StoryClusterer:
    """The packaged clusterer."""
    return StoryClusterer(settings=settings)


@dataclass(frozen=True, slots=True)
class LabelledSet:
    """Documents in arrival order with their gold labels (``None``: unlabelled)."""

    docs: list[ClusterDoc]
    gold: list[Any]


@dataclass(frozen=True, slots=True)
class Variant:
    """Settings for full articles and for snippets, and the clusterer to use."""

    name: str
    articles: ClusterSettings
    snippets: ClusterSettings | None = None
    factory: Factory = plain


def saturating_clusterer(cap: float, tau: float | None) -> Factory:
    """A clusterer whose time-gap feature stops growing at ``cap`` days.

    ``tau`` None: ``log1p(min(gap, cap))``; else ``log1p(cap) · (1 − exp(−gap / tau))``.
    """

    class Saturating(StoryClusterer):
        def _features(self, prepared: _Prepared, story: _Story) -> dict[str, float]:
            features = super()._features(prepared, story)
            if "log_gap_days" in features:
                gap = math.expm1(features["log_gap_days"])
                if tau is None:
                    features["log_gap_days"] = math.log1p(min(gap, cap))
                else:
                    features["log_gap_days"] = math.log1p(cap) * (1.0 - math.exp(-gap / tau))
            return features

    def make(settings: ClusterSettings) -> StoryClusterer:
        return Saturating(settings=settings)

    return make


def pick_standing(
    similarities: Sequence[float],
    extra: Sequence[float],
    *,
    cut: float,
    ratio: float,
    slots: int,
    smoothing: float,
) -> int | None:
    """The candidate whose similarity reaches ``cut`` and is at least ``ratio`` times the mean
    of the ``slots`` highest other similarities (the other candidates' and ``extra``; missing
    ones count 0) plus ``smoothing``; the one standing out most, or None."""
    best, best_standing = None, 0.0
    for position, similarity in enumerate(similarities):
        if similarity < cut:
            continue
        others = [s for i, s in enumerate(similarities) if i != position]
        rest = sorted([*others, *extra], reverse=True)[:slots]
        standing = similarity / (sum(rest) / slots + smoothing)
        if standing >= ratio and standing > best_standing:
            best, best_standing = position, standing
    return best


class _StandingOut(StoryClusterer, ABC):
    """When no candidate passes the merge model, the article joins the candidate whose
    weighted similarity (text 0.7 + title 0.3, no time-gap cost) stands out
    (:func:`pick_standing`) against the background :meth:`_background` gives."""

    def __init__(
        self, *, settings: ClusterSettings, cut: float, ratio: float, smoothing: float
    ) -> None:
        super().__init__(settings=settings)
        self.cut, self.ratio, self.smoothing = cut, ratio, smoothing

    @abstractmethod
    def _background(self, prepared: _Prepared) -> tuple[list[float], int] | None:
        """Similarities beyond the other candidates and how many slots the mean takes, or
        None when the rule does not apply."""

    def _candidates(self, prepared: _Prepared, *, exclude: int | None = None) -> list[_Candidate]:
        found = super()._candidates(prepared, exclude=exclude)
        if exclude is not None or not found:  # the merge pass reads stories, not articles
            return found
        if max(self._model.probability(c.features) for c in found) >= self._model.threshold:
            return found
        background = self._background(prepared)
        if background is None:
            return found
        extra, slots = background
        sims = [0.7 * c.features["text"] + 0.3 * c.features["title"] for c in found]
        position = pick_standing(
            sims, extra, cut=self.cut, ratio=self.ratio, slots=slots, smoothing=self.smoothing
        )
        if position is None:
            return found
        # The picked story is the only candidate left, scored as passing.
        chosen = found[position]
        chosen.features = {**chosen.features, "log_gap_days": 0.0, "text": 1.0, "title": 1.0}
        return [chosen]


def standing_out_clusterer(
    cut: float,
    ratio: float,
    *,
    background: int = 10,
    smoothing: float = 0.02,
    min_others: int = 0,
    existing_only: bool = False,
) -> Factory:
    """A clusterer that also joins an article to the candidate standing out from the others.

    The background is the next ``background`` candidates (a score normalisation as in topic
    detection and tracking); stories not retrieved count as 0 in its mean; with
    ``existing_only`` only as many as there are other active stories. ``min_others``: the rule
    applies only with at least this many other active stories.
    """

    class StandingOut(_StandingOut):
        def _background(self, prepared: _Prepared) -> tuple[list[float], int] | None:
            others = len(self._stories) - 1
            slots = min(background, others) if existing_only else background
            if others < max(min_others, 1 if existing_only else 0) or slots < 1:
                return None
            return [], slots

    def make(settings: ClusterSettings) -> StoryClusterer:
        return StandingOut(settings=settings, cut=cut, ratio=ratio, smoothing=smoothing)

    return make


def remembering_clusterer(
    cut: float,
    ratio: float,
    *,
    background: int = 10,
    smoothing: float = 0.02,
    remembered: int = 64,
) -> Factory:
    """Standing out, measured against a background that does not depend on how busy the
    window is: the other active stories and the ``remembered`` stories retired last (their
    heaviest title and text terms kept at retirement). The rule applies only when at least
    ``background`` other stories (active or remembered) exist, so a new store never
    re-opens a story for want of anything else to compare with."""

    class Remembering(_StandingOut):
        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            self._past: list[dict[str, dict[str, float]]] = []

        def _retire_inactive(self) -> None:
            active = list(self._stories.values())
            super()._retire_inactive()
            for story in active:  # oldest first, as retirement takes them
                if story.id not in self._stories:
                    probe = self._story_probe(story)
                    self._past.append({v: probe.vectors[v] for v in ("text", "title")})
            del self._past[:-remembered]

        def _background(self, prepared: _Prepared) -> tuple[list[float], int] | None:
            if len(self._stories) - 1 + len(self._past) < background:
                return None
            scores = []
            for probe in self._past:
                score = 0.0
                for view, weight in (("text", 0.7), ("title", 0.3)):
                    vector, terms = prepared.vectors[view], probe[view]
                    score += weight * sum(w * vector.get(t, 0.0) for t, w in terms.items())
                scores.append(score)
            return scores, background

    def make(settings: ClusterSettings) -> StoryClusterer:
        return Remembering(settings=settings, cut=cut, ratio=ratio, smoothing=smoothing)

    return make


def replay(items: LabelledSet, settings: ClusterSettings, factory: Factory) -> list[int]:
    """Story per document (in ``items`` order), replayed in order, then one refinement pass
    (as a pipeline run ends)."""
    clusterer = factory(settings)
    parent: dict[int, int] = {}

    def find(story: int) -> int:
        while story in parent:
            story = parent[story]
        return story

    raw = [0] * len(items.docs)
    positions: dict[str, list[int]] = {}

    def apply(moved: Sequence[tuple[str, int]], merged: Sequence[tuple[int, int]]) -> None:
        for member, story in moved:
            for position in positions[member]:
                raw[position] = story
        for absorbed, into in merged:
            parent[find(absorbed)] = find(into)

    for position, doc in enumerate(items.docs):
        assignment = clusterer.add(doc)
        raw[position] = assignment.story_id
        positions.setdefault(doc.id, []).append(position)
        apply(assignment.moved, assignment.merged)
    merged = clusterer.refine()
    apply(clusterer.last_moves, merged)
    return [find(story) for story in raw]


# -- the three sets -------------------------------------------------------------------------


def _doc(article: Any, store: Any) -> ClusterDoc:
    return ClusterDoc(
        id=str(article.id),
        title=article.title or "",
        text=article.text,
        published=article.published,
        entities=cluster_anchors(store.enrichment(article.id or 0)),
    )


def _ordered(docs: list[ClusterDoc], gold: list[Any]) -> LabelledSet:
    order = _arrival_order(docs)
    return LabelledSet([docs[i] for i in order], [gold[i] for i in order])


@dataclass(slots=True)
class Sets:
    """The three labelled sets, loaded once."""

    stream: LabelledSet
    #: Stream row of each original (in ``stream`` order) and, per row, the original it copies.
    stream_rows: list[int]
    copies: dict[int, str]
    stream_gold: list[int]
    sample: LabelledSet
    sample_fit: set[str]
    snippets: LabelledSet


def load_sets(folder: Path) -> Sets:
    rows = stream_bench.load()
    store = stream_bench.ingest_stream(rows, folder / "stream")
    articles, positions = stream_bench.stored_stream(store, len(rows))
    originals = [(a, p) for a, p in zip(articles, positions, strict=True) if a.duplicate_of is None]
    docs = [_doc(a, store) for a, _ in originals]
    order = _arrival_order(docs)
    stream = LabelledSet([docs[i] for i in order], [rows[originals[i][1]].gold for i in order])
    stream_rows = [originals[i][1] for i in order]
    copies = {
        p: str(a.duplicate_of if a.duplicate_of is not None else a.id)
        for a, p in zip(articles, positions, strict=True)
    }
    store.close()
    sample_store, sample_articles, gold = sample_bench.labelled_stream(folder)
    kept = [a for a in sample_articles if a.duplicate_of is None and a.story_id != 0]
    sample = _ordered([_doc(a, sample_store) for a in kept], [gold.get(a.id or 0) for a in kept])
    sample_store.close()
    stories = sorted(set(gold.values()))
    items = snippets.load(GOOGLENEWS)
    return Sets(
        stream=stream,
        stream_rows=stream_rows,
        copies=copies,
        stream_gold=[r.gold for r in rows],
        sample=sample,
        sample_fit=set(stories[::2]),
        snippets=LabelledSet([i.doc for i in items], [i.gold for i in items]),
    )


def stream_labels(sets: Sets, labels: Sequence[int]) -> list[int]:
    """Labels per stream row: copies take their original's, rows not stored are alone."""
    by_id = {doc.id: label for doc, label in zip(sets.stream.docs, labels, strict=True)}
    result = [-1 - row for row in range(len(sets.stream_gold))]
    for row, original in sets.copies.items():
        if original in by_id:
            result[row] = by_id[original]
    return result


@dataclass(frozen=True, slots=True)
class Scores:
    stream: snippets.Scores
    snippets: snippets.Scores | None
    fit: tuple[float, ...]
    held: tuple[float, ...]


def score_variant(sets: Sets, variant: Variant, stream_override: list[int] | None = None) -> Scores:
    stream = stream_override or stream_labels(
        sets, replay(sets.stream, article_settings(variant.articles), variant.factory)
    )
    sample = replay(sets.sample, article_settings(variant.articles), variant.factory)
    pred = {int(doc.id): label for doc, label in zip(sets.sample.docs, sample, strict=True)}
    gold = {int(doc.id): g for doc, g in zip(sets.sample.docs, sets.sample.gold, strict=True) if g}
    snippet_score = None
    if variant.snippets is not None:
        labels = replay(sets.snippets, variant.snippets, variant.factory)
        snippet_score = snippets.score(labels, sets.snippets.gold)
    return Scores(
        stream=snippets.score(stream, sets.stream_gold),
        snippets=snippet_score,
        fit=story_scores(pred, gold, lambda s: s in sets.sample_fit),
        held=story_scores(pred, gold, lambda s: s not in sets.sample_fit),
    )


def print_row(name: str, scores: Scores) -> None:
    s = scores.stream
    g = "unchanged" if scores.snippets is None else f"{scores.snippets.pairwise_f1:.3f}"
    print(
        f"| {name} | {s.pairwise_precision:.3f} / {s.pairwise_recall:.3f} / "
        f"{s.pairwise_f1:.3f} / {s.bcubed_f1:.3f} | {g} | "
        f"{scores.fit[0]:.3f} / {scores.fit[2]:.3f} | "
        f"{scores.held[0]:.3f} / {scores.held[2]:.3f} |",
        flush=True,
    )


# -- the learned decision -------------------------------------------------------------------


def oracle_examples(
    items: LabelledSet, settings: ClusterSettings
) -> list[tuple[list[float], int, Any]]:
    """(features, in the gold story?, article's gold) for each candidate of each article, the
    articles placed in their gold stories as they arrive (unlabelled articles skipped)."""
    clusterer = StoryClusterer(settings=replace(settings, refine_every=0))
    story_of: dict[Any, int] = {}
    examples = []
    for doc, gold in zip(items.docs, items.gold, strict=True):
        if gold is None:
            continue
        prepared = clusterer._prepare(doc, None)
        candidates = clusterer._candidates(prepared)
        target = story_of.get(gold)
        active = target is not None and target in clusterer._stories
        if active and all(c.story_id != target for c in candidates):
            assert target is not None
            story = clusterer._stories[target]
            candidates.append(_Candidate(target, clusterer._features(prepared, story)))
        for candidate in candidates:
            row = [candidate.features.get(name, 0.0) for name in FEATURES]
            examples.append((row, int(candidate.story_id == target), gold))
        story_of[gold] = clusterer._commit(prepared, target if active else None)
    return examples


def fit_model(
    example_sets: Mapping[str, Sequence[tuple[list[float], int, Any]]], c: float
) -> MergeModel:
    """Logistic regression (scikit-learn), each set weighed as much as the others."""
    from sklearn.linear_model import LogisticRegression

    features, labels, weights = [], [], []
    for examples in example_sets.values():
        for row, label, _ in examples:
            features.append(row)
            labels.append(label)
            weights.append(1000.0 / len(examples))
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(np.array(features), np.array(labels), sample_weight=np.array(weights))
    return MergeModel(
        coefficients=tuple(
            (name, float(w)) for name, w in zip(FEATURES, model.coef_[0], strict=True)
        ),
        intercept=float(model.intercept_[0]),
    )


def learned_variant(name: str, model: MergeModel) -> Variant:
    base = load_settings().cluster
    return Variant(
        name,
        replace(base, model=model, refine_model=ARTICLE_REFINE_MODEL),
        snippets=ClusterSettings(model=model),
    )


def learned_sets(sets: Sets) -> dict[str, list[tuple[list[float], int, Any]]]:
    fit_half = LabelledSet(
        sets.sample.docs, [g if g in sets.sample_fit else None for g in sets.sample.gold]
    )
    train, _ = snippets.split_gold(snippets.load(GOOGLENEWS))
    snippet_half = LabelledSet(
        sets.snippets.docs, [g if g in train else None for g in sets.snippets.gold]
    )
    base = article_settings(load_settings().cluster)
    return {
        "sample": oracle_examples(fit_half, base),
        "googlenews": oracle_examples(snippet_half, replace(base, inactive_after_days=1e9)),
        "stream": oracle_examples(sets.stream, base),
    }


def cross_validated_stream(
    sets: Sets, examples: Mapping[str, Sequence[tuple[list[float], int, Any]]], c: float
) -> list[int]:
    """Stream labels, each fold of events labelled by a model fitted without it."""
    result = [0] * len(sets.stream_gold)
    for k, fold in enumerate(stream_bench.event_folds(sets.stream_gold)):
        kept = dict(examples)
        kept["stream"] = [e for e in examples["stream"] if e[2] not in fold]
        model = fit_model(kept, c)
        settings = article_settings(learned_variant("", model).articles)
        labels = stream_labels(sets, replay(sets.stream, settings, plain))
        for row, gold in enumerate(sets.stream_gold):
            if gold in fold:
                result[row] = (
                    labels[row] * stream_bench.FOLDS + k if labels[row] >= 0 else labels[row]
                )
    return result


# -- the two labellings at the pair level ---------------------------------------------------


def story_pairs(items: LabelledSet, settings: ClusterSettings) -> list[tuple[bool, float, float]]:
    """(same gold event?, similarity, gap in days) for every pair of the stories still active
    after a packaged replay; a story's event is its members' most common gold label, the
    similarity text 0.7 + title 0.3 of one story's centroid against the other's, the gap the
    days between their spans."""
    from collections import Counter

    clusterer = StoryClusterer(settings=settings)
    gold_of = {doc.id: g for doc, g in zip(items.docs, items.gold, strict=True)}
    for doc in items.docs:
        clusterer.add(doc)
    clusterer.refine()
    stories = list(clusterer._stories.values())
    event = {}
    for story in stories:
        labels = Counter(gold_of[m.id] for m in story.members if gold_of.get(m.id) is not None)
        event[story.id] = labels.most_common(1)[0][0] if labels else None
    result = []
    for i, one in enumerate(stories):
        probe = clusterer._story_probe(one)
        for other in stories[i + 1 :]:
            features = clusterer._features(probe, other)
            times = (one.first_time, one.last_time, other.first_time, other.last_time)
            gap = 0.0
            if None not in times:
                assert one.first_time and one.last_time and other.first_time and other.last_time
                later = max(one.first_time, other.first_time)
                gap = max(0.0, later - min(one.last_time, other.last_time)) / _DAY
            same = event[one.id] is not None and event[one.id] == event[other.id]
            result.append((same, 0.7 * features["text"] + 0.3 * features["title"], gap))
    return result


def print_pairs(sets: Sets) -> None:
    settings = article_settings(load_settings().cluster)
    for name, items in (("real stream", sets.stream), ("North Korea stream", sets.sample)):
        pairs = story_pairs(items, settings)
        for same in (True, False):
            values = sorted((s, g) for flag, s, g in pairs if flag == same)
            top = ", ".join(f"{s:.2f} at {g:.0f} d" for s, g in values[::-1][:8])
            kind = "same event" if same else "different events"
            print(f"{name}, {kind}: {len(values)} pairs; highest: {top}")


# -- the variants ---------------------------------------------------------------------------


def variants() -> list[Variant]:
    base = load_settings().cluster
    weights = {"text": 0.7, "title": 0.3}
    result = [Variant("packaged (text 0.7 + title 0.3, cut 0.12, gap −2.5)", base)]
    for every, cut, gap in (
        (25, 0.18, -0.5),
        (25, 0.26, 0.0),
        (25, 0.22, -1.0),
        (1, 0.18, -0.5),
        (1, 0.22, -1.0),
        (1, 0.26, -2.0),
    ):
        model = calibrated_model(weights, cut=cut, gap=gap)
        result.append(
            Variant(
                f"story pass every {every}, cut {cut}, gap {gap}",
                replace(base, refine_every=every, model=ARTICLE_MODEL, refine_model=model),
                snippets=ClusterSettings(refine_every=every),
            )
        )
    for cap, tau, cut in (
        (3.0, None, 0.12),
        (7.0, None, 0.12),
        (14.0, None, 0.12),
        (14.0, None, 0.14),
        (30.0, None, 0.12),
        (14.0, 3.0, 0.14),
        (30.0, 7.0, 0.14),
        (60.0, 14.0, 0.12),
    ):
        settings = replace(
            base,
            model=calibrated_model(weights, cut=cut, gap=-2.5),
            refine_model=calibrated_model(weights, cut=cut + 0.1, gap=-2.5),
        )
        shape = f"{cap:g} d" if tau is None else f"{cap:g} d, τ {tau:g} d"
        result.append(
            Variant(
                f"saturating gap: capped at {shape}, cut {cut}",
                settings,
                factory=saturating_clusterer(cap, tau),
            )
        )
    for label, options in (
        ("ratio 8, cut 0.15 (chosen by 5 folds by event)", {}),
        ("ratio 6, cut 0.15", {"ratio": 6.0}),
        ("ratio 10, cut 0.15", {"ratio": 10.0}),
        ("ratio 8, cut 0.15, at least 1 other active story", {"min_others": 1}),
        ("ratio 8, cut 0.15, at least 3 other active stories", {"min_others": 3}),
        ("ratio 8, cut 0.15, background over existing stories only", {"existing_only": True}),
    ):
        kwargs: dict[str, Any] = {"cut": 0.15, "ratio": 8.0, **options}
        result.append(
            Variant(
                f"standing out: {label}",
                replace(base, model=ARTICLE_MODEL, refine_model=ARTICLE_REFINE_MODEL),
                factory=standing_out_clusterer(**kwargs),
            )
        )
    for label, options in (
        ("ratio 8, cut 0.15", {}),
        ("ratio 6, cut 0.15", {"ratio": 6.0}),
        ("ratio 10, cut 0.15", {"ratio": 10.0}),
        ("ratio 8, cut 0.15, 20 in the background", {"background": 20}),
    ):
        kwargs = {"cut": 0.15, "ratio": 8.0, **options}
        result.append(
            Variant(
                f"remembering: {label}",
                replace(base, model=ARTICLE_MODEL, refine_model=ARTICLE_REFINE_MODEL),
                factory=remembering_clusterer(**kwargs),
            )
        )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="cross-validate the learned models")
    parser.add_argument("--only", default="", help="only the variants whose name has this")
    parser.add_argument(
        "--pairs", action="store_true", help="story-pair similarities of both labellings"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sets = load_sets(Path(folder))
    if args.pairs:
        print_pairs(sets)
        return 0
    print(
        "| variant | stream P / R / F1 / BCubed | GoogleNews-TS F1 | NK fitting P / F1 "
        "| NK held-out P / F1 |"
    )
    print("|---|---|---|---|---|")
    for variant in variants():
        if args.only in variant.name:
            print_row(variant.name, score_variant(sets, variant))
    if args.only:
        return 0
    examples = learned_sets(sets)
    for names in (
        ("sample", "googlenews"),
        ("sample", "stream"),
        ("sample", "googlenews", "stream"),
    ):
        for c in (1.0, 10.0):
            model = fit_model({n: examples[n] for n in names}, c)
            variant = learned_variant(f"learned on {' + '.join(names)}, C {c:g}", model)
            print_row(variant.name, score_variant(sets, variant))
            if args.cv and "stream" in names:
                override = cross_validated_stream(sets, {n: examples[n] for n in names}, c)
                name = variant.name + ", stream cross-validated"
                print_row(name, score_variant(sets, variant, override))
    return 0


if __name__ == "__main__":
    sys.exit(main())
