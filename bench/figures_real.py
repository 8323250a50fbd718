"""Figures on real news: the extractor scored against hand labels on the shared stream.

    python bench/figures_real.py --labels tests/data/enrich/figures_real_dev.json
    python bench/figures_real.py --labels PATH --errors      # also list every mismatch
    python bench/figures_real.py --labels PATH --json        # scores as one JSON object
    python bench/figures_real.py --labels tests/data/enrich/figures_real_dev2.json --half dev
    python bench/figures_real.py --labels tests/data/enrich/figures_real_dev3.json

Labels (format: ``tests/data/enrich/README_figures_real.md``) point into the ``text`` of the
lines of ``../shared/benchmarks/stream/news_events.jsonl``, or, for a label file whose
``source`` is ``"extraction"`` (``figures_real_dev3.json``), into the ``articleBody`` of the pages
of ``../shared/benchmarks/extraction/ground-truth.json``. Every article of a label file is run
through :func:`nkwatch.enrich.figures.extract_figures` with its publication date, and the
extracted figures (only those starting inside a document's ``window``, when it has one) are
matched to the gold ones of the same article by overlapping value spans (each extracted figure
matches at most one gold figure, largest overlap first). Scores:

* value+unit: precision, recall and F1, a matched pair counting when the value (and the upper
  end of a range) agree within a relative 1e-3 and the unit is the same;
* over span-matched pairs: ``counted`` (head noun, singular/plural folded, both empty equal),
  ``period`` (equal start and end dates, both empty equal), ``attribution`` (either string in
  the other, case-insensitive, both empty equal), ``hedge`` and ``approx`` (equal ignoring case),
  and ``part`` (whether the figure is a part of a whole, on both sides).

The dev half is a development figure for this code; the test half is only ever reported.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from nkwatch.enrich.claims import Figure
from nkwatch.enrich.figures import extract_figures

ROOT = Path(__file__).resolve().parents[1]
#: The shared stream beside the repository; ``NKWATCH_STREAM`` names another copy of it.
STREAM = Path(
    os.environ.get("NKWATCH_STREAM")
    or ROOT.parent / "shared" / "benchmarks" / "stream" / "news_events.jsonl"
)
#: The article-extraction benchmark beside the repository; ``NKWATCH_EXTRACTION`` names another
#: copy of its ``ground-truth.json``.
EXTRACTION = Path(
    os.environ.get("NKWATCH_EXTRACTION")
    or ROOT.parent / "shared" / "benchmarks" / "extraction" / "ground-truth.json"
)
DEFAULT_LABELS = ROOT / "tests" / "data" / "enrich" / "figures_real_dev.json"
_FIELDS = ("counted", "period", "attribution", "hedge", "approx", "part")


@dataclass(frozen=True, slots=True)
class RealScores:
    """Value+unit precision/recall/F1 and field accuracies over span-matched figures."""

    documents: int
    gold: int
    predicted: int
    span_matched: int
    correct: int
    precision: float
    recall: float
    f1: float
    counted: float
    period: float
    attribution: float
    hedge: float
    approx: float
    part: float


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled article: its stream row, gold figures and the extracted ones."""

    row: dict[str, Any]
    gold: list[dict[str, Any]]
    predicted: list[Figure]


def load_rows(stream: Path = STREAM) -> dict[str, dict[str, Any]]:
    """The stream's articles by id."""
    rows: dict[str, dict[str, Any]] = {}
    with stream.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


def load_extraction_rows(truth: Path = EXTRACTION) -> dict[str, dict[str, Any]]:
    """The extraction benchmark's pages by id, as rows with the article body as ``text``."""
    pages = json.loads(truth.read_text(encoding="utf-8"))
    return {
        page_id: {"id": page_id, "text": page["articleBody"], "url": page["url"]}
        for page_id, page in pages.items()
    }


def load_cases(
    labels: Path, stream: Path = STREAM, half: str | None = None, extraction: Path = EXTRACTION
) -> list[Case]:
    """Every labelled article of ``labels`` with its extracted figures.

    ``half`` keeps only the documents whose ``event_half`` is that value (dev2 labels). A label
    file whose ``source`` is ``"extraction"`` reads its texts from the extraction benchmark; a
    document without a ``published`` date is read without one.
    """
    data = json.loads(labels.read_text(encoding="utf-8"))
    if data.get("source") == "extraction":
        rows = load_extraction_rows(extraction)
    else:
        rows = load_rows(stream)
    cases = []
    for document in data["documents"]:
        if half is not None and document.get("event_half") != half:
            continue
        row = rows[document["doc"]]
        written = document.get("published")
        published = date.fromisoformat(written[:10]) if written else None
        predicted = extract_figures(row["text"], published=published)
        window = document.get("window")
        if window is not None:
            # A label file may label only a run of whole sentences of a long article.
            predicted = [f for f in predicted if window["start"] <= f.start < window["end"]]
        cases.append(Case(row, document["figures"], predicted))
    return cases


