"""Fixtures for the exhibition tests: products of Mitra Pantura, a planned event, and one running with its parts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from posyantek.exhibitions import services
from posyantek.exhibitions.models import Exhibition
from posyantek.network.tests.conftest import make_order  # noqa: F401 - re-exported for the tests
from posyantek.products.models import Product


def product(post: Any, name: str, price: int = 1_000_000, **extra: Any) -> Product:
    return Product.objects.create(post=post, region=post.region, name=name, price=price, **extra)


def plan(actor: Any, post: Any, **extra: Any) -> Exhibition:
    today = timezone.localdate()
    data = {
        "post": post,
        "name": "Pameran Produk Unggulan Jawa Tengah (PRPP)",
        "kind": "pameran",
        "level": "provinsi",
        "starts_on": today - dt.timedelta(days=3),
        "ends_on": today + dt.timedelta(days=1),
        "venue": "Kompleks PRPP",
        "venue_region": "33.75",
        "organiser": "Pemprov Jawa Tengah",
        **extra,
    }
    return services.exhibition_create(actor=actor, data=data)


@pytest.fixture
def goods(posts: dict[str, Any]) -> dict[str, Product]:
    return {
        "thresher": product(posts["mitra"], "Perontok Padi Pedal", 4_500_000),
        "dryer": product(posts["mitra"], "Pengering Gabah", 12_000_000),
        "old": product(posts["mitra"], "Alat Lama", 500_000, active=False),
        "wartek": product(posts["wartek"], "Abon Ikan", 25_000, unit="bungkus"),
    }


@pytest.fixture
def event(manager: Any, posts: dict[str, Any]) -> Exhibition:
    """A planned event of Mitra Pantura that began three days ago."""
    return plan(manager, posts["mitra"])


@pytest.fixture
def running(event: Exhibition, manager: Any, goods: dict[str, Product]) -> Exhibition:
    """The same event with two products taken, now running, with a cost, a lead and an offer."""
    services.product_add(actor=manager, exhibition=event, product=goods["thresher"], quantity=2)
    services.product_add(actor=manager, exhibition=event, product=goods["dryer"], quantity=1)
    services.exhibition_advance(actor=manager, exhibition=event, state="produk_dipilih")
    ex = services.exhibition_advance(actor=manager, exhibition=event, state="berlangsung")
    services.cost_add(actor=manager, exhibition=ex, item="Sewa stan", amount=3_500_000, funding_source="apbd_kabkota")
    services.lead_add(actor=manager, exhibition=ex, data={"name": "Sutrisno", "phone": "0812-1111-2222",
                                                          "institution": "Gapoktan", "region": "33.75.01"})  # fmt: skip
    services.offer_add(actor=manager, exhibition=ex, data={"partner": "CV Agro", "value": 185_000_000})
    return Exhibition.objects.get(pk=ex.pk)
