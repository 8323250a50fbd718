"""The ``nkwatch`` command: a thin layer that parses options, calls the library, prints results.

Exit status: 0 success; 1 some inputs were rejected (the rest was ingested); 2 bad usage;
3 nothing could be ingested; 4 a configuration, store or output error stopped the command;
5 some articles failed a later stage (quarantined); 6 the executor failed (a worker died, the
Dask scheduler was lost or unreachable): what was committed is kept, run the command again.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from nkwatch.config import Settings, load_settings, sample_corpus_path, sample_outlets
from nkwatch.enrich.profile import load_profile
from nkwatch.errors import ExecutorError, NkwatchError, PublishError, UnsupportedStore
from nkwatch.publish.formats import EXPORT_FORMATS, UNDATED_POLICIES
from nkwatch.publish.formats import FORMATS as DIGEST_FORMATS
from nkwatch.store import Store, open_store, store_kind, store_label

if TYPE_CHECKING:
    from nkwatch.executors import Executor

    # The pipeline (de-duplication, clustering), the digest builder and identity protection are
    # heavy to import: each command imports what it runs, so --help and search start quickly.
    from nkwatch.pipeline import IngestReport
    from nkwatch.protect.stage import Protector
    from nkwatch.publish.digest import Digest

EXIT_USAGE = 2
EXIT_ERROR = 4
EXIT_EXECUTOR = 6
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


class Context:
    """What every command needs: settings and a lazily opened store."""

    def __init__(
        self, settings: Settings, *, executor: str | None = None, workers: int | None = None
    ) -> None:
        self.settings = settings
        self._store: Store | None = None
        self._executor_spec = executor
        self._workers = workers
        self._executor: Executor | None = None

    def executor(self) -> Executor:
        """The executor the pipeline's per-article work runs on (started on first use)."""
        if self._executor is None:
            from nkwatch.executors import make_executor

            if logging.getLogger().level > logging.DEBUG:
                # Dask logs its cluster's start and stop at INFO through its own handlers,
                # in this process and its workers (which inherit the environment).
                os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")

            self._executor = make_executor(self._executor_spec, workers=self._workers)
        return self._executor

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings.db_path)
        return self._store

    def close(self) -> None:
        if self._executor is not None:
            self._executor.close()
        if self._store is not None:
            self._store.close()

    def protector(self) -> Protector:
        """The protection stage for what a command prints or writes."""
        from nkwatch.protect.stage import Protector

        protector = Protector(load_profile(self.settings.enrich.profile or None))
        protector.use_store(self.store)
        return protector


pass_context = click.make_pass_decorator(Context)


class _OutputClosed(Exception):
    """Standard output was closed by its reader (``nkwatch export | head``)."""


