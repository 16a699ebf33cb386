"""The manager's path in real Chromium on a phone: quote, confirm, down payment, invoice, ship; the buyer tracks it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.accounts.models import User
from posyantek.core.tests.conftest import base_url, browser_type_launch_args  # noqa: F401
from posyantek.orders.models import Order, OrderDocument

from .factories import dryer_order

NARROW = 360


def assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW + 2, f"page is {width}px wide at a {NARROW}px viewport"


def action(page: Page, label: str) -> None:
    """Open the action `label` under "Langkah berikutnya"."""
    page.locator("#actions summary", has_text=label).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_quotes_confirms_takes_a_down_payment_invoices_and_ships(
    transactional_db: Any, live_server: LiveServer, page: Page, manager: User, shop: dict[str, Any]
) -> None:
    order = dryer_order(manager, shop, 1)
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})
    page.goto(f"{live_server.url}/akun/masuk")
    page.locator("#id_username").fill(manager.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)

    page.goto(f"{live_server.url}/pesanan/")
    assert_fits(page)
    page.get_by_role("link", name=order.code).click()
    page.wait_for_url(f"**/pesanan/{order.pk}/")
    assert_fits(page)

    page.get_by_role("button", name="Terbitkan surat penawaran").click()
    expect(page.locator("#dokumen")).to_contain_text("PNW/MP-PKL/")
    quote = OrderDocument.objects.get(kind="penawaran")
    pdf = page.request.get(f"{live_server.url}/pesanan/{order.pk}/dokumen/{quote.pk}.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    action(page, "Konfirmasi pesanan")
    page.get_by_label("Ongkos kirim (Rp)").fill("1.500.000")
    page.get_by_label("Uang muka disepakati (Rp)").fill("99.000.000")
    page.get_by_role("button", name="Konfirmasi", exact=True).click()
    expect(page.locator("#actions")).to_contain_text("melebihi total pesanan Rp 14.000.000")  # htmx fragment
    page.get_by_label("Uang muka disepakati (Rp)").fill("5.000.000")
    page.get_by_role("button", name="Konfirmasi", exact=True).click()
    expect(page.locator("#order-state")).to_have_text("Dikonfirmasi")

    action(page, "Catat pembayaran")
    page.get_by_label("Jumlah (Rp)").fill("5.000.000")
    page.get_by_label("Jenis").select_option("uang_muka")
    page.get_by_label("Cara bayar").select_option("transfer")
    page.get_by_role("button", name="Catat pembayaran").click()
    expect(page.locator("#balance")).to_have_text("Rp 9.000.000")

    page.get_by_role("button", name="Terbitkan faktur").click()
    expect(page.locator("#dokumen")).to_contain_text("INV/MP-PKL/")

    action(page, "Ubah ke Siap kirim")
    page.get_by_role("button", name="Ubah ke Siap kirim").click()
    expect(page.locator("#order-state")).to_have_text("Siap kirim")
    action(page, "Ubah ke Dikirim")
    page.get_by_label("Kurir/ekspedisi").fill("Indah Cargo")
    page.get_by_label("Nomor resi").fill("IC-7788")
    page.get_by_role("button", name="Ubah ke Dikirim").click()
    expect(page.locator("#order-state")).to_have_text("Dikirim")
    assert_fits(page)

    order = Order.objects.get(pk=order.pk)
    assert (order.state, order.paid_total, order.tracking_number) == ("dikirim", 5_000_000, "IC-7788")
    buyer = page.context.browser.new_page()
    buyer.set_viewport_size({"width": NARROW, "height": 740})
    buyer.goto(f"{live_server.url}/lacak/{order.code}/")
    expect(buyer.locator("#tracking")).to_contain_text("IC-7788")
    expect(buyer.locator("#balance")).to_have_text("Rp 9.000.000")
    assert_fits(buyer)
