"""What the pages say as a new user finds them: forms that preselect and explain, parties not offered twice, result
forms that name what is missing, and an agreement page that reads well in every state (period, steps, reminders)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from conftest import login
from posyantek.core.templatetags.fmt import tanggal
from posyantek.partnerships import agreement_services
from posyantek.partnerships.models import Agreement, Partner
from posyantek.partnerships.tests.conftest import add_partner, explore, sign

TODAY = timezone.localdate()


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(1))


def test_forms_preselect_the_one_post_and_ask_in_indonesian(manager, officer, posts, draft) -> None:
    c = login(manager)
    for url in ("/kemitraan/baru", "/kemitraan/mitra/baru", "/kemitraan/mitra/impor"):
        html = c.get(url).content.decode()
        assert _selected(html, "post") == [str(posts["mitra"].pk)], url  # the one post this manager works for
        assert "– pilih pos –" in html and "---------" not in html, url
    html = c.get("/kemitraan/mitra/impor").content.decode()
    assert html.index('for="id_post"') < html.index('for="id_file"')  # first the post, then its register
    html = c.get("/kemitraan/baru").content.decode()
    assert "– saya sendiri –" in html and "diingatkan 90 dan 30 hari sebelum berakhir" in html
    html = c.get(f"/kemitraan/{draft.pk}/ubah").content.decode()
    assert "– tidak ada: para pengelola pos yang diingatkan –" in html  # empty is no longer "you" on an edit
    html = login(officer).get("/kemitraan/baru").content.decode()
    assert _selected(html, "post") == [""]  # several posts: the officer picks one
    r = c.post("/kemitraan/baru", {"title": "Tanpa pos", "doc_kind": "mou"})
    assert "Pilih pos." in r.content.decode() and not Agreement.objects.filter(title="Tanpa pos").exists()


def test_a_bad_phone_is_told_together_with_the_other_errors(manager, posts) -> None:
    body = {"post": posts["mitra"].pk, "name": "Paguyuban Batik Pesisir", "kind": "komunitas", "phone": "12ab",
            "email": "bukan-email"}  # fmt: skip
    html = login(manager).post("/kemitraan/mitra/baru", body).content.decode()
    assert "Nomor telepon 12ab tidak dikenal" in html and "Alamat e-mail tidak valid." in html
    assert 'value="Paguyuban Batik Pesisir"' in html and not Partner.objects.exists()
    partner = add_partner(manager, posts["mitra"])
    r = login(manager).post(f"/kemitraan/mitra/{partner.pk}/kontak", {"name": "Dr. Sri", "phone": "abc"})
    assert r.status_code == 422 and "Nomor telepon abc tidak dikenal" in r.content.decode()


def test_an_agreement_recorded_from_the_partner_page_has_the_partner_as_party(manager, outsider, posts,
                                                                               unikal) -> None:  # fmt: skip
    c = login(manager)
    assert f"/kemitraan/baru?mitra={unikal.pk}" in c.get(unikal.get_absolute_url()).content.decode()
    html = c.get(f"/kemitraan/baru?mitra={unikal.pk}").content.decode()
    assert "Universitas Pekalongan (UNIKAL) dicatat sebagai pihak kedua" in html
    assert f'name="partner" value="{unikal.pk}"' in html and _selected(html, "post") == [str(posts["mitra"].pk)]
    body = {"post": posts["mitra"].pk, "title": "Pendampingan TTG", "doc_kind": "mou", "partner": unikal.pk}
    r = c.post("/kemitraan/baru", body)
    ag = Agreement.objects.get()
    assert r.status_code == 302 and [str(p) for p in ag.parties.all()] == ["Posyantek Mitra Pantura", unikal.name]
    # Someone outside Mitra Pantura learns nothing from the partner's id, and cannot use it.
    other = login(outsider)
    assert unikal.name not in other.get(f"/kemitraan/baru?mitra={unikal.pk}").content.decode()
    r = other.post("/kemitraan/baru", {**body, "post": posts["dki"].pk})
    assert r.status_code == 200 and Agreement.objects.count() == 1


def test_parties_already_listed_are_not_offered_again(manager, draft, unikal, csr) -> None:
    c = login(manager)
    html = c.get(draft.get_absolute_url()).content.decode()
    assert 'name="is_post"' not in html  # the post is the first party from the start
    assert c.post(f"/kemitraan/{draft.pk}/pihak", {"partner": unikal.pk}).status_code == 302
    html = c.get(draft.get_absolute_url()).content.decode()
    assert f'<option value="{unikal.pk}" disabled>{unikal.name} (sudah menjadi pihak)</option>' in html
    assert f'<option value="{csr.pk}">{csr.name}</option>' in html
    r = c.post(f"/kemitraan/{draft.pk}/pihak", {"partner": unikal.pk})  # sent anyway: the service says why
    assert r.status_code == 422 and "satu pihak hanya dicatat sekali" in r.content.decode()


def test_result_forms_say_what_is_missing(manager, signed) -> None:
    c = login(manager)
    cases = [
        ({"kind": "bintek"}, "Pilih Bintek yang diberikan."),
        ({"kind": "ttg"}, "Pilih TTG yang dikembangkan."),
        ({"kind": "pesanan"}, "Tulis kode pesanannya."),
        ({"kind": "permohonan"}, "Tulis kode permohonannya."),
        ({"kind": "dana"}, "Isi jumlah dana yang diterima, mis. 2.500.000."),
        ({"kind": "dana", "hasil-dana-amount": "0"}, "Jumlah harus lebih dari Rp 0."),
        ({"kind": "dana", "hasil-dana-amount": "-5.000"}, "Jumlah harus lebih dari Rp 0."),
        ({"kind": "lainnya"}, "Tulis uraian hasilnya."),
    ]
    for body, message in cases:
        r = c.post(f"/kemitraan/{signed.pk}/hasil", body)
        html = r.content.decode()
        assert r.status_code == 422 and message in html and "Bidang ini tidak boleh kosong" not in html, body
    assert not signed.results.exists()


def test_the_agreement_page_reads_well_in_every_state(manager, posts, unikal) -> None:
    c = login(manager)
    bare = explore(manager, posts["mitra"], title="Tanpa tanggal")
    html = c.get(bare.get_absolute_url()).content.decode()
    assert re.search(r'id="ag-period">belum diisi<', html)
    assert "Isi tanggal berlaku sampai agar pengingat dapat dikirim" in html
    assert "Tahap berikutnya: Draf" in html and "<summary>Tidak dilanjutkan?</summary>" in html
    assert "Keterangan (boleh kosong)" in html and "Belum ada hasil tercatat" not in html
    assert "dicatat setelah kerja sama ditandatangani" in html

    start = TODAY + dt.timedelta(days=10)
    half = explore(manager, posts["mitra"], title="Baru mulai", starts_on=start)
    html = c.get(half.get_absolute_url()).content.decode()
    assert f"mulai {tanggal(start)}, tanggal berakhir belum diisi" in html and "– –" not in html

    end = TODAY + dt.timedelta(days=200)
    running = sign(manager, explore(manager, posts["mitra"], title="Berjalan", ends_on=end), unikal)
    html = c.get(running.get_absolute_url()).content.decode()
    due = tanggal(end - dt.timedelta(days=90))
    assert f"Pengingat berikutnya: H-90, {due}, kepada manager@example.id." in html

    past = sign(manager, explore(manager, posts["mitra"], title="Sudah lewat", starts_on=TODAY - dt.timedelta(400),
                                 ends_on=TODAY - dt.timedelta(days=2)), unikal)  # fmt: skip
    html = c.get(past.get_absolute_url()).content.decode()
    assert 'id="ag-past-end"' in html and "Lewat tanggal berakhir" in html
    listed = c.get("/kemitraan/?expiring=lewat").content.decode()
    assert "1 kerja sama" in listed and "Sudah lewat" in listed and "sudah lewat" in listed

    stopped = agreement_services.agreement_advance(actor=manager, agreement=bare, state="berakhir")
    html = c.get(stopped.get_absolute_url()).content.decode()
    assert "Tidak ada pengingat lagi: kerja sama ini sudah berakhir." in html and "step-form" not in html
