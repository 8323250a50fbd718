"""Dates at the calendar's ends: a placeholder publication date is dropped, and reading a
figure's period against an extreme date never raises."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from nkwatch.enrich.apply import enrich_article
from nkwatch.enrich.periods import resolve
from nkwatch.enrich.profile import load_profile
from nkwatch.extract.html import extract_html
from nkwatch.record import Article

BODY = " ".join(
    f"Officials in Seoul said on Monday that the number of defectors who arrived last week "
    f"was {n} people, a rise from the week before, according to the unification ministry."
    for n in range(11, 19)
)


def page(json_ld_date: str, meta_date: str | None = None) -> str:
    meta = f'<meta property="article:published_time" content="{meta_date}">' if meta_date else ""
    return (
        "<html><head><title>Arrivals rise</title>"
        '<script type="application/ld+json">{"@context": "http://schema.org", '
        f'"@type": "NewsArticle", "datePublished": "{json_ld_date}"}}</script>{meta}'
        f"</head><body><article><h1>Arrivals rise</h1><p>{BODY}</p></article></body></html>"
    )


@pytest.mark.parametrize("placeholder", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59+09:00"])
def test_a_placeholder_date_is_dropped_and_the_next_source_is_read(placeholder: str) -> None:
    assert extract_html(page(placeholder)).published is None
    found = extract_html(page(placeholder, meta_date="2024-05-02T08:00:00Z")).published
    assert found == datetime(2024, 5, 2, 8, tzinfo=UTC)


@pytest.mark.parametrize("when", [date(1, 1, 1), date(1, 1, 3), date(9999, 12, 31)])
@pytest.mark.parametrize("phrase", ["last week", "last winter", "last year", "next month"])
def test_periods_near_the_calendars_ends_are_left_unresolved(when: date, phrase: str) -> None:
    span = resolve(phrase, when)
    assert span is None or span[0] <= span[1]


def test_an_article_dated_year_one_is_enriched() -> None:
    article = Article(text=BODY, title="Arrivals rise", published=datetime(1, 1, 1, tzinfo=UTC))
    data = enrich_article(article, profile=load_profile(None))
    assert data["figures"], "the figures are kept, without period dates"
    assert all(f["period_start"] is None for f in data["figures"] if f.get("period"))


REAL = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "extraction" / "html"
# Four real pages whose JSON-LD says "0001-01-01T00:00:00Z" (an unset date); their enrichment
# raised OverflowError / ValueError before placeholder dates were dropped.
YEAR_ONE_PAGES = (
    "65ce3a4577a0306994efa190",
    "776a1c046798b474e410f6ed",
    "7de5241947a5f7147fe9787c",
    "c58aa507c4deebd660f69905",
)


def test_real_pages_with_an_unset_date_extract_without_it() -> None:
    if not REAL.exists():
        pytest.skip("the shared extraction benchmark is not available")
    for prefix in YEAR_ONE_PAGES:
        (path,) = REAL.glob(f"{prefix}*.html.gz")
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        result = extract_html(html)
        assert result.published is None or result.published.year >= 1800, path.name
