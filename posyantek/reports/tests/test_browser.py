"""In real Chromium on a 360 px phone: Mitra Pantura's manager makes, verifies and submits its quarterly report; the
Kota Pekalongan officer sees it arrive in /laporan/masuk/ and returns it for revision; the manager sees it returned."""

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
from posyantek.reports.models import Report

NARROW = 360
OVERFLOW_TOLERANCE = 2
NOTE = "Uraian kendala belum diisi; mohon dilengkapi."


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW + OVERFLOW_TOLERANCE, f"{page.url} is {width}px wide at a {NARROW}px viewport"


def _login(page: Page, user: User) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_quarterly_report_submitted_and_returned_on_a_phone(
    transactional_db: Any, live_server: LiveServer, page: Page, manager: User, officer: User, posts: dict[str, Any]
) -> None:
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": NARROW, "height": 740})

    # The manager starts the quarter III report, verifies it as the chair and sends it to the kota.
    _login(page, manager)
    page.goto("/laporan/baru/")
    page.locator("#id_post").select_option(label="Posyantek Mitra Pantura")
    page.get_by_label("Laporan pengelolaan").check()
    page.get_by_label("Tahun").fill("2026")
    page.locator("#id_period").select_option("tw3")
    page.get_by_role("button", name="Buat laporan").click()
    expect(page.locator("#report-state")).to_have_text("Draf")
    _fits(page)
    page.get_by_role("link", name="Ubah uraian").click()
    page.get_by_label("Ringkasan").fill("Layanan konsultasi meningkat; dua kunjungan kerja diterima.")
    page.get_by_role("button", name="Simpan uraian").click()
    expect(page.locator("#uraian")).to_contain_text("dua kunjungan kerja diterima")
    page.locator("#step-verify").click()
    expect(page.locator("#report-state")).to_have_text("Diverifikasi ketua")
    page.get_by_role("button", name="Kirim ke Kota Pekalongan").click()
    expect(page.locator("#report-state")).to_have_text("Dikirim")
    report = Report.objects.get()

    # The Kota Pekalongan officer sees it arrive and returns it with a note.
    _login(page, officer)
    page.goto("/laporan/masuk/")
    waiting = page.locator("#menunggu")
    expect(waiting).to_contain_text("Posyantek Mitra Pantura")
    _fits(page)
    waiting.get_by_role("link", name="Laporan pengelolaan Triwulan III 2026").click()
    page.get_by_label("Catatan perbaikan").fill(NOTE)
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(page.locator("#report-state")).to_have_text("Dikembalikan untuk perbaikan")

    # The manager sees it returned, with the note, and may edit it again.
    _login(page, manager)
    page.goto(f"/laporan/{report.pk}/")
    expect(page.locator("#report-state")).to_have_text("Dikembalikan untuk perbaikan")
    expect(page.locator("#return-note")).to_contain_text(NOTE)
    expect(page.get_by_role("link", name="Ubah uraian")).to_be_visible()
    expect(page.locator("#step-verify")).to_be_visible()
    _fits(page)
