"""Local files: directories walked recursively, each file classified by extension and content.

Reads paths and yields what each file is (page, text, feed, OPML, WARC, JSON); rejects empty,
oversized, binary and unknown files with a typed reason before reading them whole.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nkwatch.errors import Reason, RejectedInput, printable
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


def display(path: Path | str) -> str:
    """A path as it can be printed and stored (undecodable bytes shown as ``\\xff``)."""
    return printable(str(path))


def walk(path: Path) -> Iterator[Path | RejectedInput]:
    """Regular files under ``path`` in a stable order, skipping hidden files and folders.

    Symbolic links to files are followed; links to folders are not (so link loops cannot trap
    the walk). What is not a regular file (a FIFO, a device, a socket, a broken or looping
    link) is yielded as a rejection with its reason instead of being opened.
    """
    problem = _not_regular(path, top=True)
    if problem is None and not path.is_dir():
        yield path
        return
    if problem is not None:
        yield problem
        return
    yield from _walk_folder(path)


def _walk_folder(folder: Path) -> Iterator[Path | RejectedInput]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield RejectedInput(display(folder), Reason.NOT_FOUND, f"cannot list the folder: {exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk_folder(child)
            continue
        problem = _not_regular(child, top=False)
        yield child if problem is None else problem


def _not_regular(path: Path, *, top: bool) -> RejectedInput | None:
    """Why ``path`` cannot be read as a file, or None for a regular file (or, at the top, a
    folder)."""
    location = display(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return RejectedInput(
                location, Reason.NOT_A_FILE, "a loop of symbolic links; fix or remove the link"
            )
        if path.is_symlink():
            return RejectedInput(
                location, Reason.NOT_FOUND, "a broken symbolic link; its target does not exist"
            )
        return RejectedInput(location, Reason.NOT_FOUND, f"cannot read it: {exc.strerror}")
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        if top:
            return None
        # A link to a folder inside the walk is not followed: it may loop back up.
        return RejectedInput(
            location,
            Reason.NOT_A_FILE,
            "a link to a folder, not followed (it may loop); ingest the folder itself",
        )
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return RejectedInput(
        location, Reason.NOT_A_FILE, f"{kind}, not a regular file; give files or folders"
    )


def read_checked(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, after rejecting missing, empty and oversized files without reading them."""
    location = display(path)
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
        display(path),
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
