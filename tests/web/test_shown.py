"""Only text cleared to be shown leaves the server: the type, the guard, and a private person
who appears on no page or response."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from nkwatch.config import Settings
from nkwatch.pipeline import ingest
from nkwatch.store import SQLiteStore
from nkwatch.web.publishable import protect_view
from nkwatch.web.shown import Shown, UnprotectedText, literal, require_shown
from tests.web.conftest import settings_for

PAGE = """<html><head><title>{title}</title>
<link rel="canonical" href="https://ledger.example/{slug}"></head>
<body><article><h1>{title}</h1><p>{body}</p>
<p>The ministry said it could not confirm the account, and officials declined to comment on
the calls described by the families, several of whom have moved since.</p>
</article></body></html>"""
BODY = (
    "Pak Mi-ran, a 39-year-old defector who now lives in Suwon, said the caller knew her "
    "phone number, 010-3381-2290, and her KakaoTalk ID, miran_sw85. Pak said the broker who "
    "once carried money to her mother in Musan was arrested in China in March."
)
PRIVATE = ("Pak Mi-ran", "010-3381-2290", "miran_sw85", "Suwon")


def test_require_shown_refuses_plain_strings_at_any_depth() -> None:
    fine = {
        "title": Shown("kept"),
        "chart": Markup("<svg></svg>"),
        "items": [{"n": 3, "ok": True, "none": None, "tags": (literal("a"),)}],
        "2026-11-01": 1.5,
    }
    assert require_shown(fine) is fine
    with pytest.raises(UnprotectedText, match=r"payload\.items\[0\]\.name"):
        require_shown({"items": [{"name": "Pak Mi-ran"}]})
    with pytest.raises(UnprotectedText, match="key"):
        require_shown({"Pak Mi-ran": 1})
    with pytest.raises(UnprotectedText, match="cannot be shown"):
        require_shown({"raw": b"bytes"})


def test_protect_view_clears_every_string_and_key() -> None:
    shown = protect_view({"title": "x", "by outlet": {"Daily Report": 2}, "items": ["a", "b"]})
    require_shown(shown)
    assert isinstance(shown["items"][0], Shown)
    assert all(isinstance(key, Shown) for key in shown["by outlet"])


def test_a_view_that_forgets_to_protect_cannot_render(
    sample_db: Path, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nkwatch.web.app as web_app

    client = client_for(sample_db)
    story_id = client.get("/api/v1/stories?per_page=1").json()["items"][0]["id"]
    monkeypatch.setattr(web_app, "protect_view", lambda value, **_: value)
    for path in (f"/stories/{story_id}", "/stories", "/figures", f"/api/v1/stories/{story_id}"):
        with pytest.raises(UnprotectedText):
            client.get(path)


@pytest.fixture
def private_db(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "calls.html").write_text(
        PAGE.format(title="Defectors report calls from home", slug="calls", body=BODY),
        encoding="utf-8",
    )
    db = tmp_path / "p.db"
    settings: Settings = settings_for(db)
    with SQLiteStore(db) as store:
        ingest([str(folder)], settings=settings, store=store, allow_network=False)
    return db


def test_no_page_or_response_shows_a_private_person(private_db: Path, client_for: Any) -> None:
    client = client_for(private_db)
    [story] = client.get("/api/v1/stories").json()["items"]
    [row] = client.get("/api/v1/articles").json()["items"]
    paths = [
        "/",
        "/stories",
        f"/stories/{story['id']}",
        f"/articles/{row['id']}",
        "/search?q=broker",
        "/entities",
        "/sources",
        "/api/v1/digest",
        "/api/v1/stories",
        f"/api/v1/stories/{story['id']}",
        "/api/v1/articles",
        f"/api/v1/articles/{row['id']}",
        "/api/v1/search?q=broker",
        "/api/v1/entities",
    ]
    with SQLiteStore(private_db) as store:
        names = [e["name"] for e in store.entity_counts(known_only=False)]
    paths += [f"/entities/{name}" for name in names]
    paths += [f"/api/v1/entities/{name}" for name in names]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        for value in PRIVATE:
            assert value not in response.text, (path, value)
    assert "[defector A]" in client.get(f"/articles/{row['id']}").text
    # A snippet around the private town itself (the query echoes what the reader typed).
    found = client.get("/api/v1/search", params={"q": "Suwon"}).json()["items"]
    assert found and not any(value in str(found) for value in PRIVATE)
