"""Partnership pages: access (outsider 404, too-low role 403), forms, parties, steps, results, lists and exports."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login
from posyantek.partnerships import agreement_services, services
from posyantek.partnerships.models import Agreement, AgreementReminder, Partner
from posyantek.partnerships.result_services import result_add
from posyantek.partnerships.tests.conftest import PDF, add_partner, explore, make_bintek, make_order, sign

TODAY = timezone.localdate()


def _pages(p: Partner, ag: Agreement) -> list[str]:
    return [f"/kemitraan/mitra/{p.pk}/", f"/kemitraan/{ag.pk}/"]


def _edit_pages(p: Partner, ag: Agreement) -> list[str]:
    return [f"/kemitraan/mitra/{p.pk}/ubah", f"/kemitraan/mitra/{p.pk}/kontak/{p.contacts.get().pk}/ubah",
            f"/kemitraan/{ag.pk}/ubah", f"/kemitraan/{ag.pk}/pihak/{ag.parties.first().pk}/ubah"]  # fmt: skip


def _posts(p: Partner, ag: Agreement) -> list[str]:
    return [
        f"/kemitraan/mitra/{p.pk}/kontak",
        f"/kemitraan/mitra/{p.pk}/kontak/{p.contacts.get().pk}/hapus",
        f"/kemitraan/{ag.pk}/tahap",
        f"/kemitraan/{ag.pk}/pihak",
        f"/kemitraan/{ag.pk}/pihak/{ag.parties.first().pk}/hapus",
        f"/kemitraan/{ag.pk}/hasil",
        f"/kemitraan/{ag.pk}/hasil/{ag.results.get().pk}/hapus",
    ]


def _world(manager, posts, signed, unikal):
    services.contact_add(actor=manager, partner=unikal, data={"name": "Dr. Sri Wahyuni", "phone": "081234567890"})
    result_add(actor=manager, agreement=signed, data={"kind": "bintek", "bintek": make_bintek(posts["mitra"])})
    return unikal, signed


def test_outsider_gets_404_everywhere(manager, outsider, posts, signed, unikal) -> None:
    p, ag = _world(manager, posts, signed, unikal)
    c = login(outsider)
    for url in [*_pages(p, ag), *_edit_pages(p, ag), f"/kemitraan/{ag.pk}/berkas"]:
        assert c.get(url).status_code == 404, url
    for url in _posts(p, ag):
        assert c.post(url, {"kind": "lainnya"}).status_code == 404, url
    assert p.name not in c.get("/kemitraan/mitra/").content.decode()
    assert ag.title not in c.get("/kemitraan/").content.decode()
    assert ag.title not in c.get("/kemitraan/?format=csv").content.decode("utf-8-sig")
    assert p.name not in c.get("/kemitraan/mitra/?format=csv").content.decode("utf-8-sig")


def test_viewer_sees_but_gets_403_on_changes(manager, viewer, posts, signed, unikal) -> None:
    p, ag = _world(manager, posts, signed, unikal)
    c = login(viewer)
    for url in _pages(p, ag):
        assert c.get(url).status_code == 200, url
    for url in [*_edit_pages(p, ag), "/kemitraan/baru", "/kemitraan/mitra/baru", "/kemitraan/mitra/impor"]:
        assert c.get(url).status_code == 403, url
    for url in _posts(p, ag):
        assert c.post(url, {"kind": "lainnya"}).status_code == 403, url
    page = c.get(ag.get_absolute_url()).content.decode()
    assert "Lanjut ke" not in page and "Tambah pihak" not in page and "Catat: " not in page


def test_wartek_staff_sees_nothing_of_its_parent_and_works_on_its_own(manager, staff, posts, signed, unikal) -> None:
    c = login(staff)
    assert c.get(signed.get_absolute_url()).status_code == 404
    assert c.get(unikal.get_absolute_url()).status_code == 404
    r = c.post("/kemitraan/mitra/baru", {"post": posts["wartek"].pk, "name": "KUB Mina Sejahtera", "kind": "komunitas"})
    mine = Partner.objects.get(name="KUB Mina Sejahtera")
    assert r.status_code == 302 and r["Location"] == mine.get_absolute_url() and mine.post == posts["wartek"]


def test_post_only_views_reject_get(manager, posts, signed, unikal) -> None:
    p, ag = _world(manager, posts, signed, unikal)
    c = login(manager)
    for url in _posts(p, ag):
        assert c.get(url).status_code == 405, url


def test_partner_form_limits_choices_keeps_input_and_saves(manager, posts, regions) -> None:
    c = login(manager)
    page = c.get("/kemitraan/mitra/baru").content.decode()
    assert "Posyantek Mitra Pantura" in page and 'name="post"' in page
    assert f'<option value="{posts["dki"].pk}">Posyantek Gambir' not in page.split('name="other_post"')[0]
    body = {"post": posts["mitra"].pk, "name": "PT Pantura Sejahtera (program CSR)", "kind": "perusahaan",
            "phone": "telepon", "province": "33", "regency": "31.71"}  # fmt: skip
    r = c.post("/kemitraan/mitra/baru", body)
    html = r.content.decode()
    assert r.status_code == 200 and "Pilih kabupaten/kota di provinsi yang dipilih." in html
    assert 'value="PT Pantura Sejahtera (program CSR)"' in html and not Partner.objects.exists()
    r = c.post("/kemitraan/mitra/baru", {**body, "regency": "33.75"})
    assert r.status_code == 200 and "tidak dikenal" in r.content.decode()
    r = c.post("/kemitraan/mitra/baru", {**body, "regency": "33.75", "phone": "0285-421234"})
    p = Partner.objects.get()
    assert r.status_code == 302 and p.home_region_id == "33.75" and p.phone == "0285-421234"
    # Without JavaScript, the button shows the province's kabupaten/kota and keeps what was typed.
    r = c.post(f"/kemitraan/mitra/{p.pk}/ubah", {**body, "province": "31", "regency": "", "action": "wilayah"})
    html = r.content.decode()
    assert r.status_code == 200 and "Kota Administrasi Jakarta Pusat" in html and "Kota Pekalongan</option>" not in html
    r = c.get("/kemitraan/mitra/wilayah?province=33", headers={"HX-Request": "true"})
    assert 'id="partner-region"' in r.content.decode() and "Kota Pekalongan" in r.content.decode()


def test_partner_detail_contacts_agreements_and_history(manager, posts, signed, unikal,
                                                        django_assert_max_num_queries) -> None:  # fmt: skip
    c = login(manager)
    r = c.post(f"/kemitraan/mitra/{unikal.pk}/kontak", {"name": "", "phone": "12"})
    assert r.status_code == 422 and "Tulis nama orangnya." in r.content.decode()
    r = c.post(f"/kemitraan/mitra/{unikal.pk}/kontak", {"name": "Dr. Sri Wahyuni", "position": "Ketua LPPM",
                                                         "phone": "0812 3456 7890"})  # fmt: skip
    assert r.status_code == 302
    contact = unikal.contacts.get()
    r = c.post(f"/kemitraan/mitra/{unikal.pk}/kontak/{contact.pk}/ubah", {"name": "Dr. Sri Wahyuni, M.T.",
                                                                          "phone": "0812 3456 7890"})  # fmt: skip
    assert r.status_code == 302
    with django_assert_max_num_queries(15):
        page = c.get(unikal.get_absolute_url()).content.decode()
    assert "Dr. Sri Wahyuni, M.T." in page and "0812-3456-7890" in page and signed.title in page
    assert "Riwayat" in page and "Kontak" in page
    c.post(f"/kemitraan/mitra/{unikal.pk}/kontak/{contact.pk}/hapus")
    assert not unikal.contacts.exists()


def test_partner_list_budget_filters_and_exports(manager, officer, posts, django_assert_max_num_queries) -> None:
    for i in range(27):
        p = add_partner(manager, posts["mitra"], f"Mitra {i:02d}", kind="bumdes" if i < 4 else "perusahaan")
        services.contact_add(actor=manager, partner=p, data={"name": f"Kontak {i}"})
    add_partner(officer, posts["wartek"], "Universitas Pekalongan (UNIKAL)")
    c = login(officer)
    with django_assert_max_num_queries(12):
        r = c.get("/kemitraan/mitra/?q=Mitra")
    assert r.status_code == 200 and "27 mitra" in r.content.decode() and "Halaman 1 dari 2" in r.content.decode()
    assert "4 mitra" in c.get("/kemitraan/mitra/?kind=bumdes").content.decode()
    assert "1 mitra" in c.get(f"/kemitraan/mitra/?post={posts['wartek'].pk}").content.decode()
    assert "1 mitra" in c.get("/kemitraan/mitra/?q=Kontak+13").content.decode()
    assert "<html" not in c.get("/kemitraan/mitra/?q=Mitra", headers={"HX-Request": "true"}).content.decode()
    with django_assert_max_num_queries(12):
        r = c.get("/kemitraan/mitra/?format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row == 29 and ws["A1"].value == "Nama" and ws["L2"].value == 1
    assert c.get("/kemitraan/mitra/?format=csv&kind=bumdes").content.decode("utf-8-sig").count("\n") == 5
    assert c.get("/kemitraan/mitra/?q=%00a&post=%00").status_code == 200


def test_agreement_form_refuses_backwards_dates_and_a_fake_pdf_then_saves(manager, posts) -> None:
    c = login(manager)
    body = {"post": posts["mitra"].pk, "title": "Kerja sama CSR pengering ikan", "doc_kind": "pks",
            "starts_on": "2026-05-01", "ends_on": "2026-04-30", "value": "Rp 150.000.000"}  # fmt: skip
    r = c.post("/kemitraan/baru", body)
    html = r.content.decode()
    assert r.status_code == 200 and "Tanggal berakhir tidak boleh sebelum tanggal mulai berlaku." in html
    assert 'value="Kerja sama CSR pengering ikan"' in html and not Agreement.objects.exists()
    fake = SimpleUploadedFile("mou.pdf", b"not a pdf")
    r = c.post("/kemitraan/baru", {**body, "ends_on": "2028-04-30", "file": fake})
    assert "Berkas perjanjian harus PDF." in r.content.decode() and not Agreement.objects.exists()
    r = c.post("/kemitraan/baru", {**body, "ends_on": "2028-04-30", "file": SimpleUploadedFile("mou.pdf", PDF)})
    ag = Agreement.objects.get()
    assert r.status_code == 302 and ag.value == 150_000_000 and ag.manager == manager and ag.file
    r = c.get(f"/kemitraan/{ag.pk}/berkas")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")


def test_stale_edit_is_refused(manager, officer, draft) -> None:
    body = {"post": draft.post_id, "title": "Judul baru", "doc_kind": "mou", "version": 1}
    assert login(manager).post(f"/kemitraan/{draft.pk}/ubah", body).status_code == 302
    r = login(officer).post(f"/kemitraan/{draft.pk}/ubah", {**body, "title": "Judul lama"})
    assert r.status_code == 200 and "sudah diubah orang lain" in r.content.decode()


def test_parties_and_steps_through_the_page(manager, draft, unikal) -> None:
    c = login(manager)
    r = c.post(f"/kemitraan/{draft.pk}/tahap", {"state": "ditandatangani", "version": 1})
    assert r.status_code == 422 and "Dari tahap Penjajakan hanya boleh ke: Draf, Berakhir." in r.content.decode()
    assert c.post(f"/kemitraan/{draft.pk}/tahap", {"state": "draf", "version": 1}).status_code == 302
    r = c.post(f"/kemitraan/{draft.pk}/tahap", {"state": "ditandatangani", "version": 2, "signed_on": "2026-01-15",
                                                "note": "Di aula rektorat"})  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 422 and "paling sedikit dua pihak" in html
    assert 'value="2026-01-15"' in html and 'value="Di aula rektorat"' in html  # nothing typed is lost
    assert c.post(f"/kemitraan/{draft.pk}/pihak", {"partner": unikal.pk, "signatory": "Rektor"}).status_code == 302
    r = c.post(f"/kemitraan/{draft.pk}/pihak", {"partner": unikal.pk})
    assert r.status_code == 422 and "sudah tercatat sebagai pihak" in r.content.decode()
    r = c.post(f"/kemitraan/{draft.pk}/tahap", {"state": "ditandatangani", "version": 2, "signed_on": "2026-01-15"})
    draft.refresh_from_db()
    assert r.status_code == 302 and draft.state == "ditandatangani" and str(draft.signed_on) == "2026-01-15"
    page = c.get(draft.get_absolute_url()).content.decode()
    assert "Tambah pihak" not in page and "Lanjut ke: Berjalan" in page and "Catat: Bintek diberikan" in page


def test_results_through_the_page_grouped_with_totals(manager, posts, signed, django_assert_max_num_queries) -> None:
    b = make_bintek(posts["wartek"], "Bintek Pengeringan Ikan Higienis", participants=27)
    order = make_order(posts["mitra"], total=13_500_000, buyer_name="Gapoktan Sido Makmur")
    c = login(manager)
    r = c.post(f"/kemitraan/{signed.pk}/hasil", {"kind": "bintek"})
    assert r.status_code == 422 and "This field" not in r.content.decode()
    assert c.post(f"/kemitraan/{signed.pk}/hasil", {"kind": "bintek", "hasil-bintek-bintek": b.pk}).status_code == 302
    r = c.post(f"/kemitraan/{signed.pk}/hasil", {"kind": "bintek", "hasil-bintek-bintek": b.pk})
    assert r.status_code == 422 and "sudah tercatat sebagai hasil" in r.content.decode()
    r = c.post(f"/kemitraan/{signed.pk}/hasil", {"kind": "pesanan", "hasil-pesanan-order_code": "TIDAKADA"})
    assert r.status_code == 422 and "TIDAKADA tidak ditemukan" in r.content.decode()
    r = c.post(f"/kemitraan/{signed.pk}/hasil", {"kind": "pesanan", "hasil-pesanan-order_code": order.code.lower()})
    assert r.status_code == 302
    r = c.post(f"/kemitraan/{signed.pk}/hasil", {"kind": "dana", "hasil-dana-amount": "Rp 25.000.000",
                                                 "hasil-dana-description": "Dana CSR tahap 1"})  # fmt: skip
    assert r.status_code == 302
    AgreementReminder.objects.create(agreement=signed, days_before=90, ends_on=signed.ends_on, sent_at=timezone.now(),
                                     recipients="manager@example.id")  # fmt: skip
    with django_assert_max_num_queries(22):
        page = c.get(signed.get_absolute_url()).content.decode()
    assert "Bintek Pengeringan Ikan Higienis" in page and "10 April 2026" in page and ">27<" in page
    assert order.code in page and "Rp 13.500.000" in page and "Rp 25.000.000" in page
    assert "Rp 38.500.000" in page  # orders + funds
    assert "H-90" in page and "manager@example.id" in page
    r = c.post(f"/kemitraan/{signed.pk}/hasil", {"kind": "tidakada"})
    assert r.status_code == 404


def test_agreement_list_budget_expiring_filter_and_exports(manager, officer, posts, unikal,
                                                           django_assert_max_num_queries) -> None:  # fmt: skip
    for i in range(26):
        ag = explore(
            manager, posts["mitra"], title=f"Kerja sama {i:02d}", ends_on=TODAY + dt.timedelta(days=30 + i * 10)
        )
        if i < 6:
            sign(manager, ag, unikal)
    c = login(officer)
    with django_assert_max_num_queries(12):
        r = c.get("/kemitraan/?q=Kerja")
    html = r.content.decode()
    assert r.status_code == 200 and "26 kerja sama" in html and "Universitas Pekalongan (UNIKAL)" in html
    r = c.get("/kemitraan/?expiring=ya")
    assert "6 kerja sama" in r.content.decode() and "hari lagi" in r.content.decode()
    assert "6 kerja sama" in c.get(f"/kemitraan/?partner={unikal.pk}").content.decode()
    assert "6 kerja sama" in c.get("/kemitraan/?state=ditandatangani").content.decode()
    assert "1 kerja sama" in c.get("/kemitraan/?q=UNIKAL+05").content.decode()
    with django_assert_max_num_queries(12):
        r = c.get("/kemitraan/?format=xlsx&expiring=ya")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row == 7 and ws["J2"].value == "ya" and "Universitas Pekalongan" in ws["E2"].value
    assert c.get("/kemitraan/?q=%00&partner=%00&expiring=x").status_code == 200


def test_extension_through_the_page_lands_on_the_new_agreement(manager, signed) -> None:
    ag = agreement_services.agreement_advance(actor=manager, agreement=signed, state="berjalan")
    c = login(manager)
    r = c.post(f"/kemitraan/{ag.pk}/tahap", {"state": "dievaluasi", "version": ag.version, "evaluation": ""})
    assert r.status_code == 422 and "Tulis hasil evaluasinya dulu" in r.content.decode()
    c.post(f"/kemitraan/{ag.pk}/tahap", {"state": "dievaluasi", "version": ag.version, "evaluation": "Tercapai"})
    ag.refresh_from_db()
    end = (ag.ends_on + dt.timedelta(days=365)).isoformat()
    r = c.post(f"/kemitraan/{ag.pk}/tahap", {"state": "diperpanjang", "version": ag.version, "ends_on": end})
    new = Agreement.objects.get(extends=ag)
    assert r.status_code == 302 and r["Location"] == new.get_absolute_url()
    page = c.get(new.get_absolute_url()).content.decode()
    assert "Perpanjangan dari" in page and signed.title in page
