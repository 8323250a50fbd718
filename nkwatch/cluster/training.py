"""Fitting the merge model from labelled story streams (offline; never run while clustering).

Reads streams of articles labelled with their true story and returns a :class:`MergeModel`.
Pairs are (article, candidate story) as the clusterer retrieves them, labelled "same" when the
candidate's majority true story is the article's. The first round replays each stream with
every article put in its true story; later rounds replay it with the previous round's model so
the model also sees the impure, split stories it will meet in use. A logistic regression with a
small L2 penalty (Newton's method) is fitted on all pairs gathered.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from nkwatch.cluster.model import MergeModel
from nkwatch.cluster.stories import ClusterDoc, ClusterSettings, StoryClusterer

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LabelledDoc:
    """An article with its true story (and, optionally, its precomputed embedding)."""

    doc: ClusterDoc
    story: Hashable
    embedding: np.ndarray | None = None


def collect_pairs(
    stream: Sequence[LabelledDoc],
    *,
    settings: ClusterSettings,
    features: Sequence[str],
    rollout: MergeModel | None = None,
    best_only: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and same/new labels of (article, candidate) pairs in one replay.

    With ``best_only`` only the best candidate of each article gives a pair (by ``rollout``'s
    probability, else by whole-text cosine), which is the decision the model makes in use.
    With ``rollout`` the replay follows that model's decisions; without it, the truth's.
    """
    run_settings = settings if rollout is None else replace(settings, model=rollout)
    clusterer = StoryClusterer(settings=run_settings)
    votes: dict[int, Counter[Hashable]] = {}
    story_of_truth: dict[Hashable, int] = {}
    rows: list[list[float]] = []
    labels: list[int] = []
    for item in stream:
        prepared = clusterer._prepare(item.doc, item.embedding)
        candidates = clusterer._candidates(prepared)
        best_id, best_p = None, 0.0
        ranked = []
        for candidate in candidates:
            p = (
                rollout.probability(candidate.features)
                if rollout is not None
                else candidate.features["text"]
            )
            ranked.append((-p, candidate.story_id, candidate))
            if p > best_p:
                best_id, best_p = candidate.story_id, p
        ranked.sort(key=lambda entry: entry[:2])
        for _, story_id, candidate in ranked[:1] if best_only else ranked:
            majority = votes[story_id].most_common(1)[0][0]
            rows.append([candidate.features.get(name, 0.0) for name in features])
            labels.append(int(majority == item.story))
        if rollout is None:
            target = story_of_truth.get(item.story)
            if target is not None and target not in clusterer._stories:
                target = None
        else:
            target = best_id if best_id is not None and best_p >= rollout.threshold else None
        story_id = clusterer._commit(prepared, target)
        votes.setdefault(story_id, Counter())[item.story] += 1
        story_of_truth.setdefault(item.story, story_id)
    return np.asarray(rows, dtype=np.float64).reshape(-1, len(features)), np.asarray(labels)


def fit_logistic(
    rows: np.ndarray, labels: np.ndarray, *, l2: float = 1.0, iterations: int = 50
) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression by Newton's method: (coefficients, intercept)."""
    design = np.hstack([rows, np.ones((rows.shape[0], 1))])
    weights = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ weights)))
        gradient = design.T @ (p - labels) + penalty * weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return weights[:-1], float(weights[-1])


def fit_merge_model(
    streams: Iterable[Sequence[LabelledDoc]],
    *,
    settings: ClusterSettings,
    features: Sequence[str],
    rounds: int = 2,
    l2: float = 1.0,
    threshold: float = 0.5,
) -> MergeModel:
    """Fit a merge model on labelled streams (see the module docstring for the procedure)."""
    streams = list(streams)
    all_rows: list[np.ndarray] = []
    all_labels: list[np.ndarray] = []
    model: MergeModel | None = None
    for round_number in range(rounds):
        for stream in streams:
            rows, labels = collect_pairs(
                stream, settings=settings, features=features, rollout=model
            )
            all_rows.append(rows)
            all_labels.append(labels)
        coefficients, intercept = fit_logistic(
            np.vstack(all_rows), np.concatenate(all_labels), l2=l2
        )
        model = MergeModel(
            coefficients=tuple(
                (name, float(w)) for name, w in zip(features, coefficients, strict=True)
            ),
            intercept=intercept,
            threshold=threshold,
        )
        log.info("round %d: %d pairs, model %s", round_number, sum(map(len, all_labels)), model)
    assert model is not None, "rounds must be at least 1"
    return model
