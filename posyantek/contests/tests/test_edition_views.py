"""Edition pages: list (filters, export, query budget), create/edit, detail, stages, schedule and prizes; an outsider
gets 404, a too-low role 403."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from conftest import login, make_user
from posyantek.contests.models import Edition, Rubric
from posyantek.contests.tests.conftest import make_edition


@pytest.fixture
def dki_viewer(posts: Any) -> Any:
    return make_user("pemantau@dki.example.id", ("viewer", "31"))


def test_edition_list_filters_exports_and_budget(edition: Edition, national: Edition, rubric: Rubric,
                                                 organiser: Any, entry: Any, entry2: Any,
                                                 django_assert_max_num_queries: Any) -> None:  # fmt: skip
    for year in range(2015, 2025):
        make_edition(rubric, year=year, name=f"Lomba DKI {year}")
    client = login(organiser)
    url = reverse("contests:edition_list")
    with django_assert_max_num_queries(12):
        r = client.get(url)
    assert r.status_code == 200
    body = r.content.decode()
    assert "Lomba Posyantek Berprestasi Provinsi DKI Jakarta 2026" in body and "Buat lomba" in body
    assert national.name not in body  # a province officer does not see the national edition before it is open
    r = client.get(url, {"year": 2020})
    assert "Lomba DKI 2020" in r.content.decode() and "Lomba DKI 2021" not in r.content.decode()
    r = client.get(url, {"q": "2019", "level": "provinsi", "state": "pendaftaran", "category": "posyantek_berprestasi"})
    assert "Lomba DKI 2019" in r.content.decode()
    r = client.get(url, {"format": "xlsx", "year": 2026})
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A2"].value == edition.name and ws["I2"].value == 2
    r = client.get(url, {"format": "csv"})
    assert r["Content-Type"].startswith("text/csv") and b"Lomba DKI 2015" in r.content
    r = client.get(url, {"year": 2026}, HTTP_HX_REQUEST="true")
    assert b"<html" not in r.content and edition.name.encode() in r.content


def test_edition_list_outsider_sees_nothing(edition: Edition, officer: Any) -> None:
    r = login(officer).get(reverse("contests:edition_list"))
    assert r.status_code == 200 and edition.name not in r.content.decode()
    assert "Buat lomba" in r.content.decode()  # a city officer may start a kota edition of their own


def test_edition_create_page(organiser: Any, rubric: Rubric, gambir_manager: Any, dki_viewer: Any) -> None:
    url = reverse("contests:edition_create")
    assert login(gambir_manager).get(url).status_code == 403
    assert login(dki_viewer).get(url).status_code == 403
    client = login(organiser)
    r = client.get(url)
    assert r.status_code == 200 and 'value="E,D"' in r.content.decode()
    assert 'value="nasional"' not in r.content.decode()
    r = client.post(url, {"name": "Lomba Jakarta Pusat 2026", "category": "posyantek_berprestasi", "year": 2026,
                          "level": "kabkota", "region": "31.71", "organiser": "Sudin", "rubric": rubric.pk,
                          "period_start": "2025-01-01", "period_end": "2025-12-31", "forward_count": 1,
                          "tie_rule": ""})  # fmt: skip
    edition = Edition.objects.get(name="Lomba Jakarta Pusat 2026")
    assert r.status_code == 302 and r["Location"] == edition.get_absolute_url()
    assert edition.tie_rule == "E,D" and edition.state == "persiapan"
    r = client.post(url, {"name": "Salah", "category": "posyantek_berprestasi", "year": 2026, "level": "provinsi",
                          "region": "31.71", "organiser": "X", "rubric": rubric.pk, "period_start": "2025-01-01",
                          "period_end": "2025-12-31", "forward_count": 1})  # fmt: skip
    assert r.status_code == 422 and "mencakup satu provinsi" in r.content.decode()


def test_edition_detail_access(edition: Edition, entry: Any, organiser: Any, officer: Any, gambir_manager: Any,
                               dki_viewer: Any) -> None:  # fmt: skip
    url = edition.get_absolute_url()
    assert login(officer).get(url).status_code == 404
    r = login(gambir_manager).get(url)
    assert r.status_code == 200 and "Daftarkan peserta" in r.content.decode()
    assert reverse("contests:edition_state", args=[edition.pk]) not in r.content.decode()
    r = login(dki_viewer).get(url)
    assert r.status_code == 200
    assert login(dki_viewer).get(reverse("contests:edition_edit", args=[edition.pk])).status_code == 403
    assert login(gambir_manager).post(reverse("contests:edition_state", args=[edition.pk]),
                                      {"state": "seleksi_administrasi"}).status_code == 403  # fmt: skip
    r = login(organiser).get(url)
    body = r.content.decode()
    assert r.status_code == 200 and entry.title in body
    assert reverse("contests:panel_list", args=[edition.pk]) in body
    assert f"/lomba/kelola/{edition.pk}/hasil/" in body


def test_edition_detail_entries_filter_and_export(edition: Edition, entry: Any, entry2: Any, organiser: Any) -> None:
    client = login(organiser)
    url = edition.get_absolute_url()
    r = client.get(url, {"q": "Cempaka"})
    assert entry2.title in r.content.decode() and ">Posyantek Gambir<" not in r.content.decode()
    r = client.get(url, {"format": "csv", "state": "lolos_administrasi"})
    assert b"Posyantek Gambir" in r.content and b"Posyantek Cempaka Putih" in r.content


def test_edition_detail_gambir_manager_sees_own_entry_only(edition: Edition, entry: Any, entry2: Any,
                                                          gambir_manager: Any) -> None:  # fmt: skip
    body = login(gambir_manager).get(edition.get_absolute_url()).content.decode()
    assert entry.get_absolute_url() in body and entry2.get_absolute_url() not in body


def test_edition_state_page(edition: Edition, organiser: Any) -> None:
    client = login(organiser)
    url = reverse("contests:edition_state", args=[edition.pk])
    assert client.get(url).status_code == 405
    r = client.post(url, {"state": "pengumuman"})
    assert r.status_code == 422 and "hanya dapat maju" in r.content.decode()
    r = client.post(url, {"state": "seleksi_administrasi"})
    assert r.status_code == 302
    edition.refresh_from_db()
    assert edition.state == "seleksi_administrasi"


def test_edition_edit_page(edition: Edition, organiser: Any) -> None:
    client = login(organiser)
    url = reverse("contests:edition_edit", args=[edition.pk])
    r = client.get(url)
    assert r.status_code == 200
    form = r.context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "guidelines"}
    data.update(region="31", rubric=edition.rubric_id, forward_count=2, name="Lomba DKI baru", version=1)
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    data = {k: v for k, v in data.items() if v is not False}
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    edition.refresh_from_db()
    assert (edition.name, edition.forward_count, edition.version) == ("Lomba DKI baru", 2, 2)
    r = client.post(url, data)  # version 1 again: stale
    assert r.status_code == 422 and "sudah diubah orang lain" in r.content.decode()


def test_schedule_and_prizes_pages(edition: Edition, organiser: Any, gambir_manager: Any) -> None:
    client = login(organiser)
    r = client.post(
        reverse("contests:stage_add", args=[edition.pk]),
        {"stage-kind": "pendaftaran", "stage-starts": "2026-03-01", "stage-deadline": "2026-02-01"},
    )
    assert r.status_code == 422 and "Batas akhir" in r.content.decode()
    r = client.post(
        reverse("contests:stage_add", args=[edition.pk]),
        {"stage-kind": "pendaftaran", "stage-starts": "2026-03-01", "stage-deadline": "2026-03-31"},
    )
    assert r.status_code == 302
    stage = edition.stages.get()
    r = client.post(
        reverse("contests:stage_edit", args=[edition.pk, stage.pk]),
        {"kind": "pendaftaran", "starts": "2026-03-01", "deadline": "2026-04-15", "note": "diperpanjang"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("contests:prize_add", args=[edition.pk]),
        {"prize-rank": 1, "prize-title": "Juara I", "prize-amount": "Rp 30.000.000"},
    )
    assert r.status_code == 302 and edition.prizes.get().amount == 30_000_000
    body = client.get(edition.get_absolute_url()).content.decode()
    assert "Rp 30.000.000" in body and "15 April 2026" in body
    prize = edition.prizes.get()
    assert login(gambir_manager).post(reverse("contests:prize_remove", args=[edition.pk, prize.pk])).status_code == 403
    assert client.post(reverse("contests:prize_remove", args=[edition.pk, prize.pk])).status_code == 302
    assert client.post(reverse("contests:stage_remove", args=[edition.pk, stage.pk])).status_code == 302
    assert not edition.prizes.exists() and not edition.stages.exists()


def test_national_edition_organised_by_national_admin(national: Edition, admin: Any, organiser: Any) -> None:
    assert login(organiser).get(reverse("contests:edition_edit", args=[national.pk])).status_code == 404
    assert login(admin).get(reverse("contests:edition_edit", args=[national.pk])).status_code == 200


def test_stage_ending_before_it_starts_is_refused_in_words(organiser: Any, edition: Edition) -> None:
    r = login(organiser).post(
        reverse("contests:stage_add", args=[edition.pk]),
        {"stage-kind": "lapangan", "stage-starts": "2026-12-20", "stage-deadline": "2026-12-10", "stage-note": ""},
    )
    html = r.content.decode()
    assert "Batas akhir tidak boleh sebelum tanggal mulai." in html
    assert "contests_stage_dates" not in html
    assert not edition.stages.exists()


def test_empty_edition_form_says_what_is_missing_in_words(organiser: Any) -> None:
    r = login(organiser).post(reverse("contests:edition_create"), {"level": "provinsi"})
    html = r.content.decode()
    assert "Pilih wilayah lomba." in html and "Bidang ini tidak boleh kosong." in html
    assert "contests_edition_region_level" not in html
    assert not Edition.objects.exists()
