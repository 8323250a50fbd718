"""The runner: moves records through the stages, in order, in batches, on an executor.

Stages are functions over typed records: a raw document becomes articles (extraction), an
article gets its fingerprints, enrichment, summary and protection analysis. The work that needs
no shared state (all of those) fans out over an :mod:`executor <nkwatch.executors>` in
chunks; one writer, in this process, applies what depends on order (storing in input order,
de-duplication, story assignment in arrival order) and commits once per batch. Results come
back in the order the work was handed out, so the store does not depend on the executor.

A failing article is caught where its work ran and recorded by the writer as a quarantined
failure (article, stage, error), exactly as :mod:`nkwatch.isolation` does in-process; the next
run retries it. Pending work is read from the store page by page, never all at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import partial
from itertools import chain, islice
from types import TracebackType
from typing import Any, Generic, TypeVar

from nkwatch import summarize
from nkwatch.dedup import STAGE as DEDUP_STAGE
from nkwatch.dedup import Deduplicator, DedupReport, DedupSettings, Entry, fingerprint_entries
from nkwatch.enrich import apply
from nkwatch.enrich.apply import EnrichReport, profile_key
from nkwatch.enrich.profile import Profile
from nkwatch.errors import BudgetExceeded, Reason, RejectedInput
from nkwatch.executors import Executor
from nkwatch.extract import ExtractOptions, extract_document, extract_record
from nkwatch.isolation import Isolation, time_budget, waits
from nkwatch.protect.stage import STAGE as PROTECT_STAGE
from nkwatch.protect.stage import Protector, analysis_rows
from nkwatch.record import Article, RawDocument
from nkwatch.store import Store
from nkwatch.store.pages import iter_pages
from nkwatch.story_summaries import (
    PAGE_MEMBERS,
    inputs_digest,
    made_summary,
    page_selection,
    story_members,
)
from nkwatch.summarize import STAGE as SUMMARY_STAGE
from nkwatch.summarize import StoryMember

__all__ = [
    "Ahead",
    "ArchiveEnd",
    "ExtractJob",
    "Note",
    "Outcome",
    "Runner",
    "Unit",
    "extract_units",
    "per_article",
    "per_story",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
V = TypeVar("V")

#: Inputs (documents) per extraction task, and articles per task of a per-article stage: large
#: enough that handing a task over costs little next to its work.
DOCUMENTS_PER_TASK = 8
ARTICLES_PER_TASK = 16
#: Stories per task of the story-summary stage (each reads up to a dozen articles).
STORIES_PER_TASK = 4
#: Writes committed together (one transaction per batch).
BATCH = 64
#: Pending articles read from the store at a time.
PAGE = 512


# -- work units -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Note:
    """An input that needs no work but is counted (a page that was not modified)."""

    location: str
    outcome: str


@dataclass(frozen=True, slots=True)
class ArchiveEnd:
    """An archive was read to its end: its resume point is cleared."""

    source: str


@dataclass(frozen=True, slots=True)
class Unit:
    """One input for the writer, in order: a document or record to extract, a rejection, a note.

    ``archive`` is (archive, version, records read) for a record of a web archive: once the
    unit is written, an interrupted ingest resumes after it.
    """

    item: RawDocument | Article | RejectedInput | Note | ArchiveEnd
    archive: tuple[str, str, int] | None = None


@dataclass(frozen=True, slots=True)
class ExtractJob:
    """What extraction needs to know, sent with every extraction task."""

    options: ExtractOptions
    max_document_bytes: int
    document_seconds: float | None


@dataclass(frozen=True, slots=True)
class Outcome(Generic[V]):
    """What a per-article task gave: a value, or the error that stopped it."""

    value: V | None = None
    error_class: str | None = None
    message: str = ""

    @property
    def failed(self) -> bool:
        """Whether the task raised."""
        return self.error_class is not None


# -- tasks (run on the executor) --------------------------------------------------------------


def extract_units(
    job: ExtractJob, units: Sequence[Unit]
) -> list[list[Article] | RejectedInput | None]:
    """Extraction of a chunk of units: articles, or a rejection, for each (None: nothing to do)."""
    return [_extract_one(job, unit.item) for unit in units]


def _extract_one(
    job: ExtractJob, item: RawDocument | Article | RejectedInput | Note | ArchiveEnd
) -> list[Article] | RejectedInput | None:
    if not isinstance(item, RawDocument | Article):
        return None
    location = item.location if isinstance(item, RawDocument) else (item.source_key or "record")
    try:
        if isinstance(item, RawDocument) and len(item.content) > job.max_document_bytes:
            raise RejectedInput(
                location,
                Reason.TOO_LARGE,
                f"{len(item.content):,} bytes is over the {job.max_document_bytes:,}-byte "
                "document limit ([ingest] max_document_bytes)",
            )
        try:
            with time_budget(job.document_seconds, what="extraction"):
                if isinstance(item, RawDocument):
                    return extract_document(item, options=job.options)
                return [extract_record(item, options=job.options)]
        except BudgetExceeded as exc:
            raise RejectedInput(
                location,
                Reason.OVER_BUDGET,
                f"{exc}; raise [ingest] document_seconds to allow more",
            ) from exc
    except RejectedInput as rejected:
        return rejected
    except Exception as exc:  # a bug on one input must not lose the rest of the batch
        log.exception("unexpected failure on %s", location)
        return RejectedInput(
            location,
            Reason.INTERNAL,
            f"{type(exc).__name__}: {exc} (please report this with the input)",
        )


def per_article(
    work: Callable[[Article], V], budget: float | None, articles: Sequence[Article]
) -> list[Outcome[V]]:
    """``work`` over each article of a chunk, each within its time budget; errors are kept."""
    outcomes: list[Outcome[V]] = []
    for article in articles:
        try:
            with time_budget(budget, what=f"article {article.id}"):
                outcomes.append(Outcome(value=work(article)))
        except Exception as exc:
            log.debug("article %s failed", article.id, exc_info=True)
            outcomes.append(Outcome(error_class=type(exc).__name__, message=str(exc) or repr(exc)))
    return outcomes


def per_story(
    budget: float | None, stories: Sequence[tuple[int, list[StoryMember]]]
) -> list[Outcome[tuple[str, list[list[Any]]]]]:
    """The multi-source summary of each story of a chunk (its id, the members it summarises),
    each within its time budget; errors are kept."""
    outcomes: list[Outcome[tuple[str, list[list[Any]]]]] = []
    for story_id, members in stories:
        try:
            with time_budget(budget, what=f"story {story_id}"):
                outcomes.append(Outcome(value=made_summary(members)))
        except Exception as exc:
            log.debug("story %s failed", story_id, exc_info=True)
            outcomes.append(Outcome(error_class=type(exc).__name__, message=str(exc) or repr(exc)))
    return outcomes


def fingerprints_of(settings: DedupSettings, article: Article) -> list[Entry]:
    """De-duplication's per-article half: the fingerprints of the article's text."""
    return fingerprint_entries(article.text, settings)


def enrichment_of(profile: Profile, outlets: tuple[str, ...], article: Article) -> dict[str, Any]:
    """Enrichment of one article (themes, entities, figures) with the watch profile and the
    names of the known outlets."""
    return apply.enrich_article(article, profile=profile, outlets=outlets)


def summary_of(max_sentences: int, article: Article) -> list[str]:
    """The summary sentences of one article."""
    sentences = summarize.summarize_article(
        title=article.title or "",
        text=article.text,
        article_id=article.id,
        max_sentences=max_sentences,
    )
    return [sentence.text for sentence in sentences]


# -- a stage run ahead of its turn -------------------------------------------------------------


class Ahead(Generic[V]):
    """The first page of a per-article stage's work, started on the executor before its turn.

    A stage that reads nothing the other stages write (identity protection reads only the
    stored text) can run while this process does the work that must go in order (matching
    copies, assigning stories) and while the other stages wait for their last task: the workers
    would be idle then. A thread hands the tasks over, ``window`` at a time so that the stages
    in line are not queued behind all of them, and keeps the outcomes; it never touches the
    store. The outcomes are written, in order, when the stage's turn comes (:meth:`Runner.protect`).
    """

    def __init__(
        self,
        executor: Executor,
        task: Callable[[list[Article]], list[Outcome[V]]],
        chunks: list[list[Article]],
        window: int,
    ) -> None:
        self.chunks = chunks
        self._outcomes: list[list[Outcome[V]]] = []
        self._error: BaseException | None = None
        self._stop = threading.Event()

        def feed() -> Iterator[list[Article]]:
            for chunk in chunks:
                if self._stop.is_set():
                    return
                yield chunk

        def run() -> None:
            try:
                for outcomes in executor.map(task, feed(), window=window):
                    self._outcomes.append(outcomes)
            except BaseException as exc:  # handed to the writer when it asks for the outcomes
                self._error = exc

        self._thread = threading.Thread(target=run, name="nkwatch-ahead", daemon=True)
        self._thread.start()

    def results(self) -> Iterator[tuple[list[Article], list[Outcome[V]]]]:
        """Each chunk with its outcomes, in order, once every task has come back."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return zip(self.chunks, self._outcomes, strict=True)

    def cancel(self) -> None:
        """Hand over no more tasks and wait for those in flight (their outcomes are dropped)."""
        self._stop.set()
        self._thread.join()