class _Group(click.Group):
    """The command group; a closed output pipe leaves it as :class:`_OutputClosed`, which click
    would otherwise report as exit status 1 ("inputs rejected")."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise _OutputClosed from exc
            raise


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    envvar="NKWATCH_DB",
    help="Store: a SQLite file (default: nkwatch.db, or [store] path in the config) "
    "or a postgresql://user@host/database URL.",
)
@click.option(
    "--config",
    "config_path",
    envvar="NKWATCH_CONFIG",
    type=click.Path(dir_okay=False),
    help="TOML file overlaying the packaged defaults.",
)
@click.option(
    "--profile",
    "profile_path",
    envvar="NKWATCH_PROFILE",
    type=click.Path(dir_okay=False),
    help="Watch profile (TOML) adding to the bundled North Korea profile.",
)
@click.option(
    "--executor",
    envvar="NKWATCH_EXECUTOR",
    metavar="NAME|ADDRESS",
    help="Where per-article work runs: pool (local processes, the default), inprocess, "
    "dask (a local Dask cluster) or a Dask scheduler address such as tcp://host:8786.",
)
@click.option(
    "--workers",
    envvar="NKWATCH_WORKERS",
    type=click.IntRange(min=1),
    help="Worker processes of the pool or local Dask cluster (default: one per core).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.version_option(package_name="nkwatch")
@click.pass_context
def cli(
    ctx: click.Context,
    db_path: str | None,
    config_path: str | None,
    profile_path: str | None,
    executor: str | None,
    workers: int | None,
    verbose: int,
    quiet: bool,
) -> None:
    """nkwatch: collect, extract and publish news about North Korea."""
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    try:
        settings = load_settings(config_path, db_path=db_path)
        store_kind(settings.db_path)  # an unknown kind of store is a usage error (exit 2)
        if profile_path:
            settings = replace(settings, enrich=replace(settings.enrich, profile=profile_path))
            load_profile(profile_path)  # a broken profile is reported before any work starts
    except UnsupportedStore as exc:
        _error(str(exc))
        ctx.exit(EXIT_USAGE)
    except NkwatchError as exc:
        _error(str(exc))
        ctx.exit(EXIT_ERROR)
    context = Context(settings, executor=executor, workers=workers)
    ctx.obj = context
    ctx.call_on_close(context.close)


def _error(message: str) -> None:
    err.print(f"[red]error:[/] {escape(message)}")


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except ExecutorError as exc:
        _error(str(exc))
        sys.exit(EXIT_EXECUTOR)
    except NkwatchError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


def _local_bytes(specs: list[str]) -> int | None:
    """The size of every file the specs name (folders walked), or None when one is a URL."""
    from nkwatch.sources import files

    total = 0
    for spec in specs:
        if "://" in spec:
            return None
        path = Path(spec).expanduser()
        if not path.exists():
            continue
        for item in files.walk(path):
            if isinstance(item, Path):
                try:
                    total += item.stat().st_size
                except OSError:
                    continue
    return total


@contextmanager
def _progress(label: str, total_bytes: int | None = None) -> Iterator[tuple[Any, Any]]:
    """A bar over the bytes of the local inputs (a spinner for URLs), with the current input
    and the count of documents read; nothing when output is a log."""
    if not err.is_terminal:
        yield None, None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[inputs]} inputs"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(label, total=total_bytes or None, inputs=0)
        seen = 0

        def advance(location: str) -> None:
            nonlocal seen
            seen += 1
            progress.update(task, description=f"{label} {location[-60:]}", inputs=seen)

        def read(size: int) -> None:
            progress.update(task, advance=size)

        yield advance, read


def _ingest(context: Context, specs: list[str], *, command: str, offline: bool) -> IngestReport:
    from nkwatch.pipeline import ingest as ingest_specs

    total = _local_bytes(specs) if err.is_terminal else None
    with _progress("ingesting", total) as (advance, read):
        return ingest_specs(
            specs,
            settings=context.settings,
            store=context.store,
            allow_network=not offline,
            on_input=advance,
            on_bytes=read,
            command=command,
            executor=context.executor(),
        )


def _print_report(report: IngestReport) -> None:
    counts = report.counts
    out.print(
        f"stored {counts['stored']}, updated {counts['updated']}, "
        f"unchanged {counts['unchanged']}, not modified {counts['not-modified']}, "
        f"rejected {len(report.rejections)}"
    )
    if report.dedup is not None and report.dedup.checked:
        d = report.dedup
        out.print(
            f"duplicates: {d.exact} exact, {d.near} near, {d.paragraph} paragraph, "
            f"{d.syndicated} syndicated (of {d.checked} new articles)"
        )
    if report.stories is not None and report.stories.assigned:
        st = report.stories
        out.print(
            f"stories: {st.assigned} articles placed, {st.new_stories} new stories, "
            f"{st.merged} merged, {st.boilerplate} boilerplate pages set aside"
        )
    if report.resumed:
        out.print(
            f"resumed: {report.resumed} archive records stored by an interrupted run were skipped"
        )
    for rejected in report.rejections:
        err.print(
            f"rejected: {rejected.source}: {rejected.reason.value}: {rejected.detail}",
            markup=False,
        )
    if report.recovered:
        done = ", ".join(f"{stage} {n}" for stage, n in sorted(report.recovered.items()))
        out.print(f"quarantined articles that went through this time: {done}")
    if report.internal_errors:
        failed = ", ".join(f"{stage} {n}" for stage, n in sorted(report.failed.items()))
        err.print(
            f"internal errors: {report.internal_errors} article(s) failed a stage ({failed}); "
            "they are quarantined and retried by the next run or `nkwatch retry`; "
            "`nkwatch status` shows the errors",
            markup=False,
        )


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--offline", is_flag=True, help="Never fetch; URLs and feed links are rejected.")
@pass_context
def ingest(context: Context, sources: tuple[str, ...], offline: bool) -> None:
    """Ingest files, folders, URLs of pages or feeds, OPML lists and WARC archives.

    Exit status 0 when every input gave articles, 1 when some were rejected, 3 when nothing
    was ingested, 5 when some articles failed a later stage (quarantined).
    """
    with _errors():
        report = _ingest(context, list(sources), command="ingest", offline=offline)
    _print_report(report)
    sys.exit(report.exit_code())


def _until(store: Store, value: str) -> datetime:
    if value == "now":
        return datetime.now(UTC)
    if value == "latest":
        return store.latest_date() or datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not now, latest or a date like 2026-11-01", param_hint="'--until'"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _figures_window(start: datetime | None, since: str | None) -> str:
    """The end of a "no claims" line: the window searched, and how to widen the default one."""
    if start is None:
        return " yet"
    if since:
        return f" since {start.date().isoformat()}"
    return (
        f" since {start.date().isoformat()} (the half year before the newest article; "
        "--since DATE reaches further)"
    )


def _since(value: str, *, until: datetime) -> datetime:
    from nkwatch.publish.digest import parse_since

    try:
        return parse_since(value, until=until)
    except PublishError as exc:
        raise click.BadParameter(str(exc), param_hint="'--since'") from None


def _window(
    store: Store, since: str | None, until_value: str | None
) -> tuple[datetime | None, datetime | None]:
    """A command's --since/--until, checked: a bad value is a usage error (exit 2)."""
    until = _until(store, until_value) if until_value else None
    start = _since(since, until=until or datetime.now(UTC)) if since else None
    return start, until


