"""Story clustering settings: how stories are formed.

Kept apart from :mod:`nkwatch.cluster.stories` so that reading the configuration does not load
the clusterer and its numerical libraries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nkwatch.cluster.model import (
    EMBEDDING_MODEL,
    EMBEDDING_REFINE_MODEL,
    EMBEDDING_SPLIT_SEPARATION,
    ORPHAN_PASSES,
    ORPHAN_SIZE,
    SPLIT_MERGE_MARGIN,
    SPLIT_MIN_PART,
    SPLIT_SEPARATION,
    SPLIT_SIZE_SLOPE,
    TFIDF_MODEL,
    TFIDF_REFINE_MODEL,
    MergeModel,
)

__all__ = ["ClusterSettings"]


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """How stories are formed."""

    #: A story with no new member for this long leaves the candidate set.
    inactive_after_days: float = 14.0
    #: A story quiet for longer than ``inactive_after_days`` is still kept this long (days
    #: after its last member) as a candidate for storyline links only: a thread's stories can
    #: be months apart (a release and the ceremony marking it, a breach and its settlement).
    storyline_window_days: float = 365.0
    #: Upper bound on stories kept (least recently joined leave first); bounds memory when
    #: articles carry no dates.
    max_active_stories: int = 5_000
    #: Stories scored in full per article, after inverted-index retrieval.
    max_candidates: int = 20
    #: A story is indexed under this many of its heaviest terms.
    index_terms: int = 40
    #: Terms kept per story and view (the lightest are dropped beyond this).
    max_story_terms: int = 400
    #: Add an embedding-similarity view (needs an :class:`Embedder`).
    use_embeddings: bool = False
    #: Every this many articles, merge changed stories the model scores as one (0 = never).
    refine_every: int = 500
    #: The merge model; ``None`` takes the packaged fitted model for ``use_embeddings``.
    model: MergeModel | None = None
    #: The story-pair model of refinement; ``None`` takes the packaged one.
    refine_model: MergeModel | None = None
    #: Let refinement split a story whose members form two well-separated groups, and refuse
    #: merges that would make such a story.
    split_stories: bool = True
    #: A story is split only into parts of at least this many members.
    split_min_part: int = SPLIT_MIN_PART
    #: How separated two groups of a 100-member story must be to stay (or become) two stories
    #: (see :func:`separation`); ``None`` takes the packaged value for ``use_embeddings``.
    split_separation: float | None = None
    #: The separation needed falls by this much per e-fold of story size: halves of a large
    #: story of one event agree more closely than halves of a small one.
    split_size_slope: float = SPLIT_SIZE_SLOPE
    #: A merge is refused already when its union's separation comes within this much of the
    #: split cut: without the margin, two stories near the cut were split and merged again at
    #: alternate passes, and a stream could end on the merged side.
    split_merge_margin: float = SPLIT_MERGE_MARGIN
    #: A story tested for a split is tested again only once it has grown by this fraction of
    #: its size at that test, or by ``split_retest_members``, whichever comes first; testing
    #: every changed story at every pass made the pass cost grow with the stories' sizes.
    split_retest_growth: float = 0.25
    #: ... or once it has this many new members (so a very large story is still re-checked).
    split_retest_members: int = 100
    #: A split test (and the merge check against it) reads at most this many members, an
    #: evenly spaced sample of the story, so its cost is bounded whatever the story's size.
    split_sample: int = 200
    #: A story of at most this many members is judged by the merge pass with
    #: :attr:`orphan_merge_model` instead of the story-pair model ...
    orphan_size: int = ORPHAN_SIZE
    #: ... at the pass after it last changed and the next ones, this many in all: the story
    #: it belongs to may only form or grow after it arrived.
    orphan_passes: int = ORPHAN_PASSES
    #: The model for such small stories; see :attr:`orphan_merge_model`.
    orphan_model: MergeModel | None = None
    #: How an article in a non-Latin script (a Korean report) joins a story it shares no words
    #: with: on the entity view (watched entities named through their aliases in any script,
    #: and reported figures) and the time gap. ``None`` takes the packaged model.
    cross_script_model: MergeModel | None = None
    #: Such an article is also compared with this many of the most recently joined stories.
    cross_script_candidates: int = 200
    #: The model linking stories into storylines; ``None`` takes the packaged one
    #: (:data:`nkwatch.cluster.storylines.STORYLINE_MODEL`).
    storyline_model: MergeModel | None = None

    def __post_init__(self) -> None:
        if self.inactive_after_days <= 0:
            raise ValueError(
                f"inactive_after_days must be positive, got {self.inactive_after_days}"
            )
        if self.storyline_window_days < 0:
            raise ValueError(
                f"storyline_window_days must be 0 or more, got {self.storyline_window_days}"
            )
        for name in (
            "max_active_stories",
            "max_candidates",
            "index_terms",
            "max_story_terms",
            "split_min_part",
            "split_retest_members",
            "split_sample",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.orphan_size < 0 or self.orphan_passes < 0:
            raise ValueError(
                f"orphan_size and orphan_passes must be 0 or more, got {self.orphan_size} and "
                f"{self.orphan_passes}"
            )
        if self.refine_every < 0:
            raise ValueError(f"refine_every must be 0 or more, got {self.refine_every}")
        if self.split_retest_growth < 0:
            raise ValueError(
                f"split_retest_growth must be 0 or more, got {self.split_retest_growth}"
            )
        if self.split_sample < 2 * self.split_min_part:
            raise ValueError(
                f"split_sample ({self.split_sample}) must be at least twice split_min_part "
                f"({self.split_min_part})"
            )

    def split_due(self, size: int, tested_size: int) -> bool:
        """Whether a story of ``size`` members, last tested at ``tested_size``, is tested now."""
        if size < 2 * self.split_min_part:
            return False
        if tested_size <= 0:
            return True
        growth = max(1, math.ceil(self.split_retest_growth * tested_size))
        return size - tested_size >= min(growth, self.split_retest_members)

    def split_cut(self, size: int) -> float:
        """Separation at which a story of ``size`` members is two stories."""
        separation = self.split_separation
        if separation is None:
            separation = EMBEDDING_SPLIT_SEPARATION if self.use_embeddings else SPLIT_SEPARATION
        return separation - self.split_size_slope * math.log(size / 100.0)

    @property
    def merge_model(self) -> MergeModel:
        """The model in force."""
        if self.model is not None:
            return self.model
        return EMBEDDING_MODEL if self.use_embeddings else TFIDF_MODEL

    @property
    def orphan_merge_model(self) -> MergeModel:
        """The model for small stories in refinement.

        With the packaged models in force, the packaged join model: a story of an article or
        two is judged as an article (calibrated together on the training half). With a caller's
        own ``model`` or ``refine_model``, their refinement model, since a join cut fitted to
        other text need not suit a second look (it over-joined full-length articles).
        """
        if self.orphan_model is not None:
            return self.orphan_model
        if self.model is None and self.refine_model is None:
            return self.merge_model
        return self.story_merge_model

    @property
    def story_merge_model(self) -> MergeModel:
        """The refinement model in force."""
        if self.refine_model is not None:
            return self.refine_model
        return EMBEDDING_REFINE_MODEL if self.use_embeddings else TFIDF_REFINE_MODEL
