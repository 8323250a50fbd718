"""Stored protection analyses change nothing that is published, only when the work is done.

Each article's analysis is made once (at ingest, or at the first read that lacks it) and read
back afterwards. Every publishing command, over the seeded private people of
``test_publishers`` and over the sample corpus, prints the same bytes with the analyses read
back from the store as with every text analysed afresh; and a stored analysis that is tampered
with does change the output, so the comparison looks at analyses really read back.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nkwatch.config import load_settings
from nkwatch.enrich.profile import load_profile
from nkwatch.executors import InProcessExecutor
from nkwatch.isolation import Isolation
from nkwatch.protect.stage import (
    Protector,
    article_context,
    decode,
    encode,
    text_hash,
)
from nkwatch.runner import Runner
from nkwatch.sample import ingest_sample
from nkwatch.store import SQLiteStore
from nkwatch.web import create_app
from tests.protect.test_publishers import COMMANDS, PAGES, PRIVATE, invoke
from tests.protect.test_publishers import db as seeded  # noqa: F401  (a fixture)
from tests.web.conftest import settings_for

SAMPLE_COMMANDS = [
    ("export",),
    ("search", "--json", "defector"),
    ("stories", "--json", "--since", "2026-01-01", "--until", "2026-12-31"),
    ("figures", "--json"),
    ("digest", "--since", "2026-01-01", "--until", "2026-12-31", "--format", "jsonfeed"),
    ("digest", "--since", "2026-01-01", "--until", "2026-12-31", "--format", "html"),
    ("digest", "--since", "2026-01-01", "--until", "2026-12-31", "--format", "md"),
]
#: Times of day (a run's "generated at", "last export at" differ between the two runs).
WHEN = re.compile(r"(?<!\d)\d\d:\d\d(?::\d\d)?(?!\d)")
API = ["/api/v1/articles", "/api/v1/stories", "/api/v1/search?q=defector", "/api/v1/figures"]


def _stored(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM protection_analyses").fetchone()[0])


def _forget(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM protection_analyses")
        connection.execute("DELETE FROM protection_texts")
    with SQLiteStore(db) as store:  # analyses removed by hand: as `nkwatch retry` does
        store.recheck_pending()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("stored") / "sample.db"
    with SQLiteStore(db) as store:
        ingest_sample(store, settings=load_settings(db_path=str(db)))
    return db


def _outputs(db: Path, commands: list[tuple[str, ...]]) -> list[str]:
    # ``status`` names the store's file and the times of the run (last export, generated): the copies differ in
    # those alone.
    return [WHEN.sub("WHEN", invoke(db, *args).replace(str(db), "DB")) for args in commands]


def _compare(db: Path, tmp_path: Path, commands: list[tuple[str, ...]]) -> None:
    with SQLiteStore(db) as store:
        articles = sum(1 for a in store.iter_articles() if a.kind != "digest-page")
    assert _stored(db) == articles  # the ingest stored every article's analysis
    fresh = tmp_path / "fresh.db"
    shutil.copy(db, fresh)
    _forget(fresh)
    read_back = _outputs(db, commands)
    for got, want in zip(_outputs(fresh, commands), read_back, strict=True):
        assert got.splitlines() == want.splitlines()
    assert _stored(fresh) > 0  # the commands kept what they had to analyse


def test_seeded_outputs_are_the_same_with_stored_analyses(
    seeded: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    _compare(seeded, tmp_path, [tuple(args) for args in COMMANDS])


def test_sample_outputs_are_the_same_with_stored_analyses(sample: Path, tmp_path: Path) -> None:
    _compare(sample, tmp_path, SAMPLE_COMMANDS)


def test_web_responses_are_the_same_with_stored_analyses(sample: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    shutil.copy(sample, fresh)
    _forget(fresh)
    bodies = []
    for db in (sample, fresh):
        client = TestClient(create_app(settings_for(db)))
        bodies.append([client.get(path).content for path in API])
        assert all(client.get(path).status_code == 200 for path in API)
    assert bodies[0] == bodies[1]


def test_a_tampered_analysis_is_read_back(seeded: Path, tmp_path: Path) -> None:  # noqa: F811
    """Emptied detections under the right hash and version leak the values: they are used."""
    copy = tmp_path / "tampered.db"
    shutil.copy(seeded, copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE protection_analyses SET detections = '[]'")
    output = invoke(copy, "export")
    assert [value for value in PRIVATE if value in output]


def test_stale_analyses_are_made_again(seeded: Path, tmp_path: Path) -> None:  # noqa: F811
    """Another text or another version is not read back; it is analysed and stored again."""
    copy = tmp_path / "stale.db"
    shutil.copy(seeded, copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE protection_analyses SET detections = '[]', text_hash = 'x'")
    assert invoke(copy, "export") == invoke(seeded, "export")
    protector = Protector(load_profile())
    with SQLiteStore(copy) as store:
        article = next(a for a in store.iter_articles() if a.title == PAGES[0][4])
        assert article.id is not None
        context = article_context(article)
        ((digest, rows),) = store.protection_analyses([article.id], protector.version).values()
        assert digest == text_hash(context)
        assert tuple(decode(row) for row in rows) == protector.analyse(context).detections
        assert store.protection_analyses([article.id], "another") == {}
        assert [a.id for a in store.articles_to_protect("another")] != []
        assert store.articles_to_protect(protector.version) == []
        assert _analyse_articles(store, protector, Isolation(store)) == 0


def _analyse_articles(store: SQLiteStore, protector: Protector, isolation: Isolation) -> int:
    """The run's protection step, in this process."""
    return Runner(store, InProcessExecutor()).protect(isolation, protector=protector)


