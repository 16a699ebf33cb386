"""In real Chromium on a tablet (820×1180): a judge opens their queue, scores every indicator of a sheet one at a
time with the entrant's evidence beside the form (htmx swaps the panel and the address follows), and locks it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.contests import chain
from posyantek.contests.judging_selectors import rubric_indicators
from posyantek.contests.models import DossierItem, Score, ScoreSheet
from posyantek.core.tests.conftest import (  # noqa: F401 - fixtures and the skip-without-Chromium hook
    base_url,
    browser_type_launch_args,
    pytest_collection_modifyitems,
)

TABLET = {"width": 820, "height": 1180}


def _login(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_judge_scores_a_sheet_on_a_tablet_and_locks_it(
    transactional_db: Any, live_server: LiveServer, page: Page, sheets: list[ScoreSheet], judge1: Any
) -> None:
    sheet = sheets[0]
    indicators = rubric_indicators(sheet.edition.rubric_id)
    DossierItem.objects.create(entry=sheet.entry, indicator=indicators[0],
                               narrative="SK Camat Gambir No. 12/2019 tentang pembentukan Posyantek")  # fmt: skip
    page.set_default_timeout(20_000)
    page.set_viewport_size(TABLET)
    # The live server's first request builds the URL map and the API schema: give it time on a busy machine.
    page.goto("/akun/masuk", timeout=60_000)
    _login(page, judge1.email)
    page.goto("/lomba/nilai/")
    page.get_by_role("link", name=sheet.entry.title).first.click()
    page.wait_for_url(f"**/lomba/nilai/{sheet.pk}/")
    expect(page.locator("#ind-title")).to_contain_text(indicators[0].title)
    expect(page.locator(".evidence")).to_contain_text("SK Camat Gambir No. 12/2019")
    # On the tablet the evidence sits beside the form, not above it.
    evidence = page.locator(".evidence").bounding_box()
    form = page.locator(".score-card").bounding_box()
    assert (
        evidence and form and form["x"] > evidence["x"] + evidence["width"] - 1 and abs(form["y"] - evidence["y"]) < 5
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]

    for k, ind in enumerate(indicators):
        expect(page.locator("#ind-title")).to_contain_text(ind.title)
        page.locator(f".score-option:has(input[value='{1 + k % 4}'])").click()
        if k == 0:
            page.get_by_label("Catatan juri").fill("SK ada dan sah")
            page.get_by_label("Bukti sudah dilihat").check()
        page.get_by_role("button", name="Simpan dan lanjut").click()
        expect(page.locator("#saved")).to_contain_text(f"Skor {ind.code} disimpan")
        expect(page.locator("#sheet-progress")).to_contain_text(f"{k + 1} dari {len(indicators)} indikator dinilai")
        if k == 0:
            # htmx swapped the panel in place and the address follows the indicator shown.
            assert page.url.endswith(f"?i={indicators[1].pk}")
            expect(page.locator(f".strip a.code.scored:has-text('{ind.code}')")).to_have_count(1)
    assert Score.objects.filter(sheet=sheet).count() == len(indicators)
    first = Score.objects.get(sheet=sheet, indicator=indicators[0])
    assert (first.value, first.note, first.evidence_seen) == (1, "SK ada dan sah", True)

    page.locator("summary", has_text="Kirim dan kunci").click()
    page.get_by_role("button", name="Ya, kirim dan kunci").click()
    page.wait_for_url("**/lomba/nilai/")
    expect(page.locator(".messages")).to_contain_text("dikirim dan terkunci")
    sheet.refresh_from_db()
    assert sheet.is_locked
    page.goto(f"/lomba/nilai/{sheet.pk}/")
    expect(page.locator("#kunci")).to_contain_text("sudah dikirim dan terkunci")
    expect(page.get_by_role("button", name="Simpan dan lanjut")).to_have_count(0)
    # On a 360 px phone the read-only sheet fits the width too (evidence first, then the score).
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/lomba/nilai/{sheet.pk}/?i={indicators[0].pk}")
    expect(page.locator(".evidence")).to_contain_text("SK Camat Gambir")
    assert page.evaluate("document.documentElement.scrollWidth") <= 362
    assert chain.verify().ok
