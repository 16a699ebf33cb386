"""In real Chromium on a 360 px phone: the DKI province officer opens the adoption's progress page and sees each
post's progress; the Gambir post's staff ticks a step that asks for evidence (refused without it, then with a PDF),
and the officer sees the post move."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.core.tests.conftest import (  # noqa: F401 - fixtures and the skip-without-Chromium hook
    base_url,
    browser_type_launch_args,
    pytest_collection_modifyitems,
)
from posyantek.replication import adoption_services
from posyantek.replication.models import ChecklistTick
from posyantek.replication.tests.conftest import make_kit

NARROW = 360
OVERFLOW_TOLERANCE = 2
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW + OVERFLOW_TOLERANCE, f"page is {width}px wide at a {NARROW}px viewport"


def _login(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dki_follows_its_posts_and_a_post_ticks_with_evidence(
    transactional_db: Any, live_server: LiveServer, page: Page, manager: Any, outsider: Any, regions: Any,
    posts: Any, sawah_besar: Any, gambir_staff: Any, tmp_path: Path,
) -> None:  # fmt: skip
    kit = make_kit(manager, posts["mitra"])
    adoption = adoption_services.adoption_create(actor=outsider, data={"kit": kit, "region": regions["31"],
                                                                       "started_on": dt.date(2014, 10, 1)})  # fmt: skip
    other = adoption.posts.get(post=sawah_besar)
    for step in kit.items.filter(source__in=["produk", "mitra", "layanan"]):
        adoption_services.tick(actor=outsider, adoption_post=other, item=step, done_on=dt.date(2015, 1, 5))
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})

    # The province officer sees every post's progress on one page.
    _login(page, outsider.email)
    page.goto("/replikasi/adopsi/")
    page.get_by_role("link", name=adoption.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(adoption.name)
    table = page.locator("#progress")
    expect(table.locator("tr", has_text="Posyantek Sawah Besar")).to_contain_text("3/12 · 25%")
    expect(table.locator("tr", has_text="Posyantek Gambir")).to_contain_text("0/12 · 0%")
    expect(page.locator("#s-average")).to_contain_text("13%")  # 3 of 24 steps, rounded as a spreadsheet does
    _fits(page)
    # Every column of the progress table shows on the phone, with no sideways scrolling inside the table either.
    wrap = page.evaluate("(() => { const w = document.querySelector('#progress').parentElement;"
                         " return [w.scrollWidth, w.clientWidth]; })()")  # fmt: skip
    assert wrap[0] <= wrap[1], f"the progress table is {wrap[0]}px wide in a {wrap[1]}px box"
    sawah = table.locator("tr", has_text="Posyantek Sawah Besar")
    # ...as one card per post: the name and the bar across the phone's width, not squeezed into columns.
    bar = sawah.locator("td.bar-cell").bounding_box()
    assert bar is not None and bar["width"] >= 0.8 * NARROW, bar
    sawah.scroll_into_view_if_needed()
    expect(sawah.locator("td.last")).to_be_in_viewport(ratio=1)
    expect(sawah.locator("td.last")).to_contain_text("5 Januari 2015")
    page.get_by_label("Progres", exact=True).select_option("nol")
    page.get_by_role("button", name="Terapkan").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Posyantek Gambir")

    # The Gambir post's staff ticks "AD/ART" from its own list: refused without evidence, then with a PDF.
    _login(page, gambir_staff.email)
    page.goto("/replikasi/saya/")
    page.get_by_role("link", name="Posyantek Gambir").click()
    expect(page.locator("#post-progress")).to_contain_text("0 dari 12 langkah (0%)")
    step = kit.items.get(title__startswith="AD/ART")
    row = page.locator(f"#langkah-{step.pk}")
    row.locator("summary", has_text="Centang langkah ini").click()
    row.get_by_role("button", name="Centang").click()
    expect(page.locator(f"#langkah-{step.pk} .field-error")).to_contain_text("wajib disertai bukti")
    expect(page.locator(f"#langkah-{step.pk} .error-summary")).to_be_in_viewport()  # back at the step, not the top
    assert not ChecklistTick.objects.filter(item=step).exists()
    _fits(page)
    evidence = tmp_path / "AD-ART Posyantek Gambir.pdf"
    evidence.write_bytes(PDF)
    row = page.locator(f"#langkah-{step.pk}")
    row.get_by_label("Berkas bukti (PDF, JPG, PNG)").set_input_files(str(evidence))
    row.get_by_label("Keterangan bukti (nomor dokumen, tautan)").fill("Disahkan musyawarah anggota 3 Maret 2015")
    row.get_by_role("button", name="Centang").click()
    expect(page.locator(f"#langkah-{step.pk}")).to_contain_text("Tercapai")
    expect(page.locator("#post-progress")).to_contain_text("1 dari 12 langkah (8%)")
    expect(page.locator(f"#langkah-{step.pk}").get_by_role("link", name="Unduh berkas bukti")).to_be_visible()
    tick = ChecklistTick.objects.get(item=step)
    assert tick.evidence_file.name.endswith(".pdf") and tick.ticked_by == gambir_staff
    _fits(page)

    # Back at the province: Gambir has moved.
    _login(page, outsider.email)
    page.goto(adoption.get_absolute_url())
    expect(page.locator("#progress tr", has_text="Posyantek Gambir")).to_contain_text("1/12 · 8%")
