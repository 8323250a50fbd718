"""Choose and check the near-duplicate threshold on the labelled pairs of the sample corpus.

    python bench/dedup.py

Prints, for each threshold, precision and recall of "is a copy" over every pair of labelled
documents, the similarity range of true copies and of different texts about the same event.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from nkwatch.config import load_settings
from nkwatch.dedup import DedupSettings, fingerprint
from nkwatch.sample import LabelledCorpus, ingest_sample, pair_scores
from nkwatch.store import SQLiteStore

THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "sample.db"
        with SQLiteStore(db) as store:
            ingest_sample(store, settings=load_settings(db_path=str(db)))
            corpus = LabelledCorpus(list(store.iter_articles()))
    config = DedupSettings()
    prints = {path: fingerprint(a.text, config) for path, a in corpus.matched.items()}
    pairs = list(corpus.pairs())
    similarity = [prints[p.first["path"]].jaccard(prints[p.second["path"]]) for p in pairs]
    gold = [p.duplicate for p in pairs]
    copies = [s for s, p in zip(similarity, pairs, strict=True) if p.duplicate]
    same_story = [
        s for s, p in zip(similarity, pairs, strict=True) if p.same_story and not p.duplicate
    ]
    others = [s for s, p in zip(similarity, pairs, strict=True) if not p.same_story]
    print(
        f"pairs {len(pairs)}: copies {len(copies)}, same story in other words "
        f"{len(same_story)}, unrelated {len(others)}"
    )
    print(f"copies:            min {min(copies):.2f}  max {max(copies):.2f}")
    print(f"same story, other: min {min(same_story):.2f}  max {max(same_story):.2f}")
    print(f"unrelated:         max {max(others):.2f}")
    print("threshold  precision  recall")
    for threshold in THRESHOLDS:
        precision, recall = pair_scores([s >= threshold for s in similarity], gold)
        mark = "  <- DedupSettings.threshold" if threshold == config.threshold else ""
        print(f"{threshold:9.1f}  {precision:9.3f}  {recall:6.3f}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
