"""In real Chromium on a 360 px phone: every money page fits the screen; wide tables scroll inside their box."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.accounts.models import User
from posyantek.core.tests.conftest import (  # noqa: F401 - fixtures and the skip-without-Chromium hook
    base_url,
    browser_type_launch_args,
    pytest_collection_modifyitems,
)

NARROW = 360
OVERFLOW_TOLERANCE = 2


def _pages(d: dict[str, Any]) -> list[str]:
    p, e, g, a, b, r = (d[k].pk for k in ("post", "entry", "grant", "asset", "budget", "reg"))
    reversal = d["entry"].reversed_by.pk
    return [
        f"/keuangan/pos/{p}/",
        f"/keuangan/kas/{e}/",
        f"/keuangan/kas/{reversal}/",
        f"/keuangan/hibah/{g}/",
        f"/keuangan/aset/{a}/",
        f"/keuangan/anggaran/{b}/",
        f"/keuangan/pos/{p}/realisasi?dari=2026-01-01&sampai=2026-12-31",
        f"/keuangan/pos/{p}/buku-kas?dari=2026-01-01&sampai=2026-12-31",
        f"/keuangan/pos/{p}/kas/baru",
        f"/keuangan/pos/{p}/kas/impor",
        f"/keuangan/pos/{p}/hibah/baru",
        f"/keuangan/pos/{p}/aset/baru",
        f"/keuangan/pos/{p}/anggaran/baru",
        f"/keuangan/peraturan/{r}/",
        "/keuangan/",
        f"/keuangan/kas/?post={p}",
        f"/keuangan/hibah/?post={p}",
        f"/keuangan/aset/?post={p}",
        "/keuangan/anggaran/",
        "/keuangan/peraturan/",
        "/keuangan/realisasi/?wilayah=33.75&tahun=2026",
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_money_pages_fit_a_phone(
    transactional_db: Any, live_server: LiveServer, page: Page, manager: User, full: dict[str, Any]
) -> None:
    """Log in as Mitra Pantura's manager and open every money page at 360 px: none is wider than the screen."""
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})
    page.goto("/akun/masuk")
    page.locator("#id_username").fill(manager.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)
    too_wide = {}
    for url in _pages(full):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW + OVERFLOW_TOLERANCE:
            too_wide[url] = width
    assert not too_wide, f"pages wider than {NARROW}px: {too_wide}"
    # The post's page: its tables scroll inside their own box, the links to record a grant and an asset are there.
    page.goto(f"/keuangan/pos/{full['post'].pk}/")
    expect(page.get_by_role("link", name="+ Catat hibah")).to_be_visible()
    expect(page.get_by_role("link", name="+ Catat aset")).to_be_visible()
    box = page.locator("#realisasi").bounding_box()
    assert box and box["x"] + box["width"] <= NARROW, box
