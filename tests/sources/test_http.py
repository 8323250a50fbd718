"""Tests for the polite fetcher, against a local HTTP server and httpx's mock transport."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from nkwatch.errors import FetchError, Reason
from nkwatch.sources.http import (
    Fetcher,
    FetchLog,
    FetchSettings,
    InMemoryValidatorStore,
)

ROBOTS_ALLOW_ALL = "User-agent: *\nDisallow:\n"
#: The local test server is on loopback, which the fetcher refuses unless it is allowed.
LOOPBACK_SERVER = ("127.0.0.1/32",)


class FakeTime:
    """A clock that moves only when the fetcher sleeps (or a test advances it)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def store() -> InMemoryValidatorStore:
    return InMemoryValidatorStore()


@pytest.fixture
def make_fetcher(
    fake_time: FakeTime, store: InMemoryValidatorStore
) -> Iterator[Callable[..., Fetcher]]:
    fetchers: list[Fetcher] = []

    def make(transport: httpx.BaseTransport | None = None, **overrides: object) -> Fetcher:
        overrides.setdefault("allow_networks", LOOPBACK_SERVER)
        fetcher = Fetcher(
            FetchSettings(**overrides),  # type: ignore[arg-type]
            validators=store,
            transport=transport,
            clock=fake_time.clock,
            sleep=fake_time.sleep,
        )
        fetchers.append(fetcher)
        return fetcher

    yield make
    for fetcher in fetchers:
        fetcher.close()


def paths_requested(httpserver: HTTPServer) -> list[str]:
    return [request.path for request, _ in httpserver.log]


def serve_robots(httpserver: HTTPServer, text: str = ROBOTS_ALLOW_ALL) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(text, content_type="text/plain")


def mock(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(handler)


# -- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["ftp://example.org/file", "file:///etc/passwd", "/relative/path", "mailto:a@b.c"]
)
def test_non_http_urls_are_unsupported(make_fetcher: Callable[..., Fetcher], url: str) -> None:
    fetcher = make_fetcher(mock(lambda request: pytest.fail("no request expected")))

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url)

    assert caught.value.reason is Reason.UNSUPPORTED
    assert "only http and https" in caught.value.detail
    assert "file input" in caught.value.detail


