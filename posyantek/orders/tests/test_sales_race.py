"""Buyers racing for the last units: stock never goes below zero, the losers hear "out of stock" and nothing else.

A fast version of bench/orders_race.py: 10 threads, each with its own database connection, released together for
3 units. On PostgreSQL they use the test database. On SQLite the suite's database is in memory with a shared cache,
whose table locks fail at once instead of waiting; so the race runs on a file copy of it, opened as the app opens
its SQLite file (WAL, busy_timeout, BEGIN IMMEDIATE).
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from posyantek.orders.models import Order
from posyantek.orders.services import order_checkout
from posyantek.orders.tests.test_sales_support import make_product

BUYERS, UNITS = 10, 3


def _in_thread(fn: Any, db_name: str | None) -> Any:
    """Run `fn` with this thread's own connection (to `db_name` when given), closed afterwards."""
    conn = connections["default"]
    if db_name:
        conn.settings_dict = {**conn.settings_dict, "NAME": db_name}
    try:
        return fn()
    finally:
        conn.close()


def _race(product_id: int, db_name: str | None) -> list[str]:
    barrier = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buyer(i: int) -> None:
        def attempt() -> str:
            barrier.wait(timeout=30)
            try:
                order_checkout(lines=[(product_id, 1)], buyer={
                    "name": f"Pembeli {i}", "phone": f"0812{i:08d}", "address": "Jl. Pelabuhan No. 5, Makassar",
                    "region_code": "31.71.01.1001"})  # fmt: skip
            except ValidationError as exc:
                return "|".join(e.code or "?" for e in exc.error_list) if hasattr(exc, "error_list") else "fields"
            except Exception as exc:  # noqa: BLE001 - the test reports any other error as a failure
                return f"{type(exc).__name__}: {exc}"
            return "ok"

        result = _in_thread(attempt, db_name)
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(BUYERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def _read(db_name: str | None, product_id: int) -> tuple[int, int]:
    from posyantek.products.models import Product

    box: list[tuple[int, int]] = []

    def read() -> None:
        box.append(
            (Product.objects.get(pk=product_id).stock, Order.objects.filter(items__product_id=product_id).count())
        )

    t = threading.Thread(target=_in_thread, args=(read, db_name))
    t.start()
    t.join(30)
    return box[0]


def test_buyers_racing_for_the_last_units(transactional_db: Any, posts: dict[str, Any]) -> None:
    product = make_product(posts["mitra"], "Mesin Pengering Ikan", 12_500_000, stock=UNITS)
    db_name = None
    tmp = None
    if connection.vendor == "sqlite":
        tmp = tempfile.TemporaryDirectory(prefix="posyantek-race-")
        db_name = str(Path(tmp.name) / "race.sqlite3")
        connection.ensure_connection()
        with sqlite3.connect(db_name) as copy:
            connection.connection.backup(copy)
    try:
        outcomes = _race(product.pk, db_name)
        stock, orders = _read(db_name, product.pk)
    finally:
        if tmp is not None:
            tmp.cleanup()
    assert len(outcomes) == BUYERS
    assert Counter(outcomes) == {"ok": UNITS, "out_of_stock": BUYERS - UNITS}, Counter(outcomes)
    assert (stock, orders) == (0, UNITS)


@pytest.mark.django_db
def test_out_of_stock_says_so_in_indonesian(posts: dict[str, Any]) -> None:
    product = make_product(posts["mitra"], "Mesin Pengering Ikan", 12_500_000, stock=1)
    buyer = {"name": "Bu Sri", "phone": "0812-3456-7890", "address": "Jl. Pelabuhan No. 5", "region_code": "33.75"}
    with pytest.raises(ValidationError) as exc:
        order_checkout(lines=[(product.pk, 2)], buyer=buyer)
    assert exc.value.error_list[0].code == "out_of_stock"
    assert "habis" in exc.value.messages[0] and "tersisa 1" in exc.value.messages[0]
