"""Fuzz every text stage with what its patterns accept: no exception, and a hang guard.

The alphabet is built from the words the stages' patterns look for (vague magnitudes, scales,
Korean units and counters, titles, credits, read-more links, breadcrumbs, datelines) plus long
runs of one character, digits and whitespace: the inputs on which a pattern with nested or
overlapping quantifiers goes exponential or quadratic. Each example runs under a generous time
budget (a hang guard, not a speed claim: speed lives in bench/).
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkwatch.dedup import DedupSettings, fingerprint
from nkwatch.enrich.apply import enrich_article
from nkwatch.enrich.profile import load_profile
from nkwatch.extract import ExtractOptions, extract_document
from nkwatch.extract.syndication import find_origin, strip_credit
from nkwatch.isolation import time_budget
from nkwatch.record import Article, RawDocument
from nkwatch.sentences import split_sentences
from nkwatch.summarize import summarize_article

PROFILE = load_profile()
GUARD_SECONDS = 20.0

WORDS = [
    # magnitudes, scales and vague quantities
    "tens",
    "hundreds",
    "thousands",
    "millions",
    "billions",
    "trillions",
    "dozens",
    "scores",
    "of",
    "a",
    "few",
    "several",
    "many",
    "about",
    "more than",
    "nearly",
    "up to",
    "at least",
    "million",
    "billion",
    "trillion",
    "thousand",
    "hundred",
    "percent",
    "%",
    "per cent",
    "a third",
    "one in five",
    "twice",
    "tenfold",
    "three times",
    "half",
    # money and units
    "$",
    "US$",
    "won",
    "dollars",
    "yuan",
    "rubles",
    "euros",
    "KPW",
    "KRW",
    "tonnes",
    "km",
    "kilograms",
    "barrels",
    "troops",
    "soldiers",
    "shells",
    "workers",
    "defectors",
    # Korean numbers, units, particles
    "만",
    "억",
    "조",
    "천",
    "백",
    "십",
    "약",
    "여",
    "이상",
    "넘는",
    "명",
    "발",
    "달러",
    "원",
    "톤",
    "북한",
    "김정은",
    "위원장",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에게",
    "께서는",
    # people, titles, places, outlets
    "Mr.",
    "Dr.",
    "Gen.",
    "Lt.",
    "Col.",
    "General",
    "Minister",
    "President",
    "Deputy",
    "Vice",
    "Kim",
    "Jong-un",
    "Ri",
    "Choe",
    "Son",
    "Hui",
    "Park",
    "Lee",
    "Yo",
    "Jong",
    "Pyongyang",
    "Seoul",
    "Kursk",
    "Russia",
    "the",
    "region",
    "city",
    "of",
    "said",
    "according to",
    "Times",
    "Daily",
    "News",
    "Monitor",
    "Wire",
    "(Yonhap)",
    "SEOUL,",
    "Oct",
    "12",
    "-",
    # credits, digests, chrome
    "[Source:",
    "]",
    "Source:",
    "This article first appeared in",
    "Read More",
    "Read more »",
    "http://example.org/a",
    "https://",
    "www.",
    "Home",
    ">",
    "»",
    "|",
    "::",
    "→",
    "Date :",
    "Comments0",
    "Share",
    "Latest Stories",
    "BUSINESS",
    "ASIA",
    "©",
    "All rights reserved",
    # numbers and punctuation
    "1",
    "0",
    "9",
    "1,000",
    "12,000",
    "3.5",
    "2026",
    "1990s",
    "-year-old",
    "No.",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "'",
    '"',
    "(",
    ")",
    "–",
    "—",
    "…",
]
_VAGUE = ("tens", "hundreds", "thousands", "millions", "billions", "dozens", "scores")
_SCALES = ("thousands", "millions", "billions", "trillions")
#: Every composition the vague-magnitude pattern can meet ("hundreds of billions of dollars").
WORDS += [f"{a} of {b}" for a in _VAGUE for b in _SCALES]
WORDS += [f"{a} of {b} of dollars" for a in _VAGUE for b in _SCALES]
WORDS += ["1" + "만" * n for n in (2, 8, 24)] + ["3억1천만", "3만4천여 명", "20억 달러 이상"]
RUN_CHARS = [" ", "\n", "\u00a0", "\t", "1", "0", ",", ".", "-", "만", "A", "a", ">", "="]


def _run() -> st.SearchStrategy[str]:
    return st.builds(
        lambda char, size: char * size, st.sampled_from(RUN_CHARS), st.integers(1, 20_000)
    )


TOKENS = st.one_of(
    st.sampled_from(WORDS),
    _run(),
    st.text(max_size=6),
    st.integers(0, 10**400).map(str),
)
TEXT = st.lists(TOKENS, max_size=80).map(lambda parts: " ".join(parts))
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(TEXT)
def test_enrichment_never_raises_and_numbers_stay_finite(text: str) -> None:
    with time_budget(GUARD_SECONDS):
        data = enrich_article(Article(text=text, title=text[:80]), profile=PROFILE)
    for figure in data["figures"]:
        assert math.isfinite(figure["value"])
        assert figure["value_max"] is None or math.isfinite(figure["value_max"])


@FUZZ
@given(TEXT)
def test_sentences_summaries_and_fingerprints(text: str) -> None:
    with time_budget(GUARD_SECONDS):
        split_sentences(text)
        summarize_article(title=text[:60], text=text, article_id=1)
        fingerprint(text, DedupSettings())


@FUZZ
@given(TEXT)
def test_text_extraction_and_credits(text: str) -> None:
    with time_budget(GUARD_SECONDS):
        raw = RawDocument(location="fuzz.txt", content=text.encode("utf-8", "surrogatepass"))
        try:
            extract_document(raw, options=ExtractOptions())
        except Exception as exc:  # only the project's own rejections may leave the stage
            from nkwatch.errors import RejectedInput

            assert isinstance(exc, RejectedInput), repr(exc)
        find_origin(text)
        strip_credit(text)


@FUZZ
@given(TEXT)
def test_html_extraction(text: str) -> None:
    page = f"<html><body><article><h1>{text[:100]}</h1><p>{text}</p></article></body></html>"
    with time_budget(GUARD_SECONDS):
        raw = RawDocument(location="fuzz.html", content=page.encode("utf-8", "surrogatepass"))
        try:
            extract_document(raw, options=ExtractOptions())
        except Exception as exc:
            from nkwatch.errors import RejectedInput

            assert isinstance(exc, RejectedInput), repr(exc)
