"""The pipeline: sources → extract → store; then dedup → enrich → stories → summaries.

Reads source specs (paths, URLs, feeds, OPML lists, WARC archives) into work units in input
order and hands them to the :mod:`runner <nkwatch.runner>`, which extracts them on an executor
and stores their articles. Every rejected input is logged, counted and stored with its reason;
nothing stops the batch, and re-running it changes nothing that is already stored. An archive
whose ingest was interrupted is resumed after its last stored record.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from nkwatch.alerts import check_watches
from nkwatch.cluster import Embedder, load_default_embedder
from nkwatch.cluster.persist import StoryReport, assign_stories
from nkwatch.config import Settings
from nkwatch.dedup import DedupReport
from nkwatch.enrich.apply import EnrichReport
from nkwatch.enrich.profile import Profile, load_profile
from nkwatch.errors import Reason, RejectedInput
from nkwatch.executors import Executor, InProcessExecutor
from nkwatch.extract import ExtractOptions
from nkwatch.isolation import Isolation
from nkwatch.protect.stage import Protector
from nkwatch.record import FeedHints, RawDocument
from nkwatch.runner import ArchiveEnd, ExtractJob, Note, Runner, Unit
from nkwatch.sources import feeds as feed_source
from nkwatch.sources import files
from nkwatch.sources.http import Fetcher
from nkwatch.sources.opml import parse_opml
from nkwatch.sources.warc import iter_warc
from nkwatch.store import Store

log = logging.getLogger(__name__)

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(slots=True)
class IngestReport:
    """What one ingest did: counts by outcome and every rejection."""

    counts: Counter[str] = field(default_factory=Counter)
    rejections: list[RejectedInput] = field(default_factory=list)
    dedup: DedupReport | None = None
    enrich: EnrichReport | None = None
    stories: StoryReport | None = None
    summarized: int = 0
    #: Stories whose multi-source summary was made and stored in this run.
    story_summaries: int = 0
    #: Articles whose protection analysis was made and stored in this run.
    protected: int = 0
    #: Articles that failed a later stage in this run, by stage (quarantined, retried later).
    failed: Counter[str] = field(default_factory=Counter)
    #: Quarantined articles that went through on this run, by stage.
    recovered: Counter[str] = field(default_factory=Counter)
    #: Archive records skipped because an interrupted run had stored them already.
    resumed: int = 0

    @property
    def ingested(self) -> int:
        """Articles stored, updated or already present."""
        return self.counts["stored"] + self.counts["updated"] + self.counts["unchanged"]

    @property
    def internal_errors(self) -> int:
        """Article failures caught in later stages during this run."""
        return sum(self.failed.values())

    def exit_code(self) -> int:
        """0: every input gave articles; 1: some were rejected; 3: nothing was ingested;
        5: everything was ingested but some articles failed a later stage (quarantined)."""
        if self.rejections and not (self.ingested or self.counts["not-modified"]):
            return 3
        if self.rejections:
            return 1
        return 5 if self.internal_errors else 0


ProgressCallback = Callable[[str], None]
#: Called with the size of each local file once it has been read through.
BytesCallback = Callable[[int], None]


class Pipeline:
    """Runs inputs through extraction into the store."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        fetcher: Fetcher | None = None,
        on_input: ProgressCallback | None = None,
        on_bytes: BytesCallback | None = None,
        allow_network: bool = True,
        executor: Executor | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self._fetcher = fetcher
        self._on_input = on_input
        self._on_bytes = on_bytes
        self.allow_network = allow_network
        #: Where the per-article work runs (the caller owns it and closes it).
        self.executor: Executor = executor or InProcessExecutor()
        self._options = ExtractOptions(
            min_text_chars=settings.ingest.min_text_chars,
            outlets=tuple(sorted(settings.outlets.items())),
        )
        self._run_id: int | None = None
        self._profile: Profile | None = None
        self.report = IngestReport()

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.settings.fetch, validators=self.store)
        return self._fetcher

    @property
    def profile(self) -> Profile:
        if self._profile is None:
            path = self.settings.enrich.profile or None
            self._profile = load_profile(path)
        return self._profile

    def _embedder(self) -> Embedder | None:
        if not self.settings.cluster.use_embeddings:
            return None
        return load_default_embedder()

    def close(self) -> None:
        """Release the HTTP client, if one was opened."""
        if self._fetcher is not None:
            self._fetcher.close()

    # -- entry point ---------------------------------------------------------------------

    def ingest(self, specs: Iterable[str], *, command: str = "ingest") -> IngestReport:
        """Ingest every spec, then run the later stages; returns the report (also kept on
        ``self.report``)."""
        return self._run(command, specs=list(specs))

    def retry(self, *, command: str = "retry") -> IngestReport:
        """Run the later stages again, retrying every quarantined article and looking for
        pending work over the whole store (results removed by hand are made again)."""
        self.store.recheck_pending()
        return self._run(command, specs=[], retry_all=True)

    def _run(self, command: str, *, specs: list[str], retry_all: bool = False) -> IngestReport:
        self.report = IngestReport()
        self._run_id = self.store.start_run(command)
        status, error = "failed", None
        try:
            job = ExtractJob(
                options=self._options,
                max_document_bytes=self.settings.ingest.max_document_bytes,
                document_seconds=self.settings.ingest.document_seconds,
            )
            self._runner().ingest(
                self._units(specs), job, on_rejected=self._reject, on_outcome=self._count
            )
            self.process(retry_all=retry_all)
            status = "errors" if self.report.internal_errors else "finished"
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            counts = dict(self.report.counts)
            counts["rejected"] = len(self.report.rejections)
            self.store.finish_run(
                self._run_id,
                counts,
                status=status,
                internal_errors=self.report.internal_errors,
                error=error,
            )
        return self.report

    def _runner(self) -> Runner:
        return Runner(
            self.store,
            self.executor,
            budget_seconds=self.settings.ingest.article_seconds,
            batch=self.settings.ingest.batch,
        )

    def process(self, *, retry_all: bool = False) -> None:
        """The later stages over what is stored: dedup → enrich → stories → summaries → the
        changed stories' summaries → the protection analyses.

        Each article is isolated in each stage: a failure is quarantined and the rest goes on.
        """
        isolation = Isolation(
            self.store,
            run_id=self._run_id,
            budget_seconds=self.settings.ingest.article_seconds,
            retry_all=retry_all,
        )
        runner = self._runner()
        protector = Protector(self.profile)
        # Protection reads only the stored texts: on a pool it runs beside the stages before
        # its turn, keeping the workers busy while this process matches copies and assigns
        # stories.
        ahead = runner.protect_ahead(isolation, protector=protector)
        try:
            self.report.dedup = runner.deduplicate(isolation)
            self.report.enrich = runner.enrich(
                isolation, profile=self.profile, outlets=tuple(self.settings.outlets.values())
            )
            self.report.stories = assign_stories(
                self.store,
                settings=self.settings.cluster,
                embedder=self._embedder(),
                isolation=isolation,
            )
            self.report.summarized = runner.summarize(isolation)
            self.report.story_summaries = runner.summarize_stories()
        except BaseException:
            if ahead is not None:
                ahead.cancel()
            raise
        self.report.protected = runner.protect(isolation, protector=protector, ahead=ahead)
        self.report.failed = isolation.failed
        self.report.recovered = isolation.recovered
        try:
            check_watches(
                self.store, since_run=self._run_id, profile=self.profile, fetch=self.settings.fetch
            )
        except Exception:  # alerts must never cost the run its articles; the cause is logged
            log.exception("checking watches failed; the run's articles are kept")

    def _units(self, specs: Iterable[str]) -> Iterator[Unit]:
        """Every input of ``specs`` as work for the runner, in order (rejections included)."""
        for spec in specs:
            yield from self._spec(spec)

    def _spec(self, spec: str) -> Iterator[Unit]:
        if _URL.match(spec):
            if spec.lower().startswith(("http://", "https://")):
                yield from self._guard(spec, lambda: self._url(spec))
            else:
                yield Unit(
                    RejectedInput(
                        spec,
                        Reason.UNSUPPORTED,
                        "only http:// and https:// URLs (or local paths) can be ingested",
                    )
                )
            return
        path = Path(spec).expanduser()
        if not path.exists():
            yield Unit(
                RejectedInput(spec, Reason.NOT_FOUND, "no such file, folder or URL; check it")
            )
            return
        own = Path(self.settings.db_path).resolve()
        skip = {own, own.with_name(own.name + "-wal"), own.with_name(own.name + "-shm")}
        for item in files.walk(path):
            if isinstance(item, RejectedInput):
                yield Unit(item)
                continue
            if item.resolve() in skip:
                continue  # the store itself, when it lives inside an ingested folder
            yield from self._guard(files.display(item), partial(self._file, item.resolve()))
            if self._on_bytes is not None:
                self._on_bytes(_size(item))

    # -- kinds of input ------------------------------------------------------------------

    def _file(self, path: Path) -> Iterator[Unit]:
        kind = files.file_kind(path)
        if kind == "unknown":
            raise files.unknown_type(path)
        location = files.display(path)
        if kind == "warc":
            yield from self._warc(path)
            return
        content = files.read_checked(path, max_bytes=self.settings.ingest.max_file_bytes)
        if kind == "opml":
            for feed in parse_opml(content, location=location):
                yield from self._guard(feed.url, partial(self._url, feed.url, expect_feed=True))
            return
        if kind == "json":
            for record in files.json_records(content, location=location):
                if isinstance(record, RejectedInput):
                    yield Unit(record)
                else:
                    self._seen(record.source)
                    yield Unit(record)
            return
        if kind == "feed" or feed_source.looks_like_feed(content):
            yield from self._feed(content, location=location, url=None)
            return
        yield Unit(RawDocument(location=location, content=content))

    def _warc(self, path: Path) -> Iterator[Unit]:
        """The archive's records; after an interruption, from where the last run stopped."""
        source = files.display(path)
        status = path.stat()
        version = f"{status.st_size}:{status.st_mtime_ns}"
        done = self.store.ingest_progress(source, version)
        if done:
            log.info("%s: resuming after the %d records stored before", source, done)
            self.report.resumed += done
        for position, item in enumerate(iter_warc(path), start=1):
            if position <= done:
                continue
            if not isinstance(item, RejectedInput):
                self._seen(item.location)
            yield Unit(item, archive=(source, version, position))
        yield Unit(ArchiveEnd(source))

    def _url(
        self, url: str, *, expect_feed: bool = False, hints: FeedHints | None = None
    ) -> Iterator[Unit]:
        if not self.allow_network:
            raise RejectedInput(
                url, Reason.FETCH_ERROR, "network access is off for this run (--offline)"
            )
        result = self.fetcher.fetch(url)
        if result.not_modified:
            yield Unit(Note(url, "not-modified"))
            return
        if expect_feed or feed_source.looks_like_feed(result.content, result.content_type):
            yield from self._feed(result.content, location=url, url=result.url)
            return
        raw = self.fetcher.to_raw_document(result)
        if hints is not None:
            raw = dataclasses.replace(raw, feed=hints)
        yield Unit(raw)

    def _feed(self, content: bytes, *, location: str, url: str | None) -> Iterator[Unit]:
        parsed = feed_source.parse_feed(content, location=location, url=url)
        for entry in parsed.entries:
            entry_location = f"{location}#{entry.link or entry.title}"
            raw = entry.to_raw_document(parsed)
            if raw is not None:
                self._seen(entry_location)
                yield Unit(raw)
            elif entry.link and self.settings.ingest.fetch_feed_links and self.allow_network:
                hints = entry.to_hints(parsed)
                yield from self._guard(entry.link, partial(self._url, entry.link, hints=hints))
            else:
                yield Unit(
                    RejectedInput(
                        entry_location,
                        Reason.NOT_AN_ARTICLE,
                        "the feed entry carries no full text and fetching its link is off",
                    )
                )

    # -- bookkeeping ---------------------------------------------------------------------

    def _seen(self, location: str) -> None:
        if self._on_input is not None:
            self._on_input(location)

    def _guard(self, location: str, produce: Callable[[], Iterator[Unit]]) -> Iterator[Unit]:
        """One input's units; a rejection or a failure becomes a rejection and the batch goes
        on."""
        self._seen(location)
        try:
            yield from produce()
        except RejectedInput as rejected:
            yield Unit(rejected)
        except Exception as exc:  # a bug on one input must not lose the rest of the batch
            log.exception("unexpected failure on %s", location)
            yield Unit(
                RejectedInput(
                    location,
                    Reason.INTERNAL,
                    f"{type(exc).__name__}: {exc} (please report this with the input)",
                )
            )

    def _reject(self, rejected: RejectedInput) -> None:
        log.info("rejected %s", rejected)
        self.report.rejections.append(rejected)
        self.store.record_rejection(rejected, run_id=self._run_id)

    def _count(self, outcome: str) -> None:
        self.report.counts[outcome] += 1


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def ingest(
    specs: Iterable[str],
    *,
    settings: Settings,
    store: Store,
    allow_network: bool = True,
    on_input: ProgressCallback | None = None,
    on_bytes: BytesCallback | None = None,
    command: str = "ingest",
    executor: Executor | None = None,
) -> IngestReport:
    """Ingest ``specs`` into ``store`` with a pipeline built from ``settings``.

    The per-article work runs on ``executor`` (default: in this process).
    """
    pipeline = Pipeline(
        settings,
        store,
        allow_network=allow_network,
        on_input=on_input,
        on_bytes=on_bytes,
        executor=executor,
    )
    try:
        return pipeline.ingest(specs, command=command)
    finally:
        pipeline.close()


def retry(
    *,
    settings: Settings,
    store: Store,
    command: str = "retry",
    executor: Executor | None = None,
) -> IngestReport:
    """Run the later stages again over ``store``, retrying every quarantined article."""
    pipeline = Pipeline(settings, store, allow_network=False, executor=executor)
    try:
        return pipeline.retry(command=command)
    finally:
        pipeline.close()
