"""In real Chromium on a 360 px phone: the manager records a partner, an agreement with two parties, signs it, links
the Bintek it produced and sees it on the agreement's page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.accounts.models import User
from posyantek.partnerships.models import Agreement, Partner
from posyantek.partnerships.tests.conftest import make_bintek

NARROW = 360
OVERFLOW_TOLERANCE = 2


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW + OVERFLOW_TOLERANCE, f"page is {width}px wide at a {NARROW}px viewport"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_records_a_partner_and_a_signed_agreement_that_gave_a_bintek(
    transactional_db: Any, live_server: LiveServer, page: Page, manager: User, posts: dict[str, Any]
) -> None:
    make_bintek(posts["wartek"], "Bintek Pengeringan Ikan Higienis", participants=27)
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})
    page.goto("/akun/masuk")
    page.locator("#id_username").fill(manager.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)

    # The partner: its kabupaten/kota list comes with the province (htmx).
    page.goto("/kemitraan/mitra/baru")
    page.locator("#id_post").select_option(label="Posyantek Mitra Pantura")
    page.locator("#id_name").fill("Universitas Pekalongan (UNIKAL)")
    page.locator("#id_kind").select_option("perguruan_tinggi")
    page.get_by_label("Provinsi mitra").select_option("33")
    expect(page.locator("#id_regency option", has_text="Kota Pekalongan")).to_have_count(1)
    page.get_by_label("Kabupaten/kota mitra").select_option("33.75")
    page.locator("#id_phone").fill("(0285) 421234")
    _fits(page)
    page.locator("main form button[type=submit]", has_text="Simpan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Universitas Pekalongan (UNIKAL)")
    assert Partner.objects.get().home_region_id == "33.75"

    # The agreement, recorded from the partner's page: the post is preselected and the partner is its second party.
    page.get_by_role("link", name="+ Catat kerja sama").click()
    expect(page.locator("#with-partner")).to_contain_text("Universitas Pekalongan (UNIKAL) dicatat sebagai pihak kedua")
    expect(page.locator("#id_post")).to_have_value(str(posts["mitra"].pk))
    page.locator("#id_title").fill("Pendampingan TTG Pengolahan Ikan")
    page.locator("#id_number").fill("045/MoU/LPPM-UNIKAL/2026")
    page.locator("#id_starts_on").fill("2026-01-10")
    page.locator("#id_ends_on").fill("2029-01-09")
    page.locator("#id_value").fill("150.000.000")
    _fits(page)
    page.locator("main form button[type=submit]", has_text="Simpan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pendampingan TTG Pengolahan Ikan")
    expect(page.locator("#ag-state")).to_have_text("Penjajakan")
    expect(page.locator("#ag-period")).to_have_text("10 Januari 2026 – 9 Januari 2029")
    expect(page.locator("dl.facts")).to_contain_text("Rp 150.000.000")
    expect(page.locator("#parties tr")).to_have_count(2)
    # A party is not offered twice: UNIKAL is listed but cannot be picked again.
    page.locator("#pihak summary", has_text="Tambah pihak").click()
    expect(page.locator("#pihak #id_partner option[disabled]")).to_have_text("Universitas Pekalongan (UNIKAL) "
                                                                            "(sudah menjadi pihak)")  # fmt: skip
    expect(page.locator("#pihak input[name=is_post]")).to_have_count(0)
    page.locator("#parties tr", has_text="UNIKAL").get_by_role("link", name="Ubah").click()
    page.locator("#id_signatory_title").fill("Rektor")
    page.locator("main form button[type=submit]", has_text="Simpan").click()
    expect(page.locator("#parties")).to_contain_text("Rektor")

    # Draft, then signed on a date.
    page.get_by_role("button", name="Lanjut ke: Draf").click()
    expect(page.locator("#ag-state")).to_have_text("Draf")
    page.locator("#step-ditandatangani-signed").fill("2026-01-10")
    _fits(page)
    page.get_by_role("button", name="Lanjut ke: Ditandatangani").click()
    expect(page.locator("#ag-state")).to_have_text("Ditandatangani")
    expect(page.locator("#steps li")).to_have_count(3)

    # The Bintek it produced, shown with its dates and participants.
    page.locator("#tambah-bintek summary").click()
    page.locator("#id_hasil-bintek-bintek").select_option(label="Bintek Pengeringan Ikan Higienis (10 April 2026)")
    page.locator("#tambah-bintek button[type=submit]").click()
    row = page.locator("#r-bintek tbody tr")
    expect(row).to_contain_text("Bintek Pengeringan Ikan Higienis")
    expect(row).to_contain_text("10 April 2026")
    expect(row).to_contain_text("27")
    expect(page.locator("#result-counts")).to_contain_text("Bintek diberikan")
    _fits(page)
    ag = Agreement.objects.get()
    assert (
        ag.state == "ditandatangani" and ag.parties.count() == 2 and ag.results.get().bintek.participants.count() == 27
    )