def test_body_content_type_charset_and_user_agent(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    serve_robots(httpserver)
    httpserver.expect_request(
        "/page", headers={"User-Agent": FetchSettings().user_agent}
    ).respond_with_data(
        "<html>안녕</html>".encode("euc-kr"), content_type="text/html; charset=EUC-KR"
    )
    fetcher = make_fetcher()

    result = fetcher.fetch(httpserver.url_for("/page"))

    assert result.status == 200
    assert result.content == "<html>안녕</html>".encode("euc-kr")
    assert result.content_type == "text/html"
    assert result.charset == "euc-kr"
    assert result.headers["content-type"] == "text/html; charset=EUC-KR"
    assert not result.not_modified
    doc = fetcher.to_raw_document(result, outlet="Example")
    assert doc.location == doc.url == httpserver.url_for("/page")
    assert doc.content == result.content
    assert (doc.content_type, doc.charset, doc.outlet) == ("text/html", "euc-kr", "Example")
    assert doc.fetched_at == result.fetched_at


# -- robots.txt -------------------------------------------------------------------------------


def test_robots_disallow_is_respected_and_robots_fetched_once(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    serve_robots(httpserver, "User-agent: *\nDisallow: /private\n")
    httpserver.expect_request("/public").respond_with_data("ok")
    fetcher = make_fetcher()

    assert fetcher.fetch(httpserver.url_for("/public")).content == b"ok"
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(httpserver.url_for("/private/page"))
    fetcher.fetch(httpserver.url_for("/public"))

    assert caught.value.reason is Reason.ROBOTS
    assert "disallows" in caught.value.detail
    assert paths_requested(httpserver) == ["/robots.txt", "/public", "/public"]


def test_robots_group_for_our_user_agent(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    serve_robots(httpserver, "User-agent: nkwatch\nDisallow: /\n\nUser-agent: *\nDisallow:\n")
    fetcher = make_fetcher()

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(httpserver.url_for("/anything"))

    assert caught.value.reason is Reason.ROBOTS
    assert paths_requested(httpserver) == ["/robots.txt"]


@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_oversized_robots_is_cut_and_its_rules_kept(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], encoding: str | None
) -> None:
    rules = b"User-agent: *\nDisallow: /private\n" + b"# padding\n" * 100_000  # ~1 MB
    headers = {"Content-Encoding": "gzip"} if encoding else {}
    httpserver.expect_request("/robots.txt").respond_with_response(
        Response(gzip.compress(rules) if encoding else rules, headers=headers)
    )
    httpserver.expect_request("/public").respond_with_data("ok")
    fetcher = make_fetcher()

    assert fetcher.fetch(httpserver.url_for("/public")).content == b"ok"
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(httpserver.url_for("/private/page"))

    assert caught.value.reason is Reason.ROBOTS
    assert "disallows" in caught.value.detail


@pytest.mark.parametrize("status", [404, 410, 403])
def test_missing_robots_allows_everything(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], status: int
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("nope", status=status)
    httpserver.expect_request("/page").respond_with_data("ok")
    fetcher = make_fetcher()

    assert fetcher.fetch(httpserver.url_for("/page")).content == b"ok"
    assert paths_requested(httpserver) == ["/robots.txt", "/page"]


@pytest.mark.parametrize("status", [500, 503, 429])
def test_unreachable_robots_blocks_the_host(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], status: int
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=status)
    httpserver.expect_request("/page").respond_with_data("ok")
    fetcher = make_fetcher()

    for _ in range(2):
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(httpserver.url_for("/page"))
        assert caught.value.reason is Reason.ROBOTS
        assert "robots.txt" in caught.value.detail
        assert "unreachable" in caught.value.detail

    assert paths_requested(httpserver) == ["/robots.txt"]


def test_robots_ignored_when_disabled(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    serve_robots(httpserver, "User-agent: *\nDisallow: /\n")
    httpserver.expect_request("/page").respond_with_data("ok")
    fetcher = make_fetcher(respect_robots=False)

    assert fetcher.fetch(httpserver.url_for("/page")).content == b"ok"
    assert paths_requested(httpserver) == ["/page"]


# -- pacing -----------------------------------------------------------------------------------


def test_crawl_delay_wins_over_a_smaller_per_host_delay(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    serve_robots(httpserver, "User-agent: *\nCrawl-delay: 5\nDisallow:\n")
    httpserver.expect_request("/a").respond_with_data("a")
    fetcher = make_fetcher(per_host_delay=1.0)

    fetcher.fetch(httpserver.url_for("/a"))
    fetcher.fetch(httpserver.url_for("/a"))

    assert fake_time.sleeps == [5.0, 5.0]


def test_per_host_delay_wins_over_a_smaller_crawl_delay(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    serve_robots(httpserver, "User-agent: *\nCrawl-delay: 1\n")
    httpserver.expect_request("/a").respond_with_data("a")
    fetcher = make_fetcher(per_host_delay=3.0)

    fetcher.fetch(httpserver.url_for("/a"))
    fetcher.fetch(httpserver.url_for("/a"))

    assert fake_time.sleeps == [3.0, 3.0]


def test_per_host_delay_is_per_host_and_counts_elapsed_time(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    fetcher = make_fetcher(
        mock(lambda request: httpx.Response(200, text=request.url.host)),
        per_host_delay=2.0,
        respect_robots=False,
    )

    fetcher.fetch("http://a.test/1")
    fetcher.fetch("http://b.test/1")
    assert fake_time.sleeps == []
    fake_time.now += 0.5
    fetcher.fetch("http://a.test/2")
    assert fake_time.sleeps == [1.5]
    fake_time.now += 10
    fetcher.fetch("http://a.test/3")
    assert fake_time.sleeps == [1.5]


# -- conditional GET --------------------------------------------------------------------------


def test_etag_then_304_is_not_modified_and_keeps_validators(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], store: InMemoryValidatorStore
) -> None:
    serve_robots(httpserver)
    url = httpserver.url_for("/feed")
    httpserver.expect_request("/feed", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304
    )
    httpserver.expect_oneshot_request("/feed").respond_with_data(
        "<rss/>", headers={"ETag": '"v1"'}, content_type="application/rss+xml"
    )
    fetcher = make_fetcher()

    first = fetcher.fetch(url)
    assert store.validators[url] == ('"v1"', None)
    second = fetcher.fetch(url)

    assert first.content == b"<rss/>" and not first.not_modified
    assert second.not_modified
    assert second.status == 304
    assert second.content == b""
    assert store.validators[url] == ('"v1"', None)
    assert [log.not_modified for log in store.logs] == [False, False, True]
    with pytest.raises(ValueError, match="not modified"):
        fetcher.to_raw_document(second)


def test_last_modified_is_sent_back(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], store: InMemoryValidatorStore
) -> None:
    stamp = "Tue, 02 Jan 2024 10:00:00 GMT"
    serve_robots(httpserver)
    url = httpserver.url_for("/feed")
    httpserver.expect_request("/feed", headers={"If-Modified-Since": stamp}).respond_with_data(
        "", status=304
    )
    httpserver.expect_oneshot_request("/feed").respond_with_data(
        "<rss/>", headers={"Last-Modified": stamp}
    )
    fetcher = make_fetcher()

    fetcher.fetch(url)
    assert store.validators[url] == (None, stamp)
    assert fetcher.fetch(url).not_modified
    assert store.validators[url] == (None, stamp)


def test_new_validators_replace_old_ones_and_unconditional_sends_none(
    make_fetcher: Callable[..., Fetcher], store: InMemoryValidatorStore
) -> None:
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.headers))
        return httpx.Response(200, text="x", headers={"ETag": f'"v{len(seen)}"'})

    store.save_validators("http://a.test/feed", '"v0"', "Mon, 01 Jan 2024 00:00:00 GMT")
    fetcher = make_fetcher(mock(handler), respect_robots=False)

    fetcher.fetch("http://a.test/feed", conditional=False)
    fetcher.fetch("http://a.test/feed")

    assert "if-none-match" not in seen[0] and "if-modified-since" not in seen[0]
    assert seen[1]["if-none-match"] == '"v1"'
    assert "if-modified-since" not in seen[1]
    assert store.validators["http://a.test/feed"] == ('"v2"', None)


# -- retries ----------------------------------------------------------------------------------


def sequence(*responses: httpx.Response) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering with ``responses`` in order (the last one repeats)."""
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return responses[min(len(requests), len(responses)) - 1]

    return httpx.MockTransport(handler), requests


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_is_honoured(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime, status: int
) -> None:
    transport, requests = sequence(
        httpx.Response(status, headers={"Retry-After": "7"}), httpx.Response(200, text="ok")
    )
    fetcher = make_fetcher(transport, respect_robots=False)

    result = fetcher.fetch("http://a.test/page")

    assert result.content == b"ok"
    assert len(requests) == 2
    assert fake_time.sleeps == [7.0]


def test_retry_after_http_date_is_honoured(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    transport, requests = sequence(
        httpx.Response(503, headers={"Retry-After": when}), httpx.Response(200, text="ok")
    )
    fetcher = make_fetcher(transport, respect_robots=False)

    assert fetcher.fetch("http://a.test/page").content == b"ok"
    assert len(requests) == 2
    (slept,) = fake_time.sleeps
    assert 25.0 <= slept <= 30.0


def test_retry_after_in_the_past_waits_only_the_host_delay(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    when = format_datetime(datetime(2000, 1, 1, tzinfo=UTC), usegmt=True)
    transport, _ = sequence(
        httpx.Response(429, headers={"Retry-After": when}), httpx.Response(200, text="ok")
    )
    fetcher = make_fetcher(transport, respect_robots=False, per_host_delay=1.0)

    assert fetcher.fetch("http://a.test/page").content == b"ok"
    assert fake_time.sleeps == [1.0]


def test_retry_after_longer_than_the_cap_gives_up(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    transport, requests = sequence(httpx.Response(429, headers={"Retry-After": "3600"}))
    fetcher = make_fetcher(transport, respect_robots=False, max_retry_wait=60.0)

    with pytest.raises(FetchError) as caught:
        fetcher.fetch("http://a.test/page")

    assert caught.value.reason is Reason.HTTP_STATUS
    assert "429" in caught.value.detail
    assert len(requests) == 1
    assert fake_time.sleeps == []


def test_retries_are_limited(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime, store: InMemoryValidatorStore
) -> None:
    transport, requests = sequence(httpx.Response(503, headers={"Retry-After": "2"}))
    fetcher = make_fetcher(transport, respect_robots=False, max_retries=2, per_host_delay=0.0)

    with pytest.raises(FetchError) as caught:
        fetcher.fetch("http://a.test/page")

    assert caught.value.reason is Reason.HTTP_STATUS
    assert "HTTP 503" in caught.value.detail
    assert len(requests) == 3
    assert fake_time.sleeps == [2.0, 2.0]
    assert [log.status for log in store.logs] == [503, 503, 503]


def test_missing_retry_after_backs_off_within_the_cap(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    transport, requests = sequence(httpx.Response(503))
    fetcher = make_fetcher(
        transport, respect_robots=False, per_host_delay=0.0, max_retries=3, max_retry_wait=3.0
    )

    with pytest.raises(FetchError):
        fetcher.fetch("http://a.test/page")

    assert len(requests) == 4
    assert fake_time.sleeps == [1.0, 2.0, 3.0]


# -- limits -----------------------------------------------------------------------------------


def test_gzip_body_is_capped_after_decompression(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], store: InMemoryValidatorStore
) -> None:
    cap = 1024 * 1024
    compressed = gzip.compress(b"a" * (4 * cap))
    assert len(compressed) < cap // 10
    serve_robots(httpserver)
    httpserver.expect_request("/bomb").respond_with_response(
        Response(compressed, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})
    )
    fetcher = make_fetcher(max_bytes=cap)

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(httpserver.url_for("/bomb"))

    assert caught.value.reason is Reason.TOO_LARGE
    assert "after decompression" in caught.value.detail
    assert store.logs[-1].reason == Reason.TOO_LARGE.value


def test_gzip_body_within_the_cap_is_decompressed(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    serve_robots(httpserver)
    httpserver.expect_request("/small").respond_with_response(
        Response(gzip.compress(b"<p>hello</p>"), headers={"Content-Encoding": "gzip"})
    )
    fetcher = make_fetcher(max_bytes=100)

    assert fetcher.fetch(httpserver.url_for("/small")).content == b"<p>hello</p>"


def test_declared_content_length_over_the_cap_is_rejected_early(
    make_fetcher: Callable[..., Fetcher],
) -> None:
    pulled: list[int] = []

    def body() -> Iterator[bytes]:
        for index in range(100):
            pulled.append(index)
            yield b"x" * 1000

    transport = mock(
        lambda request: httpx.Response(200, headers={"Content-Length": "100000"}, content=body())
    )
    fetcher = make_fetcher(transport, respect_robots=False, max_bytes=5000)

    with pytest.raises(FetchError) as caught:
        fetcher.fetch("http://a.test/big")

    assert caught.value.reason is Reason.TOO_LARGE
    assert "Content-Length" in caught.value.detail
    assert pulled == []


def test_streamed_body_stops_as_soon_as_the_cap_is_passed(
    make_fetcher: Callable[..., Fetcher],
) -> None:
    pulled: list[int] = []

    def body() -> Iterator[bytes]:
        for index in range(100):
            pulled.append(index)
            yield b"x" * 1000

    fetcher = make_fetcher(
        mock(lambda request: httpx.Response(200, content=body())),
        respect_robots=False,
        max_bytes=5500,
    )

    with pytest.raises(FetchError) as caught:
        fetcher.fetch("http://a.test/big")

    assert caught.value.reason is Reason.TOO_LARGE
    assert len(pulled) == 6


def test_total_deadline_covers_the_body(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    def slow_body() -> Iterator[bytes]:
        for _ in range(100):
            fake_time.now += 1.0
            yield b"x" * 10

    fetcher = make_fetcher(
        mock(lambda request: httpx.Response(200, content=slow_body())),
        respect_robots=False,
        total_timeout=5.0,
    )

    with pytest.raises(FetchError) as caught:
        fetcher.fetch("http://a.test/slow")

    assert caught.value.reason is Reason.FETCH_ERROR
    assert "longer than 5 s" in caught.value.detail


# -- network errors, statuses, redirects ------------------------------------------------------


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_is_a_fetch_error(
    make_fetcher: Callable[..., Fetcher], store: InMemoryValidatorStore
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/page"
    fetcher = make_fetcher(respect_robots=False, connect_timeout=2.0)

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url)

    assert caught.value.reason is Reason.FETCH_ERROR
    assert caught.value.source == url
    (log,) = store.logs
    assert (log.url, log.status, log.reason) == (url, None, Reason.FETCH_ERROR.value)
    assert log.error


def test_connection_refused_for_robots_blocks_the_host(
    make_fetcher: Callable[..., Fetcher], store: InMemoryValidatorStore
) -> None:
    port = closed_port()
    fetcher = make_fetcher(connect_timeout=2.0)

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"http://127.0.0.1:{port}/page")

    # A refused connection says nothing about what the site allows: it is a network failure.
    assert caught.value.reason is Reason.FETCH_ERROR
    assert caught.value.detail.startswith("robots.txt unreachable: connection refused")
    assert caught.value.source == f"http://127.0.0.1:{port}/page"
    assert [log.url for log in store.logs] == [f"http://127.0.0.1:{port}/robots.txt"]


def test_timeout_is_a_fetch_error(make_fetcher: Callable[..., Fetcher]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    fetcher = make_fetcher(mock(handler), respect_robots=False)

    with pytest.raises(FetchError) as caught:
        fetcher.fetch("http://a.test/slow")

    assert caught.value.reason is Reason.FETCH_ERROR
    assert "timed out" in caught.value.detail
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


@pytest.mark.parametrize("status", [404, 410, 500])
def test_error_status_is_http_status(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], status: int
) -> None:
    serve_robots(httpserver)
    httpserver.expect_request("/page").respond_with_data("no", status=status)
    fetcher = make_fetcher()

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(httpserver.url_for("/page"))

    assert caught.value.reason is Reason.HTTP_STATUS
    assert f"HTTP {status}" in caught.value.detail


def test_redirects_are_followed_to_the_final_url(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], store: InMemoryValidatorStore
) -> None:
    serve_robots(httpserver)
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/middle"}
    )
    httpserver.expect_request("/middle").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/new")}
    )
    httpserver.expect_request("/new").respond_with_data("new", headers={"ETag": '"n"'})
    fetcher = make_fetcher()

    result = fetcher.fetch(httpserver.url_for("/old"))

    assert result.url == httpserver.url_for("/new")
    assert result.content == b"new"
    assert store.validators[httpserver.url_for("/old")] == ('"n"', None)
    assert [(log.url.rsplit("/", 1)[-1], log.status) for log in store.logs] == [
        ("robots.txt", 200),
        ("old", 301),
        ("middle", 302),
        ("new", 200),
    ]


def test_redirect_targets_are_checked_against_robots(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    serve_robots(httpserver, "User-agent: *\nDisallow: /private\n")
    httpserver.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": "/private/x"}
    )
    fetcher = make_fetcher()

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(httpserver.url_for("/go"))

    assert caught.value.reason is Reason.ROBOTS
    assert "/private/x" not in paths_requested(httpserver)


def test_too_many_redirects(make_fetcher: Callable[..., Fetcher]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{hop + 1}"})

    fetcher = make_fetcher(mock(handler), respect_robots=False)

    with pytest.raises(FetchError) as caught:
        fetcher.fetch("http://a.test/0")

    assert caught.value.reason is Reason.FETCH_ERROR
    assert "more than 5 redirects" in caught.value.detail


def test_redirect_to_another_scheme_is_unsupported(make_fetcher: Callable[..., Fetcher]) -> None:
    fetcher = make_fetcher(
        mock(lambda request: httpx.Response(301, headers={"Location": "ftp://a.test/file"})),
        respect_robots=False,
    )

    with pytest.raises(FetchError) as caught:
        fetcher.fetch("http://a.test/page")

    assert caught.value.reason is Reason.UNSUPPORTED


# -- the fetch log ----------------------------------------------------------------------------


def test_every_attempt_is_recorded(
    httpserver: HTTPServer, make_fetcher: Callable[..., Fetcher], store: InMemoryValidatorStore
) -> None:
    serve_robots(httpserver, "User-agent: *\nDisallow: /private\n")
    httpserver.expect_request("/ok").respond_with_data("12345")
    httpserver.expect_request("/missing").respond_with_data("no", status=404)

    def flaky(request: Request) -> Response:
        flaky.calls += 1  # type: ignore[attr-defined]
        if flaky.calls == 1:  # type: ignore[attr-defined]
            return Response("busy", status=503, headers={"Retry-After": "1"})
        return Response("done")

    flaky.calls = 0  # type: ignore[attr-defined]
    httpserver.expect_request("/flaky").respond_with_handler(flaky)

    with make_fetcher() as fetcher:
        fetcher.fetch(httpserver.url_for("/ok"))
        with pytest.raises(FetchError):
            fetcher.fetch(httpserver.url_for("/missing"))
        with pytest.raises(FetchError):
            fetcher.fetch(httpserver.url_for("/private"))
        fetcher.fetch(httpserver.url_for("/flaky"))

    assert all(isinstance(log, FetchLog) for log in store.logs)
    assert [(log.url.rsplit("/", 1)[-1], log.status, log.bytes) for log in store.logs] == [
        ("robots.txt", 200, len("User-agent: *\nDisallow: /private\n")),
        ("ok", 200, 5),
        ("missing", 404, 0),
        ("flaky", 503, 0),
        ("flaky", 200, 4),
    ]
    assert [log.reason for log in store.logs] == [None, None, "http-status", "http-status", None]
    assert store.logs[2].error == "the server answered HTTP 404"
    assert all(log.fetched_at.tzinfo is not None for log in store.logs)
    assert all(log.duration_ms >= 0 for log in store.logs)


def test_in_memory_store_round_trip() -> None:
    store = InMemoryValidatorStore()

    assert store.get_validators("http://a.test/") is None
    store.save_validators("http://a.test/", '"e"', None)
    assert store.get_validators("http://a.test/") == ('"e"', None)
