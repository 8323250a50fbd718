"""The SQL store: articles with a full-text index, rejections, fetch log, validators, stories.

:class:`SQLStore` holds the logic in portable SQL; :class:`SQLiteStore` (the embedded default) and
``nkwatch.store.postgres.PostgresStore`` bring a connection and their dialect. All writes go
through a transaction, so an interrupted run keeps everything committed before the interruption
and can simply be run again.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self
from urllib.parse import urlsplit, urlunsplit

from nkwatch.errors import RejectedInput, StoreError
from nkwatch.record import Article, Origin
from nkwatch.store.migrations import BACKFILLS, MIGRATIONS
from nkwatch.store.records import (
    ClusterStateChanges,
    ClusterStoryState,
    Rejection,
    SaveResult,
    SearchHit,
    StageFailure,
)
from nkwatch.store.records import Outcome as Outcome  # re-exported for older imports

log = logging.getLogger(__name__)


def to_iso(value: datetime | None) -> str | None:
    """Store datetimes as sortable ISO 8601 text in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(value: str | None) -> datetime | None:
    """Inverse of :func:`to_iso`."""
    return datetime.fromisoformat(value) if value else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


#: Bound parameters per batched look-up: well under every backend's limit on parameters and
#: expression depth.
_KEYS_PER_QUERY = 200
_IDS_PER_QUERY = 400
#: Terms per look-up of the clusterer's document counts.
_TERM_BATCH = 500
#: Full-text search ranks the newest this many matches (in arrival order) by relevance, so a
#: word found in half of a large store costs what a rarer one does; a query, an outlet or a
#: date range narrow enough to match fewer is ranked whole.
SEARCH_RECENT = 5_000

_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)

#: The per-article stages whose pending work the store keeps (``pending_work``).
FINGERPRINT_STAGE, ENRICH_STAGE, PROTECT_STAGE, SUMMARY_STAGE = (
    "fingerprint",
    "enrich",
    "protect",
    "summarize",
)
#: What each stage's work is, over an article ``a`` of any kind but a digest page: the join
#: that reads the stage's stored result and the condition under which it is missing or stale
#: (``?`` the stage's key when it has one). The same condition fills a stage's rows from the
#: whole store and filters them when they are read.
_PENDING: dict[str, tuple[str, str]] = {
    FINGERPRINT_STAGE: (
        "",
        "NOT EXISTS (SELECT 1 FROM fingerprints f WHERE f.article_id = a.id AND f.paragraph = -1)",
    ),
    ENRICH_STAGE: (
        "LEFT JOIN enrichment e ON e.article_id = a.id",
        "(e.article_id IS NULL OR e.profile != ?)",
    ),
    PROTECT_STAGE: (
        "LEFT JOIN protection_analyses p ON p.article_id = a.id",
        "(p.article_id IS NULL OR p.version != ?)",
    ),
    SUMMARY_STAGE: (
        "LEFT JOIN summaries s ON s.article_id = a.id",
        "(s.article_id IS NULL OR s.content_hash != a.content_hash)",
    ),
}


def _stage_condition(stage: str, key: str) -> tuple[str, str, tuple[str, ...]]:
    """A stage's join, its missing-or-stale condition and that condition's parameters."""
    join, condition = _PENDING[stage]
    return join, condition, ((key,) if "?" in condition else ())


def fts_query(query: str) -> str:
    """Turn free text into a safe FTS5 query: every word must match, as a prefix if it ends in *."""
    terms = []
    for raw in query.split():
        star = raw.endswith("*")
        for token in _FTS_TOKEN.findall(raw):
            terms.append(f'"{token}"' + ("*" if star else ""))
    return " ".join(terms)


