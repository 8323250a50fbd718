"""Article-body extraction benchmark: ``extract_html`` over the shared news-page set.

Reads ``../shared/benchmarks/extraction/`` (relative to the repository root): ``html/<id>.html.gz``
and ``ground-truth.json``. Scores with the set's published metric (``\\w+`` tokens, 4-token
shingle multisets, per-page precision and recall averaged over pages, F1 of the means, exact
token-list accuracy) and reports pages per second of extraction time only (no gunzip, no I/O).

With ``--cv`` it also cross-validates the clean-up steps of ``nkwatch.extract.html.Cleanup``:
the pages are split into ``FOLDS`` folds by a hash of their id; on each held-out fold the steps
are chosen on the other folds (greedy forward selection from no step: add the step that raises
F1 most, as long as it lowers recall on no training fold by more than ``RECALL_TOLERANCE``) and
scored on the held-out fold. The out-of-fold scores of all pages give the cross-validated
figure; the same selection over all folds gives the step set that should be the default. Plain
``trafilatura.extract(include_comments=False)`` is scored alongside as the reference.

Run ``python bench/extraction.py [--json results.json] [--data DIR] [--cv]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "benchmarks" / "extraction"
SHINGLE_SIZE = 4
FOLDS = 5
# A step may cost at most this much mean recall on any training fold (about one marked line
# lost on one page of a 36-page fold); the held-out pages punish lost text more than chrome.
RECALL_TOLERANCE = 0.002

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class PageScore:
    """Precision, recall and exact match of one page."""

    precision: float
    recall: float
    exact: bool


@dataclass(frozen=True, slots=True)
class Scores:
    """The benchmark's summary numbers over a set of pages."""

    f1: float
    precision: float
    recall: float
    accuracy: float
    pages: int


def tokenize(text: str | None) -> list[str]:
    """The metric's tokens: every ``\\w+`` run (Unicode), case kept."""
    return _TOKEN.findall(text or "")


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of overlapping ``size``-token shingles.

    A text shorter than ``size`` tokens counts as one shorter shingle (as the published metric
    does), and an empty text has none.
    """
    count = max(1, len(tokens) - size + 1)
    return Counter(tuple(tokens[i : i + size]) for i in range(count) if tokens[i : i + size])


def score_page(pred: str | None, truth: str) -> PageScore:
    """Shingle precision and recall of one predicted body against the marked body."""
    true_tokens, pred_tokens = tokenize(truth), tokenize(pred)
    true_sh, pred_sh = shingles(true_tokens), shingles(pred_tokens)
    tp = sum((true_sh & pred_sh).values())
    fp = sum((pred_sh - true_sh).values())
    fn = sum((true_sh - pred_sh).values())
    # Normalising (tp, fp, fn) to sum to 1 leaves the ratios unchanged, so they are used as is.
    if fp == 0 and fn == 0:
        precision = recall = 1.0
    else:
        precision = 0.0 if tp == 0 and fp == 0 else tp / (tp + fp)
        recall = 0.0 if tp == 0 and fn == 0 else tp / (tp + fn)
    return PageScore(precision, recall, pred_tokens == true_tokens)


def summarize(pages: Iterable[PageScore]) -> Scores:
    """Mean precision and recall over pages, F1 of those means, and the exact-match share."""
    page_list = list(pages)
    if not page_list:
        raise ValueError("cannot score an empty set of pages")
    n = len(page_list)
    precision = sum(p.precision for p in page_list) / n
    recall = sum(p.recall for p in page_list) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(p.exact for p in page_list) / n
    return Scores(f1=f1, precision=precision, recall=recall, accuracy=accuracy, pages=n)


def score(pred: Mapping[str, str | None], truth: Mapping[str, str]) -> Scores:
    """Score predicted bodies against marked bodies, both keyed by page id.

    Every page of ``truth`` counts; a page missing from ``pred`` counts as an empty prediction.
    """
    return summarize(score_page(pred.get(page_id), body) for page_id, body in truth.items())


def load_pages(
    data_dir: Path = DEFAULT_DATA,
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Decoded HTML, page URL and marked body of every page, keyed by id."""
    ground_truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    html: dict[str, str] = {}
    urls: dict[str, str] = {}
    truth: dict[str, str] = {}
    for page_id, entry in sorted(ground_truth.items()):
        raw = gzip.decompress((data_dir / "html" / f"{page_id}.html.gz").read_bytes())
        html[page_id] = raw.decode("utf-8", errors="replace")
        urls[page_id] = entry["url"]
        truth[page_id] = entry["articleBody"]
    return html, urls, truth


