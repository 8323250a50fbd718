"""Summary benchmark: extractive summarisers against analyst references on the sample corpus.

Ingests the bundled sample corpus (``nkwatch.sample``) into a temporary store and reads
``tests/data/summaries/reference.json``: for single articles the 1–3 sentences an analyst would
quote, for stories (the manifest's ``story`` groups, plus one-article stories) the 2–4 sentences
picked across the members. Every summariser (``lead``, ``textrank``, ``lexrank``, ``features``)
summarises each article and story; the report gives mean ROUGE-1/2/L F1 against the references
(``nkwatch.summarize.rouge``: lower-cased ``\\w+`` tokens, L from the LCS of the whole
summaries), the share of output sentences found verbatim in their article, and the redundancy of
story summaries (the largest TF-IDF cosine between two sentences of one summary).

It also measures the redundancy cut-off: the cosine of the labelled same-fact and distinct-fact
sentence pairs in ``tests/data/summaries/sentence_pairs.json`` (IDF fitted on the sentences of the
pair's story, as the summariser does) and the cut-off that separates them best.

Run ``python bench/summaries.py [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from nkwatch.config import load_settings
from nkwatch.record import Article
from nkwatch.sample import LabelledCorpus, ingest_sample
from nkwatch.sentences import split_sentences
from nkwatch.store import SQLiteStore
from nkwatch.summarize import (
    REDUNDANCY_CUTOFF,
    StoryMember,
    SummarySentence,
    rouge,
    sentence_similarities,
    summarize_article,
    summarize_story,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "tests" / "data" / "summaries"
#: The summarisers compared, in report order (``features`` is what ``default`` runs).
SUMMARISERS = ("lead", "textrank", "lexrank", "features")


@dataclass(frozen=True)
class Scores:
    """Mean ROUGE F1 of one summariser over one reference set, and what else was measured."""

    rouge1: float
    rouge2: float
    rouge_l: float
    verbatim: float
    sentences: float
    max_similarity: float | None = None
    above_cutoff: int | None = None


def load_corpus() -> LabelledCorpus:
    """The sample corpus, ingested into a throw-away store."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sample.db"
        with SQLiteStore(db) as store:
            ingest_sample(store, settings=load_settings(db_path=str(db)))
            return LabelledCorpus(list(store.iter_articles()))


def load_json(name: str) -> dict[str, Any]:
    """One file of the labelled reference set."""
    return json.loads((DATA / name).read_text("utf-8"))


def member(article: Article) -> StoryMember:
    """A stored article as a story member."""
    assert article.id is not None
    return StoryMember(
        article_id=article.id,
        title=article.title or "",
        text=article.text,
        published=article.published,
        outlet=article.outlet,
    )


def story_members(corpus: LabelledCorpus, entry: dict[str, Any]) -> list[StoryMember]:
    """The distinct stored articles of a reference story (manifest group or listed paths)."""
    if entry["members"] == "manifest":
        paths = [d["path"] for d in corpus.documents if d.get("story") == entry["story"]]
    else:
        paths = list(entry["members"])
    seen: dict[int, StoryMember] = {}
    for path in paths:
        article = corpus.matched.get(path)
        if article is not None and article.id not in seen:
            seen[article.id or 0] = member(article)
    return list(seen.values())


def story_background(members: Sequence[StoryMember]) -> list[str]:
    """Every sentence of a story's members: what the summariser fits IDF on."""
    return [s for m in members for s in split_sentences(m.text)]


def max_similarity(summary: Sequence[SummarySentence], members: Sequence[StoryMember]) -> float:
    """The largest cosine between two sentences of one summary (0 for fewer than two)."""
    if len(summary) < 2:
        return 0.0
    sims = sentence_similarities([s.text for s in summary], background=story_background(members))
    return max(float(sims[i, j]) for i, j in combinations(range(len(summary)), 2))


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def evaluate_articles(corpus: LabelledCorpus, method: str) -> Scores:
    """Mean ROUGE of ``method`` on the single-article references."""
    r1, r2, rl, verbatim, counts = [], [], [], [], []
    for entry in load_json("reference.json")["articles"]:
        article = corpus.matched[entry["path"]]
        summary = summarize_article(
            title=article.title or "", text=article.text, article_id=article.id, method=method
        )
        score = rouge(" ".join(s.text for s in summary), " ".join(entry["sentences"]))
        r1.append(score.rouge1)
        r2.append(score.rouge2)
        rl.append(score.rouge_l)
        verbatim.extend(s.text in article.text for s in summary)
        counts.append(len(summary))
    return Scores(_mean(r1), _mean(r2), _mean(rl), _mean(verbatim), _mean(counts))


