"""Story clustering: group articles about one event into a story, online and deterministically.

Reads :class:`ClusterDoc` records (title, text, time, entities) in arrival order and adds a story
id to each; see :mod:`nkwatch.cluster.stories` for the method.
"""

from nkwatch.cluster.embed import Embedder, EmbeddingError, load_default_embedder
from nkwatch.cluster.model import MergeModel
from nkwatch.cluster.stories import (
    Assignment,
    ClusterDoc,
    ClusterSettings,
    StoryClusterer,
    cluster_stream,
)

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
