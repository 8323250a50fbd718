"""Stories on the shared real news stream: replay it through the pipeline and score the result.

    python bench/stream.py                 # the real pipeline, TF-IDF (and --embeddings)
    python bench/stream.py --cv            # 5-fold cross-validated calibration by gold event
    python bench/stream.py --storylines    # the same for the storyline model
    python bench/stream.py --diagnose      # why gold events are split over several stories

Reads ``../shared/benchmarks/stream/news_events.jsonl`` (relative to the repository root, or
the nearest folder above it that has ``shared/``): 204
full English articles in 35 gold events (README there). Each article becomes one HTML page
(title in ``<title>`` and ``<h1>``, ``article:published_time``, ``og:site_name``, canonical
link, paragraphs in ``<p>``) in a temporary folder, named in date order; ``nkwatch ingest`` of
the folder runs the whole pipeline (extraction, de-duplication, enrichment, stories), and each
article's ``story_id`` is read back from the export. Articles the pipeline rejects count as
stories of their own. Scores are pairwise F1 (P, R), BCubed F1 and NMI (``bench/clustering``).

``--cv`` calibrates the full-article merge model on folds of gold events: the stream's events
are dealt into five folds; every point of a small grid (title weight, cut, time-gap weight,
inactive days) is scored on the four other folds together with the fitting half of the
labelled North Korea stream of the sample corpus (bench/stories.py), points that take that
half's precision under its 0.97 floor are skipped, and the chosen point labels the held-out
fold; the held-out folds' labels together give the cross-validated figure. The point chosen on
all folds is reported beside it as the whole-set figure. GoogleNews-TS (short snippets without
dates) keeps its own snippet model and is checked by bench/clustering.py. ``--storylines``
does the same for the storyline model, each grid point a full pipeline run. ``--diagnose``
scores the stories against the gold events cut wherever their coverage pauses (3, 7, 30 days)
and, for every gold event split over several stories, names the closest pair of articles across
each split, their title and whole-text cosines, the time gap, the similarity the join model
needs at that gap, and why the pair stayed apart (see :func:`split_links`).
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from nkwatch.cluster import ClusterDoc, ClusterSettings, Embedder, cluster_stream
from nkwatch.cluster.model import MergeModel
from nkwatch.cluster.persist import article_settings, calibrated_model, cluster_anchors
from nkwatch.cluster.storylines import storyline_model
from nkwatch.config import load_settings
from nkwatch.pipeline import ingest
from nkwatch.publish.export import export_rows
from nkwatch.record import Article
from nkwatch.store import SQLiteStore

REPO_ROOT = Path(__file__).resolve().parent.parent
STREAM_FILE = Path("shared") / "benchmarks" / "stream" / "news_events.jsonl"


def shared_file(relative: Path) -> Path:
    """``relative`` under the nearest folder above the repository that has it (a checkout kept
    in a sub-folder still finds the shared data); the sibling path when none has it."""
    for folder in REPO_ROOT.parents:
        if (folder / relative).exists():
            return folder / relative
    return REPO_ROOT.parent / relative


DEFAULT_DATA = shared_file(STREAM_FILE)
FOLDS = 5
FOLD_SEED = 0


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled article of the stream."""

    id: str
    date: str
    title: str
    text: str
    source: str
    url: str
    gold: int
    name: str = ""


