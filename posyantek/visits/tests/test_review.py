"""What a first walk through the visits found, kept fixed: every error of the visit form in one answer, the one
post chosen for its people, the letter and photo messages, a closed guest book that keeps its entries, a guest's
signature kept when the form comes back, readable history, the printable book and the calendar's today."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from conftest import login
from posyantek.core.selectors import history_for
from posyantek.visits import followups, guestbook, services
from posyantek.visits.models import GuestEntry, Visit
from posyantek.visits.tests.conftest import jpeg_bytes, png_data_url

API = "/api/v1/kunjungan"


def _public(visit: Visit) -> str:
    return f"/kunjungan/buku-tamu/{visit.guestbook_token}/"


def _close(held: Visit, manager) -> Visit:
    followups.follow_up_add(actor=manager, visit=held, data={"kind": "lainnya", "description": "Kirim bahan"})
    return services.visit_advance(actor=manager, visit=held, state="ditindaklanjuti")


def _history_text(visit: Visit) -> str:
    return " | ".join(f"{row.label}: {row.before} => {row.after}" for ev in history_for(visit) for row in ev.rows)


def test_form_shows_every_error_at_once_and_keeps_what_was_typed(manager, officer, posts) -> None:
    body = {"direction": "masuk", "title": "Kunjungan DKI", "institution": "BPMPKB DKI", "visitors": "0",
            "starts_on": "2014-09-10", "ends_on": "2014-09-09"}  # fmt: skip
    r = login(officer).post("/kunjungan/baru", body)  # no post chosen, zero visitors and dates backwards
    html = r.content.decode()
    assert r.status_code == 200 and not Visit.objects.exists()
    assert "Pilih pos yang menerima atau melakukan kunjungan." in html
    assert "Jumlah orang paling sedikit 1; kunjungan tanpa orang tidak dapat dicatat." in html
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in html
    assert 'value="Kunjungan DKI"' in html and 'value="2014-09-09"' in html
    r = login(officer).post("/kunjungan/baru", {**body, "post": posts["mitra"].pk, "visitors": "dua puluh"})
    assert "Tulis jumlah orang sebagai bilangan bulat, mis. 20." in r.content.decode()
    r = login(officer).post("/kunjungan/baru", {**body, "post": posts["mitra"].pk, "visitors": "-3"})
    html = r.content.decode()  # a negative count gets the same rule as zero, not "at least 0"
    assert "Jumlah orang paling sedikit 1; kunjungan tanpa orang tidak dapat dicatat." in html
    assert "lebih besar dari atau sama dengan 0" not in html and not Visit.objects.exists()


def test_a_manager_of_one_post_finds_it_chosen(manager, officer, posts) -> None:
    mitra = posts["mitra"].pk
    page = login(manager).get("/kunjungan/baru").content.decode()
    assert re.search(rf'<option value="{mitra}" selected>', page)
    other_posts = page.split('id="id_other_post"')[1].split("</select>")[0]
    assert f'value="{mitra}"' not in other_posts  # the other post of a visit is never the post itself
    page = login(officer).get("/kunjungan/baru").content.decode()  # a city officer has several: none chosen
    assert not re.search(r'<option value="\d+" selected>', page.split('id="id_post"')[1].split("</select>")[0])


def test_letter_that_is_not_a_pdf_is_told_so(manager, posts) -> None:
    data = {"post": posts["mitra"], "title": "A", "institution": "B", "visitors": 3, "starts_on": dt.date(2014, 9, 10)}
    for name, content in (("surat.png", png_bytes()), ("surat.pdf", jpeg_bytes()), ("surat.jpg", b"%PDF-1.4\n")):
        with pytest.raises(ValidationError) as exc:
            services.visit_create(actor=manager, data=data, letter_file=SimpleUploadedFile(name, content))
        assert exc.value.message_dict["letter_file"] == ["Surat permohonan harus berkas PDF."], name
    assert not Visit.objects.exists()


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


def test_a_photo_that_is_not_an_image_has_a_clear_message(scheduled, manager) -> None:
    c = login(manager)
    svg = SimpleUploadedFile("foto.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml")
    r = c.post(f"/kunjungan/{scheduled.pk}/foto", {"image": svg, "caption": "Audiensi"})
    html = r.content.decode()
    assert r.status_code == 422 and "Foto harus gambar JPG, PNG atau WEBP" in html and 'value="Audiensi"' in html
    assert not scheduled.photos.exists()


def test_a_closed_guest_book_keeps_its_entries(held, manager) -> None:
    kept = guestbook.guest_add(actor=manager, visit=held, data={"name": "Sri Rahayu"})
    twice = guestbook.guest_add(actor=manager, visit=held, data={"name": "Sri Rahayu (2)"})
    guestbook.guest_remove(actor=manager, entry=twice)  # while the book is open, a mistake can go
    done = _close(held, manager)
    with pytest.raises(guestbook.GuestbookClosed) as exc:
        guestbook.guest_remove(actor=manager, entry=kept)
    assert exc.value.messages[0].startswith("Buku tamu sudah ditutup: kunjungan ini sudah ditindaklanjuti")
    c = login(manager)
    page = c.get(f"/kunjungan/{done.pk}/").content.decode()
    assert f"/buku-tamu/{kept.pk}/hapus" not in page  # no delete button on a closed book
    r = c.post(f"/kunjungan/{done.pk}/buku-tamu/{kept.pk}/hapus", follow=True)
    assert "Buku tamu sudah ditutup" in r.content.decode()
    r = c.delete(f"{API}/{done.pk}/guests/{kept.pk}")
    assert r.status_code == 400 and json.loads(r.content)["detail"].startswith("Buku tamu sudah ditutup")
    assert list(GuestEntry.objects.values_list("name", flat=True)) == ["Sri Rahayu"]


def test_public_form_keeps_a_good_signature_and_drops_a_bad_one(scheduled) -> None:
    c = Client()
    signature = png_data_url()
    r = c.post(_public(scheduled), {"name": "Ani", "phone": "12345", "signature": signature})
    html = r.content.decode()
    assert r.status_code == 422 and "bukan nomor HP Indonesia" in html
    assert f'value="{signature}"' in html  # sent back: the pad draws it again
    r = c.post(_public(scheduled), {"name": "Ani", "phone": "12345", "signature": "data:image/png;base64,AAAA"})
    html = r.content.decode()
    assert r.status_code == 422 and "Tanda tangan: Berkas bukan gambar" in html and "base64,AAAA" not in html
    r = c.post(_public(scheduled), {})  # nothing at all: both things asked for at once
    html = r.content.decode()
    assert "Tulis nama Anda." in html and "Centang Saya hadir atau bubuhkan tanda tangan." in html
    r = c.post(_public(scheduled), {"name": "Ani", "signature": signature})
    html = r.content.decode()
    assert "Terima kasih, Ani" in html and f'href="{_public(scheduled)}"' in html and "tamu berikutnya" in html
    assert not GuestEntry.objects.exclude(name="Ani").exists()


def test_history_reads_plainly(held, manager) -> None:
    guestbook.guest_add(actor=None, visit=held, public=True, data={"name": "Hendra", "institution": "BPMPKB",
                                                                   "present": True})  # fmt: skip
    planned, _f = followups.return_visit_create(actor=manager, visit=held, data={
        "starts_on": held.starts_on + dt.timedelta(days=60), "visitors": 5})  # fmt: skip
    text = _history_text(held)
    assert "Hendra (BPMPKB) · diisi sendiri oleh tamu" in text
    # A follow-up added shows as one line without an arrow (the history's arrow means "changed into").
    assert f"Kunjungan balasan: {planned.title} · target" in text
    assert "→" not in text.split("Tindak lanjut:")[-1]
    assert planned.purpose_text == f"Balasan atas: {held.title} ({_tanggal(held.starts_on)})."


def _tanggal(day: dt.date) -> str:
    from posyantek.core.templatetags.fmt import tanggal

    return tanggal(day)


def test_follow_up_link_shows_when_it_says_more(held, manager) -> None:
    other = services.visit_create(actor=manager, data={"post": held.post, "title": "Kunjungan ke Pati",
                                                       "institution": "DPMD Pati", "visitors": 4,
                                                       "starts_on": held.starts_on})  # fmt: skip
    data = {"kind": "kunjungan_balasan", "description": "Balasan", "return_visit": other}
    f = followups.follow_up_add(actor=manager, visit=held, data=data)
    assert followups.follow_up_text(f) == "Kunjungan balasan: Balasan (terkait: Kunjungan ke Pati)"


def test_api_takes_visitors_as_a_whole_number_only(manager, posts) -> None:
    c = login(manager)
    body = {"post_id": posts["mitra"].pk, "title": "A", "institution": "B", "starts_on": "2014-09-10"}
    for value in (True, "3", 2.5):
        r = c.post(API, json.dumps({**body, "visitors": value}), content_type="application/json")
        assert r.status_code == 422 and "visitors" in json.loads(r.content)["detail"], value
    assert not Visit.objects.exists()
    r = c.post(API, json.dumps({**body, "visitors": 3}), content_type="application/json")
    vid = json.loads(r.content)["id"]
    r = c.patch(f"{API}/{vid}", json.dumps({"visitors": False}), content_type="application/json")
    assert r.status_code == 422 and Visit.objects.get().visitors == 3


def test_printable_book_scrolls_inside_and_calendar_marks_today(scheduled, manager) -> None:
    c = login(manager)
    page = c.get(f"/kunjungan/{scheduled.pk}/buku-tamu/cetak").content.decode()
    assert '<div class="table-wrap"><table class="table">' in page
    page = c.get("/kunjungan/kalender/").content.decode()
    today = timezone.localdate()
    assert page.count('aria-current="date"') == 1 and f"{_tanggal(today)} · hari ini" in page
    assert "dari sekitar setahun lalu sampai dua tahun ke depan" in page
