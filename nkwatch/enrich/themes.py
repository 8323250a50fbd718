"""Themes: which of the profile's topics an article is about (several can apply).

Reads an article's title and text and a :class:`~nkwatch.enrich.profile.Profile`; returns
:class:`ThemeHit` records (theme id, score in 0..1, and the verbatim sentence that best supports
the theme).

The score comes from the profile's cue terms: strong cues weigh more than weak ones, a cue in the
title counts double and one in the two lead sentences one and a half times, repeats of one cue
add less and less, and the body's share is divided by the square root of its length. A theme
whose cues all sit in one sentence past the lead of a long article counts half: that is a
passing mention. The total is squashed into 0..1 and compared with a threshold calibrated on
labelled articles (``tests/data/enrich/themes_unit.json``); a second theme must also reach a
share of the best theme's cue weight, so that a story about missiles that mentions Security
Council resolutions is not also about diplomacy. Given a sentence embedder, each sentence is also
compared with the theme's description and the two scores are blended. :func:`score_themes`
returns every theme's score and its parts, for tuning.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from nkwatch.cluster.embed import Embedder
from nkwatch.enrich.profile import (
    HANGUL,
    STRONG_WEIGHT,
    WEAK_WEIGHT,
    Profile,
    Token,
    tokenize,
)
from nkwatch.sentences import split_sentences

#: Score at or above which a theme is assigned (cue terms alone).
DEFAULT_THRESHOLD = 0.35
#: Score at or above which a theme is assigned when cue and embedding scores are blended.
DEFAULT_BLENDED_THRESHOLD = 0.4
#: A cue in the title counts this many times its weight.
TITLE_WEIGHT = 2.0
#: Share of the embedding score in the blended score.
EMBEDDING_SHARE = 0.2
#: Cues in the first sentences (the lead) count this many times their weight (less than the
#: title's).
LEAD_WEIGHT = 1.5
LEAD_SENTENCES = 2
#: A theme found only in one sentence past the lead of a long article counts this share.
PASSING_MENTION_WEIGHT = 0.5
#: A second theme must reach this share of the best theme's cue weight.
RELATIVE_SHARE = 0.3
# Articles of at least this many sentences can mention a theme in passing.
_LONG_ARTICLE = 6
# Raw cue weight that maps to a score of 1 - 1/e (about 0.63).
_SCALE = 6.0
# Body length (in tokens) up to which the body's cue weight is not diluted.
_BODY_TOKENS = 120
# Cosine similarities between a sentence and a theme description mapped to 0 and 1.
_SIMILARITY_FLOOR = 0.15
_SIMILARITY_CEILING = 0.55
_MAX_SENTENCES = 80


@dataclass(frozen=True, slots=True)
class ThemeHit:
    """An assigned theme: its id, its score (0..1) and the sentence that supports it best."""

    theme: str
    score: float
    evidence: str


@dataclass(frozen=True, slots=True)
class ThemeScore:
    """One theme's score and how it was reached (see :func:`score_themes`)."""

    theme: str
    score: float
    cue_score: float
    embedding_score: float | None
    evidence: str
    cues: tuple[str, ...] = field(default=())


def assign_themes(
    title: str,
    text: str,
    *,
    profile: Profile,
    embedder: Embedder | None = None,
    threshold: float | None = None,
) -> list[ThemeHit]:
    """The themes ``text`` is about, best first."""
    if threshold is None:
        threshold = DEFAULT_THRESHOLD if embedder is None else DEFAULT_BLENDED_THRESHOLD
    scores = score_themes(title, text, profile=profile, embedder=embedder)
    best = _strength(scores[0].score) if scores else 0.0
    return [
        ThemeHit(s.theme, s.score, s.evidence)
        for s in scores
        if s.score >= threshold and s.evidence and _strength(s.score) >= RELATIVE_SHARE * best
    ]


def _strength(score: float) -> float:
    """The cue weight behind a squashed score: secondary themes are compared on this scale."""
    return -math.log(max(1e-9, 1.0 - min(score, 0.999999)))


