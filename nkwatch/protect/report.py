"""The protection report: per article, how many values of each kind publishing replaces."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nkwatch.protect.stage import Protector, article_context
from nkwatch.record import Article


@dataclass(slots=True)
class ProtectionReport:
    """Counts only: the report never holds a protected value."""

    articles: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> Counter[str]:
        """Counts over every article."""
        total: Counter[str] = Counter()
        for row in self.rows:
            total.update(row["counts"])
        return total


def protection_report(articles: Iterable[Article], protector: Protector) -> ProtectionReport:
    """Analyse every article (title and text) and count what publishing would protect (with
    the analyses stored in the protector's store, when it has one)."""
    report = ProtectionReport()
    for article in articles:
        report.articles += 1
        protector.prepare([(article.id, article_context(article))])
        counts = protector.counts(article_context(article))
        if counts:
            report.rows.append(
                {"id": article.id, "outlet": article.outlet, "counts": dict(sorted(counts.items()))}
            )
    return report
