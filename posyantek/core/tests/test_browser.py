"""One end-to-end path in a real browser: a post manager edits the post's phone and sees it recorded.

Runs in Debian's Chromium (see this folder's conftest.py) against pytest-django's live server, so the
login form, CSRF, the edit form, the redirect and the history section are exercised as a user meets them.
"""

from __future__ import annotations

from typing import Any

import pytest
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