def load(path: Path = DEFAULT_DATA) -> list[Row]:
    """The stream's articles in date order (file order breaks ties)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line)
            rows.append(
                Row(
                    id=data["id"],
                    date=data["date"],
                    title=data.get("title") or "",
                    text=data.get("text") or "",
                    source=data.get("source") or "",
                    url=data.get("url") or "",
                    gold=int(data["cluster"]),
                    name=data.get("cluster_name") or "",
                )
            )
    return sorted(rows, key=lambda r: r.date)


def page(row: Row) -> str:
    """The article as one HTML page, as a site would serve it."""
    paragraphs = "\n".join(
        f"<p>{html.escape(line.strip())}</p>" for line in row.text.splitlines() if line.strip()
    )
    title = html.escape(row.title)
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>\n"
        f"<title>{title}</title>\n"
        f'<meta property="article:published_time" content="{html.escape(row.date)}">\n'
        f'<meta property="og:site_name" content="{html.escape(row.source)}">\n'
        f'<link rel="canonical" href="{html.escape(row.url)}">\n'
        f"</head><body><article><h1>{title}</h1>\n{paragraphs}\n</article></body></html>\n"
    )


def write_pages(rows: Sequence[Row], folder: Path) -> None:
    """One page per article, named in date order."""
    folder.mkdir(parents=True, exist_ok=True)
    for position, row in enumerate(rows):
        (folder / f"{position:04d}.html").write_text(page(row), encoding="utf-8")


def ingest_stream(
    rows: Sequence[Row],
    folder: Path,
    *,
    embeddings: bool = False,
    storyline: MergeModel | None = None,
    window: float | None = None,
) -> SQLiteStore:
    """The stream ingested by the real pipeline (default settings) into a store in ``folder``.

    ``embeddings`` switches the embedding view on; ``storyline`` replaces the storyline model
    and ``window`` the days a quiet story stays within reach of storyline links.
    """
    pages = folder / "pages"
    write_pages(rows, pages)
    db = folder / "stream.db"
    config = load_settings(db_path=str(db))
    if embeddings:
        config = replace(config, cluster=replace(config.cluster, use_embeddings=True))
    if storyline is not None:
        config = replace(config, cluster=replace(config.cluster, storyline_model=storyline))
    if window is not None:
        config = replace(config, cluster=replace(config.cluster, storyline_window_days=window))
    store = SQLiteStore(db)
    ingest([str(pages)], settings=config, store=store, allow_network=False)
    return store


def exported_labels(
    rows: Sequence[Row], store: SQLiteStore, *, field: str = "story_id"
) -> list[int]:
    """Story (or storyline, with ``field``) of each row read from the export.

    A rejected or story-less article is a story of its own.
    """
    by_page: dict[str, int] = {}
    for data in export_rows(store.iter_articles(), store):
        name = Path(str(data.get("source") or "")).name
        if data.get(field):
            by_page[name] = int(data[field])
    labels = []
    for position in range(len(rows)):
        story = by_page.get(f"{position:04d}.html")
        labels.append(story if story is not None else -1 - position)
    return labels


def stored_stream(store: SQLiteStore, count: int) -> tuple[list[Article], list[int]]:
    """The stored articles in arrival order, with each one's row position in the stream."""
    articles, positions = [], []
    for article in store.iter_articles():
        name = Path(article.source).name
        if name.endswith(".html") and name[:4].isdigit() and int(name[:4]) < count:
            articles.append(article)
            positions.append(int(name[:4]))
    return articles, positions


def replay(
    store: SQLiteStore,
    articles: Sequence[Article],
    positions: Sequence[int],
    count: int,
    settings: ClusterSettings,
    embedder: Embedder | None = None,
) -> list[int]:
    """Labels per row from the clusterer alone over the stored articles (fast, for grids).

    Copies take their original's label, as the pipeline does; articles not stored are alone.
    """
    originals = [(a, p) for a, p in zip(articles, positions, strict=True) if a.duplicate_of is None]
    docs = []
    for article, _ in originals:
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
    predicted = cluster_stream(docs, settings=article_settings(settings), embedder=embedder)
    by_id = {a.id: label for (a, _), label in zip(originals, predicted, strict=True)}
    labels = [-1 - position for position in range(count)]
    for article, position in zip(articles, positions, strict=True):
        key = article.duplicate_of if article.duplicate_of is not None else article.id
        if key in by_id:
            labels[position] = by_id[key]
    return labels


def event_folds(golds: Sequence[int], folds: int = FOLDS, seed: int = FOLD_SEED) -> list[set[int]]:
    """Gold events dealt into ``folds`` groups at random (fixed seed)."""
    events = sorted(set(golds))
    random.Random(seed).shuffle(events)
    return [set(events[i::folds]) for i in range(folds)]


