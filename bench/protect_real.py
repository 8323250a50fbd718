"""Every value the protection stage replaces in real news nobody labelled for it.

    python bench/protect_real.py > spans.tsv           # one line per replaced span
    diff before.tsv after.tsv                          # what a rule change does to real news

The texts are the 204 articles of ``../shared/benchmarks/stream/news_events.jsonl`` and the
marked article bodies of ``../shared/benchmarks/extraction/ground-truth.json`` (385 texts of
real outlets, none about North Korea's private people). A rule that changes these lines
changes what the desk hides in ordinary news: each change is read before the rule is kept.
Each line is ``<text number> <kind> <value>``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))

from bench.stream import shared_file  # noqa: E402
from nkwatch.enrich.profile import load_profile  # noqa: E402
from nkwatch.protect.stage import Protector  # noqa: E402

STREAM = shared_file(Path("shared") / "benchmarks" / "stream" / "news_events.jsonl")
PAGES = shared_file(Path("shared") / "benchmarks" / "extraction" / "ground-truth.json")


def real_texts() -> list[str]:
    """The stream's article texts, then the extraction set's bodies, in file order."""
    with STREAM.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()]
    truth = json.loads(PAGES.read_text(encoding="utf-8"))
    texts += [page.get("articleBody") or "" for page in truth.values()]
    return texts


def main() -> int:
    protector = Protector(load_profile())
    for number, text in enumerate(real_texts()):
        for detection in protector.analyse(text).protected:
            value = text[detection.start : detection.end]
            print(f"{number}\t{detection.kind}\t{value!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