def _write_digest(
    context: Context,
    *,
    since: datetime,
    until: datetime,
    fmt: str,
    output: str | None,
    undated: str = "include",
) -> Digest:
    """Build, write (or print) and record one digest."""
    from nkwatch.publish.digest import build_digest, render, write_digest

    profile = load_profile(context.settings.enrich.profile or None)
    result = build_digest(
        context.store,
        profile=profile,
        since=since,
        until=until,
        site_url=context.settings.run.site_url or None,
        undated=undated,
    )
    if output:
        path = write_digest(result, output, fmt)
        out.print(f"digest ({fmt}, {len(result.stories)} stories): {path}")
    else:
        click.echo(render(result, fmt), nl=False)
    context.store.record_digest(since, until, {s.id: len(s.links) for s in result.stories})
    return result


@cli.command()
@click.option("--since", default="1d", show_default=True, help="Window: 12h, 1d, 7d or a date.")
@click.option(
    "--until",
    "until_value",
    default="now",
    show_default=True,
    help="End of the window: now, latest (newest stored article) or a date.",
)
@click.option("--format", "fmt", type=click.Choice(DIGEST_FORMATS), default="html")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write (default stdout)."
)
@click.option(
    "--undated",
    type=click.Choice(UNDATED_POLICIES),
    default="include",
    show_default=True,
    help="Stories without a publication date, collected in the window: list them in their "
    "own Undated section, or leave them out.",
)
@pass_context
def digest(
    context: Context, since: str, until_value: str, fmt: str, output: str | None, undated: str
) -> None:
    """Write the digest of the window's stories, grouped by theme, with "Read more" links.

    Formats: html (one self-contained file), md, rss, atom, jsonfeed.
    """
    until = _until(context.store, until_value)
    start = _since(since, until=until)
    with _errors():
        result = _write_digest(
            context, since=start, until=until, fmt=fmt, output=output, undated=undated
        )
    latest = _newest_before(context.store, start) if not result.stories else None
    if latest is not None:
        err.print(
            f"note: the window starts {start.date().isoformat()}, after the newest article "
            f"({latest.date().isoformat()}); {_COUNT_BACK}",
            markup=False,
        )


