"""Pages: every one renders from the store; security headers, access token, CSRF and hosts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from nkwatch.errors import NkwatchError
from nkwatch.pipeline import ingest
from nkwatch.store import SQLiteStore
from nkwatch.web.app import CSP, serve
from tests.web.conftest import settings_for


@pytest.fixture
def client(sample_db: Path, client_for: Any) -> Any:
    return client_for(sample_db)


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def test_every_page_renders(client: Any) -> None:
    stories = client.get("/api/v1/stories").json()["items"]
    measure = client.get("/api/v1/figures").json()["items"][0]["id"]
    entity = client.get("/api/v1/entities").json()["items"][0]["name"]
    for path in (
        "/?since=120d",
        "/stories",
        f"/stories/{stories[0]['id']}",
        "/articles/1",
        "/figures",
        f"/figures/{measure}",
        "/entities",
        f"/entities/{entity}",
        "/search?q=missile",
        "/sources",
        "/watches",
        "/login",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert "<script" not in response.text.lower()
    today = client.get("/?since=120d").text
    assert 'href="/stories/' in today and "Read more" in today


def test_today_names_as_many_sources_as_it_counts(client: Any) -> None:
    html = client.get("/", params={"since": "365d"}).text
    lines = re.findall(r'<div class="meta">(\d+) independent sources?: ([^<·]*)', html)
    assert len(lines) >= 5
    copies = 0
    for count, names in lines:
        reporting, _, copying = names.partition("; copies in ")
        assert len(reporting.strip().split(", ")) == int(count), names
        copies += bool(copying)
    assert copies, "the sample's stories carry copies, named apart"


def test_figures_page_has_a_chart_and_links_each_point(client: Any) -> None:
    html = client.get("/figures").text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    reports = sum(len(m["reports"]) for m in client.get("/api/v1/figures").json()["items"])
    assert html.count('class="point" href="/articles/') == reports


def test_figures_pages_say_which_claims_they_show(client: Any) -> None:
    html = client.get("/figures").text
    assert "the half year before the newest article" in html
    assert '<a href="?since=1900-01-01">All claims</a>' in html
    later = client.get("/figures", params={"since": "2099-01-01"}).text
    assert "No figures tracked since 2099-01-01." in later
    assert "the half year before" not in later
    quiet = client.get("/figures/it-workers-revenue").text  # a measure the sample lacks
    assert "No claims since 2026-" in quiet


def test_figures_read_as_written(client: Any) -> None:
    items = client.get("/api/v1/figures").json()["items"]
    vague = [r for m in items for r in m["reports"] if r["approx"] in ("several", "millions of")]
    assert vague, "the sample should hold vague figures"
    html = client.get("/figures").text
    for report in vague:
        assert report["written"] in ("several thousand", "several hundred", "millions")
        assert f"<td>{report['written']}" in html
    assert "several 1,000" not in html and "millions of 1,000,000" not in html


_PAGE = """<html><head><title>{title}</title>
<meta property="article:published_time" content="{day}T09:00:00+00:00"></head>
<body><article><h1>{title}</h1><p>{claim}</p><p>{more}</p></article></body></html>"""


def test_a_disagreement_names_both_claimants_dates_and_sentences(
    tmp_path: Path, client_for: Any
) -> None:
    sides = [
        (
            "wire",
            "2026-10-01",
            "South Korea's spy agency said 11,000 North Korean troops are in Russia's Kursk "
            "region.",
            "Lawmakers were told at a closed session that fresh units had arrived by rail in "
            "September and that older units were being sent home.",
        ),
        (
            "times",
            "2026-10-02",
            "Ukraine's military intelligence said more than 15,000 North Korean troops are in "
            "Russia's Kursk region.",
            "A spokesman in Kyiv added that engineers and deminers made up a growing share of "
            "the force and that losses had risen through the autumn.",
        ),
    ]
    for name, day, claim, more in sides:
        page = _PAGE.format(title=f"Troops in Kursk ({name})", day=day, claim=claim, more=more)
        (tmp_path / f"{name}.html").write_text(page, encoding="utf-8")
    db = tmp_path / "t.db"
    with SQLiteStore(db) as store:
        ingest([str(tmp_path)], settings=settings_for(db), store=store, allow_network=False)
    client = client_for(db)
    [measure] = [m for m in client.get("/api/v1/figures").json()["items"] if m["disagreements"]]
    html = client.get("/figures").text
    dispute = measure["disagreements"][0]
    for side in (dispute["first"], dispute["second"]):
        assert f"<strong>{side['written']}</strong>, {escape(side['attribution'])}" in html
        assert f"{escape(side['outlet'])}, {side['published'][:10]}" in html
        assert f"<q>{escape(side['sentence'])}</q>" in html
    assert "more than 15,000" in html


def test_search_highlights_and_keeps_the_query_in_the_url(client: Any) -> None:
    html = client.get("/search", params={"q": "missile", "per_page": 1}).text
    assert "<mark>" in html.lower()
    assert 'value="missile"' in html
    assert re.search(r'href="/search\?[^"]*q=missile[^"]*page=2', html)


def test_bad_page_parameters_are_a_4xx_page(client: Any) -> None:
    for path in ("/stories?page=0", "/stories?since=banana", "/stories/abc", "/stories/424242"):
        response = client.get(path)
        assert 400 <= response.status_code < 500, path
        assert response.headers["content-type"].startswith("text/html")


def test_security_headers_on_pages_and_api(client: Any) -> None:
    for path in ("/", "/api/v1/stories", "/api/v1/nothing", "/static/web.css"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    assert "script-src" not in CSP and "unsafe-inline" not in CSP
    assert "default-src 'none'" in CSP


def test_forms_need_the_csrf_token(client: Any) -> None:
    page = client.get("/watches")
    token = _csrf(page.text)
    refused = client.post("/watches", data={"keyword": "rice"}, follow_redirects=False)
    assert refused.status_code == 403
    forged = client.post(
        "/watches", data={"keyword": "rice", "csrf": "guess"}, follow_redirects=False
    )
    assert forged.status_code == 403
    made = client.post("/watches", data={"keyword": "rice", "csrf": token}, follow_redirects=False)
    assert made.status_code == 303
    watch_page = client.get(made.headers["location"])
    assert "keyword = rice" in watch_page.text
    watch_id = made.headers["location"].rsplit("/", 1)[1]
    gone = client.post(f"/watches/{watch_id}/delete", data={"csrf": token}, follow_redirects=False)
    assert gone.status_code == 303
    assert client.get("/api/v1/watches").json() == {"items": []}


def test_a_bad_watch_form_is_a_4xx(client: Any) -> None:
    token = _csrf(client.get("/watches").text)
    response = client.post("/watches", data={"csrf": token, "theme": "nope"})
    assert response.status_code == 400 and "not in the profile" in response.text


def test_token_guards_every_page_and_api_call(sample_db: Path, client_for: Any) -> None:
    client = client_for(sample_db, token="correct horse")
    assert client.get("/api/v1/stories").status_code == 401
    assert "token" in client.get("/api/v1/stories").json()["error"]["message"]
    page = client.get("/stories", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert client.get("/api/v1/openapi.json").status_code == 401
    good = {"Authorization": "Bearer correct horse"}
    assert client.get("/api/v1/stories", headers=good).status_code == 200
    assert client.get("/api/v1/stories", headers={"X-Nkwatch-Token": "wrong"}).status_code == 401
    form = client.get("/login?next=/stories")
    token = _csrf(form.text)
    wrong = client.post("/login", data={"token": "nope", "csrf": token, "next": "/stories"})
    assert wrong.status_code == 403
    assert client.get("/stories", follow_redirects=False).status_code == 303
    signed = client.post(
        "/login",
        data={"token": "correct horse", "csrf": token, "next": "/stories"},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/stories"
    assert client.get("/stories").status_code == 200
    assert client.get("/api/v1/stories").status_code == 200  # the session cookie serves both


def test_login_does_not_redirect_off_site(sample_db: Path, client_for: Any) -> None:
    client = client_for(sample_db, token="t0ken")
    token = _csrf(client.get("/login").text)
    signed = client.post(
        "/login",
        data={"token": "t0ken", "csrf": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert signed.headers["location"] == "/"


def test_unknown_host_names_are_refused(sample_db: Path, client_for: Any) -> None:
    client = client_for(sample_db, allowed_hosts=["127.0.0.1", "localhost"])
    assert client.get("/", headers={"Host": "127.0.0.1:8080"}).status_code == 200
    assert client.get("/", headers={"Host": "rebound.example"}).status_code == 400


def test_binding_beyond_loopback_needs_a_token(sample_db: Path) -> None:
    from tests.web.conftest import settings_for

    with pytest.raises(NkwatchError, match="access token"):
        serve(settings_for(sample_db), host="0.0.0.0", port=0)


def test_a_silent_source_watch_from_the_form(client: Any) -> None:
    token = _csrf(client.get("/watches").text)
    made = client.post(
        "/watches",
        data={"csrf": token, "source": "https://example.org/feed.xml", "silent_days": "3"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    [watch] = client.get("/api/v1/watches").json()["items"]
    assert watch["source"] == "https://example.org/feed.xml" and watch["silent_days"] == 3
    bad = client.post("/watches", data={"csrf": token, "source": "x", "silent_days": "soon"})
    assert bad.status_code == 400 and "whole number" in bad.text
