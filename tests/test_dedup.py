"""De-duplication: exact, near, paragraph and syndicated copies; labelled pairs; idempotence."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkwatch.config import load_settings
from nkwatch.dedup import (
    Deduplicator,
    DedupSettings,
    band_keys,
    deduplicate,
    fingerprint,
    lsh_params,
    normalise,
)
from nkwatch.record import Article, Origin
from nkwatch.sample import LabelledCorpus, ingest_sample, pair_scores
from nkwatch.store import SQLiteStore

WIRE = (
    "North Korea has about 11,000 soldiers in Russia's Kursk region, South Korea's spy agency "
    "told lawmakers on Tuesday, adding that the troops had been reorganised into smaller units "
    "after heavy losses in the winter fighting. The agency said some 3,000 had been killed or "
    "wounded, and that a fresh rotation of engineers and builders was expected before spring."
)
REWORDED = WIRE.replace("told lawmakers on Tuesday", "told parliament on Tuesday").replace(
    "some 3,000", "roughly 3,000"
)
OWN_WORDS = (
    "Seoul's intelligence service believes roughly eleven thousand North Korean troops remain "
    "deployed near Kursk. Lawmakers briefed behind closed doors were told of reorganisation "
    "after the costly winter campaign, with thousands of casualties and builders due to arrive."
)
MARKETS = (
    "Rice prices in the northern border city of Hyesan climbed for a third straight week, "
    "traders said by phone, as state purchasing drew grain away from the markets and corn "
    "became the staple again for many households ahead of the winter months."
)


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    with SQLiteStore(tmp_path / "d.db") as s:
        yield s


def add(store: SQLiteStore, key: str, text: str, day: int, **kw: object) -> int:
    article = Article(
        text=text,
        title=kw.pop("title", key),  # type: ignore[arg-type]
        published=datetime(2026, 10, day, tzinfo=UTC),
        source_key=key,
        url=kw.pop("url", f"https://{key}.example/a"),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    return store.save_article(article).id


def marks(store: SQLiteStore) -> dict[str, tuple[str | None, str | None]]:
    by_id = {a.id: a for a in store.iter_articles()}
    return {
        a.source_key: (
            by_id[a.duplicate_of].source_key if a.duplicate_of else None,
            a.duplicate_kind,
        )
        for a in by_id.values()
    }


def test_exact_near_and_same_story(store: SQLiteStore) -> None:
    add(store, "wire", WIRE, 1)
    add(store, "copy", "  " + WIRE.upper().replace(", ", " , "), 2)
    add(store, "rewrite", REWORDED, 3)
    add(store, "own", OWN_WORDS, 3)
    add(store, "markets", MARKETS, 4)
    report = deduplicate(store)
    assert (report.checked, report.exact, report.near) == (5, 1, 1)
    assert marks(store) == {
        "wire": (None, None),
        "copy": ("wire", "exact"),
        "rewrite": ("wire", "near"),
        "own": (None, None),
        "markets": (None, None),
    }


def test_an_older_copy_arriving_late_becomes_the_root(store: SQLiteStore) -> None:
    add(store, "later", WIRE, 9)
    add(store, "rewrite", REWORDED, 10)
    deduplicate(store)
    add(store, "earliest", WIRE, 2)
    deduplicate(store)
    assert marks(store) == {
        "later": ("earliest", "exact"),
        "rewrite": ("earliest", "near"),
        "earliest": (None, None),
    }


def test_syndicated_copy_links_to_the_credited_original(store: SQLiteStore) -> None:
    add(store, "original", WIRE, 1, url="https://monitor.example/kursk")
    add(store, "repost", REWORDED, 2, origin=Origin("Monitor", "https://monitor.example/kursk"))
    deduplicate(store)
    assert marks(store)["repost"] == ("original", "syndicated")


@pytest.mark.parametrize("saved_page", [False, True])
@pytest.mark.parametrize("item_first", [False, True])
def test_a_digest_item_linking_to_a_stored_article_is_its_repost(
    store: SQLiteStore, item_first: bool, saved_page: bool
) -> None:
    # The item's own words share nothing with the article; its link says what it reports. A
    # saved page has no address it was fetched from, only the canonical one it declares.
    url = "https://monitor.example/kursk"
    where = {"url": None, "canonical_url": url} if saved_page else {"url": url}
    if item_first:
        add(store, "item", OWN_WORDS, 5, url=url, item_index=0)
        deduplicate(store)
        add(store, "article", WIRE, 1, **where)
    else:
        add(store, "article", WIRE, 1, **where)
        add(store, "item", OWN_WORDS, 5, url=url, item_index=0)
    deduplicate(store)
    assert marks(store) == {"article": (None, None), "item": ("article", "syndicated")}


def test_a_shared_link_alone_does_not_join_two_articles_or_one_pages_items(
    store: SQLiteStore,
) -> None:
    url = "https://monitor.example/kursk"
    add(store, "first", WIRE, 1, url=url)
    add(store, "second", MARKETS, 2, url=url)
    page = store.save_article(
        Article(text=MARKETS, title="page", source_key="page", is_digest_page=True)
    ).id
    add(store, "item-a", OWN_WORDS, 3, url="https://other.example/x", item_index=0, parent_id=page)
    add(
        store,
        "item-b",
        "Border guards in Hyesan were rotated again this week, residents said.",
        3,
        url="https://other.example/x",
        item_index=1,
        parent_id=page,
    )
    deduplicate(store)
    assert marks(store)["second"] == (None, None)
    assert marks(store)["item-b"] == (None, None)


def test_digest_item_repeating_a_paragraph(store: SQLiteStore) -> None:
    add(store, "article", f"{WIRE}\n\n{MARKETS}\n\n{OWN_WORDS}", 1)
    add(store, "item", MARKETS, 2, item_index=0)
    deduplicate(store)
    assert marks(store)["item"] == ("article", "paragraph")


POST = (
    "We have decided to part ways after four good years together and remain close friends, "
    "and we ask for privacy for ourselves and our families at this time, the couple wrote in "
    "a joint post shared on their accounts on Monday evening."
)


def test_a_trimmed_paragraph_is_still_its_copy(store: SQLiteStore) -> None:
    add(store, "article", f"{WIRE}\n\n{MARKETS}\n\n{OWN_WORDS}", 1)
    add(store, "item", MARKETS.split(" ahead of")[0] + ".", 2, item_index=0)
    deduplicate(store)
    assert marks(store)["item"] == ("article", "paragraph")


@pytest.mark.parametrize("order", ["as written", "reversed"])
def test_texts_sharing_one_quoted_post_are_not_copies(store: SQLiteStore, order: str) -> None:
    # Two outlets' own short write-ups of a break-up around the same embedded post: a third of
    # each is the post, the rest their own words.
    first = (
        "The actor and the comedian have ended their relationship, a representative confirmed. "
        f"{POST}\n\nThe pair met on a film set in 2014 and had appeared together at "
        "premieres and award shows ever since, most recently in London last spring. She is "
        "touring a new stand-up show through the summer, while he starts rehearsals in Cardiff."
    )
    second = (
        "Fans reacted with surprise after the pair announced their split online.\n\n"
        f"{POST}\n\nNeither gave a reason. The two were last pictured together at a charity "
        "gala in December, where they joked with reporters about their busy schedules, and "
        "friends said the decision had been made quietly over the holidays. Both have spoken "
        "about the strain of working in different countries."
    )
    texts = [first, second] if order == "as written" else [second, first]
    for day, text in enumerate(texts, start=1):
        add(store, f"outlet{day}", text, day)
    deduplicate(store)
    assert marks(store) == {"outlet1": (None, None), "outlet2": (None, None)}


def test_short_texts_are_only_exact_duplicates(store: SQLiteStore) -> None:
    add(store, "a", "Missile launch reported off the east coast today.", 1)
    add(store, "b", "Missile launch reported off the west coast today.", 2)
    add(store, "c", "Missile launch reported off the east coast today!", 3)
    deduplicate(store)
    assert marks(store) == {"a": (None, None), "b": (None, None), "c": ("a", "exact")}


def test_second_run_changes_nothing(store: SQLiteStore) -> None:
    for index, text in enumerate([WIRE, REWORDED, OWN_WORDS, MARKETS]):
        add(store, f"k{index}", text, index + 1)
    deduplicate(store)
    before = marks(store)
    assert deduplicate(store).checked == 0
    assert marks(store) == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(st.sampled_from([WIRE, REWORDED, OWN_WORDS, MARKETS]), min_size=1, max_size=6)
)
def test_every_copy_points_at_a_root(tmp_path: Path, texts: list[str]) -> None:
    with SQLiteStore(tmp_path / f"h{abs(hash(tuple(texts)))}.db") as store:
        for index, text in enumerate(texts):
            add(store, f"k{index}", text, index + 1)
        deduplicate(store)
        articles = {a.id: a for a in store.iter_articles()}
        for article in articles.values():
            if article.duplicate_of is not None:
                assert articles[article.duplicate_of].duplicate_of is None
        roots = {normalise(a.text) for a in articles.values() if a.duplicate_of is None}
        assert normalise(WIRE) not in roots or normalise(REWORDED) not in roots


def test_fingerprint_similarity_orders_texts() -> None:
    config = DedupSettings()
    wire, rewrite, own = (fingerprint(t, config) for t in (WIRE, REWORDED, OWN_WORDS))
    assert wire.jaccard(rewrite) > config.threshold > wire.jaccard(own)


def test_labelled_pairs_of_the_sample_corpus(tmp_path: Path) -> None:
    """Precision and recall on every labelled pair: duplicates vs the same story in other words."""
    db = tmp_path / "sample.db"
    with SQLiteStore(db) as store:
        ingest_sample(store, settings=load_settings(db_path=str(db)))
        corpus = LabelledCorpus(list(store.iter_articles()))
        by_id = {a.id: a for a in corpus.articles}

        def root(article_id: int | None) -> int | None:
            while article_id is not None and by_id[article_id].duplicate_of is not None:
                article_id = by_id[article_id].duplicate_of
            return article_id

        pairs = list(corpus.pairs())
        predicted = [
            root(corpus.matched[p.first["path"]].id) == root(corpus.matched[p.second["path"]].id)
            for p in pairs
        ]
        gold = [p.duplicate for p in pairs]
    assert sum(gold) >= 9
    assert sum(1 for p in pairs if p.same_story and not p.duplicate) >= 20
    precision, recall = pair_scores(predicted, gold)
    assert precision >= 0.95
    assert recall >= 0.95


# -- batched look-ups ----------------------------------------------------------------------------


def _paragraphs_text(seed: int) -> str:
    """Four paragraphs, each long enough to be indexed on its own."""
    parts = [WIRE, REWORDED, OWN_WORDS, MARKETS]
    return "\n\n".join(parts[(seed + i) % 4] + f" Paragraph {seed}-{i}." for i in range(4))


def test_batched_lookups_agree_with_one_query_per_key(store: SQLiteStore) -> None:
    for day, text in enumerate([WIRE, REWORDED, _paragraphs_text(1), MARKETS, WIRE], start=1):
        add(store, f"k{day}", text, day)
    deduplicate(store)
    config = DedupSettings()
    bands, rows = lsh_params(config)
    keys = [
        key
        for text in (WIRE, OWN_WORDS, MARKETS + " Paragraph 1-3.")
        for key in band_keys(fingerprint(text, config).signature, bands, rows)
    ]
    members = store.bucket_members(keys)
    for key in keys:
        expected = store.bucket_hits([key], paragraphs=False) | store.bucket_hits(
            [key], paragraphs=True
        )
        assert set(members[key]) == expected
    assert any(members[key] for key in keys)
    pairs = {pair for found in members.values() for pair in found} | {(999, -1), (1, 7)}
    signatures = store.signatures(pairs)
    for pair in pairs:
        stored = store.signature(*pair)
        assert signatures.get(pair) == (stored[0] if stored else None)


def test_an_article_is_checked_with_a_bounded_number_of_queries(store: SQLiteStore) -> None:
    # One query per LSH band made 37 look-ups per text, and per paragraph; now one look-up
    # serves the article and all its paragraphs, and one more reads their signatures.
    for day in range(1, 6):
        add(store, f"k{day}", _paragraphs_text(day), day)
    add(store, "last", _paragraphs_text(0) + "\n\n" + MARKETS + " A closing paragraph.", 9)
    dedup = Deduplicator(store)
    pending = store.articles_without_fingerprint()
    for article in pending[:-1]:
        dedup.check(article)
    selects: list[str] = []
    store._db.set_trace_callback(
        lambda sql: selects.append(sql) if sql.lstrip().upper().startswith("SELECT") else None
    )
    try:
        match = dedup.check(pending[-1])
    finally:
        store._db.set_trace_callback(None)
    assert match is not None
    lsh_reads = [sql for sql in selects if "lsh_buckets" in sql]
    signature_reads = [sql for sql in selects if "signature" in sql and "fingerprints" in sql]
    assert len(lsh_reads) == 1
    assert len(signature_reads) == 1
    assert len(selects) <= 25
