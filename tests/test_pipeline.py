"""The ingest pipeline end to end: every input kind, every bad input, idempotence, HTTP politeness.

HTTP tests run against a real local server (pytest-httpserver on 127.0.0.1).
"""

from __future__ import annotations

import gzip
import io
from dataclasses import replace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import nkwatch.runner as runner_module
from nkwatch.config import Settings, load_settings, sample_corpus_path
from nkwatch.errors import Reason
from nkwatch.pipeline import IngestReport, Pipeline
from nkwatch.store import SQLiteStore

BODY = (
    "North Korean engineering troops began clearing mines along the border on Tuesday, "
    "according to the South Korean military. The work, which has continued for months, now "
    "covers several sections of the demilitarised zone. Officials said roughly 300 soldiers "
    "were seen at one site, though the number could not be independently confirmed."
)
BODY_2 = (
    "Rice prices in the northern border city of Hyesan climbed for a third straight week, "
    "traders told reporters by phone. A kilogram of rice now sells for about 7,800 won, up "
    "from 6,900 won a month ago, while corn prices held steady as the harvest arrived."
)


def page(title: str, body: str, *, date: str = "2026-11-10T08:00:00+09:00", extra: str = "") -> str:
    paragraphs = "".join(f"<p>{p.strip()}.</p>" for p in body.split(". ") if p.strip())
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Border Desk</title>
<meta property="og:site_name" content="Border Desk">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "{title}", "datePublished": "{date}"}}</script></head>
<body><nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<article><h1>{title}</h1>{paragraphs}{extra}</article>
<aside><h3>Latest Stories</h3><ul><li><a href="/a">Another headline about markets</a></li></ul></aside>
<footer>(c) 2026 Border Desk</footer></body></html>"""


@pytest.fixture
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    base = load_settings(db_path=str(tmp_path_factory.mktemp("db") / "t.db"))
    fetch = replace(
        base.fetch,
        per_host_delay=0.0,
        max_retries=0,
        total_timeout=10.0,
        allow_networks=("127.0.0.1/32",),  # the local test server
    )
    return replace(base, fetch=fetch)


@pytest.fixture
def store(settings: Settings) -> SQLiteStore:
    with SQLiteStore(settings.db_path) as s:
        yield s


def run(settings: Settings, store: SQLiteStore, *specs: str, network: bool = True) -> IngestReport:
    pipeline = Pipeline(settings, store, allow_network=network)
    try:
        return pipeline.ingest(list(specs))
    finally:
        pipeline.close()


def reasons(report: IngestReport) -> dict[str, str]:
    return {
        Path(r.source).name if "://" not in r.source else r.source: r.reason.value
        for r in report.rejections
    }


# -- local files ---------------------------------------------------------------------------------


def test_html_text_and_json_files(settings: Settings, store: SQLiteStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mines.html").write_text(page("Troops clear mines at the border", BODY))
    (folder / "rice.txt").write_text(
        "Home\nPolitics\nEconomy\nSearch\n\nRice prices climb again in Hyesan\n\n"
        f"November 3, 2026\n\n{BODY_2}\n\nLatest Stories\nKim visits a factory\n"
        "Missile test draws protest\nBorder guards reshuffled\n\n© 2026 Example Times\n"
    )
    (folder / "partner.json").write_text(
        f'[{{"url": "https://partner.example/1", "title": "Mines", "text": "{BODY}",'
        ' "published": "2026-11-02T10:00:00Z", "outlet": "Partner"}]'
    )
    report = run(settings, store, str(folder))
    assert report.rejections == []
    assert report.counts["stored"] == 3
    by_title = {a.title: a for a in store.iter_articles()}
    html_article = by_title["Troops clear mines at the border"]
    assert html_article.published_from == "json-ld"
    assert html_article.published is not None and html_article.published.hour == 23
    assert html_article.outlet == "Border Desk"
    assert "Latest Stories" not in html_article.text and "Home" not in html_article.text
    assert html_article.language == "en"
    text_article = by_title["Rice prices climb again in Hyesan"]
    assert "Kim visits a factory" not in text_article.text
    assert "7,800 won" in text_article.text
    assert text_article.published is not None and text_article.published.day == 3
    assert by_title["Mines"].outlet == "Partner"


def test_reingest_changes_nothing(settings: Settings, store: SQLiteStore, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(page("Troops clear mines at the border", BODY))
    (tmp_path / "b.html").write_text(page("Rice prices climb in Hyesan", BODY_2))
    first = run(settings, store, str(tmp_path))
    before = [a.to_export() for a in store.iter_articles()]
    second = run(settings, store, str(tmp_path))
    assert first.counts["stored"] == 2
    assert second.counts["stored"] == 0 and second.counts["unchanged"] == 2
    assert [a.to_export() for a in store.iter_articles()] == before


def test_interrupted_run_keeps_committed_work_and_reruns_cleanly(
    settings: Settings, store: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(4):
        (tmp_path / f"{index}.html").write_text(
            page(f"Report number {index}", f"{BODY} Item {index}.")
        )
    # One document per task and per committed batch: the interrupt loses only the open one.
    monkeypatch.setattr(runner_module, "DOCUMENTS_PER_TASK", 1)
    settings = replace(settings, ingest=replace(settings.ingest, batch=1))
    real = runner_module.extract_document
    calls = {"n": 0}

    def flaky(raw, *, options=None):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(raw, options=options)

    monkeypatch.setattr(runner_module, "extract_document", flaky)
    with pytest.raises(KeyboardInterrupt):
        run(settings, store, str(tmp_path))
    assert sum(store.count_articles().values()) == 2
    monkeypatch.setattr(runner_module, "extract_document", real)
    report = run(settings, store, str(tmp_path))
    assert (report.counts["stored"], report.counts["unchanged"]) == (2, 2)
    assert sum(store.count_articles().values()) == 4


def test_bad_inputs_each_get_a_reason_and_the_batch_goes_on(
    settings: Settings, store: SQLiteStore, tmp_path: Path
) -> None:
    (tmp_path / "good.html").write_text(page("Troops clear mines at the border", BODY))
    (tmp_path / "image.html").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    )
    (tmp_path / "zero.html").write_bytes(b"")
    with open(tmp_path / "huge.html", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    (tmp_path / "feed.xml").write_text(page("Not a feed", BODY_2))
    (tmp_path / "notes.xyz").write_text("some notes")
    (tmp_path / "nav-only.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav><p>Page not found.</p></body></html>"
    )
    report = run(settings, store, str(tmp_path), "/no/such/path", "ftp://example.org/x")
    assert reasons(report) == {
        "image.html": Reason.BINARY.value,
        "zero.html": Reason.EMPTY.value,
        "huge.html": Reason.TOO_LARGE.value,
        "feed.xml": Reason.BAD_FEED.value,
        "notes.xyz": Reason.UNSUPPORTED.value,
        "nav-only.html": Reason.NOT_AN_ARTICLE.value,
        "path": Reason.NOT_FOUND.value,
        "ftp://example.org/x": Reason.UNSUPPORTED.value,
    }
    assert report.counts["stored"] == 1
    assert report.exit_code() == 1
    stored = {(r.source.rsplit("/", 1)[-1], r.reason) for r in store.rejections()}
    assert ("huge.html", "too-large") in stored
    messages = " ".join(str(r) for r in report.rejections)
    assert "max_file_bytes" in messages and "HTML page, not a feed" in messages


def test_nothing_ingested_exit_code(settings: Settings, store: SQLiteStore, tmp_path: Path) -> None:
    (tmp_path / "zero.txt").write_bytes(b"")
    assert run(settings, store, str(tmp_path)).exit_code() == 3


def test_charsets_euc_kr_windows_1251_and_invalid_utf8(
    settings: Settings, store: SQLiteStore, tmp_path: Path
) -> None:
    korean = (
        "북한 공병 부대가 화요일 군사분계선 일대에서 지뢰 제거 작업을 다시 시작했다고 합동참모본부가 "
        "밝혔다. 군 당국은 약 300명의 병력이 한 지점에서 관측됐다고 전했다. 작업은 몇 달째 이어지고 "
        "있으며 여러 구간으로 확대됐다. 전문가들은 이번 작업이 국경 통제를 강화하려는 조치의 일환이라고 "
        "분석했다. 한 탈북민 단체 관계자는 주민들의 이동이 더욱 어려워질 것이라고 우려했다. 국방부는 "
        "북한군의 동향을 계속 면밀히 감시하고 있다고 덧붙였다."
    )
    html = page("북한군 지뢰 제거 작업 재개", korean).replace('charset="utf-8"', 'charset="euc-kr"')
    (tmp_path / "ko.html").write_bytes(html.encode("euc-kr"))
    russian = (
        "Северокорейские инженерные войска возобновили разминирование у границы, сообщили "
        "военные Южной Кореи. По их данным, на одном участке заметили около 300 солдат. "
        "Работы продолжаются уже несколько месяцев и охватывают новые участки. Эксперты считают, "
        "что так Пхеньян усиливает контроль над границей. Правозащитники опасаются, что бежать из "
        "страны станет ещё труднее, а военные в Сеуле продолжают следить за ситуацией."
    )
    (tmp_path / "ru.txt").write_bytes(("Разминирование у границы\n\n" + russian).encode("cp1251"))
    mixed = page("Troops clear mines at the border", BODY).encode() + b"\xff\xfe\xfa broken tail"
    (tmp_path / "broken-utf8.html").write_bytes(mixed)
    report = run(settings, store, str(tmp_path))
    assert report.rejections == []
    languages = {a.language: a for a in store.iter_articles()}
    assert set(languages) == {"ko", "ru", "en"}
    assert "지뢰 제거" in languages["ko"].text
    assert "разминирование" in languages["ru"].text


def test_warc_archive(settings: Settings, store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, html in (
            ("https://border.example/mines", page("Troops clear mines at the border", BODY)),
            ("https://border.example/rice", page("Rice prices climb in Hyesan", BODY_2)),
        ):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            body = html.encode()
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                )
            )
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://border.example/x.png",
                "response",
                payload=io.BytesIO(b"\x89PNG"),
                length=4,
                http_headers=headers,
            )
        )
    report = run(settings, store, str(path))
    assert report.rejections == []
    assert sorted(a.url for a in store.iter_articles()) == [
        "https://border.example/mines",
        "https://border.example/rice",
    ]


# -- over HTTP ------------------------------------------------------------------------------------


def rss(server: HTTPServer, *paths: str, full_text: bool = False) -> str:
    items = []
    for path in paths:
        content = (
            f"<content:encoded><![CDATA[<p>{BODY}</p><p>{BODY_2}</p>]]></content:encoded>"
            if full_text
            else ""
        )
        items.append(
            f"<item><title>Item {path}</title><link>{server.url_for(path)}</link>"
            f"<pubDate>Tue, 10 Nov 2026 08:00:00 GMT</pubDate><description>Short.</description>{content}</item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Border Desk feed</title><link>{server.url_for('/')}</link>{''.join(items)}</channel></rss>"
    )


def test_feed_links_are_fetched_with_robots_and_conditional_get(
    settings: Settings, store: SQLiteStore, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n"
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss(httpserver, "/news/mines", "/news/rice", "/private/secret"),
        content_type="application/rss+xml",
        headers={"ETag": '"feed-v1"'},
    )
    httpserver.expect_request("/news/mines").respond_with_data(
        page("Troops clear mines at the border", BODY), content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/news/rice").respond_with_data(
        page("Rice prices climb in Hyesan", BODY_2, date="2026-11-09"), content_type="text/html"
    )
    first = run(settings, store, httpserver.url_for("/feed.xml"))
    assert first.counts["stored"] == 2
    assert reasons(first) == {httpserver.url_for("/private/secret"): Reason.ROBOTS.value}
    assert not any(
        "/private/" in log["url"] for log in store.fetches(limit=100) if log["status"] == 200
    )

    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n"
    )
    httpserver.expect_request(
        "/feed.xml", headers={"If-None-Match": '"feed-v1"'}
    ).respond_with_data("", status=304)
    second = run(settings, store, httpserver.url_for("/feed.xml"))
    assert second.counts["not-modified"] == 1
    assert second.counts["stored"] == 0
    assert sum(store.count_articles().values()) == 2


def test_full_text_feed_needs_no_page_fetch(
    settings: Settings, store: SQLiteStore, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/atom-like.xml").respond_with_data(
        rss(httpserver, "/story/1", full_text=True), content_type="application/rss+xml"
    )
    report = run(settings, store, httpserver.url_for("/atom-like.xml"))
    assert report.counts["stored"] == 1 and report.rejections == []
    (article,) = store.iter_articles()
    assert article.published_from == "feed"
    assert article.url == httpserver.url_for("/story/1")
    assert article.title == "Item /story/1"


def test_opml_lists_feeds(
    settings: Settings, store: SQLiteStore, httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss(httpserver, "/story/2", full_text=True)
    )
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Feeds</title></head><body>'
        f'<outline text="Korea"><outline type="rss" text="Border" xmlUrl="{httpserver.url_for("/feed.xml")}"/>'
        "</outline></body></opml>"
    )
    report = run(settings, store, str(opml))
    assert report.counts["stored"] == 1


def test_pages_gzip_and_unreachable_urls(
    settings: Settings, store: SQLiteStore, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(page("Rice prices climb in Hyesan", BODY_2).encode()),
        headers={"Content-Encoding": "gzip", "Content-Type": "text/html; charset=utf-8"},
    )
    httpserver.expect_request("/gone").respond_with_data("gone", status=410)
    report = run(
        settings,
        store,
        httpserver.url_for("/gz"),
        httpserver.url_for("/gone"),
        "http://127.0.0.1:9/x",
    )
    assert report.counts["stored"] == 1
    assert reasons(report) == {
        httpserver.url_for("/gone"): Reason.HTTP_STATUS.value,
        # Nothing listens on port 9: a network failure, not a robots.txt refusal.
        "http://127.0.0.1:9/x": Reason.FETCH_ERROR.value,
    }
    failures = [log for log in store.fetches(limit=50) if log["error"]]
    assert {log["url"].rsplit("/", 1)[-1] for log in failures} >= {"gone", "robots.txt"}


def test_offline_rejects_urls(settings: Settings, store: SQLiteStore) -> None:
    report = run(settings, store, "https://example.org/x", network=False)
    assert reasons(report) == {"https://example.org/x": Reason.FETCH_ERROR.value}


def test_digest_page_and_syndicated_repost_over_http(
    settings: Settings, store: SQLiteStore, httpserver: HTTPServer
) -> None:
    corpus = sample_corpus_path()
    digest_html = (corpus / "digests" / "kfr_week_in_north_korea_oct16.html").read_bytes()
    repost_html = (corpus / "html" / "pl_rice_prices_repost.html").read_bytes()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/week").respond_with_data(digest_html, content_type="text/html")
    httpserver.expect_request("/repost").respond_with_data(repost_html, content_type="text/html")
    report = run(settings, store, httpserver.url_for("/week"), httpserver.url_for("/repost"))
    assert report.rejections == []
    articles = list(store.iter_articles())
    page = next(a for a in articles if a.kind == "digest-page")
    items = [a for a in articles if a.parent_id == page.id]
    assert page.url == httpserver.url_for("/week")
    assert len(items) == 6
    assert all(item.url and item.url.startswith("https://") for item in items)
    repost = next(a for a in articles if a.url == httpserver.url_for("/repost"))
    assert repost.origin is not None and repost.origin.outlet == "Pyongyang Monitor"
    assert "[Source:" not in repost.text
