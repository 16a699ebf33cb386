"""The guest book: open only while the visit is scheduled or held and around its days; drawn signatures checked;
the public page (no login) with its rate limit; the staff side, export, print and QR."""

from __future__ import annotations

import base64
import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from conftest import login
from posyantek.visits import followups, guest_views, guestbook, services
from posyantek.visits.models import GuestEntry
from posyantek.visits.tests.conftest import jpeg_bytes, png_data_url


def _public(visit) -> str:
    return f"/kunjungan/buku-tamu/{visit.guestbook_token}/"


def test_closed_message_follows_state_and_days(visit, scheduled, held, manager) -> None:
    requested = services.visit_create(
        actor=manager,
        data={"post": visit.post, "title": "B", "institution": "C", "visitors": 1, "starts_on": visit.starts_on},
    )
    assert "belum dijadwalkan" in guestbook.closed_message(requested)
    assert guestbook.closed_message(held) is None
    assert guestbook.closed_message(held, today=held.ends_on + dt.timedelta(days=1)) is None
    late = guestbook.closed_message(held, today=held.ends_on + dt.timedelta(days=2))
    assert late.startswith("Buku tamu sudah ditutup")
    assert "dibuka mulai" in guestbook.closed_message(held, today=held.starts_on - dt.timedelta(days=1))
    assert guestbook.closed_message(held, today=held.ends_on + dt.timedelta(days=30), public=False) is None
    followups.follow_up_add(actor=manager, visit=held, data={"kind": "lainnya", "description": "Bahan"})
    done = services.visit_advance(actor=manager, visit=held, state="ditindaklanjuti")
    assert (
        guestbook.closed_message(done, public=False) == "Buku tamu sudah ditutup: kunjungan ini sudah ditindaklanjuti."
    )


def test_guest_entry_after_the_visit_closed_is_refused(held, manager) -> None:
    followups.follow_up_add(actor=manager, visit=held, data={"kind": "lainnya", "description": "Bahan"})
    services.visit_advance(actor=manager, visit=held, state="ditindaklanjuti")
    for public, actor in ((True, None), (False, manager)):
        with pytest.raises(guestbook.GuestbookClosed) as exc:
            guestbook.guest_add(actor=actor, visit=held, data={"name": "Budi", "present": True}, public=public)
        assert exc.value.messages[0].startswith("Buku tamu sudah ditutup")
    assert not GuestEntry.objects.exists()


def test_public_entry_needs_a_tap_or_a_signature(scheduled) -> None:
    with pytest.raises(ValidationError) as exc:
        guestbook.guest_add(actor=None, visit=scheduled, data={"name": "Sri Rahayu"}, public=True)
    assert exc.value.message_dict["present"] == ["Centang Saya hadir atau bubuhkan tanda tangan."]
    entry = guestbook.guest_add(
        actor=None,
        visit=scheduled,
        public=True,
        data={"name": "Sri Rahayu", "institution": "BPMPKB DKI", "phone": "0812 3456 7890", "present": True},
    )
    assert entry.phone == "6281234567890" and not entry.signature and entry.recorded_by is None
    with pytest.raises(ValidationError) as exc:
        guestbook.guest_add(actor=None, visit=scheduled, data={"name": "sri rahayu", "present": True}, public=True)
    assert "sudah tercatat" in exc.value.message_dict["name"][0]
    with pytest.raises(ValidationError) as exc:
        guestbook.guest_add(
            actor=None, visit=scheduled, data={"name": "Ani", "phone": "021-555", "present": True}, public=True
        )
    assert "bukan nomor HP" in exc.value.message_dict["phone"][0]


def test_drawn_signature_is_decoded_checked_and_stored(scheduled) -> None:
    entry = guestbook.guest_add(
        actor=None, visit=scheduled, public=True, data={"name": "Hendra", "signature": png_data_url()}
    )
    with Image.open(entry.signature.open("rb")) as im:
        assert im.format == "PNG" and im.size == (200, 80)
    jpeg = "data:image/png;base64," + base64.b64encode(jpeg_bytes()).decode()
    bad = {
        "data:image/png;base64,!!!not-base64!!!": "tidak terbaca",
        "data:text/html;base64,PGgxPg==": "tidak terbaca",
        "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 50).decode(): "rusak",
        jpeg: "PNG",
        png_data_url(blank=True): "masih kosong",
        "data:image/png;base64," + "A" * 500_000: "terlalu besar",
    }
    for data_url, words in bad.items():
        with pytest.raises(ValidationError) as exc:
            guestbook.guest_add(
                actor=None, visit=scheduled, data={"name": "Tamu", "signature": data_url, "present": True}, public=True
            )
        assert words in exc.value.message_dict["signature"][0], (words, exc.value.message_dict)
    assert GuestEntry.objects.count() == 1


def test_staff_may_copy_a_paper_book_with_the_day(held, manager, viewer) -> None:
    day = held.starts_on
    entry = guestbook.guest_add(actor=manager, visit=held, data={"name": "Yuliani", "signed_at": day})
    assert timezone.localtime(entry.signed_at).date() == day and entry.recorded_by == manager
    with pytest.raises(ValidationError) as exc:
        guestbook.guest_add(actor=manager, visit=held, data={"name": "Teguh", "signed_at": day - dt.timedelta(days=3)})
    assert "hari kunjungan" in exc.value.message_dict["signed_at"][0]
    with pytest.raises(PermissionDenied):
        guestbook.guest_add(actor=viewer, visit=held, data={"name": "Teguh"})


