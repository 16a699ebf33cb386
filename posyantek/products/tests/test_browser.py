"""The issue's main flow in real Chromium on a phone.

A buyer in Makassar orders from two posts at once and gets two orders with tracking links; the Mitra Pantura
manager quotes, confirms with a down payment, records it, prints the quote and invoice PDFs and ships; the
Jawa Tengah officer sees the sale as out-of-province.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.accounts.models import User
from posyantek.orders.models import Order
from posyantek.products.models import Product

NARROW = 360


def assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW + 2, f"page is {width}px wide at a {NARROW}px viewport"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_buyer_in_makassar_orders_from_two_posts_manager_ships_province_sees_it(
    transactional_db: Any, live_server: LiveServer, page: Page, shop: dict[str, Product], manager: User
) -> None:
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})
    page.goto("/pasar/")
    assert_fits(page)
    page.get_by_role("link", name="Canting Batik Elektrik").click()
    assert_fits(page)
    page.get_by_label("Jumlah (buah)").fill("2")
    page.get_by_role("button", name="Masukkan keranjang").click()
    expect(page.locator("#cart-status")).to_contain_text("masuk keranjang")  # htmx, no page load
    expect(page.locator("#cart-count")).to_have_text("1")

    page.goto("/pasar/?post=wartek-panjang-wetan")
    page.get_by_role("link", name="Kerupuk Ikan Panjang Wetan").click()
    page.get_by_label("Jumlah (bungkus)").fill("10")
    page.get_by_role("button", name="Masukkan keranjang").click()
    expect(page.locator("#cart-count")).to_have_text("2")

    page.get_by_role("link", name="Lihat keranjang dan pesan").click()
    assert_fits(page)
    expect(page.get_by_text("Total: Rp 800.000")).to_be_visible()
    page.get_by_role("link", name="Lanjut pesan").click()
    page.get_by_label("Nama pemesan").fill("Andi Makkasau")
    page.get_by_label("Nomor HP/WhatsApp").fill("0812-3456-7890")
    page.get_by_label("Alamat kirim").fill("Jl. Penghibur No. 12, Losari, Makassar")
    page.get_by_label("Provinsi").select_option(label="Sulawesi Selatan")
    expect(page.get_by_label("Kabupaten/kota")).to_contain_text("Kota Makassar")  # htmx filled the next level
    settled(page)
    page.get_by_label("Kabupaten/kota").select_option(label="Kota Makassar")
    expect(page.get_by_label("Kecamatan (boleh kosong)")).to_contain_text("Mariso")
    settled(page)
    assert_fits(page)
    page.get_by_role("button", name="Kirim pesanan").click()
    page.wait_for_url("**/pasar/pesan/terkirim")
    assert_fits(page)
    orders = list(Order.objects.all())
    assert len(orders) == 2 and all(o.out_of_province and o.buyer_region_id == "73.71" for o in orders)
    for o in orders:
        expect(page.get_by_role("link", name=f"{live_server.url}/lacak/{o.code}/")).to_be_visible()
    expect(page.get_by_text("luar provinsi").first).to_be_visible()

    # The Mitra Pantura manager handles the canting order.
    mitra_order = next(o for o in orders if o.post.slug == "mitra-pantura")
    log_in(page, manager)
    page.goto(f"/pesanan/{mitra_order.pk}/")
    assert_fits(page)
    page.get_by_role("button", name="Terbitkan surat penawaran").click()
    expect(page.locator("#dokumen")).to_contain_text("PNW/MP-PKL/")
    page.locator("#actions summary", has_text="Konfirmasi pesanan").click()
    page.get_by_label("Ongkos kirim (Rp)").fill("150.000")
    page.get_by_label("Uang muka disepakati (Rp)").fill("200.000")
    page.get_by_role("button", name="Konfirmasi", exact=True).click()
    expect(page.locator("#order-state")).to_have_text("Dikonfirmasi")
    page.locator("#actions summary", has_text="Catat pembayaran").click()
    page.get_by_label("Jumlah (Rp)").fill("200.000")
    page.get_by_label("Jenis").select_option("uang_muka")
    page.get_by_label("Cara bayar").select_option("transfer")
    page.get_by_role("button", name="Catat pembayaran").click()
    expect(page.locator("#balance")).to_have_text("Rp 500.000")  # 2 × 275.000 + 150.000 shipping − 200.000
    page.get_by_role("button", name="Terbitkan faktur").click()
    expect(page.locator("#dokumen")).to_contain_text("INV/MP-PKL/")
    for doc in mitra_order.documents.all():
        pdf = page.request.get(f"/pesanan/{mitra_order.pk}/dokumen/{doc.pk}.pdf")
        assert pdf.ok and pdf.body().startswith(b"%PDF"), doc.number
    page.locator("#actions summary", has_text="Ubah ke Siap kirim").click()
    page.get_by_role("button", name="Ubah ke Siap kirim").click()
    expect(page.locator("#order-state")).to_have_text("Siap kirim")
    page.locator("#actions summary", has_text="Ubah ke Dikirim").click()
    page.get_by_label("Kurir/ekspedisi").fill("JNE")
    page.get_by_label("Nomor resi").fill("JNE-0099")
    page.get_by_role("button", name="Ubah ke Dikirim").click()
    expect(page.locator("#order-state")).to_have_text("Dikirim")
    assert_fits(page)

    # The Jawa Tengah province officer sees the sale, all of it out of the province, bought from Sulawesi Selatan.
    jateng = conftest.make_user("jateng@example.id", ("province_officer", "33"))
    page.context.clear_cookies()
    log_in(page, jateng)
    page.goto("/penjualan/")
    assert_fits(page)
    expect(page.locator("main")).to_contain_text("Sulawesi Selatan")
    expect(page.locator("main")).to_contain_text("100,0 %")
    expect(page.locator("main")).to_contain_text("Rp 550.000")


def settled(page: Page) -> None:
    """Wait until htmx has finished swapping the region fields: a change made while it settles is not sent."""
    expect(page.locator("#region-pick")).not_to_have_class(re.compile(r"htmx-(request|swapping|settling)"))


def log_in(page: Page, user: User) -> None:
    page.goto("/akun/masuk")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)