def match(gold: Sequence[dict[str, Any]], predicted: Sequence[Figure]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs whose value spans overlap, largest overlap first."""
    candidates = []
    for g, label in enumerate(gold):
        for p, figure in enumerate(predicted):
            overlap = min(label["value_end"], figure.end) - max(label["value_start"], figure.start)
            if overlap > 0:
                candidates.append((-overlap, g, p))
    pairs, used_gold, used_predicted = [], set(), set()
    for _overlap, g, p in sorted(candidates):
        if g not in used_gold and p not in used_predicted:
            pairs.append((g, p))
            used_gold.add(g)
            used_predicted.add(p)
    return sorted(pairs)


def _close(expected: object, actual: float | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return math.isclose(float(str(expected)), actual, rel_tol=1e-3)


def same_value(label: dict[str, Any], figure: Figure) -> bool:
    """Value, upper end and unit agree."""
    return (
        _close(label["value"], figure.value)
        and _close(label.get("value_max"), figure.value_max)
        and label.get("unit") == figure.unit
    )


def _singular(word: str) -> str:
    for suffix, replacement in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return {"people": "person", "men": "man", "women": "woman", "children": "child"}.get(word, word)


def head_noun(phrase: str | None) -> str | None:
    """The head of a noun phrase: its last word before a preposition, singular, lower case."""
    if not phrase:
        return None
    core = re.split(r"\s+(?:of|in|at|for|from|to|on|per|with|who|that)\s+", phrase.lower())[0]
    words = re.findall(r"[a-z][a-z'-]*", core)
    return _singular(words[-1].removesuffix("'s")) if words else None


def _text(value: object) -> str | None:
    return " ".join(str(value).lower().split()) if value not in (None, "") else None


def field_agrees(name: str, label: dict[str, Any], figure: Figure) -> bool:
    """Whether one field of a matched pair agrees (see the module docstring)."""
    if name == "counted":
        return head_noun(label.get("counted")) == head_noun(figure.counted)
    if name == "period":
        period = label.get("period") or {}
        return (period.get("start"), period.get("end")) == (figure.period_start, figure.period_end)
    if name == "attribution":
        gold, got = _text(label.get("attribution")), _text(figure.attribution)
        if gold is None or got is None:
            return gold is None and got is None
        return gold in got or got in gold
    if name == "part":
        return (label.get("part_of") is not None) == (figure.part is not None)
    return _text(label.get(name)) == _text(getattr(figure, name))


def score(cases: Iterable[Case]) -> RealScores:
    """Scores of the extracted figures against the labels."""
    cases = list(cases)
    gold = sum(len(c.gold) for c in cases)
    predicted = sum(len(c.predicted) for c in cases)
    pairs = [(c.gold[g], c.predicted[p]) for c in cases for g, p in match(c.gold, c.predicted)]
    correct = sum(same_value(label, figure) for label, figure in pairs)
    precision = correct / predicted if predicted else 1.0
    recall = correct / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def share(name: str) -> float:
        flags = [field_agrees(name, label, figure) for label, figure in pairs]
        return sum(flags) / len(flags) if flags else 1.0

    return RealScores(
        documents=len(cases),
        gold=gold,
        predicted=predicted,
        span_matched=len(pairs),
        correct=correct,
        precision=round(precision, 4),
        recall=round(recall, 4),
        f1=round(f1, 4),
        **{name: round(share(name), 4) for name in _FIELDS},
    )


def errors(cases: Iterable[Case]) -> list[str]:
    """Readable mismatches: missed and spurious figures, wrong values and wrong fields."""
    lines = []
    for case in cases:
        text = case.row["text"]
        pairs = match(case.gold, case.predicted)
        matched_gold = {g for g, _ in pairs}
        matched_predicted = {p for _, p in pairs}
        for g, label in enumerate(case.gold):
            if g not in matched_gold:
                sentence = text[label["sentence_start"] : label["sentence_end"]]
                written = text[label["value_start"] : label["value_end"]]
                lines.append(f"MISSED {written!r} {label.get('unit')} :: {sentence[:160]}")
        for p, figure in enumerate(case.predicted):
            if p not in matched_predicted:
                written = text[figure.start : figure.end]
                lines.append(f"SPURIOUS {written!r} {figure.unit} :: {figure.sentence[:160]}")
        for g, p in pairs:
            label, figure = case.gold[g], case.predicted[p]
            written = text[figure.start : figure.end]
            if not same_value(label, figure):
                lines.append(
                    f"VALUE {written!r}: gold {label['value']} {label.get('value_max')} "
                    f"{label.get('unit')} got {figure.value} {figure.value_max} {figure.unit}"
                )
            for name in _FIELDS:
                if not field_agrees(name, label, figure):
                    gold_value = label.get("part_of") if name == "part" else label.get(name)
                    got = {
                        "period": (figure.period, figure.period_start, figure.period_end),
                        "part": figure.part,
                    }.get(name, getattr(figure, name, None))
                    lines.append(
                        f"FIELD {name} {written!r}: gold={gold_value!r} got={got!r} :: "
                        f"{figure.sentence[:140]}"
                    )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="label file")
    parser.add_argument("--stream", type=Path, default=STREAM, help="news_events.jsonl")
    parser.add_argument(
        "--extraction", type=Path, default=EXTRACTION, help="extraction ground-truth.json"
    )
    parser.add_argument("--half", choices=("dev", "test"), help="only documents of this event half")
    parser.add_argument("--errors", action="store_true", help="list every mismatch")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    cases = load_cases(args.labels, args.stream, args.half, args.extraction)
    result = score(cases)
    if args.json:
        print(json.dumps(asdict(result)))
    else:
        print(f"# {args.labels.name}: {result.documents} articles, {result.gold} gold figures")
        print("| score | value |\n|---|---|")
        for name, value in asdict(result).items():
            print(f"| {name} | {value} |")
    if args.errors:
        print("\n".join(errors(cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