def test_public_page_open_sign_and_closed(scheduled, manager) -> None:
    c = Client()
    page = c.get(_public(scheduled)).content.decode()
    assert scheduled.title in page and 'id="signature-pad"' in page and "Saya hadir" in page
    assert "visits/visits.js" in page and "BPMPKB" not in page.split("<h2>")[0]
    r = c.post(_public(scheduled), {"name": "Ahmad Fauzi"})
    assert r.status_code == 422 and "Centang Saya hadir" in r.content.decode()
    r = c.post(_public(scheduled), {"name": "Ahmad Fauzi", "institution": "Kecamatan Cilandak", "present": "on"})
    assert r.status_code == 200 and "Terima kasih, Ahmad Fauzi" in r.content.decode()
    r = c.post(_public(scheduled), {"name": "Rina", "signature": png_data_url()})
    assert r.status_code == 200 and GuestEntry.objects.get(name="Rina").signature
    r = c.post(_public(scheduled), {"name": "Rina Dua", "signature": "data:image/png;base64,AAAA"})
    assert r.status_code == 422 and "Tanda tangan" in r.content.decode()
    services.visit_advance(actor=manager, visit=scheduled, state="dibatalkan")
    page = c.get(_public(scheduled)).content.decode()
    assert "Buku tamu sudah ditutup" in page and 'name="name"' not in page
    r = c.post(_public(scheduled), {"name": "Telat", "present": "on"})
    assert r.status_code == 422 and "Buku tamu sudah ditutup" in r.content.decode()
    assert GuestEntry.objects.count() == 2
    assert c.get("/kunjungan/buku-tamu/salah-kode/").status_code == 404


def test_public_page_closes_two_days_after_the_visit(scheduled) -> None:
    with time_machine.travel(
        dt.datetime.combine(
            scheduled.ends_on + dt.timedelta(days=2), dt.time(8, 0), tzinfo=dt.timezone(dt.timedelta(hours=7))
        ),
        tick=False,
    ):
        r = Client().post(_public(scheduled), {"name": "Telat", "present": "on"})
    assert r.status_code == 422 and "Buku tamu sudah ditutup sejak" in r.content.decode()


def test_public_page_is_rate_limited_and_has_a_honeypot(scheduled, monkeypatch) -> None:
    c = Client()
    r = c.post(_public(scheduled), {"name": "Bot", "present": "on", "website": "http://spam"})
    assert r.status_code == 200 and not GuestEntry.objects.exists()
    monkeypatch.setattr(guest_views, "GUEST_POSTS_PER_MINUTE", 2)
    assert c.post(_public(scheduled), {"name": "Satu", "present": "on"}).status_code == 200
    r = c.post(_public(scheduled), {"name": "Dua", "present": "on"})
    assert r.status_code == 429 and r["Retry-After"] == "60"
    assert GuestEntry.objects.filter(name="Satu").exists() and not GuestEntry.objects.filter(name="Dua").exists()


def test_staff_guest_book_on_the_page_export_print_and_qr(scheduled, manager, viewer, outsider) -> None:
    guestbook.guest_add(
        actor=None,
        visit=scheduled,
        public=True,
        data={"name": "Hendra", "signature": png_data_url(), "phone": "081234567890"},
    )
    c = login(manager)
    r = c.post(f"/kunjungan/{scheduled.pk}/buku-tamu", {"name": "Dewi Anggraini", "institution": "Kec. Kebayoran"})
    assert r.status_code == 302
    r = c.post(f"/kunjungan/{scheduled.pk}/buku-tamu", {"name": ""})
    assert r.status_code == 422 and "Tulis nama tamu." in r.content.decode()
    page = c.get(scheduled.get_absolute_url()).content.decode()
    hendra = GuestEntry.objects.get(name="Hendra")
    assert f"/kunjungan/{scheduled.pk}/buku-tamu/{hendra.pk}/ttd.png" in page and "0812-3456-7890" in page
    assert scheduled.guestbook_token in page and "qr.svg" in page and "dicatat petugas" in page
    v = login(viewer)
    assert v.get(f"/kunjungan/{scheduled.pk}/buku-tamu/{hendra.pk}/ttd.png")["Content-Type"] == "image/png"
    assert v.get(f"/kunjungan/{scheduled.pk}/buku-tamu/qr.svg").content.startswith(b"<svg")
    book = load_workbook(io.BytesIO(v.get(f"/kunjungan/{scheduled.pk}/buku-tamu.xlsx").content)).active
    assert book["B2"].value == "Hendra" and book["G2"].value == "digores" and book["C3"].value == "Kec. Kebayoran"
    csv = v.get(f"/kunjungan/{scheduled.pk}/buku-tamu.csv").content.decode("utf-8-sig")
    assert "Dewi Anggraini" in csv and "dicatat petugas" in csv
    printed = v.get(f"/kunjungan/{scheduled.pk}/buku-tamu/cetak").content.decode()
    assert "Hendra" in printed and "data-print" in printed and "ttd.png" in printed
    assert v.get(f"/kunjungan/{scheduled.pk}/buku-tamu.pdf").status_code == 404
    assert v.post(f"/kunjungan/{scheduled.pk}/buku-tamu", {"name": "X"}).status_code == 403
    assert v.post(f"/kunjungan/{scheduled.pk}/buku-tamu/{hendra.pk}/hapus").status_code == 403
    o = login(outsider)
    for url in (
        f"/kunjungan/{scheduled.pk}/buku-tamu/{hendra.pk}/ttd.png",
        f"/kunjungan/{scheduled.pk}/buku-tamu/qr.svg",
        f"/kunjungan/{scheduled.pk}/buku-tamu.xlsx",
        f"/kunjungan/{scheduled.pk}/buku-tamu/cetak",
    ):
        assert o.get(url).status_code == 404, url
    assert c.post(f"/kunjungan/{scheduled.pk}/buku-tamu/{hendra.pk}/hapus").status_code == 302
    assert not GuestEntry.objects.filter(name="Hendra").exists()
