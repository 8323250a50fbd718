"""Pending work read page by page: a backlog of any size is never loaded at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from nkwatch.record import Article

#: Pending articles read from the store at a time.
PAGE = 512


def iter_pages(fetch: Callable[..., list[Article]], *, size: int = PAGE) -> Iterator[Article]:
    """Every article ``fetch`` lists, read ``size`` at a time with ``after=<last id>``.

    ``fetch`` is a pending-work list of the store (``articles_to_enrich`` …) taking ``after``
    and ``limit``; articles handled while paging leave the list without disturbing the pages.
    """
    after: int | None = None
    while True:
        page = fetch(after=after, limit=size)
        yield from page
        if len(page) < size or page[-1].id is None:
            return
        after = page[-1].id
