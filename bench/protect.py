"""Score the protection stage on a labelled file (tests/data/protect/README.md describes it).

    python bench/protect.py tests/data/protect/labelled_dev.jsonl [--timing]

A gold span counts as protected when every letter and digit of it lies inside spans that
publishing replaces (a name half-hidden is not hidden). Reported:

- recall per kind, and for private names with and without the name-list documents;
- precision: replaced spans that overlap a labelled protected value, over all replaced spans;
- public figures left intact: public mentions that no replaced span touches;
- look-alikes left intact (dates, prices, counts, hotlines ...).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkwatch.enrich.profile import load_profile
from nkwatch.protect.stage import Protector

KINDS = ("PERSON", "PHONE", "MESSENGER_ID", "EMAIL", "STREET_ADDRESS", "AGE", "PLACE_OF_ORIGIN")


@dataclass(slots=True)
class Score:
    """Counts over a labelled file; the rates are properties."""

    found: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    replaced: int = 0
    replaced_right: int = 0
    public: int = 0
    public_intact: int = 0
    lookalikes: int = 0
    lookalikes_intact: int = 0
    documents: int = 0
    characters: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)

    def recall(self, *kinds: str) -> float:
        total = sum(self.total[k] for k in kinds)
        return sum(self.found[k] for k in kinds) / total if total else 1.0

    @property
    def precision(self) -> float:
        return self.replaced_right / self.replaced if self.replaced else 1.0

    @property
    def public_kept(self) -> float:
        return self.public_intact / self.public if self.public else 1.0

    @property
    def lookalikes_kept(self) -> float:
        return self.lookalikes_intact / self.lookalikes if self.lookalikes else 1.0


def _covered(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return all(
        not text[i].isalnum() or any(s <= i < e for s, e in spans) for i in range(start, end)
    )


def _touches(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def score_documents(
    documents: list[dict[str, Any]], protector: Protector, *, keep_errors: bool = False
) -> Score:
    """Run the stage over every document and count hits, misses and damage."""
    score = Score()
    for doc in documents:
        text = doc["text"]
        score.documents += 1
        score.characters += len(text)
        replaced = [(d.start, d.end) for d in protector.analyse(text).protected]
        gold = [(s["start"], s["end"]) for s in doc["spans"]]
        for span in doc["spans"]:
            kind = span["type"]
            score.total[kind] += 1
            if _covered(text, span["start"], span["end"], replaced):
                score.found[kind] += 1
            elif keep_errors:
                score.misses.append({"doc": doc["id"], **span})
        for start, end in replaced:
            score.replaced += 1
            if _touches(start, end, gold):
                score.replaced_right += 1
            elif keep_errors:
                score.wrong.append({"doc": doc["id"], "text": text[start:end]})
        for span in doc.get("public", []):
            score.public += 1
            score.public_intact += not _touches(span["start"], span["end"], replaced)
        for span in doc.get("lookalikes", []):
            score.lookalikes += 1
            score.lookalikes_intact += not _touches(span["start"], span["end"], replaced)
    return score


def load(path: Path) -> list[dict[str, Any]]:
    """The documents of a labelled JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def report(score: Score, without_lists: Score) -> dict[str, Any]:
    """The numbers bench/RESULTS.md records."""
    return {
        "documents": score.documents,
        "spans": sum(score.total.values()),
        "names_recall": round(score.recall("PERSON"), 4),
        "names_recall_without_name_lists": round(without_lists.recall("PERSON"), 4),
        "phones_and_messenger_ids_recall": round(score.recall("PHONE", "MESSENGER_ID"), 4),
        "recall_by_kind": {
            k: f"{score.found[k]}/{score.total[k]}" for k in KINDS if score.total[k]
        },
        "recall_all": round(score.recall(*KINDS), 4),
        "precision": round(score.precision, 4),
        "precision_without_name_lists": round(without_lists.precision, 4),
        "public_intact": round(score.public_kept, 4),
        "public_mentions": score.public,
        "lookalikes_intact": round(score.lookalikes_kept, 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--errors", action="store_true", help="List misses and wrong spans.")
    parser.add_argument("--timing", action="store_true", help="Also time the analysis.")
    args = parser.parse_args(argv)
    documents = load(args.path)
    started = time.perf_counter()
    protector = Protector(load_profile())
    protector.protect("탈북민 김지영(43) 씨가 말했다.")  # loads the Korean analyser's model once
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    score = score_documents(documents, protector, keep_errors=args.errors)
    elapsed = time.perf_counter() - started
    prose = [d for d in documents if d.get("style") != "name-list"]
    without_lists = score_documents(prose, Protector(load_profile()))
    result = report(score, without_lists)
    if args.timing:
        result["load_seconds"] = round(loaded, 2)
        result["seconds"] = round(elapsed, 2)
        result["ms_per_1000_chars"] = round(1000 * elapsed / max(1, score.characters) * 1000, 2)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.errors:
        for miss in score.misses:
            print("MISS", json.dumps(miss, ensure_ascii=False))
        for wrong in score.wrong:
            print("WRONG", json.dumps(wrong, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
