"""Staff pages: access (outsider 404, too-low role 403), forms, states, lists with query budgets, exports, files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from conftest import login
from posyantek.core.models import AuditEvent
from posyantek.trainings import services
from posyantek.trainings.models import Bintek, FollowUp, Participant
from posyantek.trainings.tests.conftest import PDF


@pytest.fixture
def full(held, staff) -> Bintek:
    """The held Bintek with a certificate, a follow-up, a material and an outcome: every page has something."""
    services.certificate_issue(actor=staff, participant=held.participants.get(number=1))
    services.followup_create(
        actor=staff,
        bintek=held,
        data={"kind": "kelompok", "description": "KUB", "owner": "RW", "target_date": held.ends_on},
    )
    services.material_add(actor=staff, bintek=held, kind="materi", upload=SimpleUploadedFile("m.pdf", PDF))
    return held


def _pages(b: Bintek) -> list[str]:
    p = b.participants.get(number=1)
    return [
        f"/bintek/{b.pk}/",
        f"/bintek/{b.pk}/peserta/",
        f"/bintek/{b.pk}/peserta/?format=csv",
        f"/bintek/{b.pk}/presensi/{b.sessions.get().pk}/qr.svg",
        f"/bintek/{b.pk}/peserta/{p.pk}/sertifikat.pdf",
        f"/bintek/{b.pk}/berkas/materi/{b.materials.get().pk}",
    ]


def _edit_pages(b: Bintek) -> list[str]:
    p = b.participants.first()
    return [
        f"/bintek/{b.pk}/ubah",
        f"/bintek/{b.pk}/peserta/baru",
        f"/bintek/{b.pk}/peserta/{p.pk}/ubah",
        f"/bintek/{b.pk}/peserta/impor",
        f"/bintek/{b.pk}/tindak-lanjut/{b.followups.get().pk}/ubah",
    ]


def _posts(b: Bintek) -> list[str]:
    p = b.participants.first()
    return [
        f"/bintek/{b.pk}/tahap",
        f"/bintek/{b.pk}/laporan",
        f"/bintek/{b.pk}/berkas",
        f"/bintek/{b.pk}/presensi",
        f"/bintek/{b.pk}/sertifikat",
        f"/bintek/{b.pk}/tindak-lanjut",
        f"/bintek/{b.pk}/hasil",
        f"/bintek/{b.pk}/peserta/{p.pk}/hadir",
        f"/bintek/{b.pk}/peserta/{p.pk}/sertifikat",
        f"/bintek/{b.pk}/hapus",
        f"/bintek/{b.pk}/peserta/{p.pk}/hapus",
        f"/bintek/{b.pk}/tindak-lanjut/{b.followups.get().pk}/hapus",
        f"/bintek/{b.pk}/berkas/{b.materials.get().pk}/hapus",
    ]


def test_outsider_gets_404_everywhere(full, outsider) -> None:
    c = login(outsider)
    for url in _pages(full) + _edit_pages(full):
        assert c.get(url).status_code == 404, url
    for url in _posts(full):
        assert c.post(url).status_code == 404, url
    assert full.title not in c.get("/bintek/").content.decode()
    assert c.get("/bintek/?format=xlsx").status_code == 200


def test_viewer_sees_but_gets_403_on_changes(full, viewer) -> None:
    c = login(viewer)
    for url in _pages(full):
        assert c.get(url).status_code == 200, url
    for url in _edit_pages(full):
        assert c.get(url).status_code == 403, url
    for url in _posts(full):
        assert c.post(url).status_code == 403, url
    assert c.get("/bintek/baru").status_code == 403
    assert full.title in c.get("/bintek/").content.decode()


def test_post_only_views_reject_get(full, staff) -> None:
    c = login(staff)
    for url in _posts(full):
        assert c.get(url).status_code == 405, url


def test_anonymous_is_sent_to_login(held, client) -> None:
    r = client.get(f"/bintek/{held.pk}/")
    assert r.status_code == 302 and "/akun/masuk" in r["Location"]


def test_create_form_limits_choices_and_saves(staff, posts, regions) -> None:
    c = login(staff)
    page = c.get("/bintek/baru").content.decode()
    assert "Wartek Panjang Wetan" in page and "Posyantek Gambir" not in page and "Mitra Pantura" not in page
    r = c.post(
        "/bintek/baru",
        {
            "title": "Bintek Abon Ikan",
            "post": posts["wartek"].pk,
            "starts_on": "2026-05-01",
            "ends_on": "2026-05-01",
            "budget": "3000000",
            "funding_source": "swadaya",
            "tor": SimpleUploadedFile("kak.pdf", PDF),
        },
    )
    b = Bintek.objects.get(title="Bintek Abon Ikan")
    assert r.status_code == 302 and r["Location"] == f"/bintek/{b.pk}/"
    assert b.tor and b.region_id == "33.75.03.1004"
    page = c.get(f"/bintek/{b.pk}/").content.decode()
    assert "Rp 3.000.000" in page and "1 Mei 2026" in page and "Riwayat" in page


def test_create_form_shows_errors_and_saves_nothing(staff, posts) -> None:
    c = login(staff)
    r = c.post(
        "/bintek/baru",
        {
            "title": "X",
            "post": posts["wartek"].pk,
            "starts_on": "2026-05-02",
            "ends_on": "2026-05-01",
            "budget": "-5",
            "tor": SimpleUploadedFile("a.pdf", b"no"),
        },
    )
    assert r.status_code == 200
    assert not Bintek.objects.exists()
    assert "error-summary" in r.content.decode()


@pytest.mark.parametrize(
    ("typed", "saved"), [("5.000", 5_000), ("Rp 1.250.000", 1_250_000), ("2500000", 2_500_000), (" 750 000 ", 750_000)]
)
def test_budget_is_read_as_rupiah_with_thousands_dots(staff, posts, typed, saved) -> None:
    r = login(staff).post(
        "/bintek/baru",
        {"title": "Bintek Abon", "post": posts["wartek"].pk, "starts_on": "2026-05-01", "ends_on": "2026-05-01",
         "budget": typed},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()
    assert Bintek.objects.get().budget == saved


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "Tidak boleh negatif."),
        ("1,5", "Tulis rupiah bulat tanpa sen"),
        ("1.5", "Tulis rupiah bulat tanpa sen"),
        ("9" * 20, "terlalu besar"),
    ],
)
def test_bad_budget_gets_an_indonesian_field_message(staff, posts, typed, message) -> None:
    r = login(staff).post(
        "/bintek/baru",
        {"title": "Bintek Abon", "post": posts["wartek"].pk, "starts_on": "2026-05-01", "ends_on": "2026-05-01",
         "budget": typed},
    )  # fmt: skip
    assert r.status_code == 200 and message in r.context["form"].errors["budget"][0]
    assert not Bintek.objects.exists()


def test_edit_form_shows_the_budget_with_dots_and_keeps_it(bintek, staff) -> None:
    c = login(staff)
    page = c.get(f"/bintek/{bintek.pk}/ubah").content.decode()
    assert 'value="12.500.000"' in page and 'inputmode="numeric"' in page


def test_stale_edit_form_is_refused(bintek, staff, officer) -> None:
    services.bintek_update(actor=officer, bintek=bintek, data={"title": "Dari petugas"})
    r = login(staff).post(
        f"/bintek/{bintek.pk}/ubah",
        {
            "title": "Dari staf",
            "post": bintek.post_id,
            "starts_on": "2026-04-10",
            "ends_on": "2026-04-11",
            "budget": "0",
            "version": "1",
        },
    )
    assert r.status_code == 200 and "sudah diubah orang lain" in r.content.decode()
    assert Bintek.objects.get(pk=bintek.pk).title == "Dari petugas"


def test_state_skip_is_refused_with_a_message(bintek, staff) -> None:
    c = login(staff)
    r = c.post(f"/bintek/{bintek.pk}/tahap", {"state": "laporan"}, follow=True)
    assert "tidak boleh dilompati" in r.content.decode()
    r = c.post(f"/bintek/{bintek.pk}/tahap", {"state": "undangan", "note": "Surat undangan"}, follow=True)
    assert Bintek.objects.get(pk=bintek.pk).state == "undangan"
    assert "Surat undangan" in r.content.decode()


def test_detail_shows_counts_and_results(held, staff) -> None:
    page = login(staff).get(f"/bintek/{held.pk}/").content.decode()
    assert 'id="hasil"' in page and "1/2" in page
    assert "Laki-laki 1 · Perempuan 1" in page
    assert "Nelayan / pengolah ikan 1" in page


def test_participant_form_and_scores(held, staff) -> None:
    c = login(staff)
    p = held.participants.get(number=1)
    r = c.post(
        f"/bintek/{held.pk}/peserta/{p.pk}/ubah",
        {
            "name": "Siti",
            "sex": "P",
            "group": "nelayan",
            "phone": "081211112222",
            "pre_score": "40",
            "post_score": "101",
            "version": "1",
        },
    )
    assert r.status_code == 200 and "0 dan 100" in r.content.decode()
    r = c.post(
        f"/bintek/{held.pk}/peserta/{p.pk}/ubah",
        {
            "name": "Siti",
            "sex": "P",
            "group": "nelayan",
            "phone": "081211112222",
            "pre_score": "40",
            "post_score": "90",
            "version": "1",
        },
    )
    assert r.status_code == 302
    assert Participant.objects.get(pk=p.pk).post_score == 90


def test_certificate_for_absent_participant_is_refused(held, staff) -> None:
    c = login(staff)
    kasnadi = held.participants.get(number=2)
    r = c.post(f"/bintek/{held.pk}/peserta/{kasnadi.pk}/sertifikat", follow=True)
    assert "tidak tercatat hadir" in r.content.decode()
    c.post(f"/bintek/{held.pk}/peserta/{kasnadi.pk}/hadir", {"session": held.sessions.first().pk})
    c.post(f"/bintek/{held.pk}/peserta/{kasnadi.pk}/sertifikat")
    assert Participant.objects.get(pk=kasnadi.pk).certificate_code


def test_certificate_pdf(held, staff) -> None:
    p = services.certificate_issue(actor=staff, participant=held.participants.get(number=1))
    r = login(staff).get(f"/bintek/{held.pk}/peserta/{p.pk}/sertifikat.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_certificate_pdf_without_pango_is_503(held, staff, monkeypatch) -> None:
    from posyantek.trainings import certificates

    def broken(html: str) -> bytes:
        raise OSError("cannot load library 'libgobject-2.0-0'")

    monkeypatch.setattr(certificates, "_pdf", broken)
    p = services.certificate_issue(actor=staff, participant=held.participants.get(number=1))
    r = login(staff).get(f"/bintek/{held.pk}/peserta/{p.pk}/sertifikat.pdf")
    assert r.status_code == 503


def test_followup_and_outcome_forms(held, staff) -> None:
    c = login(staff)
    r = c.post(
        f"/bintek/{held.pk}/tindak-lanjut",
        {
            "kind": "alat",
            "description": "3 unit pengering",
            "owner": "Pos",
            "target_date": "2026-06-01",
            "status": "selesai",
        },
        follow=True,
    )
    assert "perlu bukti" in r.content.decode()
    c.post(
        f"/bintek/{held.pk}/tindak-lanjut",
        {
            "kind": "alat",
            "description": "3 unit pengering",
            "owner": "Pos",
            "target_date": "2026-06-01",
            "status": "selesai",
            "evidence": SimpleUploadedFile("ba.pdf", PDF),
        },
    )
    item = FollowUp.objects.get()
    assert item.evidence_file
    assert c.get(f"/bintek/{held.pk}/berkas/bukti/{item.pk}").status_code == 200
    r = c.post(
        f"/bintek/{held.pk}/tindak-lanjut/{item.pk}/ubah",
        {
            "kind": "alat",
            "description": "3 unit",
            "owner": "Pos",
            "target_date": "2026-06-01",
            "status": "selesai",
            "version": "1",
        },
    )
    assert r.status_code == 302
    c.post(
        f"/bintek/{held.pk}/hasil",
        {
            "month": "3",
            "measured_on": "2026-04-20",
            "applying": "1",
            "new_products": "1",
            "income_per_month": "1.500.000",
            "jobs": "1",
        },
    )
    page = c.get(f"/bintek/{held.pk}/").content.decode()
    assert "Rp 1.500.000" in page and "3 bulan" in page
    assert held.outcomes.get(month=3).income_per_month == 1_500_000
    assert AuditEvent.objects.for_object(item).count() == 2


def test_material_upload_and_download(held, staff, viewer, outsider) -> None:
    c = login(staff)
    r = c.post(
        f"/bintek/{held.pk}/berkas", {"kind": "materi", "file": SimpleUploadedFile("x.txt", b"hello")}, follow=True
    )
    assert "Berkas harus PDF atau gambar" in r.content.decode()
    c.post(f"/bintek/{held.pk}/berkas", {"kind": "materi", "file": SimpleUploadedFile("modul.pdf", PDF)})
    m = held.materials.get()
    assert login(viewer).get(f"/bintek/{held.pk}/berkas/materi/{m.pk}").status_code == 200
    assert login(outsider).get(f"/bintek/{held.pk}/berkas/materi/{m.pk}").status_code == 404


def test_bintek_list_query_budget_filter_and_export(staff, officer, posts, django_assert_max_num_queries) -> None:
    from posyantek.trainings.tests.conftest import plan

    for i in range(12):
        b = plan(staff, posts["wartek"], title=f"Bintek {i}")
        services.participant_register(actor=staff, bintek=b, data={"name": f"P{i}", "sex": "P"})
    c = login(officer)
    with django_assert_max_num_queries(12):
        r = c.get("/bintek/?q=Bintek")
    assert r.status_code == 200 and "12 Bintek" in r.content.decode()
    with django_assert_max_num_queries(12):
        r = c.get("/bintek/?format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row == 13 and ws["A1"].value == "Judul"
    r = c.get("/bintek/?format=csv&state=dievaluasi")
    assert r.content.decode("utf-8-sig").count("\n") == 1
    r = c.get("/bintek/?q=Bintek", headers={"HX-Request": "true"})
    assert "<html" not in r.content.decode()


def test_participant_list_query_budget_and_export(held, staff, django_assert_max_num_queries) -> None:
    for i in range(30):
        services.participant_register(
            actor=staff, bintek=held, data={"name": f"Peserta {i}", "sex": "L", "group": "pemuda"}
        )
    c = login(staff)
    with django_assert_max_num_queries(14):
        r = c.get(f"/bintek/{held.pk}/peserta/")
    assert "32 peserta" in r.content.decode()
    r = c.get(f"/bintek/{held.pk}/peserta/?present=true&format=csv")
    text = r.content.decode("utf-8-sig")
    assert "Siti" in text and "Kasnadi" not in text
    with django_assert_max_num_queries(14):
        r = c.get(f"/bintek/{held.pk}/peserta/?group=pemuda&format=xlsx")
    assert load_workbook(io.BytesIO(r.content)).active.max_row == 31


def test_detail_query_budget_with_the_demo_bintek(admin, staff, posts, django_assert_max_num_queries) -> None:
    import random

    from django.utils import timezone

    from posyantek.trainings.demo import load_trainings

    load_trainings(admin, random.Random(1), timezone.localdate())
    b = Bintek.objects.get(region_id="33.75.03.1004")
    c = login(staff)
    with django_assert_max_num_queries(30):
        r = c.get(f"/bintek/{b.pk}/")
    assert "27/30" in r.content.decode()
    p = b.participants.get(number=1)
    page = c.get(f"/bintek/{b.pk}/peserta/{p.pk}/ubah").content.decode()
    assert "Riwayat" in page and "Hari 1" in page and "kode sertifikat" in page.lower()
    r = c.get(f"/bintek/{b.pk}/peserta/?invited=false")
    assert "0 peserta" in r.content.decode()


def test_removals(full, staff) -> None:
    c = login(staff)
    siti, kasnadi = full.participants.order_by("number")
    r = c.post(f"/bintek/{full.pk}/peserta/{siti.pk}/hapus", follow=True)
    assert "sudah bersertifikat" in r.content.decode()
    c.post(f"/bintek/{full.pk}/peserta/{kasnadi.pk}/hapus")
    c.post(f"/bintek/{full.pk}/tindak-lanjut/{full.followups.get().pk}/hapus")
    c.post(f"/bintek/{full.pk}/berkas/{full.materials.get().pk}/hapus")
    assert list(full.participants.all()) == [siti]
    assert not full.followups.exists() and not full.materials.exists()
    r = c.post(f"/bintek/{full.pk}/hapus", follow=True)
    assert "Hanya Bintek yang masih direncanakan" in r.content.decode()
    assert "Kasnadi" in c.get(f"/bintek/{full.pk}/").content.decode()  # in the Riwayat
    assert c.post(f"/bintek/{full.pk}/lain/1/hapus").status_code == 404


def test_remove_planned_bintek(staff, posts) -> None:
    from posyantek.trainings.tests.conftest import plan

    b = plan(staff, posts["wartek"])
    r = login(staff).post(f"/bintek/{b.pk}/hapus")
    assert r.status_code == 302 and not Bintek.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_repr=b.title).exists()


def test_attendance_controls_go_once_the_report_is_written(held, staff) -> None:
    services.bintek_report(actor=staff, bintek=held, text="Laporan")
    services.bintek_advance(actor=staff, bintek=held, state="laporan")
    c = login(staff)
    assert 'name="session"' not in c.get(f"/bintek/{held.pk}/peserta/").content.decode()
    assert "Buka sesi presensi" not in c.get(f"/bintek/{held.pk}/").content.decode()
    kasnadi = held.participants.get(number=2)
    r = c.post(f"/bintek/{held.pk}/peserta/{kasnadi.pk}/hadir", {"session": held.sessions.get().pk}, follow=True)
    assert r.status_code == 200 and "Presensi sudah ditutup" in r.content.decode()
    assert not kasnadi.attendances.exists()


def test_editing_keeps_a_ttg_the_editor_cannot_see(bintek, staff, manager, posts) -> None:
    """The Wartek's staff edits a Bintek about a TTG the kecamatan post recorded: the TTG must stay linked."""
    from posyantek.catalog import ttg_services

    ttg = ttg_services.ttg_create(actor=manager, data={"name": "Pengering ikan", "post": posts["mitra"],
                                                       "sector": "energi"})  # fmt: skip
    Bintek.objects.filter(pk=bintek.pk).update(ttg=ttg)
    c = login(staff)
    page = c.get(f"/bintek/{bintek.pk}/ubah").content.decode()
    assert f'<option value="{ttg.pk}" selected>' in page
    r = c.post(
        f"/bintek/{bintek.pk}/ubah",
        {"title": "Judul baru", "post": bintek.post_id, "ttg": ttg.pk, "starts_on": "2026-04-10",
         "ends_on": "2026-04-11", "budget": "12.500.000", "version": "1"},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()
    b = Bintek.objects.get(pk=bintek.pk)
    assert (b.title, b.ttg_id, b.budget) == ("Judul baru", ttg.pk, 12_500_000)
    assert "Pengering ikan" not in c.get("/bintek/baru").content.decode()  # not offered for a new plan


def test_editing_a_participant_keeps_a_person_link_the_editor_cannot_see(bintek, staff, posts) -> None:
    from posyantek.people.models import Person

    person = Person.objects.create(name="Siti Aminah", region_id="33.75.03", post=posts["mitra"])
    siti = bintek.participants.get(number=1)
    Participant.objects.filter(pk=siti.pk).update(person=person)
    c = login(staff)
    page = c.get(f"/bintek/{bintek.pk}/peserta/{siti.pk}/ubah").content.decode()
    assert f'<option value="{person.pk}" selected>' in page
    r = c.post(
        f"/bintek/{bintek.pk}/peserta/{siti.pk}/ubah",
        {"name": "Siti", "sex": "P", "group": "nelayan", "phone": "081211112222", "person": person.pk,
         "post_score": "80", "version": "1"},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()
    siti.refresh_from_db()
    assert (siti.person_id, siti.post_score) == (person.pk, 80)


def test_a_small_form_on_the_page_comes_back_with_its_errors_and_what_was_typed(held, staff) -> None:
    c = login(staff)
    typed = {"month": "3", "measured_on": "2026-04-20", "applying": "-4", "new_products": "1",
             "income_per_month": "1.500.000", "jobs": "1"}  # fmt: skip
    r = c.post(f"/bintek/{held.pk}/hasil", typed)
    assert r.status_code == 422
    page = r.content.decode()
    assert 'class="field-error"' in page and "<details open>" in page
    assert 'value="1.500.000"' in page or 'value="1500000"' in page  # the income typed is still there
    assert not held.outcomes.exists()
    r = c.post(f"/bintek/{held.pk}/laporan", {"text": "Laporan lengkap", "file": SimpleUploadedFile("l.txt", b"x")})
    assert r.status_code == 422
    assert "Laporan lengkap" in r.content.decode()
