"""The demo products load through the services, once."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from posyantek.products.demo import load_products
from posyantek.products.models import Product

pytestmark = pytest.mark.django_db


def test_load_products(admin: Any, posts: Any) -> None:
    load_products(admin, random.Random(1), dt.date(2026, 11, 28))
    canting = Product.objects.get(name="Canting Batik Elektrik")
    assert canting.post == posts["mitra"] and canting.stock == 5 and not canting.made_to_order
    dryer = Product.objects.get(name="Mesin Pengering Ikan Tenaga Surya")
    assert dryer.made_to_order and dryer.lead_time_days and dryer.capacity_per_month and dryer.photos.count() == 1
    assert Product.objects.get(name="Ikan Asin Jambal Roti").maker_name == "KUB Mina Sejahtera"
    assert Product.objects.filter(post=posts["dki"]).count() == 2
    n = Product.objects.count()
    load_products(admin, random.Random(1), dt.date(2026, 11, 28))
    assert Product.objects.count() == n
