"""Build the sample WARC archive used by nkwatch's bundled sample corpus.

Writes ``nkwatch/data/sample/corpus/archive/sample.warc.gz`` from the HTML pages kept in
``scripts/warc-src/`` plus a small robots.txt response. The output is
deterministic: every record carries a fixed WARC-Date and a WARC-Record-ID derived
from its target URI, and gzip members are written without a timestamp, so running
the script twice gives byte-identical files.

Usage::

    python scripts/make_sample_warc.py [--out PATH]
"""

from __future__ import annotations

import argparse
import io
import uuid
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "nkwatch" / "data" / "sample" / "corpus"
SRC_DIR = Path(__file__).resolve().parent / "warc-src"
DEFAULT_OUT = SAMPLE_DIR / "archive" / "sample.warc.gz"

# Namespace for deterministic record ids (uuid5 of the target URI and record type).
ID_NAMESPACE = uuid.UUID("6f1c2b9e-8d53-4a7e-9a41-3c0de5b7a210")

WARCINFO_DATE = "2026-11-20T00:00:00Z"

# (target URI, source file under warc-src/, WARC-Date)
HTML_RECORDS = [
    (
        "https://tumenrivertimes.example/index.php/politics/"
        "815-north-korea-and-russia-pledge-wider-cooperation-as-choe",
        "trt_choe_kremlin.html",
        "2026-10-02T03:12:45Z",
    ),
    (
        "https://tumenrivertimes.example/index.php/border/"
        "833-public-trial-in-hyesan-sends-a-message-across-the",
        "trt_hyesan_trial_river.html",
        "2026-10-08T08:30:05Z",
    ),
    (
        "https://tumenrivertimes.example/index.php/russia/"
        "839-report-north-korean-labourers-bolster-output-at-russian-drone",
        "trt_alabuga_labourers.html",
        "2026-10-29T04:01:10Z",
    ),
    (
        "https://tumenrivertimes.example/index.php/russia/"
        "844-ukraine-says-it-will-respect-north-korean-pows-wish",
        "trt_pows_wish_south.html",
        "2026-10-31T02:44:31Z",
    ),
    (
        "https://tumenrivertimes.example/index.php/russia/"
        "852-kyiv-12-000-north-korean-soldiers-now-in-russia",
        "trt_hur_casualties.html",
        "2026-11-04T01:15:22Z",
    ),
]

ROBOTS_URI = "https://tumenrivertimes.example/robots.txt"
ROBOTS_DATE = "2026-10-02T03:12:40Z"
ROBOTS_TXT = (
    "# robots.txt for Tumen River Times\n"
    "User-agent: *\n"
    "Disallow: /administrator/\n"
    "Disallow: /cache/\n"
    "Disallow: /tmp/\n"
    "Allow: /index.php/\n"
    "\n"
    "Sitemap: https://tumenrivertimes.example/sitemap.xml\n"
)


def record_id(uri: str, kind: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(ID_NAMESPACE, kind + ' ' + uri)}>"


def http_date(warc_date: str) -> str:
    """Turn 2026-10-02T03:12:45Z into an RFC 7231 date for the HTTP Date header."""
    when = datetime.strptime(warc_date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return when.strftime("%a, %d %b %Y %H:%M:%S GMT")


def response(writer: WARCWriter, uri: str, body: bytes, content_type: str, warc_date: str):
    http_headers = StatusAndHeaders(
        "200 OK",
        [
            ("Date", http_date(warc_date)),
            ("Server", "Apache"),
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),
        ],
        protocol="HTTP/1.1",
    )
    return writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-Date": warc_date,
            "WARC-Record-ID": record_id(uri, "response"),
            "WARC-IP-Address": "192.0.2.41",
        },
    )


def build(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(
            "sample.warc.gz",
            {
                "software": "nkwatch scripts/make_sample_warc.py (warcio)",
                "format": "WARC File Format 1.1",
                "description": "nkwatch sample corpus: invented outlet Tumen River Times",
                "isPartOf": "nkwatch-sample",
            },
        )
        info.rec_headers.replace_header("WARC-Date", WARCINFO_DATE)
        info.rec_headers.replace_header("WARC-Record-ID", record_id("sample.warc.gz", "warcinfo"))
        writer.write_record(info)

        writer.write_record(
            response(writer, ROBOTS_URI, ROBOTS_TXT.encode("utf-8"), "text/plain", ROBOTS_DATE)
        )
        for uri, name, warc_date in HTML_RECORDS:
            body = (SRC_DIR / name).read_bytes()
            writer.write_record(response(writer, uri, body, "text/html; charset=utf-8", warc_date))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the WARC")
    args = parser.parse_args()
    path = build(args.out)
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
