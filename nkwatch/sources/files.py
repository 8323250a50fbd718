"""Local files: directories walked recursively, each file classified by extension and content.

Reads paths and yields what each file is (page, text, feed, OPML, WARC, JSON); rejects empty,
oversized, binary and unknown files with a typed reason before reading them whole.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nkwatch.errors import Reason, RejectedInput
from nkwatch.record import Article

log = logging.getLogger(__name__)

PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
OPML_SUFFIXES = {".opml"}
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
KNOWN = sorted(
    PAGE_SUFFIXES
    | TEXT_SUFFIXES
    | FEED_SUFFIXES
    | JSON_SUFFIXES
    | OPML_SUFFIXES
    | set(WARC_SUFFIXES)
)


def file_kind(path: Path) -> str:
    """``warc``, ``opml``, ``json``, ``feed``, ``page``, ``text``, ``unknown`` or ``sniff``."""
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    suffix = path.suffix.lower()
    if suffix in OPML_SUFFIXES:
        return "opml"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in PAGE_SUFFIXES:
        return "page"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return "sniff" if not suffix else "unknown"


def walk(path: Path) -> Iterator[Path]:
    """Files under ``path`` in a stable order, skipping hidden files and folders."""
    if path.is_file():
        yield path
        return
    for child in sorted(path.rglob("*")):
        relative = child.relative_to(path)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if child.is_file():
            yield child


def read_checked(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, after rejecting missing, empty and oversized files without reading them."""
    location = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise RejectedInput(location, Reason.NOT_FOUND, "no such file; check the path") from exc
    if size == 0:
        raise RejectedInput(location, Reason.EMPTY, "the file is empty (0 bytes)")
    if size > max_bytes:
        raise RejectedInput(
            location,
            Reason.TOO_LARGE,
            f"the file is {size / 1_048_576:.0f} MiB, over the {max_bytes / 1_048_576:.0f} MiB "
            "limit ([ingest] max_file_bytes); split it or raise the limit",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RejectedInput(location, Reason.FETCH_ERROR, f"cannot read the file: {exc}") from exc


def unknown_type(path: Path) -> RejectedInput:
    """The rejection for a file whose extension nkwatch does not read."""
    return RejectedInput(
        str(path),
        Reason.UNSUPPORTED,
        f"unknown file type {path.suffix!r}; nkwatch reads {', '.join(KNOWN)}",
    )


_TEXT_KEYS = ("text", "body", "content", "articleBody", "article_body")
_DATE_KEYS = ("published", "date", "published_at", "datePublished", "pubDate")


def _parse_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def json_records(content: bytes, *, location: str) -> Iterator[Article | RejectedInput]:
    """Articles from a JSON list, ``{"articles": [...]}``, one object, or JSON Lines."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RejectedInput(location, Reason.ENCODING, "JSON must be UTF-8") from exc
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise RejectedInput(
                location, Reason.NOT_AN_ARTICLE, f"not valid JSON or JSON Lines: {exc}"
            ) from exc
    if isinstance(data, dict):
        data = data.get("articles", data.get("items", [data]))
    if not isinstance(data, list):
        raise RejectedInput(location, Reason.NOT_AN_ARTICLE, "expected a list of article objects")
    for index, item in enumerate(data):
        item_location = f"{location}#{index}"
        if not isinstance(item, dict):
            yield RejectedInput(item_location, Reason.NOT_AN_ARTICLE, "item is not an object")
            continue
        body = next((item[k] for k in _TEXT_KEYS if isinstance(item.get(k), str)), "")
        if not body.strip():
            yield RejectedInput(
                item_location,
                Reason.EMPTY,
                f"item has no text (looked for {', '.join(_TEXT_KEYS)})",
            )
            continue
        date_value = next((item[k] for k in _DATE_KEYS if item.get(k)), None)
        published = _parse_date(date_value)
        url = item.get("url") if isinstance(item.get("url"), str) else None
        yield Article(
            text=body.strip(),
            title=item.get("title") if isinstance(item.get("title"), str) else None,
            url=url,
            canonical_url=url,
            outlet=item.get("outlet") or item.get("source") or None,
            author=item.get("author") if isinstance(item.get("author"), str) else None,
            published=published,
            published_from="feed" if published else "none",
            source=item_location,
            source_key=url or item_location,
        )
