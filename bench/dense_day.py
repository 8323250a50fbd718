"""Stories on a dense day of real news: do reports of different happenings stay apart?

    python bench/dense_day.py               # the pipeline's stories, both halves
    python bench/dense_day.py --list        # and every story that mixes events
    python bench/dense_day.py --embeddings  # with the MiniLM view switched on
    python bench/dense_day.py --grid        # cuts and floors, replayed on three sets

The shared stream (``bench/stream.py``) holds 35 events over five years, so its articles rarely
meet a report of another happening on the same topic in the same week, and it measures mostly
recall. A desk's feeds do the opposite: hundreds of pages a day, many on the same few subjects.
The 181 real pages of ``../shared/benchmarks/extraction/`` are such a day: 124 of them were
published between 2019-11-18 and 2019-11-20 by dozens of outlets (Apple and Google launches,
NASA contracts and discoveries, impeachment hearings, car-show reveals, market wraps), the rest
are older pages of small sites. ``tests/data/stories/dense_day_events.json`` names the event of
each page, labelled by hand from titles and bodies before any clustering ran on them (150
events, 19 of them with two pages or more).

Each page is unzipped into a folder, named in the order of the date the extractor reads from it
(undated pages last), and ``nkwatch ingest`` of the folder runs the whole pipeline; each page's
``story_id`` is read back from the export (a rejected page is a story of its own). The events
are split once into halves by name (``half_of``); the pages of both halves are clustered
together, as a desk would receive them, and each half is scored over its own pages: pairwise
precision, recall and F1, BCubed F1 and NMI (``bench/clustering.score``).

``--grid`` replays the stored articles of the day (development half scored), of the shared
stream and of the North Korea stream (``bench/event_variants.py``'s sets) through the clusterer
with other cuts and similarity floors for the TF-IDF article model, as the floor was chosen.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))

from bench import event_variants as variants  # noqa: E402
from bench.clustering import score  # noqa: E402
from bench.stream import shared_file  # noqa: E402
from nkwatch.cluster.persist import (  # noqa: E402
    ARTICLE_REFINE_MODEL,
    ARTICLE_WEIGHTS,
    article_settings,
    calibrated_model,
)
from nkwatch.config import load_settings  # noqa: E402
from nkwatch.errors import NkwatchError  # noqa: E402
from nkwatch.extract import extract_document  # noqa: E402
from nkwatch.pipeline import ingest  # noqa: E402
from nkwatch.publish.export import export_rows  # noqa: E402
from nkwatch.record import RawDocument  # noqa: E402
from nkwatch.store import SQLiteStore  # noqa: E402

PAGES = shared_file(Path("shared") / "benchmarks" / "extraction" / "html")
LABELS = REPO_ROOT / "tests" / "data" / "stories" / "dense_day_events.json"


def load_events(path: Path = LABELS) -> dict[str, str]:
    """Page id → event name."""
    return dict(json.loads(path.read_text(encoding="utf-8"))["events"])


def half_of(event: str) -> str:
    """The half an event belongs to: ``dev`` when the SHA-1 of its name is even, else ``test``."""
    return "dev" if int(hashlib.sha1(event.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


def write_pages(folder: Path, pages: Path = PAGES) -> list[str]:
    """Unzip every page into ``folder``, named in date order; the page ids in that order."""
    dated: list[tuple[str, str, bytes]] = []
    for path in sorted(pages.glob("*.html.gz")):
        content = gzip.decompress(path.read_bytes())
        page_id = path.name.removesuffix(".html.gz")
        try:
            article = extract_document(RawDocument(location=path.name, content=content))[0]
            moment = article.published.isoformat() if article.published else "~"
        except NkwatchError:
            moment = "~"
        dated.append((moment, page_id, content))
    dated.sort()
    folder.mkdir(parents=True, exist_ok=True)
    for position, (_, _, content) in enumerate(dated):
        (folder / f"{position:04d}.html").write_bytes(content)
    return [page_id for _, page_id, _ in dated]


def ingested(folder: Path, *, embeddings: bool = False) -> tuple[SQLiteStore, list[str]]:
    """A store in ``folder`` after ``nkwatch ingest`` of the pages, and the page ids in the
    order of the files' names."""
    order = write_pages(folder / "pages")
    db = folder / "day.db"
    settings = load_settings(db_path=str(db))
    if embeddings:
        settings = replace(settings, cluster=replace(settings.cluster, use_embeddings=True))
    store = SQLiteStore(db)
    ingest([str(folder / "pages")], settings=settings, store=store, allow_network=False)
    return store, order


def page_of(source: str, order: list[str]) -> str:
    """The page id of a stored article's source file."""
    return order[int(Path(source).name[:4])]


