"""The main path in real Chromium: a citizen on a phone asks for help, an officer handles it, the citizen rates it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.accounts.models import User
from posyantek.consultations.models import ServiceRequest

NARROW = 360
#: The elements that stick out on the right, to say which one breaks the layout.
WIDEST = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 362).slice(0, 5)
  .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))"""
OVERFLOW_TOLERANCE = 2


def assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDEST)
    assert width <= NARROW + OVERFLOW_TOLERANCE, f"page is {width}px wide at a {NARROW}px viewport: {wide}"


def step(page: Page, label: str) -> None:
    """Open the step form `label` under "Langkah berikutnya"."""
    page.locator("#langkah-berikut summary", has_text=label).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_citizen_asks_officer_recommends_refers_closes_citizen_rates(
    transactional_db: Any, live_server: LiveServer, page: Page, officer: User, fish_dryer: Any
) -> None:
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})

    # A citizen on a phone, without an account.
    page.goto("/permohonan/")
    assert_fits(page)
    page.get_by_label("Nama Anda atau kelompok").fill("Bu Sri Wahyuni")
    page.get_by_label("Nomor HP/WhatsApp").fill("0812-3456-7890")
    page.get_by_label("Desa/kelurahan atau kecamatan").press_sequentially("Panjang", delay=20)
    option = page.get_by_role("radio", name="Kelurahan Panjang Wetan")
    expect(option).to_be_visible()  # htmx brought the suggestions in
    option.check()
    page.get_by_label("Apa yang Anda butuhkan, atau apa masalahnya?").fill(
        "Ikan asin cepat busuk saat musim hujan karena susah dijemur"
    )
    page.get_by_label("Bidang").select_option("perikanan")
    page.get_by_label("Komoditas").fill("ikan asin")
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url("**/permohonan/lacak/**")
    code = page.locator("#tracking-code").inner_text()
    req = ServiceRequest.objects.get()
    assert code == req.display_code and req.region_id == "33.75.03.1004"
    tracking_url = page.url.split("?")[0]
    expect(page.locator("#state")).to_have_text("Diterima")
    assert_fits(page)

    # The officer sees it, triages it, gets a catalogue suggestion and recommends it.
    officer_page = page.context.browser.new_page()
    officer_page.set_default_timeout(10_000)
    officer_page.goto(f"{live_server.url}/akun/masuk")
    officer_page.locator("#id_username").fill(officer.email)
    officer_page.locator("#id_password").fill(conftest.PASSWORD)
    officer_page.locator("main form button[type=submit]").click()
    officer_page.wait_for_url(lambda url: "/akun/masuk" not in url)
    officer_page.goto(f"{live_server.url}/layanan/")
    officer_page.get_by_role("link", name=code).click()
    officer_page.wait_for_url(f"**/layanan/{req.pk}/")
    step(officer_page, "Ditelaah")
    form = officer_page.locator("details[open] form")
    form.get_by_label("Jenis layanan").select_option("teknis")
    form.get_by_label("Seksi").select_option("seksi_pelayanan")
    form.get_by_label("Petugas").select_option(str(officer.pk))
    form.get_by_label("Catatan", exact=True).fill("Ditangani seksi pelayanan")
    form.get_by_role("button").click()
    expect(officer_page.locator("#request-state")).to_have_text("Ditelaah")
    expect(officer_page.locator("#saran")).to_contain_text(fish_dryer.name)
    step(officer_page, "Rekomendasi TTG")
    form = officer_page.locator("details[open] form")
    form.get_by_label(fish_dryer.name).check()
    form.get_by_label("Catatan", exact=True).fill("Coba pengering ikan tenaga surya")
    form.get_by_label("Tampilkan catatan ini ke pemohon").check()
    form.get_by_role("button").click()
    expect(officer_page.locator("#request-state")).to_have_text("Rekomendasi TTG")

    # …refers it to a university, and closes it.
    step(officer_page, "Dirujuk")
    form = officer_page.locator("details[open] form")
    form.get_by_label("Dirujuk ke (jenis)").select_option("perguruan_tinggi")
    form.get_by_label("Nama tujuan rujukan").fill("Universitas Pekalongan")
    form.get_by_role("button").click()
    expect(officer_page.locator("#request-state")).to_have_text("Dirujuk")
    step(officer_page, "Selesai")
    form = officer_page.locator("details[open] form")
    form.get_by_label("Hasil").fill("Kampus membuatkan pengering; kelompok memakainya")
    form.get_by_role("button").click()
    expect(officer_page.locator("#request-state")).to_have_text("Selesai")
    wa = officer_page.locator("#wa-link").get_attribute("href") or ""
    assert wa.startswith("https://wa.me/6281234567890?text=")

    # The citizen follows the link later, sees the recommendation and rates the service, once.
    page.goto(tracking_url)
    expect(page.locator("#state")).to_have_text("Selesai")
    expect(page.locator("body")).to_contain_text("Coba pengering ikan tenaga surya")
    expect(page.get_by_role("link", name=fish_dryer.name)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Ditangani seksi pelayanan")  # an internal note
    page.locator("label.rating-option", has_text="5").click()
    page.get_by_label("Komentar (boleh kosong)").fill("Sangat membantu")
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.locator("body")).to_contain_text("Terima kasih atas penilaian Anda")
    expect(page.get_by_role("button", name="Kirim penilaian")).to_have_count(0)
    assert_fits(page)

    # Every step is on the officer's page, with the audit history and the rating.
    officer_page.reload()
    steps = officer_page.locator("#langkah")
    for text in ("Diterima → Ditelaah", "Ditelaah → Rekomendasi TTG", "Rekomendasi TTG → Dirujuk", "Dirujuk → Selesai"):
        expect(steps).to_contain_text(text)
    expect(officer_page.locator("#riwayat")).to_contain_text("Nilai kepuasan")
    expect(officer_page.locator("#request-rating")).to_contain_text("5/5")
