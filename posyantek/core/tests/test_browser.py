"""End-to-end paths in a real browser: a manager edits the post's phone; a visitor finds a technology on a phone.

Runs in Debian's Chromium (see this folder's conftest.py) against pytest-django's live server, so the
login form, CSRF, the edit form, the redirect and the history section are exercised as a user meets them.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.accounts.models import User
from posyantek.posts.models import Post

NEW_PHONE = "0812-3456-7890"
#: The narrowest phone screen the layout must fit without horizontal scrolling.
NARROW = 360
#: Sub-pixel rounding may add a pixel or two.
OVERFLOW_TOLERANCE = 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_edits_phone_and_sees_history(
    transactional_db: Any, live_server: LiveServer, page: Page, manager: User, posts: dict[str, Post]
) -> None:
    """Log in, edit Mitra Pantura's phone, see the new number and the change in the history."""
    page.set_default_timeout(10_000)
    post = posts["mitra"]
    old_phone = post.phone
    post_url = f"{live_server.url}/pos/{post.pk}/"

    page.goto("/akun/masuk")
    page.locator("#id_username").fill(manager.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)

    page.goto(post_url)
    expect(page.locator("#post-phone")).to_have_text(old_phone)
    # The stylesheet is served: the header carries the brand green.
    expect(page.locator("header.top")).to_have_css("background-color", "rgb(11, 110, 79)")

    page.get_by_role("link", name="Ubah", exact=True).click()
    page.wait_for_url(f"{post_url}ubah")
    page.locator("#id_phone").fill(NEW_PHONE)
    page.get_by_role("button", name="Simpan", exact=True).click()

    page.wait_for_url(post_url)
    expect(page.locator("#post-phone")).to_have_text(NEW_PHONE)
    history = page.locator("#riwayat")
    expect(history).to_contain_text("Telepon/WhatsApp")
    expect(history).to_contain_text(f"{old_phone} → {NEW_PHONE}")
    post.refresh_from_db()
    assert post.phone == NEW_PHONE

    page.set_viewport_size({"width": NARROW, "height": 740})
    page.reload()
    expect(page.locator("#post-phone")).to_have_text(NEW_PHONE)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= NARROW + OVERFLOW_TOLERANCE, f"page is {scroll_width}px wide at a {NARROW}px viewport"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_on_a_phone_finds_shares_and_downloads_a_technology(
    transactional_db: Any, live_server: LiveServer, page: Page, manager: User, posts: dict[str, Post]
) -> None:
    """On a 360 px phone: type "pengeringan ikan", open the fish dryer, share it on WhatsApp, get its PDF."""
    from posyantek.catalog import ttg_services

    ttg = ttg_services.ttg_create(actor=manager, data={
        "name": "Alat Pengering Ikan Tenaga Surya", "post": posts["mitra"], "sector": "perikanan", "aspect": "pangan",
        "problem": "Ikan asin busuk saat musim hujan", "function": "Mengeringkan ikan dengan panas matahari",
        "how_it_works": "Udara panas dari kolektor surya", "price": 3_500_000})  # fmt: skip
    ttg_services.ttg_create(actor=manager, data={
        "name": "Perajang Singkong", "post": posts["mitra"], "sector": "pertanian", "aspect": "pangan",
        "problem": "Merajang singkong lama", "function": "Merajang", "how_it_works": "Pisau putar"})  # fmt: skip
    photo = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 200)).save(photo, "JPEG")
    upload = SimpleUploadedFile("pengering.jpg", photo.getvalue(), content_type="image/jpeg")
    ttg_services.ttg_photo_add(actor=manager, ttg=ttg, upload=upload, caption="Tampak depan")
    ttg_services.ttg_publish(actor=manager, ttg=ttg)
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})

    page.goto("/katalog/")
    page.get_by_role("searchbox").press_sequentially("pengeringan ikan", delay=20)
    # htmx swaps the results in as one types; the address follows so the search can be shared or reloaded.
    card = page.locator("#results").get_by_role("link", name="Alat Pengering Ikan Tenaga Surya")
    expect(card).to_be_visible()
    expect(page.locator("#results mark").first).to_be_visible()
    page.wait_for_url(lambda url: "q=pengeringan" in url)
    card.click()
    page.wait_for_url(f"**{ttg.get_public_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alat Pengering Ikan Tenaga Surya")
    expect(page.locator("body")).to_contain_text("Rp 3.500.000")

    share = page.get_by_role("link", name="Bagikan lewat WhatsApp")
    href = share.get_attribute("href") or ""
    assert href.startswith("https://wa.me/?text=") and ttg.slug in href

    sheet = page.get_by_role("link", name="Unduh lembar spesifikasi (PDF)")
    response = page.request.get(live_server.url + (sheet.get_attribute("href") or ""))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= NARROW + OVERFLOW_TOLERANCE, f"page is {scroll_width}px wide at a {NARROW}px viewport"
