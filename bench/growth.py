"""How the time of the per-article stages grows with the length of hostile text.

    python bench/growth.py                       # protection and enrichment, every shape
    python bench/growth.py enrichment            # one stage

Each shape repeats one unit (a run of capitalised words, one name written again and again, a
Korean count, a sum of money, …) to 2,000, 8,000 and 32,000 characters, with no sentence end,
and times one analysis of each. Sixteen times the text should cost about sixteen times the
time; a shape whose time grows more than twice as fast as that is marked, and the exit status
is 1: some step of the stage is then worse than linear in it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))

from nkwatch.enrich import apply  # noqa: E402
from nkwatch.enrich.profile import load_profile  # noqa: E402
from nkwatch.protect.stage import Protector  # noqa: E402
from nkwatch.record import Article  # noqa: E402

SIZES = (2_000, 8_000, 32_000)
PROTECTION_SHAPES = {
    "capitalised words": "Alpha Beta Gamma Delta ",
    "names and commas": "Kim Jong, Lee Park, ",
    "one surname": "Kim ",
    "one Latin name": "Ri Chol-ho Ri Chol-ho ",
    "names with no-break spaces": "Kim\u00a0Chol\u00a0",
    "one Cyrillic name": "Ли Сон Хо ",
    "one Hangul name with 씨": "김철수 씨는 ",
    "Hangul without spaces": "김철수박영희",
    "Han characters": "朴永哲",
    "bracketed spellings": "(李京淑 in Chinese, ",
    "phone digits": "010-1234-",
    "at signs": "@a",
    "quoted nicknames": '"River Fox" ',
    "role words": "defector broker refugee ",
    "a full private mention": "Mr. Kim, 34, of Hyesan, a defector, said ",
    "names with ages": "Kim, 34, ",
    "initials": "A. B. C. ",
    "open brackets": "(((((",
}
ENRICHMENT_SHAPES = {
    "counts": "1,000 troops ",
    "vague magnitudes": "hundreds of thousands of ",
    "Korean counts": "1만 ",
    "Korean counts with a hedge": "약 3천명의 ",
    "claimants": "according to Kim, ",
    "sayers": "Kim said ",
    "percentages": "10% ",
    "dates": "last year in March 2019 ",
    "ranges": "10-20 ",
    "money": "$1.5 billion ",
    "watched names": "North Korea ",
    "Korean nouns": "북한군 병력 ",
    "nested brackets": "(1,000 (2,000 ",
    "dotted numbers": "1.1.1.1.",
}


def protection() -> tuple[dict[str, str], Callable[[str], object]]:
    """The shapes and one analysis of the identity protection stage."""
    protector = Protector(load_profile())
    protector.analyse("Kim Chol-su, 34, a defector; 김철수 씨")  # the Korean model loads once
    return PROTECTION_SHAPES, protector.analyse


def enrichment() -> tuple[dict[str, str], Callable[[str], object]]:
    """The shapes and one enrichment (themes, entities, figures) with the bundled profile."""
    profile = load_profile()

    def enrich(text: str) -> object:
        article = Article(text=text, title="T", published=datetime(2026, 1, 1, tzinfo=UTC))
        return apply.enrich_article(article, profile=profile, outlets=("NK News",))

    enrich("Kim Jong Un sent 1,000 troops; 약 3천명의 병력")
    return ENRICHMENT_SHAPES, enrich


STAGES = {"protection": protection, "enrichment": enrichment}


def main(argv: list[str]) -> int:
    worse = 0
    for stage in argv or list(STAGES):
        shapes, run = STAGES[stage]()
        print(f"\n{stage}\n")
        print("| shape | " + " | ".join(f"{size:,} chars (s)" for size in SIZES) + " | growth |")
        print("|---|" + "---|" * len(SIZES) + "---|")
        for name, unit in shapes.items():
            seconds = []
            for size in SIZES:
                text = (unit * (size // len(unit) + 1))[:size]
                started = time.perf_counter()
                run(text)
                seconds.append(time.perf_counter() - started)
            growth = seconds[-1] / max(seconds[0], 1e-4)
            mark = " (worse than linear)" if growth > 2 * SIZES[-1] / SIZES[0] else ""
            worse += bool(mark)
            cells = " | ".join(f"{value:.3f}" for value in seconds)
            print(f"| {name} | {cells} | ×{growth:.0f}{mark} |", flush=True)
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
