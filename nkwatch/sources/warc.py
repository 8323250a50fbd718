"""Web archives as a source: HTML responses from .warc and .warc.gz files.

warcio reads the archive as a stream (plain or gzip, chunked and compressed HTTP bodies decoded),
so archives of any size are read record by record. A truncated or corrupt archive yields the
records read so far and then one rejection; it never stops a run.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from nkwatch.errors import Reason, RejectedInput, printable
from nkwatch.record import RawDocument

__all__ = ["HTML_TYPES", "iter_warc"]

logger = logging.getLogger(__name__)

#: Media types of HTTP responses that are turned into documents.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Bodies larger than this (after decoding) are rejected as too large.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_DRAIN_CHUNK = 64 * 1024
#: How archives begin: a gzip member, a WARC record or an ARC file header (longest last).
_ARCHIVE_STARTS = (b"\x1f\x8b", b"WARC/", b"filedesc://")


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    """Media type and charset of a ``Content-Type`` header value."""
    if not value:
        return None, None
    message = Message()
    message["content-type"] = value
    charset = message.get_param("charset")
    if not isinstance(charset, str) or not charset.strip():
        return message.get_content_type(), None
    return message.get_content_type(), charset.strip().lower()


def _warc_date(value: str | None) -> datetime:
    if value:
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            logger.debug("unreadable WARC-Date %r", value)
        else:
            return when if when.tzinfo else when.replace(tzinfo=UTC)
    return datetime.now(UTC)


def _truncated(record: Any) -> bool:
    """True when the archive ended before the record's declared length."""
    return bool(getattr(record.raw_stream, "limit", 0))


def iter_warc(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDocument | RejectedInput]:
    """Yield a document for every 200 HTML response in the archive, then any archive error."""
    source = printable(str(path))
    skipped: Counter[str] = Counter()
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        yield RejectedInput(source, Reason.NOT_FOUND, "no such file; check the path")
        return
    except OSError as exc:
        yield RejectedInput(source, Reason.BAD_ARCHIVE, f"cannot open the archive: {exc}")
        return

    end_of_last = 0
    read = 0
    documents = 0
    with stream:
        head = stream.read(len(_ARCHIVE_STARTS[-1]))
        stream.seek(0)
        if not head:
            yield RejectedInput(source, Reason.EMPTY, "the archive file is empty")
            return
        if not head.lstrip().startswith(_ARCHIVE_STARTS):
            # warcio reads almost anything as a lenient ARC record, so check the magic first.
            yield RejectedInput(
                source,
                Reason.BAD_ARCHIVE,
                "not a WARC or ARC file (plain or gzip); give a .warc or .warc.gz archive",
            )
            return
        try:
            records = ArchiveIterator(stream)
            for record in records:
                item = _document(record, source, max_bytes, skipped)
                # Reading the offset and length consumes the rest of the record.
                offset = records.get_record_offset()
                length = records.get_record_length()
                if _truncated(record):
                    yield RejectedInput(
                        source,
                        Reason.BAD_ARCHIVE,
                        f"the archive is truncated inside the record at byte {offset}; "
                        f"{read} records before it were read",
                    )
                    return
                end_of_last = max(end_of_last, offset + length)
                read += 1
                if item is not None:
                    documents += 1
                    yield item
        except Exception as exc:  # warcio on damaged input raises many types; all mean damage
            yield RejectedInput(
                source,
                Reason.BAD_ARCHIVE,
                f"the archive is corrupt after record {read} (byte {end_of_last}): "
                f"{type(exc).__name__}: {exc}; the {read} records before it were read",
            )
            return
        stream.seek(end_of_last)
        if stream.read(_DRAIN_CHUNK).strip():
            # A gzip member cut short ends iteration quietly, leaving unread bytes behind.
            yield RejectedInput(
                source,
                Reason.BAD_ARCHIVE,
                f"the archive is truncated or corrupt after byte {end_of_last}; "
                f"{read} records before it were read",
            )
            return
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items()))
    if skipped:
        logger.info("%s: skipped %s", source, summary)
    if not documents:
        yield RejectedInput(
            source,
            Reason.NOT_AN_ARTICLE,
            f"the archive holds no HTML page with status 200 ({read} records read"
            + (f"; skipped {summary}" if summary else "")
            + ")",
        )


def _document(
    record: Any, source: str, max_bytes: int, skipped: Counter[str]
) -> RawDocument | RejectedInput | None:
    """The document in one record, a rejection if it is too large, or None to skip it."""
    if record.rec_type != "response":
        return None
    http_headers = record.http_headers
    if http_headers is None:
        skipped["non-HTTP responses"] += 1
        return None
    target = record.rec_headers.get_header("WARC-Target-URI") or ""
    media_type, charset = _content_type(http_headers.get_header("Content-Type"))
    if media_type not in HTML_TYPES:
        skipped["non-HTML responses"] += 1
        return None
    if http_headers.get_statuscode() != "200":
        skipped["non-200 responses"] += 1
        return None
    location = f"{source}#{target}"
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return RejectedInput(
            location, Reason.TOO_LARGE, f"the page is larger than {max_bytes} bytes; skipped"
        )
    return RawDocument(
        location=location,
        content=content,
        url=target or None,
        content_type=media_type,
        charset=charset,
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
    )