@cli.command()
@click.option(
    "--sample", is_flag=True, help="Use the bundled sample corpus even if sources are set."
)
@click.option("--offline", is_flag=True, help="Never fetch from the network.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Digest folder.")
@pass_context
def run(context: Context, sample: bool, offline: bool, out_dir: str | None) -> None:
    """The main job: poll the configured sources, process what is new, write the digest.

    With no sources configured ([run] sources), the bundled sample corpus is used, offline,
    and the digest covers the whole corpus.
    """
    from nkwatch.publish.digest import parse_since

    settings = context.settings
    use_sample = sample or not settings.run.sources
    if use_sample:
        settings = replace(settings, outlets={**sample_outlets(), **settings.outlets})
        context.settings = settings
    specs = [str(sample_corpus_path())] if use_sample else list(settings.run.sources)
    with _errors():
        report = _ingest(context, specs, command="run", offline=offline or use_sample)
        _print_report(report)
        if use_sample:
            # The sample corpus spans weeks of autumn 2026: its digest covers all of it, up to
            # its newest article, whatever today's date is.
            until = _until(context.store, "latest")
            since = parse_since("120d", until=until)
        else:
            until = _until(context.store, "now")
            since = parse_since(settings.run.digest_since, until=until)
        folder = Path(out_dir or settings.run.digest_dir)
        stamp = until.strftime("%Y-%m-%d")
        for fmt in settings.run.digest_formats:
            suffix = {"jsonfeed": "json", "rss": "rss.xml", "atom": "atom.xml"}.get(fmt, fmt)
            _write_digest(
                context,
                since=since,
                until=until,
                fmt=fmt,
                output=str(folder / f"digest-{stamp}.{suffix}"),
            )
    sys.exit(report.exit_code())


