"""Rubric pages: access (outsider 404, too-low role 403), the list, the detail and its export, the forms."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from conftest import login
from posyantek.contests import rubric_services as services
from posyantek.contests.models import Edition, Rubric
from posyantek.contests.tests.conftest import make_edition

LIST = "/lomba/rubrik/"


def _fresh(rubric: Rubric) -> Rubric:
    return Rubric.objects.get(pk=rubric.pk)


def _edit_pages(r: Rubric) -> list[str]:
    c = r.criteria.get(code="A")
    i = c.indicators.first()
    base = f"/lomba/rubrik/{r.pk}"
    return [f"{base}/ubah", f"{base}/bobot", f"{base}/kriteria/baru", f"{base}/kriteria/{c.pk}/ubah",
            f"{base}/kriteria/{c.pk}/bobot", f"{base}/kriteria/{c.pk}/indikator/baru",
            f"{base}/indikator/{i.pk}/ubah"]  # fmt: skip


def _posts(r: Rubric) -> list[str]:
    c = r.criteria.get(code="A")
    i = c.indicators.first()
    base = f"/lomba/rubrik/{r.pk}"
    return [f"{base}/versi-baru", f"{base}/kriteria/{c.pk}/hapus", f"{base}/indikator/{i.pk}/hapus"]


def test_outsider_gets_404_on_dki_rubric(rubric: Rubric, template: Rubric, officer: Any) -> None:
    c = login(officer)
    assert c.get(f"/lomba/rubrik/{rubric.pk}/").status_code == 404
    assert c.get(f"/lomba/rubrik/{rubric.pk}/?format=csv").status_code == 404
    for url in _edit_pages(rubric):
        assert c.get(url).status_code == 404, url
    for url in _posts(rubric):
        assert c.post(url, {"version": rubric.version}).status_code == 404, url
    page = c.get(LIST).content.decode()
    assert rubric.name not in page and template.name in page
    assert rubric.family not in c.get(f"{LIST}?format=csv").content.decode("utf-8-sig")
    assert c.get(f"/lomba/rubrik/{template.pk}/").status_code == 200  # national templates: anyone with a grant
    assert c.get("/lomba/rubrik/baru").status_code == 200  # a city officer may create for Kota Pekalongan
    assert _fresh(rubric).version == rubric.version


def test_too_low_roles_get_403_on_writes(rubric: Rubric, template: Rubric, edition: Edition, viewer: Any,
                                         gambir_manager: Any, organiser: Any) -> None:  # fmt: skip
    c = login(gambir_manager)  # sees DKI's rubric through the edition its post may enter
    assert c.get(f"/lomba/rubrik/{rubric.pk}/").status_code == 200
    for url in _edit_pages(rubric):
        assert c.get(url).status_code == 403, url
    for url in _posts(rubric):
        assert c.post(url, {"version": rubric.version}).status_code == 403, url
    assert c.get("/lomba/rubrik/baru").status_code == 403
    v = login(viewer)
    assert v.get(f"/lomba/rubrik/{template.pk}/").status_code == 200
    for url in [*_edit_pages(template), "/lomba/rubrik/baru"]:
        assert v.get(url).status_code == 403, url
    for url in _posts(template):
        assert v.post(url).status_code == 403, url
    o = login(organiser)  # a province officer does not change the national template
    assert o.get(f"/lomba/rubrik/{template.pk}/ubah").status_code == 403
    assert o.get(LIST).status_code == 200


def test_list_filters_searches_pages_and_exports(rubric: Rubric, template: Rubric, organiser: Any, edition: Edition,
                                                 django_assert_max_num_queries: Any) -> None:  # fmt: skip
    c = login(organiser)
    c.get(LIST)
    with django_assert_max_num_queries(14):
        page = c.get(LIST).content.decode()
    assert rubric.name in page and template.name in page and "Dipakai lomba" in page and "templat" in page
    page = c.get(LIST, {"category": "inovasi_ttg"}).content.decode()
    assert rubric.name not in page and "0 rubrik" in page
    page = c.get(LIST, {"q": "dki-posyantek"}).content.decode()
    assert rubric.name in page and template.name not in page
    fragment = c.get(LIST, {"q": "dki"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and rubric.name in fragment
    wb = load_workbook(io.BytesIO(c.get(LIST, {"format": "xlsx"}).content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nama", "Kode rubrik", "Versi") and len(rows) == 3


def test_detail_shows_the_tree_versions_editions_and_exports(rubric: Rubric, organiser: Any,
                                                             edition: Edition) -> None:  # fmt: skip
    c = login(organiser)
    page = c.get(f"/lomba/rubrik/{rubric.pk}/").content.decode()
    assert "A1</strong> SK pembentukan sah" in page
    assert "Angka dari sistem: SK pembentukan pos" in page  # the system figure, in Indonesian
    assert "SK sah dengan rincian tugas tiap unsur" in page and "wajib" in page
    assert "Rubrik lengkap dan siap dipakai" in page and edition.name in page
    assert "Rubrik sudah dipakai lomba yang berjalan; buat versi baru." in page
    assert f"/lomba/rubrik/{rubric.pk}/ubah" not in page  # in use: no edit links
    assert "Buat versi baru" in page and "Riwayat" in page
    wb = load_workbook(io.BytesIO(c.get(f"/lomba/rubrik/{rubric.pk}/", {"format": "xlsx"}).content))
    rows = list(wb.active.iter_rows(values_only=True))
    n = sum(cr.indicators.count() for cr in rubric.criteria.all())
    assert len(rows) == n + 1  # one row per indicator
    assert rows[0][:3] == ("Kode kriteria", "Kriteria", "Bobot kriteria (%)") and rows[0][-1] == "Skor 4"
    assert rows[1][:7] == ("A", "Kelembagaan", 20, "A1", "SK pembentukan sah", 17, 3.4)
    assert rows[1][8:10] == ("ya", "SK pembentukan pos")
    csv = c.get(f"/lomba/rubrik/{rubric.pk}/", {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.count("\n") == n + 1


def test_create_edit_and_refusals_through_the_pages(template: Rubric, organiser: Any) -> None:
    c = login(organiser)
    assert 'value="31"' in c.get("/lomba/rubrik/baru").content.decode()
    r = c.post("/lomba/rubrik/baru", {"category": "posyantek_berprestasi", "region": "31", "year": "2027",
                                      "family": "posyantek-berprestasi"})  # fmt: skip
    assert r.status_code == 422 and "sudah dipakai" in r.content.decode()
    r = c.post("/lomba/rubrik/baru", {"category": "posyantek_berprestasi", "region": "31.71", "year": "2027",
                                      "family": "jakpus-2027"})  # fmt: skip
    rubric = Rubric.objects.get(family="jakpus-2027")
    assert r.status_code == 302 and r["Location"] == f"/lomba/rubrik/{rubric.pk}/" and rubric.region_id == "31.71"
    base = f"/lomba/rubrik/{rubric.pk}"
    meta = {"version": rubric.version, "name": "Rubrik Jakarta Pusat 2027", "year": "2027", "notes": "",
            "scale_min": "1", "scale_max": "4", "weight_admin": "30", "weight_field": "40",
            "weight_presentation": "40"}  # fmt: skip
    r = c.post(f"{base}/ubah", meta)
    assert r.status_code == 422 and "Bobot tahap harus berjumlah 100 (sekarang 110)." in r.content.decode()
    r = c.post(f"{base}/ubah", meta | {"scale_min": "4"})
    assert r.status_code == 422 and "Skala tidak sah" in r.content.decode()
    assert c.post(f"{base}/ubah", meta | {"weight_presentation": "30"}).status_code == 302
    r = c.post(f"{base}/ubah", meta | {"weight_presentation": "30", "name": "Lama"})  # the old version again
    assert r.status_code == 422 and "sudah diubah orang lain" in r.content.decode()
    rubric = _fresh(rubric)
    assert rubric.name == "Rubrik Jakarta Pusat 2027"
    crits = list(rubric.criteria.all())
    weights = {f"w_{cr.pk}": cr.weight for cr in crits} | {"version": rubric.version}
    r = c.post(f"{base}/bobot", weights | {f"w_{crits[0].pk}": 25})
    assert r.status_code == 422 and "Bobot kriteria harus berjumlah 100 (sekarang 105)." in r.content.decode()
    assert c.post(f"{base}/bobot", weights | {f"w_{crits[0].pk}": 25, f"w_{crits[1].pk}": 10}).status_code == 302
    assert _fresh(rubric).criteria.get(code="A").weight == 25


def test_criteria_and_indicators_through_the_pages(rubric: Rubric, organiser: Any) -> None:
    c = login(organiser)
    base = f"/lomba/rubrik/{rubric.pk}"
    r = c.post(f"{base}/kriteria/baru", {"version": rubric.version, "code": "G", "title": "Digitalisasi",
                                        "weight": "0"})  # fmt: skip
    g = rubric.criteria.get(code="G")
    assert r.status_code == 302 and r["Location"] == f"{base}/#kriteria-{g.pk}"
    page = c.get(f"{base}/").content.decode()
    assert "Kriteria G. Digitalisasi belum punya indikator." in page
    rubric = _fresh(rubric)
    form = c.get(f"{base}/kriteria/{g.pk}/indikator/baru").content.decode()
    assert "Arti skor 1" in form and "Arti skor 4" in form and "SK pembentukan pos" in form
    data = {
        "version": rubric.version,
        "code": "G1",
        "title": "Data pos di aplikasi",
        "weight": "100",
        "evidence": "Tangkapan layar",
        "evidence_mandatory": "on",
        "prefill_key": "orders_count",
        "anchor_1": "Tidak ada",
        "anchor_2": "Sebagian",
        "anchor_3": "Lengkap",
        "anchor_4": "Lengkap, terbaru",
    }
    assert c.post(f"{base}/kriteria/{g.pk}/indikator/baru", data).status_code == 302
    g1 = g.indicators.get()
    assert g1.anchors == {"1": "Tidak ada", "2": "Sebagian", "3": "Lengkap", "4": "Lengkap, terbaru"}
    assert g1.evidence_mandatory and g1.prefill_key == "orders_count"
    rubric = _fresh(rubric)
    r = c.post(f"{base}/indikator/{g1.pk}/ubah", data | {"version": rubric.version, "anchor_4": ""})
    assert r.status_code == 302
    assert "Indikator G1: arti skor 4 belum diisi." in c.get(f"{base}/").content.decode()
    rubric = _fresh(rubric)
    c_ind = rubric.criteria.get(code="C")
    inds = list(c_ind.indicators.all())
    w = {f"w_{i.pk}": 25 for i in inds} | {"version": rubric.version}
    r = c.post(f"{base}/kriteria/{c_ind.pk}/bobot", w | {f"w_{inds[0].pk}": 30})
    assert (
        r.status_code == 422 and "Bobot indikator kriteria C harus berjumlah 100 (sekarang 105)." in r.content.decode()
    )
    assert c.post(f"{base}/kriteria/{c_ind.pk}/bobot", w).status_code == 302
    rubric = _fresh(rubric)
    assert c.get(f"{base}/indikator/{g1.pk}/hapus").status_code == 405
    r = c.post(f"{base}/indikator/{g1.pk}/hapus", {"version": rubric.version}, follow=True)
    assert "Dihapus." in r.content.decode() and not g.indicators.exists()
    rubric = _fresh(rubric)
    assert c.post(f"{base}/kriteria/{g.pk}/hapus", {"version": rubric.version}).status_code == 302
    assert not rubric.criteria.filter(code="G").exists()
    page = c.get(f"{base}/").content.decode()
    assert "Rubrik lengkap dan siap dipakai" in page and "kriteria_" not in page


def test_in_use_rubric_refuses_changes_and_copies_to_a_new_version(rubric: Rubric, organiser: Any) -> None:
    make_edition(rubric, state=Edition.State.FIELD)
    c = login(organiser)
    base = f"/lomba/rubrik/{rubric.pk}"
    crit = rubric.criteria.get(code="A")
    r = c.post(f"{base}/kriteria/{crit.pk}/ubah", {"version": rubric.version, "code": "A", "title": "Lembaga",
                                                  "weight": "20"})  # fmt: skip
    assert r.status_code == 422 and "Rubrik sudah dipakai lomba yang berjalan; buat versi baru." in r.content.decode()
    r = c.post(f"{base}/kriteria/{crit.pk}/hapus", {"version": rubric.version}, follow=True)
    assert "Rubrik sudah dipakai lomba yang berjalan; buat versi baru." in r.content.decode()
    assert rubric.criteria.filter(code="A").exists()
    assert c.get(f"{base}/versi-baru").status_code == 405
    r = c.post(f"{base}/versi-baru", {"year": "2027"})
    new = Rubric.objects.get(family=rubric.family, version_no=2)
    assert r.status_code == 302 and r["Location"] == f"/lomba/rubrik/{new.pk}/"
    page = c.get(f"/lomba/rubrik/{new.pk}/").content.decode()
    assert f"/lomba/rubrik/{new.pk}/ubah" in page and f'href="{base}/"' in page  # editable; links to v1
    assert services.rubric_problems(new) == []
