"""Document-level pooling of passage embeddings."""

from __future__ import annotations

import numpy as np

from nkwatch.cluster.embed import MAX_PASSAGES, PASSAGE_WORDS, encode_documents, passages


class CountingEmbedder:
    """Embeds a text as (words, 1), normalised; remembers what it was asked."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        rows = np.array([[len(t.split()), 1.0] for t in texts])
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_passages_start_with_the_headline_and_stop_after_the_lead() -> None:
    text = " ".join(f"w{i}" for i in range(PASSAGE_WORDS * (MAX_PASSAGES + 2)))
    chunks = passages("Troops cross the line", text)
    assert len(chunks) == MAX_PASSAGES
    assert chunks[0].startswith("Troops cross the line. w0 ")
    assert chunks[1].split()[0] == f"w{PASSAGE_WORDS}"
    assert all(len(c.split()) <= PASSAGE_WORDS + 4 for c in chunks)


def test_short_and_headline_less_items_are_one_passage() -> None:
    assert passages("", "Rice prices rose.") == ["Rice prices rose."]
    assert passages("Headline only", "") == ["Headline only"]


def test_documents_are_unit_means_of_their_passages() -> None:
    embedder = CountingEmbedder()
    long_text = " ".join(["word"] * (PASSAGE_WORDS * 2))
    vectors = encode_documents(embedder, [("A", "short text"), ("B", long_text)], batch_size=2)
    assert vectors.shape == (2, 2)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert len(embedder.seen) == 3  # one passage, then two
    assert encode_documents(embedder, []).shape == (0, 0)