@cli.command()
@pass_context
def retry(context: Context) -> None:
    """Retry every quarantined article in the stages it failed (after a fix or an upgrade).

    Exit status 0 when all went through, 5 when some still fail.
    """
    from nkwatch.pipeline import retry as retry_stages

    with _errors():
        report = retry_stages(
            settings=context.settings, store=context.store, executor=context.executor()
        )
    _print_report(report)
    if not report.internal_errors:
        out.print("no article left in quarantine")
    sys.exit(report.exit_code())


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write (default stdout)."
)
@click.option(
    "--unprotected",
    is_flag=True,
    help="Export private people's names, numbers and IDs as stored (logged in `nkwatch status`).",
)
@pass_context
def export(context: Context, fmt: str, output: str | None, unprotected: bool) -> None:
    """Export every article with all it has learned (schema: docs/export-schema.md).

    Private people are protected as in the digest unless --unprotected is given.
    """
    from nkwatch.publish.digest import explain_os_error
    from nkwatch.publish.export import export_articles

    with _errors():
        store = context.store
        articles = store.iter_articles()
        protector = None if unprotected else context.protector()
        tally: Counter[str] = Counter()
        if unprotected:
            err.print(
                "warning: --unprotected exports the names, phone numbers and messenger IDs of "
                "private people (defectors, POWs, sources, children) as stored; do not publish "
                "it. This export is logged (see nkwatch status).",
                markup=False,
            )
        if output is None:
            count = export_articles(
                articles, sys.stdout, fmt, store=store, protector=protector, tally=tally
            )
        else:
            try:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    count = export_articles(
                        articles, handle, fmt, store=store, protector=protector, tally=tally
                    )
            except OSError as exc:
                _error(
                    f"cannot write {output}: {explain_os_error(Path(output), exc)}; "
                    "choose another path"
                )
                sys.exit(EXIT_ERROR)
            out.print(f"wrote {count} article(s) to {output}")
        if unprotected:
            store.record_unprotected_export(output or "(stdout)", fmt, count)
        else:
            store.record_protection("export", count, dict(tally))


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--outlet", "--source", "outlet", help="Only this outlet.")
@click.option("--since", help="Only articles on or after this date (YYYY-MM-DD) or window (7d).")
@click.option("--until", "until_value", help="Only articles on or before this date.")
@click.option("-n", "--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
@pass_context
def search(
    context: Context,
    query: tuple[str, ...],
    outlet: str | None,
    since: str | None,
    until_value: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search over titles and text (every word must match; word* for prefixes)."""
    import json

    from nkwatch.protect.stage import article_context, article_sources, protect_row

    start, until = _window(context.store, since, until_value)
    with _errors():
        hits = context.store.search(
            " ".join(query), outlet=outlet, since=start, until=until, limit=limit
        )
        protector = context.protector()
        # The hits' analyses in one read each: their articles' (by id) and their snippets',
        # judged alone (by text hash). The recognisers run only on what has none stored.
        protector.prepare(article_sources(hit.article for hit in hits))
        protector.recall(hit.snippet for hit in hits)
    if as_json:
        for hit in hits:
            row = protect_row(hit.article.to_export(), protector)
            row.pop("protected", None)
            source = article_context(hit.article)
            row["snippet"] = protector.scope([source]).protect(hit.snippet).text
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if not hits:
        out.print("no matches")
        return
    for hit in hits:
        article = hit.article
        date = article.published.date().isoformat() if article.published else "no date"
        scope = protector.scope([article_context(article)])
        title = scope.protect(article.title or "").text
        where = escape(article.outlet or "")
        out.print(f"[bold]{article.id}[/] {escape(title)} [dim]({where}, {date})[/]")
        # One line per hit: a snippet that spans a paragraph break reads as one run of words.
        snippet = " ".join(scope.protect(hit.snippet).text.split())
        out.print(f"    {snippet}", markup=False)


@cli.command()
@click.option("-n", "--limit", default=30, show_default=True, help="Rows per table.")
@pass_context
def status(context: Context, limit: int) -> None:
    """What the store holds, recent runs, rejected inputs and failed fetches."""
    store = context.store
    counts = store.count_articles()
    out.print(f"store: {store_label(context.settings.db_path)}")
    out.print("articles: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"))
    header = (
        "run",
        "command",
        "started",
        "status",
        "stored",
        "updated",
        "unchanged",
        "rejected",
        "internal errors",
    )
    rows = [
        (
            str(row["id"]),
            row["command"],
            row["started_at"],
            row["status"] + (f": {row['error']}" if row["error"] else ""),
            str(row["stored"]),
            str(row["updated"]),
            str(row["unchanged"]),
            str(row["rejected"]),
            str(row["internal_errors"]),
        )
        for row in store.runs(limit=5)
    ]
    if out.is_terminal:
        runs = Table(*header)
        for values in rows:
            runs.add_row(*values)
        out.print(runs)
    else:
        # Piped or logged, a table cut to 80 columns would cut its cells ("finis…"): one run per
        # line, tab-separated and whole, like the lists below.
        click.echo("runs:\t" + "\t".join(header))
        for values in rows:
            click.echo("  " + "\t".join(values))
    quarantined = store.failures()
    out.print(f"quarantined articles: {len(quarantined) or 'none'}")
    for failure in quarantined[:limit]:
        out.print(
            f"  article {failure.article_id}\t{failure.stage}\t{failure.attempts}x\t"
            f"{failure.error_class}: {failure.message}\t(code {failure.code_version})",
            markup=False,
        )
    # Inputs and URLs are printed whole, one per line, so they can be copied and grepped.
    rejections = store.rejections()[:limit]
    out.print(f"rejected inputs: {len(rejections) or 'none'}")
    for rejection in rejections:
        out.print(
            f"  {rejection.source}\t{rejection.reason}\t{rejection.times}x\t{rejection.detail}",
            markup=False,
        )
    for row in store.protection_log(limit=1):
        replaced = ", ".join(f"{kind} {n}" for kind, n in sorted(row["counts"].items()))
        out.print(
            f"last protected {row['boundary']}: {row['created_at']}, {row['articles']} "
            f"article(s), replaced {replaced or 'nothing'}",
            markup=False,
        )
    unprotected = store.unprotected_exports(limit=limit)
    if unprotected:
        out.print(f"UNPROTECTED exports (private people's values as stored): {len(unprotected)}")
        for row in unprotected:
            out.print(
                f"  {row['created_at']}\t{row['format']}\t{row['articles']} article(s)\t"
                f"{row['target']}",
                markup=False,
            )
    failed = [f for f in store.fetches(limit=200) if f["error"]][:limit]
    out.print(f"failed fetches: {len(failed) or 'none'}")
    for row in failed:
        out.print(
            f"  {row['url']}\t{row['status'] or '-'}\t{row['fetched_at']}\t{row['error']}",
            markup=False,
        )


@cli.command()
@click.option("--since", help="Stories seen on or after this date or window (7d).")
@click.option("--until", "until_value", help="Stories first seen on or before this date.")
@click.option("--theme", help="Only stories carrying this theme id (see the profile).")
@click.option("--min-sources", default=1, show_default=True, help="Independent sources at least.")
@click.option("-n", "--limit", default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story, with timeline.")
@pass_context
def stories(
    context: Context,
    since: str | None,
    until_value: str | None,
    theme: str | None,
    min_sources: int,
    limit: int,
    as_json: bool,
) -> None:
    """Stories (events reported by one or more outlets), most independent sources first."""
    import json

    from nkwatch.publish.stories import list_stories, protected_titles, story_to_dict

    store = context.store
    start, until = _window(store, since, until_value)
    with _errors():
        views = list_stories(
            store, since=start, until=until, theme=theme, min_sources=min_sources, limit=limit
        )
        protector = context.protector()
    for view in views[:limit]:
        if as_json:
            click.echo(json.dumps(story_to_dict(view, protector=protector), ensure_ascii=False))
            continue
        first = view.first_seen.date().isoformat() if view.first_seen else "?"
        last = view.last_seen.date().isoformat() if view.last_seen else "?"
        title, member_titles = protected_titles(view, protector)
        out.print(
            f"[bold]{view.id}[/] {escape(title)} [dim]({first} to {last}; "
            f"{view.independent_sources} independent source(s), {len(view.members)} article(s); "
            f"{escape(', '.join(view.themes) or 'no theme')})[/]"
        )
        for article, member_title in zip(view.members, member_titles, strict=True):
            date = article.published.date().isoformat() if article.published else "undated   "
            copy = f" copy of {article.duplicate_of}" if article.duplicate_of else ""
            out.print(f"    {date} {article.outlet}: {member_title}{copy}", markup=False)
    if not views and not as_json:
        out.print(_no_stories(store, start, until), markup=False)


def _no_stories(store: Store, start: datetime | None, until: datetime | None) -> str:
    """ "no stories", with the window searched and, when the store's newest article is older
    than the window, how to read the window back from it (an archive's store)."""
    if start is None and until is None:
        return "no stories"
    window = f" since {start.date().isoformat()}" if start else ""
    window += f" until {until.date().isoformat()}" if until else ""
    latest = _newest_before(store, start) if start is not None and until is None else None
    if latest is not None:
        return f"no stories{window}: the newest article is of {latest.date()}; {_COUNT_BACK}"
    return f"no stories{window}"


_COUNT_BACK = "--until latest counts the window back from it"


def _newest_before(store: Store, start: datetime) -> datetime | None:
    """The store's newest article's date when it is older than a window's start (an archive's
    store, read with a window that ends now), else ``None``."""
    latest = store.latest_date()
    return latest if latest is not None and latest < start else None


@cli.command()
@click.option("--min-stories", default=2, show_default=True, help="Stories in the thread at least.")
@click.option("-n", "--limit", default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per storyline.")
@pass_context
def storylines(context: Context, min_stories: int, limit: int, as_json: bool) -> None:
    """Storylines: stories of one thread over months, the longest first.

    Titles are protected as in the digest: private people appear under their labels.
    """
    import json

    from nkwatch.publish.stories import list_storylines, storyline_to_dict

    with _errors():
        views = list_storylines(
            context.store, min_stories=min_stories, protector=context.protector(), limit=limit
        )
    for view in views[:limit]:
        if as_json:
            click.echo(json.dumps(storyline_to_dict(view), ensure_ascii=False))
            continue
        first = view.first_seen.date().isoformat() if view.first_seen else "?"
        last = view.last_seen.date().isoformat() if view.last_seen else "?"
        out.print(
            f"[bold]{view.id}[/] {escape(view.title)} [dim]({first} to {last}; "
            f"{len(view.stories)} {'story' if len(view.stories) == 1 else 'stories'})[/]"
        )
        for row in view.stories:
            date = row["first_seen"].date().isoformat() if row["first_seen"] else "?"
            out.print(f"    {date} story {row['id']}: {row['title']}", markup=False)
    if not views and not as_json:
        out.print("no storylines")


@cli.command()
@click.argument("measure", required=False)
@click.option(
    "--since",
    help="Claims of articles from this date, or this window back from the newest article "
    "(365d); default: the half year before the newest article.",
)
@click.option(
    "--window", default=45.0, show_default=True, help="Days within which undated claims agree."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per measure.")
@pass_context
def figures(
    context: Context, measure: str | None, since: str | None, window: float, as_json: bool
) -> None:
    """Tracked measures: each one's claims as a timeline by claimant, revisions and disputes.

    Without MEASURE, lists every measure with claims; with one, shows its timeline.
    """
    import json

    from nkwatch.enrich.claims import claimant_text
    from nkwatch.enrich.tracker import track
    from nkwatch.protect.stage import Protector, protect_figures
    from nkwatch.publish.digest import claims_since

    store = context.store
    latest = store.latest_date()
    start = _since(since, until=latest or datetime.now(UTC)) if since else claims_since(latest)
    with _errors():
        profile = load_profile(context.settings.enrich.profile or None)
        protector = Protector(profile)
        protector.use_store(store)
        figures = protect_figures(store.iter_figures(since=start), store, protector)
        series = track(profile, figures, window_days=window)
    if measure is not None:
        chosen = [item for item in series if item.measure.id == measure]
        if not chosen:
            known = ", ".join(m.id for m in profile.measures)
            if measure not in {m.id for m in profile.measures}:
                raise click.BadParameter(
                    f"{measure!r} is not a measure of the profile; measures: {known}",
                    param_hint="'MEASURE'",
                )
            out.print(f"no claims of {measure}{_figures_window(start, since)}", markup=False)
            return
        series = chosen
    if as_json:
        for item in series:
            click.echo(json.dumps(item.as_dict(), ensure_ascii=False))
        return
    if measure is None:
        for item in series:
            flag = f", {len(item.disagreements)} disagreement(s)" if item.disagreements else ""
            flag += f", {len(item.revisions)} revision(s)" if item.revisions else ""
            out.print(
                f"{item.measure.id}: {item.measure.label} ({len(item.reports)} claim(s){flag})",
                markup=False,
            )
        if not series:
            out.print(f"no figures tracked{_figures_window(start, since)}", markup=False)
        return
    item = series[0]
    revised = {id(r.later) for r in item.revisions}
    disputed = {id(side) for d in item.disagreements for side in (d.first, d.second)}
    out.print(f"{item.measure.label} [{item.measure.unit}]", markup=False)
    for claimant, reports in item.timeline().items():
        out.print(f"  {claimant}", markup=False)
        for report in reports:
            date = report.published.date().isoformat() if report.published else "no date"
            about = f" (about {report.period}" if report.period else ""
            if report.period_start and report.period_end:
                about += f": {report.period_start.isoformat()}..{report.period_end.isoformat()}"
            about += ")" if about else ""
            part = f" [part: {report.part}]" if report.part else ""
            marks = (" [revised]" if id(report) in revised else "") + (
                " [disputed]" if id(report) in disputed else ""
            )
            hedge = f", {report.hedge}" if report.hedge else ""
            out.print(
                f"    {date}  {report.written}{about}{part}  {report.outlet}{hedge}{marks}",
                markup=False,
            )
            out.print(f"        “{report.sentence}”", markup=False)
    for revision in item.revisions:
        a, b = revision.earlier, revision.later
        by = claimant_text(b.claimant)
        out.print(f"  revision by {by}: {a.written} → {b.written}", markup=False)
    for disagreement in item.disagreements:
        out.print(f"  disagreement: {disagreement.describe()}", markup=False)


@cli.group()
def protection() -> None:
    """Identity protection: what nkwatch replaces when it publishes."""


@protection.command("report")
@click.option("-n", "--limit", default=50, show_default=True, help="Articles listed.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article.")
@pass_context
def protection_report_command(context: Context, limit: int, as_json: bool) -> None:
    """How many values of each kind publishing protects, per article (never the values)."""
    import json

    from nkwatch.protect.report import protection_report

    with _errors():
        report = protection_report(context.store.iter_articles(), context.protector())
        exports = context.store.unprotected_exports(limit=limit)
    if as_json:
        for row in report.rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    totals = ", ".join(f"{kind} {count}" for kind, count in sorted(report.total.items()))
    out.print(
        f"articles: {report.articles}, with protected values: {len(report.rows)}; "
        f"protected: {totals or 'nothing'}",
        markup=False,
    )
    for row in report.rows[:limit]:
        counts = ", ".join(f"{kind} {count}" for kind, count in sorted(row["counts"].items()))
        out.print(f"  {row['id']}\t{row['outlet'] or '-'}\t{counts}", markup=False)
    out.print(f"unprotected exports: {len(exports) or 'none'}", markup=False)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind to.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--token",
    envvar="NKWATCH_TOKEN",
    help="Access token every page and API call must carry (needed to bind beyond loopback).",
)
@pass_context
def serve(context: Context, host: str, port: int, token: str | None) -> None:
    """Serve the web UI and the JSON API (/api/v1/) over the store."""
    from nkwatch.web.app import serve as serve_app

    with _errors():
        serve_app(context.settings, host=host, port=port, token=token or None)


@cli.group()
def watch() -> None:
    """Watches: rules that raise alerts when new stories or claims match."""


@watch.command("add")
@click.option("--name", help="A name (default: the rule in words).")
@click.option("--entity", help="A person, place or organisation (canonical name).")
@click.option("--theme", help="A theme id of the profile.")
@click.option("--measure", help="A tracked measure id: alerts on each new claim of it.")
@click.option("--keyword", help="Words that must appear in the title or text.")
@click.option("--outlet", help="Only articles of this outlet.")
@click.option("--min-sources", default=0, type=click.IntRange(0, 1000), help="Sources at least.")
@click.option("--source", help="A configured source to watch for silence.")
@click.option("--silent-days", type=click.IntRange(1, 3650), help="Days of silence to alert on.")
@click.option("--webhook", help="An http(s) URL each alert is POSTed to as JSON.")
@pass_context
def watch_add(context: Context, **options: Any) -> None:
    """Add a watch; every option given must hold for an alert."""
    from nkwatch.alerts import WatchError, add_watch, make_watch

    with _errors():
        profile = load_profile(context.settings.enrich.profile or None)
        try:
            rule = make_watch(
                **options,
                profile=profile,
                allow_networks=context.settings.fetch.allow_networks,
            )
        except WatchError as exc:
            raise click.UsageError(str(exc)) from None
        stored = add_watch(context.store, rule)
    out.print(f"watch {stored.id}: {stored.name}", markup=False)


@watch.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per watch.")
@pass_context
def watch_list(context: Context, as_json: bool) -> None:
    """List watches with their alert counts."""
    import json

    from nkwatch.alerts import list_alerts, list_watches

    with _errors():
        watches = list_watches(context.store)
        for item in watches:
            alerts = len(list_alerts(context.store, watch_id=item.id, limit=10_000))
            if as_json:
                out.print(
                    json.dumps(
                        {
                            "id": item.id,
                            "name": item.name,
                            "rule": item.describe(),
                            "alerts": alerts,
                        },
                        ensure_ascii=False,
                    ),
                    markup=False,
                )
            else:
                out.print(
                    f"{item.id}: {item.name} [{item.describe()}] ({alerts} alert(s))", markup=False
                )
        if not watches and not as_json:
            out.print("no watches yet (add one with: nkwatch watch add --entity NAME)")


@watch.command("remove")
@click.argument("watch_id", type=int)
@pass_context
def watch_remove(context: Context, watch_id: int) -> None:
    """Remove a watch and its alerts."""
    from nkwatch.alerts import WatchError, remove_watch

    with _errors():
        try:
            remove_watch(context.store, watch_id)
        except WatchError as exc:
            raise click.BadParameter(str(exc), param_hint="'WATCH_ID'") from None
    out.print(f"removed watch {watch_id}", markup=False)


cli.add_command(status, name="sources")


def main() -> None:
    """Console-script entry point; output cut short by a closed pipe (``| head``) ends quietly."""
    try:
        code = cli.main(prog_name="nkwatch", standalone_mode=False)
    except click.exceptions.Abort:
        err.print("aborted")
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except _OutputClosed:
        _quiet_stdout()
        sys.exit(0)
    except NkwatchError as exc:  # a store lost mid-command (a dropped PostgreSQL connection)
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    sys.exit(code if isinstance(code, int) else 0)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    main()
