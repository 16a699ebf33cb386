"""In real Chromium on a 360 px phone: the PRPP event page, a lead marked followed up through htmx, the report.

The data is the demo loader's (posyantek/exhibitions/demo.py), made through the services as load_demo makes it.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.accounts.models import User
from posyantek.core.tests.conftest import (  # noqa: F401 - fixtures and the skip-without-Chromium hook
    base_url,
    browser_type_launch_args,
    pytest_collection_modifyitems,
)
from posyantek.exhibitions.demo import PRPP, load_exhibitions
from posyantek.exhibitions.models import Exhibition
from posyantek.exhibitions.tests.conftest import make_order, product
from posyantek.network.demo import load_agents

NARROW = 360
OVERFLOW_TOLERANCE = 2


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW + OVERFLOW_TOLERANCE, f"page is {width}px wide at a {NARROW}px viewport"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_prpp_event_on_a_phone(
    transactional_db: Any, live_server: LiveServer, page: Page, admin: User, manager: User, posts: dict[str, Any]
) -> None:
    """Log in as Mitra Pantura's manager, open the PRPP event at 360 px, follow a lead up, open the report."""
    for name in ("Perontok Padi Pedal", "Pengering Gabah Tenaga Surya Kapasitas 500 kg"):
        product(posts["mitra"], name, 4_500_000)
    load_agents(admin, random.Random(2014), timezone.localdate())
    load_exhibitions(admin, random.Random(2014), timezone.localdate())
    prpp = Exhibition.objects.get(name=PRPP)
    make_order(posts["mitra"], total=13_500_000, exhibition=prpp, state="lunas", buyer_name="Gapoktan Sido Makmur")
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})

    page.goto("/akun/masuk")
    page.locator("#id_username").fill(manager.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)

    page.goto(f"/pameran/{prpp.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(PRPP)
    expect(page.locator("#ex-state")).to_have_text("Selesai")
    expect(page.locator("#r-visitors")).to_contain_text("850")
    expect(page.locator("#r-value")).to_contain_text("Rp 13.500.000")
    expect(page.locator("#r-leads")).to_contain_text("5 ditindaklanjuti (63%)")
    _fits(page)
    row = page.locator("#leads-table tr", has_text="Rina Wulandari")
    row.get_by_role("button", name="Tandai sudah").click()
    expect(page.locator("#leads-table tr", has_text="Rina Wulandari")).to_contain_text("Sudah")
    assert prpp.leads.filter(followed_up=True).count() == 6

    # A lead's origin: the province first, then its kabupaten/kota, fetched by htmx.
    page.locator("#calon-pembeli summary", has_text="Catat calon pembeli").click()
    page.get_by_label("Provinsi asal").select_option("33")
    expect(page.locator("#id_regency option", has_text="Kota Pekalongan")).to_have_count(1)
    page.get_by_label("Kabupaten/kota asal").select_option("33.75")
    page.locator("#calon-pembeli #id_name").fill("Wahyu")
    page.locator("#calon-pembeli #id_phone").fill("0815-7777-1212")
    _fits(page)
    page.locator("#calon-pembeli form.form button[type=submit]", has_text="Simpan").click()
    expect(page.locator("#leads-table tr", has_text="Wahyu")).to_contain_text("Kota Pekalongan")

    page.goto(f"/pameran/{prpp.pk}/laporan")
    expect(page.locator("#r-net")).to_contain_text("Rp 8.150.000")  # 13.500.000 − 5.350.000
    _fits(page)
    page.goto("/jejaring/")
    expect(page.locator("#results")).to_contain_text("BUMDes Maju Makmur")
    _fits(page)
