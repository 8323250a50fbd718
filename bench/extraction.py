"""Article-body extraction benchmark: ``extract_html`` over the shared news-page set.

Reads ``../shared/benchmarks/extraction/`` (relative to the repository root): ``html/<id>.html.gz``
and ``ground-truth.json``. Scores with the set's published metric (``\\w+`` tokens, 4-token
shingle multisets, per-page precision and recall averaged over pages, F1 of the means, exact
token-list accuracy) and reports pages per second of extraction time only (no gunzip, no I/O).

Run ``python bench/extraction.py [--json results.json] [--data DIR]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "benchmarks" / "extraction"
SHINGLE_SIZE = 4

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


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and optionally save) the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark directory")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
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
    if args.json:
        results = {**asdict(scores), "pages_per_second": pages_per_second}
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
