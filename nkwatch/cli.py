"""The ``nkwatch`` command: a thin layer that parses options, calls the library, prints results.

Exit status: 0 success; 1 some inputs were rejected (the rest was ingested); 2 bad usage;
3 nothing could be ingested; 4 a configuration, store or output error stopped the command.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from nkwatch.config import Settings, load_settings, sample_corpus_path, sample_outlets
from nkwatch.enrich.profile import load_profile
from nkwatch.enrich.tracker import track
from nkwatch.errors import NkwatchError
from nkwatch.pipeline import IngestReport
from nkwatch.pipeline import ingest as ingest_specs
from nkwatch.protect.report import protection_report
from nkwatch.protect.stage import Protector, article_context, protect_row
from nkwatch.publish import build_digest, export_articles, parse_since, write_digest
from nkwatch.publish.digest import FORMATS as DIGEST_FORMATS
from nkwatch.publish.digest import Digest, render
from nkwatch.publish.export import EXPORT_FORMATS
from nkwatch.publish.stories import list_stories, protected_titles, story_to_dict
from nkwatch.store import SQLiteStore

EXIT_ERROR = 4
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


class Context:
    """What every command needs: settings and a lazily opened store."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: SQLiteStore | None = None

    @property
    def store(self) -> SQLiteStore:
        if self._store is None:
            self._store = SQLiteStore(self.settings.db_path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def protector(self) -> Protector:
        """The protection stage for what a command prints or writes."""
        return Protector(load_profile(self.settings.enrich.profile or None))


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    envvar="NKWATCH_DB",
    type=click.Path(dir_okay=False),
    help="SQLite store to use (default: nkwatch.db, or [store] path in the config).",
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
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.version_option(package_name="nkwatch")
@click.pass_context
def cli(
    ctx: click.Context,
    db_path: str | None,
    config_path: str | None,
    profile_path: str | None,
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
        if profile_path:
            settings = replace(settings, enrich=replace(settings.enrich, profile=profile_path))
            load_profile(profile_path)  # a broken profile is reported before any work starts
    except NkwatchError as exc:
        _error(str(exc))
        ctx.exit(EXIT_ERROR)
    context = Context(settings)
    ctx.obj = context
    ctx.call_on_close(context.close)


def _error(message: str) -> None:
    err.print(f"[red]error:[/] {escape(message)}")


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except NkwatchError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)


@contextmanager
def _progress(label: str) -> Iterator[Any]:
    """A spinner with the current input on a terminal; nothing when output is a log."""
    if not err.is_terminal:
        yield None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} inputs"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(label, total=None)

        def advance(location: str) -> None:
            progress.update(task, advance=1, description=f"{label} {location[-60:]}")

        yield advance


