"""The order list on a phone: filters folded unless one is set, the state visible without sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from conftest import login
from posyantek.accounts.models import User
from posyantek.core.tests.conftest import base_url, browser_type_launch_args  # noqa: F401

from .factories import dryer_order

HX = {"HTTP_HX_REQUEST": "true"}
NARROW = 360


def test_filters_are_folded_until_one_is_set(manager, shop) -> None:
    dryer_order(manager, shop, 1)
    c = login(manager)
    html = c.get("/pesanan/").content.decode()
    assert '<details class="card filter-box">' in html and "aktif)" not in html
    html = c.get("/pesanan/?state=permintaan&q=&out_of_province=true").content.decode()
    assert '<details class="card filter-box" open>' in html and "(2 aktif)" in html and "Hapus saringan" in html
    html = c.get("/pesanan/?ordered_from=kemarin").content.decode()  # a wrong filter is never hidden
    assert '<details class="card filter-box" open>' in html


def test_list_fragment_updates_the_filter_count_and_shows_the_state_under_the_code(manager, shop) -> None:
    order = dryer_order(manager, shop, 1)
    html = login(manager).get("/pesanan/?state=permintaan", **HX).content.decode()
    assert "<html" not in html
    assert '<span id="filter-count" hx-swap-oob="true">(1 aktif)</span>' in html
    assert f'{order.code}</a><span class="state-inline"><span class="status">Permintaan' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_sees_the_list_and_each_state_without_scrolling_sideways(
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
    expect(page.get_by_label("Tahap")).to_be_hidden()  # the folded filter form
    code = page.get_by_role("link", name=order.code)
    state = page.locator(".order-table tbody .status:visible")
    expect(state).to_have_text("Permintaan/penawaran")
    for box in (code.bounding_box(), state.bounding_box()):
        assert box and box["x"] + box["width"] <= NARROW and box["y"] + box["height"] <= 740, box

    page.locator(".filter-box summary").click()
    page.get_by_label("Tahap").select_option("permintaan")
    expect(page.locator("#filter-count")).to_have_text("(1 aktif)")
    page.set_viewport_size({"width": 1000, "height": 740})
    expect(page.locator(".order-table thead th", has_text="Tahap")).to_be_visible()
    expect(page.locator(".order-table .state-inline").first).to_be_hidden()
