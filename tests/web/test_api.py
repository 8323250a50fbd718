"""The JSON API: every endpoint, paging, filters, stable ids, and a clear 4xx on bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nkwatch.publish.export import FIELDS

API = "/api/v1"


@pytest.fixture
def client(sample_db: Path, client_for: Any) -> Any:
    return client_for(sample_db)


def test_openapi_document_lists_every_endpoint(client: Any) -> None:
    doc = client.get(f"{API}/openapi.json").json()
    paths = set(doc["paths"])
    for path in (
        "/api/v1/digest",
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/figures",
        "/api/v1/figures/{measure}",
        "/api/v1/entities",
        "/api/v1/entities/{name}",
        "/api/v1/search",
        "/api/v1/sources",
        "/api/v1/watches",
        "/api/v1/watches/{watch_id}",
        "/api/v1/alerts",
    ):
        assert path in paths
    assert not any(not p.startswith(API) for p in paths)  # pages stay out of the API document


def test_stories_list_page_and_story(client: Any) -> None:
    first = client.get(f"{API}/stories", params={"per_page": 2}).json()
    assert len(first["items"]) == 2 and first["has_next"] and first["total"] >= 3
    second = client.get(f"{API}/stories", params={"per_page": 2, "page": 2}).json()
    assert {s["id"] for s in first["items"]}.isdisjoint(s["id"] for s in second["items"])
    sources = [s["independent_sources"] for s in first["items"] + second["items"]]
    assert sources == sorted(sources, reverse=True)
    story_id = first["items"][0]["id"]
    story = client.get(f"{API}/stories/{story_id}").json()
    assert story["id"] == story_id
    assert story["timeline"] and story["summary"] and story["outlets"]
    member_ids = {m["id"] for m in story["timeline"]}
    assert all(s["article_id"] in member_ids for s in story["summary"])
    # Ids are stable: the same story under the same id again.
    assert client.get(f"{API}/stories/{story_id}").json()["title"] == story["title"]


def test_story_filters(client: Any) -> None:
    every = client.get(f"{API}/stories", params={"per_page": 100}).json()["items"]
    themed = [s for s in every if s["themes"]]
    assert themed
    theme = themed[0]["themes"][0]
    got = client.get(f"{API}/stories", params={"theme": theme, "per_page": 100}).json()["items"]
    assert got and all(theme in s["themes"] for s in got)
    assert {s["id"] for s in got} == {s["id"] for s in every if theme in s["themes"]}
    outlet = every[0]["outlets"][0]
    got = client.get(f"{API}/stories", params={"outlet": outlet.upper()}).json()["items"]
    assert got and all(outlet in s["outlets"] for s in got)
    most = max(s["independent_sources"] for s in every)
    got = client.get(f"{API}/stories", params={"min_sources": most}).json()["items"]
    assert got and all(s["independent_sources"] >= most for s in got)
    got = client.get(f"{API}/stories", params={"language": "ko"}).json()["items"]
    assert got and all("ko" in s["languages"] for s in got)
    assert client.get(f"{API}/stories", params={"until": "2000-01-01"}).json()["items"] == []


def test_entity_filter_and_entity_endpoints(client: Any) -> None:
    entities = client.get(f"{API}/entities").json()["items"]
    assert entities and entities[0]["articles"] >= entities[-1]["articles"]
    name = entities[0]["name"]
    entity = client.get(f"{API}/entities/{name}").json()
    assert entity["name"] == name and entity["per_day"] and entity["stories"]
    got = client.get(f"{API}/stories", params={"entity": name, "per_page": 100}).json()
    assert {s["id"] for s in got["items"]} >= {s["id"] for s in entity["stories"][:1]}


def test_articles_follow_the_export_schema(client: Any) -> None:
    page = client.get(f"{API}/articles", params={"per_page": 5}).json()
    assert len(page["items"]) == 5 and page["has_next"]
    assert all(list(row) == list(FIELDS) for row in page["items"])
    one = client.get(f"{API}/articles/{page['items'][0]['id']}").json()
    assert one == page["items"][0]


def test_figures_search_sources_digest(client: Any) -> None:
    figures = client.get(f"{API}/figures").json()["items"]
    assert figures and all(m["reports"] for m in figures)
    measure = figures[0]["id"]
    one = client.get(f"{API}/figures/{measure}").json()
    assert one["id"] == measure and one["reports"][0]["sentence"]
    # The sample's claims all fall in the default half year; a later start leaves none.
    assert client.get(f"{API}/figures", params={"since": "2000-01-01"}).json()["items"] == figures
    assert client.get(f"{API}/figures", params={"since": "2099-01-01"}).json()["items"] == []
    assert client.get(f"{API}/figures/{measure}", params={"since": "1d"}).status_code == 200
    assert client.get(f"{API}/figures", params={"since": "soon"}).status_code == 400
    hits = client.get(f"{API}/search", params={"q": "missile"}).json()
    assert hits["items"] and hits["query"] == "missile"
    assert any(run["match"] for hit in hits["items"] for run in hit["snippet"])
    sources = client.get(f"{API}/sources").json()
    assert sources["runs"] and sources["counts"]
    digest = client.get(f"{API}/digest", params={"since": "120d"}).json()
    assert digest["sections"] and digest["sections"][0]["stories"]


def test_watches_and_alerts_endpoints(client: Any) -> None:
    assert client.get(f"{API}/watches").json() == {"items": []}
    made = client.post(f"{API}/watches", json={"keyword": "rice", "min_sources": 1})
    assert made.status_code == 201
    watch = made.json()
    assert watch["keyword"] == "rice" and watch["feeds"]["atom"].endswith("feed.atom")
    assert client.get(f"{API}/watches/{watch['id']}").json()["id"] == watch["id"]
    assert client.get(f"{API}/alerts", params={"watch": watch["id"]}).json()["items"] == []
    assert client.delete(f"{API}/watches/{watch['id']}").status_code == 204
    assert client.get(f"{API}/watches/{watch['id']}").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "params", "status"),
    [
        ("get", "/stories", {"page": "0"}, 400),
        ("get", "/stories", {"page": "x"}, 400),
        ("get", "/stories", {"per_page": "1000"}, 400),
        ("get", "/stories", {"min_sources": "-1"}, 400),
        ("get", "/stories", {"since": "yesterday-ish"}, 400),
        ("get", "/stories", {"until": "99999999d"}, 400),
        ("get", "/stories", {"theme": "x" * 300}, 400),
        ("get", "/stories/abc", {}, 400),
        ("get", "/stories/987654", {}, 404),
        ("get", "/stories/99999999999999999999999", {}, 400),
        ("get", "/articles/0", {}, 404),
        ("get", "/articles", {"since": "2026-13-45"}, 400),
        ("get", "/figures/no-such-measure", {}, 404),
        ("get", "/entities/Nobody%20At%20All", {}, 404),
        ("get", "/search", {}, 400),
        ("get", "/search", {"q": "   "}, 400),
        ("get", "/search", {"q": "x" * 600}, 400),
        ("get", "/search", {"q": "rice", "page": "-3"}, 400),
        ("get", "/sources", {"limit": "0"}, 400),
        ("get", "/alerts", {"watch": "0"}, 400),
        ("get", "/alerts", {"watch": "4242"}, 404),
        ("get", "/watches/4242", {}, 404),
        ("delete", "/watches/4242", {}, 404),
        ("get", "/nothing-here", {}, 404),
    ],
)
def test_bad_parameters_get_a_clear_4xx(
    client: Any, method: str, path: str, params: dict[str, str], status: int
) -> None:
    response = getattr(client, method)(API + path, params=params)
    assert response.status_code == status
    body = response.json()
    assert body["error"]["status"] == status and len(body["error"]["message"]) > 10


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"theme": "not-a-theme"},
        {"measure": "not-a-measure"},
        {"keyword": "rice", "min_sources": -1},
        {"keyword": "rice", "webhook": "javascript:alert(1)"},
        {"source": "https://example.org/feed"},
        {"keyword": "k" * 500},
        {"keyword": 5},
    ],
)
def test_bad_watches_are_refused(client: Any, body: dict[str, Any]) -> None:
    response = client.post(f"{API}/watches", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_api_writes_need_json(client: Any) -> None:
    response = client.post(f"{API}/watches", data={"keyword": "rice"})
    assert 400 <= response.status_code < 500
    assert client.get(f"{API}/watches").json() == {"items": []}


def test_entity_counts_follow_each_run(sample_db: Path, client_for: Any) -> None:
    from nkwatch.config import sample_corpus_path
    from nkwatch.pipeline import ingest
    from nkwatch.store import SQLiteStore
    from tests.web.conftest import settings_for

    client = client_for(sample_db)
    before = client.get(f"{API}/entities", params={"per_page": 100}).json()["items"]
    assert client.get(f"{API}/entities", params={"per_page": 100}).json()["items"] == before
    new = sample_corpus_path() / "html" / "hw_kim_yo_jong_air_drills.html"
    with SQLiteStore(sample_db) as store:
        ingest([str(new)], settings=settings_for(sample_db), store=store, allow_network=False)
    after = client.get(f"{API}/entities", params={"per_page": 100}).json()["items"]
    assert sum(e["articles"] for e in after) > sum(e["articles"] for e in before)


def test_storyline_filter_on_the_api_and_the_page(sample_db: Path, client_for: Any) -> None:
    from nkwatch.store import SQLiteStore

    with SQLiteStore(sample_db) as store:
        ids = [row["id"] for row in store.stories()]
        line = 9_000
        for story_id in ids[:2]:
            store.set_storyline(story_id, line)
    client = client_for(sample_db)
    got = client.get(f"{API}/stories", params={"storyline": line, "per_page": 100}).json()
    assert {s["id"] for s in got["items"]} == set(ids[:2])
    assert all(s["storyline_id"] == line for s in got["items"])
    # Combined with the other filters through the same query parameters.
    most = max(s["independent_sources"] for s in got["items"])
    fewer = client.get(f"{API}/stories", params={"storyline": line, "min_sources": most}).json()
    assert fewer["items"] and all(s["independent_sources"] >= most for s in fewer["items"])
    assert client.get(f"{API}/stories", params={"storyline": line + 1}).json()["items"] == []
    page = client.get("/stories", params={"storyline": line})
    assert page.status_code == 200
    assert f'name="storyline" type="number" min="1" value="{line}"' in page.text
    assert f'href="/stories?storyline={line}"' in page.text
    story = client.get(f"/stories/{ids[0]}").text
    assert f'href="/stories?storyline={line}"' in story
    # A form sends every field, the empty ones too: no filter.
    every = client.get(f"{API}/stories", params={"per_page": 100}).json()["items"]
    empty = client.get(f"{API}/stories", params={"storyline": "", "per_page": 100}).json()
    assert [s["id"] for s in empty["items"]] == [s["id"] for s in every]
    for bad in ("0", "x", "-3", "٣", "1" * 30):
        response = client.get(f"{API}/stories", params={"storyline": bad})
        assert response.status_code == 400 and "storyline" in response.json()["error"]["message"]


def test_entity_page_and_api_come_from_the_index(client: Any) -> None:
    [top] = client.get(f"{API}/entities", params={"per_page": 1}).json()["items"]
    entity = client.get(f"{API}/entities/{top['name'].upper()}").json()
    assert entity["name"] == top["name"] and entity["type"] == top["type"]
    assert sum(day["articles"] for day in entity["per_day"]) == top["articles"]
    assert [d["day"] for d in entity["per_day"]] == sorted(d["day"] for d in entity["per_day"])
    mentions = [s["mentions"] for s in entity["stories"]]
    assert mentions == sorted(mentions, reverse=True) and sum(mentions) <= top["articles"]
    page = client.get(f"/entities/{top['name']}")
    assert page.status_code == 200 and "<svg" in page.text
    assert client.get(f"{API}/entities/no such entity at all").status_code == 404


def test_webhooks_to_the_machines_own_network_are_refused(client: Any) -> None:
    for url in ("http://127.0.0.1:8080/api/v1/watches", "http://192.168.1.1/", "http://localhost/"):
        response = client.post(f"{API}/watches", json={"keyword": "rice", "webhook": url})
        assert response.status_code == 400, url
        assert "webhook" in response.json()["error"]["message"]
    made = client.post(
        f"{API}/watches", json={"keyword": "rice", "webhook": "https://hooks.example/x"}
    )
    assert made.status_code == 201