class RowLike(Protocol):
    """A result row, read by column name or position (``sqlite3.Row`` and the PostgreSQL rows)."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def keys(self) -> list[str]: ...


class SQLStore(ABC):
    """Everything the store does, in SQL that SQLite and PostgreSQL both accept.

    A subclass brings the connection and the dialect: it sets ``_db`` (anything with sqlite3's
    ``execute``/``executemany``, ``?`` placeholders, rows read by name or position, a cursor's
    ``lastrowid`` and ``rowcount``) and ``_depth``, and implements :meth:`close`,
    :meth:`_begin` (open the outermost transaction, holding the write lock) and
    :meth:`_search_rows` (the full-text index). Methods here use ``self._db.execute`` and
    portable SQL only: ``INSERT ... ON CONFLICT``, every subquery aliased, a LIMIT clause only
    when there is a limit.
    """

    _db: Any
    _depth: int

    # -- lifecycle ---------------------------------------------------------------------------

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    @abstractmethod
    def reusable(self) -> bool:
        """Whether this open store may serve another caller once the present one is done."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @abstractmethod
    def _begin(self) -> None:
        """Open the outermost transaction, holding the store's write lock until it ends."""

    @abstractmethod
    def _search_rows(
        self, query: str, where: str, params: Sequence[Any], limit: int
    ) -> list[RowLike]:
        """Full-text matches of ``query`` (rows of ``articles a`` plus ``snip`` and ``rank``,
        lower rank first), with ``where`` (``AND ...`` on ``a``) applied."""

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterable[RowLike]:
        """The rows of a long SELECT, read as they are consumed rather than all at once
        (sqlite3's cursor already steps through them; a server store overrides this)."""
        return self._db.execute(sql, params)  # type: ignore[no-any-return]

    def _rows_in(
        self,
        sql: str,
        values: Sequence[Any],
        *,
        params: Sequence[Any] = (),
        size: int = _IDS_PER_QUERY,
    ) -> Iterator[RowLike]:
        """The rows of ``sql`` for every one of ``values``, whose ``{marks}`` is the ``IN``
        list: one query per ``size`` values (both backends bound the number of parameters),
        with ``params`` bound before them."""
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            marks = ", ".join("?" * len(chunk))
            yield from self._db.execute(sql.format(marks=marks), (*params, *chunk))

    def applied_migrations(self) -> list[tuple[int, str]]:
        """The migrations recorded in this database, in order."""
        rows = self._db.execute("SELECT number, name FROM migrations ORDER BY number")
        return [(row[0], row[1]) for row in rows]

    def transaction(self) -> _Transaction:
        """One atomic unit of writes; nested units are savepoints that roll back on their own.

        A stage wraps a batch of articles in one transaction and each article in a nested one,
        so a failing article loses only its own writes and a kill loses only the open batch.
        """
        return _Transaction(self)

    # -- articles ----------------------------------------------------------------------------

    def save_article(self, article: Article) -> SaveResult:
        """Insert a new article, update one whose content changed, or leave an identical one."""
        with self.transaction():
            return self._save(article)

    def save_articles(self, articles: Sequence[Article]) -> list[SaveResult]:
        """Save a digest page and its items (or any group) in one transaction.

        Items carrying ``parent_hash`` are tied to the page with that content hash saved earlier
        in the same call.
        """
        results: list[SaveResult] = []
        page_ids: dict[str, int] = {}
        with self.transaction():
            for article in articles:
                if article.parent_hash and article.parent_id is None:
                    article.parent_id = page_ids.get(article.parent_hash)
                result = self._save(article)
                if article.is_digest_page:
                    page_ids[article.content_hash] = result.id
                results.append(result)
        return results

    def _save(self, article: Article) -> SaveResult:
        if not article.source_key:
            raise ValueError("article.source_key must be set before saving")
        digest = article.content_hash
        row = self._db.execute(
            "SELECT id, content_hash, kind FROM articles WHERE source_key = ?",
            (article.source_key,),
        ).fetchone()
        now = _now()
        if row is None and article.kind == "article":
            twin = self._twin(article)
            if twin is not None:
                return self._merge(twin, article, now)
        values = _article_values(article)
        if row is None:
            columns = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            cursor = self._db.execute(
                f"INSERT INTO articles ({columns}, content_hash, stored_at, updated_at) "
                f"VALUES ({marks}, ?, ?, ?)",
                (*values.values(), digest, now, now),
            )
            article.id = int(cursor.lastrowid or 0)
            if not article.is_digest_page:
                self._queue(article.id, tuple(_PENDING))
            return SaveResult(article.id, "stored")
        article.id = int(row["id"])
        if row["content_hash"] == digest:
            return SaveResult(article.id, "unchanged")
        if article.kind == "article":
            stored = self.get_article(article.id)
            if stored is not None and _is_part_of(article.text, stored.text):
                # A feed's excerpt of a page merged earlier: the fuller text stays.
                return self._merge(stored, article, now)
        assignments = ", ".join(f"{name} = ?" for name in values)
        self._db.execute(
            f"UPDATE articles SET {assignments}, content_hash = ?, updated_at = ? WHERE id = ?",
            (*values.values(), digest, now, article.id),
        )
        self._date_mentions(article.id)
        if not article.is_digest_page:
            # A summary is of one text; an article that was a digest page has had no stage.
            was_page = row["kind"] == "digest-page"
            self._queue(article.id, tuple(_PENDING) if was_page else (SUMMARY_STAGE,))
        return SaveResult(article.id, "updated")

    def _twin(self, article: Article) -> Article | None:
        """A stored article at the same canonical URL under another source (feed vs page)."""
        key = canonical_key(article.canonical_url or article.url)
        if key is None:
            return None
        row = self._db.execute(
            "SELECT * FROM articles WHERE canonical_key = ? AND kind = 'article' "
            "AND source_key != ? ORDER BY id LIMIT 1",
            (key, article.source_key),
        ).fetchone()
        if row is None:
            return None
        twin = _row_to_article(row)
        # Some sites name their home page as every page's canonical URL: only the same story
        # at a real article address is one record.
        return twin if _shares_words(article.text, twin.text) else None

    def _merge(self, stored: Article, new: Article, now: str) -> SaveResult:
        """One record for a feed entry and its page: the fuller text, and a date when either
        has one (the page's own when it gives one, else the feed's)."""
        fuller, other = (new, stored) if len(new.text) > len(stored.text) else (stored, new)
        merged = replace(fuller, id=stored.id, source_key=stored.source_key)
        if merged.published is None and other.published is not None:
            merged.published, merged.published_from = other.published, other.published_from
        for name in ("title", "url", "canonical_url", "outlet", "author", "origin", "language"):
            if not getattr(merged, name):
                setattr(merged, name, getattr(other, name))
        for name in ("story_id", "duplicate_of", "duplicate_kind"):
            setattr(merged, name, getattr(stored, name))
        values = _article_values(merged)
        before = _article_values(stored)
        for field in fields(Article):  # the caller goes on with the record as stored
            setattr(new, field.name, getattr(merged, field.name))
        if values == before and stored.content_hash == merged.content_hash:
            return SaveResult(stored.id or 0, "unchanged")
        assignments = ", ".join(f"{name} = ?" for name in values)
        self._db.execute(
            f"UPDATE articles SET {assignments}, content_hash = ?, updated_at = ? WHERE id = ?",
            (*values.values(), merged.content_hash, now, stored.id),
        )
        self._date_mentions(stored.id or 0)
        if merged.content_hash != stored.content_hash:
            self._queue(stored.id or 0, (SUMMARY_STAGE,))
        return SaveResult(stored.id or 0, "updated")

    def _date_mentions(self, article_id: int) -> None:
        """Give an updated article's entity mentions its date as stored now."""
        self._db.execute(
            "UPDATE entity_mentions SET seen = (SELECT COALESCE(published, fetched_at) "
            "FROM articles WHERE id = ?) WHERE article_id = ?",
            (article_id, article_id),
        )

    # -- pending work --------------------------------------------------------------------------

    def recheck_pending(self) -> None:
        """Have every stage find its pending work from the whole store on its next read (the
        store otherwise keeps each stage's pending articles as they arrive and are done)."""
        with self.transaction():
            self._db.execute("DELETE FROM pending_marks")

    def _queue(self, article_id: int, stages: Sequence[str]) -> None:
        """Put an article on these stages' pending work (where it is not already)."""
        self._db.executemany(
            "INSERT INTO pending_work (stage, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(stage, article_id) for stage in stages],
        )

    def _done(
        self, stage: str, article_id: int, key: str, *, content_hash: str | None = None
    ) -> None:
        """Take an article off a stage's pending work once its result is stored, when the
        result was made with the key the stage's rows were filled for (and, for a summary, of
        the article's current text)."""
        current = (
            ""
            if content_hash is None
            else " AND EXISTS (SELECT 1 FROM articles WHERE id = ? AND content_hash = ?)"
        )
        extra: tuple[Any, ...] = () if content_hash is None else (article_id, content_hash)
        self._db.execute(
            "DELETE FROM pending_work WHERE stage = ? AND article_id = ? AND EXISTS "
            f"(SELECT 1 FROM pending_marks WHERE stage = ? AND mark = ?){current}",
            (stage, article_id, stage, key, *extra),
        )

    def _fill_pending(self, stage: str, key: str) -> None:
        """Fill a stage's pending work from the whole store when it was last filled for another
        key (or never): once after this migration, and once whenever a stage's key changes
        (another profile, new code), which makes every result of the stage stale anyway."""
        row = self._db.execute(
            "SELECT mark FROM pending_marks WHERE stage = ?", (stage,)
        ).fetchone()
        if row is not None and row[0] == key:
            return
        join, condition, params = _stage_condition(stage, key)
        with self.transaction():
            row = self._db.execute(
                "SELECT mark FROM pending_marks WHERE stage = ?", (stage,)
            ).fetchone()
            if row is not None and row[0] == key:
                return  # another process filled it meanwhile
            self._db.execute("DELETE FROM pending_work WHERE stage = ?", (stage,))
            self._db.execute(
                "INSERT INTO pending_work (stage, article_id) "
                f"SELECT ?, a.id FROM articles a {join} "
                f"WHERE a.kind != 'digest-page' AND {condition}",
                (stage, *params),
            )
            self._db.execute(
                "INSERT INTO pending_marks (stage, mark) VALUES (?, ?) "
                "ON CONFLICT (stage) DO UPDATE SET mark = excluded.mark",
                (stage, key),
            )

    def _pending_sql(self, stage: str, key: str) -> tuple[str, tuple[Any, ...]]:
        """The SELECT of a stage's pending articles (to be followed by ``AND`` conditions and an
        order) and its parameters; the stage's rows are filled first if they need to be."""
        self._fill_pending(stage, key)
        join, condition, params = _stage_condition(stage, key)
        return (
            "SELECT a.* FROM pending_work w JOIN articles a ON a.id = w.article_id "
            f"{join} WHERE w.stage = ? AND a.kind != 'digest-page' AND {condition}",
            (stage, *params),
        )

    def _pending_by_id(
        self, stage: str, key: str, after: int | None, limit: int | None
    ) -> list[Article]:
        """A page of a stage's pending articles in id order."""
        sql, params = self._pending_sql(stage, key)
        rows = self._db.execute(
            f"{sql} AND a.id > ? ORDER BY a.id{_limit(limit)}", (*params, after or 0)
        )
        return [_row_to_article(row) for row in rows]

    def get_article(self, article_id: int) -> Article | None:
        """One article by id."""
        row = self._db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _row_to_article(row) if row else None

    def iter_articles(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kinds: Iterable[str] | None = None,
        outlet: str | None = None,
        newest_first: bool = False,
    ) -> Iterator[Article]:
        """Articles filtered by their date (publication date, else fetch time), kind and outlet."""
        where, params = _filters(since=since, until=until, kinds=kinds, outlet=outlet)
        order = "DESC" if newest_first else "ASC"
        sql = (
            f"SELECT * FROM articles {where} "
            f"ORDER BY COALESCE(published, fetched_at) {order}, id {order}"
        )
        for row in self._stream(sql, params):
            yield _row_to_article(row)

    def count_articles(self) -> dict[str, int]:
        """How many articles of each kind are stored."""
        rows = self._db.execute("SELECT kind, COUNT(*) FROM articles GROUP BY kind")
        return {row[0]: row[1] for row in rows}

    def latest_date(self) -> datetime | None:
        """The newest publication date in the store (the newest fetch time when none has one)."""
        # Read down the date index to the first row that is not a digest page (a MAX with
        # that filter reads every row); fetch times only when no article has a date.
        row = self._db.execute(
            "SELECT published FROM articles WHERE published IS NOT NULL "
            "AND kind != 'digest-page' ORDER BY published DESC LIMIT 1"
        ).fetchone()
        if row is None:
            row = self._db.execute(
                "SELECT MAX(fetched_at) FROM articles WHERE kind != 'digest-page'"
            ).fetchone()
        return from_iso(row[0]) if row and row[0] else None

    def search(
        self,
        query: str,
        *,
        outlet: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 20,
    ) -> list[SearchHit]:
        """Full-text search over title and text, best match first."""
        where, params = _filters(since=since, until=until, kinds=None, outlet=outlet, alias="a")
        where = where.replace("WHERE", "AND", 1) if where else ""
        rows = self._search_rows(query, where, params, limit)
        return [SearchHit(_row_to_article(r), r["snip"], float(r["rank"])) for r in rows]

    # -- de-duplication ------------------------------------------------------------------------

    def articles_without_fingerprint(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """Articles and digest items not yet seen by de-duplication, in arrival order.

        ``after`` (an article id) and ``limit`` page through the list: the page after that
        article's place in arrival order.
        """
        where, params = _after_arrival(after, "a")
        sql, head = self._pending_sql(FINGERPRINT_STAGE, "")
        rows = self._db.execute(
            f"{sql} {where} ORDER BY COALESCE(a.published, a.fetched_at), a.id{_limit(limit)}",
            (*head, *params),
        )
        return [_row_to_article(row) for row in rows]

    def save_fingerprints(
        self,
        article_id: int,
        entries: Sequence[tuple[int, str, int, bytes, list[tuple[int, bytes]]]],
    ) -> None:
        """Store (paragraph, text hash, words, signature, LSH keys) rows for one article."""
        with self.transaction():
            for paragraph, digest, words, signature, keys in entries:
                self._db.execute(
                    "INSERT INTO fingerprints "
                    "(article_id, paragraph, text_hash, words, signature) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (article_id, paragraph) DO UPDATE SET "
                    "text_hash = excluded.text_hash, words = excluded.words, "
                    "signature = excluded.signature",
                    (article_id, paragraph, digest, words, signature),
                )
                self._db.executemany(
                    "INSERT INTO lsh_buckets (band, bucket, article_id, paragraph) "
                    "VALUES (?, ?, ?, ?)",
                    [(band, bucket, article_id, paragraph) for band, bucket in keys],
                )
            if any(entry[0] == -1 for entry in entries):
                self._done(FINGERPRINT_STAGE, article_id, "")

    def ids_with_text_hash(self, digest: str) -> list[int]:
        """Articles whose whole normalised body has this hash."""
        rows = self._db.execute(
            "SELECT article_id FROM fingerprints WHERE text_hash = ? AND paragraph = -1 "
            "ORDER BY article_id",
            (digest,),
        )
        return [row[0] for row in rows]

    def bucket_hits(
        self, keys: Sequence[tuple[int, bytes]], *, paragraphs: bool
    ) -> set[tuple[int, int]]:
        """(article id, paragraph) pairs sharing any LSH bucket with ``keys``."""
        if not keys:
            return set()
        level = "paragraph >= 0" if paragraphs else "paragraph = -1"
        hits: set[tuple[int, int]] = set()
        for band, bucket in keys:
            rows = self._db.execute(
                f"SELECT article_id, paragraph FROM lsh_buckets "
                f"WHERE band = ? AND bucket = ? AND {level}",
                (band, bucket),
            )
            hits.update((row[0], row[1]) for row in rows)
        return hits

    def bucket_members(
        self, keys: Iterable[tuple[int, bytes]]
    ) -> dict[tuple[int, bytes], list[tuple[int, int]]]:
        """Every stored (article id, paragraph) in each LSH bucket of ``keys``, whole texts
        (paragraph -1) and paragraphs alike: one query for all the bands of a text."""
        wanted = list(dict.fromkeys(keys))
        members: dict[tuple[int, bytes], list[tuple[int, int]]] = {key: [] for key in wanted}
        for start in range(0, len(wanted), _KEYS_PER_QUERY):
            chunk = wanted[start : start + _KEYS_PER_QUERY]
            where = " OR ".join(["(band = ? AND bucket = ?)"] * len(chunk))
            rows = self._db.execute(
                f"SELECT band, bucket, article_id, paragraph FROM lsh_buckets WHERE {where}",
                [value for key in chunk for value in key],
            )
            for row in rows:
                members[(row[0], bytes(row[1]))].append((row[2], row[3]))
        return members

    def signatures(self, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        """Stored MinHash signatures of (article id, paragraph) pairs, in one query per batch of
        articles; pairs with no stored signature are left out."""
        wanted = set(pairs)
        articles = sorted({article_id for article_id, _ in wanted})
        found: dict[tuple[int, int], bytes] = {}
        rows = self._rows_in(
            "SELECT article_id, paragraph, signature FROM fingerprints "
            "WHERE article_id IN ({marks})",
            articles,
        )
        for row in rows:
            if (row[0], row[1]) in wanted:
                found[(row[0], row[1])] = bytes(row[2])
        return found

    def signature(self, article_id: int, paragraph: int = -1) -> tuple[bytes, int] | None:
        """A stored MinHash signature and the text's word count."""
        row = self._db.execute(
            "SELECT signature, words FROM fingerprints WHERE article_id = ? AND paragraph = ?",
            (article_id, paragraph),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def set_duplicate(
        self, article_id: int, duplicate_of: int | None, kind: str | None, similarity: float | None
    ) -> None:
        """Mark (or unmark) an article as a copy of another."""
        with self.transaction():
            self._db.execute(
                "UPDATE articles SET duplicate_of = ?, duplicate_kind = ?, "
                "duplicate_similarity = ? WHERE id = ?",
                (duplicate_of, kind, similarity, article_id),
            )
            # Copies repeat their original's mentions: the index counts originals only.
            self._db.execute(
                "UPDATE entity_mentions SET original = ? WHERE article_id = ?",
                (1 if duplicate_of is None else 0, article_id),
            )

    def copies_of(self, article_id: int) -> list[int]:
        """Articles marked as copies of ``article_id``."""
        rows = self._db.execute(
            "SELECT id FROM articles WHERE duplicate_of = ? ORDER BY id", (article_id,)
        )
        return [row[0] for row in rows]

    def find_by_url(self, url: str) -> int | None:
        """An article fetched from, or declaring as canonical, this URL."""
        row = self._db.execute(
            "SELECT id FROM articles WHERE (url = ? OR canonical_url = ?) "
            "AND kind != 'digest-page' ORDER BY id LIMIT 1",
            (url, url),
        ).fetchone()
        return int(row[0]) if row else None

    # -- enrichment ----------------------------------------------------------------------------

    def articles_to_enrich(
        self, profile: str, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """Articles with no enrichment, or one made with another profile (by id; ``after`` an
        id and ``limit`` page through them)."""
        return self._pending_by_id(ENRICH_STAGE, profile, after, limit)

    def save_enrichment(self, article_id: int, profile: str, data: dict[str, Any]) -> None:
        """Store an article's themes, entities and figures (JSON lists)."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO enrichment (article_id, profile, themes, entities, figures, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
                "profile = excluded.profile, themes = excluded.themes, "
                "entities = excluded.entities, figures = excluded.figures, "
                "updated_at = excluded.updated_at",
                (
                    article_id,
                    profile,
                    json.dumps(data["themes"], ensure_ascii=False),
                    json.dumps(data["entities"], ensure_ascii=False),
                    json.dumps(data["figures"], ensure_ascii=False),
                    _now(),
                ),
            )
            self._index_entities(article_id, data["entities"])
            self._done(ENRICH_STAGE, article_id, profile)

    def _index_entities(
        self,
        article_id: int,
        mentions: Iterable[dict[str, Any]],
        *,
        original: bool | None = None,
        dated: bool = True,
    ) -> None:
        """Keep ``entity_mentions`` in step with one article's stored entity mentions (with the
        article's date unless ``dated`` is false: the table has no dates before migration 36)."""
        row = (
            self._db.execute(
                "SELECT duplicate_of, COALESCE(published, fetched_at) FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            if original is None or dated
            else None
        )
        if original is None:
            original = row is None or row[0] is None
        self._db.execute("DELETE FROM entity_mentions WHERE article_id = ?", (article_id,))
        rows = [(article_id, *r, 1 if original else 0) for r in _entity_rows(mentions)]
        if not dated:
            self._db.executemany(
                "INSERT INTO entity_mentions (article_id, name_key, name, type, known, "
                "mentions, original) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            return
        seen = row[1] if row is not None else None
        self._db.executemany(
            "INSERT INTO entity_mentions (article_id, name_key, name, type, known, mentions, "
            "original, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(*r, seen) for r in rows],
        )

    def _index_all_entities(self) -> None:
        """Fill ``entity_mentions`` from the enrichment already stored (migration 21)."""
        rows = self._db.execute(
            "SELECT e.article_id, e.entities, a.duplicate_of FROM enrichment e "
            "JOIN articles a ON a.id = e.article_id"
        ).fetchall()
        for article_id, entities, duplicate_of in rows:
            self._index_entities(
                int(article_id), json.loads(entities), original=duplicate_of is None, dated=False
            )

    def entity_counts(
        self, *, known_only: bool = True, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Entities by how many original articles mention them (name, type, articles, and
        whether the profile knows them)."""
        known = "AND m.known = 1 " if known_only else ""
        page = "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self._db.execute(
            "SELECT m.name_key, MIN(m.name) AS name, MIN(m.type) AS type, "
            "MAX(m.known) AS known, "
            f"COUNT(*) AS articles FROM entity_mentions m WHERE m.original = 1 {known}"
            f"GROUP BY m.name_key ORDER BY articles DESC, m.name_key {page}"
        )
        return [
            {
                "name": r["name"],
                "type": r["type"],
                "articles": r["articles"],
                "known": bool(r["known"]),
            }
            for r in rows
        ]

    def entity_total(self, *, known_only: bool = True) -> int:
        """How many entities :meth:`entity_counts` lists in all."""
        known = "AND m.known = 1 " if known_only else ""
        row = self._db.execute(
            "SELECT COUNT(*) FROM (SELECT m.name_key FROM entity_mentions m "
            f"WHERE m.original = 1 {known}GROUP BY m.name_key) AS names"
        ).fetchone()
        return int(row[0])

    def entity_name(self, name: str) -> dict[str, Any] | None:
        """An entity's name as stored, its type and whether the profile knows it (any casing of
        ``name`` finds it): the profile's spelling when it knows the entity, else the first
        spelling in the entity lists' order. Each look-up is one seek in the counts index,
        however many articles mention the name."""
        key = entity_key(name)
        for original, known in ((1, 1), (0, 1), (1, 0), (0, 0)):
            row = self._db.execute(
                "SELECT name, type FROM entity_mentions "
                "WHERE original = ? AND known = ? AND name_key = ? ORDER BY name, type LIMIT 1",
                (original, known, key),
            ).fetchone()
            if row is not None:
                return {"name": row["name"], "type": row["type"], "known": bool(known)}
        return None

    def entity_days(self, name: str) -> list[tuple[str, int]]:
        """Original articles mentioning an entity per day (UTC, publication else fetch date)."""
        rows = self._db.execute(
            "SELECT SUBSTR(m.seen, 1, 10) AS day, COUNT(*) AS n FROM entity_mentions m "
            "WHERE m.original = 1 AND m.name_key = ? GROUP BY day ORDER BY day",
            (entity_key(name),),
        )
        return [(str(r["day"]), int(r["n"])) for r in rows]

    def entity_stories(self, name: str, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Stories with original articles mentioning an entity, most mentioning articles first
        (each a story row with ``mentions``)."""
        page = "" if limit is None else f"LIMIT {int(limit)}"
        rows = self._db.execute(
            "SELECT s.*, counted.mentions AS mentions FROM (SELECT a.story_id AS story_id, "
            f"COUNT(*) AS mentions {_ENTITY_ORIGINALS} AND m.name_key = ? "
            "AND a.story_id IS NOT NULL GROUP BY a.story_id) AS counted "
            "JOIN stories s ON s.id = counted.story_id "
            f"ORDER BY counted.mentions DESC, s.last_seen DESC, s.id {page}",
            (entity_key(name),),
        )
        return [{**_story_row(r), "mentions": int(r["mentions"])} for r in rows]

    def entity_articles(self, name: str, *, offset: int = 0, limit: int = 20) -> list[Article]:
        """Original articles mentioning an entity, newest first."""
        # The page of mentions is chosen on the mentions' own dates (an index), then only its
        # articles are read.
        rows = self._db.execute(
            "SELECT a.* FROM (SELECT m.article_id, m.seen FROM entity_mentions m "
            "WHERE m.original = 1 AND m.name_key = ? "
            "ORDER BY m.seen DESC, m.article_id DESC LIMIT ? OFFSET ?) AS page "
            "JOIN articles a ON a.id = page.article_id ORDER BY page.seen DESC, a.id DESC",
            (entity_key(name), limit, offset),
        )
        return [_row_to_article(r) for r in rows]

    def enrichment(self, article_id: int) -> dict[str, Any] | None:
        """An article's stored themes, entities and figures."""
        row = self._db.execute(
            "SELECT themes, entities, figures FROM enrichment WHERE article_id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        return {
            "themes": json.loads(row[0]),
            "entities": json.loads(row[1]),
            "figures": json.loads(row[2]),
        }

    def articles_to_protect(
        self, version: str, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """Articles with no stored protection analysis, or one made by another version (by id;
        ``after`` an id and ``limit`` page through them)."""
        return self._pending_by_id(PROTECT_STAGE, version, after, limit)

    def save_protection_analysis(
        self, article_id: int, text_hash: str, version: str, detections: list[list[Any]]
    ) -> None:
        """Store the detections found in an article's text (its hash) by a protection version."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO protection_analyses (article_id, text_hash, version, detections) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
                "text_hash = excluded.text_hash, version = excluded.version, "
                "detections = excluded.detections",
                (article_id, text_hash, version, json.dumps(detections, ensure_ascii=False)),
            )
            self._done(PROTECT_STAGE, article_id, version)

    def protection_analyses(
        self, article_ids: Sequence[int], version: str
    ) -> dict[int, tuple[str, list[list[Any]]]]:
        """Stored analyses of these articles made by ``version``: id → (text hash, detections)."""
        rows = self._rows_in(
            "SELECT article_id, text_hash, detections FROM protection_analyses "
            "WHERE version = ? AND article_id IN ({marks})",
            sorted(set(article_ids)),
            params=(version,),
        )
        return {int(row[0]): (row[1], json.loads(row[2])) for row in rows}

    def save_text_analyses(
        self, version: str, analyses: Sequence[tuple[str, list[list[Any]]]]
    ) -> None:
        """Store the detections found in texts judged alone (by their hash) by a protection
        version, replacing what another version stored for the same text."""
        if not analyses:
            return
        with self.transaction():
            self._db.executemany(
                "INSERT INTO protection_texts (text_hash, version, detections) VALUES (?, ?, ?) "
                "ON CONFLICT (text_hash) DO UPDATE SET version = excluded.version, "
                "detections = excluded.detections",
                [
                    (digest, version, json.dumps(rows, ensure_ascii=False))
                    for digest, rows in analyses
                ],
            )

    def text_analyses(self, text_hashes: Sequence[str], version: str) -> dict[str, list[list[Any]]]:
        """Stored analyses of texts judged alone, made by ``version``: text hash → detections."""
        rows = self._rows_in(
            "SELECT text_hash, detections FROM protection_texts "
            "WHERE version = ? AND text_hash IN ({marks})",
            sorted(set(text_hashes)),
            params=(version,),
        )
        return {row[0]: json.loads(row[1]) for row in rows}

    def story_summary(self, story_id: int) -> tuple[str, list[list[Any]]] | None:
        """A story's stored multi-source summary: (digest of its inputs, sentence rows)."""
        row = self._db.execute(
            "SELECT inputs, sentences FROM story_summaries WHERE story_id = ?", (story_id,)
        ).fetchone()
        return None if row is None else (row[0], json.loads(row[1]))

    def save_story_summary(
        self,
        story_id: int,
        inputs: str,
        sentences: list[list[Any]],
        *,
        story_updated: str | None = None,
    ) -> None:
        """Store a story's multi-source summary with the digest of what it was made from;
        ``story_updated`` is the story's ``updated_at`` it was made for, when known."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO story_summaries (story_id, inputs, sentences, story_updated) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (story_id) DO UPDATE SET "
                "inputs = excluded.inputs, sentences = excluded.sentences, "
                "story_updated = excluded.story_updated",
                (story_id, inputs, json.dumps(sentences, ensure_ascii=False), story_updated),
            )

    def stories_to_summarize(self) -> list[tuple[int, str]]:
        """Stories changed since their summary was stored, or without one: (id, updated_at)."""
        rows = self._db.execute(
            "SELECT s.id, s.updated_at FROM stories s "
            "LEFT JOIN story_summaries m ON m.story_id = s.id "
            "WHERE m.story_id IS NULL OR m.story_updated IS NULL "
            "OR m.story_updated != s.updated_at ORDER BY s.id"
        )
        return [(int(row[0]), str(row[1])) for row in rows]

    def iter_figures(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """Stored figures of original articles (copies repeat their original's figures)."""
        where, params = _filters(since=since, until=until, kinds=None, outlet=None, alias="a")
        where = where.replace("WHERE", "AND", 1)
        rows = self._db.execute(
            "SELECT a.id, a.published, a.fetched_at, a.outlet, a.url, a.canonical_url, "
            "a.title, e.figures FROM articles a JOIN enrichment e ON e.article_id = a.id "
            # "+": the date index (migration 33) bounds the scan, not the index of copies,
            # which nearly every article (an original) matches
            "WHERE +a.duplicate_of IS NULL AND a.kind != 'digest-page' "
            f"AND COALESCE(a.story_id, -1) != 0 {where} "
            "ORDER BY COALESCE(a.published, a.fetched_at), a.id",
            params,
        )
        for row in rows:
            article = {
                "id": row["id"],
                "published": from_iso(row["published"]),
                "outlet": row["outlet"],
                "url": row["url"] or row["canonical_url"],
                "title": row["title"],
            }
            for figure in json.loads(row["figures"]):
                yield figure, article

    # -- stories -------------------------------------------------------------------------------

    def articles_without_story(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """De-duplicated articles and digest items not yet in a story, in arrival order
        (``after`` an article id and ``limit`` page through them)."""
        where, params = _after_arrival(after, "a")
        rows = self._db.execute(
            "SELECT a.* FROM articles a WHERE a.kind != 'digest-page' AND a.story_id IS NULL "
            f"{where} ORDER BY COALESCE(a.published, a.fetched_at), a.id{_limit(limit)}",
            params,
        )
        return [_row_to_article(row) for row in rows]

    def max_story_id(self) -> int:
        """The highest story id ever handed out (0 when there is none)."""
        row = self._db.execute(
            "SELECT max(m) FROM (SELECT max(story_id) AS m FROM articles "
            "UNION ALL SELECT max(id) FROM stories) AS highest"
        ).fetchone()
        return int(row[0] or 0)

    def set_story(self, article_id: int, story_id: int) -> None:
        """Put one article in a story."""
        with self.transaction():
            self._db.execute(
                "UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id)
            )

    def move_story(self, absorbed: int, into: int) -> None:
        """Merge story ``absorbed`` into ``into``."""
        with self.transaction():
            self._db.execute(
                "UPDATE articles SET story_id = ? WHERE story_id = ?", (into, absorbed)
            )
            self._db.execute("DELETE FROM stories WHERE id = ?", (absorbed,))

    def delete_story(self, story_id: int) -> None:
        """Remove a story row that has no members left."""
        with self.transaction():
            self._db.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def story_facts(self, story_id: int, *, titles: int = 50) -> dict[str, Any] | None:
        """What a story's summary row needs, without loading every member's text.

        Counts, dates, outlets and duplicate links of all members; the first ``titles``
        members in full (for the representative headline).
        """
        rows = self._db.execute(
            "SELECT id, outlet, source, duplicate_of, origin_outlet, parent_id, published, "
            "COALESCE(published, fetched_at) AS seen FROM articles WHERE story_id = ? ORDER BY id",
            (story_id,),
        ).fetchall()
        if not rows:
            return None
        first = self._db.execute(
            "SELECT * FROM articles WHERE story_id = ? "
            "ORDER BY COALESCE(published, fetched_at), id LIMIT ?",
            (story_id, titles),
        ).fetchall()
        return {
            "members": [dict(row) for row in rows],
            "first": [_row_to_article(row) for row in first],
        }

    def story_members(
        self,
        story_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[Article]:
        """A story's articles in arrival order (within a window, the latest ``limit`` of them)."""
        where, params = _filters(since=since, until=until, kinds=None, outlet=None)
        where = where.replace("WHERE", "AND", 1)
        bound = "" if limit is None else f"LIMIT {int(limit)}"
        rows = self._db.execute(
            f"SELECT * FROM (SELECT * FROM articles WHERE story_id = ? {where} "
            f"ORDER BY COALESCE(published, fetched_at) DESC, id DESC {bound}) AS latest "
            "ORDER BY COALESCE(published, fetched_at), id",
            (story_id, *params),
        )
        return [_row_to_article(row) for row in rows]

    def headline_article(self, story_id: int, title: str) -> Article | None:
        """The story's earliest article whose headline is ``title`` (the one a story title is
        taken from), if any."""
        row = self._db.execute(
            "SELECT * FROM articles WHERE story_id = ? AND title = ? "
            "ORDER BY COALESCE(published, fetched_at), id LIMIT 1",
            (story_id, title),
        ).fetchone()
        return _row_to_article(row) if row is not None else None

    def save_story(self, row: dict[str, Any]) -> None:
        """Insert or replace a story's summary row (id, title, dates, counts, outlets)."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO stories (id, title, first_seen, last_seen, articles, "
                "independent_sources, outlets, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
                "first_seen = excluded.first_seen, last_seen = excluded.last_seen, "
                "articles = excluded.articles, "
                "independent_sources = excluded.independent_sources, "
                "outlets = excluded.outlets, updated_at = excluded.updated_at",
                (
                    row["id"],
                    row["title"],
                    to_iso(row["first_seen"]),
                    to_iso(row["last_seen"]),
                    row["articles"],
                    row["independent_sources"],
                    json.dumps(row["outlets"], ensure_ascii=False),
                    _now(),
                ),
            )

    def stories(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        min_sources: int = 0,
    ) -> list[dict[str, Any]]:
        """Stories active in a window (last seen after ``since``), most sources first."""
        clauses: list[str] = ["independent_sources >= ?"]
        params: list[Any] = [min_sources]
        if since is not None:
            clauses.append("last_seen >= ?")
            params.append(to_iso(since))
        if until is not None:
            clauses.append("first_seen <= ?")
            params.append(to_iso(until))
        rows = self._db.execute(
            f"SELECT * FROM stories WHERE {' AND '.join(clauses)} "
            "ORDER BY independent_sources DESC, last_seen DESC, id",
            params,
        )
        return [_story_row(row) for row in rows]

    def get_story(self, story_id: int) -> dict[str, Any] | None:
        """One story's summary row."""
        row = self._db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        return _story_row(row) if row else None

    def set_storyline(self, story_id: int, storyline_id: int) -> None:
        """Put one story in a storyline (a thread of stories over months)."""
        with self.transaction():
            self._db.execute(
                "UPDATE stories SET storyline_id = ? WHERE id = ?", (storyline_id, story_id)
            )

    def storyline_of(self, story_id: int) -> int | None:
        """The storyline a story belongs to, if it has been linked."""
        row = self._db.execute(
            "SELECT storyline_id FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def storylines(self, *, min_stories: int = 1) -> list[dict[str, Any]]:
        """Storylines with their story ids (oldest first), most stories first."""
        rows = self._db.execute(
            "SELECT storyline_id, id FROM stories WHERE storyline_id IS NOT NULL "
            "ORDER BY storyline_id, first_seen, id"
        )
        lines: dict[int, list[int]] = {}
        for line, story in rows:
            lines.setdefault(int(line), []).append(int(story))
        kept = sorted(
            ((line, stories) for line, stories in lines.items() if len(stories) >= min_stories),
            key=lambda item: (-len(item[1]), item[0]),
        )
        return [{"id": line, "stories": stories} for line, stories in kept]

    def storyline_stories(
        self, storyline_id: int, *, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """The summary rows of one storyline's stories, the latest ``limit`` of them, oldest first.

        Read through the storyline index, so the cost follows the storyline, not the store.
        """
        sql = "SELECT * FROM stories WHERE storyline_id = ? ORDER BY first_seen DESC, id DESC"
        params: list[Any] = [storyline_id]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = [_story_row(row) for row in self._db.execute(sql, params)]
        return rows[::-1]

    def storyline_size(self, storyline_id: int) -> int:
        """How many stories one storyline holds."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM stories WHERE storyline_id = ?", (storyline_id,)
        ).fetchone()
        return int(row[0]) if row else 0

    def cluster_state_header(self) -> tuple[str, dict[str, Any]] | None:
        """The clusterer's saved settings key and small state (counters, clock, totals)."""
        row = self._db.execute(
            "SELECT settings, header FROM cluster_header WHERE id = 1"
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def cluster_stories(self) -> list[ClusterStoryState]:
        """The clusterer's saved active stories, least recently joined first."""
        rows = self._db.execute(
            "SELECT cluster_id, story_id, place, state FROM cluster_stories ORDER BY place"
        )
        return [
            ClusterStoryState(
                cluster_id=int(row[0]),
                story_id=None if row[1] is None else int(row[1]),
                place=int(row[2]),
                state=bytes(row[3]),
            )
            for row in rows
        ]

    def cluster_term_documents(self, view: str, terms: Sequence[str]) -> dict[str, int]:
        """How many clustered documents of ``view`` hold each of ``terms`` (absent: none)."""
        rows = self._rows_in(
            "SELECT term, documents FROM cluster_terms WHERE view_name = ? AND term IN ({marks})",
            list(dict.fromkeys(terms)),
            params=(view,),
            size=_TERM_BATCH,
        )
        return {str(row[0]): int(row[1]) for row in rows}

    def save_cluster_changes(self, changes: ClusterStateChanges) -> None:
        """Write what a clustering pass changed in the clusterer's saved state, in one go."""
        with self.transaction():
            self._write_cluster_changes(changes)

    def _write_cluster_changes(self, changes: ClusterStateChanges) -> None:
        if changes.fresh:
            for table in ("cluster_header", "cluster_stories", "cluster_terms"):
                self._db.execute(f"DELETE FROM {table}")
        self._db.execute(
            "INSERT INTO cluster_header (id, settings, header, updated_at) "
            "VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "settings = excluded.settings, header = excluded.header, "
            "updated_at = excluded.updated_at",
            (changes.settings, json.dumps(changes.header, separators=(",", ":")), _now()),
        )
        if changes.dropped:
            self._db.executemany(
                "DELETE FROM cluster_stories WHERE cluster_id = ?",
                [(cluster_id,) for cluster_id in changes.dropped],
            )
        if changes.stories:
            self._db.executemany(
                "INSERT INTO cluster_stories (cluster_id, story_id, place, state) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (cluster_id) DO UPDATE SET "
                "story_id = excluded.story_id, place = excluded.place, "
                "state = excluded.state",
                [(s.cluster_id, s.story_id, s.place, s.state) for s in changes.stories],
            )
        if changes.terms:
            self._db.executemany(
                "INSERT INTO cluster_terms (view_name, term, documents) VALUES (?, ?, ?) "
                "ON CONFLICT (view_name, term) DO UPDATE SET documents = excluded.documents",
                changes.terms,
            )

    def _split_cluster_state(self) -> None:
        """Move a saved whole-state document into rows, then drop it (migration 22)."""
        from nkwatch.cluster.state import cluster_state_rows

        row = self._db.execute("SELECT settings, state FROM cluster_state WHERE id = 1").fetchone()
        if row is not None:
            changes = cluster_state_rows(str(row[0]), json.loads(row[1]))
            if changes is not None:
                self._write_cluster_changes(changes)
        self._db.execute("DROP TABLE cluster_state")

    # -- summaries -----------------------------------------------------------------------------

    def articles_to_summarize(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """Articles without a summary of their current text (by id; ``after`` an id and
        ``limit`` page through them)."""
        return self._pending_by_id(SUMMARY_STAGE, "", after, limit)

    def save_summary(self, article_id: int, content_hash: str, sentences: list[str]) -> None:
        """Store an article's summary sentences (verbatim quotes, in order)."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO summaries (article_id, content_hash, sentences) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET content_hash = excluded.content_hash, "
                "sentences = excluded.sentences",
                (article_id, content_hash, json.dumps(sentences, ensure_ascii=False)),
            )
            self._done(SUMMARY_STAGE, article_id, "", content_hash=content_hash)

    def summary(self, article_id: int) -> list[str] | None:
        """An article's summary sentences."""
        row = self._db.execute(
            "SELECT sentences FROM summaries WHERE article_id = ?", (article_id,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    # -- digests -------------------------------------------------------------------------------

    def record_digest(self, since: datetime, until: datetime, stories: dict[int, int]) -> None:
        """Remember which stories (with how many articles) a digest of a window showed."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO digests (since, until, stories, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (since, until) DO UPDATE SET stories = excluded.stories, "
                "created_at = excluded.created_at",
                (to_iso(since), to_iso(until), json.dumps(stories), _now()),
            )

    def previous_digest(self, until: datetime) -> dict[str, Any] | None:
        """The latest recorded digest of a window ending before ``until``."""
        row = self._db.execute(
            "SELECT since, until, stories FROM digests WHERE until < ? ORDER BY until DESC LIMIT 1",
            (to_iso(until),),
        ).fetchone()
        if row is None:
            return None
        return {
            "since": from_iso(row[0]),
            "until": from_iso(row[1]),
            "stories": {int(k): v for k, v in json.loads(row[2]).items()},
        }

    # -- rejections, fetches, validators, runs ------------------------------------------------

    def record_rejection(self, rejected: RejectedInput, *, run_id: int | None = None) -> None:
        """Store why an input produced nothing; the same input and reason again bumps a count."""
        now = _now()
        with self.transaction():
            self._db.execute(
                "INSERT INTO rejections (source, reason, detail, first_seen, last_seen, run_id) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, reason) DO UPDATE SET "
                "detail = excluded.detail, last_seen = excluded.last_seen, "
                "times = rejections.times + 1, run_id = excluded.run_id",
                (rejected.source, rejected.reason.value, rejected.detail, now, now, run_id),
            )

    def rejections(self) -> list[Rejection]:
        """Every stored rejection, most recent first."""
        rows = self._db.execute("SELECT * FROM rejections ORDER BY last_seen DESC, id DESC")
        return [
            Rejection(
                r["source"],
                r["reason"],
                r["detail"],
                from_iso(r["first_seen"]) or datetime.now(UTC),
                from_iso(r["last_seen"]) or datetime.now(UTC),
                r["times"],
            )
            for r in rows
        ]

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The ETag and Last-Modified seen for a URL, for conditional GET."""
        row = self._db.execute(
            "SELECT etag, last_modified FROM http_validators WHERE url = ?", (url,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a URL's validators after a successful fetch."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO http_validators (url, etag, last_modified, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified, updated_at = excluded.updated_at",
                (url, etag, last_modified, _now()),
            )

    def record_fetch(self, log_entry: Any) -> None:
        """Append one fetch attempt to the fetch log (anything shaped like ``FetchLog``)."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO fetches "
                "(url, status, bytes, duration_ms, error, reason, not_modified, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    log_entry.url,
                    log_entry.status,
                    log_entry.bytes,
                    log_entry.duration_ms,
                    log_entry.error,
                    log_entry.reason,
                    int(bool(log_entry.not_modified)),
                    to_iso(log_entry.fetched_at),
                ),
            )

    def fetches(self, *, limit: int = 50) -> list[dict[str, Any]]:
        """The most recent fetch attempts."""
        rows = self._db.execute("SELECT * FROM fetches ORDER BY id DESC LIMIT ?", (limit,))
        return [dict(row) for row in rows]

    def start_run(self, command: str) -> int:
        """Open a run record; runs left open by a process that is gone are marked interrupted."""
        with self.transaction():
            for row in self._db.execute(
                "SELECT id, pid FROM runs WHERE finished_at IS NULL AND status = 'running'"
            ).fetchall():
                if not _process_alive(row["pid"]):
                    self._db.execute(
                        "UPDATE runs SET status = 'interrupted' WHERE id = ?", (row["id"],)
                    )
            cursor = self._db.execute(
                "INSERT INTO runs (command, started_at, status, pid) VALUES (?, ?, 'running', ?)",
                (command, _now(), os.getpid()),
            )
        return int(cursor.lastrowid or 0)

    def finish_run(
        self,
        run_id: int,
        counts: dict[str, int],
        *,
        status: str = "finished",
        internal_errors: int = 0,
        error: str | None = None,
    ) -> None:
        """Close a run record with its counts, its status and what went wrong inside it.

        ``status`` is ``finished``, ``errors`` (some articles failed a stage and were
        quarantined) or ``failed`` (the run stopped on an error, named in ``error``).
        """
        with self.transaction():
            self._db.execute(
                "UPDATE runs SET finished_at = ?, stored = ?, updated = ?, unchanged = ?, "
                "rejected = ?, status = ?, internal_errors = ?, error = ? WHERE id = ?",
                (
                    _now(),
                    counts.get("stored", 0),
                    counts.get("updated", 0),
                    counts.get("unchanged", 0),
                    counts.get("rejected", 0),
                    status,
                    internal_errors,
                    error,
                    run_id,
                ),
            )

    # -- ingest progress (resumable back-fill) -------------------------------------------------

    def save_ingest_progress(self, source: str, version: str, records: int) -> None:
        """Remember that the first ``records`` records of an archive are stored.

        ``version`` tells the archive's content apart (size and modification time): progress
        kept for another version of the file is ignored.
        """
        with self.transaction():
            self._db.execute(
                "INSERT INTO ingest_progress (source, version, records, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
                "version = excluded.version, records = excluded.records, "
                "updated_at = excluded.updated_at",
                (source, version, records, _now()),
            )

    def ingest_progress(self, source: str, version: str) -> int:
        """How many records of this version of an archive an interrupted ingest stored."""
        row = self._db.execute(
            "SELECT records FROM ingest_progress WHERE source = ? AND version = ?",
            (source, version),
        ).fetchone()
        return int(row[0]) if row else 0

    def clear_ingest_progress(self, source: str) -> None:
        """The archive was read to its end: a later ingest reads it again from the start."""
        with self.transaction():
            self._db.execute("DELETE FROM ingest_progress WHERE source = ?", (source,))

    # -- stage failures (quarantine) -----------------------------------------------------------

    def record_failure(
        self,
        article_id: int,
        stage: str,
        error_class: str,
        message: str,
        *,
        code_version: str,
        run_id: int | None = None,
    ) -> None:
        """Quarantine an article in a stage: the error is kept, the next run retries it."""
        now = _now()
        with self.transaction():
            self._db.execute(
                "INSERT INTO failures (article_id, stage, error_class, message, code_version, "
                "first_seen, last_seen, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (article_id, stage) DO UPDATE SET error_class = excluded.error_class,"
                " message = excluded.message, code_version = excluded.code_version, "
                "last_seen = excluded.last_seen, attempts = failures.attempts + 1, "
                "run_id = excluded.run_id",
                (article_id, stage, error_class, message[:2000], code_version, now, now, run_id),
            )

    def clear_failure(self, article_id: int, stage: str) -> None:
        """The article went through the stage: it leaves the quarantine."""
        with self.transaction():
            self._db.execute(
                "DELETE FROM failures WHERE article_id = ? AND stage = ?", (article_id, stage)
            )

    def failures(self, *, stage: str | None = None) -> list[StageFailure]:
        """Quarantined (article, stage) pairs, most recent first."""
        sql = "SELECT * FROM failures"
        params: tuple[Any, ...] = ()
        if stage is not None:
            sql += " WHERE stage = ?"
            params = (stage,)
        rows = self._db.execute(sql + " ORDER BY last_seen DESC, id DESC", params)
        return [
            StageFailure(
                article_id=r["article_id"],
                stage=r["stage"],
                error_class=r["error_class"],
                message=r["message"],
                code_version=r["code_version"],
                attempts=r["attempts"],
                first_seen=from_iso(r["first_seen"]) or datetime.now(UTC),
                last_seen=from_iso(r["last_seen"]) or datetime.now(UTC),
            )
            for r in rows
        ]

    def runs(self, *, limit: int = 10) -> list[dict[str, Any]]:
        """The most recent runs."""
        rows = self._db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return [dict(row) for row in rows]

    # -- identity protection -------------------------------------------------------------------

    def record_protection(self, boundary: str, articles: int, counts: dict[str, int]) -> None:
        """Log what one publication (digest, export ...) protected: counts only, never values."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO protection_log (boundary, articles, counts, created_at) "
                "VALUES (?, ?, ?, ?)",
                (boundary, articles, json.dumps(counts, sort_keys=True), _now()),
            )

    def protection_log(self, *, limit: int = 10) -> list[dict[str, Any]]:
        """The most recent publications and what they protected."""
        rows = self._db.execute(
            "SELECT * FROM protection_log ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [{**dict(row), "counts": json.loads(row["counts"])} for row in rows]

    def record_unprotected_export(self, target: str, fmt: str, articles: int) -> None:
        """Log an export that was written without protection (``--unprotected``)."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO unprotected_exports (target, format, articles, created_at) "
                "VALUES (?, ?, ?, ?)",
                (target, fmt, articles, _now()),
            )

    def unprotected_exports(self, *, limit: int = 10) -> list[dict[str, Any]]:
        """The most recent unprotected exports."""
        rows = self._db.execute(
            "SELECT * FROM unprotected_exports ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [dict(row) for row in rows]

    # -- watches and alerts --------------------------------------------------------------------

    _WATCH_FIELDS = (
        "name",
        "entity",
        "theme",
        "measure",
        "keyword",
        "outlet",
        "min_sources",
        "source",
        "silent_days",
        "webhook",
    )

    def add_watch(self, values: dict[str, Any]) -> int:
        """Store a watch rule (the fields of ``nkwatch.alerts.Watch``); returns its id."""
        names = [name for name in self._WATCH_FIELDS if name in values]
        with self.transaction():
            cursor = self._db.execute(
                f"INSERT INTO watches ({', '.join(names)}, created_at) "
                f"VALUES ({', '.join('?' for _ in names)}, ?)",
                (*(values[name] for name in names), _now()),
            )
        return int(cursor.lastrowid or 0)

    def watches(self) -> list[dict[str, Any]]:
        """Every watch rule, oldest first."""
        return [dict(row) for row in self._db.execute("SELECT * FROM watches ORDER BY id")]

    def get_watch(self, watch_id: int) -> dict[str, Any] | None:
        """One watch rule."""
        row = self._db.execute("SELECT * FROM watches WHERE id = ?", (watch_id,)).fetchone()
        return dict(row) if row else None

    def remove_watch(self, watch_id: int) -> bool:
        """Delete a watch and its alerts; whether it existed."""
        with self.transaction():
            cursor = self._db.execute("DELETE FROM watches WHERE id = ?", (watch_id,))
        return cursor.rowcount > 0

    def add_alert(self, values: dict[str, Any]) -> int | None:
        """Store an alert unless the watch already has one with the same key; its id if new."""
        with self.transaction():
            cursor = self._db.execute(
                "INSERT INTO alerts (watch_id, key, kind, story_id, article_id, title, "
                "detail, url, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (watch_id, key) DO NOTHING",
                (
                    values["watch_id"],
                    values["key"],
                    values["kind"],
                    values.get("story_id"),
                    values.get("article_id"),
                    values["title"],
                    values.get("detail", ""),
                    values.get("url"),
                    values.get("run_id"),
                    to_iso(values.get("created_at")) or _now(),
                ),
            )
        return int(cursor.lastrowid or 0) if cursor.rowcount else None

    def alerts(
        self, *, watch_id: int | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Alerts, newest first (of one watch, if given)."""
        where, params = ("WHERE watch_id = ?", [watch_id]) if watch_id is not None else ("", [])
        rows = self._db.execute(
            f"SELECT * FROM alerts {where} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [dict(row) for row in rows]

    def set_alert_delivery(self, alert_id: int, delivery: str) -> None:
        """Record how an alert's webhook delivery went."""
        with self.transaction():
            self._db.execute(
                "UPDATE alerts SET delivery = ? WHERE id = ?", (delivery[:500], alert_id)
            )

    def run_started(self, run_id: int) -> datetime | None:
        """When a run started."""
        row = self._db.execute("SELECT started_at FROM runs WHERE id = ?", (run_id,)).fetchone()
        return from_iso(row[0]) if row else None

    def articles_stored_since(self, moment: datetime) -> list[Article]:
        """Articles and digest items stored or changed at or after ``moment``, in id order."""
        rows = self._db.execute(
            # ``+id``: the order is sorted from the few recent rows the index finds, rather
            # than read by walking every row in id order and filtering it.
            "SELECT * FROM articles WHERE updated_at >= ? AND kind != 'digest-page' ORDER BY +id",
            (to_iso(moment),),
        )
        return [_row_to_article(row) for row in rows]

    def articles_by_arrival(
        self,
        *,
        offset: int,
        limit: int,
        outlet: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Article]:
        """Articles and digest items, last stored first (by id: stable pages for the API)."""
        where, params = _filters(
            since=since, until=until, kinds=("article", "digest-item"), outlet=outlet
        )
        rows = self._db.execute(
            f"SELECT * FROM articles {where} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_row_to_article(row) for row in rows]

    def latest_story_members(
        self,
        story_id: int,
        *,
        limit: int,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Article]:
        """A story's last stored ``limit`` members (in a window), oldest first.

        By arrival (id) rather than by date, so that the story index answers it without
        sorting every member of a long-running story.
        """
        where, params = _filters(since=since, until=until, kinds=None, outlet=None)
        where = where.replace("WHERE", "AND", 1)
        rows = self._db.execute(
            f"SELECT * FROM articles WHERE story_id = ? {where} ORDER BY id DESC LIMIT ?",
            (story_id, *params, limit),
        ).fetchall()
        return [_row_to_article(row) for row in reversed(rows)]

    def latest_member_themes(
        self,
        story_id: int,
        *,
        limit: int,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """The members :meth:`latest_story_members` returns, as listings read them: id, the
        original each copies, language and stored themes (None when not enriched).

        Neither texts nor the other enrichment are read: a listing decides a story's themes
        and languages from these alone.
        """
        where, params = _filters(since=since, until=until, kinds=None, outlet=None, alias="a")
        where = where.replace("WHERE", "AND", 1)
        rows = self._db.execute(
            "SELECT a.id, a.duplicate_of, a.language, e.themes FROM articles a "
            "LEFT JOIN enrichment e ON e.article_id = a.id "
            f"WHERE a.story_id = ? {where} ORDER BY a.id DESC LIMIT ?",
            (story_id, *params, limit),
        ).fetchall()
        return [
            {
                "id": int(row[0]),
                "duplicate_of": row[1],
                "language": row[2],
                "themes": None if row[3] is None else json.loads(row[3]),
            }
            for row in reversed(rows)
        ]

    def latest_stored_from(self, prefix: str) -> datetime | None:
        """When an article whose source starts with ``prefix`` was last stored or changed."""
        # Down the index of change times (migration 34) to the newest match, not every row.
        row = self._db.execute(
            "SELECT updated_at FROM articles WHERE substr(source, 1, ?) = ? "
            "ORDER BY updated_at DESC LIMIT 1",
            (len(prefix), prefix),
        ).fetchone()
        return from_iso(row[0]) if row and row[0] else None


class SQLiteStore(SQLStore):
    """The default store: one SQLite file in WAL mode."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._depth = 0
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"cannot open the store at {self.path}: {exc}. "
                "Check the path is writable, or pass another with --db / NKWATCH_DB."
            ) from exc

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def reusable(self) -> bool:
        """Never: a SQLite connection belongs to the thread that opened it, and opening one
        costs about a millisecond."""
        return False

    def _begin(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def _migrate(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS migrations "
            "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in self._db.execute("SELECT number FROM migrations")}
        for migration in MIGRATIONS:
            if migration.number in done:
                continue
            log.info("applying migration %03d %s", migration.number, migration.name)
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(migration.sql):
                    self._db.execute(statement)
                if migration.number in BACKFILLS:
                    getattr(self, BACKFILLS[migration.number])()
                self._db.execute(
                    "INSERT INTO migrations (number, name, applied_at) VALUES (?, ?, ?)",
                    (migration.number, migration.name, _now()),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _search_rows(
        self, query: str, where: str, params: Sequence[Any], limit: int
    ) -> list[RowLike]:
        match = fts_query(query)
        if not match:
            return []
        # Ranked on the index first, reading an article row only to apply a filter; whole rows
        # and snippets (which re-read each article's text) then for the hits kept alone. Asked
        # in one query, both were made for every match before the sort: a common word matches
        # a third of a large store. The index hands matches newest first and stops after
        # SEARCH_RECENT of them (see there).
        # The second query asks for no rank: each id of its list is a look-up of its own, and
        # bm25 would count the documents holding each word again for every one of them.
        join = "JOIN articles a ON a.id = articles_fts.rowid " if where else ""
        ranked = {
            row[0]: row[1]
            for row in self._db.execute(
                "SELECT id, rank FROM (SELECT articles_fts.rowid AS id, "
                "bm25(articles_fts, 5.0, 1.0) AS rank "
                f"FROM articles_fts {join}WHERE articles_fts MATCH ? {where} "
                "ORDER BY articles_fts.rowid DESC LIMIT ?) AS recent ORDER BY rank LIMIT ?",
                (match, *params, max(SEARCH_RECENT, limit), limit),
            )
        }
        place = {article_id: index for index, article_id in enumerate(ranked)}
        rows = self._rows_in(
            "SELECT a.*, snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snip "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND articles_fts.rowid IN ({marks})",
            list(ranked),
            params=(match,),
        )
        hits = sorted(rows, key=lambda row: place[row["id"]])
        return [_Ranked(row, ranked[row["id"]]) for row in hits]


class _Ranked:
    """A search row and the rank its first query gave it (read as ``row["rank"]``)."""

    __slots__ = ("_rank", "_row")

    def __init__(self, row: RowLike, rank: float) -> None:
        self._row = row
        self._rank = rank

    def __getitem__(self, key: int | str, /) -> Any:
        return self._rank if key == "rank" else self._row[key]

    def keys(self) -> list[str]:
        return [*self._row.keys(), "rank"]


def _process_alive(pid: int | None) -> bool:
    """Whether a process with this id still runs on this machine (a run it left open is live)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Transaction:
    """``BEGIN`` (holding the write lock) … ``COMMIT``, a ``SAVEPOINT`` when nested; rolled
    back on any exception."""

    def __init__(self, store: SQLStore) -> None:
        self._store = store
        self._savepoint: str | None = None

    def __enter__(self) -> None:
        store = self._store
        if store._depth == 0:
            store._begin()
        else:
            self._savepoint = f"nested_{store._depth}"
            store._db.execute(f"SAVEPOINT {self._savepoint}")
        store._depth += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        store = self._store
        store._depth -= 1
        db = store._db
        if self._savepoint is not None:
            if exc_type is not None:
                db.execute(f"ROLLBACK TO {self._savepoint}")
            db.execute(f"RELEASE {self._savepoint}")
        elif exc_type is None:
            db.execute("COMMIT")
        else:
            db.execute("ROLLBACK")


def _limit(limit: int | None) -> str:
    """A LIMIT clause only when a limit is given (portable: no ``LIMIT -1``)."""
    return "" if limit is None else f" LIMIT {int(limit)}"


def _after_arrival(after: int | None, alias: str) -> tuple[str, tuple[Any, ...]]:
    """The condition for rows after article ``after`` in arrival order (date, then id)."""
    if after is None:
        return "", ()
    return (
        f"AND (COALESCE({alias}.published, {alias}.fetched_at), {alias}.id) > "
        "(SELECT COALESCE(p.published, p.fetched_at), p.id FROM articles p WHERE p.id = ?)",
        (after,),
    )


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer: list[str] = []
    for line in script.strip().splitlines():
        buffer.append(line)
        candidate = "\n".join(buffer).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buffer = []
    if "\n".join(buffer).strip():
        statements.append("\n".join(buffer).strip())
    return statements


#: Share of the shorter text's words the longer must hold for two records to be one story.
_SHARED_WORDS = 0.6
_WORD = re.compile(r"\w+")


def _shares_words(first: str, second: str) -> bool:
    """True when most words of the shorter text occur in the longer (an excerpt and its page)."""
    short, long = sorted((first, second), key=len)
    short_words = {w.casefold() for w in _WORD.findall(short)}
    long_words = {w.casefold() for w in _WORD.findall(long)}
    if not short_words:
        return False
    return len(short_words & long_words) / len(short_words) >= _SHARED_WORDS


def _is_part_of(part: str, whole: str) -> bool:
    """True when ``whole`` is longer and holds all of ``part`` (spacing aside)."""
    part_words, whole_words = " ".join(part.split()), " ".join(whole.split())
    return len(whole_words) > len(part_words) and part_words in whole_words


def _article_values(article: Article) -> dict[str, Any]:
    return {
        "source_key": article.source_key,
        "kind": article.kind,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "outlet": article.outlet,
        "origin_outlet": article.origin.outlet if article.origin else None,
        "origin_url": article.origin.url if article.origin else None,
        "parent_id": article.parent_id,
        "item_index": article.item_index,
        "title": article.title,
        "text": article.text,
        "author": article.author,
        "published": to_iso(article.published),
        "published_from": article.published_from,
        "language": article.language,
        "fetched_at": to_iso(article.fetched_at),
        "source": article.source,
        "canonical_key": canonical_key(article.canonical_url or article.url)
        if article.kind == "article"
        else None,
    }


#: Query parameters that only say how a reader arrived (feed, newsletter, share button).
_TRACKING_PARAMETER = re.compile(
    r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref_src|cmpid)$", re.IGNORECASE
)


def canonical_key(url: str | None) -> str | None:
    """The URL that identifies one article: without fragment and tracking parameters.

    A feed's link (``...?utm_source=rss``) and the page's canonical URL give the same key.
    Only web URLs have one.
    """
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    parts = urlsplit(url.strip())
    if parts.path in ("", "/") and not parts.query:
        return None  # a site's home page names no one article
    query = [
        pair
        for pair in parts.query.split("&")
        if pair and not _TRACKING_PARAMETER.match(pair.split("=", 1)[0])
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(query), ""))


def _row_to_article(row: RowLike) -> Article:
    origin = None
    if row["origin_outlet"] or row["origin_url"]:
        origin = Origin(row["origin_outlet"], row["origin_url"])
    return Article(
        id=row["id"],
        source_key=row["source_key"],
        text=row["text"],
        title=row["title"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        outlet=row["outlet"],
        author=row["author"],
        published=from_iso(row["published"]),
        published_from=row["published_from"],
        language=row["language"],
        origin=origin,
        fetched_at=from_iso(row["fetched_at"]) or datetime.now(UTC),
        source=row["source"],
        item_index=row["item_index"],
        parent_id=row["parent_id"],
        is_digest_page=row["kind"] == "digest-page",
        duplicate_of=row["duplicate_of"],
        duplicate_kind=row["duplicate_kind"],
        story_id=row["story_id"],
    )


#: Entity mentions in original articles and digest items (copies repeat their original).
_ENTITY_ORIGINALS = (
    "FROM entity_mentions m JOIN articles a ON a.id = m.article_id WHERE m.original = 1 "
)


def entity_key(name: str) -> str:
    """How entity names are matched: whitespace-trimmed and case-folded."""
    return " ".join(name.split()).casefold()


def _entity_rows(mentions: Iterable[dict[str, Any]]) -> list[tuple[str, str, str, int, int]]:
    """One row per entity an article mentions: key, name, type, known, mention count."""
    found: dict[str, list[Any]] = {}
    for mention in mentions:
        name = str(mention.get("canonical") or "").strip()
        if not name:
            continue
        key = entity_key(name)
        row = found.setdefault(key, [name, str(mention.get("type") or ""), 0, 0])
        row[2] = max(row[2], 1 if mention.get("known") else 0)
        row[3] += 1
    return [(key, name, kind, known, count) for key, (name, kind, known, count) in found.items()]


def _story_row(row: RowLike) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "first_seen": from_iso(row["first_seen"]),
        "last_seen": from_iso(row["last_seen"]),
        "articles": row["articles"],
        "independent_sources": row["independent_sources"],
        "outlets": json.loads(row["outlets"]),
        "storyline_id": row["storyline_id"] if "storyline_id" in row.keys() else None,  # noqa: SIM118
    }


def _filters(
    *,
    since: datetime | None,
    until: datetime | None,
    kinds: Iterable[str] | None,
    outlet: str | None,
    alias: str = "",
) -> tuple[str, list[Any]]:
    prefix = f"{alias}." if alias else ""
    clauses: list[str] = []
    params: list[Any] = []
    date = f"COALESCE({prefix}published, {prefix}fetched_at)"
    if since is not None:
        clauses.append(f"{date} >= ?")
        params.append(to_iso(since))
    if until is not None:
        clauses.append(f"{date} <= ?")
        params.append(to_iso(until))
    if kinds is not None:
        kinds = list(kinds)
        clauses.append(f"{prefix}kind IN ({', '.join('?' for _ in kinds)})")
        params.extend(kinds)
    if outlet:
        clauses.append(f"LOWER({prefix}outlet) = LOWER(?)")
        params.append(outlet)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
