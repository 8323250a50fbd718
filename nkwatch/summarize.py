"""Extractive summaries: the sentences that best carry an article, or a story told by several.

Reads an article's title and text (for a story: its member articles with their publication dates
and, optionally, the figure claims the enrich stage found in them) and adds a short list of
:class:`SummarySentence` records. Every sentence is quoted verbatim from its article — an exact
substring of the text, never rewritten — and names the article and sentence it came from. When
member articles disagree on a figure, the summary quotes one sentence per reported value side by
side rather than reconciling them.

Scorers (``method``): ``lead`` (first sentences), ``textrank`` (PageRank over a sentence graph
weighted by TF-IDF cosine), ``lexrank`` (the same over a graph thresholded at a cosine of 0.1),
and ``features`` (a lead-aware position prior, graph centrality, overlap with the title, numbers
and names, attribution, and penalties for page chrome, bylines, bare quotes, questions, dangling
openers and very short or long sentences). ``default`` is ``features``: against the analyst
references in ``tests/data/summaries`` it is level with ``lead`` on cleanly extracted text, ahead
of it when extraction leaves page chrome, and well ahead of the graph scorers
(``bench/summaries.py``, ``bench/RESULTS.md``).

Story summaries choose sentences by maximal marginal relevance: a candidate whose TF-IDF cosine
with a chosen sentence reaches ``redundancy`` says the same thing and is skipped. Among sentences
that say the same thing, the attributed version from the earliest article is quoted.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from nkwatch.isolation import Isolation, guard, waits
from nkwatch.lexicon import DATELINE_HEAD, MONTH_NAMES, MONTH_NUMBERS, WEB_ADDRESS, dateline_day
from nkwatch.record import Article
from nkwatch.sentences import split_sentences
from nkwatch.store import Store
from nkwatch.store.pages import iter_pages

logger = logging.getLogger(__name__)

__all__ = [
    "METHODS",
    "REDUNDANCY_CUTOFF",
    "RougeScores",
    "StoryMember",
    "SummarySentence",
    "rouge",
    "sentence_similarities",
    "summarize_article",
    "summarize_articles",
    "summarize_story",
]

#: The scorers ``method`` accepts; ``default`` is the one that won on the reference set.
METHODS = ("default", "features", "lead", "textrank", "lexrank")
_DEFAULT_METHOD = "features"

#: TF-IDF cosine at or above which two sentences are taken to report the same fact. Chosen on
#: the labelled same-fact / distinct-fact pairs in ``tests/data/summaries/sentence_pairs.json``
#: (``python bench/summaries.py`` prints the measurement).
REDUNDANCY_CUTOFF = 0.2

# Work caps: later sentences of very long articles almost never carry the story.
_MAX_CHARS = 60_000
_MAX_SENTENCES = 150
_MAX_MEMBERS = 40
_CANDIDATES_PER_MEMBER = 12
_MAX_DISAGREEING = 3

_DAMPING = 0.85
_ITERATIONS = 100
_LEXRANK_THRESHOLD = 0.1
_MMR_LAMBDA = 0.7
_VERSION_SLACK = 0.1

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?")
_STOPWORDS = frozenset(
    re.split(
        r"\s+",
        """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own s same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours""",
    )
)
# A wire dateline ("SEOUL, Sept 16 (Hanbando Wire) - ") opens the article proper; page chrome
# (breadcrumbs, bylines, table cells) glued before it by extraction is not part of the sentence.
#: A wire dateline inside a split sentence, with its day and agency ("SEOUL, Oct 5 (Yonhap) -"):
#: what stands before it is page chrome.
_DATELINE = re.compile(rf"\b{DATELINE_HEAD} \([^()]{{2,60}}\) [-–—] ")
_BYLINE = re.compile(
    r"^\(?(?:(?:additional )?reporting|writing|editing|compiled|photos?) by\b|^by [A-Z]|"
    r"\b(?:reporting|editing) by\b",
    re.IGNORECASE,
)
_PROMO = re.compile(
    r"\b(?:newsletter|sign up|subscribe|log in|click here|read more|share this|all rights "
    r"reserved|comments? \(\d+\)|stay up[ -]to[ -]date|follow us on)",
    re.IGNORECASE,
)
# A photo's or a video's caption or credit, as news sites and wires write them ("Enlarge this
# image toggle caption", "Hide Caption 5 of 25 Photos:", "Image copyright ... Image caption",
# "FILE - In this May 2, 2017 file photo, ...", "in this undated photo released by ..."): it
# describes a picture, not the story.
_MONTH_WORDS = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_PHOTO_CAPTION = re.compile(
    r"\b(?:enlarge this image|toggle caption|hide caption|image copyright|image caption"
    r"|click to enlarge|view gallery|photo credit)\b"
    r"|^(?:photos?|pictures?|gallery|video|watch):[ ]"
    # a video player's button read into the text before the clip's blurb: "CLOSE John Smith,
    # who played …", "REPLAY …"
    r"|(?-i:^(?:CLOSE|REPLAY|SKIP AD)[ ](?=[A-Z]))"
    # an agency photo's own dateline closing it: "… in Abuja, Nigeria, October 13, 2016." (a
    # story writes "on October 13" or puts the date elsewhere)
    rf"|,[ ](?:{_MONTH_WORDS})\.?[ ]\d{{1,2}},[ ]\d{{4}}\.?\s*$"
    r"|\bin this(?: (?:undated|file|handout|\w+day,?|\d{1,4},?|(?:Jan|Feb|Mar|Apr|May|June?"
    r"|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?))* (?:photo|picture|image)\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    rf"{_PHOTO_CAPTION.pattern}"
    r"|\bpublished (?:in|on) this (?:site|website)\b"
    # a page's time stamp run into a line: "dozens dead: reports Updated: 2016-07-15 06:50"
    r"|\b(?:updated|published|posted|last modified)[ ]?:[ ]?\d",
    re.IGNORECASE,
)
# Three words or more in capitals in a row.
_SHOUTED_RUN = re.compile(r"\b[A-Z]{2,}(?:[ ]+[A-Z]{2,}\b){2,}")
_ATTRIBUTION = re.compile(
    r"\b(?:according to|said|says|told|reported|estimates?d?|announced|confirmed|citing|"
    r"quoted)\b|에 따르면|밝혔다|말했다|전했다",
    re.IGNORECASE,
)
_QUOTE_OPEN = ('"', "“", "‘", "'")
_DANGLING = re.compile(
    r"^(?:it|they|he|she|that|this|those|these|but|and|so|both|such|the two)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One quoted sentence: its exact text, the article and sentence it is from, its score."""

    text: str
    article_id: int | None
    sentence_index: int
    score: float


