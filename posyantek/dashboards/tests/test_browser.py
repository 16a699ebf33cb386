"""The national admin drills down on a phone (real Chromium): nation → Jawa Tengah → Kota Pekalongan → Mitra Pantura."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.accounts.models import User
from posyantek.core.tests.conftest import base_url, browser_type_launch_args  # noqa: F401

NARROW = 360


def assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW + 2, f"page is {width}px wide at a {NARROW}px viewport"


def see_chart_and_table(page: Page) -> None:
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.locator("#tabel-grafik")).to_be_visible()
    assert_fits(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_drills_down_to_mitra_pantura_on_a_phone(
    transactional_db: Any, live_server: LiveServer, page: Page, admin: User, dash: dict[str, Any]
) -> None:
    page.set_default_timeout(60_000)
    page.set_viewport_size({"width": NARROW, "height": 740})
    page.goto(f"{live_server.url}/akun/masuk")
    page.locator("#id_username").fill(admin.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)
    page.set_default_timeout(15_000)

    page.locator("details.menu summary").click()
    page.locator("details.menu").get_by_role("link", name="Dasbor").click()
    page.wait_for_url("**/dasbor/nasional/")
    see_chart_and_table(page)
    expect(page.locator("#freshness")).to_contain_text("WIB")

    page.locator("#tabel-wilayah").get_by_role("link", name="Jawa Tengah").click()
    page.wait_for_url("**/dasbor/wilayah/33/")
    see_chart_and_table(page)
    page.locator("#tabel-wilayah").get_by_role("link", name="Kota Pekalongan").click()
    page.wait_for_url("**/dasbor/wilayah/33.75/")
    see_chart_and_table(page)
    expect(page.locator(".breadcrumb")).to_contain_text("Jawa Tengah")
    expect(page.locator('#tabel-banding [data-of^="p:"][data-key="requests_received"]').first).to_be_attached()

    page.locator("#tabel-banding").get_by_role("link", name="Posyantek Mitra Pantura").click()
    page.wait_for_url("**/dasbor/pos/mitra-pantura/")
    see_chart_and_table(page)
    expect(page.locator('dd[data-key="requests_received"]')).to_have_text("5")
    page.get_by_label("Angka di grafik").select_option("requests_received")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**angka=requests_received**")
    expect(page.locator("#tabel-grafik td").first).to_have_text("5")
    assert_fits(page)
