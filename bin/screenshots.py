#!/usr/bin/env python3
"""Take the README's screenshots from a running demo (`make demo`) with Debian's Chromium.

Usage: uv run python bin/screenshots.py [base_url]  → docs/screenshots/*.png
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        desk = browser.new_page(viewport={"width": 1200, "height": 900})
        desk.goto(f"{BASE}/akun/masuk")
        desk.fill("#id_username", "pekalongan@demo.posyantek.id")
        desk.fill("#id_password", "posyantek-demo")
        desk.click("#main button[type=submit]")
        desk.screenshot(path=OUT / "dashboard.png", full_page=True)
        desk.goto(f"{BASE}/pos/?q=mitra")
        desk.click("text=Posyantek Mitra Pantura")
        desk.screenshot(path=OUT / "post-detail.png", full_page=True)
        desk.goto(f"{BASE}/wilayah/33.75.03/")
        desk.screenshot(path=OUT / "region.png", full_page=False)
        phone = browser.new_page(viewport={"width": 360, "height": 760}, device_scale_factor=1)
        phone.goto(f"{BASE}/pos/profil/wartek-panjang-wetan/")
        phone.screenshot(path=OUT / "phone-public-profile.png", full_page=True)
        market_and_money(browser)
        partners_visits_replication(browser)
        contests(browser)
        dashboards_and_reports(browser)
        browser.close()
    print(f"Screenshots in {OUT}")


def log_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{BASE}/akun/masuk")
    page.fill("#id_username", email)
    page.fill("#id_password", "posyantek-demo")
    page.click("#main button[type=submit]")
    page.wait_for_load_state()


def market_and_money(browser: Browser) -> None:
    """The marketplace on a phone, an order, the province's sales analysis and a post's money."""
    phone = browser.new_page(viewport={"width": 360, "height": 760}, device_scale_factor=1)
    phone.goto(f"{BASE}/pasar/")
    phone.screenshot(path=OUT / "phone-market.png", full_page=False)
    desk = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(desk, "mitrapantura@demo.posyantek.id")
    desk.goto(f"{BASE}/pesanan/?state=dikirim")
    desk.locator("table a").first.click()
    desk.wait_for_load_state()
    desk.screenshot(path=OUT / "order-detail.png", full_page=True)
    desk.goto(f"{BASE}/keuangan/")
    desk.get_by_role("link", name="Posyantek Mitra Pantura").first.click()
    desk.wait_for_load_state()
    desk.screenshot(path=OUT / "finance-post.png", full_page=False)
    log_in(desk, "jateng@demo.posyantek.id")
    desk.goto(f"{BASE}/penjualan/")
    desk.screenshot(path=OUT / "sales.png", full_page=False)


def partners_visits_replication(browser: Browser) -> None:
    """An agreement and what it produced, the DKI visit of 2014, a guest signing on a phone, DKI's progress."""
    desk = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(desk, "mitrapantura@demo.posyantek.id")
    desk.goto(f"{BASE}/kemitraan/?state=berjalan")
    desk.locator("table a").first.click()
    desk.wait_for_load_state()
    desk.screenshot(path=OUT / "agreement-detail.png", full_page=False)
    desk.goto(f"{BASE}/kunjungan/?q=DKI")
    desk.locator("table a").first.click()
    desk.wait_for_load_state()
    desk.screenshot(path=OUT / "visit-detail.png", full_page=False)
    desk.goto(f"{BASE}/kunjungan/?state=dijadwalkan")
    guestbooks = []
    for link in desk.locator("table a").all():
        guestbooks.append(link.get_attribute("href"))
    phone = browser.new_page(viewport={"width": 360, "height": 760}, device_scale_factor=1)
    for href in guestbooks:  # the visit whose guest book is open today
        desk.goto(f"{BASE}{href}")
        book = desk.locator("a[href*='buku-tamu/']")
        if book.count():
            href = book.first.get_attribute("href")
            phone.goto(href if href.startswith("http") else f"{BASE}{href}")
            if phone.locator("canvas").count():
                phone.screenshot(path=OUT / "phone-guestbook.png", full_page=False)
                break
    log_in(desk, "dki@demo.posyantek.id")
    desk.goto(f"{BASE}/replikasi/adopsi/")
    desk.locator("table a, main li a").first.click()
    desk.wait_for_load_state()
    desk.screenshot(path=OUT / "replication-progress.png", full_page=False)


def contests(browser: Browser) -> None:
    """A judge's sheet on a tablet (evidence beside the score) and the published 2013 national ranking."""
    tablet = browser.new_page(viewport={"width": 820, "height": 1000}, device_scale_factor=1)
    log_in(tablet, "juri2@demo.posyantek.id")
    tablet.goto(f"{BASE}/lomba/nilai/")
    tablet.locator("main table a, main li a").filter(has_text="Posyantek").first.click()
    tablet.wait_for_load_state()
    tablet.screenshot(path=OUT / "judge-sheet-tablet.png", full_page=False)
    desk = browser.new_page(viewport={"width": 1200, "height": 900})
    desk.goto(f"{BASE}/lomba/")
    desk.get_by_role("link", name="Lomba Posyantek Berprestasi Tingkat Nasional 2013").first.click()
    desk.wait_for_load_state()
    desk.screenshot(path=OUT / "contest-ranking.png", full_page=False)


def dashboards_and_reports(browser: Browser) -> None:
    """The national admin's way down to Kota Pekalongan, a phone's post dashboard, and the city's report inbox."""
    desk = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(desk, "admin@demo.posyantek.id")
    desk.goto(f"{BASE}/dasbor/nasional/")
    desk.get_by_role("link", name="Jawa Tengah").first.click()
    desk.wait_for_load_state()
    desk.get_by_role("link", name="Kota Pekalongan").first.click()
    desk.wait_for_load_state()
    desk.screenshot(path=OUT / "dashboard-kota.png", full_page=False)
    phone = browser.new_page(viewport={"width": 360, "height": 760}, device_scale_factor=1)
    log_in(phone, "mitrapantura@demo.posyantek.id")
    phone.goto(f"{BASE}/dasbor/")
    phone.wait_for_load_state()
    phone.screenshot(path=OUT / "phone-post-dashboard.png", full_page=False)
    log_in(desk, "pekalongan@demo.posyantek.id")
    desk.goto(f"{BASE}/laporan/masuk/")
    desk.wait_for_load_state()
    desk.screenshot(path=OUT / "report-inbox.png", full_page=False)


if __name__ == "__main__":
    main()
