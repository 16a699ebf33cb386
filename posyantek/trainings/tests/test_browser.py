"""In real Chromium on a 360 px phone: the Panjang Wetan Bintek shows attendance, a certificate that verifies, outcomes.

The data is the demo loader's (posyantek/trainings/demo.py), made through the services as load_demo makes it.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.accounts.models import User
from posyantek.trainings.demo import load_trainings
from posyantek.trainings.models import Bintek

NARROW = 360
OVERFLOW_TOLERANCE = 2


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW + OVERFLOW_TOLERANCE, f"page is {width}px wide at a {NARROW}px viewport"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_panjang_wetan_bintek_on_a_phone(
    transactional_db: Any, live_server: LiveServer, page: Page, admin: User, staff: User, posts: dict[str, Any]
) -> None:
    """Log in as the Wartek's staff, open the Bintek at 360 px: attendance, outcomes, then verify a certificate."""
    load_trainings(admin, random.Random(2014), timezone.localdate())
    bintek = Bintek.objects.get(region_id="33.75.03.1004")
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})

    page.goto("/akun/masuk")
    page.locator("#id_username").fill(staff.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)

    page.goto(f"/bintek/{bintek.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(bintek.title)
    expect(page.locator("#bintek-state")).to_have_text("Dievaluasi")
    expect(page.locator("#hasil-hadir")).to_contain_text("27/30")
    expect(page.locator("#hasil-sertifikat")).to_contain_text("27")
    outcomes = page.locator("#outcomes")
    expect(outcomes).to_contain_text("6 bulan")
    expect(outcomes).to_contain_text("Rp 2.100.000")
    expect(page.locator("#income-change")).to_contain_text("+Rp 950.000")
    _fits(page)

    page.get_by_role("link", name="Peserta", exact=True).first.click()
    page.wait_for_url(f"**/bintek/{bintek.pk}/peserta/")
    _fits(page)
    holder = bintek.participants.filter(certificate_code__isnull=False).order_by("number").first()
    page.get_by_role("link", name=holder.certificate_code).click()
    page.wait_for_url(f"**/pelatihan/sertifikat/{holder.certificate_code}/")
    expect(page.locator("#certificate")).to_contain_text("Sertifikat ini sah")
    expect(page.locator("#cert-name")).to_have_text(holder.name)
    expect(page.locator("#cert-title")).to_have_text(bintek.title)
    _fits(page)
    response = page.request.get(f"{live_server.url}/pelatihan/sertifikat/{holder.certificate_code}/pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
