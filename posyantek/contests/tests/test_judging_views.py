"""Judging pages: panels and progress (organisers only: an outsider gets 404, a post manager 403), a judge's queue
and sheet (another judge's sheet is 404), one indicator at a time with the evidence beside the form, htmx fragments,
locking, declaring a conflict, evidence files, exports."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from posyantek.contests import judging_services as services
from posyantek.contests.judging_selectors import rubric_indicators
from posyantek.contests.models import Conflict, DossierFile, DossierItem, Panel, PanelJudge, Score, ScoreSheet, Stage

HX = {"HTTP_HX_REQUEST": "true"}


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(f"contests:{name}", args=args)


def _score_all(user: Any, sheet: ScoreSheet, value: int = 3) -> None:
    for ind in rubric_indicators(sheet.edition.rubric_id):
        services.save_score(actor=user, sheet=sheet, indicator=ind, value=value, note="catatan-rahasia-juri")


# --------------------------------------------------------------------------------------------- organiser pages


@pytest.mark.parametrize("name", ["panel_list", "judging_progress"])
def test_organiser_pages_scope(name: str, sheets: Any, organiser: Any, officer: Any, gambir_manager: Any,
                               judge1: Any, viewer: Any) -> None:  # fmt: skip
    edition = sheets[0].edition
    url = _url(name, edition.pk)
    assert login(officer).get(url).status_code == 404
    assert login(viewer).get(url).status_code == 404
    assert login(gambir_manager).get(url).status_code == 403
    assert login(judge1).get(url).status_code == 403
    assert login(organiser).get(url).status_code == 200


def test_panel_list_shows_judges_and_conflicts(sheets: Any, organiser: Any, judge_pusat: Any,
                                               django_assert_max_num_queries: Any) -> None:  # fmt: skip
    edition = sheets[0].edition
    seat = PanelJudge.objects.create(panel=sheets[0].judge.panel, user=judge_pusat, home_region_id="31.71")
    services.assign(actor=organiser, edition=edition, stage=Stage.FIELD)
    c = login(organiser)
    with django_assert_max_num_queries(25):
        r = c.get(_url("panel_list", edition.pk))
    body = r.content.decode()
    assert "juri1@example.id" in body and "Sudin PPAPP Jakarta Timur" in body and "juri-pusat@example.id" in body
    assert "Juri berasal dari kabupaten/kota yang sama" in body
    assert _url("judge_remove", edition.pk, seat.pk) in body


def test_panel_create_and_judge_add(edition: Any, organiser: Any, gambir_manager: Any, officer: Any,
                                    judge1: Any, dki: Any) -> None:  # fmt: skip
    c = login(organiser)
    assert c.get(_url("panel_create", edition.pk)).status_code == 405
    assert login(gambir_manager).post(_url("panel_create", edition.pk), {"stage": "administrasi"}).status_code == 403
    assert login(officer).post(_url("panel_create", edition.pk), {"stage": "administrasi"}).status_code == 404
    r = c.post(_url("panel_create", edition.pk), {"stage": "administrasi", "name": "Tim Admin"})
    assert r.status_code == 302
    panel = Panel.objects.get(edition=edition)
    data = {"panel": panel.pk, "email": judge1.email, "home_region": "99.99", "institution": "BRIN"}
    r = c.post(_url("judge_add", edition.pk), data)
    assert r.status_code == 422 and "Kode wilayah 99.99 tidak dikenal" in r.content.decode()
    r = c.post(_url("judge_add", edition.pk), data | {"email": "orang-baru@example.id", "home_region": "31.75"})
    assert r.status_code == 422 and "isi nama lengkapnya" in r.content.decode()
    r = c.post(_url("judge_add", edition.pk), data | {"home_region": "31.75", "home_post": "gambir", "is_chair": "on"})
    assert r.status_code == 302
    seat = PanelJudge.objects.get(panel=panel)
    assert (seat.user, seat.home_region_id, seat.home_post.slug, seat.is_chair) == (judge1, "31.75", "gambir", True)
    assert login(gambir_manager).post(_url("judge_add", edition.pk), data).status_code == 403


def test_judge_remove(sheets: Any, organiser: Any, judge1: Any, gambir_manager: Any) -> None:
    edition = sheets[0].edition
    seat1, seat2 = sheets[0].judge, sheets[1].judge
    services.save_score(actor=judge1, sheet=sheets[0], indicator=rubric_indicators(edition.rubric_id)[0], value=2)
    c = login(organiser)
    assert login(gambir_manager).post(_url("judge_remove", edition.pk, seat2.pk)).status_code == 403
    r = c.post(_url("judge_remove", edition.pk, seat1.pk), follow=True)
    assert "sudah memberi skor" in r.content.decode() and PanelJudge.objects.filter(pk=seat1.pk).exists()
    assert c.post(_url("judge_remove", edition.pk, seat2.pk)).status_code == 302
    assert not PanelJudge.objects.filter(pk=seat2.pk).exists()


def test_progress_shows_states_not_scores(sheets: Any, organiser: Any, judge1: Any,
                                          django_assert_max_num_queries: Any) -> None:  # fmt: skip
    edition = sheets[0].edition
    _score_all(judge1, sheets[0], value=4)
    services.lock_sheet(actor=judge1, sheet=sheets[0])
    c = login(organiser)
    with django_assert_max_num_queries(20):
        r = c.get(_url("judging_progress", edition.pk))
    body = r.content.decode()
    n = len(rubric_indicators(edition.rubric_id))
    assert f"terkunci</span> {n}/{n}" in body and f"dinilai 0/{n}" in body
    assert "catatan-rahasia-juri" not in body
    assert '<span class="n">1/4</span>Verifikasi lapangan' in body
    r = c.get(_url("judging_progress", edition.pk) + "?tahap=lapangan&q=cempaka", **HX)
    body = r.content.decode()
    assert "<html" not in body and "Posyantek Cempaka Putih" in body and "Posyantek Gambir" not in body
    body = c.get(_url("judging_progress", edition.pk) + "?tahap=administrasi").content.decode()
    assert "Belum ada juri untuk tahap ini" in body
    r = c.get(_url("judging_progress", edition.pk) + "?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[0][:5] == ("Tahap", "Peserta", "Kode wilayah", "Juri", "Status lembar")
    assert ("Verifikasi lapangan", "Posyantek Gambir", "31.71.01", "juri1@example.id", "Dikirim dan terkunci", n,
            n) in rows  # fmt: skip
    r = c.get(_url("judging_progress", edition.pk) + "?format=csv")
    assert r["Content-Type"].startswith("text/csv") and "juri2@example.id" in r.content.decode()


def test_assign_from_the_progress_page(panel: Any, entry: Any, entry2: Any, organiser: Any,
                                       gambir_manager: Any) -> None:  # fmt: skip
    edition = panel.edition
    assert login(gambir_manager).post(_url("judging_assign", edition.pk), {"stage": "lapangan"}).status_code == 403
    r = login(organiser).post(_url("judging_assign", edition.pk), {"stage": "lapangan"}, follow=True)
    assert "4 lembar nilai baru dibagikan" in r.content.decode()
    assert ScoreSheet.objects.filter(edition=edition).count() == 4


def test_reopen_from_the_progress_page(sheets: Any, organiser: Any, judge1: Any, gambir_manager: Any) -> None:
    edition, sheet = sheets[0].edition, sheets[0]
    _score_all(judge1, sheet)
    services.lock_sheet(actor=judge1, sheet=sheet)
    url = _url("sheet_reopen", edition.pk, sheet.pk)
    assert login(gambir_manager).post(url, {"reason": "x"}).status_code == 403
    assert login(judge1).post(url, {"reason": "x"}).status_code == 403
    r = login(organiser).post(url, {"reason": ""}, follow=True)
    assert "alasan" in r.content.decode() and ScoreSheet.objects.get(pk=sheet.pk).is_locked
    login(organiser).post(url, {"reason": "Juri salah pilih skor"})
    assert not ScoreSheet.objects.get(pk=sheet.pk).is_locked


# --------------------------------------------------------------------------------------------- a judge's pages


def test_judge_home_lists_only_own_sheets(sheets: Any, judge1: Any, judge2: Any,
                                          django_assert_max_num_queries: Any) -> None:  # fmt: skip
    c = login(judge1)
    with django_assert_max_num_queries(12):
        r = c.get(_url("judge_home"))
    body = r.content.decode()
    n = len(rubric_indicators(sheets[0].edition.rubric_id))
    assert _url("sheet_detail", sheets[0].pk) in body and _url("sheet_detail", sheets[2].pk) in body
    assert _url("sheet_detail", sheets[1].pk) not in body
    assert f"0/{n} indikator" in body and "Verifikasi lapangan" in body


def test_sheet_detail_is_the_judges_own(sheets: Any, judge1: Any, judge2: Any, officer: Any, organiser: Any) -> None:
    url = _url("sheet_detail", sheets[0].pk)
    assert login(judge1).get(url).status_code == 200
    for user in (judge2, officer, organiser):
        assert login(user).get(url).status_code == 404
    ind = rubric_indicators(sheets[0].edition.rubric_id)[0]
    assert login(judge2).post(_url("sheet_score", sheets[0].pk, ind.pk), {"value": 3}).status_code == 404
    assert login(judge2).post(_url("sheet_lock", sheets[0].pk)).status_code == 404
    assert login(judge2).post(_url("sheet_conflict", sheets[0].pk), {"reason": "x"}).status_code == 404


def test_sheet_shows_the_evidence_beside_the_form(sheets: Any, judge1: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    sheet = sheets[0]
    inds = rubric_indicators(sheet.edition.rubric_id)
    ind = next(i for i in inds if i.prefill_key)
    entry = sheet.entry
    entry.self_assessment = {ind.prefill_key: {"value": 7, "label": "angka uji dari sistem", "url": "/layanan/"}}
    entry.save(update_fields=["self_assessment"])
    DossierItem.objects.create(entry=entry, indicator=ind, narrative="Uraian peserta tentang indikator ini")
    f = DossierFile.objects.create(entry=entry, indicator=ind, title="SK Pembentukan",
                                   file=SimpleUploadedFile("sk.pdf", b"%PDF-1.4 uji"))  # fmt: skip
    DossierFile.objects.create(entry=entry, indicator=ind, title="Video profil", link="https://example.org/v")
    c = login(judge1)
    body = c.get(_url("sheet_detail", sheet.pk) + f"?i={ind.pk}").content.decode()
    assert "Uraian peserta tentang indikator ini" in body and "angka uji dari sistem" in body
    assert "SK Pembentukan" in body and "https://example.org/v" in body
    for anchor in ind.anchors.values():
        assert anchor in body
    assert 'type="radio" name="value" value="4"' in body
    r = c.get(_url("sheet_evidence", sheet.pk, f.pk))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert login(judge1).get(_url("sheet_evidence", sheets[1].pk, f.pk)).status_code == 404


def test_score_without_js_redirects_to_the_next_indicator(sheets: Any, judge1: Any) -> None:
    sheet = sheets[0]
    inds = rubric_indicators(sheet.edition.rubric_id)
    c = login(judge1)
    assert c.get(_url("sheet_score", sheet.pk, inds[0].pk)).status_code == 405
    r = c.post(_url("sheet_score", sheet.pk, inds[0].pk), {"value": "3", "note": "Ada SK", "evidence_seen": "on"})
    assert r.status_code == 302 and r["Location"].endswith(f"?i={inds[1].pk}")
    score = Score.objects.get(sheet=sheet, indicator=inds[0])
    assert (score.value, score.note, score.evidence_seen) == (3, "Ada SK", True)
    r = c.post(_url("sheet_score", sheet.pk, inds[1].pk), {"value": "5"})
    assert r.status_code == 422 and "Skor harus antara 1 dan 4" in r.content.decode()
    # Without `i` the page opens at the first unscored indicator.
    body = c.get(_url("sheet_detail", sheet.pk)).content.decode()
    assert f'action="{_url("sheet_score", sheet.pk, inds[1].pk)}"' in body


def test_htmx_swaps_the_indicator_panel(sheets: Any, judge1: Any) -> None:
    sheet = sheets[0]
    inds = rubric_indicators(sheet.edition.rubric_id)
    c = login(judge1)
    r = c.get(_url("sheet_detail", sheet.pk) + f"?i={inds[2].pk}", **HX)
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body and body.lstrip().startswith('<section id="panel"')
    assert inds[2].title in body
    r = c.post(_url("sheet_score", sheet.pk, inds[2].pk), {"value": "2"}, **HX)
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body and f"Skor {inds[2].code} disimpan" in body
    assert r["HX-Push-Url"] == _url("sheet_detail", sheet.pk) + f"?i={inds[3].pk}"
    r = c.post(_url("sheet_score", sheet.pk, inds[0].pk), {"value": "9"}, **HX)
    assert r.status_code == 200 and "Skor harus antara 1 dan 4" in r.content.decode()


def test_lock_from_the_page(sheets: Any, judge1: Any) -> None:
    sheet = sheets[0]
    c = login(judge1)
    r = c.post(_url("sheet_lock", sheet.pk), follow=True)
    assert "Belum semua indikator dinilai" in r.content.decode()
    assert "Kirim dan kunci" not in r.content.decode()
    _score_all(judge1, sheet)
    assert "Kirim dan kunci" in c.get(_url("sheet_detail", sheet.pk)).content.decode()
    r = c.post(_url("sheet_lock", sheet.pk))
    assert r.status_code == 302 and r["Location"] == _url("judge_home")
    body = c.get(_url("sheet_detail", sheet.pk)).content.decode()
    assert "sudah dikirim dan terkunci" in body and "/skor/" not in body
    ind = rubric_indicators(sheet.edition.rubric_id)[0]
    r = c.post(_url("sheet_score", sheet.pk, ind.pk), {"value": "1"})
    assert r.status_code == 422 and Score.objects.get(sheet=sheet, indicator=ind).value == 3


def test_sheet_read_only_outside_its_stage(sheets: Any, judge1: Any) -> None:
    edition = sheets[0].edition
    edition.state = "presentasi"
    edition.save(update_fields=["state"])
    body = login(judge1).get(_url("sheet_detail", sheets[0].pk)).content.decode()
    assert "belum/tidak lagi dibuka" in body and "/skor/" not in body


def test_declare_conflict_from_the_page(sheets: Any, judge2: Any) -> None:
    sheet = sheets[1]
    c = login(judge2)
    r = c.post(_url("sheet_conflict", sheet.pk), {"reason": ""})
    assert r.status_code == 422 and "Tuliskan alasannya" in r.content.decode()
    r = c.post(_url("sheet_conflict", sheet.pk), {"reason": "Saya pernah menjadi pendamping pos ini"})
    assert r.status_code == 302
    assert Conflict.objects.get(entry=sheet.entry, judge=sheet.judge).automatic is False
    assert c.get(_url("sheet_detail", sheet.pk)).status_code == 404
