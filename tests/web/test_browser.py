"""End to end in a real browser: Debian's Chromium driven by Playwright against a live server.

Skipped when /usr/bin/chromium is absent (``.ci/run`` installs it). Nothing is downloaded: the
system browser is launched by path.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from nkwatch.config import sample_corpus_path
from nkwatch.pipeline import ingest
from nkwatch.store import SQLiteStore
from tests.web.conftest import settings_for, xss_articles
from tests.web.test_xss import every_path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no system Chromium")
NEW_REPORT = sample_corpus_path() / "text" / "ybl_remittance_brokers.txt"
#: Counts clickable javascript: links (run by the test driver, not by the page).
JS_LINKS = (
    "els => els.filter(e => /^[\\s\\u0000-\\u001f]*javascript:/i.test(e.getAttribute('href')"
    " || '')).length"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    base: str
    db: Path


@dataclass
class Watcher:
    """Everything in a page that would show script running, or trying to."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                self.csp.append(message.text)

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", on_console)


def _serve(db: Path) -> Iterator[LiveServer]:
    import uvicorn

    from nkwatch.web import create_app

    port = _free_port()
    app = create_app(settings_for(db), allowed_hosts=["127.0.0.1"])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", db)
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture
def live(sample_db: Path) -> Iterator[LiveServer]:
    yield from _serve(sample_db)


@pytest.fixture
def live_xss(xss_db: Path) -> Iterator[LiveServer]:
    yield from _serve(xss_db)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def test_the_desk_end_to_end(live: LiveServer, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    watcher = Watcher()
    watcher.attach(page)
    api = context.request

    # Today: the digest, live from the store.
    page.goto(f"{live.base}/?since=120d")
    assert page.locator("section.theme").count() > 0
    assert page.locator("li.story a.title").count() > 0

    # Stories, filtered by a theme that some story carries.
    every = api.get(f"{live.base}/api/v1/stories?per_page=100").json()["items"]
    theme = next(t for s in every for t in s["themes"])
    page.click("nav >> text=Stories")
    page.select_option("select[name=theme]", theme)
    page.click("form.filters button[type=submit]")
    assert f"theme={theme}" in page.url
    expected = {s["id"] for s in every if theme in s["themes"]}
    shown = page.eval_on_selector_all(
        "li.story a.title", "els => els.map(e => e.getAttribute('href'))"
    )
    assert {int(h.rsplit("/", 1)[1]) for h in shown} == expected

    # A story with figures; follow a figure to its measure and a point to its article.
    with_figures = next(
        s["id"] for s in every if api.get(f"{live.base}/api/v1/stories/{s['id']}").json()["figures"]
    )
    page.goto(f"{live.base}/stories")
    page.click(f"a.title[href='/stories/{with_figures}']")
    assert page.locator("h2", has_text="Timeline").count() == 1
    assert page.locator("ol.timeline li").count() >= 1
    page.click("ul.figures a[href^='/figures/']")
    assert "/figures/" in page.url
    assert page.locator("svg.chart").count() == 1
    page.click("a.point >> nth=0")
    assert "/articles/" in page.url and page.locator("#figures li").count() >= 1

    # An entity: its mentions over time, its stories, and the story list filtered by it.
    page.click("nav >> text=Entities")
    page.click("table a[href^='/entities/'] >> nth=0")
    assert page.locator("#mentions, svg").count() >= 1
    listed = page.locator("h2:has-text('Stories') + ul li").count()
    assert listed >= 1
    page.click("text=stories mentioning it")
    assert "entity=" in page.url and page.locator("li.story").count() >= min(listed, 20)

    # Search: the query lands in the URL and matches are highlighted.
    page.click("nav >> text=Search")
    page.fill("input[name=q]", "missile")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?**")
    assert "q=missile" in page.url
    assert page.locator("p.snippet mark").count() > 0

    # A watch, an ingest that fires it, and the alert on the watch's page.
    page.click("nav >> text=Watches")
    page.fill("#add-watch input[name=keyword]", "broker")
    page.click("#add-watch button[type=submit]")
    page.wait_for_url("**/watches/*")
    assert page.locator("li.alert").count() == 0
    with SQLiteStore(live.db) as store:
        ingest([str(NEW_REPORT)], settings=settings_for(live.db), store=store, allow_network=False)
    page.reload()
    assert page.locator("li.alert").count() == 1
    page.click("li.alert a")
    assert "/stories/" in page.url
    assert "broker" in page.content().lower()

    assert watcher.dialogs == [] and watcher.errors == [] and watcher.csp == []
    context.close()


def test_hostile_pages_run_no_script(live_xss: LiveServer, browser: Any, client_for: Any) -> None:
    paths = every_path(client_for(live_xss.db))
    # The policy is lifted so that escaping alone is under test; the policy is checked apart.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    watcher = Watcher()
    watcher.attach(page)
    javascript_links = 0
    for path in paths:
        response = page.goto(f"{live_xss.base}{path}")
        assert response is not None and response.status == 200, path
        javascript_links += page.eval_on_selector_all("a[href], area[href]", JS_LINKS)
        page.eval_on_selector_all("details", "els => els.forEach(e => e.open = true)")
    assert len(paths) > len(xss_articles()) + 8
    assert watcher.dialogs == [], watcher.dialogs[:5]
    assert watcher.errors == [], watcher.errors[:5]
    assert javascript_links == 0
    context.close()


def test_the_policy_blocks_nothing_of_ours(live: LiveServer, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    watcher = Watcher()
    watcher.attach(page)
    for path in ("/?since=120d", "/stories", "/figures", "/entities", "/search?q=rice"):
        page.goto(f"{live.base}{path}")
    assert watcher.csp == [] and watcher.errors == []
    # The style sheet loaded under the policy.
    color = page.eval_on_selector("nav a", "e => getComputedStyle(e).color")
    assert color == "rgb(11, 79, 138)"
    context.close()
