"""Fixtures for the Bintek tests: a planned Bintek of Wartek Panjang Wetan, and one held with attendance.

The browser fixtures are those of core's browser tests (Debian's Chromium, the live server as base URL).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from posyantek.core.tests.conftest import (  # noqa: F401 - fixtures and the skip-without-Chromium hook
    base_url,
    browser_type_launch_args,
    pytest_collection_modifyitems,
)
from posyantek.trainings import services
from posyantek.trainings.models import Bintek

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def plan(actor: Any, post: Any, **extra: Any) -> Bintek:
    data = {
        "title": "Bintek Pengeringan Ikan",
        "post": post,
        "starts_on": dt.date(2026, 4, 10),
        "ends_on": dt.date(2026, 4, 11),
        "budget": 12_500_000,
        "funding_source": "apbd_kabkota",
        "registration_open": True,
        **extra,
    }
    return services.bintek_create(actor=actor, data=data)


@pytest.fixture
def bintek(staff: Any, posts: dict[str, Any]) -> Bintek:
    """A planned Bintek of Wartek Panjang Wetan, with two participants."""
    b = plan(staff, posts["wartek"])
    services.participant_register(
        actor=staff, bintek=b, data={"name": "Siti", "sex": "P", "group": "nelayan", "phone": "0812-1111-2222"}
    )
    services.participant_register(actor=staff, bintek=b, data={"name": "Kasnadi", "sex": "L", "phone": "08123334444"})
    return Bintek.objects.get(pk=b.pk)


@pytest.fixture
def held(bintek: Bintek, staff: Any) -> Bintek:
    """The same Bintek, held: Siti attended (by code), Kasnadi did not."""
    services.bintek_advance(actor=staff, bintek=bintek, state="undangan")
    session = services.session_open(actor=staff, bintek=bintek)
    services.attendance_check_in(code=session.code, who="+62 812 1111 2222")
    services.bintek_advance(actor=staff, bintek=bintek, state="dilaksanakan")
    return Bintek.objects.get(pk=bintek.pk)