def subset(labels: Sequence[int], golds: Sequence[int], keep: Callable[[int], bool]) -> tuple:
    """Predicted and gold labels of the rows whose gold event passes ``keep``."""
    pairs = [(p, g) for p, g in zip(labels, golds, strict=True) if keep(g)]
    return [p for p, _ in pairs], [g for _, g in pairs]


# -- calibration ----------------------------------------------------------------------------

#: The calibration grid of the full-article model: title weight (the rest on whole text), cut,
#: time-gap weight per log-day and the days after which a quiet story leaves the candidates.
GRID_TITLE = (0.3, 0.45)
GRID_CUT = (0.12, 0.14, 0.16)
GRID_GAP = (-2.5, -2.0, -1.5)
GRID_INACTIVE = (14.0, 60.0, 120.0)
#: Refinement merges need this much more weighted similarity than joins.
REFINE_STEP = 0.1
#: The sample stream's pinned precision floor (tests/cluster/test_persist.py): a grid point
#: that falls below it on the sample's fitting half is not eligible.
SAMPLE_PRECISION_FLOOR = 0.97
#: Mean F1 values this close count as a tie (a single article pair moves the mean about this).
TIE = 0.002

GridPoint = tuple[float, float, float, float]


def grid_settings(point: GridPoint) -> ClusterSettings:
    """Full-article settings of one grid point (title weight, cut, gap weight, inactive days)."""
    title, cut, gap, inactive = point
    weights = {"text": round(1.0 - title, 4), "title": title}
    return ClusterSettings(
        inactive_after_days=inactive,
        model=calibrated_model(weights, cut=cut, gap=gap),
        refine_model=calibrated_model(weights, cut=round(cut + REFINE_STEP, 4), gap=gap),
    )


def grid_points() -> list[GridPoint]:
    """Every point of the calibration grid, in a fixed order."""
    return list(itertools.product(GRID_TITLE, GRID_CUT, GRID_GAP, GRID_INACTIVE))


def choose(
    points: Sequence[GridPoint],
    stream_f1: Callable[[GridPoint], float],
    sample_scores: Callable[[GridPoint], tuple[float, float]],
) -> GridPoint:
    """The point with the best mean of stream and sample pairwise F1 (fitting parts only).

    ``sample_scores`` gives (precision, F1) on the sample's fitting half; points under the
    sample's precision floor are skipped. Points within :data:`TIE` of the best mean are tied;
    of those, the one with the strongest time-gap weight wins (then the higher cut): the
    cautious choice against joining separate happenings weeks apart.
    """
    values = {}
    for point in points:
        precision, f1 = sample_scores(point)
        if precision >= SAMPLE_PRECISION_FLOOR:
            values[point] = (stream_f1(point) + f1) / 2
    if not values:
        raise ValueError("no grid point keeps the sample stream's precision floor")
    top = max(values.values())
    tied = [point for point, value in values.items() if value >= top - TIE]
    return min(tied, key=lambda p: (p[2], -p[1], points.index(p)))


