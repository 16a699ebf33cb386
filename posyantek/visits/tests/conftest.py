"""Fixtures for the visit tests: a requested visit of Mitra Pantura around today, and the same visit scheduled."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from posyantek.visits import services
from posyantek.visits.models import Visit


def make_visit(actor: Any, post: Any, **extra: Any) -> Visit:
    """Record an incoming visit from DKI Jakarta that began yesterday and ends tomorrow."""
    today = timezone.localdate()
    data = {
        "post": post,
        "direction": "masuk",
        "title": "Kunjungan kerja DKI Jakarta",
        "institution": "BPMPKB Provinsi DKI Jakarta",
        "institution_region": "31",
        "leader": "Kepala Bidang TTG",
        "visitors": 20,
        "purposes": ["pendanaan", "kelembagaan"],
        "starts_on": today - dt.timedelta(days=1),
        "ends_on": today + dt.timedelta(days=1),
        **extra,
    }
    return services.visit_create(actor=actor, data=data)


def add_agenda(actor: Any, visit: Visit, **extra: Any) -> Any:
    data = {
        "kind": "lapangan",
        "title": "Kunjungan lapangan ke Panjang Wetan",
        "day": visit.starts_on,
        "starts_at": dt.time(13, 0),
        "ends_at": dt.time(14, 30),
        "site_region": "33.75.03.1004",
        **extra,
    }
    return services.agenda_add(actor=actor, visit=visit, data=data)


def png_data_url(size: tuple[int, int] = (200, 80), *, blank: bool = False) -> str:
    """Return a PNG data URL with a drawn stroke (or nothing on it)."""
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", size, (255, 255, 255, 0))
    if not blank:
        ImageDraw.Draw(im).line([(10, 40), (60, 10), (120, 70), (190, 30)], fill=(0, 0, 0, 255), width=3)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
def visit(manager: Any, posts: dict[str, Any]) -> Visit:
    """A requested incoming visit of Mitra Pantura, from yesterday to tomorrow."""
    return make_visit(manager, posts["mitra"])


@pytest.fixture
def scheduled(visit: Visit, manager: Any) -> Visit:
    """The same visit with a field visit on its agenda, scheduled (its guest book open)."""
    add_agenda(manager, visit)
    return services.visit_advance(actor=manager, visit=visit, state="dijadwalkan")


@pytest.fixture
def held(scheduled: Visit, manager: Any) -> Visit:
    """The same visit held."""
    return services.visit_advance(actor=manager, visit=scheduled, state="dilaksanakan")