def test_detections_round_trip() -> None:
    protector = Protector(load_profile())
    text = "Pak Mi-ran, a defector in Suwon, gave her number, 010-3381-2290."
    detections = protector.analyse(text).detections
    assert detections
    assert tuple(decode(encode(d)) for d in detections) == detections


def test_a_failing_analysis_costs_only_its_article(
    seeded: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The protection step is isolated per article: one that fails is recorded, the rest are
    stored, and a later run fills the missing one."""
    copy = tmp_path / "failing.db"
    shutil.copy(seeded, copy)
    _forget(copy)
    protector = Protector(load_profile())
    real = Protector.analyse

    def analyse(self: Protector, text: str) -> Any:
        if "탈북민" in text:
            raise RuntimeError("analyser failure")
        return real(self, text)

    with SQLiteStore(copy) as store:
        monkeypatch.setattr(Protector, "analyse", analyse)
        isolation = Isolation(store)
        assert _analyse_articles(store, protector, isolation) == 2
        assert isolation.failed == {"protect": 1}
        assert len(store.articles_to_protect(protector.version)) == 1
        monkeypatch.setattr(Protector, "analyse", real)
        assert _analyse_articles(store, protector, Isolation(store, retry_all=True)) == 1
        assert store.articles_to_protect(protector.version) == []


def test_texts_judged_alone_are_kept_by_hash_and_read_back(tmp_path: Path) -> None:
    """A string that is no article's text (a snippet, a name shown alone): its analysis is
    made once, kept under its hash and the version, and read back by a new protector; one kept
    under another version is made again; a tampered one is used as it is."""
    text = "Pak Mi-ran, a defector in Suwon, gave her number, 010-3381-2290."
    db = tmp_path / "texts.db"
    with SQLiteStore(db) as store:
        first = Protector(load_profile())
        first.use_store(store)
        first.recall([text, text, ""])
        kept = store.text_analyses([text_hash(text)], first.version)
        assert list(kept) == [text_hash(text)]
        assert tuple(decode(row) for row in kept[text_hash(text)]) == first.analyse(text).detections
        assert store.text_analyses([text_hash(text)], "another") == {}
        want = first.protect(text).text
        assert "010-3381-2290" not in want and "Pak Mi-ran" not in want

        store.save_text_analyses(first.version, [(text_hash(text), [])])
        tampered = Protector(load_profile())
        tampered.use_store(store)
        tampered.recall([text])
        assert tampered.protect(text).text == text  # the emptied analysis was read back

        store.save_text_analyses("another", [(text_hash(text), [])])
        again = Protector(load_profile())
        again.use_store(store)
        again.recall([text])
        assert again.protect(text).text == want  # made again, and kept under this version
        assert store.text_analyses([text_hash(text)], again.version) == kept


def test_recall_without_a_store_does_nothing() -> None:
    protector = Protector(load_profile())
    protector.recall(["Pak Mi-ran, a defector in Suwon"])
    assert not protector._cache
