"""De-duplication: exact and near-duplicate copies across outlets, for articles and paragraphs.

Reads stored articles in arrival order and adds ``duplicate_of`` (the earliest copy's id),
``duplicate_kind`` (``exact``, ``near``, ``paragraph`` or ``syndicated``) and the similarity.
Exact copies share a normalised-text hash; near copies are found with MinHash signatures over word
shingles (datasketch) whose LSH bands are kept in the store, so a new article is checked by a few
indexed look-ups, not a scan. A digest item that repeats a paragraph of another article is caught
at paragraph level.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

import numpy as np

from nkwatch.isolation import Isolation, guard, waits
from nkwatch.record import Article, same_outlet
from nkwatch.store.pages import iter_pages

if TYPE_CHECKING:  # datasketch (and the scipy it pulls in) loads on first use, not at start-up
    from datasketch import MinHash

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+", re.UNICODE)

#: The stage name failures are recorded under.
STAGE = "dedup"


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """How near is near.

    ``threshold`` is the estimated Jaccard similarity of word shingles above which two texts are
    copies. It was chosen on the labelled pairs of the sample corpus (``python bench/dedup.py``,
    results in bench/RESULTS.md, "Duplicates"): copies score 0.48 and up, different texts about
    the same event 0.10 and below; 0.3 sits in the gap.
    """

    num_perm: int = 128
    shingle_words: int = 3
    threshold: float = 0.3
    #: Texts with fewer words than this are too short to call near-duplicates (exact only).
    min_words: int = 12
    #: Paragraphs at least this long are indexed on their own.
    paragraph_min_words: int = 25
    #: A text is a copy of one paragraph of another only when at least this share of its
    #: shingles is in that paragraph: a digest item that is the paragraph, not a short article
    #: that quotes the same statement or embeds the same post (see bench/RESULTS.md,
    #: "Copies on real news").
    paragraph_share: float = 0.6
    seed: int = 7


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What de-duplication keeps of one text."""

    text_hash: str
    words: int
    signature: np.ndarray  # uint64 MinHash values

    def jaccard(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        return signature_similarity(self.signature, other.signature)


def containment(similarity: float, words: int, other_words: int, shingle_words: int) -> float:
    """The estimated share of a text's shingles that another text holds, from their estimated
    Jaccard similarity and their lengths (the shared shingles are J·(|A|+|B|)/(1+J))."""
    size = max(words - shingle_words + 1, 1)
    other = max(other_words - shingle_words + 1, 1)
    return min(1.0, similarity * (size + other) / (1.0 + similarity) / size)


def signature_similarity(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of MinHash values two signatures share."""
    return float(np.count_nonzero(first == second)) / len(first)


@dataclass(frozen=True, slots=True)
class Match:
    """A stored text that a new one copies."""

    article_id: int
    kind: str
    similarity: float
    paragraph: int | None = None


def normalise(text: str) -> str:
    """NFKC, case-folded words joined by single spaces: punctuation and layout do not count."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def text_hash(text: str) -> str:
    """Hash of the normalised body: equal for exact copies whatever their chrome or spacing."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def shingles(text: str, size: int) -> set[bytes]:
    """Overlapping word n-grams of the normalised text (the whole text when it is shorter)."""
    return _shingles(normalise(text).split(), size)


def _shingles(words: Sequence[str], size: int) -> set[bytes]:
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


_LOCAL = threading.local()


def _minhash(settings: DedupSettings) -> MinHash:
    """A cleared MinHash for these settings: one object per thread, its permutations drawn once."""
    cache: dict[tuple[int, int], MinHash] | None = getattr(_LOCAL, "minhashes", None)
    if cache is None:
        cache = _LOCAL.minhashes = {}
    key = (settings.num_perm, settings.seed)
    minhash = cache.get(key)
    if minhash is None:
        from datasketch import MinHash

        minhash = cache[key] = MinHash(num_perm=settings.num_perm, seed=settings.seed)
    else:
        minhash.clear()
    return minhash


def fingerprint(text: str, settings: DedupSettings) -> Fingerprint:
    """Hash and MinHash signature of a text."""
    return _fingerprint(normalise(text), settings)


def _fingerprint(normalised: str, settings: DedupSettings) -> Fingerprint:
    """:func:`fingerprint` of a text already passed through :func:`normalise`."""
    words = normalised.split()
    minhash = _minhash(settings)
    minhash.update_batch(sorted(_shingles(words, settings.shingle_words)))
    return Fingerprint(
        text_hash=hashlib.sha256(normalised.encode("utf-8")).hexdigest(),
        words=len(words),
        signature=minhash.hashvalues.astype(np.uint64),
    )


def lsh_params(settings: DedupSettings) -> tuple[int, int]:
    """Bands and rows per band that best separate pairs around the threshold (datasketch)."""
    return _lsh_params(settings.threshold, settings.num_perm)


@lru_cache(maxsize=16)
def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    from datasketch.lsh import _optimal_param  # integrates with scipy: loaded only when needed

    bands, rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(bands), int(rows)


def band_keys(signature: np.ndarray, bands: int, rows: int) -> list[tuple[int, bytes]]:
    """One bucket key per LSH band: texts sharing any key are candidates."""
    keys = []
    for band in range(bands):
        chunk = signature[band * rows : (band + 1) * rows]
        keys.append((band, hashlib.blake2b(chunk.tobytes(), digest_size=12).digest()))
    return keys


def paragraphs(text: str, settings: DedupSettings) -> list[tuple[int, str]]:
    """Paragraphs long enough to be indexed on their own, with their position."""
    return [(index, part) for index, part, _ in _paragraphs(text, settings)]


def _paragraphs(text: str, settings: DedupSettings) -> list[tuple[int, str, str]]:
    """:func:`paragraphs` with each paragraph's normalised text."""
    parts = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    found = []
    for index, part in enumerate(parts):
        normalised = normalise(part)
        if len(normalised.split()) >= settings.paragraph_min_words:
            found.append((index, part, normalised))
    return found


def earliest(articles: Sequence[Article]) -> Article:
    """The first copy: earliest publication date; on a tie, one that credits nobody; else id."""
    return min(
        articles,
        key=lambda a: (
            a.published is None,
            a.published or a.fetched_at,
            a.origin is not None,
            a.id or 0,
        ),
    )


def _credits(copy: Article, original: Article) -> bool:
    """Whether ``copy`` names ``original`` as its source: it credits the original's outlet, or
    it is a digest item whose link leads to the original (an article, not another item)."""
    if copy.origin is not None and same_outlet(original.outlet, copy.origin.outlet):
        return True
    return (
        copy.item_index is not None
        and original.item_index is None
        and copy.url is not None
        and copy.url in {original.url, original.canonical_url}
    )


def family_root(candidates: Iterable[Match]) -> Match | None:
    """The strongest match (a credited origin, then exact, near, paragraph; then similarity)."""
    order = {"syndicated": 0, "exact": 1, "near": 2, "paragraph": 3}
    ranked = sorted(candidates, key=lambda m: (order[m.kind], -m.similarity, m.article_id))
    return ranked[0] if ranked else None


@dataclass(slots=True)
class DedupReport:
    """What one de-duplication pass found."""

    checked: int = 0
    exact: int = 0
    near: int = 0
    paragraph: int = 0
    syndicated: int = 0


#: What is stored of one text: (paragraph or -1, text hash, words, signature bytes, LSH keys).
Entry = tuple[int, str, int, bytes, list[tuple[int, bytes]]]


def _keys(fp: Fingerprint, settings: DedupSettings) -> list[tuple[int, bytes]]:
    """A text's LSH bucket keys (none for a text too short to be compared by similarity)."""
    if fp.words < settings.min_words:
        return []
    return band_keys(fp.signature, *lsh_params(settings))


def fingerprint_entries(text: str, settings: DedupSettings) -> list[Entry]:
    """The fingerprints of a text and of its long paragraphs (no store needed: runs anywhere).

    The text and each paragraph are normalised once.
    """
    normalised = normalise(text)
    whole = _fingerprint(normalised, settings)
    entries = [
        (-1, whole.text_hash, whole.words, whole.signature.tobytes(), _keys(whole, settings))
    ]
    for index, _part, part_normalised in _paragraphs(text, settings):
        if len(entries) > 1 or part_normalised != normalised:
            para = _fingerprint(part_normalised, settings)
            keys = _keys(para, settings)
            entries.append((index, para.text_hash, para.words, para.signature.tobytes(), keys))
    return entries


class _Store(Protocol):
    def articles_without_fingerprint(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]: ...
    def save_fingerprints(
        self,
        article_id: int,
        entries: Sequence[tuple[int, str, int, bytes, list[tuple[int, bytes]]]],
    ) -> None: ...
    def ids_with_text_hash(self, digest: str) -> list[int]: ...
    def bucket_hits(
        self, keys: Sequence[tuple[int, bytes]], *, paragraphs: bool
    ) -> set[tuple[int, int]]: ...
    def signature(self, article_id: int, paragraph: int = -1) -> tuple[bytes, int] | None: ...
    def bucket_members(
        self, keys: Iterable[tuple[int, bytes]]
    ) -> dict[tuple[int, bytes], list[tuple[int, int]]]: ...
    def signatures(self, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]: ...
    def set_duplicate(
        self, article_id: int, duplicate_of: int | None, kind: str | None, similarity: float | None
    ) -> None: ...
    def copies_of(self, article_id: int) -> list[int]: ...
    def get_article(self, article_id: int) -> Article | None: ...
    def find_by_url(self, url: str) -> int | None: ...


class Deduplicator:
    """Finds, for each new article, the earliest stored copy of its text."""

    def __init__(self, store: _Store, *, settings: DedupSettings | None = None) -> None:
        self.store = store
        self.settings = settings or DedupSettings()
        self.bands, self.rows = lsh_params(self.settings)

    def run(self, *, isolation: Isolation | None = None) -> DedupReport:
        """Check every article not yet fingerprinted, oldest first, each one isolated."""
        report = DedupReport()
        for article in iter_pages(self.store.articles_without_fingerprint):
            assert article.id is not None
            if waits(isolation, STAGE, article.id):
                continue
            with guard(isolation, STAGE, article.id):
                self._count(report, self.check(article))
        return report

    @staticmethod
    def _count(report: DedupReport, match: Match | None) -> None:
        report.checked += 1
        if match is not None:
            setattr(report, match.kind, getattr(report, match.kind) + 1)

    def _signature(self, article_id: int, paragraph: int) -> np.ndarray | None:
        stored = self.store.signature(article_id, paragraph)
        return np.frombuffer(stored[0], dtype=np.uint64) if stored else None

    def _similar(
        self,
        signature: np.ndarray,
        hits: Iterable[tuple[int, int]],
        exclude: int,
        signatures: Mapping[tuple[int, int], bytes] | None = None,
    ) -> list[tuple[int, int, float]]:
        """Hits whose signature is near ``signature``; ``signatures`` holds them when fetched
        in advance (else each is read from the store)."""
        found = []
        for other_id, paragraph in sorted(set(hits)):
            if other_id == exclude:
                continue
            if signatures is None:
                other = self._signature(other_id, paragraph)
            else:
                stored = signatures.get((other_id, paragraph))
                other = None if stored is None else np.frombuffer(stored, dtype=np.uint64)
            if other is None:
                continue
            similarity = signature_similarity(signature, other)
            if similarity >= self.settings.threshold:
                found.append((other_id, paragraph, similarity))
        return found

    def _matches(
        self,
        article: Article,
        fp: Fingerprint,
        keys: Sequence[tuple[int, bytes]],
        members: Mapping[tuple[int, bytes], Sequence[tuple[int, int]]],
        signatures: Mapping[tuple[int, int], bytes],
    ) -> list[Match]:
        assert article.id is not None
        found = [
            Match(other, "exact", 1.0)
            for other in self.store.ids_with_text_hash(fp.text_hash)
            if other != article.id
        ]
        if fp.words >= self.settings.min_words:
            hits = [pair for key in keys for pair in members.get(key, ())]
            whole = [pair for pair in hits if pair[1] == -1]
            parts = [pair for pair in hits if pair[1] >= 0]
            seen = {m.article_id for m in found}
            for other, _, similarity in self._similar(fp.signature, whole, article.id, signatures):
                if other not in seen:
                    found.append(Match(other, "near", similarity))
                    seen.add(other)
            # A short text (a digest item) may repeat one paragraph of a longer article.
            for other, paragraph, similarity in self._similar(
                fp.signature, parts, article.id, signatures
            ):
                if other not in seen and self._is_paragraph(similarity, fp.words, other, paragraph):
                    found.append(Match(other, "paragraph", similarity, paragraph))
                    seen.add(other)
        return found

    def _is_paragraph(self, similarity: float, words: int, other: int, paragraph: int) -> bool:
        """Whether a text of ``words`` words is mostly the stored paragraph it resembles."""
        stored = self.store.signature(other, paragraph)
        if stored is None:
            return False
        share = containment(similarity, words, stored[1], self.settings.shingle_words)
        return share >= self.settings.paragraph_share

    def check(self, article: Article, entries: Sequence[Entry] | None = None) -> Match | None:
        """Fingerprint one stored article, link it to its earliest copy, return the match.

        ``entries`` are the article's :func:`fingerprint_entries` when they were computed
        elsewhere (by an executor's worker); else they are computed here. One look-up then finds
        every stored text sharing an LSH bucket with the article or any of its paragraphs, and
        one more reads their signatures.
        """
        assert article.id is not None
        if entries is None:
            entries = fingerprint_entries(article.text, self.settings)
        _, digest, words, signature_bytes, first_keys = entries[0]
        keys = [(band, bytes(bucket)) for band, bucket in first_keys]
        fp = Fingerprint(digest, words, np.frombuffer(signature_bytes, dtype=np.uint64))
        members = self.store.bucket_members(
            (band, bytes(bucket)) for entry in entries for band, bucket in entry[4]
        )
        hits = {
            pair
            for entry in entries
            for band, bucket in entry[4]
            for pair in members.get((band, bytes(bucket)), ())
            if pair[0] != article.id
        }
        signatures = self.store.signatures(hits)
        found = self._matches(article, fp, keys, members, signatures)
        origin_match = self._origin(article)
        if origin_match is not None:
            found.insert(0, origin_match)
        self.store.save_fingerprints(article.id, entries)
        # Earlier short texts that repeat one of this article's paragraphs are its fragments.
        self._claim_fragments(article, entries[1:], members, signatures, fp.words)
        found = [self._credited(article, match) for match in found]
        best = family_root(found)
        if best is not None:
            self._link(article, best)
        if article.item_index is None:
            self._adopt_items(article)
        return best

    def _adopt_items(self, article: Article) -> None:
        """Digest items stored earlier whose link leads to this article are re-posts of its
        family (the article's own copies found by text stay where they are)."""
        assert article.id is not None
        item = self._linked(article)
        if item is None:
            return
        root_id = self._root(article.id)
        linked = self.store.get_article(item.article_id)
        if linked is None or linked.duplicate_of is not None or root_id == linked.id:
            return
        for member in [item.article_id, *self.store.copies_of(item.article_id)]:
            if member != root_id:
                self.store.set_duplicate(member, root_id, "syndicated", 1.0)

    def _credited(self, article: Article, match: Match) -> Match:
        """A copy of a text from the outlet the article credits is a syndicated copy."""
        if article.origin is None or not article.origin.outlet or match.kind == "paragraph":
            return match
        other = self.store.get_article(match.article_id)
        if other is not None and same_outlet(other.outlet, article.origin.outlet):
            return Match(match.article_id, "syndicated", match.similarity, match.paragraph)
        return match

    def _origin(self, article: Article) -> Match | None:
        if article.origin is not None and article.origin.url:
            original = self.store.find_by_url(article.origin.url)
            if original is not None and original != article.id:
                return Match(original, "syndicated", 1.0)
        return self._linked(article) if article.item_index is not None else None

    def _linked(self, article: Article) -> Match | None:
        """A digest item that links to a stored article points at it: a re-post of that
        article, whatever its own words. An article stored after items that link to it is
        likewise their original, whether it was fetched from the link or declares it as its
        canonical address (a saved page). Two articles at one URL are left to the text
        comparison."""
        for url in dict.fromkeys((article.url, article.canonical_url)):
            other_id = self.store.find_by_url(url) if url else None
            if other_id is None or other_id == article.id:
                continue
            other = self.store.get_article(other_id)
            if other is None or (article.item_index is None and other.item_index is None):
                continue
            if article.parent_id is not None and article.parent_id == other.parent_id:
                continue  # items of one page that share a link are that page's business
            return Match(other_id, "syndicated", 1.0)
        return None

    def _claim_fragments(
        self,
        article: Article,
        entries: Sequence[tuple[int, str, int, bytes, list[tuple[int, bytes]]]],
        members: Mapping[tuple[int, bytes], Sequence[tuple[int, int]]],
        signatures: Mapping[tuple[int, int], bytes],
        article_words: int,
    ) -> None:
        for _index, _digest, words, signature_bytes, keys in entries:
            signature = np.frombuffer(signature_bytes, dtype=np.uint64)
            hits = [pair for key in keys for pair in members.get(key, ()) if pair[1] == -1]
            for other, _, similarity in self._similar(
                signature, hits, article.id or -1, signatures
            ):
                other_article = self.store.get_article(other)
                if other_article is None or other_article.duplicate_of is not None:
                    continue
                other_words = len(normalise(other_article.text).split())
                if other_words * 2 > article_words:
                    continue  # not a fragment: a whole copy, handled as near/exact
                share = containment(similarity, other_words, words, self.settings.shingle_words)
                if share < self.settings.paragraph_share:
                    continue  # a short text that shares a quotation, not the paragraph itself
                self.store.set_duplicate(other, article.id, "paragraph", similarity)

    def _root(self, article_id: int) -> int:
        seen = set()
        current = self.store.get_article(article_id)
        while current is not None and current.duplicate_of is not None and current.id not in seen:
            seen.add(current.id)
            current = self.store.get_article(current.duplicate_of)
        return current.id if current is not None and current.id is not None else article_id

    def _link(self, article: Article, match: Match) -> None:
        assert article.id is not None
        root_id = self._root(match.article_id)
        root = self.store.get_article(root_id)
        if root is None or root_id == article.id:
            return
        credits_root = _credits(article, root)
        credited_by_root = _credits(root, article)
        newcomer_first = match.kind != "paragraph" and earliest([root, article]) is article
        if credited_by_root or (newcomer_first and not credits_root):
            # The newcomer is the original (older, or credited by the root): it becomes the root.
            for member in [root_id, *self.store.copies_of(root_id)]:
                if member != article.id:
                    member_article = self.store.get_article(member)
                    kind = (
                        member_article.duplicate_kind
                        if member != root_id and member_article
                        else ("syndicated" if credited_by_root else match.kind)
                    )
                    self.store.set_duplicate(member, article.id, kind, match.similarity)
            self.store.set_duplicate(article.id, None, None, None)
            return
        self.store.set_duplicate(article.id, root_id, match.kind, match.similarity)


def deduplicate(
    store: _Store, *, settings: DedupSettings | None = None, isolation: Isolation | None = None
) -> DedupReport:
    """Run de-duplication over every article not yet checked."""
    return Deduplicator(store, settings=settings).run(isolation=isolation)
