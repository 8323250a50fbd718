"""Score the protection stage on a labelled file (tests/data/protect/README.md describes it).

    python bench/protect.py tests/data/protect/labelled_dev.jsonl [--timing]

A gold span counts as protected when every letter and digit of it lies inside spans that
publishing replaces (a name half-hidden is not hidden). Reported:

- recall per kind, and for private names with and without the name-list documents;
- precision: replaced spans that overlap a labelled protected value, over all replaced spans;
- public figures left intact: public mentions that no replaced span touches;
- look-alikes left intact (dates, prices, counts, hotlines ...);
- labels: of the private name mentions hidden, the share that carry their own person's label
  (the label of that person's first hidden mention, held by no other labelled person), and
  over pairs of hidden mentions, the share of one person's pairs that share a label and of two
  people's pairs that do not;
- label roles: of the hidden private people, the share whose label names their labelled role
  ("[defector A]" for a defector; a smuggler may be a broker, a deserter a soldier), names no
  role ("[person A]"), or names another role (a defector's mother shown as a broker).
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
from nkwatch.protect.anonymise import LabelBook, anonymise
from nkwatch.protect.records import PERSON, Detection
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
    labelled: int = 0
    labelled_right: int = 0
    pairs_same: int = 0
    pairs_same_together: int = 0
    pairs_apart: int = 0
    pairs_apart_kept: int = 0
    roles: Counter[str] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)
    mislabelled: list[dict[str, Any]] = field(default_factory=list)

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


class _Recorder(LabelBook):
    """A label book that remembers which span got which person label."""

    def __init__(self) -> None:
        super().__init__()
        self.given: list[tuple[int, int, str]] = []

    def label(self, detection: Detection) -> str:
        label = super().label(detection)
        if detection.kind == PERSON:
            self.given.append((detection.start, detection.end, label))
        return label


def _labels(text: str, detections: list[Detection]) -> list[tuple[int, int, str]]:
    """(start, end, label) of every person label ``anonymise`` gives in ``text``."""
    book = _Recorder()
    anonymise(text, detections, book)
    return book.given


def _score_labels(
    score: Score, doc: dict[str, Any], given: list[tuple[int, int, str]], keep_errors: bool
) -> None:
    """Whether each hidden private name carries its own person's label (see the docstring)."""
    mentions: list[tuple[str, str, dict[str, Any]]] = []
    for span in doc["spans"]:
        if span["type"] != PERSON or not span.get("person"):
            continue
        labels = {label for s, e, label in given if s < span["end"] and span["start"] < e}
        if len(labels) == 1:
            mentions.append((span["person"], labels.pop(), span))
    first: dict[str, str] = {}
    for person, label, span in mentions:
        if person not in first:
            first[person] = label
            score.roles[_role_shown(label, span.get("role") or "")] += 1
    holders = Counter(first.values())
    for person, label, span in mentions:
        score.labelled += 1
        right = label == first[person] and holders[label] == 1
        score.labelled_right += right
        if not right and keep_errors:
            score.mislabelled.append({"doc": doc["id"], "label": label, **span})
    for i, (person, label, _) in enumerate(mentions):
        for other, other_label, _ in mentions[i + 1 :]:
            if person == other:
                score.pairs_same += 1
                score.pairs_same_together += label == other_label
            else:
                score.pairs_apart += 1
                score.pairs_apart_kept += label != other_label


# Roles a label may give in place of the labelled one without misleading a reader.
_SAME_ROLE = {("smuggler", "broker"), ("deserter", "soldier")}


def _role_shown(label: str, gold: str) -> str:
    """Whether ``label`` ("[defector A]", "[child B, 12]") names ``gold``, no role, or another."""
    shown = label.strip("[]").split()[0].casefold()
    gold = gold.casefold()
    if shown == "person":
        return "none"
    return "right" if shown == gold or (gold, shown) in _SAME_ROLE else "other"


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
        protected = list(protector.analyse(text).protected)
        replaced = [(d.start, d.end) for d in protected]
        _score_labels(score, doc, _labels(text, protected), keep_errors)
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
        "labels_right": round(score.labelled_right / score.labelled, 4) if score.labelled else 1.0,
        "labelled_mentions": score.labelled,
        "label_pairs_one_person_together": round(score.pairs_same_together / score.pairs_same, 4)
        if score.pairs_same
        else 1.0,
        "label_pairs_two_people_apart": round(score.pairs_apart_kept / score.pairs_apart, 4)
        if score.pairs_apart
        else 1.0,
        "label_roles": {
            kind: round(score.roles[kind] / max(1, sum(score.roles.values())), 4)
            for kind in ("right", "none", "other")
        },
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
        for mislabelled in score.mislabelled:
            print("LABEL", json.dumps(mislabelled, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