@dataclass(frozen=True, slots=True)
class StoryMember:
    """An article of a story, as the story summariser reads it."""

    article_id: int
    title: str
    text: str
    published: datetime | None
    outlet: str | None


@dataclass(frozen=True, slots=True)
class RougeScores:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1 of a summary against a reference."""

    rouge1: float
    rouge2: float
    rouge_l: float


@dataclass(frozen=True, slots=True)
class _Sentence:
    """A candidate sentence: the quotable span of one split sentence, with its context."""

    text: str
    index: int
    position: int
    article: int


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def summarize_article(
    *,
    title: str,
    text: str,
    article_id: int | None = None,
    max_sentences: int = 3,
    method: str = "default",
) -> list[SummarySentence]:
    """The ``max_sentences`` sentences that best carry one article, in reading order."""
    scorer = _scorer(method)
    cutoff = REDUNDANCY_CUTOFF if scorer == "features" else None
    return _article_summary(title, text, article_id, max_sentences, scorer, cutoff)


def summarize_story(
    members: Sequence[StoryMember],
    *,
    max_sentences: int = 4,
    claims: Mapping[int, Sequence[tuple[str, float, str]]] | None = None,
    redundancy: float = REDUNDANCY_CUTOFF,
    method: str = "default",
) -> list[SummarySentence]:
    """A 2–4 sentence summary quoting the story's member articles, one fact per sentence.

    ``claims`` maps an article id to the ``(measure_key, value, sentence)`` figures found in it;
    when members report different values for one measure, one sentence per value (at most three)
    is quoted side by side. Those sentences may resemble each other; every other pair of
    sentences has a TF-IDF cosine below ``redundancy``.
    """
    scorer = _scorer(method)
    if max_sentences <= 0:
        return []
    ordered = sorted(enumerate(members), key=lambda pair: (_timestamp(pair[1].published), pair[0]))[
        :_MAX_MEMBERS
    ]
    split = [(m, _split(m.text)) for _, m in ordered]
    usable = [
        (m, _candidates(m.text, article=k, split=sentences), sentences)
        for k, (m, sentences) in enumerate(split)
    ]
    usable = [(m, found, sentences) for m, found, sentences in usable if found]
    if not usable:
        return []
    if len(usable) == 1:
        member = usable[0][0]
        return _article_summary(
            member.title, member.text, member.article_id, max_sentences, scorer, redundancy
        )
    words = _Words()

    # Pool the strongest sentences of every member, each scored within its own article.
    pool: list[_Sentence] = []
    local: list[float] = []
    story_background: list[str] = []
    for member, sentences, background in usable:
        story_background.extend(background)
        scores = _score(
            sentences,
            title=member.title,
            method=scorer,
            space=_Space(background, words),
        )
        # Each member's best sentence stands level with the others' (scaled to 1), but only a
        # member with a sentence worth quoting is lifted: a page of chrome alone scores below
        # zero, and dividing by a negative best would turn its worst lines into its best.
        top = max(scores)
        scale = top if top > 0 else 1.0
        keep = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
        for i in sorted(keep[:_CANDIDATES_PER_MEMBER]):
            pool.append(sentences[i])
            local.append(scores[i] / scale)
    texts = [s.text for s in pool]
    story_space = _Space(story_background, words)
    similarity = _similarities(texts, story_space, same_figures=True)
    member_of = [usable[s.article][0] for s in pool]

    if scorer == "lead":
        relevance = [1.0 / (1 + s.position) - 0.001 * s.article for s in pool]
    else:
        centrality = _pagerank(_graph(similarity, scorer))
        centrality = centrality / (centrality.max() or 1.0)
        titles = " ".join(m.title for m, _, _ in usable)
        title_overlap = _title_overlap(texts, titles, story_space)
        relevance = [
            _settled(0.55 * local[i] + 0.3 * float(centrality[i]) + 0.15 * title_overlap[i])
            for i in range(len(pool))
        ]

    chosen: list[int] = []
    disputed = _disagreement(pool, member_of, claims, min(max_sentences, _MAX_DISAGREEING))
    group = set(disputed)
    chosen.extend(disputed)
    while len(chosen) < max_sentences:
        best = _mmr_pick(relevance, similarity, chosen, redundancy)
        if best is None:
            break
        if scorer != "lead":
            best = _best_version(best, pool, member_of, relevance, similarity, chosen, redundancy)
        chosen.append(best)

    # Present by relevance, the disputed figures as one block where their best one ranks.
    units: list[tuple[float, list[int]]] = [(relevance[i], [i]) for i in chosen if i not in group]
    if disputed:
        units.append((max(relevance[i] for i in disputed), disputed))
    units.sort(key=lambda unit: (-unit[0], unit[1][0]))
    return [
        SummarySentence(
            pool[i].text, member_of[i].article_id, pool[i].index, round(relevance[i], 6)
        )
        for _, block in units
        for i in block
    ]


def sentence_similarities(
    sentences: Sequence[str],
    *,
    background: Sequence[str] | None = None,
    same_figures: bool = False,
) -> np.ndarray:
    """Pairwise TF-IDF cosine of sentences, IDF fitted on ``background`` (default: themselves).

    The summarisers fit IDF on every sentence of the article, or of all the story's members.
    With ``same_figures``, two sentences stating the same salient figure count as redundant.
    """
    return _similarities(
        sentences, _Space(background or sentences, _Words()), same_figures=same_figures
    )


def _similarities(
    sentences: Sequence[str], space: _Space, *, same_figures: bool = False
) -> np.ndarray:
    """:func:`sentence_similarities` in a fitted TF-IDF space."""
    if not sentences:
        return np.zeros((0, 0))
    vectors = space.vectors(sentences)
    similarity = vectors @ vectors.T
    if not same_figures:
        return similarity
    # Across outlets, two sentences stating the same salient figure report the same fact,
    # however worded ("losses passed 6,000" / "casualties above 6,000").
    numbers = [_salient_numbers(sentence) for sentence in sentences]
    for i, first in enumerate(numbers):
        for j in range(i + 1, len(numbers)):
            if first & numbers[j]:
                similarity[i, j] = similarity[j, i] = max(similarity[i, j], REDUNDANCY_CUTOFF)
    return similarity


_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:%|percent|per cent))?")


def _salient_numbers(sentence: str) -> frozenset[str]:
    """Figures worth matching across sentences: 100 and more (not years) and percentages."""
    found = set()
    for match in _NUMBER.finditer(sentence):
        digits = match.group(1).replace(",", "")
        value = float(digits)
        if match.group(2):
            found.add(f"{value:g}%")
        elif value >= 100 and not (1900 <= value <= 2100 and "," not in match.group(1)):
            found.add(f"{value:g}")
    return frozenset(found)


def rouge(candidate: str, reference: str) -> RougeScores:
    """ROUGE-1/2/L F1 over lower-cased word tokens; L is the summary-level LCS of the token runs."""
    cand = re.findall(r"\w+", candidate.lower())
    ref = re.findall(r"\w+", reference.lower())
    return RougeScores(
        _ngram_f1(cand, ref, 1), _ngram_f1(cand, ref, 2), _f1(_lcs(cand, ref), len(cand), len(ref))
    )


# --------------------------------------------------------------------------------------------
# Sentences and vectors
# --------------------------------------------------------------------------------------------


def _article_summary(
    title: str,
    text: str,
    article_id: int | None,
    max_sentences: int,
    scorer: str,
    cutoff: float | None,
) -> list[SummarySentence]:
    """The best sentences by ``scorer``; with a ``cutoff``, none two at or above it."""
    if max_sentences <= 0:
        return []
    background = _split(text)
    sentences = _candidates(text, article=0, split=background)
    if not sentences:
        return []
    # One TF-IDF fit and one tokenisation per sentence serve scoring and the redundancy cutoff.
    space = _Space(background, _Words())
    similarity: np.ndarray | None = None
    if scorer != "lead" or cutoff is not None:
        similarity = _similarities([s.text for s in sentences], space)
    scores = _score(sentences, title=title, method=scorer, space=space, similarity=similarity)
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    if cutoff is None or similarity is None:
        chosen = order[:max_sentences]
    else:
        chosen = _greedy_distinct(order, similarity, max_sentences, cutoff)
    return [
        SummarySentence(sentences[i].text, article_id, sentences[i].index, round(scores[i], 6))
        for i in sorted(chosen)
    ]


def _scorer(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"unknown summary method {method!r}; choose one of {', '.join(METHODS)}")
    return _DEFAULT_METHOD if method == "default" else method


def _split(text: str) -> list[str]:
    """The article's sentences, within the work caps."""
    return split_sentences((text or "")[:_MAX_CHARS])[:_MAX_SENTENCES]


