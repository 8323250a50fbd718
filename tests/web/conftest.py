"""Stores for the web tests: a slice of the sample corpus, and one full of hostile strings."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from nkwatch.alerts import add_watch, check_watches, make_watch
from nkwatch.config import Settings, sample_corpus_path, sample_outlets
from nkwatch.errors import Reason, RejectedInput
from nkwatch.pipeline import Pipeline, ingest
from nkwatch.record import Article
from nkwatch.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
SANITIZE = ROOT.parent / "shared" / "corpora" / "feedparser-tests" / "wellformed" / "sanitize"
#: Sample files: several outlets on the troops in Russia (figures that disagree, and a copy of
#: one report), missile launches in two languages, rice prices, balloons.
SAMPLE_FILES = (
    "html/hw_kursk_troops.html",
    "html/pl_kursk_troops_rewrite.html",
    "html/kfr_kursk_nis_briefing.html",
    "html/monitorasia_kursk_death_notices.html",
    "html/hw_missiles_east_sea_oct.html",
    "html/kfr_srbm_launch_oct.html",
    "html/hw_flash_missile_oct.html",
    "html/hanbandososik_missile_oct_ko.html",
    "html/hw_kim_yo_jong_leaflets.html",
    "html/hw_trash_balloons_nov.html",
    "html/kfr_trash_balloons_return.html",
    "text/ybl_hyesan_rice_prices.txt",
    "text/ybl_hyesan_rice_prices_nov.txt",
)
#: Written for these tests: markup that runs script if a page ever lets it through unescaped.
PAYLOADS = (
    '<script>alert("xss-1")</script>',
    '"><img src=x onerror=alert("xss-2")>',
    "'><svg onload=alert('xss-3')>",
    '<svg><script>alert("xss-4")</script></svg>',
    'javascript:alert("xss-5")',
    "<a href=\"javascript:alert('xss-6')\">read</a>",
    "</title><script>alert('xss-7')</script>",
    '<iframe src="javascript:alert(`xss-8`)"></iframe>',
    '<body onload=alert("xss-9")>',
    "\" autofocus onfocus=\"alert('xss-10')",
    "<details open ontoggle=alert('xss-11')>",
    "<math><mtext></p><script>alert('xss-12')</script>",
)


def settings_for(db: Path) -> Settings:
    return replace(Settings(db_path=str(db)), outlets=sample_outlets())


def _build_sample(db: Path) -> None:
    corpus = sample_corpus_path()
    with SQLiteStore(db) as store:
        ingest(
            [str(corpus / name) for name in SAMPLE_FILES],
            settings=settings_for(db),
            store=store,
            allow_network=False,
        )


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "sample.db"
    _build_sample(db)
    return db


@pytest.fixture
def sample_db(sample_db_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample slice's store for one test."""
    db = tmp_path / "sample.db"
    shutil.copy(sample_db_template, db)
    return db


def shared_payloads(limit: int = 40) -> list[str]:
    """The markup of feedparser's sanitizer cases (``entry_content_*``), read in place."""
    if not SANITIZE.is_dir():
        return []
    found = []
    for path in sorted(SANITIZE.glob("entry_content_*.xml"))[:limit]:
        root = etree.fromstring(path.read_bytes(), etree.XMLParser(recover=True))
        if root is None:
            continue
        for node in root.iter("{*}content"):
            if node.text and node.text.strip():
                found.append(node.text.strip())
    return found


def xss_articles() -> list[Article]:
    """Articles with a hostile string in every field a page shows."""
    payloads = [*PAYLOADS, *shared_payloads()]
    articles = []
    for index, payload in enumerate(payloads):
        bad_link = index % 3 == 0
        articles.append(
            Article(
                text=(
                    f"North Korea fired two ballistic missiles into the East Sea on Monday, "
                    f"the Joint Chiefs of Staff said. {payload} Kim Yo Jong warned of more "
                    f"launches. About 12,000 North Korean troops are in Russia, the NIS said. "
                    f"{payload}"
                ),
                title=f"Missile launch {payload}",
                url='javascript:alert("xss-url")' if bad_link else f"https://example.org/{index}",
                canonical_url=f'https://example.org/{index}"><script>alert(1)</script>',
                outlet=f"Outlet {payload}"[:200],
                author=payload,
                published=datetime(2026, 11, 1 + index % 28, 9, tzinfo=UTC),
                published_from="meta",
                language="en",
                source=f"https://example.org/{index}",
                source_key=f"xss-{index}",
            )
        )
    return articles


@pytest.fixture(scope="session")
def xss_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose titles, bodies, authors, outlets, URLs, watches, alerts and rejections
    carry script payloads, processed by every later stage."""
    db = tmp_path_factory.mktemp("xss") / "xss.db"
    settings = settings_for(db)
    with SQLiteStore(db) as store:
        for payload in PAYLOADS[:3]:
            add_watch(store, make_watch(name=f"watch {payload}", keyword="missile"))
        run = store.start_run("xss")
        for article in xss_articles():
            store.save_article(article)
        store.finish_run(run, {"stored": 1})
        for payload in PAYLOADS:
            store.record_rejection(RejectedInput(payload, Reason.EMPTY, payload))
        pipeline = Pipeline(settings, store, allow_network=False)
        pipeline.retry()
        check_watches(store, since_run=run, profile=pipeline.profile)
    return db


@pytest.fixture
def client_for() -> Iterator[object]:
    from fastapi.testclient import TestClient

    from nkwatch.web import create_app

    clients: list[TestClient] = []

    def make(db: Path, **options: object) -> TestClient:
        client = TestClient(create_app(settings_for(db), **options))  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
