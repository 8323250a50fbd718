"""The store protocol: what every store (SQLite, PostgreSQL) offers the rest of nkwatch.

Modules outside ``nkwatch.store`` type their store as :class:`Store` and open one with
``nkwatch.store.open_store``, never naming a concrete class.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from nkwatch.errors import RejectedInput
from nkwatch.record import Article
from nkwatch.store.records import (
    ClusterStateChanges,
    ClusterStoryState,
    Rejection,
    SaveResult,
    SearchHit,
    StageFailure,
)


class Store(Protocol):
    """A store of articles and everything learned about them (see ``nkwatch.store.sqlite``)."""

    def close(self) -> None:
        """Close the connection."""
        ...

    def reusable(self) -> bool:
        """Whether this open store may serve another caller, on any thread, once the present
        one is done with it: no transaction open and a connection that is still alive."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def applied_migrations(self) -> list[tuple[int, str]]:
        """The migrations recorded in this database, in order."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """One atomic unit of writes; nested units are savepoints that roll back on their own.

        A stage wraps a batch of articles in one transaction and each article in a nested one,
        so a failing article loses only its own writes and a kill loses only the open batch.
        """
        ...

    def save_article(self, article: Article) -> SaveResult:
        """Insert a new article, update one whose content changed, or leave an identical one."""
        ...

    def save_articles(self, articles: Sequence[Article]) -> list[SaveResult]:
        """Save a digest page and its items (or any group) in one transaction.

        Items carrying ``parent_hash`` are tied to the page with that content hash saved earlier
        in the same call.
        """
        ...

    def get_article(self, article_id: int) -> Article | None:
        """One article by id."""
        ...

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
        ...

    def count_articles(self) -> dict[str, int]:
        """How many articles of each kind are stored."""
        ...

    def latest_date(self) -> datetime | None:
        """The newest publication date in the store (the newest fetch time when none has one)."""
        ...

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
        ...

    def articles_without_fingerprint(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """Articles and digest items not yet seen by de-duplication, in arrival order."""
        ...

    def recheck_pending(self) -> None:
        """Have every stage find its pending work from the whole store on its next read (the
        store otherwise keeps each stage's pending articles as they arrive and are done)."""
        ...

    def save_fingerprints(
        self,
        article_id: int,
        entries: Sequence[tuple[int, str, int, bytes, list[tuple[int, bytes]]]],
    ) -> None:
        """Store (paragraph, text hash, words, signature, LSH keys) rows for one article."""
        ...

    def ids_with_text_hash(self, digest: str) -> list[int]:
        """Articles whose whole normalised body has this hash."""
        ...

    def bucket_hits(
        self, keys: Sequence[tuple[int, bytes]], *, paragraphs: bool
    ) -> set[tuple[int, int]]:
        """(article id, paragraph) pairs sharing any LSH bucket with ``keys``."""
        ...

    def bucket_members(
        self, keys: Iterable[tuple[int, bytes]]
    ) -> dict[tuple[int, bytes], list[tuple[int, int]]]:
        """Every stored (article id, paragraph) in each LSH bucket of ``keys``."""
        ...

    def signatures(self, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        """Stored MinHash signatures of (article id, paragraph) pairs; missing pairs left out."""
        ...

    def signature(self, article_id: int, paragraph: int = -1) -> tuple[bytes, int] | None:
        """A stored MinHash signature and the text's word count."""
        ...

    def set_duplicate(
        self, article_id: int, duplicate_of: int | None, kind: str | None, similarity: float | None
    ) -> None:
        """Mark (or unmark) an article as a copy of another."""
        ...

    def copies_of(self, article_id: int) -> list[int]:
        """Articles marked as copies of ``article_id``."""
        ...

    def find_by_url(self, url: str) -> int | None:
        """An article fetched from, or declaring as canonical, this URL."""
        ...

    def articles_to_enrich(
        self, profile: str, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """Articles with no enrichment, or one made with another profile."""
        ...

    def save_enrichment(self, article_id: int, profile: str, data: dict[str, Any]) -> None:
        """Store an article's themes, entities and figures (JSON lists)."""
        ...

    def enrichment(self, article_id: int) -> dict[str, Any] | None:
        """An article's stored themes, entities and figures."""
        ...

    def articles_to_protect(
        self, version: str, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """Articles with no stored protection analysis, or one made by another version."""
        ...

    def save_protection_analysis(
        self, article_id: int, text_hash: str, version: str, detections: list[list[Any]]
    ) -> None:
        """Store the detections found in an article's text (its hash) by a protection version."""
        ...

    def protection_analyses(
        self, article_ids: Sequence[int], version: str
    ) -> dict[int, tuple[str, list[list[Any]]]]:
        """Stored analyses of these articles made by ``version``: id → (text hash, detections)."""
        ...

    def save_text_analyses(
        self, version: str, analyses: Sequence[tuple[str, list[list[Any]]]]
    ) -> None:
        """Store the detections found in texts judged alone (by their hash) by a protection
        version, replacing what another version stored for the same text."""
        ...

    def text_analyses(self, text_hashes: Sequence[str], version: str) -> dict[str, list[list[Any]]]:
        """Stored analyses of texts judged alone, made by ``version``: text hash → detections."""
        ...

    def story_summary(self, story_id: int) -> tuple[str, list[list[Any]]] | None:
        """A story's stored multi-source summary: (digest of its inputs, sentence rows)."""
        ...

    def save_story_summary(
        self,
        story_id: int,
        inputs: str,
        sentences: list[list[Any]],
        *,
        story_updated: str | None = None,
    ) -> None:
        """Store a story's multi-source summary with the digest of what it was made from."""
        ...

    def stories_to_summarize(self) -> list[tuple[int, str]]:
        """Stories changed since their summary was stored, or without one: (id, updated_at)."""
        ...

    def iter_figures(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """Stored figures of original articles (copies repeat their original's figures)."""
        ...

    def articles_without_story(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """De-duplicated articles and digest items not yet in a story, in arrival order."""
        ...

    def max_story_id(self) -> int:
        """The highest story id ever handed out (0 when there is none)."""
        ...

    def set_story(self, article_id: int, story_id: int) -> None:
        """Put one article in a story."""
        ...

    def move_story(self, absorbed: int, into: int) -> None:
        """Merge story ``absorbed`` into ``into``."""
        ...

    def delete_story(self, story_id: int) -> None:
        """Remove a story row that has no members left."""
        ...

    def story_facts(self, story_id: int, *, titles: int = 50) -> dict[str, Any] | None:
        """What a story's summary row needs, without loading every member's text.

        Counts, dates, outlets and duplicate links of all members; the first ``titles``
        members in full (for the representative headline).
        """
        ...

    def story_members(
        self,
        story_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[Article]:
        """A story's articles in arrival order (within a window, the latest ``limit`` of them)."""
        ...

    def headline_article(self, story_id: int, title: str) -> Article | None:
        """The story's earliest article whose headline is ``title`` (the one a story title is
        taken from), if any."""
        ...

    def save_story(self, row: dict[str, Any]) -> None:
        """Insert or replace a story's summary row (id, title, dates, counts, outlets)."""
        ...

    def stories(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        min_sources: int = 0,
    ) -> list[dict[str, Any]]:
        """Stories active in a window (last seen after ``since``), most sources first."""
        ...

    def get_story(self, story_id: int) -> dict[str, Any] | None:
        """One story's summary row."""
        ...

    def set_storyline(self, story_id: int, storyline_id: int) -> None:
        """Put one story in a storyline (a thread of stories over months)."""
        ...

    def storyline_of(self, story_id: int) -> int | None:
        """The storyline a story belongs to, if it has been linked."""
        ...

    def storylines(self, *, min_stories: int = 1) -> list[dict[str, Any]]:
        """Storylines with their story ids (oldest first), most stories first."""
        ...

    def storyline_stories(
        self, storyline_id: int, *, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """The summary rows of one storyline's stories, the latest ``limit`` of them, oldest first.

        Read through the storyline index, so the cost follows the storyline, not the store.
        """
        ...

    def storyline_size(self, storyline_id: int) -> int:
        """How many stories one storyline holds."""
        ...

    def cluster_state_header(self) -> tuple[str, dict[str, Any]] | None:
        """The clusterer's saved settings key and small state (counters, clock, totals)."""
        ...

    def cluster_stories(self) -> list[ClusterStoryState]:
        """The clusterer's saved active stories, least recently joined first."""
        ...

    def cluster_term_documents(self, view: str, terms: Sequence[str]) -> dict[str, int]:
        """How many clustered documents of ``view`` hold each of ``terms`` (absent: none)."""
        ...

    def save_cluster_changes(self, changes: ClusterStateChanges) -> None:
        """Write what a clustering pass changed in the clusterer's saved state, in one go."""
        ...

    def articles_to_summarize(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """Articles without a summary of their current text."""
        ...

    def save_summary(self, article_id: int, content_hash: str, sentences: list[str]) -> None:
        """Store an article's summary sentences (verbatim quotes, in order)."""
        ...

    def summary(self, article_id: int) -> list[str] | None:
        """An article's summary sentences."""
        ...

    def record_digest(self, since: datetime, until: datetime, stories: dict[int, int]) -> None:
        """Remember which stories (with how many articles) a digest of a window showed."""
        ...

    def previous_digest(self, until: datetime) -> dict[str, Any] | None:
        """The latest recorded digest of a window ending before ``until``."""
        ...

    def record_rejection(self, rejected: RejectedInput, *, run_id: int | None = None) -> None:
        """Store why an input produced nothing; the same input and reason again bumps a count."""
        ...

    def rejections(self) -> list[Rejection]:
        """Every stored rejection, most recent first."""
        ...

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The ETag and Last-Modified seen for a URL, for conditional GET."""
        ...

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a URL's validators after a successful fetch."""
        ...

    def record_fetch(self, log_entry: Any) -> None:
        """Append one fetch attempt to the fetch log (anything shaped like ``FetchLog``)."""
        ...

    def fetches(self, *, limit: int = 50) -> list[dict[str, Any]]:
        """The most recent fetch attempts."""
        ...

    def start_run(self, command: str) -> int:
        """Open a run record; runs left open by a process that is gone are marked interrupted."""
        ...

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
        ...

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
        ...

    def clear_failure(self, article_id: int, stage: str) -> None:
        """The article went through the stage: it leaves the quarantine."""
        ...

    def failures(self, *, stage: str | None = None) -> list[StageFailure]:
        """Quarantined (article, stage) pairs, most recent first."""
        ...

    def runs(self, *, limit: int = 10) -> list[dict[str, Any]]:
        """The most recent runs."""
        ...

    def record_protection(self, boundary: str, articles: int, counts: dict[str, int]) -> None:
        """Log what one publication (digest, export ...) protected: counts only, never values."""
        ...

    def protection_log(self, *, limit: int = 10) -> list[dict[str, Any]]:
        """The most recent publications and what they protected."""
        ...

    def record_unprotected_export(self, target: str, fmt: str, articles: int) -> None:
        """Log an export that was written without protection (``--unprotected``)."""
        ...

    def unprotected_exports(self, *, limit: int = 10) -> list[dict[str, Any]]:
        """The most recent unprotected exports."""
        ...

    def add_watch(self, values: dict[str, Any]) -> int:
        """Store a watch rule (the fields of ``nkwatch.alerts.Watch``); returns its id."""
        ...

    def watches(self) -> list[dict[str, Any]]:
        """Every watch rule, oldest first."""
        ...

    def get_watch(self, watch_id: int) -> dict[str, Any] | None:
        """One watch rule."""
        ...

    def remove_watch(self, watch_id: int) -> bool:
        """Delete a watch and its alerts; whether it existed."""
        ...

    def add_alert(self, values: dict[str, Any]) -> int | None:
        """Store an alert unless the watch already has one with the same key; its id if new."""
        ...

    def alerts(
        self, *, watch_id: int | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Alerts, newest first (of one watch, if given)."""
        ...

    def set_alert_delivery(self, alert_id: int, delivery: str) -> None:
        """Record how an alert's webhook delivery went."""
        ...

    def run_started(self, run_id: int) -> datetime | None:
        """When a run started."""
        ...

    def articles_stored_since(self, moment: datetime) -> list[Article]:
        """Articles and digest items stored or changed at or after ``moment``, in id order."""
        ...

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
        ...

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
        ...

    def latest_member_themes(
        self,
        story_id: int,
        *,
        limit: int,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """The members ``latest_story_members`` returns, as listings read them: id, the original
        each copies, language and stored themes (None when not enriched)."""
        ...

    def latest_stored_from(self, prefix: str) -> datetime | None:
        """When an article whose source starts with ``prefix`` was last stored or changed."""
        ...

    def entity_counts(
        self, *, known_only: bool = True, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Entities by how many original articles mention them."""
        ...

    def entity_total(self, *, known_only: bool = True) -> int:
        """How many entities :meth:`entity_counts` lists in all."""
        ...

    def entity_name(self, name: str) -> dict[str, Any] | None:
        """An entity's stored name, type and whether the profile knows it."""
        ...

    def entity_days(self, name: str) -> list[tuple[str, int]]:
        """Original articles mentioning an entity per day."""
        ...

    def entity_stories(self, name: str, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Stories with original articles mentioning an entity."""
        ...

    def entity_articles(self, name: str, *, offset: int = 0, limit: int = 20) -> list[Article]:
        """Original articles mentioning an entity, newest first."""
        ...

    def save_ingest_progress(self, source: str, version: str, records: int) -> None:
        """Remember that the first ``records`` records of an archive are stored."""
        ...

    def ingest_progress(self, source: str, version: str) -> int:
        """How many records of this version of an archive an interrupted ingest stored."""
        ...

    def clear_ingest_progress(self, source: str) -> None:
        """The archive was read to its end: a later ingest reads it again from the start."""
        ...