def _ingest(context: Context, specs: list[str], *, command: str, offline: bool) -> IngestReport:
    with _progress("ingesting") as advance:
        return ingest_specs(
            specs,
            settings=context.settings,
            store=context.store,
            allow_network=not offline,
            on_input=advance,
            command=command,
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
    for rejected in report.rejections:
        err.print(
            f"rejected: {rejected.source}: {rejected.reason.value}: {rejected.detail}",
            markup=False,
        )


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--offline", is_flag=True, help="Never fetch; URLs and feed links are rejected.")
@pass_context
def ingest(context: Context, sources: tuple[str, ...], offline: bool) -> None:
    """Ingest files, folders, URLs of pages or feeds, OPML lists and WARC archives.

    Exit status 0 when every input gave articles, 1 when some were rejected, 3 when nothing
    was ingested.
    """
    with _errors():
        report = _ingest(context, list(sources), command="ingest", offline=offline)
    _print_report(report)
    sys.exit(report.exit_code())


def _until(store: SQLiteStore, value: str) -> datetime:
    if value == "now":
        return datetime.now(UTC)
    if value == "latest":
        return store.latest_date() or datetime.now(UTC)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _write_digest(
    context: Context, *, since: datetime, until: datetime, fmt: str, output: str | None
) -> Digest:
    """Build, write (or print) and record one digest."""
    profile = load_profile(context.settings.enrich.profile or None)
    result = build_digest(
        context.store,
        profile=profile,
        since=since,
        until=until,
        site_url=context.settings.run.site_url or None,
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
@pass_context
def digest(context: Context, since: str, until_value: str, fmt: str, output: str | None) -> None:
    """Write the digest of the window's stories, grouped by theme, with "Read more" links.

    Formats: html (one self-contained file), md, rss, atom, jsonfeed.
    """
    with _errors():
        until = _until(context.store, until_value)
        _write_digest(
            context, since=parse_since(since, until=until), until=until, fmt=fmt, output=output
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
    settings = context.settings
    use_sample = sample or not settings.run.sources
    if use_sample:
        settings = replace(settings, outlets={**sample_outlets(), **settings.outlets})
        context.settings = settings
    specs = [str(sample_corpus_path())] if use_sample else list(settings.run.sources)
    with _errors():
        report = _ingest(context, specs, command="run", offline=offline or use_sample)
        _print_report(report)
        until = _until(context.store, "now")
        # The sample corpus spans weeks of autumn 2026: its digest covers all of it.
        since = parse_since("120d" if use_sample else settings.run.digest_since, until=until)
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
    sys.exit(0 if report.ingested or report.counts["not-modified"] else 3)


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
                _error(f"cannot write {output}: {exc.strerror}; choose another path")
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

    with _errors():
        until = _until(context.store, until_value) if until_value else None
        start = parse_since(since, until=until or datetime.now(UTC)) if since else None
        hits = context.store.search(
            " ".join(query), outlet=outlet, since=start, until=until, limit=limit
        )
        protector = context.protector()
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
        out.print(f"    {scope.protect(hit.snippet).text}", markup=False)


@cli.command()
@click.option("-n", "--limit", default=30, show_default=True, help="Rows per table.")
@pass_context
def status(context: Context, limit: int) -> None:
    """What the store holds, recent runs, rejected inputs and failed fetches."""
    store = context.store
    counts = store.count_articles()
    out.print(f"store: {context.settings.db_path}")
    out.print("articles: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"))
    runs = Table("run", "command", "started", "stored", "updated", "unchanged", "rejected")
    for row in store.runs(limit=5):
        runs.add_row(
            str(row["id"]),
            row["command"],
            row["started_at"],
            str(row["stored"]),
            str(row["updated"]),
            str(row["unchanged"]),
            str(row["rejected"]),
        )
    out.print(runs)
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

    with _errors():
        store = context.store
        until = _until(store, until_value) if until_value else None
        start = parse_since(since, until=until or datetime.now(UTC)) if since else None
        views = list_stories(store, since=start, until=until, theme=theme, min_sources=min_sources)
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
            date = (article.published or article.fetched_at).date().isoformat()
            copy = f" copy of {article.duplicate_of}" if article.duplicate_of else ""
            out.print(f"    {date} {article.outlet}: {member_title}{copy}", markup=False)
    if not views and not as_json:
        out.print("no stories")


@cli.command()
@click.argument("measure", required=False)
@click.option(
    "--window", default=45.0, show_default=True, help="Days within which values must agree."
)
@pass_context
def figures(context: Context, measure: str | None, window: float) -> None:
    """Tracked measures and their reported values over time, with disagreements flagged.

    Without MEASURE, lists every measure with reports; with one, shows its values.
    """
    with _errors():
        profile = load_profile(context.settings.enrich.profile or None)
        series = track(profile, context.store.iter_figures(), window_days=window)
        protector = Protector(profile)
    if measure is None:
        for item in series:
            flag = f", {len(item.disagreements)} disagreement(s)" if item.disagreements else ""
            out.print(
                f"{item.measure.id}: {item.measure.label} ({len(item.reports)} report(s){flag})",
                markup=False,
            )
        if not series:
            out.print("no figures tracked yet")
        return
    chosen = [item for item in series if item.measure.id == measure]
    if not chosen:
        known = ", ".join(m.id for m in profile.measures)
        _error(f"no reports for measure {measure!r}; measures in the profile: {known}")
        sys.exit(EXIT_ERROR)
    item = chosen[0]
    out.print(f"{item.measure.label} [{item.measure.unit}]", markup=False)
    for report in item.reports:
        source = context.store.get_article(report.article_id)
        scope = protector.scope([article_context(source)] if source else [])
        report = replace(
            report,
            sentence=scope.protect(report.sentence).text,
            attribution=scope.protect(report.attribution).text if report.attribution else None,
        )
        date = report.published.date().isoformat() if report.published else "no date"
        value = f"{report.value:,.10g}" + (
            f"–{report.value_max:,.10g}" if report.value_max is not None else ""
        )
        approx = f"{report.approx} " if report.approx else ""
        who = report.attribution or "the outlet itself"
        hedge = f", {report.hedge}" if report.hedge else ""
        out.print(f"  {date}  {approx}{value}  {report.outlet}: {who}{hedge}", markup=False)
        out.print(f"      “{report.sentence}”", markup=False)
    for disagreement in item.disagreements:
        a, b = disagreement.first, disagreement.second
        out.print(
            f"  disagreement: {a.outlet} ({a.value:,.10g}) vs {b.outlet} ({b.value:,.10g})",
            markup=False,
        )


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


cli.add_command(status, name="sources")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="nkwatch")


if __name__ == "__main__":
    main()
