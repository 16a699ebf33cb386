"""Entry pages: registration, the dossier (narrative, self-score, evidence, system figures), submission, the
organiser's decisions; outsiders get 404, too-low roles 403, judges read but cannot edit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login, make_user
from posyantek.contests.models import Edition, Entry, Indicator
from posyantek.contests.tests.test_entry_services import PDF


@pytest.fixture
def draft(edition: Edition, dki: dict[str, Any], gambir_manager: Any) -> Entry:
    from posyantek.contests.entry_services import entry_register

    return entry_register(actor=gambir_manager, edition=edition, post=dki["gambir"])


def _mandatory(entry: Entry) -> list[Indicator]:
    return list(Indicator.objects.filter(criterion__rubric=entry.edition.rubric, evidence_mandatory=True))


def test_register_page(edition: Edition, gambir_manager: Any, officer: Any, dki: dict[str, Any]) -> None:
    url = reverse("contests:entry_register", args=[edition.pk])
    assert login(officer).get(url).status_code == 404
    viewer = make_user("pemantau@dki.example.id", ("viewer", "31"))
    assert login(viewer).get(url).status_code == 403
    client = login(gambir_manager)
    r = client.get(url)
    assert r.status_code == 200 and "Posyantek Gambir" in r.content.decode()
    assert "Cempaka" not in r.content.decode()
    r = client.post(url, {"post": dki["gambir"].pk})
    entry = Entry.objects.get(edition=edition, post=dki["gambir"])
    assert r.status_code == 302 and r["Location"] == entry.get_absolute_url()
    r = client.post(url, {"post": dki["gambir"].pk})
    assert r.status_code == 422 and "sudah terdaftar" in r.content.decode()


def test_register_page_organiser_picks_any_post_of_region(edition: Edition, organiser: Any,
                                                          dki: dict[str, Any]) -> None:  # fmt: skip
    r = login(organiser).get(reverse("contests:entry_register", args=[edition.pk]))
    body = r.content.decode()
    assert "Posyantek Cempaka Putih" in body and "Posyantek Matraman" in body and "Mitra Pantura" not in body


def test_entry_detail_access(draft: Entry, officer: Any, organiser: Any, gambir_manager: Any,
                             dki: dict[str, Any]) -> None:  # fmt: skip
    url = draft.get_absolute_url()
    assert login(officer).get(url).status_code == 404
    other = make_user("staf@cempaka.id", ("post_manager", dki["cempaka"]))
    assert login(other).get(url).status_code == 404
    r = login(gambir_manager).get(url)
    body = r.content.decode()
    assert r.status_code == 200 and "Ajukan dossier" in body and "Ambil angka dari sistem" in body
    assert reverse("contests:dossier_save", args=[draft.pk, _mandatory(draft)[0].pk]) in body
    assert reverse("contests:entry_admin", args=[draft.pk]) not in body
    assert login(organiser).get(url).status_code == 200


def test_entry_viewer_reads_but_cannot_edit(draft: Entry) -> None:
    viewer = make_user("pemantau@dki.example.id", ("viewer", "31"))
    client = login(viewer)
    r = client.get(draft.get_absolute_url())
    assert r.status_code == 200 and "Ajukan dossier" not in r.content.decode()
    ind = _mandatory(draft)[0]
    assert client.post(reverse("contests:dossier_save", args=[draft.pk, ind.pk]), {"narrative": "x"}).status_code == 403
    assert client.post(reverse("contests:entry_submit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("contests:entry_prefill", args=[draft.pk])).status_code == 403


def test_judge_reads_dossier_read_only(sheets: Any, entry: Entry, entry2: Entry, judge1: Any, judge_pusat: Any
                                       ) -> None:  # fmt: skip
    client = login(judge1)
    r = client.get(entry.get_absolute_url())
    body = r.content.decode()
    assert r.status_code == 200 and "hanya dapat membaca" in body and "Simpan isian" not in body
    ind = _mandatory(entry)[0]
    assert client.post(reverse("contests:dossier_save", args=[entry.pk, ind.pk]), {"narrative": "x"}).status_code == 403
    assert client.post(reverse("contests:entry_admin", args=[entry.pk]), {"passed": "1"}).status_code == 403
    assert login(judge_pusat).get(entry.get_absolute_url()).status_code == 404


def test_dossier_flow_and_submit(draft: Entry, gambir_manager: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = login(gambir_manager)
    required = _mandatory(draft)
    ind = required[0]
    r = client.post(
        reverse("contests:dossier_save", args=[draft.pk, ind.pk]), {"narrative": "SK 2019", "self_score": 9}
    )
    assert r.status_code == 422 and "Skor mandiri harus antara 1 dan 4" in r.content.decode()
    r = client.post(
        reverse("contests:dossier_save", args=[draft.pk, ind.pk]), {"narrative": "SK 2019", "self_score": 4}
    )
    assert r.status_code == 302 and draft.dossier.get().self_score == 4
    r = client.post(reverse("contests:entry_submit", args=[draft.pk]), follow=True)
    assert f"{ind.code}. {ind.title}" in r.content.decode()
    draft.refresh_from_db()
    assert draft.state == "terdaftar"
    bad = SimpleUploadedFile("sk.txt", b"hello", content_type="text/plain")
    r = client.post(
        reverse("contests:evidence_add", args=[draft.pk]), {"indicator": ind.pk, "title": "SK", "file": bad}
    )
    assert r.status_code == 422 and "PDF" in r.content.decode()
    for i in required:
        r = client.post(
            reverse("contests:evidence_add", args=[draft.pk]),
            {"indicator": i.pk, "title": "SK", "file": SimpleUploadedFile("sk.pdf", PDF)},
        )
        assert r.status_code == 302
    f = draft.files.first()
    assert client.get(reverse("contests:evidence_file", args=[draft.pk, f.pk])).status_code == 200
    r = client.post(reverse("contests:entry_prefill", args=[draft.pk]), follow=True)
    assert "Penjualan (Rp)" in r.content.decode()
    r = client.post(reverse("contests:entry_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert r.status_code == 302 and draft.state == "diajukan"
    body = client.get(draft.get_absolute_url()).content.decode()
    assert "Dossier terkunci" in body and "Simpan isian" not in body


def test_organiser_decisions(edition: Edition, draft: Entry, organiser: Any, gambir_manager: Any) -> None:
    Entry.objects.filter(pk=draft.pk).update(state=Entry.State.SUBMITTED)
    client = login(organiser)
    assert login(gambir_manager).post(reverse("contests:entry_return", args=[draft.pk]),
                                      {"ret-note": "x"}).status_code == 403  # fmt: skip
    r = client.post(reverse("contests:entry_return", args=[draft.pk]), {"ret-note": ""})
    assert r.status_code == 422 and "perlu diperbaiki" in r.content.decode()
    r = client.post(reverse("contests:entry_return", args=[draft.pk]), {"ret-note": "Lengkapi SK"})
    draft.refresh_from_db()
    assert r.status_code == 302 and draft.state == "dikembalikan"
    assert "Lengkapi SK" in login(gambir_manager).get(draft.get_absolute_url()).content.decode()
    Entry.objects.filter(pk=draft.pk).update(state=Entry.State.SUBMITTED)
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.ADMIN)
    r = client.post(reverse("contests:entry_admin", args=[draft.pk]), {"passed": "1", "reasons": ""})
    assert r.status_code == 422
    r = client.post(reverse("contests:entry_admin", args=[draft.pk]), {"passed": "1", "reasons": "Lengkap"})
    draft.refresh_from_db()
    assert r.status_code == 302 and draft.state == "lolos_administrasi"
    r = client.post(reverse("contests:entry_state", args=[draft.pk]), {"state": "nominasi"})
    draft.refresh_from_db()
    assert r.status_code == 302 and draft.state == "nominasi"
    r = client.post(reverse("contests:entry_withdraw", args=[draft.pk]), {"wd-note": "Mundur"})
    draft.refresh_from_db()
    assert r.status_code == 302 and draft.state == "mundur"
    body = client.get(draft.get_absolute_url()).content.decode()
    assert "Keputusan administrasi" in body and "Riwayat" in body
