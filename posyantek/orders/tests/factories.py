"""Fixtures and helpers for the order tests: products of three posts, an agent, an exhibition, buyer regions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from posyantek.exhibitions.models import Exhibition
from posyantek.network.models import Agent
from posyantek.orders import services
from posyantek.orders.models import Order
from posyantek.products.models import Product
from posyantek.regions.models import Region

#: Buyer regions outside the shared tree: another city in Jawa Tengah, and Makassar.
EXTRA_REGIONS = [
    ("33.74", "Kota Semarang", 2, "kota", "33"),
    ("73", "Sulawesi Selatan", 1, "provinsi", None),
    ("73.71", "Kota Makassar", 2, "kota", "73"),
]

BUYER = {
    "name": "Pak Andi",
    "phone": "0812-1111-2222",
    "email": "andi@example.id",
    "institution": "CV Laut Biru",
    "address": "Jl. Somba Opu No. 10, Makassar",
    "region_code": "73.71",
}


@pytest.fixture
def shop(posts: dict[str, Any], regions: dict[str, Region]) -> dict[str, Any]:
    """Products of Mitra Pantura (stocked, made to order, minimum order), of its Wartek and of the Jakarta post."""
    for code, name, level, kind, parent in EXTRA_REGIONS:
        Region.objects.create(code=code, name=name, level=level, kind=kind, parent_id=parent)
    mitra, wartek, dki = posts["mitra"], posts["wartek"], posts["dki"]

    def product(post: Any, name: str, price: int, **kw: Any) -> Product:
        return Product.objects.create(post=post, region_id=post.region_id, name=name, price=price, **kw)

    return {
        "dryer": product(mitra, "Mesin Pengering Ikan", 12_500_000, stock=5),
        "thresher": product(
            mitra, "Mesin Perontok Padi", 8_750_000, made_to_order=True, lead_time_days=30, capacity_per_month=10
        ),  # fmt: skip
        "canting": product(mitra, "Canting Batik Listrik", 250_000, stock=100, unit="buah", min_order=2),
        "grater": product(wartek, "Alat Parut Kelapa", 1_500_000, stock=3),
        "stove": product(dki, "Kompor Biomassa", 900_000, stock=10),
    }


@pytest.fixture
def agent(posts: dict[str, Any]) -> Agent:
    mitra = posts["mitra"]
    return Agent.objects.create(post=mitra, region_id=mitra.region_id, name="Toko Tani Makmur",
                                commission_rule=Agent.Rule.PERCENT, commission_percent=Decimal("5"))  # fmt: skip


@pytest.fixture
def fair(posts: dict[str, Any]) -> Exhibition:
    mitra = posts["mitra"]
    return Exhibition.objects.create(post=mitra, region_id=mitra.region_id, name="Jateng Fair", level="provinsi",
                                     starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 6, 7))  # fmt: skip


def make_order(actor: Any, post: Any, items: list[dict[str, Any]], **kw: Any) -> Order:
    """Record a staff order with the default buyer (in Makassar)."""
    kw.setdefault("channel", Order.Channel.WHATSAPP)
    kw.setdefault("buyer", dict(BUYER))
    return services.order_create(actor=actor, post=post, items=items, **kw)


def dryer_order(actor: Any, shop: dict[str, Any], quantity: int = 2, **kw: Any) -> Order:
    return make_order(actor, shop["dryer"].post, [{"product": shop["dryer"], "quantity": quantity}], **kw)


def confirmed(actor: Any, order: Order, **kw: Any) -> Order:
    kw.setdefault("shipping_cost", 500_000)
    return services.order_confirm(actor=actor, order=order, **kw)


def ready(actor: Any, order: Order) -> Order:
    """Take a stocked order from request to ready to ship."""
    order = confirmed(actor, order)
    return services.order_advance(actor=actor, order=order, state="siap_kirim")


def shipped(actor: Any, order: Order) -> Order:
    order = ready(actor, order)
    return services.order_advance(actor=actor, order=order, state="dikirim", courier="JNE Trucking",
                                  tracking_number="JT123456789")  # fmt: skip
