"""Fixtures for the product tests: products of Mitra Pantura, Wartek Panjang Wetan and the Jakarta post,
and a buyer's region in Makassar. The browser fixtures are those of core's browser tests."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from posyantek.core.tests.conftest import (  # noqa: F401 - fixtures and the skip-without-Chromium hook
    base_url,
    browser_type_launch_args,
    pytest_collection_modifyitems,
)
from posyantek.products import services
from posyantek.products.models import Product
from posyantek.regions.models import Region

BUYER = {
    "name": "Andi Makkasau",
    "phone": "0812-3456-7890",
    "email": "andi@example.id",
    "institution": "CV Maju Bersama",
    "address": "Jl. Penghibur No. 12, RT 02/RW 03, Losari",
    "province": "73",
    "regency": "73.71",
    "district": "",
    "note": "Mohon dikemas kayu.",
}


def png(name: str = "foto.png", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    """Return a small PNG upload."""
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def make(actor: Any, post: Any, **extra: Any) -> Product:
    data = {"post": post, "name": "Canting Batik Elektrik", "kind": "ttg", "sector": "kerajinan", "price": 275_000,
            "unit": "buah", "stock": 5, "min_order": 1, "weight_grams": 500, **extra}  # fmt: skip
    return services.product_create(actor=actor, data=data)


@pytest.fixture
def makassar(regions: dict[str, Region]) -> dict[str, Region]:
    """Add Sulawesi Selatan, Kota Makassar and a kecamatan of it to the region tree."""
    rows = [("73", "Sulawesi Selatan", 1, "provinsi", None), ("73.71", "Kota Makassar", 2, "kota", "73"),
            ("73.71.01", "Mariso", 3, "kecamatan", "73.71")]  # fmt: skip
    for code, name, level, kind, parent in rows:
        regions[code] = Region.objects.create(code=code, name=name, level=level, kind=kind, parent_id=parent)
    return regions


@pytest.fixture
def shop(admin: Any, posts: dict[str, Any], makassar: Any) -> dict[str, Product]:
    """Products on sale: a stocked canting (5) and a made-to-order dryer of Mitra Pantura, kerupuk of the
    Wartek, compost baskets of the Jakarta post; and a stool Mitra Pantura no longer sells."""
    mitra, wartek, dki = posts["mitra"], posts["wartek"], posts["dki"]
    mitra.phone = "0812-2900-1122"
    mitra.save(update_fields=["phone"])
    out = {
        "canting": make(admin, mitra),
        "dryer": make(admin, mitra, name="Mesin Pengering Ikan Tenaga Surya", sector="perikanan", price=12_500_000,
                      unit="unit", made_to_order=True, lead_time_days=21, capacity_per_month=8, stock=0),
        "kerupuk": make(admin, wartek, name="Kerupuk Ikan Panjang Wetan", kind="umkm", sector="pangan",
                        price=25_000, unit="bungkus", stock=120, min_order=5, maker_name="KUB Mina Sejahtera"),
        "komposter": make(admin, dki, name="Komposter Takakura", sector="lingkungan", price=150_000, unit="set",
                          stock=25),
        "old": make(admin, mitra, name="Dingklik Kayu", price=90_000, active=False),
    }  # fmt: skip
    return out