def _candidates(text: str, *, article: int, split: Sequence[str] | None = None) -> list[_Sentence]:
    """The article's sentences as quotable spans of its text (chrome-only lines dropped).

    ``split`` is ``_split(text)`` when the caller already has it.
    """
    found: list[tuple[int, str]] = []
    captions: list[tuple[int, str]] = []
    cursor = previous = 0
    paragraph = -1
    caption = False
    for index, sentence in enumerate(_split(text) if split is None else split):
        where = text.find(sentence, cursor)
        if where >= 0:
            # a line break since the previous sentence's start opens a paragraph; without one
            # the sentence is in that sentence's paragraph (so the text is read once)
            newline = text.rfind("\n", previous, where)
            opening = newline + 1 if newline >= 0 else max(paragraph, 0)
            previous, cursor = where, where + len(sentence)
            if opening != paragraph:
                # A paragraph that opens as a photo's caption ("FILE - In this May 2 photo,
                # ...") describes the picture to its end, later sentences included.
                paragraph, caption = opening, _PHOTO_CAPTION.search(sentence) is not None
        span = _quotable(sentence)
        if span is None or span not in text:
            continue
        (captions if caption else found).append((index, span))
    # Captions are quoted only when the text has nothing else.
    kept = found or captions
    return [_Sentence(span, index, k, article) for k, (index, span) in enumerate(kept)]


