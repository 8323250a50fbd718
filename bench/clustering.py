"""Story-clustering benchmark: ``cluster_stream`` over the shared GoogleNews-TS set.

Reads ``../shared/benchmarks/clustering/googlenews_ts.jsonl`` (relative to the repository root):
11,109 short news items in 152 gold stories, no dates, text already lower-cased and stop-worded.
Replays the items as a stream in file order and in shuffled orders (fixed seeds), never telling
the clusterer how many stories there are, and scores pairwise F1, BCubed F1 and NMI (scikit-learn)
on the whole set and on the held-out half of the gold stories (the other half is what
``--train`` calibrates the merge and split decisions on). Reports articles per second of
clustering; with ``--embeddings`` also the embedding time, measured separately.

Run ``python bench/clustering.py [--embeddings] [--shuffles N] [--json out.json]``;
``python bench/clustering.py --train [--embeddings]`` re-runs the calibration of the packaged
merge models and split test (``nkwatch/cluster/model.py``) on the training half.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from nkwatch.cluster import ClusterDoc, ClusterSettings, StoryClusterer, load_default_embedder
from nkwatch.cluster.embed import encode_documents
from nkwatch.cluster.model import MergeModel

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "benchmarks" / "clustering" / "googlenews_ts.jsonl"
SPLIT_SEED = 0
TRAIN_SHUFFLE_SEED = 7
SCALE = 20.0
#: The calibration grid: (view weights, join cuts, refinement cuts) per variant, each tried with
#: every (split separation, split size slope) of SPLIT_GRID.
GRID = {
    False: ([{"text": 1.0}], [0.15], [0.25, 0.3]),
    True: ([{"text": 0.4, "title": 0.1, "embedding": 0.5}], [0.25], [0.45, 0.5]),
}
SPLIT_GRID = [(s, k) for s in (0.45, 0.5, 0.55, 0.6) for k in (0.0, 0.05, 0.1)]
#: Then, at the best grid point: the largest story the merge pass still judges as an article.
ORPHAN_SIZES = (0, 1, 2, 3, 4, 5)


@dataclass(frozen=True, slots=True)
class Item:
    """One benchmark item."""

    doc: ClusterDoc
    gold: int


@dataclass(frozen=True, slots=True)
class Scores:
    """The three clustering metrics and the number of predicted stories."""

    pairwise_f1: float
    pairwise_precision: float
    pairwise_recall: float
    bcubed_f1: float
    nmi: float
    stories: int


def load(path: Path = DEFAULT_DATA) -> list[Item]:
    """The benchmark items in file order."""
    items = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            doc = ClusterDoc(id=row["id"], title=row["title"] or "", text=row["text"] or "")
            items.append(Item(doc=doc, gold=int(row["cluster"])))
    return items


def split_gold(items: Sequence[Item], *, seed: int = SPLIT_SEED) -> tuple[set[int], set[int]]:
    """Gold stories split in two halves at random (fixed seed): (train, held out)."""
    stories = sorted({item.gold for item in items})
    random.Random(seed).shuffle(stories)
    half = len(stories) // 2
    return set(stories[:half]), set(stories[half:])


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(predicted: Sequence[int], gold: Sequence[int]) -> Scores:
    """Pairwise F1 (P, R), BCubed F1 and NMI of a labelling against the gold one."""
    from sklearn.metrics import normalized_mutual_info_score

    cells = Counter(zip(predicted, gold, strict=True))
    pred_sizes = Counter(predicted)
    gold_sizes = Counter(gold)
    together = sum(_pairs(n) for n in cells.values())
    pred_pairs = sum(_pairs(n) for n in pred_sizes.values())
    gold_pairs = sum(_pairs(n) for n in gold_sizes.values())
    precision = together / pred_pairs if pred_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = len(gold)
    b_precision = sum(n * n / pred_sizes[p] for (p, _), n in cells.items()) / total
    b_recall = sum(n * n / gold_sizes[g] for (_, g), n in cells.items()) / total
    b_f1 = 2 * b_precision * b_recall / (b_precision + b_recall)
    nmi = float(normalized_mutual_info_score(list(gold), list(predicted)))
    return Scores(f1, precision, recall, b_f1, nmi, len(pred_sizes))


def orders(count: int, shuffles: int) -> list[tuple[str, list[int]]]:
    """File order plus ``shuffles`` seeded permutations of ``range(count)``."""
    result = [("file", list(range(count)))]
    for seed in range(1, shuffles + 1):
        permutation = list(range(count))
        random.Random(seed).shuffle(permutation)
        result.append((f"shuffle-{seed}", permutation))
    return result


def run(
    items: Sequence[Item],
    order: Sequence[int],
    *,
    settings: ClusterSettings,
    embeddings: np.ndarray | None = None,
) -> tuple[list[int], float]:
    """Labels (in ``items`` order) and seconds spent clustering, replaying ``order``."""
    clusterer = StoryClusterer(settings=settings)
    parent: dict[int, int] = {}

    def find(story: int) -> int:
        while story in parent:
            story = parent[story]
        return story

    raw = [0] * len(items)
    position_of = {item.doc.id: i for i, item in enumerate(items)}
    start = time.perf_counter()
    for position in order:
        vector = None if embeddings is None else embeddings[position]
        assignment = clusterer.add(items[position].doc, embedding=vector)
        raw[position] = assignment.story_id
        for member_id, story_id in assignment.moved:
            raw[position_of[member_id]] = story_id
        for absorbed, into in assignment.merged:
            parent[find(absorbed)] = find(into)
    elapsed = time.perf_counter() - start
    return [find(story) for story in raw], elapsed


def embed_all(items: Sequence[Item], cache: Path | None) -> tuple[np.ndarray, float]:
    """Embeddings of every item (file order) and the seconds it took (0 when cached)."""
    if cache is not None and cache.exists():
        return np.load(cache), 0.0
    embedder = load_default_embedder()
    start = time.perf_counter()
    vectors = encode_documents(embedder, [(item.doc.title, item.doc.text) for item in items])
    elapsed = time.perf_counter() - start
    if cache is not None:
        np.save(cache, vectors)
    return vectors, elapsed


def evaluate(
    items: Sequence[Item],
    *,
    settings: ClusterSettings,
    embeddings: np.ndarray | None,
    shuffles: int,
    held_out: set[int],
) -> dict[str, object]:
    """Scores on the whole set and the held-out half, per order and averaged over shuffles."""
    subsets = {
        "all": list(range(len(items))),
        "held-out": [i for i, item in enumerate(items) if item.gold in held_out],
    }
    report: dict[str, object] = {}
    for subset, positions in subsets.items():
        sub_items = [items[i] for i in positions]
        sub_embeddings = None if embeddings is None else embeddings[positions]
        gold = [item.gold for item in sub_items]
        per_order = {}
        seconds = 0.0
        for name, order in orders(len(sub_items), shuffles):
            labels, elapsed = run(sub_items, order, settings=settings, embeddings=sub_embeddings)
            seconds += elapsed
            per_order[name] = asdict(score(labels, gold))
        shuffled = [v for k, v in per_order.items() if k != "file"]
        mean = (
            {key: float(np.mean([s[key] for s in shuffled])) for key in per_order["file"]}
            if shuffled
            else {}
        )
        report[subset] = {
            "items": len(sub_items),
            "file": per_order["file"],
            "shuffled_mean": mean,
            "per_order": per_order,
            "articles_per_second": len(sub_items) * len(per_order) / seconds,
        }
    return report


def _linear(weights: dict[str, float], cut: float) -> MergeModel:
    return MergeModel(
        coefficients=tuple((name, SCALE * w) for name, w in weights.items()),
        intercept=-SCALE * cut,
    )


def train(
    items: Sequence[Item],
    *,
    embeddings: np.ndarray | None,
    train_stories: set[int],
) -> list[dict[str, object]]:
    """Calibrate view weights, cuts and the split test on the training half of the gold stories.

    Every grid point is replayed in file order and one shuffled order; rows are returned best
    (highest mean pairwise F1) first, after which ``orphan_size`` is swept at the best point
    (those rows are printed, marked ``"sweep"``). The held-out half is never read.
    """
    positions = [i for i, item in enumerate(items) if item.gold in train_stories]
    sub_items = [items[i] for i in positions]
    sub_embeddings = None if embeddings is None else embeddings[positions]
    gold = [item.gold for item in sub_items]
    replays = [
        list(range(len(sub_items))),
        random.Random(TRAIN_SHUFFLE_SEED).sample(range(len(sub_items)), len(sub_items)),
    ]
    weight_options, cuts, refine_cuts = GRID[embeddings is not None]
    rows: list[dict[str, object]] = []
    for weights, cut, refine_cut, (separation, slope) in itertools.product(
        weight_options, cuts, refine_cuts, SPLIT_GRID
    ):
        settings = ClusterSettings(
            use_embeddings=embeddings is not None,
            model=_linear(weights, cut),
            refine_model=_linear(weights, refine_cut),
            orphan_model=_linear(weights, cut),
            split_separation=separation,
            split_size_slope=slope,
        )
        scores = [
            score(run(sub_items, order, settings=settings, embeddings=sub_embeddings)[0], gold)
            for order in replays
        ]
        row = {
            "weights": weights,
            "cut": cut,
            "refine_cut": refine_cut,
            "split_separation": separation,
            "split_size_slope": slope,
            "pairwise_f1": float(np.mean([s.pairwise_f1 for s in scores])),
            "nmi": float(np.mean([s.nmi for s in scores])),
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
    rows.sort(key=lambda row: -float(row["pairwise_f1"]))  # type: ignore[arg-type]
    best = rows[0]
    for orphan_size in ORPHAN_SIZES:
        settings = ClusterSettings(
            use_embeddings=embeddings is not None,
            model=_linear(best["weights"], best["cut"]),  # type: ignore[arg-type]
            refine_model=_linear(best["weights"], best["refine_cut"]),  # type: ignore[arg-type]
            orphan_model=_linear(best["weights"], best["cut"]),  # type: ignore[arg-type]
            split_separation=best["split_separation"],  # type: ignore[arg-type]
            split_size_slope=best["split_size_slope"],  # type: ignore[arg-type]
            orphan_size=orphan_size,
        )
        scores = [
            score(run(sub_items, order, settings=settings, embeddings=sub_embeddings)[0], gold)
            for order in replays
        ]
        sweep = {
            "sweep": "orphan_size",
            "orphan_size": orphan_size,
            "pairwise_f1": float(np.mean([s.pairwise_f1 for s in scores])),
            "nmi": float(np.mean([s.nmi for s in scores])),
        }
        print(json.dumps(sweep), flush=True)
    return rows


def _print_table(title: str, report: dict[str, object]) -> None:
    print(f"\n{title}")
    print(
        f"{'subset':10} {'order':14} {'pairF1':>7} {'P':>6} {'R':>6} {'B3F1':>6} {'NMI':>6} "
        f"{'K':>5} {'art/s':>7}"
    )
    for subset, data in report.items():
        assert isinstance(data, dict)
        rows = [("file", data["file"])]
        if data["shuffled_mean"]:
            rows.append((f"shuffled x{len(data['per_order']) - 1}", data["shuffled_mean"]))
        for name, s in rows:
            print(
                f"{subset:10} {name:14} {s['pairwise_f1']:7.4f} {s['pairwise_precision']:6.3f} "
                f"{s['pairwise_recall']:6.3f} {s['bcubed_f1']:6.4f} {s['nmi']:6.4f} "
                f"{s['stories']:5.0f} {data['articles_per_second']:7.0f}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--embeddings", action="store_true", help="add the embedding view")
    parser.add_argument("--shuffles", type=int, default=3)
    parser.add_argument("--refine-every", type=int, default=None)
    parser.add_argument("--json", type=Path, help="write the full report here")
    parser.add_argument("--embedding-cache", type=Path, help="reuse/store embeddings (.npy)")
    parser.add_argument("--train", action="store_true", help="re-run the model calibration")
    parser.add_argument("--model", type=Path, help="a merge model JSON (as --train prints)")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"benchmark file {args.data} not found; put shared/ beside the repo", file=sys.stderr)
        return 2
    items = load(args.data)
    settings = ClusterSettings(use_embeddings=args.embeddings)
    if args.model is not None:
        model = MergeModel.from_dict(json.loads(args.model.read_text(encoding="utf-8")))
        settings = replace(settings, model=model)
    if args.refine_every is not None:
        settings = replace(settings, refine_every=args.refine_every)
    embeddings, embed_seconds = (None, 0.0)
    if args.embeddings:
        embeddings, embed_seconds = embed_all(items, args.embedding_cache)
    train_stories, held_out = split_gold(items)
    if args.train:
        rows = train(items, embeddings=embeddings, train_stories=train_stories)
        print("best:", json.dumps(rows[0]))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
        return 0
    report = evaluate(
        items, settings=settings, embeddings=embeddings, shuffles=args.shuffles, held_out=held_out
    )
    variant = "TF-IDF + embeddings" if args.embeddings else "TF-IDF only"
    _print_table(f"{variant} (refine_every={settings.refine_every})", report)
    if embed_seconds:
        print(f"embedding: {len(items) / embed_seconds:.0f} articles/s (encoded once, batch 64)")
    if args.json:
        payload: dict[str, object] = {
            "variant": variant,
            "settings": asdict(settings),
            "report": report,
        }
        payload["embedding_articles_per_second"] = (
            len(items) / embed_seconds if embed_seconds else None
        )
        args.json.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
