"""The monthly sales rollup: what counts, where it counts, and its rebuild command."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from posyantek.orders import sales
from posyantek.orders.models import Order, OrderItem, SalesMonth
from posyantek.orders.tests.test_sales_support import (
    IN_REGION,
    JAKARTA,
    OTHER_CITY,
    OTHER_PROVINCE,
    buy,
    make_goods,
    sell,
    set_state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def goods(posts: dict[str, Any], regions: Any) -> dict[str, Any]:
    return make_goods(posts)


MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)


def _rows(post: Any, month: dt.date = MARCH) -> list[dict[str, Any]]:
    return sales.rollup_rows(post.pk, month)


def test_rollup_counts_a_confirmed_order(goods, posts) -> None:
    (order,) = buy([(goods["dryer"], 2), (goods["canting"], 10)], OTHER_PROVINCE)
    assert not SalesMonth.objects.exists()  # a request is not a sale yet
    set_state(order, Order.State.CONFIRMED, dt.date(2025, 3, 14))
    rows = {r["product_name"]: r for r in _rows(posts["mitra"])}
    assert rows["Mesin Pengering Ikan"]["quantity"] == 2
    assert rows["Mesin Pengering Ikan"]["amount"] == 25_000_000  # quantity × agreed unit price
    assert rows["Canting Batik Listrik"]["amount"] == 2_500_000
    assert all(r["orders"] == 1 for r in rows.values())  # each product row: the orders holding it
    assert sum(r["orders_once"] for r in rows.values()) == 1  # the order itself, once
    assert {r["buyer_province_code"] for r in rows.values()} == {"73"}
    assert SalesMonth.objects.get(product=goods["dryer"]).region_id == posts["mitra"].region_id


def test_rollup_uses_the_agreed_price_not_the_current_one(goods, posts) -> None:
    sell([(goods["dryer"], 1)], IN_REGION, dt.date(2025, 3, 2))
    goods["dryer"].price = 99_000_000
    goods["dryer"].save()
    sales.rebuild(sales.months_to_rebuild(post_id=posts["mitra"].pk))
    assert _rows(posts["mitra"])[0]["amount"] == 12_500_000


@pytest.mark.parametrize("state", [Order.State.CANCELLED, Order.State.RETURNED, Order.State.REQUESTED])
def test_rollup_leaves_out_cancelled_returned_and_requests(goods, posts, state) -> None:
    kept = sell([(goods["canting"], 4)], IN_REGION, dt.date(2025, 3, 5))
    gone = sell([(goods["dryer"], 1)], IN_REGION, dt.date(2025, 3, 6))
    set_state(gone, state)
    rows = _rows(posts["mitra"])
    assert [(r["product_name"], r["quantity"], r["orders_once"]) for r in rows] == [("Canting Batik Listrik", 4, 1)]
    set_state(kept, Order.State.PAID)  # every state after confirmation still counts
    assert _rows(posts["mitra"]) == rows


def test_rollup_counts_every_state_from_confirmed_on(goods, posts) -> None:
    for i, state in enumerate(["dikonfirmasi", "produksi", "siap_kirim", "dikirim", "diterima", "lunas", "garansi"]):
        sell([(goods["canting"], 2)], IN_REGION, dt.date(2025, 3, i + 1))
        set_state(Order.objects.order_by("-pk").first(), state)
    (row,) = _rows(posts["mitra"])
    assert (row["orders"], row["orders_once"], row["quantity"]) == (7, 7, 14)


def test_moving_the_sale_date_moves_the_month(goods, posts) -> None:
    order = sell([(goods["dryer"], 1)], IN_REGION, dt.date(2025, 3, 31))
    assert _rows(posts["mitra"], MARCH)
    set_state(order, Order.State.CONFIRMED, dt.date(2025, 4, 1))
    assert _rows(posts["mitra"], MARCH) == []
    assert [r["quantity"] for r in _rows(posts["mitra"], APRIL)] == [1]


def test_rollup_flags_in_region_out_of_region_and_out_of_province(goods, posts) -> None:
    day = dt.date(2025, 3, 10)
    sell([(goods["dryer"], 1)], IN_REGION, day)  # Kota Pekalongan, like Mitra Pantura
    sell([(goods["dryer"], 1)], OTHER_CITY, day)  # Kota Semarang: luar daerah, same province
    sell([(goods["dryer"], 1)], OTHER_PROVINCE, day)  # Makassar
    sell([(goods["dryer"], 1)], JAKARTA, day)
    flags = sorted((r["buyer_province_code"], r["out_of_region"], r["out_of_province"]) for r in _rows(posts["mitra"]))
    assert flags == [("31", True, True), ("33", False, False), ("33", True, False), ("73", True, True)]


def test_rollup_keeps_channels_apart_and_counts_each_order_once(goods, posts) -> None:
    day = dt.date(2025, 3, 10)
    sell([(goods["dryer"], 1), (goods["canting"], 2)], IN_REGION, day, channel=Order.Channel.WHATSAPP)
    sell([(goods["canting"], 2)], IN_REGION, day, channel=Order.Channel.WHATSAPP)
    sell([(goods["canting"], 2)], IN_REGION, day, channel=Order.Channel.EXHIBITION)
    rows = _rows(posts["mitra"])
    by_channel: dict[str, int] = {}
    for r in rows:
        by_channel[r["channel"]] = by_channel.get(r["channel"], 0) + r["orders_once"]
    assert by_channel == {"whatsapp": 2, "pameran": 1}
    canting_wa = next(r for r in rows if r["channel"] == "whatsapp" and r["product_id"] == goods["canting"].pk)
    assert (canting_wa["orders"], canting_wa["quantity"]) == (2, 4)


def test_rollup_rewrites_only_the_rows_that_changed(goods, posts) -> None:
    day = dt.date(2025, 3, 10)
    sell([(goods["dryer"], 1)], IN_REGION, day)
    sell([(goods["canting"], 2)], OTHER_PROVINCE, day)
    before = dict(SalesMonth.objects.values_list("product_id", "pk"))
    sell([(goods["canting"], 3)], OTHER_PROVINCE, day)  # the canting row changes, the dryer row stays
    after = dict(SalesMonth.objects.values_list("product_id", "pk"))
    assert after[goods["dryer"].pk] == before[goods["dryer"].pk]
    assert after[goods["canting"].pk] != before[goods["canting"].pk]
    assert SalesMonth.objects.get(product=goods["canting"]).quantity == 5
    SalesMonth.objects.filter(product=goods["dryer"]).update(amount=1)  # a damaged row is put right
    with transaction.atomic():
        sales.rebuild_month(posts["mitra"].pk, day)
    assert SalesMonth.objects.get(product=goods["dryer"]).amount == 12_500_000
    assert SalesMonth.objects.count() == 2


def test_rollup_keeps_lines_without_a_product_apart_by_name(goods, posts) -> None:
    order = sell([(goods["canting"], 2)], IN_REGION, dt.date(2025, 3, 3))
    OrderItem.objects.create(order=order, name="Servis mesin", quantity=1, unit_price=300_000)
    OrderItem.objects.create(order=order, name="Ongkos pasang", quantity=2, unit_price=50_000)
    with transaction.atomic():
        sales.refresh_for(order)
    rows = {r["product_name"]: (r["product_id"], r["amount"]) for r in _rows(posts["mitra"])}
    assert rows == {"Canting Batik Listrik": (goods["canting"].pk, 500_000), "Servis mesin": (None, 300_000),
                    "Ongkos pasang": (None, 100_000)}  # fmt: skip


def test_rollup_rows_stay_with_their_post(goods, posts) -> None:
    day = dt.date(2025, 3, 3)
    orders = buy([(goods["dryer"], 1), (goods["grater"], 1), (goods["stove"], 2)], OTHER_PROVINCE)
    assert len(orders) == 3  # one order per producing post
    for order in orders:
        set_state(order, Order.State.CONFIRMED, day)
    assert [r["product_name"] for r in _rows(posts["wartek"])] == ["Alat Parut Kelapa"]
    assert [r["quantity"] for r in _rows(posts["dki"])] == [2]
    assert SalesMonth.objects.get(post=posts["dki"]).region_id == "31.71.01"


def test_rebuild_sales_command_is_idempotent_and_clears_stale_rows(goods, posts) -> None:
    sell([(goods["dryer"], 1)], IN_REGION, dt.date(2025, 3, 3))
    sell([(goods["stove"], 1)], JAKARTA, dt.date(2024, 7, 3))
    before = sorted(SalesMonth.objects.values_list("post_id", "month", "quantity", "amount", "orders_once"))
    SalesMonth.objects.create(post=posts["mitra"], region_id=posts["mitra"].region_id, month=dt.date(2025, 8, 1),
                              product_name="Sisa lama", channel="pasar", orders=1, quantity=9, amount=9)  # fmt: skip
    SalesMonth.objects.filter(month=MARCH).update(amount=1)
    out = StringIO()
    call_command("rebuild_sales", stdout=out)
    assert "3 bulan-pos" in out.getvalue()
    after = sorted(SalesMonth.objects.values_list("post_id", "month", "quantity", "amount", "orders_once"))
    assert after == before
    call_command("rebuild_sales", stdout=StringIO())
    assert sorted(SalesMonth.objects.values_list("post_id", "month", "quantity", "amount", "orders_once")) == before


def test_rebuild_sales_command_by_post_and_year(goods, posts) -> None:
    sell([(goods["dryer"], 1)], IN_REGION, dt.date(2025, 3, 3))
    sell([(goods["dryer"], 1)], IN_REGION, dt.date(2024, 3, 3))
    sell([(goods["stove"], 1)], JAKARTA, dt.date(2025, 3, 3))
    SalesMonth.objects.all().delete()
    call_command("rebuild_sales", "--post", str(posts["mitra"].pk), "--year", "2025", stdout=StringIO())
    assert list(SalesMonth.objects.values_list("post_id", "month")) == [(posts["mitra"].pk, MARCH)]
    out = StringIO()
    call_command("rebuild_sales", "--dry-run", stdout=out)
    assert "3 bulan-pos" in out.getvalue()
    assert SalesMonth.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("rebuild_sales", "--post", "999999", stdout=StringIO())