_MONTH_NAMES = frozenset(MONTH_NAMES)
_YEAR = re.compile(r"(?:19|20)\d\d")


def _quotable(sentence: str) -> str | None:
    """The part of a split sentence that is prose: table cells and chrome before a dateline go."""
    span = sentence
    if "|" in span:
        span = max(span.split("|"), key=len)
    dateline = next((m for m in _DATELINE.finditer(span) if dateline_day(m)), None)
    if dateline and dateline.start() > 0:
        span = span[dateline.start() :]
    span = span.strip(" \\\t")
    # a web address alone is a link left on the page, not a sentence
    words = WEB_ADDRESS.sub(" ", span)
    tokens = _tokens(words, keep_stopwords=True)
    if len(tokens) < 2 or not any(c.isalpha() for c in words):
        return None
    # "Archives Select Month January 2018 December 2017 ...": a blog's archive menu
    dates = sum(1 for token in tokens if token in _MONTH_NAMES or _YEAR.fullmatch(token))
    if dates >= 6 and dates * 2 > len(tokens):
        return None
    return span


def _tokens(text: str, *, keep_stopwords: bool = False) -> list[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    return words if keep_stopwords else [w for w in words if w not in _STOPWORDS]


class _Words:
    """Each text's tokens, read once: the summarisers look at one sentence many times."""

    def __init__(self) -> None:
        self._terms: dict[str, list[str]] = {}

    def terms(self, text: str) -> list[str]:
        """The text's lower-cased words without stopwords (as ``_tokens(text)``)."""
        found = self._terms.get(text)
        if found is None:
            found = self._terms[text] = _tokens(text)
        return found


class _Space:
    """A TF-IDF space: smoothed IDF fitted once on ``background``, sublinear TF per text.

    ``vectors(texts)`` gives the same rows as fitting the IDF on ``background`` for those texts
    alone: a word's document frequency does not depend on which texts are vectorised.
    """

    def __init__(self, background: Sequence[str], words: _Words) -> None:
        self.words = words
        self.size = len(background)
        self.df: Counter[str] = Counter()
        for text in background:
            self.df.update(set(words.terms(text)))

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised TF-IDF rows of ``texts``."""
        docs = [Counter(self.words.terms(t)) for t in texts]
        vocabulary: dict[str, int] = {}
        for doc in docs:
            for word in doc:
                vocabulary.setdefault(word, len(vocabulary))
        df = np.zeros(max(len(vocabulary), 1))
        for word, column in vocabulary.items():
            df[column] = self.df.get(word, 0)
        matrix = np.zeros((len(docs), max(len(vocabulary), 1)))
        for row, doc in enumerate(docs):
            for word, count in doc.items():
                matrix[row, vocabulary[word]] = 1.0 + math.log(count)
        matrix *= np.log((1 + self.size) / (1 + df)) + 1.0
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1.0, norms)


def _tfidf(texts: Sequence[str], *, background: Sequence[str] | None = None) -> np.ndarray:
    """L2-normalised rows of sublinear TF times smoothed IDF (document frequency over
    ``background`` when given, else over ``texts``)."""
    return _Space(background if background else texts, _Words()).vectors(texts)


def _title_overlap(texts: Sequence[str], title: str, space: _Space) -> list[float]:
    """Cosine of each sentence with the title, in the sentences' TF-IDF space."""
    if not title.strip():
        return [0.0] * len(texts)
    vectors = space.vectors([*texts, title])
    return [float(v) for v in vectors[:-1] @ vectors[-1]]


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def _graph(similarity: np.ndarray, scorer: str) -> np.ndarray:
    graph = similarity.copy()
    np.fill_diagonal(graph, 0.0)
    if scorer == "lexrank":
        graph = (graph >= _LEXRANK_THRESHOLD).astype(float)
    return graph


def _pagerank(graph: np.ndarray) -> np.ndarray:
    """Stationary scores of a random walk over the weighted sentence graph (power iteration)."""
    n = graph.shape[0]
    if n == 0:
        return np.zeros(0)
    out = graph.sum(axis=1, keepdims=True)
    # Dangling sentences (no edges) jump uniformly, as in PageRank.
    transition = np.where(out > 0, graph / np.where(out == 0, 1.0, out), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(_ITERATIONS):
        updated = (1 - _DAMPING) / n + _DAMPING * (transition.T @ scores)
        if np.abs(updated - scores).sum() < 1e-9:
            return updated
        scores = updated
    return scores


def _score(
    sentences: Sequence[_Sentence],
    *,
    title: str,
    method: str,
    space: _Space,
    similarity: np.ndarray | None = None,
) -> list[float]:
    """A relevance score per sentence of one article (higher is better).

    ``similarity`` is the sentences' pairwise cosine in ``space`` when the caller has it.
    """
    n = len(sentences)
    if method == "lead":
        return [1.0 / (1 + s.position) for s in sentences]
    texts = [s.text for s in sentences]
    if similarity is None:
        similarity = _similarities(texts, space)
    centrality = _pagerank(_graph(similarity, method))
    if method in ("textrank", "lexrank"):
        return [_settled(float(c)) for c in centrality]
    centrality = centrality / (centrality.max() or 1.0)
    overlap = _title_overlap(texts, title, space)
    scores = []
    for i, sentence in enumerate(sentences):
        position = 1.0 / math.sqrt(1 + sentence.position)
        scores.append(
            0.45 * position
            + 0.2 * float(centrality[i])
            + 0.2 * overlap[i]
            + 0.15 * _informative(sentence.text)
            - _penalty(sentence.text, first=sentence.position == 0, count=n)
        )
    return [_settled(score) for score in scores]


def _settled(score: float) -> float:
    """``score`` without the last bits of floating-point noise, so that sentences that tie
    (a graph with no edges scores every sentence 1/n) tie exactly and the earlier one wins,
    whatever the order of the sums in the linear-algebra library installed."""
    return round(score, 12)


def _informative(text: str) -> float:
    """Numbers, names and a named source make a sentence worth quoting (0..1)."""
    words = _WORD.findall(text)
    numbers = sum(1 for w in words if w[0].isdigit())
    names = sum(1 for w in words[1:] if w[0].isupper())
    attributed = 1.0 if _ATTRIBUTION.search(text) else 0.0
    return min(1.0, (min(numbers, 3) + min(names, 4)) / 7 + 0.3 * attributed)


def _penalty(text: str, *, first: bool, count: int) -> float:
    """What makes a sentence a poor quote: chrome, bylines, bare quotes, questions, length."""
    words = _tokens(text, keep_stopwords=True)
    penalty = 0.0
    if _BYLINE.search(text) or _PROMO.search(text) or _CAPTION.search(text):
        penalty += 0.6
    if _SHOUTED_RUN.search(text):
        # the labels of a map or a graphic run into the text ("200 FEET LAS VEGAS BOULEVARD
        # CROWD STAGE"), or a subheading in capitals: no sentence of the story (acronyms in
        # a sentence stand apart: "KCNA said the DPRK tested an ICBM")
        penalty += 0.6
    if text.startswith(_QUOTE_OPEN):
        closing = max(text.rfind('"'), text.rfind("”"), text.rfind("’"))
        after = text[closing + 1 :] if closing > 0 else ""
        penalty += 0.15 if _ATTRIBUTION.search(after) else 0.35
    if text.rstrip(" \"'”’)").endswith(("?", "？")):
        penalty += 0.3
    if len(words) < 6 and len(text) < 40:
        penalty += 0.4
    elif len(words) < 10:
        penalty += 0.1
    if len(words) > 60:
        penalty += 0.2
    if _DANGLING.match(text) and not first:
        penalty += 0.1
    if not re.search(r"[.!?。？！]['\"”’)]*$", text) and count > 1:
        penalty += 0.15
    return penalty


# --------------------------------------------------------------------------------------------
# Selection
# --------------------------------------------------------------------------------------------


def _greedy_distinct(
    order: Sequence[int], similarity: np.ndarray, limit: int, cutoff: float
) -> list[int]:
    chosen: list[int] = []
    for i in order:
        if all(similarity[i, j] < cutoff for j in chosen):
            chosen.append(i)
            if len(chosen) == limit:
                break
    return chosen


def _mmr_pick(
    relevance: Sequence[float], similarity: np.ndarray, chosen: Sequence[int], cutoff: float
) -> int | None:
    best, best_value = None, -math.inf
    for i, rel in enumerate(relevance):
        if i in chosen:
            continue
        closest = max((float(similarity[i, j]) for j in chosen), default=0.0)
        if closest >= cutoff:
            continue
        value = _MMR_LAMBDA * rel - (1 - _MMR_LAMBDA) * closest
        if value > best_value:
            best, best_value = i, value
    return best


def _best_version(
    pick: int,
    pool: Sequence[_Sentence],
    member_of: Sequence[StoryMember],
    relevance: Sequence[float],
    similarity: np.ndarray,
    chosen: Sequence[int],
    cutoff: float,
) -> int:
    """Of the sentences saying what ``pick`` says, the attributed one from the earliest article.

    Only versions nearly as relevant as ``pick`` compete, so a buried aside never replaces a lead.
    """
    versions = [
        i
        for i in range(len(pool))
        if similarity[pick, i] >= cutoff
        and relevance[i] >= relevance[pick] - _VERSION_SLACK
        and i not in chosen
        and all(similarity[i, j] < cutoff for j in chosen)
    ]
    if pick not in versions:
        versions.append(pick)
    return min(
        versions,
        key=lambda i: (
            not _ATTRIBUTION.search(pool[i].text),
            _timestamp(member_of[i].published),
            pool[i].article,
            i != pick,
            pool[i].position,
        ),
    )


def _disagreement(
    pool: Sequence[_Sentence],
    member_of: Sequence[StoryMember],
    claims: Mapping[int, Sequence[tuple[str, float, str]]] | None,
    limit: int,
) -> list[int]:
    """One pooled sentence per distinct value of the most-reported disputed measure.

    ``claims`` should hold only claims the tracker found in dispute (see
    ``enrich.tracker.disagreements``); values from an outlet already quoted are left out.
    """
    if not claims or limit < 2:
        return []
    where = {(member_of[i].article_id, s.text): i for i, s in enumerate(pool)}
    texts_by_article: dict[int, list[tuple[int, str]]] = {}
    for i, s in enumerate(pool):
        texts_by_article.setdefault(member_of[i].article_id, []).append((i, s.text))
    values: dict[str, dict[float, list[int]]] = {}
    for article_id, article_claims in claims.items():
        for measure, value, sentence in article_claims:
            index = where.get((article_id, sentence))
            if index is None:
                index = next(
                    (i for i, text in texts_by_article.get(article_id, []) if sentence in text),
                    None,
                )
            if index is None:
                logger.debug("claim sentence not among candidates of article %s", article_id)
                continue
            key = float(f"{value:.6g}")
            values.setdefault(measure, {}).setdefault(key, []).append(index)
    disputed = [(measure, by_value) for measure, by_value in values.items() if len(by_value) >= 2]
    if not disputed:
        return []
    measure, by_value = min(
        disputed, key=lambda item: (-sum(len(v) for v in item[1].values()), item[0])
    )

    def earliest(indices: list[int]) -> int:
        return min(
            indices,
            key=lambda i: (
                not _ATTRIBUTION.search(pool[i].text),
                _timestamp(member_of[i].published),
                pool[i].article,
                pool[i].position,
            ),
        )

    # The values reported by most sources first, then in order of first publication.
    ranked = sorted(by_value.values(), key=lambda idx: (-len(idx), earliest(idx)))
    # One value per outlet: an outlet is never quoted against itself (that is a revision).
    picked: list[int] = []
    outlets: set[str] = set()
    for indices in ranked:
        best = earliest(indices)
        outlet = _outlet_key(member_of[best].outlet)
        if best in picked or (outlet and outlet in outlets):
            continue
        picked.append(best)
        if outlet:
            outlets.add(outlet)
        if len(picked) == limit:
            break
    if len(picked) < 2:
        return []
    logger.debug("quoting %d values of disputed measure %s", len(picked), measure)
    return sorted(picked, key=lambda i: (_timestamp(member_of[i].published), pool[i].article))


def _outlet_key(outlet: str | None) -> str:
    return " ".join((outlet or "").casefold().split())


def _timestamp(published: datetime | None) -> float:
    if published is None:
        return math.inf
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return published.timestamp()


# --------------------------------------------------------------------------------------------
# ROUGE
# --------------------------------------------------------------------------------------------


def _ngram_f1(cand: Sequence[str], ref: Sequence[str], n: int) -> float:
    grams_c = Counter(tuple(cand[i : i + n]) for i in range(len(cand) - n + 1))
    grams_r = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    overlap = sum((grams_c & grams_r).values())
    return _f1(overlap, sum(grams_c.values()), sum(grams_r.values()))


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if overlap == 0 or candidate == 0 or reference == 0:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


#: The stage name failures are recorded under.
STAGE = "summaries"


def summarize_articles(
    store: Store, *, max_sentences: int = 3, isolation: Isolation | None = None
) -> int:
    """Summarise every stored article whose text has no summary yet (each one isolated);
    returns how many were summarised."""
    count = 0
    for article in iter_pages(store.articles_to_summarize):
        assert article.id is not None
        if waits(isolation, STAGE, article.id):
            continue
        with guard(isolation, STAGE, article.id):
            _summarize_one(store, article, max_sentences)
            count += 1  # not reached when the article fails
    return count


def _summarize_one(store: Store, article: Article, max_sentences: int) -> None:
    sentences = summarize_article(
        title=article.title or "",
        text=article.text,
        article_id=article.id,
        max_sentences=max_sentences,
    )
    store.save_summary(article.id or 0, article.content_hash, [s.text for s in sentences])