def score_themes(
    title: str,
    text: str,
    *,
    profile: Profile,
    embedder: Embedder | None = None,
) -> list[ThemeScore]:
    """Every theme's score for one article, best first (for thresholds and diagnostics)."""
    index = _cue_index(profile)
    title = title or ""
    sentences = split_sentences(text or "")[:_MAX_SENTENCES]
    title_hits = index.find(title)
    body_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # Where a cue stands: the lead sentences say what an article is about, later ones add context.
    cue_place: dict[str, dict[str, float]] = defaultdict(dict)
    theme_sentences: dict[str, set[int]] = defaultdict(set)
    best_sentence: dict[str, tuple[float, int]] = {}
    body_tokens = 0
    for number, sentence in enumerate(sentences):
        tokens = tokenize(sentence)  # once, for the length and the cues
        body_tokens += len(tokens)
        place = LEAD_WEIGHT if number < LEAD_SENTENCES else 1.0
        weights: dict[str, float] = defaultdict(float)
        for theme_id, cue, weight in index.find(sentence, tokens):
            body_counts[theme_id][cue] += 1
            cue_place[theme_id][cue] = max(cue_place[theme_id].get(cue, 0.0), place)
            if weight > 0:
                theme_sentences[theme_id].add(number)
            weights[theme_id] += weight
        for theme_id, weight in weights.items():
            if weight > best_sentence.get(theme_id, (0.0, 0))[0]:
                best_sentence[theme_id] = (weight, number)
    dilution = math.sqrt(max(1.0, body_tokens / _BODY_TOKENS))
    title_cues: dict[str, dict[str, float]] = defaultdict(dict)
    for theme_id, cue, weight in title_hits:
        title_cues[theme_id][cue] = weight

    similarities = _similarities(profile, embedder, title, sentences) if embedder else None
    scores: list[ThemeScore] = []
    for position, theme in enumerate(profile.themes):
        found = {**body_counts[theme.id], **title_cues[theme.id]}
        # Weak cues support a theme; on their own they count for half.
        support = 1.0 if any(index.weight(theme.id, c) >= STRONG_WEIGHT for c in found) else 0.5
        body = sum(
            index.weight(theme.id, cue)
            * (1.0 + math.log(count))
            * _support(index, theme.id, cue, support)
            * cue_place[theme.id][cue]
            for cue, count in body_counts[theme.id].items()
        )
        places = theme_sentences[theme.id]
        if (
            not title_cues[theme.id]
            and len(places) == 1
            and min(places) >= LEAD_SENTENCES
            and len(sentences) >= _LONG_ARTICLE
        ):
            # One late sentence of a long article is a passing mention.
            body *= PASSING_MENTION_WEIGHT
        title_weight = sum(
            weight * _support(index, theme.id, cue, support)
            for cue, weight in title_cues[theme.id].items()
        )
        raw = body / dilution + TITLE_WEIGHT * title_weight
        cue_score = 1.0 - math.exp(-raw / _SCALE)
        evidence = ""
        if theme.id in best_sentence:
            evidence = sentences[best_sentence[theme.id][1]]
        elif title_cues[theme.id]:
            evidence = title
        embedding_score: float | None = None
        score = cue_score
        if similarities is not None:
            row = similarities[:, position]
            embedding_score = float(
                np.clip(
                    (row.max() - _SIMILARITY_FLOOR) / (_SIMILARITY_CEILING - _SIMILARITY_FLOOR),
                    0.0,
                    1.0,
                )
            )
            score = (1.0 - EMBEDDING_SHARE) * cue_score + EMBEDDING_SHARE * embedding_score
            if not evidence and embedding_score > 0:
                texts = [title, *sentences] if title else sentences
                evidence = texts[int(row.argmax())]
        cues = tuple(sorted({*body_counts[theme.id], *title_cues[theme.id]}))
        scores.append(
            ThemeScore(theme.id, round(score, 4), cue_score, embedding_score, evidence, cues)
        )
    scores.sort(key=lambda s: -s.score)
    return scores


def _support(index: _CueIndex, theme_id: str, cue: str, support: float) -> float:
    return 1.0 if index.weight(theme_id, cue) >= STRONG_WEIGHT else support


def _similarities(
    profile: Profile, embedder: Embedder, title: str, sentences: list[str]
) -> np.ndarray | None:
    texts = [title, *sentences] if title else sentences
    if not texts or not profile.themes:
        return None
    # Theme descriptions go in the same batch as the sentences: one call to the model.
    descriptions = [f"{theme.label}. {theme.description}" for theme in profile.themes]
    vectors = np.asarray(embedder.encode([*descriptions, *texts]), dtype=np.float32)
    expected = len(descriptions) + len(texts)
    if vectors.ndim != 2 or vectors.shape[0] != expected:
        raise ValueError(
            f"the embedder returned an array of shape {vectors.shape} for {expected} texts; "
            "it must return one row per text"
        )
    themes, sentence_vectors = vectors[: len(descriptions)], vectors[len(descriptions) :]
    return sentence_vectors @ themes.T


