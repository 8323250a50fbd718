"""Tests for reading web archives."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from nkwatch.errors import Reason, RejectedInput
from nkwatch.record import RawDocument
from nkwatch.sources.warc import iter_warc

PAGE = "<html><head><title>{n}</title></head><body><p>{body}</p></body></html>"


def _response(
    writer: WARCWriter,
    uri: str,
    body: bytes,
    *,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    date: str = "2024-03-04T05:06:07Z",
) -> None:
    http_headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)


def write_archive(path: Path, *, gzip: bool) -> Path:
    """An archive with three HTML pages and records that must be skipped."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        _response(writer, "https://a.example/1", PAGE.format(n=1, body="one").encode())
        _response(
            writer,
            "https://a.example/2",
            PAGE.format(n=2, body="두 번째").encode("euc-kr"),
            content_type="text/html; charset=EUC-KR",
            date="2024-03-05T00:00:00Z",
        )
        _response(writer, "https://a.example/logo.png", b"\x89PNG\r\n", content_type="image/png")
        _response(writer, "https://a.example/gone", b"<html>gone</html>", status="404 Not Found")
        request = writer.create_warc_record(
            "https://a.example/1",
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                "GET /1 HTTP/1.1",
                [("Host", "a.example")],
                protocol="HTTP/1.1",
                is_http_request=True,
            ),
        )
        writer.write_record(request)
        _response(
            writer,
            "https://a.example/3",
            PAGE.format(n=3, body="three" * 2000).encode(),
            content_type="application/xhtml+xml",
        )
    return path


@pytest.mark.parametrize(("name", "gzip"), [("pages.warc.gz", True), ("pages.warc", False)])
def test_html_responses_become_documents(
    tmp_path: Path, name: str, gzip: bool, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_archive(tmp_path / name, gzip=gzip)

    with caplog.at_level(logging.INFO, logger="nkwatch.sources.warc"):
        items = list(iter_warc(path))

    assert all(isinstance(item, RawDocument) for item in items)
    docs = [item for item in items if isinstance(item, RawDocument)]
    assert [doc.url for doc in docs] == [
        "https://a.example/1",
        "https://a.example/2",
        "https://a.example/3",
    ]
    first, second, third = docs
    assert first.location == f"{path}#https://a.example/1"
    assert first.content == PAGE.format(n=1, body="one").encode()
    assert first.content_type == "text/html"
    assert first.charset == "utf-8"
    assert first.fetched_at == datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert second.charset == "euc-kr"
    assert second.content.decode("euc-kr").count("두 번째") == 1
    assert second.fetched_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert third.content_type == "application/xhtml+xml"
    assert len(third.content) > 10_000
    summary = " ".join(record.getMessage() for record in caplog.records)
    assert "1 non-HTML responses" in summary
    assert "1 non-200 responses" in summary


def test_oversized_page_is_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "pages.warc.gz", gzip=True)

    items = list(iter_warc(path, max_bytes=5000))

    assert [type(item).__name__ for item in items] == [
        "RawDocument",
        "RawDocument",
        "RejectedInput",
    ]
    rejected = items[-1]
    assert isinstance(rejected, RejectedInput)
    assert rejected.reason is Reason.TOO_LARGE
    assert rejected.source == f"{path}#https://a.example/3"


@pytest.mark.parametrize("gzip", [True, False])
@pytest.mark.parametrize("keep", [0.5, 0.97])
def test_truncated_archive_yields_what_it_read_then_rejects(
    tmp_path: Path, gzip: bool, keep: float
) -> None:
    whole = write_archive(tmp_path / "whole.warc", gzip=gzip).read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(whole[: int(len(whole) * keep)])

    items = list(iter_warc(cut))

    assert items, "a truncated archive must at least report the damage"
    *documents, last = items
    assert all(isinstance(item, RawDocument) for item in documents)
    assert isinstance(last, RejectedInput)
    assert last.reason is Reason.BAD_ARCHIVE
    assert last.source == str(cut)
    if keep > 0.9:
        assert [doc.url for doc in documents if isinstance(doc, RawDocument)][:2] == [
            "https://a.example/1",
            "https://a.example/2",
        ]


def test_garbage_file_is_a_bad_archive(tmp_path: Path) -> None:
    path = tmp_path / "not.warc"
    path.write_bytes(b"<html>this is a page, not an archive</html>")

    (item,) = iter_warc(path)

    assert isinstance(item, RejectedInput)
    assert item.reason is Reason.BAD_ARCHIVE


def test_corrupt_gzip_is_a_bad_archive(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)

    items = list(iter_warc(path))

    assert len(items) == 1
    assert isinstance(items[0], RejectedInput)
    assert items[0].reason is Reason.BAD_ARCHIVE


def test_missing_and_empty_files(tmp_path: Path) -> None:
    (missing,) = iter_warc(tmp_path / "nowhere.warc.gz")
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    (blank,) = iter_warc(empty)

    assert isinstance(missing, RejectedInput) and missing.reason is Reason.NOT_FOUND
    assert isinstance(blank, RejectedInput) and blank.reason is Reason.EMPTY


def test_an_archive_with_no_html_page_says_so(tmp_path: Path) -> None:
    path = tmp_path / "images.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        _response(writer, "https://news.example/logo.png", b"\x89PNG", content_type="image/png")
        _response(
            writer, "https://news.example/robots.txt", b"User-agent: *", content_type="text/plain"
        )
        _response(writer, "https://news.example/gone", b"<p>gone</p>", status="404 Not Found")
    items = list(iter_warc(path))
    assert len(items) == 1 and isinstance(items[0], RejectedInput)
    assert items[0].reason is Reason.NOT_AN_ARTICLE
    assert "no HTML page with status 200 (3 records read" in items[0].detail
