"""Sparse TF-IDF views of a document (title, body, whole text, entities) with incremental IDF.

Every view keeps its own document frequencies, updated as documents arrive, so a term's weight
reflects the stream seen so far; nothing is fitted in advance.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping

#: A sparse vector: term → weight. Insertion order is the term's first position in the text,
#: which keeps every sum over a vector in the same order from run to run.
SparseVector = dict[str, float]

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

# Common English function words and newswire filler; content words only reach the views.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even few for
    from further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own said same says she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself yourselves
    """.split()  # noqa: SIM905 (a word list reads better as prose)
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens of ``text`` without stop words or one-letter tokens."""
    return [
        token
        for token in _TOKEN.findall(text.casefold())
        if len(token) > 1 and token not in STOP_WORDS
    ]


def term_counts(tokens: Iterable[str]) -> dict[str, int]:
    """Counts of each token, in order of first appearance."""
    counts: dict[str, int] = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    return counts


class DocumentFrequencies:
    """Document frequencies of one view, updated one document at a time."""

    def __init__(self, *, documents: int = 0, counts: Mapping[str, int] | None = None) -> None:
        self.documents = documents
        self.counts: dict[str, int] = dict(counts or {})

    def add(self, terms: Iterable[str]) -> None:
        """Count one more document containing each of ``terms`` (each term once)."""
        self.documents += 1
        for term in terms:
            self.counts[term] = self.counts.get(term, 0) + 1

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency of ``term`` in the documents seen so far."""
        return math.log((self.documents + 1) / (self.counts.get(term, 0) + 1)) + 1.0

    def weigh(self, counts: Mapping[str, int]) -> SparseVector:
        """L2-normalised ``(1 + log tf) · idf`` vector of a document's term counts."""
        self.prefetch(counts)
        vector = {term: (1.0 + math.log(tf)) * self.idf(term) for term, tf in counts.items()}
        return normalise(vector)

    def prefetch(self, terms: Iterable[str]) -> None:
        """Make the counts of ``terms`` ready to read (nothing to do when all are in memory)."""


class LazyFrequencies(DocumentFrequencies):
    """Document frequencies whose counts are read from elsewhere (a store) when first needed.

    ``load`` returns the stored counts of the terms asked for (a term it leaves out has none).
    Only the terms the clusterer reads are loaded, and :attr:`changed` names those whose counts
    it has raised since, so that only they are written back.
    """

    def __init__(self, *, documents: int, load: Callable[[list[str]], Mapping[str, int]]) -> None:
        super().__init__(documents=documents)
        self._load = load
        self.changed: set[str] = set()

    def prefetch(self, terms: Iterable[str]) -> None:
        counts = self.counts
        missing = [term for term in dict.fromkeys(terms) if term not in counts]
        if not missing:
            return
        found = self._load(missing)
        for term in missing:
            counts[term] = int(found.get(term, 0))

    def add(self, terms: Iterable[str]) -> None:
        terms = list(terms)
        self.prefetch(terms)
        super().add(terms)
        self.changed.update(terms)

    def idf(self, term: str) -> float:
        if term not in self.counts:
            self.prefetch((term,))
        return super().idf(term)

    def changed_counts(self) -> dict[str, int]:
        """The counts of the terms changed since :attr:`changed` was last cleared, by term."""
        return {term: self.counts[term] for term in sorted(self.changed)}


def normalise(vector: SparseVector) -> SparseVector:
    """``vector`` scaled to unit length (an empty or zero vector stays as it is)."""
    norm = math.sqrt(sum(value * value for value in vector.values()))
    if norm == 0.0:
        return dict(vector)
    return {term: value / norm for term, value in vector.items()}


def dot(small: Mapping[str, float], large: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors.

    Only the shared terms are multiplied (the key views intersect in C, from the smaller side),
    and ``math.fsum`` rounds the sum exactly, so the result does not depend on the set's order,
    which changes with each process's string hashing.
    """
    return math.fsum(small[term] * large[term] for term in small.keys() & large.keys())


class Centroid:
    """Sum of unit document vectors of one view, with its squared norm kept up to date.

    Past ``max_terms`` the lightest terms are dropped, so a long-running story's memory stays
    bounded; the dropped tail carries little of the cosine.
    """

    __slots__ = ("max_terms", "square_norm", "weights")

    def __init__(self, *, max_terms: int, weights: Mapping[str, float] | None = None) -> None:
        self.max_terms = max_terms
        self.weights: dict[str, float] = dict(weights or {})
        self.square_norm = sum(value * value for value in self.weights.values())

    def add(self, vector: Mapping[str, float]) -> None:
        """Add one unit document vector."""
        weights = self.weights
        for term, value in vector.items():
            old = weights.get(term, 0.0)
            new = old + value
            weights[term] = new
            self.square_norm += new * new - old * old
        if len(weights) > 2 * self.max_terms:
            self._prune()

    def merge(self, other: Centroid) -> None:
        """Add another centroid (when two stories become one)."""
        self.add(other.weights)
        self.square_norm = sum(value * value for value in self.weights.values())

    def cosine(self, vector: Mapping[str, float]) -> float:
        """Cosine between a unit vector and this centroid."""
        if self.square_norm <= 0.0 or not vector:
            return 0.0
        return dot(vector, self.weights) / math.sqrt(self.square_norm)

    def dot(self, vector: Mapping[str, float]) -> float:
        """Dot product of a unit vector with this centroid (sum of the members' cosines)."""
        return dot(vector, self.weights)

    def top_terms(self, count: int) -> list[str]:
        """The ``count`` heaviest terms (ties broken by term, so the result is stable)."""
        ranked = sorted(self.weights.items(), key=lambda item: (-item[1], item[0]))
        return [term for term, _ in ranked[:count]]

    def _prune(self) -> None:
        kept = sorted(self.weights.items(), key=lambda item: (-item[1], item[0]))[: self.max_terms]
        # Keep first-seen order for the survivors so later sums stay in a stable order.
        keep = {term for term, _ in kept}
        self.weights = {term: value for term, value in self.weights.items() if term in keep}
        self.square_norm = sum(value * value for value in self.weights.values())
