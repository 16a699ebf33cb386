"""Helpers of the sales tests (no tests here): products, buyers in and out of region, counted orders.

Each test module makes its `goods` fixture with `make_goods`.

Orders are made with the checkout service; their state and sale date are then set directly and the rollup
refreshed, as the orders services do when an officer confirms, cancels or re-dates an order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from posyantek.orders import sales
from posyantek.orders.models import Order
from posyantek.orders.services import order_checkout
from posyantek.products.models import Product
from posyantek.regions.models import Region

#: Buyer regions beyond the shared tree: another city of Jawa Tengah, and Makassar.
SALES_REGIONS = [
    ("33.74", "Kota Semarang", 2, "kota", "33"),
    ("73", "Sulawesi Selatan", 1, "provinsi", None),
    ("73.71", "Kota Makassar", 2, "kota", "73"),
]
#: Where buyers live, seen from Mitra Pantura (Kota Pekalongan, Jawa Tengah).
IN_REGION, OTHER_CITY, OTHER_PROVINCE, JAKARTA = "33.75.01.1001", "33.74", "73.71", "31.71.01.1001"


def make_product(post: Any, name: str, price: int, *, stock: int = 1000, **kw: Any) -> Product:
    return Product.objects.create(post=post, region_id=post.region_id, name=name, price=price, stock=stock, **kw)


def make_goods(posts: dict[str, Any]) -> dict[str, Product]:
    """Make products of Mitra Pantura, of its Wartek and of the Jakarta post, and the extra buyer regions."""
    for code, name, level, kind, parent in SALES_REGIONS:
        Region.objects.create(code=code, name=name, level=level, kind=kind, parent_id=parent)
    return {
        "dryer": make_product(posts["mitra"], "Mesin Pengering Ikan", 12_500_000),
        "canting": make_product(posts["mitra"], "Canting Batik Listrik", 250_000, unit="buah"),
        "grater": make_product(posts["wartek"], "Alat Parut Kelapa", 1_500_000),
        "stove": make_product(posts["dki"], "Kompor Biomassa", 900_000),
    }


def buy(lines: list[tuple[Product, int]], region_code: str, *, channel: str = Order.Channel.MARKETPLACE,
        name: str = "Pak Andi") -> list[Order]:  # fmt: skip
    """Check out a cart as a buyer in `region_code`; return its orders (state permintaan, not yet counted)."""
    buyer = {"name": name, "phone": "0812-1111-2222", "address": "Jl. Contoh No. 10, RT 01/RW 02",
             "region_code": region_code}  # fmt: skip
    return order_checkout(lines=[(p.pk, q) for p, q in lines], buyer=buyer, channel=channel)


def set_state(order: Order, state: str, sale_date: dt.date | None = None) -> Order:
    """Move an order to `state` (and `sale_date`) directly and refresh the rollup, as the services do."""
    with transaction.atomic():
        old = Order.objects.filter(pk=order.pk).values_list("sale_date", flat=True).get()
        order.state = state
        if sale_date is not None:
            order.sale_date = sale_date
        order.save(update_fields=["state", "sale_date"])
        sales.refresh_for(order, old)
    return order


def sell(lines: list[tuple[Product, int]], region_code: str, day: dt.date, **kw: Any) -> Order:
    """Check out one post's cart and confirm it on `day`: a counted sale."""
    (order,) = buy(lines, region_code, **kw)
    return set_state(order, Order.State.CONFIRMED, day)