def evaluate_stories(corpus: LabelledCorpus, method: str) -> Scores:
    """Mean ROUGE of ``method`` on the story references, with redundancy of the summaries."""
    r1, r2, rl, verbatim, counts, sims = [], [], [], [], [], []
    for entry in load_json("reference.json")["stories"]:
        members = story_members(corpus, entry)
        texts = {m.article_id: m.text for m in members}
        summary = summarize_story(members, method=method)
        reference = " ".join(s["text"] for s in entry["sentences"])
        score = rouge(" ".join(s.text for s in summary), reference)
        r1.append(score.rouge1)
        r2.append(score.rouge2)
        rl.append(score.rouge_l)
        verbatim.extend(s.article_id in texts and s.text in texts[s.article_id] for s in summary)
        counts.append(len(summary))
        sims.append(max_similarity(summary, members))
    return Scores(
        _mean(r1),
        _mean(r2),
        _mean(rl),
        _mean(verbatim),
        _mean(counts),
        max_similarity=max(sims, default=0.0),
        above_cutoff=sum(1 for s in sims if s >= REDUNDANCY_CUTOFF),
    )


def reference_redundancy(corpus: LabelledCorpus) -> float:
    """The largest cosine between two sentences of one analyst story reference."""
    worst = 0.0
    for entry in load_json("reference.json")["stories"]:
        members = story_members(corpus, entry)
        texts = [s["text"] for s in entry["sentences"]]
        sims = sentence_similarities(texts, background=story_background(members))
        for i, j in combinations(range(len(texts)), 2):
            worst = max(worst, float(sims[i, j]))
    return worst


def pair_similarities(corpus: LabelledCorpus) -> list[tuple[str, float]]:
    """(label, cosine) of every labelled sentence pair, IDF fitted on the pair's story."""
    story_of = {d["path"]: d.get("story") for d in corpus.documents}
    result = []
    for pair in load_json("sentence_pairs.json")["pairs"]:
        story = story_of[pair["first"]["path"]]
        members = story_members(corpus, {"story": story, "members": "manifest"})
        sims = sentence_similarities(
            [pair["first"]["text"], pair["second"]["text"]], background=story_background(members)
        )
        result.append((pair["label"], float(sims[0, 1])))
    return result


def best_cutoffs(pairs: Sequence[tuple[str, float]]) -> list[tuple[float, float, int, int]]:
    """(cut-off, accuracy, same-fact pairs below, distinct pairs at or above) on a 0.05 grid."""
    rows = []
    for step in range(2, 15):
        cut = step / 20
        missed = sum(1 for label, s in pairs if label == "same-fact" and s < cut)
        false = sum(1 for label, s in pairs if label == "distinct" and s >= cut)
        rows.append((cut, 1 - (missed + false) / len(pairs), missed, false))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    corpus = load_corpus()
    reference = load_json("reference.json")
    missing = [
        e["path"]
        for e in reference["articles"]
        if e["path"] not in corpus.matched
        or any(s not in corpus.matched[e["path"]].text for s in e["sentences"])
    ]
    print(f"reference: {len(reference['articles'])} articles, {len(reference['stories'])} stories")
    if missing:
        print(f"  references no longer matching the extracted text: {missing}")

    results: dict[str, Any] = {"articles": {}, "stories": {}}
    print("\nsummariser   set       R-1    R-2    R-L   verbatim  sents  max-sim  >=cut")
    for name in SUMMARISERS:
        timer = time.perf_counter()
        art = evaluate_articles(corpus, name)
        sto = evaluate_stories(corpus, name)
        elapsed = time.perf_counter() - timer
        results["articles"][name] = art.__dict__
        results["stories"][name] = {**sto.__dict__, "seconds": round(elapsed, 2)}
        print(
            f"{name:11s}  articles  {art.rouge1:.3f}  {art.rouge2:.3f}  {art.rouge_l:.3f}"
            f"  {art.verbatim:7.0%}  {art.sentences:5.2f}"
        )
        print(
            f"{'':11s}  stories   {sto.rouge1:.3f}  {sto.rouge2:.3f}  {sto.rouge_l:.3f}"
            f"  {sto.verbatim:7.0%}  {sto.sentences:5.2f}  {sto.max_similarity:.3f}"
            f"  {sto.above_cutoff:5d}   ({elapsed:.1f} s both sets)"
        )

    pairs = pair_similarities(corpus)
    same = sorted(s for label, s in pairs if label == "same-fact")
    distinct = sorted(s for label, s in pairs if label == "distinct")
    print(f"\nlabelled pairs: {len(same)} same-fact, {len(distinct)} distinct")
    for label, values in (("same-fact", same), ("distinct", distinct)):
        quartiles = statistics.quantiles(values, n=4)
        print(
            f"  {label:9s} min {values[0]:.3f}  q1 {quartiles[0]:.3f}  median {quartiles[1]:.3f}"
            f"  q3 {quartiles[2]:.3f}  max {values[-1]:.3f}"
        )
    print("  cut-off  accuracy  same-fact below  distinct at/above")
    rows = best_cutoffs(pairs)
    for cut, accuracy, missed, false in rows:
        mark = "  <- REDUNDANCY_CUTOFF" if abs(cut - REDUNDANCY_CUTOFF) < 1e-9 else ""
        print(f"  {cut:7.2f}  {accuracy:8.3f}  {missed:15d}  {false:17d}{mark}")
    print(f"largest cosine inside an analyst story reference: {reference_redundancy(corpus):.3f}")
    results["pairs"] = {"same_fact": same, "distinct": distinct, "grid": rows}
    results["cutoff"] = REDUNDANCY_CUTOFF
    print(f"\ntotal {time.perf_counter() - started:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