def cross_validate(rows: Sequence[Row], folder: Path) -> None:
    """Fold-by-event calibration on the stream with the sample's fitting half; prints scores."""
    from bench import stories as sample_bench
    from bench.clustering import score
    from nkwatch.sample import story_scores

    store = ingest_stream(rows, folder / "stream")
    articles, positions = stored_stream(store, len(rows))
    sample_store, sample_articles, sample_gold = sample_bench.labelled_stream(folder)
    stories = sorted(set(sample_gold.values()))
    fitting = set(stories[::2])
    golds = [r.gold for r in rows]
    points = grid_points()
    stream_labels = {}
    sample_labels = {}
    for point in points:
        settings = grid_settings(point)
        stream_labels[point] = replay(store, articles, positions, len(rows), settings)
        sample_labels[point] = sample_bench.replay(sample_store, sample_articles, settings)

    def sample_fit(point: GridPoint) -> tuple[float, float]:
        p, _, f, _, _ = story_scores(sample_labels[point], sample_gold, lambda s: s in fitting)
        return p, f

    cv_labels = [0] * len(rows)
    for k, fold in enumerate(event_folds(golds)):

        def stream_fit(point: GridPoint, fold: set[int] = fold) -> float:
            labels, gold = subset(stream_labels[point], golds, lambda g: g not in fold)
            return score(labels, gold).pairwise_f1

        point = choose(points, stream_fit, sample_fit)
        print(f"fold {k}: title {point[0]}, cut {point[1]}, gap {point[2]}, inactive {point[3]} d")
        for i, row in enumerate(rows):
            if row.gold in fold:
                label = stream_labels[point][i]
                # Labels of different folds' settings must not meet: keep them apart by fold.
                cv_labels[i] = label * FOLDS + k if label >= 0 else label
    report("stream, cross-validated (5 folds by event)", cv_labels, golds)
    point = choose(points, lambda p: score(stream_labels[p], golds).pairwise_f1, sample_fit)
    print(f"all folds: title {point[0]}, cut {point[1]}, gap {point[2]}, inactive {point[3]} d")
    report("stream, whole set", stream_labels[point], golds)
    for name, keep in (
        ("sample fitting half", lambda s: s in fitting),
        ("sample held-out half", lambda s: s not in fitting),
        ("sample all", lambda s: True),
    ):
        p, r, f, b, n = story_scores(sample_labels[point], sample_gold, keep)
        print(f"{name:44s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  BCubed {b:.3f}  NMI {n:.3f}")
    store.close()
    sample_store.close()


#: The storyline grid: link cut and time-gap weight per log-day of the storyline model, and the
#: days a quiet story stays within reach of storyline links (120: no longer than story joins).
STORYLINE_CUTS = (0.06, 0.08, 0.1, 0.12)
STORYLINE_GAPS = (-0.5, -1.0)
STORYLINE_WINDOWS = (120.0, 240.0, 365.0)

StorylinePoint = tuple[float, float, float]


def cross_validate_storylines(rows: Sequence[Row], folder: Path) -> None:
    """Fold-by-event choice of the storyline model on the stream; prints scores.

    Every grid point is a full pipeline run (storylines are linked during the run), read
    back from the export's ``storyline_id``.
    """
    from bench.clustering import score

    golds = [r.gold for r in rows]
    points = list(itertools.product(STORYLINE_CUTS, STORYLINE_GAPS, STORYLINE_WINDOWS))
    labels = {}
    for n, (cut, gap, window) in enumerate(points):
        store = ingest_stream(
            rows,
            folder / f"storylines-{n}",
            storyline=storyline_model(cut=cut, gap=gap),
            window=window,
        )
        labels[(cut, gap, window)] = exported_labels(rows, store, field="storyline_id")
        store.close()
    cv_labels = [0] * len(rows)
    for k, fold in enumerate(event_folds(golds)):

        def fit(point: StorylinePoint, fold: set[int] = fold) -> float:
            kept, gold = subset(labels[point], golds, lambda g: g not in fold)
            return score(kept, gold).pairwise_f1

        point = max(points, key=fit)
        print(f"fold {k}: storyline cut {point[0]}, gap {point[1]}, window {point[2]} d")
        for i, row in enumerate(rows):
            if row.gold in fold:
                label = labels[point][i]
                cv_labels[i] = label * FOLDS + k if label >= 0 else label
    report("storylines, cross-validated (5 folds by event)", cv_labels, golds)
    point = max(points, key=lambda p: score(labels[p], golds).pairwise_f1)
    print(f"all folds: storyline cut {point[0]}, gap {point[1]}, window {point[2]} d")
    report("storylines, whole set", labels[point], golds)


# -- diagnosis ------------------------------------------------------------------------------

#: Gold events are split again wherever their coverage pauses this many days (``--diagnose``).
GAP_SPLITS = (3.0, 7.0, 30.0)


