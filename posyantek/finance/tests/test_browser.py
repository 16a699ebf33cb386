"""In real Chromium on a 360 px phone: every money page fits the screen; wide tables scroll inside their box."""

from __future__ import annotations

import datetime as dt
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_treasurer_records_reverses_closes_and_prints_province_compares(
    transactional_db: Any, live_server: LiveServer, page: Page, full: dict[str, Any], manager: User, treasurer: User
) -> None:
    """The issue's main flow: the Mitra Pantura treasurer records income and spending (a wrong amount is refused),
    reverses a wrong entry; the manager closes a month and prints the realisation report and the LPJ; the
    Jawa Tengah officer sees Pekalongan's absorption next to the other posts."""
    from posyantek.finance.models import Entry, MonthClose
    from posyantek.finance.tests.conftest import account

    post = full["post"]
    cash = Entry.objects.filter(post=post).first().cash_account
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})
    _log_in(page, treasurer)
    page.goto(f"/keuangan/pos/{post.pk}/")
    page.get_by_role("link", name="+ Catat entri kas").click()

    def fill_entry(kind: str, code: str, amount: str, what: str) -> None:
        page.get_by_label("Jenis").select_option(kind)
        page.get_by_label("Sumber dana").select_option("apbd_kabkota")
        page.get_by_label("Akun").select_option(str(account(code).pk))
        page.get_by_label("Kas/rekening").select_option(str(cash.pk))
        page.get_by_label("Jumlah (Rp)").fill(amount)
        page.get_by_label("Uraian").fill(what)
        page.get_by_role("button", name="Catat", exact=True).click()

    fill_entry("masuk", "4.3", "5.000.000", "Transfer APBD termin II")
    expect(page.locator("main")).to_contain_text("Rp 5.000.000")
    page.goto(f"/keuangan/pos/{post.pk}/kas/baru")
    fill_entry("keluar", "5.3", "1.5", "Konsumsi rapat")  # "1.5" is not Rp 15
    expect(page.locator("main")).to_contain_text("Tulis rupiah bulat tanpa sen")
    assert not Entry.objects.filter(description="Konsumsi rapat").exists()
    page.get_by_label("Jumlah (Rp)").fill("750.000")
    page.get_by_role("button", name="Catat", exact=True).click()
    expect(page.locator("main")).to_contain_text("Rp 750.000")
    wrong = Entry.objects.get(description="Konsumsi rapat")
    page.get_by_label("Alasan pembatalan").fill("Salah sumber dana")
    page.get_by_role("button", name="Catat pembatalan").click()
    expect(page.locator("main")).to_contain_text("Pembalikan entri")
    assert Entry.objects.filter(reverses=wrong).count() == 1
    assert_fits(page)

    page.context.clear_cookies()
    _log_in(page, manager)
    page.goto(f"/keuangan/pos/{post.pk}/")
    assert_fits(page)
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    page.get_by_label("Bulan").fill(last_month)
    page.get_by_role("button", name="Tutup bulan ini").click()
    expect(page.locator("#tutup-buku")).not_to_contain_text("Belum ada bulan yang ditutup")
    assert MonthClose.objects.filter(post=post).exists()
    year = timezone.localdate().year
    for url in (f"/keuangan/pos/{post.pk}/realisasi?dari={year}-01-01&sampai={year}-12-31&format=pdf",
                f"/keuangan/hibah/{full['grant'].pk}/lpj.pdf"):  # fmt: skip
        pdf = page.request.get(url)
        assert pdf.ok and pdf.body().startswith(b"%PDF"), url

    page.context.clear_cookies()
    jateng = conftest.make_user("jateng@example.id", ("province_officer", "33"))
    _log_in(page, jateng)
    page.goto(f"/keuangan/realisasi/?wilayah=33&tahun={year}")
    expect(page.locator("main")).to_contain_text("Posyantek Mitra Pantura")
    expect(page.locator("main")).to_contain_text("%")


def _log_in(page: Page, user: User) -> None:
    page.goto("/akun/masuk")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)


def assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW + OVERFLOW_TOLERANCE, f"page is {width}px wide at a {NARROW}px viewport"