def stories_of(folder: Path, *, embeddings: bool = False) -> tuple[dict[str, int], dict[str, str]]:
    """Page id → story id after ``nkwatch ingest`` of the pages, and page id → stored title."""
    store, order = ingested(folder, embeddings=embeddings)
    stories: dict[str, int] = {}
    titles: dict[str, str] = {}
    for data in export_rows(store.iter_articles(), store):
        source = str(data.get("source") or "")
        if not source.endswith(".html"):
            continue
        page_id = page_of(source, order)
        titles[page_id] = str(data.get("title") or "")
        if data.get("story_id"):
            stories[page_id] = int(data["story_id"])
    store.close()
    return stories, titles


def scores(stories: dict[str, int], events: dict[str, str]) -> dict[str, dict[str, float]]:
    """Scores of each half (and of all pages) over that half's pages."""
    result = {}
    for half in ("dev", "test", "all"):
        pages = sorted(p for p, e in events.items() if half in {"all", half_of(e)})
        predicted = [stories.get(p, -1 - n) for n, p in enumerate(pages)]
        gold_ids = {e: n for n, e in enumerate(sorted({events[p] for p in pages}))}
        got = score(predicted, [gold_ids[events[p]] for p in pages])
        result[half] = {
            "pages": len(pages),
            "precision": got.pairwise_precision,
            "recall": got.pairwise_recall,
            "f1": got.pairwise_f1,
            "bcubed": got.bcubed_f1,
            "nmi": got.nmi,
            "stories": got.stories,
        }
    return result


def mixed_stories(
    stories: dict[str, int], events: dict[str, str], titles: dict[str, str], half: str
) -> list[list[str]]:
    """Stories holding pages of more than one event of ``half``: their pages, as lines."""
    members: dict[int, list[str]] = defaultdict(list)
    for page, story in stories.items():
        if half in {"all", half_of(events[page])}:
            members[story].append(page)
    found = []
    for pages in members.values():
        if len({events[p] for p in pages}) > 1:
            found.append([f"{events[p][:48]:48}  {titles.get(p, '')[:90]}" for p in pages])
    return found


def day_set(folder: Path) -> variants.LabelledSet:
    """The day's stored originals in arrival order, each with its page id as gold."""
    store, order = ingested(folder)
    docs, pages = [], []
    for article in store.iter_articles():
        if article.duplicate_of is None:
            docs.append(variants._doc(article, store))
            pages.append(page_of(article.source, order))
    store.close()
    return variants._ordered(docs, pages)


def grid() -> None:
    """Cuts and floors of the article model on the day, the shared stream and the sample's."""
    events = load_events()
    with tempfile.TemporaryDirectory() as tmp:
        sets = variants.load_sets(Path(tmp))
        day = day_set(Path(tmp) / "day")
    base = load_settings().cluster
    print(
        "| article model | stream P / R / F1 / BCubed | NK fit P / F1 | NK held-out P / F1 "
        "| day dev P / R / F1 / BCubed |"
    )
    print("|---|---|---|---|---|")
    for cut, floor in (
        (0.12, None),
        (0.15, None),
        (0.18, None),
        (0.21, None),
        (0.25, None),
        (0.12, 0.16),
        (0.12, 0.18),
        (0.12, 0.20),
        (0.12, 0.22),
        (0.12, 0.25),
    ):
        model = calibrated_model(ARTICLE_WEIGHTS, cut=cut, gap=-2.5, floor=floor)
        settings = replace(base, model=model, refine_model=ARTICLE_REFINE_MODEL)
        got = variants.score_variant(sets, variants.Variant("", settings))
        labels = variants.replay(day, article_settings(settings), variants.plain)
        dev = scores(dict(zip(day.gold, labels, strict=True)), events)["dev"]
        s = got.stream
        print(
            f"| cut {cut}, floor {floor} | {s.pairwise_precision:.3f} / {s.pairwise_recall:.3f} / "
            f"{s.pairwise_f1:.3f} / {s.bcubed_f1:.3f} | {got.fit[0]:.3f} / {got.fit[2]:.3f} "
            f"| {got.held[0]:.3f} / {got.held[2]:.3f} | {dev['precision']:.3f} / "
            f"{dev['recall']:.3f} / {dev['f1']:.3f} / {dev['bcubed']:.3f} |",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embeddings", action="store_true")
    parser.add_argument("--list", choices=("dev", "test", "all"), help="stories that mix events")
    parser.add_argument("--grid", action="store_true", help="cuts and floors, replayed")
    args = parser.parse_args(argv)
    if args.grid:
        grid()
        return 0
    events = load_events()
    with tempfile.TemporaryDirectory() as tmp:
        stories, titles = stories_of(Path(tmp), embeddings=args.embeddings)
    print("| half | pages | P | R | F1 | BCubed | NMI | stories |")
    print("|---|---|---|---|---|---|---|---|")
    for half, got in scores(stories, events).items():
        print(
            f"| {half} | {got['pages']} | {got['precision']:.3f} | {got['recall']:.3f} "
            f"| {got['f1']:.3f} | {got['bcubed']:.3f} | {got['nmi']:.3f} | {got['stories']} |"
        )
    if args.list:
        for lines in mixed_stories(stories, events, titles, args.list):
            print("\n".join(["---", *lines]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
