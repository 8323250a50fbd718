"""Per-article isolation: a poison article is quarantined, the run and every later run go on."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import nkwatch.enrich.apply as apply_module
import nkwatch.summarize as summarize_module
from nkwatch.cli import cli
from nkwatch.config import Settings, load_settings
from nkwatch.errors import BudgetExceeded
from nkwatch.executors import DaskExecutor, Executor
from nkwatch.isolation import MAX_ATTEMPTS, Isolation, code_version, time_budget
from nkwatch.pipeline import Pipeline, retry
from nkwatch.protect.gazetteer import place_names
from nkwatch.protect.recognisers import kiwi
from nkwatch.store import SQLiteStore

POISON = "mixers within hours"

ARTICLES = {
    "troops.txt": (
        "Troops rotate out of Kursk\n\n"
        "South Korea's spy agency said on Monday that North Korea has rotated fresh units into "
        "the Kursk region, replacing soldiers who had been there since last winter. Lawmakers "
        "who attended the closed briefing said the agency now estimates the force at about "
        "11,000 troops, with casualties of several thousand since the deployment began."
    ),
    "crypto.txt": (
        "Exchange hack tied to Pyongyang\n\n"
        "Investigators said a group working for North Korea stole digital assets worth "
        "billions of won from an exchange in Seoul last month, and moved them through "
        f"{POISON}. The exchange said customer balances would be covered from its "
        "own reserves while the police follow the trail of the stolen coins abroad."
    ),
    "rice.txt": (
        "Rice prices climb in Hyesan\n\n"
        "Rice prices in the border city of Hyesan climbed for a third straight week, traders "
        "said by phone. A kilogram of rice now sells for about 7,800 won, up from 6,900 won a "
        "month ago, while corn prices held steady as the harvest came in across the province."
    ),
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(db_path=str(tmp_path / "t.db"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _poison_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    real = apply_module.extract_figures

    def figures(text: str, **options):  # type: ignore[no-untyped-def]
        if POISON in text:
            raise KeyError("a magnitude missing from a table")
        return real(text, **options)

    monkeypatch.setattr(apply_module, "extract_figures", figures)


def _ingest(settings: Settings, *specs: str, executor: Executor | None = None):  # type: ignore[no-untyped-def]
    with SQLiteStore(settings.db_path) as store:
        pipeline = Pipeline(settings, store, allow_network=False, executor=executor)
        report = pipeline.ingest(list(specs))
        return report, store.failures(), store.runs(limit=1)[0]


def test_a_poison_article_is_quarantined_and_the_rest_goes_on(
    settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poison_figures(monkeypatch)
    report, failures, run = _ingest(settings, str(corpus))
    assert report.counts["stored"] == 3
    assert report.failed == {"enrich": 1}
    assert report.exit_code() == 5
    assert [(f.stage, f.error_class) for f in failures] == [("enrich", "KeyError")]
    assert failures[0].code_version == code_version()
    assert run["status"] == "errors" and run["internal_errors"] == 1
    with SQLiteStore(settings.db_path) as store:
        articles = list(store.iter_articles())
        poisoned = next(a for a in articles if POISON in a.text)
        # Every later stage still ran for every article, the poisoned one included.
        assert all(a.story_id for a in articles)
        assert all(store.summary(a.id or 0) for a in articles)
        assert store.enrichment(poisoned.id or 0) is None
        assert all(store.enrichment(a.id or 0) for a in articles if a is not poisoned)

    # A later run is not stopped by the same article: it retries it and goes on.
    again, failures, run = _ingest(settings, str(corpus))
    assert again.counts["unchanged"] == 3
    assert again.failed == {"enrich": 1}
    assert failures[0].attempts == 2

    # Once the code is fixed, the next run (or `nkwatch retry`) gets it through.
    monkeypatch.undo()
    fixed, failures, run = _ingest(settings, str(corpus))
    assert fixed.failed == {} and fixed.recovered == {"enrich": 1}
    assert failures == [] and run["status"] == "finished"
    with SQLiteStore(settings.db_path) as store:
        assert all(store.enrichment(a.id or 0) for a in store.iter_articles())


def test_retries_stop_after_max_attempts_until_retry_is_asked(
    settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poison_figures(monkeypatch)
    for _ in range(MAX_ATTEMPTS):
        _ingest(settings, str(corpus))
    quiet, failures, _ = _ingest(settings, str(corpus))
    assert quiet.failed == {} and failures[0].attempts == MAX_ATTEMPTS
    with SQLiteStore(settings.db_path) as store:
        forced = retry(settings=settings, store=store)
        assert forced.failed == {"enrich": 1}
        assert store.failures()[0].attempts == MAX_ATTEMPTS + 1


def test_a_failing_summary_or_story_is_isolated_too(
    settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = summarize_module.summarize_article

    def summary(*, title: str, text: str, **kwargs):  # type: ignore[no-untyped-def]
        if "Hyesan" in text:
            raise ValueError("broken sentence splitter")
        return real(title=title, text=text, **kwargs)

    monkeypatch.setattr(summarize_module, "summarize_article", summary)
    report, failures, _ = _ingest(settings, str(corpus))
    assert report.failed == {"summaries": 1}
    assert report.summarized == 2
    assert [(f.stage, f.message) for f in failures] == [("summaries", "broken sentence splitter")]


@pytest.mark.parametrize("executor", ["inprocess", "dask"])
def test_a_slow_article_is_cut_at_its_budget(
    settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch, executor: str
) -> None:
    real = apply_module.extract_figures

    def slow(text: str, **options):  # type: ignore[no-untyped-def]
        if "Kursk" in text:
            # a pattern gone quadratic, in miniature (ending after 20 s, so that a budget that
            # does not hold fails the test instead of hanging it)
            end = time.monotonic() + 20
            while time.monotonic() < end:
                time.sleep(0.01)
        return real(text, **options)

    monkeypatch.setattr(apply_module, "extract_figures", slow)
    # The gazetteer and the Korean analyser load once per process, on the first article that
    # needs them; loaded here, no stage but the slow one meets the tight budget.
    place_names()
    kiwi()
    settings = replace(settings, ingest=replace(settings.ingest, article_seconds=0.5))
    if executor == "dask":
        # a local cluster of worker threads in this process: the budget holds in them too
        with DaskExecutor(workers=1, processes=False) as dask:
            report, failures, _ = _ingest(settings, str(corpus), executor=dask)
    else:
        report, failures, _ = _ingest(settings, str(corpus))
    assert report.failed == {"enrich": 1}
    assert failures[0].error_class == "BudgetExceeded"
    assert "budget" in failures[0].message


def test_time_budget_raises_in_the_block_and_leaves_no_timer() -> None:
    with pytest.raises(BudgetExceeded), time_budget(0.05):
        while True:
            time.sleep(0.005)
    with time_budget(1.0):
        pass
    time.sleep(0.05)  # an alarm left behind would fire here


def _spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _swallowing_library(reached: list[str]) -> None:
    """Work whose first part sits in a catch-all, as extraction libraries wrap their fallbacks:
    a budget raised there is swallowed, and the work after it must still be stopped."""
    try:
        _spin(0.4)
    except Exception:
        reached.append("swallowed")
    _spin(2.0)
    reached.append("finished")


def test_a_budget_a_library_swallows_is_raised_again() -> None:
    reached: list[str] = []
    with pytest.raises(BudgetExceeded), time_budget(0.1):
        _swallowing_library(reached)
    assert reached == ["swallowed"]
    time.sleep(0.3)  # no repeat is left behind either


def test_a_budget_holds_in_a_worker_thread_too() -> None:
    # Dask runs tasks in its workers' threads, where no interval timer reaches: a watchdog
    # raises the budget there, again after a library's catch-all swallows it.
    outcome: list[str] = []

    def work() -> None:
        try:
            with time_budget(0.1, what="article 7"):
                _swallowing_library(outcome)
        except BudgetExceeded as exc:
            outcome.append(f"{type(exc).__name__}: {exc}")
        _spin(0.4)  # nothing is raised after the block
        outcome.append("after")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert outcome == [
        "swallowed",
        "BudgetExceeded: article 7 took longer than its 0.1 s budget",
        "after",
    ]


def test_status_and_exit_code_show_the_quarantine(
    settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poison_figures(monkeypatch)
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", settings.db_path, "ingest", str(corpus)])
    assert result.exit_code == 5, result.output
    assert "internal errors: 1 article(s) failed a stage (enrich 1)" in result.output
    status = runner.invoke(cli, ["--db", settings.db_path, "status"])
    assert "quarantined articles: 1" in status.output
    assert re.search(r"article \d+\s+enrich\s+1x\s+KeyError", status.output)
    assert "errors" in status.output


def test_strict_isolation_raises(settings: Settings) -> None:
    with SQLiteStore(settings.db_path) as store:
        isolation = Isolation(store, strict=True)
        with pytest.raises(ZeroDivisionError), isolation.article("enrich", 1):
            _ = 1 / 0


def test_a_failed_articles_writes_are_rolled_back(settings: Settings, corpus: Path) -> None:
    _ingest(settings, str(corpus))
    with SQLiteStore(settings.db_path) as store:
        article = next(store.iter_articles())
        assert article.id is not None
        isolation = Isolation(store)
        with isolation.article("summaries", article.id):
            store.save_summary(article.id, article.content_hash, ["half-written"])
            raise RuntimeError("after a write")
        assert store.summary(article.id) != ["half-written"]
        assert isolation.failed == {"summaries": 1}


def test_a_stage_key_follows_only_the_code_it_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stage keyed by part of the package (enrichment, protection) is redone when that part
    changes, not after an edit elsewhere (the store, the web desk)."""
    import nkwatch.isolation as isolation

    files = {"enrich/figures.py": b"A = 1\n", "store/sqlite.py": b"B = 1\n"}
    monkeypatch.setattr(isolation, "_sources", lambda root, prefix="": iter(files.items()))
    isolation.code_digest.cache_clear()
    try:
        paths = ("enrich/",)
        before = isolation.code_digest(paths, ())
        files["store/sqlite.py"] = b"B = 2\n"
        isolation.code_digest.cache_clear()
        assert isolation.code_digest(paths, ()) == before
        assert isolation.code_digest(("",), ()) != before
        files["enrich/figures.py"] = b"A = 2\n"
        isolation.code_digest.cache_clear()
        assert isolation.code_digest(paths, ()) != before
        # An installed library's version is part of the key; an absent one is too.
        assert isolation.code_digest(paths, ("pytest",)) != isolation.code_digest(paths, ())
        assert isolation.code_digest(paths, ("no-such-library",)) != isolation.code_digest(
            paths, ("pytest",)
        )
    finally:
        isolation.code_digest.cache_clear()
        isolation.code_version.cache_clear()
