"""Fixtures for the request tests; the browser fixtures come from core's conftest."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from posyantek.core.tests.conftest import base_url, browser_type_launch_args  # noqa: F401

PUBLIC = {
    "requester_name": "Bu Sri",
    "phone": "0812-3456-7890",
    "region": "33.75.03.1004",
    "description": "Ikan asin cepat busuk saat musim hujan karena susah dijemur",
    "sector": "perikanan",
    "commodity": "ikan asin",
}


def jpeg(name: str = "foto.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    """Return a small JPEG upload."""
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def public_data(regions: Any) -> dict[str, Any]:
    return dict(PUBLIC)


@pytest.fixture
def fish_dryer(manager: Any, posts: Any) -> Any:
    """A published TTG that answers the fish-drying need."""
    from posyantek.catalog import ttg_services

    ttg = ttg_services.ttg_create(actor=manager, data={
        "name": "Alat Pengering Ikan Tenaga Surya", "post": posts["mitra"], "sector": "perikanan", "aspect": "pangan",
        "problem": "Ikan asin busuk saat musim hujan", "function": "Mengeringkan ikan dengan panas matahari",
        "how_it_works": "Udara panas dari kolektor surya", "commodities": "ikan asin", "price": 3_500_000})  # fmt: skip
    ttg_services.ttg_photo_add(actor=manager, ttg=ttg, upload=jpeg("pengering.jpg"))
    return ttg_services.ttg_publish(actor=manager, ttg=ttg)
