"""The digest: a window's articles, newest first, as one self-contained HTML file or Markdown.

Reads stored articles for a time window and writes, for each, its title, outlet, date, a lead of
its first sentences quoted verbatim, and a "Read more" link to the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from nkwatch.errors import PublishError
from nkwatch.record import Article
from nkwatch.sentences import lead
from nkwatch.store import SQLiteStore

FORMATS = ("html", "md")
_WINDOW = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """One article as the digest shows it."""

    article_id: int | None
    title: str
    outlet: str
    published: datetime | None
    lead: str
    link: str | None
    origin: str | None


@dataclass(frozen=True, slots=True)
class Digest:
    """A window of articles ready to render."""

    since: datetime
    until: datetime
    generated_at: datetime
    entries: tuple[DigestEntry, ...]


def parse_since(value: str, *, until: datetime) -> datetime:
    """``1d``, ``12h``, ``2w`` before ``until``, or an ISO date/datetime."""
    match = _WINDOW.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        return until - timedelta(**{_UNITS[unit]: amount})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise PublishError(
            f"--since {value!r} is neither a window like 1d, 12h, 2w nor a date like 2026-11-01"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _safe_link(url: str | None) -> str | None:
    """Only web links reach a digest; ``javascript:`` and the like are dropped."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def _entry(article: Article) -> DigestEntry:
    origin = None
    if article.origin is not None:
        origin = article.origin.outlet or article.origin.url
    return DigestEntry(
        article_id=article.id,
        title=article.title or "(untitled)",
        outlet=article.outlet or "unknown outlet",
        published=article.published,
        lead=lead(article.text, 2),
        link=_safe_link(article.url) or _safe_link(article.canonical_url),
        origin=origin,
    )


def build_digest(
    store: SQLiteStore, *, since: datetime, until: datetime, now: datetime | None = None
) -> Digest:
    """Collect the window's articles (digest pages themselves excluded), newest first."""
    articles = store.iter_articles(
        since=since, until=until, kinds=("article", "digest-item"), newest_first=True
    )
    return Digest(
        since=since,
        until=until,
        generated_at=now or datetime.now(UTC),
        entries=tuple(_entry(article) for article in articles),
    )


_ENV = Environment(
    loader=PackageLoader("nkwatch.publish", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _date(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "date unknown"


_ENV.filters["date"] = _date


def render_html(digest: Digest) -> str:
    """One self-contained HTML file: inline CSS, no scripts, no external requests."""
    return _ENV.get_template("digest.html.j2").render(digest=digest)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(digest: Digest) -> str:
    """The digest as Markdown."""
    lines = [
        f"# nkwatch digest: {_date(digest.since)} to {_date(digest.until)}",
        "",
        f"{len(digest.entries)} article(s). Generated {_date(digest.generated_at)}.",
        "",
    ]
    if not digest.entries:
        lines += ["Nothing new in this window.", ""]
    for entry in digest.entries:
        lines += [f"## {_md(entry.title)}", ""]
        meta = f"*{_md(entry.outlet)}* · {_date(entry.published)}"
        if entry.origin:
            meta += f" · first published by {_md(entry.origin)}"
        lines += [meta, "", f"> {_md(entry.lead)}" if entry.lead else "", ""]
        if entry.link:
            lines += [f"[Read more]({entry.link.replace(' ', '%20').replace(')', '%29')})", ""]
    return "\n".join(lines).rstrip() + "\n"


def render(digest: Digest, fmt: str) -> str:
    """Render in one of :data:`FORMATS`."""
    if fmt == "html":
        return render_html(digest)
    if fmt == "md":
        return render_markdown(digest)
    raise PublishError(f"unknown digest format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write_digest(digest: Digest, path: str | Path, fmt: str) -> Path:
    """Render and write; a path that cannot be written raises ``PublishError`` naming it."""
    target = Path(path)
    content = render(digest, fmt)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise PublishError(
            f"cannot write the digest to {target}: {exc.strerror or exc}; choose another -o path"
        ) from exc
    return target
