"""Stores kept between requests: a server store is lent again, a SQLite one never, and a
store a caller left in a bad state is closed instead of kept."""

from __future__ import annotations

import threading

import pytest

from nkwatch.store import Store, open_store
from nkwatch.store.pool import StorePool


def test_a_store_is_kept_only_when_it_can_serve_another(store_target: str) -> None:
    opened: list[Store] = []

    def opener() -> Store:
        opened.append(open_store(store_target))
        return opened[-1]

    pool = StorePool(opener)
    with pool.borrow() as first:
        first.start_run("one")
    with pool.borrow() as second:
        assert second.latest_date() is None
    server = store_target.startswith("postgresql")
    assert (second is first) == server
    assert len(opened) == (1 if server else 2)
    pool.close()


def test_a_store_left_mid_transaction_or_after_an_error_is_closed(postgres_url: str) -> None:
    pool = StorePool(postgres_url)
    with pytest.raises(RuntimeError), pool.borrow() as failed:
        raise RuntimeError("the request failed")
    with pool.borrow() as open_unit:
        unit = open_unit.transaction()
        unit.__enter__()
        assert not open_unit.reusable()
    with pool.borrow() as fresh:
        assert fresh is not failed and fresh is not open_unit
        assert fresh.reusable()
    with pool.borrow() as again:
        assert again is fresh
    pool.close()
    with pytest.raises(Exception):  # noqa: B017 (closed: any use fails)
        fresh.latest_date()


def test_threads_borrow_distinct_stores(postgres_url: str) -> None:
    pool = StorePool(postgres_url, idle=2)
    held: list[Store] = []
    inside = threading.Barrier(3)

    def request() -> None:
        with pool.borrow() as store:
            held.append(store)
            inside.wait(timeout=30)
            store.latest_date()

    threads = [threading.Thread(target=request) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len({id(s) for s in held}) == 3
    assert len(pool._idle) == 2  # the third went over the limit and was closed
    pool.close()