@dataclass(frozen=True, slots=True)
class SplitLink:
    """The closest pair of articles across two pieces of one gold event, and why it failed."""

    later: int
    earlier: int
    title: float
    text: float
    similarity: float
    gap_days: float
    needed: float
    verdict: str


def gap_split_gold(rows: Sequence[Row], days: float) -> list[int]:
    """Gold labels with every event cut wherever its coverage pauses more than ``days``."""
    labels = [0] * len(rows)
    next_label = 0
    by_event: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        by_event.setdefault(row.gold, []).append(i)
    for members in by_event.values():
        members.sort(key=lambda i: rows[i].date)
        last = None
        for i in members:
            moment = _moment(rows[i])
            if last is None or (moment - last) / 86_400.0 > days:
                next_label += 1
            labels[i] = next_label
            last = moment
    return labels


def _moment(row: Row) -> float:
    from datetime import UTC, datetime

    value = datetime.fromisoformat(row.date)
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def split_links(
    rows: Sequence[Row], labels: Sequence[int], settings: ClusterSettings
) -> dict[int, list[SplitLink]]:
    """For each gold event split over several stories, why each later piece stayed apart.

    Articles are weighed as the clusterer weighs them (title and whole-text TF-IDF views), with
    document frequencies of the whole stream. For each piece of an event after its first (in
    time), the pair of articles across it and an earlier piece with the highest weighted
    similarity is kept, with the time gap and the similarity the join model needs at that gap.
    Verdicts: ``rejected`` (the pipeline stored no story for one of the pair: a rejected page,
    a story of its own), ``time gap`` (the pair is similar enough but the gap cost stops it),
    ``retired``
    (the earlier story had left the candidates), ``title view`` or ``text view`` (that view's
    cosine is under the cut while the other's passes), ``both views``, and ``centroid`` (the
    pair would pass: the article was compared with a story whose centroid says something else).
    """
    from nkwatch.cluster.views import DocumentFrequencies, dot, term_counts, tokenize

    model = article_settings(settings).merge_model
    weights = dict(model.coefficients)
    title_w = weights.get("title", 0.0) / 20.0
    text_w = weights.get("text", 0.0) / 20.0
    gap_w = weights.get("log_gap_days", 0.0)
    cut = -model.intercept / 20.0
    views = {}
    for view, read in (("title", lambda r: r.title), ("text", lambda r: f"{r.title} {r.text}")):
        counts = [term_counts(tokenize(read(r))) for r in rows]
        table = DocumentFrequencies()
        for c in counts:
            table.add(c)
        views[view] = [table.weigh(c) for c in counts]
    moments = [_moment(r) for r in rows]
    inactive = article_settings(settings).inactive_after_days
    result: dict[int, list[SplitLink]] = {}
    events = sorted({r.gold for r in rows})
    for event in events:
        members = [i for i, r in enumerate(rows) if r.gold == event]
        pieces: dict[int, list[int]] = {}
        for i in members:
            pieces.setdefault(labels[i], []).append(i)
        if len(pieces) < 2:
            continue
        ordered = sorted(pieces.values(), key=lambda p: min(moments[i] for i in p))
        links = []
        for k, piece in enumerate(ordered[1:], start=1):
            earlier = [i for p in ordered[:k] for i in p]
            best = None
            for a in piece:
                for b in earlier:
                    title = dot(views["title"][a], views["title"][b])
                    text = dot(views["text"][a], views["text"][b])
                    similarity = title_w * title + text_w * text
                    if best is None or similarity > best[0]:
                        best = (similarity, a, b, title, text)
            assert best is not None
            similarity, a, b, title, text = best
            gap = abs(moments[a] - moments[b]) / 86_400.0
            needed = cut - gap_w * math.log1p(gap) / 20.0
            last_before = max((moments[i] for i in earlier if moments[i] <= moments[a]), default=0)
            if labels[a] < 0 or labels[b] < 0:
                verdict = "rejected"
            elif (moments[a] - last_before) / 86_400.0 > inactive:
                verdict = "retired"
            elif similarity >= needed:
                verdict = "centroid"
            elif similarity >= cut:
                verdict = "time gap"
            elif title < cut <= text:
                verdict = "title view"
            elif text < cut <= title:
                verdict = "text view"
            else:
                verdict = "both views"
            links.append(SplitLink(a, b, title, text, similarity, gap, needed, verdict))
        result[event] = links
    return result


