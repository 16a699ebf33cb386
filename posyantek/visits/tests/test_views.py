"""Visit pages: access (outsider 404, too-low role 403), forms with Indonesian errors, states, parts, the list with
its filters, exports and query budget."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login
from posyantek.visits import followups, services
from posyantek.visits.models import Visit
from posyantek.visits.tests.conftest import add_agenda, jpeg_bytes, make_visit


def _parts(held: Visit, manager) -> dict[str, int]:
    f = followups.follow_up_add(actor=manager, visit=held, data={"kind": "lainnya", "description": "Bahan paparan"})
    photo = services.photo_add(actor=manager, visit=held, upload=io.BytesIO(jpeg_bytes()), caption="Audiensi")
    return {"agenda": held.agenda.get().pk, "follow_up": f.pk, "photo": photo.pk}


def _pages(v: Visit, ids: dict[str, int]) -> list[str]:
    return [
        f"/kunjungan/{v.pk}/",
        f"/kunjungan/{v.pk}/foto/{ids['photo']}/kecil",
        f"/kunjungan/{v.pk}/foto/{ids['photo']}/besar",
    ]


def _edit_pages(v: Visit, ids: dict[str, int]) -> list[str]:
    return [
        f"/kunjungan/{v.pk}/ubah",
        f"/kunjungan/{v.pk}/agenda/{ids['agenda']}/ubah",
        f"/kunjungan/{v.pk}/tindak-lanjut/{ids['follow_up']}/ubah",
        f"/kunjungan/{v.pk}/kunjungan-balasan",
    ]


def _posts(v: Visit, ids: dict[str, int]) -> list[str]:
    return [
        f"/kunjungan/{v.pk}/tahap",
        f"/kunjungan/{v.pk}/agenda",
        f"/kunjungan/{v.pk}/tindak-lanjut",
        f"/kunjungan/{v.pk}/foto",
        f"/kunjungan/{v.pk}/buku-tamu",
        f"/kunjungan/{v.pk}/agenda/{ids['agenda']}/hapus",
        f"/kunjungan/{v.pk}/tindak-lanjut/{ids['follow_up']}/hapus",
        f"/kunjungan/{v.pk}/foto/{ids['photo']}/hapus",
    ]


def test_outsider_gets_404_everywhere(held, manager, outsider) -> None:
    ids = _parts(held, manager)
    c = login(outsider)
    for url in _pages(held, ids) + _edit_pages(held, ids):
        assert c.get(url).status_code == 404, url
    for url in _posts(held, ids):
        assert c.post(url).status_code == 404, url
    assert held.title not in c.get("/kunjungan/").content.decode()
    assert held.title not in c.get("/kunjungan/?format=csv").content.decode("utf-8-sig")
    assert c.get(f"/kunjungan/kalender/?pos={held.post_id}").status_code == 404


def test_viewer_sees_but_gets_403_on_changes(held, manager, viewer) -> None:
    ids = _parts(held, manager)
    c = login(viewer)
    for url in _pages(held, ids):
        assert c.get(url).status_code == 200, url
    for url in [*_edit_pages(held, ids), "/kunjungan/baru"]:
        assert c.get(url).status_code == 403, url
    for url in _posts(held, ids):
        assert c.post(url).status_code == 403, url
    page = c.get(held.get_absolute_url()).content.decode()
    assert "Lanjut ke" not in page and "Catat tindak lanjut" not in page and "Catat kunjungan" not in page


def test_post_only_views_reject_get(held, manager) -> None:
    ids = _parts(held, manager)
    c = login(manager)
    for url in _posts(held, ids):
        assert c.get(url).status_code == 405, url


def test_staff_of_wartek_sees_not_mitra_and_works_on_its_own(visit, staff, posts) -> None:
    c = login(staff)
    assert c.get(visit.get_absolute_url()).status_code == 404
    assert c.get(f"/kunjungan/{visit.pk}/ubah").status_code == 404
    mine = make_visit(staff, posts["wartek"], institution="Kelurahan Krapyak")
    assert c.get(f"/kunjungan/{mine.pk}/ubah").status_code == 200


def test_create_form_limits_choices_shows_errors_and_keeps_values(manager, posts) -> None:
    c = login(manager)
    page = c.get("/kunjungan/baru").content.decode()
    assert "Posyantek Mitra Pantura" in page and "Posyantek Gambir" not in page and 'value="pendanaan"' in page
    body = {
        "post": posts["mitra"].pk,
        "direction": "masuk",
        "title": "Kunjungan DKI",
        "institution": "BPMPKB DKI",
        "institution_region": "31",
        "visitors": "0",
        "purposes": ["pendanaan", "teknologi"],
        "starts_on": "2014-09-10",
        "ends_on": "2014-09-09",
    }
    r = c.post("/kunjungan/baru", body)
    html = r.content.decode()
    assert r.status_code == 200 and not Visit.objects.exists()
    assert "paling sedikit 1" in html and "sebelum tanggal mulai" in html
    assert 'value="Kunjungan DKI"' in html and 'value="teknologi" id="id_purposes_3" checked' in html
    r = c.post("/kunjungan/baru", {**body, "purposes": ["menari"]})
    assert "Pilih maksud dari daftar." in r.content.decode() or "bukan salah satu" in r.content.decode()
    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    r = c.post("/kunjungan/baru", {**body, "visitors": "20", "ends_on": "", "letter_file": pdf})
    v = Visit.objects.get()
    assert r.status_code == 302 and r["Location"] == v.get_absolute_url()
    assert v.ends_on == dt.date(2014, 9, 10) and v.purposes == ["pendanaan", "teknologi"] and v.visitors == 20
    letter = c.get(f"/kunjungan/{v.pk}/surat")
    assert letter.status_code == 200 and b"".join(letter.streaming_content).startswith(b"%PDF")


def test_stale_edit_is_refused(visit, manager, officer) -> None:
    body = {
        "post": visit.post_id,
        "direction": "masuk",
        "title": "DKI",
        "institution": "BPMPKB",
        "visitors": 20,
        "starts_on": str(visit.starts_on),
        "ends_on": str(visit.ends_on),
        "version": 1,
    }
    assert login(manager).post(f"/kunjungan/{visit.pk}/ubah", body).status_code == 302
    r = login(officer).post(f"/kunjungan/{visit.pk}/ubah", {**body, "title": "Judul lama"})
    assert r.status_code == 200 and "sudah diubah orang lain" in r.content.decode()


def test_states_agenda_and_follow_up_through_the_page(visit, manager) -> None:
    c = login(manager)
    r = c.post(f"/kunjungan/{visit.pk}/tahap", {"state": "dilaksanakan", "version": 1}, follow=True)
    assert "Dijadwalkan atau Dibatalkan" in r.content.decode()
    r = c.post(
        f"/kunjungan/{visit.pk}/agenda",
        {"kind": "lapangan", "title": "Panjang Wetan", "day": str(visit.ends_on + dt.timedelta(days=3))},
    )
    assert r.status_code == 422 and "di antara" in r.content.decode()
    r = c.post(
        f"/kunjungan/{visit.pk}/agenda",
        {
            "kind": "lapangan",
            "title": "Panjang Wetan",
            "day": str(visit.starts_on),
            "starts_at": "13:00",
            "ends_at": "12:00",
            "site_region": "33.75.03.1004",
        },
    )
    assert r.status_code == 422 and "sesudah jam mulai" in r.content.decode()
    r = c.post(
        f"/kunjungan/{visit.pk}/agenda",
        {
            "kind": "lapangan",
            "title": "Panjang Wetan",
            "day": str(visit.starts_on),
            "starts_at": "13:00",
            "ends_at": "14:30",
            "site_region": "33.75.03.1004",
        },
    )
    assert r.status_code == 302
    c.post(f"/kunjungan/{visit.pk}/tahap", {"state": "dijadwalkan", "version": 1})
    c.post(f"/kunjungan/{visit.pk}/tahap", {"state": "dilaksanakan", "version": 2})
    visit.refresh_from_db()
    assert visit.state == "dilaksanakan"
    r = c.post(f"/kunjungan/{visit.pk}/tindak-lanjut", {"kind": "lainnya", "description": ""})
    assert r.status_code == 422 and "Tulis uraian" in r.content.decode()
    r = c.post(
        f"/kunjungan/{visit.pk}/tindak-lanjut",
        {"kind": "pesanan", "description": "Pesanan perontok", "order_code": "XX1"},
    )
    assert r.status_code == 422 and "XX1" in r.content.decode()
    r = c.post(f"/kunjungan/{visit.pk}/tindak-lanjut", {"kind": "lainnya", "description": "Kirim SOP"})
    assert r.status_code == 302
    c.post(f"/kunjungan/{visit.pk}/tahap", {"state": "ditindaklanjuti", "version": 3})
    visit.refresh_from_db()
    assert visit.state == "ditindaklanjuti"
    page = c.get(visit.get_absolute_url()).content.decode()
    assert "Kirim SOP" in page and "Kelurahan Panjang Wetan" in page and "Riwayat" in page and "agenda" in page
    assert "Buku tamu sudah ditutup" in page and "Catat tamu" not in page and "qr.svg" not in page


def test_return_visit_form_is_prefilled_and_links_the_follow_up(held, manager) -> None:
    c = login(manager)
    page = c.get(f"/kunjungan/{held.pk}/kunjungan-balasan").content.decode()
    assert "Kunjungan balasan ke BPMPKB Provinsi DKI Jakarta" in page and 'value="keluar" id="id_direction_1"' in page
    later = timezone.localdate() + dt.timedelta(days=30)
    body = {
        "direction": "keluar",
        "title": "Kunjungan balasan ke BPMPKB Provinsi DKI Jakarta",
        "institution": "BPMPKB Provinsi DKI Jakarta",
        "institution_region": "31",
        "visitors": "5",
        "purposes": ["pendanaan"],
        "starts_on": str(later),
    }
    r = c.post(f"/kunjungan/{held.pk}/kunjungan-balasan", body)
    planned = Visit.objects.get(direction="keluar")
    assert r.status_code == 302 and r["Location"] == planned.get_absolute_url() and planned.post_id == held.post_id
    assert held.follow_ups.get().return_visit == planned


def test_list_filters_export_and_query_budget(held, manager, posts, django_assert_max_num_queries) -> None:
    make_visit(
        manager,
        posts["mitra"],
        title="Kaji tiru ke Pati",
        direction="keluar",
        institution="DPMD Pati",
        purposes=["pemasaran"],
        starts_on=dt.date(2013, 5, 2),
        ends_on=None,
    )
    for i in range(5):
        make_visit(manager, posts["mitra"], title=f"Kunjungan sekolah {i}", purposes=["teknologi"])
    services.visit_update(actor=manager, visit=held, data={"purposes": ["pendanaan", "teknologi"]})
    c = login(manager)
    with django_assert_max_num_queries(9):
        page = c.get("/kunjungan/").content.decode()
    assert "7 kunjungan" in page and "Kaji tiru ke Pati" in page
    assert "1 kunjungan" in c.get("/kunjungan/?direction=keluar").content.decode()
    assert "1 kunjungan" in c.get("/kunjungan/?purpose=pemasaran").content.decode()
    assert "6 kunjungan" in c.get("/kunjungan/?purpose=teknologi").content.decode()
    assert "1 kunjungan" in c.get("/kunjungan/?purpose=pendanaan").content.decode()
    assert "1 kunjungan" in c.get("/kunjungan/?year=2013").content.decode()
    assert "1 kunjungan" in c.get("/kunjungan/?state=dilaksanakan&q=DKI").content.decode()
    assert "0 kunjungan" in c.get("/kunjungan/?q=Pati&direction=masuk").content.decode()
    r = c.get("/kunjungan/?purpose=pemasaran", headers={"HX-Request": "true"})
    assert "<html" not in r.content.decode() and "Kaji tiru ke Pati" in r.content.decode()
    sheet = load_workbook(io.BytesIO(c.get("/kunjungan/?format=xlsx&direction=keluar").content)).active
    assert sheet["A2"].value == "Kaji tiru ke Pati" and sheet["K2"].value == "Pemasaran" and sheet.max_row == 2
    csv = c.get("/kunjungan/?format=csv&state=dilaksanakan").content.decode("utf-8-sig")
    assert "Kunjungan kerja DKI Jakarta" in csv and "Pendanaan, Teknologi (TTG)" in csv


def test_detail_query_budget(held, manager, django_assert_max_num_queries) -> None:
    _parts(held, manager)
    add_agenda(manager, held, title="Paparan", kind="paparan", site_region="")
    c = login(manager)
    with django_assert_max_num_queries(18):
        page = c.get(held.get_absolute_url()).content.decode()
    assert "Paparan" in page and "Bahan paparan" in page and "Audiensi" in page and "20" in page