def run(
    extract: Callable[[str, str], str | None], data_dir: Path = DEFAULT_DATA
) -> tuple[Scores, float, dict[str, str | None]]:
    """Run ``extract(html, url)`` over every page: scores, pages per second, predictions."""
    html, urls, truth = load_pages(data_dir)
    predictions: dict[str, str | None] = {}
    elapsed = 0.0
    for page_id, page in html.items():
        start = time.perf_counter()
        predictions[page_id] = extract(page, urls[page_id])
        elapsed += time.perf_counter() - start
    return score(predictions, truth), len(html) / elapsed, predictions


def extract_body(html: str, url: str) -> str | None:
    """The article body ``extract_html`` finds, or None."""
    from nkwatch.extract.html import extract_html

    result = extract_html(html, url=url)
    return result.text if result else None


def extract_plain(html: str, url: str) -> str | None:
    """The reference: plain ``trafilatura.extract`` without comments."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False)


def fold_of(page_id: str, folds: int = FOLDS) -> int:
    """The fold a page belongs to: a fixed hash of its id, so the split never changes."""
    return int(hashlib.sha256(page_id.encode()).hexdigest(), 16) % folds


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """Steps chosen per held-out fold, their out-of-fold scores, and the whole-set choice."""

    chosen_per_fold: list[tuple[str, ...]]
    out_of_fold: Scores
    fold_scores: list[Scores]
    whole_set_choice: tuple[str, ...]
    whole_set: Scores


class _StepScorer:
    """Per-page scores of one clean-up set, computed once per set over all pages."""

    def __init__(self, passes: Mapping[str, Any], truth: Mapping[str, str]) -> None:
        self.passes = passes
        self.truth = truth
        self._memo: dict[Any, dict[str, PageScore]] = {}

    def pages(self, cleanup: Any) -> dict[str, PageScore]:
        from nkwatch.extract.html import finish_body

        if cleanup not in self._memo:
            self._memo[cleanup] = {
                page_id: score_page(
                    finish_body(page, cleanup) if page is not None else None, self.truth[page_id]
                )
                for page_id, page in self.passes.items()
            }
        return self._memo[cleanup]

    def scores(self, cleanup: Any, ids: Iterable[str]) -> Scores:
        page_scores = self.pages(cleanup)
        return summarize(page_scores[i] for i in ids)


def _steps_of(cleanup: Any) -> tuple[str, ...]:
    return tuple(name for name, on in dataclasses.asdict(cleanup).items() if on)


def select_steps(scorer: _StepScorer, folds: Mapping[int, list[str]]) -> Any:
    """Greedy forward selection of clean-up steps over the given (training) folds."""
    from nkwatch.extract.html import Cleanup

    ids = [i for fold in folds.values() for i in fold]
    current = Cleanup.none()
    current_f1 = scorer.scores(current, ids).f1
    while True:
        best, best_f1 = None, current_f1
        for step in (s for s, on in dataclasses.asdict(current).items() if not on):
            candidate = dataclasses.replace(current, **{step: True})
            if any(
                scorer.scores(candidate, fold).recall
                < scorer.scores(current, fold).recall - RECALL_TOLERANCE
                for fold in folds.values()
            ):
                continue
            f1 = scorer.scores(candidate, ids).f1
            if f1 > best_f1:
                best, best_f1 = candidate, f1
        if best is None:
            return current
        current, current_f1 = best, best_f1


def cross_validate(data_dir: Path = DEFAULT_DATA) -> tuple[CrossValidation, _StepScorer]:
    """Choose clean-up steps on k-1 folds, score them on the held-out fold, for every fold."""
    from nkwatch.extract.html import page_passes

    html, urls, truth = load_pages(data_dir)
    passes = {page_id: page_passes(page, urls[page_id]) for page_id, page in html.items()}
    scorer = _StepScorer(passes, truth)
    folds: dict[int, list[str]] = {k: [] for k in range(FOLDS)}
    for page_id in truth:
        folds[fold_of(page_id)].append(page_id)
    chosen: list[tuple[str, ...]] = []
    held_out: dict[str, PageScore] = {}
    fold_scores: list[Scores] = []
    for k, fold in folds.items():
        cleanup = select_steps(scorer, {j: ids for j, ids in folds.items() if j != k})
        chosen.append(_steps_of(cleanup))
        page_scores = scorer.pages(cleanup)
        held_out.update((i, page_scores[i]) for i in fold)
        fold_scores.append(summarize(page_scores[i] for i in fold))
    whole = select_steps(scorer, folds)
    result = CrossValidation(
        chosen_per_fold=chosen,
        out_of_fold=summarize(held_out.values()),
        fold_scores=fold_scores,
        whole_set_choice=_steps_of(whole),
        whole_set=scorer.scores(whole, truth),
    )
    return result, scorer


def _print_scores(label: str, scores: Scores) -> None:
    print(
        f"{label:28s} F1 {scores.f1:.4f}  P {scores.precision:.4f}  R {scores.recall:.4f}"
        f"  acc {scores.accuracy:.3f}"
    )


def _report_cross_validation(data_dir: Path) -> dict[str, Any]:
    from nkwatch.extract.html import CLEANUP, finish_body

    result, scorer = cross_validate(data_dir)
    _, _, truth = load_pages(data_dir)
    folds: dict[int, list[str]] = {k: [] for k in range(FOLDS)}
    for page_id in truth:
        folds[fold_of(page_id)].append(page_id)
    for k, steps in enumerate(result.chosen_per_fold):
        _print_scores(f"fold {k} held out", result.fold_scores[k])
        print(f"{'':28s} chosen on the other folds: {', '.join(steps) or '(none)'}")
    _print_scores("cross-validated (out of fold)", result.out_of_fold)
    _print_scores("whole set, chosen on all", result.whole_set)
    print(f"{'':28s} steps: {', '.join(result.whole_set_choice)}")
    for step in sorted(set(_steps_of(CLEANUP)) ^ set(result.whole_set_choice)):
        on = dataclasses.replace(CLEANUP, **{step: True})
        off = dataclasses.replace(CLEANUP, **{step: False})
        changed = sum(
            finish_body(page, on) != finish_body(page, off)
            for page in scorer.passes.values()
            if page is not None
        )
        where = "on" if getattr(CLEANUP, step) else "off"
        print(f"NOTE: default CLEANUP has {step} {where}; it changes {changed} of the pages")
    print("each chosen step left out (whole set; recall change per fold):")
    chosen = scorer.pages(CLEANUP)
    for step in _steps_of(CLEANUP):
        without = dataclasses.replace(CLEANUP, **{step: False})
        scores = scorer.scores(without, truth)
        deltas = " ".join(
            f"{summarize(chosen[i] for i in ids).recall - scorer.scores(without, ids).recall:+.4f}"
            for ids in folds.values()
        )
        _print_scores(f"  without {step}", scores)
        print(f"{'':28s} recall change the step makes per fold: {deltas}")
    plain, _, _ = run(extract_plain, data_dir)
    _print_scores("plain trafilatura", plain)
    return {
        "cross_validated": asdict(result.out_of_fold),
        "whole_set": asdict(result.whole_set),
        "chosen_per_fold": result.chosen_per_fold,
        "whole_set_choice": result.whole_set_choice,
        "plain_trafilatura": asdict(plain),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and optionally save) the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark directory")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--cv", action="store_true", help="cross-validate the clean-up steps")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").is_file():
        print(f"no benchmark data at {args.data}; pass --data DIR", file=sys.stderr)
        return 2
    scores, pages_per_second, _ = run(extract_body, args.data)
    print(f"pages      {scores.pages}")
    print(f"F1         {scores.f1:.4f}")
    print(f"precision  {scores.precision:.4f}")
    print(f"recall     {scores.recall:.4f}")
    print(f"accuracy   {scores.accuracy:.4f}")
    print(f"pages/s    {pages_per_second:.1f}")
    results: dict[str, Any] = {**asdict(scores), "pages_per_second": pages_per_second}
    if args.cv:
        results["cross_validation"] = _report_cross_validation(args.data)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
