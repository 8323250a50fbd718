"""Stored protection analyses: one per article, read back by version, replaced, and listed
while missing or made by another version."""

from __future__ import annotations

from nkwatch.record import Article
from nkwatch.store import Store


def _article(store: Store, number: int) -> int:
    saved = store.save_article(
        Article(
            text=f"Report number {number} about the border, kept for the analysis tests.",
            title=f"Report {number}",
            url=f"https://a.example/{number}",
            source_key=f"https://a.example/{number}",
            outlet="A",
        )
    )
    assert saved.id is not None
    return saved.id


def test_analyses_are_kept_per_article_and_version(store: Store) -> None:
    first, second = _article(store, 1), _article(store, 2)
    assert [a.id for a in store.articles_to_protect("v1")] == [first, second]
    rows = [["PERSON", 0, 4, 0.75, "person", "defector", "pak mi-ran", None, False]]
    store.save_protection_analysis(first, "hash-1", "v1", rows)
    assert store.protection_analyses([first, second], "v1") == {first: ("hash-1", rows)}
    assert store.protection_analyses([first], "v2") == {}
    assert [a.id for a in store.articles_to_protect("v1")] == [second]
    assert [a.id for a in store.articles_to_protect("v2")] == [first, second]
    # A new text or version replaces the article's analysis.
    store.save_protection_analysis(first, "hash-2", "v2", [])
    assert store.protection_analyses([first], "v2") == {first: ("hash-2", [])}
    assert store.protection_analyses([first], "v1") == {}
    assert store.protection_analyses([], "v2") == {}


def test_many_ids_are_read_in_chunks(store: Store) -> None:
    ids = [_article(store, number) for number in range(1, 604)]
    for article_id in ids:
        store.save_protection_analysis(article_id, f"h{article_id}", "v", [])
    found = store.protection_analyses(ids, "v")
    assert sorted(found) == ids
    assert found[ids[-1]] == (f"h{ids[-1]}", [])


def test_texts_judged_alone_are_kept_by_hash_and_version(store: Store) -> None:
    rows = [["PHONE", 3, 16, 0.85, "phone", None, None, None, False]]
    store.save_text_analyses("v1", [("h1", rows), ("h2", [])])
    store.save_text_analyses("v1", [])
    assert store.text_analyses(["h1", "h2", "h3"], "v1") == {"h1": rows, "h2": []}
    assert store.text_analyses(["h1"], "v2") == {}
    # Another version replaces a text's analysis.
    store.save_text_analyses("v2", [("h1", [])])
    assert store.text_analyses(["h1"], "v2") == {"h1": []}
    assert store.text_analyses(["h1", "h2"], "v1") == {"h2": []}
    assert store.text_analyses([], "v1") == {}
    many = [f"d{n}" for n in range(603)]
    store.save_text_analyses("v3", [(digest, []) for digest in many])
    assert sorted(store.text_analyses(many, "v3")) == sorted(many)
