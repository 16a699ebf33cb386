"""The issue's main flow in real Chromium: the DKI organiser opens the Jakarta Pusat edition; two judges score
Posyantek Gambir on a tablet-sized window, one indicator at a time, and lock their sheets; the organiser moves the
edition to the plenary, computes, publishes; the winner appears in DKI Jakarta's provincial edition with its dossier,
and the public can see how its score was computed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.contests import chain, judging_services
from posyantek.contests.judging_selectors import rubric_indicators
from posyantek.contests.models import DossierItem, Edition, Entry, Panel, PanelJudge, ScoreSheet, Stage
from posyantek.contests.tests.conftest import make_edition, make_entry
from posyantek.core.tests.conftest import (  # noqa: F401 - fixtures and the skip-without-Chromium hook
    base_url,
    browser_type_launch_args,
    pytest_collection_modifyitems,
)

TABLET = {"width": 820, "height": 1180}
NARRATIVE = "SK Camat Gambir No. 12/2019 tentang pembentukan Posyantek, dengan rincian tugas tiap unsur."


def _login(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)


def _score_in_browser(page: Page, sheet: ScoreSheet, indicators: list[Any], value: int) -> None:
    """A judge scores every indicator of the sheet on the tablet and locks it."""
    _login(page, sheet.judge.user.email)
    page.goto("/lomba/nilai/")
    page.get_by_role("link", name=sheet.entry.title).first.click()
    page.wait_for_url(f"**/lomba/nilai/{sheet.pk}/**")
    expect(page.locator(".evidence")).to_contain_text("SK Camat Gambir No. 12/2019")
    for k, ind in enumerate(indicators):
        expect(page.locator("#ind-title")).to_contain_text(ind.title)
        page.locator(f".score-option:has(input[value='{value if k % 3 else 4}'])").click()
        page.get_by_role("button", name="Simpan dan lanjut").click()
        expect(page.locator("#sheet-progress")).to_contain_text(f"{k + 1} dari {len(indicators)} indikator dinilai")
    page.locator("summary", has_text="Kirim dan kunci").click()
    page.get_by_role("button", name="Ya, kirim dan kunci").click()
    page.wait_for_url("**/lomba/nilai/")
    expect(page.locator(".messages")).to_contain_text("dikirim dan terkunci")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dki_runs_a_kota_edition_to_a_forwarded_winner(
    transactional_db: Any, live_server: LiveServer, page: Page, rubric: Any, edition: Edition, organiser: Any,
    dki: dict[str, Any], judge1: Any, judge2: Any,
) -> None:  # fmt: skip
    # Jakarta Pusat's kota edition, in field verification, forwarding its winner to the provincial `edition`.
    pusat = make_edition(rubric, level="kabkota", region="31.71", state=Edition.State.FIELD, forward_count=1,
                         name="Lomba Posyantek Berprestasi Kota Jakarta Pusat 2026",
                         decree_number="e-0101/2026")  # fmt: skip
    gambir = make_entry(pusat, dki["gambir"], state=Entry.State.PASSED)
    cempaka = make_entry(pusat, dki["cempaka"], state=Entry.State.PASSED)
    indicators = rubric_indicators(rubric.pk)
    DossierItem.objects.create(entry=gambir, indicator=indicators[0], narrative=NARRATIVE)
    panel = Panel.objects.create(edition=pusat, stage=Stage.FIELD, name="Tim Verifikasi Lapangan")
    PanelJudge.objects.create(panel=panel, user=judge1, institution="BRIN", home_region_id="31.75", is_chair=True)
    PanelJudge.objects.create(panel=panel, user=judge2, institution="Universitas Indonesia")
    assert judging_services.assign(actor=organiser, edition=pusat, stage=Stage.FIELD)["created"] == 4
    # Cempaka Putih's sheets were scored earlier (lower), through the same services.
    for sheet in ScoreSheet.objects.filter(entry=cempaka).select_related("judge__user", "edition"):
        for ind in indicators:
            judging_services.save_score(actor=sheet.judge.user, sheet=sheet, indicator=ind, value=2)
        judging_services.lock_sheet(actor=sheet.judge.user, sheet=sheet)

    page.set_default_timeout(20_000)
    page.goto("/akun/masuk", timeout=60_000)  # the first request builds the URL map and the API: be patient
    page.set_viewport_size(TABLET)

    # The organiser opens the edition and sees both entries and the judging progress.
    _login(page, organiser.email)
    page.goto("/lomba/kelola/")
    page.get_by_role("link", name=pusat.name).click()
    expect(page.locator("main")).to_contain_text("Posyantek Gambir")
    page.goto(f"/lomba/kelola/{pusat.pk}/penilaian/")
    expect(page.locator("main")).to_contain_text(judge1.full_name)

    # Two judges score Gambir on the tablet.
    for judge, value in ((judge1, 3), (judge2, 4)):
        sheet = ScoreSheet.objects.select_related("judge__user", "entry").get(entry=gambir, judge__user=judge)
        _score_in_browser(page, sheet, indicators, value)
    assert ScoreSheet.objects.filter(edition=pusat, state=ScoreSheet.State.LOCKED).count() == 4

    # The organiser moves to the plenary, computes and publishes.
    _login(page, organiser.email)
    page.goto(f"/lomba/kelola/{pusat.pk}/")
    state_form = page.locator(f"form[action='/lomba/kelola/{pusat.pk}/tahap']")
    state_form.locator("select").select_option(Edition.State.PLENARY)
    page.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(f"/lomba/kelola/{pusat.pk}/hasil/")
    page.get_by_role("button", name="Hitung hasil dari lembar nilai terkunci").click()
    expect(page.locator("main table").first).to_contain_text("Posyantek Gambir")
    page.get_by_role("link", name="Umumkan hasil…").click()
    page.get_by_label("Saya yakin", exact=False).check()
    page.get_by_role("button", name="Umumkan hasil").click()
    expect(page.locator(".messages")).to_be_visible()
    pusat.refresh_from_db()
    assert pusat.is_published and pusat.results.get(rank=1).entry == gambir

    # The winner is now an entry of the provincial edition, with its dossier.
    forwarded = Entry.objects.get(edition=edition, forwarded_from=gambir)
    page.goto(f"/lomba/kelola/{edition.pk}/")
    expect(page.locator("main")).to_contain_text("Posyantek Gambir")
    page.goto(f"/lomba/peserta/{forwarded.pk}/")
    expect(page.locator("main")).to_contain_text(NARRATIVE)
    expect(page.locator("main")).to_contain_text("e-0101/2026")

    # Anyone can see the published ranking and how the winner's score was computed.
    page.context.clear_cookies()
    page.goto(f"/lomba/{pusat.pk}/")
    expect(page.locator("main")).to_contain_text("Posyantek Gambir")
    page.goto(f"/lomba/{pusat.pk}/nilai/{gambir.pk}/")
    expect(page.locator("main")).to_contain_text(judge1.full_name)
    assert chain.verify().ok
