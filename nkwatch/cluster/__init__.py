"""Story clustering: group articles about one event into a story, online and deterministically.

Reads :class:`ClusterDoc` records (title, text, time, entities) in arrival order and adds a story
id to each; see :mod:`nkwatch.cluster.stories` for the method.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nkwatch.lazy import lazy_exports

if TYPE_CHECKING:
    from nkwatch.cluster.embed import Embedder, EmbeddingError, load_default_embedder
    from nkwatch.cluster.model import MergeModel
    from nkwatch.cluster.settings import ClusterSettings
    from nkwatch.cluster.stories import Assignment, ClusterDoc, StoryClusterer, cluster_stream

# Each name is imported on first use: importing the package (for one light module of it,
# say) does not load the heavy libraries of the others.
_EXPORTS = {
    "Embedder": "nkwatch.cluster.embed",
    "EmbeddingError": "nkwatch.cluster.embed",
    "load_default_embedder": "nkwatch.cluster.embed",
    "MergeModel": "nkwatch.cluster.model",
    "ClusterSettings": "nkwatch.cluster.settings",
    "Assignment": "nkwatch.cluster.stories",
    "ClusterDoc": "nkwatch.cluster.stories",
    "StoryClusterer": "nkwatch.cluster.stories",
    "cluster_stream": "nkwatch.cluster.stories",
}

__all__ = [
    "Assignment",
    "ClusterDoc",
    "ClusterSettings",
    "Embedder",
    "EmbeddingError",
    "MergeModel",
    "StoryClusterer",
    "cluster_stream",
    "load_default_embedder",
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())