# --- cue matching --------------------------------------------------------------------------

_NO_STEM = {"news", "series", "species", "gas", "lens", "arms", "its", "this", "us", "is", "has"}


def stem(word: str) -> str:
    """A light plural-stripping stem, so "missiles" meets the cue "missile"."""
    if word in _NO_STEM or len(word) <= 3 or not word.isascii():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _stems(tokens: list[Token]) -> list[str]:
    return [stem(t.key) for t in tokens]


@dataclass(slots=True)
class _CueIndex:
    exact: dict[tuple[str, ...], list[tuple[str, str, float]]]
    # Cues ending in *: the last word is a prefix. Keyed by their first word (or its first
    # three letters when the first word is itself the prefix).
    prefix: dict[str, list[tuple[tuple[str, ...], str, str, float]]]
    hangul: list[tuple[str, str, str, float]]
    weights: dict[tuple[str, str], float]
    longest: int

    def weight(self, theme_id: str, cue: str) -> float:
        return self.weights[(theme_id, cue)]

    def find(self, text: str, tokens: list[Token] | None = None) -> list[tuple[str, str, float]]:
        """(theme id, cue term, weight) for every cue occurrence; the longest cue wins.

        ``tokens`` is ``tokenize(text)`` when the caller has it already.
        """
        hits: list[tuple[str, str, float]] = []
        if tokens is None:
            tokens = tokenize(text)
        keys = _stems(tokens)
        position = 0
        while position < len(tokens):
            matched = self._match_at(tokens, keys, position)
            if matched is None:
                position += 1
                continue
            length, found = matched
            hits.extend(hit for hit in found if hit[2] > 0)
            position += length
        for term, theme_id, cue, weight in self.hangul:
            hits.extend([(theme_id, cue, weight)] * text.count(term))
        return hits

    def _match_at(
        self, tokens: list[Token], keys: list[str], position: int
    ) -> tuple[int, list[tuple[str, str, float]]] | None:
        limit = 1
        while (
            limit < self.longest
            and position + limit < len(tokens)
            and tokens[position + limit].joined
        ):
            limit += 1
        best: tuple[int, list[tuple[str, str, float]]] | None = None
        for length in range(limit, 0, -1):
            found = self.exact.get(tuple(keys[position : position + length]))
            if found:
                best = (length, list(found))
                break
        first = keys[position]
        candidates = [*self.prefix.get(first, []), *self.prefix.get(first[:3], [])]
        for words, theme_id, cue, weight in candidates:
            length = len(words)
            if length > limit or (best and length < best[0]):
                continue
            window = keys[position : position + length]
            raw = tokens[position + length - 1].key
            if window[:-1] == list(words[:-1]) and raw.startswith(words[-1]):
                if best is None or length > best[0]:
                    best = (length, [])
                best[1].append((theme_id, cue, weight))
        return best


@lru_cache(maxsize=8)
def _cue_index(profile: Profile) -> _CueIndex:
    exact: dict[tuple[str, ...], list[tuple[str, str, float]]] = defaultdict(list)
    prefix: dict[str, list[tuple[tuple[str, ...], str, str, float]]] = defaultdict(list)
    hangul: list[tuple[str, str, str, float]] = []
    weights: dict[tuple[str, str], float] = {}
    longest = 1
    for theme in profile.themes:
        for cue, weight in [
            *((c, 0.0) for c in theme.ignore),
            *((c, STRONG_WEIGHT) for c in theme.strong),
            *((c, WEAK_WEIGHT) for c in theme.weak),
        ]:
            if (theme.id, cue) in weights:
                continue
            weights[(theme.id, cue)] = weight
            bare = cue.rstrip("*").strip()
            if HANGUL.match(re.sub(r"\s+", "", bare)):
                hangul.append((bare, theme.id, cue, weight))
                continue
            tokens = tokenize(bare)
            longest = max(longest, len(tokens))
            if cue.endswith("*"):
                words = (*_stems(tokens[:-1]), tokens[-1].key)
                key = words[0] if len(words) > 1 else words[0][:3]
                prefix[key].append((words, theme.id, cue, weight))
            else:
                exact[tuple(_stems(tokens))].append((theme.id, cue, weight))
    return _CueIndex(dict(exact), dict(prefix), hangul, weights, longest)


__all__ = [
    "DEFAULT_BLENDED_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "ThemeHit",
    "ThemeScore",
    "assign_themes",
    "score_themes",
]
