"""Stories on the labelled North Korea stream of the sample corpus: calibrate and measure.

    python bench/stories.py            # scores of the packaged article model
    python bench/stories.py --grid     # the calibration grid (fit on half the stories)

The sample corpus is ingested (de-duplication and enrichment included), then its original
articles are replayed through the clusterer in arrival order. Scores are pairwise precision,
recall and F1, BCubed F1 and NMI against the manifest's story labels. ``--grid`` searches the
merge model's view weights, time-gap weight and cut on the stories with an even index (sorted
ids) and reports the odd half as held out, which is how the packaged constants were chosen.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from nkwatch.cluster import (
    ClusterDoc,
    ClusterSettings,
    Embedder,
    cluster_stream,
    load_default_embedder,
)
from nkwatch.cluster.persist import article_settings, calibrated_model, cluster_anchors
from nkwatch.config import Settings, load_settings
from nkwatch.pipeline import ingest
from nkwatch.record import Article
from nkwatch.sample import LabelledCorpus, ingest_sample
from nkwatch.sample import story_scores as scores
from nkwatch.store import SQLiteStore


def labelled_stream(folder: Path) -> tuple[SQLiteStore, list[Article], dict[int, str]]:
    """The sample ingested into a fresh store, its original articles, and their gold stories."""
    db = folder / "stories.db"
    store = SQLiteStore(db)
    ingest_sample(store, settings=load_settings(db_path=str(db)))
    articles = [a for a in store.iter_articles() if a.kind != "digest-page"]
    return store, articles, LabelledCorpus(articles).gold_stories()


def replay(
    store: SQLiteStore,
    articles: Sequence[Article],
    settings: ClusterSettings,
    embedder: Embedder | None = None,
) -> dict[int, int]:
    """Story label per original article, clustering the stream as the pipeline does."""
    stream = [a for a in articles if a.duplicate_of is None and a.story_id != 0]
    docs = []
    for article in stream:
        entities = cluster_anchors(store.enrichment(article.id or 0))
        docs.append(
            ClusterDoc(
                id=str(article.id),
                title=article.title or "",
                text=article.text,
                published=article.published,
                entities=entities,
            )
        )
    labels = cluster_stream(docs, settings=settings, embedder=embedder)
    return {a.id or 0: label for a, label in zip(stream, labels, strict=True)}


def korean_placement(articles: Sequence[Article], gold: dict[int, str]) -> tuple[int, int, int]:
    """(right, wrong, all) Korean-language labelled articles, by the pipeline's stories.

    Right: its story holds another-language article of its gold story and none of another
    gold story. Wrong: its story holds an article of another gold story.
    """
    right = wrong = total = 0
    for article in articles:
        if not (article.language or "").startswith("ko") or article.id not in gold:
            continue
        total += 1
        others = [
            a
            for a in articles
            if a.story_id == article.story_id and a.id != article.id and a.id in gold
        ]
        if any(gold[a.id or 0] != gold[article.id] for a in others):
            wrong += 1
        elif any(not (a.language or "").startswith("ko") for a in others):
            right += 1
    return right, wrong, total


def digest_item_placement(
    items: Sequence[Article], articles: Sequence[Article], gold: dict[int, str]
) -> tuple[int, int, int]:
    """(right, wrong, alone) labelled digest items, by the pipeline's stories.

    A digest item's label is the manifest item whose first words open its text. Right: in a
    story of a labelled article of its gold story; wrong: in a story of another gold story;
    alone: in a story of no labelled article.
    """
    from nkwatch.sample import load_manifest

    labels = [
        (item["first_words"], item.get("story"))
        for doc in load_manifest()["documents"]
        for item in doc.get("items") or []
    ]
    stories_of: dict[str, set[int | None]] = {}
    for article in articles:
        if article.id in gold:
            stories_of.setdefault(gold[article.id], set()).add(article.story_id)
    right = wrong = alone = 0
    for item in items:
        label = next((s for words, s in labels if item.text.startswith(words)), None)
        if label is None or label not in stories_of:
            continue
        if item.story_id in stories_of[label]:
            right += 1
        elif any(item.story_id in ids for ids in stories_of.values()):
            wrong += 1
        else:
            alone += 1
    return right, wrong, alone


HAPPENINGS = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "stories" / "happenings.jsonl"
)


@dataclass(frozen=True, slots=True)
class HappeningScores:
    """How the topic-vs-event items came out: merges across happenings and joins within."""

    items: int
    happenings: int
    groups: int
    #: Pairs of items of different happenings put in one story, as (id, id).
    merged: tuple[tuple[str, str], ...]
    #: Pairwise recall of items of one happening.
    recall: float


def happenings_stream(folder: Path, *, settings: Settings | None = None) -> HappeningScores:
    """The topic-vs-event items ingested by the pipeline after the sample corpus.

    ``tests/data/stories/happenings.jsonl`` holds short reports of distinct happenings that
    share a theme and a week (troops abroad, border incidents, defectors, missile launches …),
    two reports per happening from different outlets where there are two. They are written as
    a JSON export into ``folder`` and ingested into a store that already holds the sample, so
    the older sample stories are candidates too.
    """
    rows = [json.loads(line) for line in HAPPENINGS.read_text(encoding="utf-8").splitlines()]
    export = folder / "happenings.json"
    export.write_text(
        json.dumps(
            [
                {
                    "url": f"https://{r['outlet'].lower().replace(' ', '')}.example/{r['id']}",
                    "title": r["title"],
                    "text": r["text"],
                    "published": r["date"],
                    "outlet": r["outlet"],
                }
                for r in rows
            ]
        ),
        encoding="utf-8",
    )
    db = folder / "happenings.db"
    config = settings or load_settings(db_path=str(db))
    store = SQLiteStore(db)
    ingest_sample(store, settings=config)
    ingest([str(export)], settings=config, store=store, allow_network=False)
    story = {a.url: a.story_id for a in store.iter_articles()}
    store.close()
    label = {
        r["id"]: story.get(f"https://{r['outlet'].lower().replace(' ', '')}.example/{r['id']}")
        for r in rows
    }
    merged = []
    together = pairs = 0
    for a, b in itertools.combinations(rows, 2):
        same = label[a["id"]] is not None and label[a["id"]] == label[b["id"]]
        if a["happening"] == b["happening"]:
            pairs += 1
            together += same
        elif same:
            merged.append((a["id"], b["id"]))
    return HappeningScores(
        items=len(rows),
        happenings=len({r["happening"] for r in rows}),
        groups=len({r["group"] for r in rows}),
        merged=tuple(merged),
        recall=together / pairs if pairs else 1.0,
    )


def grid(store: SQLiteStore, articles: Sequence[Article], gold: dict[int, str]) -> None:
    stories = sorted(set(gold.values()))
    train = set(stories[::2])
    rows = []
    for title, entities, gap, cut, step in itertools.product(
        (0.0, 0.15, 0.3), (0.0, 0.2), (-1.0, -2.0, -3.0), (0.12, 0.16, 0.2, 0.25), (0.1, 0.2)
    ):
        weights = {"text": 1.0 - title, "title": title, "entities": entities}
        settings = ClusterSettings(
            model=calibrated_model(weights, cut=cut, gap=gap),
            refine_model=calibrated_model(weights, cut=cut + step, gap=gap),
        )
        pred = replay(store, articles, settings)
        fit = scores(pred, gold, lambda s: s in train)
        held = scores(pred, gold, lambda s: s not in train)
        rows.append((fit[2], held[2], title, entities, gap, cut, step))
    rows.sort(key=lambda r: (-r[0], -r[1]))
    print("fit F1  held-out F1  title  entities  gap   cut   refine+")
    for row in rows[:15]:
        print("{:6.3f}  {:11.3f}  {:5.2f}  {:8.2f}  {:4.1f}  {:4.2f}  {:4.2f}".format(*row))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="run the calibration grid")
    parser.add_argument(
        "--embeddings", action="store_true", help="also score the embedding article model"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store, articles, gold = labelled_stream(Path(folder))
        print(f"labelled articles {len(gold)}, stories {len(set(gold.values()))}")
        if args.grid:
            grid(store, articles, gold)
        stories = sorted(set(gold.values()))
        train = set(stories[::2])
        variants = [("TF-IDF", load_settings().cluster, None)]
        if args.embeddings:
            variants.append(
                (
                    "+embeddings",
                    replace(load_settings().cluster, use_embeddings=True),
                    load_default_embedder(),
                )
            )
        print("packaged article model              P      R     F1   BCubed  NMI")
        for label, base, embedder in variants:
            pred = replay(store, articles, article_settings(base), embedder)
            for name, keep in (
                ("originals, fit half", lambda s: s in train),
                ("originals, held-out half", lambda s: s not in train),
                ("originals, all", lambda s: True),
            ):
                row = scores(pred, gold, keep)
                print(
                    "{:12s} {:25s} {:6.3f} {:6.3f} {:6.3f} {:6.3f} {:6.3f}".format(
                        label, name, *row
                    )
                )
        # The pipeline's own result also counts copies, which join their original's story.
        pipeline = {a.id or 0: a.story_id or 0 for a in articles}
        row = scores(pipeline, gold, lambda s: True)
        print(
            "{:12s} {:25s} {:6.3f} {:6.3f} {:6.3f} {:6.3f} {:6.3f}".format(
                "TF-IDF", "pipeline incl. copies", *row
            )
        )
        items = [a for a in store.iter_articles() if a.kind == "digest-item"]
        right, wrong, alone = digest_item_placement(items, articles, gold)
        print(f"digest items: {right} in their story, {wrong} in a wrong one, {alone} alone")
        right, wrong, total = korean_placement(articles, gold)
        print(f"Korean-language reports: {right} of {total} in their story, {wrong} in a wrong one")
        store.close()
        happenings = happenings_stream(Path(folder))
        print(
            f"topic vs event: {happenings.items} items, {happenings.happenings} happenings in "
            f"{happenings.groups} groups; merged across happenings: {len(happenings.merged)} "
            f"pairs {list(happenings.merged)}; recall within happenings {happenings.recall:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