# -- the writer -------------------------------------------------------------------------------


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last one shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Batches:
    """Writes committed in batches: a transaction opens at the first write of a batch and
    commits once ``size`` records are written, or when the block ends (rolled back on an
    error)."""

    def __init__(self, store: Store, size: int) -> None:
        self.store = store
        self.size = size
        self._written = 0
        self._transaction: AbstractContextManager[Any] | None = None

    def __enter__(self) -> Batches:
        return self

    def begin(self) -> None:
        """Open the batch's transaction unless one is open."""
        if self._transaction is None:
            self._transaction = self.store.transaction()
            self._transaction.__enter__()

    def wrote(self, count: int) -> None:
        """``count`` more records are written: commit when the batch is full."""
        self._written += count
        if self._written >= self.size:
            self._end(None, None, None)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._end(exc_type, exc, tb)

    def _end(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        transaction, self._transaction, self._written = self._transaction, None, 0
        if transaction is not None:
            transaction.__exit__(exc_type, exc, tb)


class Runner:
    """Runs the stages over an executor, writing through one store in one place."""

    def __init__(
        self,
        store: Store,
        executor: Executor,
        *,
        budget_seconds: float | None = None,
        batch: int | None = None,
        page: int | None = None,
    ) -> None:
        self.store = store
        self.executor = executor
        self.budget_seconds = budget_seconds
        self.batch = batch or BATCH
        self.page = page or PAGE

    # -- ingest ---------------------------------------------------------------------------

    def ingest(
        self,
        units: Iterable[Unit],
        job: ExtractJob,
        *,
        on_rejected: Callable[[RejectedInput], None],
        on_outcome: Callable[[str], None],
    ) -> None:
        """Extract ``units`` on the executor and store the articles in input order."""
        chunks = chunked(units, DOCUMENTS_PER_TASK)
        pairs = (
            (chunk, results)
            for chunk, results in _zip_lazy(chunks, partial(extract_units, job), self.executor)
        )
        with Batches(self.store, self.batch) as batches:
            for chunk, results in pairs:
                batches.begin()
                for unit, result in zip(chunk, results, strict=True):
                    self._write_unit(unit, result, on_rejected, on_outcome)
                batches.wrote(len(chunk))

    def _write_unit(
        self,
        unit: Unit,
        result: list[Article] | RejectedInput | None,
        on_rejected: Callable[[RejectedInput], None],
        on_outcome: Callable[[str], None],
    ) -> None:
        item = unit.item
        if isinstance(item, RejectedInput):
            on_rejected(item)
        elif isinstance(item, Note):
            log.info("%s: %s", item.location, item.outcome)
            on_outcome(item.outcome)
        elif isinstance(item, ArchiveEnd):
            self.store.clear_ingest_progress(item.source)
        elif isinstance(result, RejectedInput):
            on_rejected(result)
        elif result is not None:
            try:
                for saved in self.store.save_articles(result):
                    on_outcome(saved.outcome)
            except Exception as exc:  # one input's failure to store must not lose the batch
                log.exception("unexpected failure storing %s", _location(item))
                on_rejected(
                    RejectedInput(
                        _location(item),
                        Reason.INTERNAL,
                        f"{type(exc).__name__}: {exc} (please report this with the input)",
                    )
                )
        if unit.archive is not None:
            source, version, records = unit.archive
            self.store.save_ingest_progress(source, version, records)

    # -- later stages ---------------------------------------------------------------------

    def _fan_out(
        self,
        stage: str,
        fetch: Callable[..., list[Article]],
        work: Callable[[Article], V],
        write: Callable[[Article, V], None],
        isolation: Isolation,
        ahead: Ahead[V] | None = None,
    ) -> None:
        """``work`` over every pending article on the executor, ``write`` in order, in batches;
        what ``ahead`` already did is written first."""
        todo = self._pending(stage, fetch, isolation)
        task = partial(per_article, work, self.budget_seconds)
        done = ahead.results() if ahead is not None else iter(())
        rest = _zip_lazy(chunked(todo, ARTICLES_PER_TASK), task, self.executor)
        with Batches(self.store, self.batch) as batches:
            for chunk, outcomes in chain(done, rest):
                batches.begin()
                for article, outcome in zip(chunk, outcomes, strict=True):
                    assert article.id is not None
                    if outcome.failed:
                        error = outcome.error_class or "Exception"
                        isolation.fail(stage, article.id, error, outcome.message)
                        continue
                    with isolation.article(stage, article.id, budget=False):
                        write(article, outcome.value)  # type: ignore[arg-type]
                batches.wrote(len(chunk))

    def _pending(
        self, stage: str, fetch: Callable[..., list[Article]], isolation: Isolation
    ) -> Iterator[Article]:
        """A stage's pending articles, page by page, less those it leaves for a retry."""
        return (
            article
            for article in iter_pages(fetch, size=self.page)
            if article.id is not None and not waits(isolation, stage, article.id)
        )

    def deduplicate(
        self, isolation: Isolation, *, settings: DedupSettings | None = None
    ) -> DedupReport:
        """De-duplication: fingerprints on the executor, matching and linking in arrival order."""
        deduplicator = Deduplicator(self.store, settings=settings)
        report = DedupReport()

        def write(article: Article, entries: list[Entry]) -> None:
            match = deduplicator.check(article, entries)
            report.checked += 1
            if match is not None:
                setattr(report, match.kind, getattr(report, match.kind) + 1)

        self._fan_out(
            DEDUP_STAGE,
            self.store.articles_without_fingerprint,
            partial(fingerprints_of, deduplicator.settings),
            write,
            isolation,
        )
        return report

    def enrich(
        self, isolation: Isolation, *, profile: Profile, outlets: Sequence[str] = ()
    ) -> EnrichReport:
        """Enrichment of every article that lacks one made with ``profile`` and ``outlets``."""
        names = tuple(outlets)
        key = profile_key(profile, names)
        report = EnrichReport()

        def write(article: Article, data: dict[str, Any]) -> None:
            assert article.id is not None
            self.store.save_enrichment(article.id, key, data)
            report.articles += 1
            report.themes += len(data["themes"])
            report.entities += len(data["entities"])
            report.figures += len(data["figures"])

        self._fan_out(
            apply.STAGE,
            partial(self.store.articles_to_enrich, key),
            partial(enrichment_of, profile, names),
            write,
            isolation,
        )
        return report

    def summarize(self, isolation: Isolation, *, max_sentences: int = 3) -> int:
        """Summaries of every article whose text has none; returns how many were made."""
        done = 0

        def write(article: Article, sentences: list[str]) -> None:
            nonlocal done
            self.store.save_summary(article.id or 0, article.content_hash, sentences)
            done += 1

        self._fan_out(
            SUMMARY_STAGE,
            self.store.articles_to_summarize,
            partial(summary_of, max_sentences),
            write,
            isolation,
        )
        return done

    def summarize_stories(self) -> int:
        """The multi-source summary of every story changed since its summary was stored (or
        without one), as a story page shows it, made on the executor and stored with the digest
        of its inputs; returns how many were made. A story whose summary fails is logged and
        left to be made when it is first read."""
        done = 0

        def pending() -> Iterator[tuple[int, str, list[StoryMember]]]:
            for story_id, updated in self.store.stories_to_summarize():
                members = self.store.latest_story_members(story_id, limit=PAGE_MEMBERS)
                yield story_id, updated, story_members(page_selection(members))

        def unchanged(item: tuple[int, str, list[StoryMember]]) -> bool:
            story_id, updated, members = item
            stored = self.store.story_summary(story_id)
            if stored is None or stored[0] != inputs_digest(members):
                return False
            self.store.save_story_summary(story_id, stored[0], stored[1], story_updated=updated)
            return True

        todo = (item for item in pending() if not unchanged(item))
        task = partial(_summarize_chunk, self.budget_seconds)
        with Batches(self.store, self.batch) as batches:
            for chunk, outcomes in _zip_lazy(chunked(todo, STORIES_PER_TASK), task, self.executor):
                batches.begin()
                for (story_id, updated, _), outcome in zip(chunk, outcomes, strict=True):
                    if outcome.failed or outcome.value is None:
                        log.warning(
                            "story %d: summary not made (%s: %s); made when first read",
                            story_id,
                            outcome.error_class,
                            outcome.message,
                        )
                        continue
                    digest, rows = outcome.value
                    self.store.save_story_summary(story_id, digest, rows, story_updated=updated)
                    done += 1
                batches.wrote(len(chunk))
        return done

    def protect_ahead(self, isolation: Isolation, *, protector: Protector) -> Ahead[Any] | None:
        """Identity protection's first page of work started now, to run beside the stages
        before it; None when the executor runs one task at a time (nothing to gain) or cannot
        be driven from two threads. Pass it to :meth:`protect`, or cancel it."""
        if self.executor.workers < 2 or not self.executor.overlaps:
            return None
        fetch = partial(self.store.articles_to_protect, protector.version)
        page = list(islice(self._pending(PROTECT_STAGE, fetch, isolation), self.page))
        if not page:
            return None
        task = partial(per_article, _protection_work(protector), self.budget_seconds)
        return Ahead(
            self.executor, task, list(chunked(page, ARTICLES_PER_TASK)), self.executor.workers
        )

    def protect(
        self, isolation: Isolation, *, protector: Protector, ahead: Ahead[Any] | None = None
    ) -> int:
        """Identity protection's analysis of every article lacking one by ``protector``'s
        version, made on the executor and stored, so publishing reads it back (what ``ahead``
        made first). The count."""
        version = protector.version
        done = 0

        def write(article: Article, result: tuple[str, list[Any]]) -> None:
            nonlocal done
            assert article.id is not None
            digest, rows = result
            self.store.save_protection_analysis(article.id, digest, version, rows)
            done += 1

        self._fan_out(
            PROTECT_STAGE,
            partial(self.store.articles_to_protect, version),
            _protection_work(protector),
            write,
            isolation,
            ahead,
        )
        return done


def _protection_work(protector: Protector) -> Callable[[Article], tuple[str, list[Any]]]:
    """One article's protection analysis with ``protector``'s profile and threshold (picklable,
    for the executor)."""
    return partial(analysis_rows, protector.profile, protector.threshold)


def _summarize_chunk(
    budget: float | None, items: Sequence[tuple[int, str, list[StoryMember]]]
) -> list[Outcome[tuple[str, list[list[Any]]]]]:
    return per_story(budget, [(story_id, members) for story_id, _, members in items])


def _zip_lazy(
    chunks: Iterator[list[T]], task: Callable[[list[T]], list[V]], executor: Executor
) -> Iterator[tuple[list[T], list[V]]]:
    """Each chunk with its task's results, in order, with the executor working ahead."""
    handed: list[list[T]] = []

    def remember() -> Iterator[list[T]]:
        for chunk in chunks:
            handed.append(chunk)
            yield chunk

    for results in executor.map(task, remember()):
        yield handed.pop(0), results


def _location(item: RawDocument | Article | RejectedInput | Note | ArchiveEnd) -> str:
    if isinstance(item, RawDocument):
        return item.location
    if isinstance(item, Article):
        return item.source_key or item.source or "record"
    return str(item)