def diagnose(rows: Sequence[Row], labels: Sequence[int], settings: ClusterSettings) -> None:
    """Print why gold events are split, and how the stories score against gap-split gold."""
    from collections import Counter

    from bench.clustering import score

    golds = [r.gold for r in rows]
    for days in GAP_SPLITS:
        cut_gold = gap_split_gold(rows, days)
        s = score(labels, cut_gold)
        print(
            f"gold cut at pauses > {days:g} days ({len(set(cut_gold))} events): "
            f"P {s.pairwise_precision:.3f}  R {s.pairwise_recall:.3f}  F1 {s.pairwise_f1:.3f}  "
            f"BCubed {s.bcubed_f1:.3f}"
        )
    verdicts: Counter[str] = Counter()
    for event, links in split_links(rows, labels, settings).items():
        members = [i for i, g in enumerate(golds) if g == event]
        name = next(r.name for r in rows if r.gold == event) or str(event)
        span = max(_moment(rows[i]) for i in members) - min(_moment(rows[i]) for i in members)
        print(
            f"event {event} {name!r}: {len(members)} articles over {span / 86_400:.0f} days "
            f"in {len(links) + 1} stories"
        )
        for link in links:
            verdicts[link.verdict] += 1
            print(
                f"    {rows[link.later].date[:10]} #{link.later} ~ {rows[link.earlier].date[:10]} "
                f"#{link.earlier}: title {link.title:.2f} text {link.text:.2f} -> "
                f"{link.similarity:.3f} (needs {link.needed:.3f} at {link.gap_days:.1f} d): "
                f"{link.verdict}"
            )
    print("why pieces stayed apart:", ", ".join(f"{k} {v}" for k, v in verdicts.most_common()))


def report(name: str, labels: Sequence[int], golds: Sequence[int]) -> None:
    from bench.clustering import score

    s = score(labels, golds)
    print(
        f"{name:44s} P {s.pairwise_precision:.3f}  R {s.pairwise_recall:.3f}  "
        f"F1 {s.pairwise_f1:.3f}  BCubed {s.bcubed_f1:.3f}  NMI {s.nmi:.3f}  "
        f"stories {s.stories}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--embeddings", action="store_true", help="also the embedding variant")
    parser.add_argument("--cv", action="store_true", help="cross-validated calibration")
    parser.add_argument("--storylines", action="store_true", help="calibrate storylines only")
    parser.add_argument(
        "--diagnose", action="store_true", help="explain the gold events split over stories"
    )
    args = parser.parse_args()
    rows = load(args.data)
    if args.cv:
        with tempfile.TemporaryDirectory() as folder:
            cross_validate(rows, Path(folder))
        return 0
    if args.storylines:
        with tempfile.TemporaryDirectory() as folder:
            cross_validate_storylines(rows, Path(folder))
        return 0
    golds = [r.gold for r in rows]
    print(f"articles {len(rows)}, gold events {len(set(golds))}")
    variants = [("TF-IDF", False)] + ([("+embeddings", True)] if args.embeddings else [])
    for name, embeddings in variants:
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            store = ingest_stream(rows, Path(folder), embeddings=embeddings)
            elapsed = time.perf_counter() - start
            labels = exported_labels(rows, store)
            lines = exported_labels(rows, store, field="storyline_id")
            store.close()
        report(f"pipeline {name} ({elapsed:.1f} s)", labels, golds)
        report(f"pipeline {name}, storylines", lines, golds)
        if args.diagnose:
            diagnose(rows, labels, load_settings().cluster)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    sys.exit(main())
