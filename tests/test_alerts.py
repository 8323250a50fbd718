"""Watches and alerts: rules, matching after an ingest run, no repeats, silence, feeds, webhooks."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from nkwatch.alerts import (
    WatchError,
    add_watch,
    atom_feed,
    check_watches,
    deliver_webhook,
    json_feed,
    list_alerts,
    list_watches,
    make_watch,
    remove_watch,
)
from nkwatch.cli import cli
from nkwatch.config import Settings, sample_corpus_path, sample_outlets
from nkwatch.enrich.profile import load_profile
from nkwatch.pipeline import ingest
from nkwatch.sources.http import FetchSettings
from nkwatch.store import SQLiteStore

CORPUS = sample_corpus_path()
TROOPS = [CORPUS / "html" / "hw_kursk_troops.html", CORPUS / "html" / "kfr_kursk_nis_briefing.html"]
RICE = [CORPUS / "text" / "ybl_hyesan_rice_prices.txt"]


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    with SQLiteStore(tmp_path / "alerts.db") as opened:
        yield opened


def _ingest(store: SQLiteStore, files: list[Path]) -> None:
    settings = replace(Settings(db_path=str(store.path)), outlets=sample_outlets())
    ingest([str(f) for f in files], settings=settings, store=store, allow_network=False)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "at least one"),
        ({"theme": "no-such-theme"}, "not in the profile"),
        ({"measure": "no-such-measure"}, "not in the profile"),
        ({"keyword": "rice", "min_sources": 5000}, "between 0 and 1000"),
        ({"source": "https://example.org/feed"}, "silent_days"),
        ({"keyword": "rice", "webhook": "file:///etc/passwd"}, "is not an http"),
        ({"keyword": "x" * 300}, "longer than"),
        ({"keyword": "rice", "webhook": "http://127.0.0.1:9/hook"}, "loopback"),
        ({"keyword": "rice", "webhook": "http://[::1]/hook"}, "loopback"),
        ({"keyword": "rice", "webhook": "https://10.1.2.3/hook"}, "private"),
        ({"keyword": "rice", "webhook": "http://169.254.169.254/latest"}, "link-local"),
        ({"keyword": "rice", "webhook": "http://[::ffff:127.0.0.1]/"}, "127.0.0.1"),
        ({"keyword": "rice", "webhook": "http://localhost:8080/"}, "loopback"),
        ({"keyword": "rice", "webhook": "https:///nohost"}, "no host"),
    ],
)
def test_malformed_watches_say_what_is_wrong(options: dict, message: str) -> None:
    with pytest.raises(WatchError, match=message):
        make_watch(**options, profile=load_profile(None))


def test_watches_are_stored_and_removed(store: SQLiteStore) -> None:
    made = add_watch(store, make_watch(entity="Kim Yo Jong", min_sources=2))
    assert made.id and made.name == "entity = Kim Yo Jong, at least 2 independent sources"
    assert [w.id for w in list_watches(store)] == [made.id]
    remove_watch(store, made.id)
    assert list_watches(store) == []
    with pytest.raises(WatchError, match="no watch"):
        remove_watch(store, made.id)


def test_an_ingest_run_raises_matching_alerts_once(store: SQLiteStore) -> None:
    keyword = add_watch(store, make_watch(keyword="Kursk"))
    measure = add_watch(store, make_watch(measure="north-korean-troops-in-russia"))
    never = add_watch(store, make_watch(keyword="rice", outlet="No Such Outlet"))
    _ingest(store, TROOPS)
    story_alerts = list_alerts(store, watch_id=keyword.id)
    assert story_alerts and all(a.kind == "story" and a.story_id for a in story_alerts)
    claims = list_alerts(store, watch_id=measure.id)
    assert claims and all(a.kind == "claim" and a.article_id for a in claims)
    assert any(c.detail for c in claims)  # the claim's sentence
    assert list_alerts(store, watch_id=never.id) == []
    before = len(list_alerts(store))
    _ingest(store, TROOPS)  # the same input again: nothing new, no new alerts
    assert len(list_alerts(store)) == before
    rice = add_watch(store, make_watch(keyword="rice"))
    _ingest(store, RICE)
    assert [a.kind for a in list_alerts(store, watch_id=rice.id)] == ["story"]
    assert len(list_alerts(store, watch_id=keyword.id)) == len(story_alerts)


def test_min_sources_holds_back_single_source_stories(store: SQLiteStore) -> None:
    strict = add_watch(store, make_watch(keyword="rice", min_sources=3))
    _ingest(store, RICE)
    assert list_alerts(store, watch_id=strict.id) == []


def test_a_silent_source_raises_one_alert(store: SQLiteStore) -> None:
    watch = add_watch(store, make_watch(source=str(CORPUS / "text"), silent_days=3))
    quiet = add_watch(store, make_watch(source=str(CORPUS / "html"), silent_days=3))
    _ingest(store, RICE)
    assert list_alerts(store, watch_id=watch.id) == []  # it just produced an article
    # Nothing was ever stored from the other folder: the run's check already said so.
    [never] = list_alerts(store, watch_id=quiet.id)
    assert never.kind == "silent" and "last: never" in never.detail
    later = datetime.now(UTC) + timedelta(days=4)
    created = check_watches(store, since_run=None, now=later)
    assert [a.watch_id for a in created] == [watch.id]
    assert created[0].kind == "silent" and "went silent" in created[0].title
    assert check_watches(store, since_run=None, now=later + timedelta(hours=1)) == []


def test_feeds_per_watch(store: SQLiteStore) -> None:
    watch = add_watch(store, make_watch(keyword="Kursk"))
    _ingest(store, TROOPS)
    alerts = list_alerts(store, watch_id=watch.id)
    atom = ET.fromstring(atom_feed(watch, alerts, base_url="http://127.0.0.1:8080"))
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == len(alerts)
    link = entries[0].find("{http://www.w3.org/2005/Atom}link")
    assert link is not None and link.get("href", "").startswith("http://127.0.0.1:8080/stories/")
    feed = json.loads(json_feed(watch, alerts, base_url="http://127.0.0.1:8080"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["id"] for item in feed["items"]] == [e.findtext("{*}id") for e in entries]


def test_webhooks_go_through_the_address_guard(store: SQLiteStore, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    url = httpserver.url_for("/hook")
    # Allowed when the watch was made; the configuration no longer allows it when delivering.
    watch = add_watch(
        store, make_watch(keyword="rice", webhook=url, allow_networks=("127.0.0.0/8",))
    )
    _ingest(store, RICE)
    alert = list_alerts(store, watch_id=watch.id)[0]
    # Loopback is the machine itself: refused unless the configuration allows its network.
    refused = deliver_webhook(watch, alert, FetchSettings())
    assert refused.startswith(("refused", "failed")) and "127.0.0.1" in refused
    assert not httpserver.log
    allowed = FetchSettings(allow_networks=("127.0.0.0/8",))
    assert deliver_webhook(watch, alert, allowed) == "sent 200"
    request, _ = httpserver.log[0]
    body = json.loads(request.get_data())
    assert body["watch"]["id"] == watch.id and body["alert"]["title"] == alert.title


def test_check_watches_delivers_webhooks(store: SQLiteStore, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("", status=204)
    hook = httpserver.url_for("/hook")
    watch = add_watch(
        store, make_watch(keyword="rice", webhook=hook, allow_networks=("127.0.0.0/8",))
    )
    run = store.start_run("test")
    _ingest(store, RICE)
    created = check_watches(
        store, since_run=run, fetch=FetchSettings(allow_networks=("127.0.0.0/8",))
    )
    assert created == [] and len(httpserver.log) == 0  # the ingest run already raised them
    assert list_alerts(store, watch_id=watch.id)[0].delivery.startswith("refused")


def test_watch_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    added = runner.invoke(
        cli, ["--db", db, "watch", "add", "--keyword", "rice", "--min-sources", "1"]
    )
    assert added.exit_code == 0, added.output
    assert "watch 1:" in added.output
    listed = runner.invoke(cli, ["--db", db, "watch", "list", "--json"])
    assert json.loads(listed.output)["rule"] == "keyword = rice, at least 1 independent sources"
    bad = runner.invoke(cli, ["--db", db, "watch", "add", "--theme", "nope"])
    assert bad.exit_code == 2 and "not in the profile" in bad.output
    removed = runner.invoke(cli, ["--db", db, "watch", "remove", "1"])
    assert removed.exit_code == 0
    missing = runner.invoke(cli, ["--db", db, "watch", "remove", "1"])
    assert missing.exit_code == 2 and "no watch" in missing.output
