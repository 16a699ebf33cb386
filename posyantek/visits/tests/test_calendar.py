"""The visit calendar: the month page per post, and the iCalendar feed (format, scope, a tampered or revoked link)."""

from __future__ import annotations

import datetime as dt
import re

from django.core import signing
from django.test import Client
from django.utils import timezone

from conftest import login
from posyantek.visits import ical, services
from posyantek.visits.tests.conftest import make_visit


def _unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_escape_and_fold() -> None:
    assert (
        ical.escape_text("Rapat; paparan, diskusi\\lapangan\nsore") == "Rapat\\; paparan\\, diskusi\\\\lapangan\\nsore"
    )
    line = "DESCRIPTION:" + "Kunjungan lapangan ke Kelurahan Panjang Wetan — hasil Bintek ✓ " * 4
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces) and len(pieces) > 3
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line  # no character split or lost
    assert ical.fold("SUMMARY:pendek") == "SUMMARY:pendek"


def test_calendar_bytes_is_a_valid_vcalendar() -> None:
    event = ical.Event(
        uid="kunjungan-1@contoh",
        stamp=dt.datetime(2014, 9, 1, 3, 0, tzinfo=dt.UTC),
        start=dt.date(2014, 9, 10),
        end=dt.date(2014, 9, 11),
        summary="Kunjungan masuk: DKI, Jakarta",
        location="Posyantek Mitra Pantura; Pekalongan",
        description="Baris satu\nBaris dua",
    )
    body = ical.calendar_bytes([event], name="Kunjungan").decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    lines = _unfold(body)
    assert "DTSTART;VALUE=DATE:20140910" in lines and "DTEND;VALUE=DATE:20140911" in lines
    assert "DTSTAMP:20140901T030000Z" in lines and "SUMMARY:Kunjungan masuk: DKI\\, Jakarta" in lines
    assert "LOCATION:Posyantek Mitra Pantura\\; Pekalongan" in lines and "DESCRIPTION:Baris satu\\nBaris dua" in lines


def test_feed_lists_the_users_visits_with_agenda(scheduled, manager, posts) -> None:
    cancelled = make_visit(manager, posts["mitra"], title="Kunjungan SMK", ends_on=None)
    services.visit_advance(actor=manager, visit=cancelled, state="dibatalkan")
    page = login(manager).get("/kunjungan/kalender/").content.decode()
    url = re.search(r'id="feed-url">([^<]+)<', page).group(1)
    assert url.startswith("http://testserver/kunjungan/kalender/") and url.endswith(".ics")
    r = Client().get(url.replace("http://testserver", ""))
    assert r.status_code == 200 and r["Content-Type"] == "text/calendar; charset=utf-8"
    body = r.content.decode()
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = _unfold(body)
    assert lines.count("BEGIN:VEVENT") == 2
    assert f"UID:kunjungan-{scheduled.pk}@testserver" in lines
    assert f"DTSTART;VALUE=DATE:{scheduled.starts_on:%Y%m%d}" in lines
    assert f"DTEND;VALUE=DATE:{scheduled.ends_on + dt.timedelta(days=1):%Y%m%d}" in lines
    assert "SUMMARY:Kunjungan masuk: Kunjungan kerja DKI Jakarta" in lines and "STATUS:CANCELLED" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:Kunjungan masuk"))
    assert "Kunjungan lapangan: Kunjungan lapangan ke Panjang Wetan (Kelurahan Panjang Wetan)" in description
    assert "13.00–14.30" in description and "\\n" in description
    assert any(line.startswith("LOCATION:Posyantek Mitra Pantura\\, Kecamatan Pekalongan Utara") for line in lines)
    assert Client().get(url.replace("http://testserver", "")).content == r.content  # stable UID and body


def test_feed_is_scoped_and_refuses_bad_tokens(scheduled, manager, outsider, posts) -> None:
    make_visit(outsider, posts["dki"], title="Rapat Posyantek Gambir", institution="Kecamatan Gambir")
    token = ical.feed_token(outsider)
    body = Client().get(f"/kunjungan/kalender/{token}.ics").content.decode()
    assert "Rapat Posyantek Gambir" in body and "Mitra Pantura" not in body and "DKI Jakarta" not in body
    tampered = signing.Signer(salt=ical.SALT).sign_object({"u": manager.pk, "g": 0})[:-2] + "xx"
    assert Client().get(f"/kunjungan/kalender/{tampered}.ics").status_code == 404
    swapped = token.replace(
        token.split(":")[0], signing.Signer(salt=ical.SALT).sign_object({"u": manager.pk, "g": 0}).split(":")[0]
    )
    assert Client().get(f"/kunjungan/kalender/{swapped}.ics").status_code == 404
    assert Client().get("/kunjungan/kalender/bukan-token.ics").status_code == 404
    other_salt = signing.Signer(salt="lain").sign_object({"u": outsider.pk, "g": 0})
    assert Client().get(f"/kunjungan/kalender/{other_salt}.ics").status_code == 404


def test_feed_link_can_be_revoked(scheduled, manager) -> None:
    old = ical.feed_token(manager)
    assert Client().get(f"/kunjungan/kalender/{old}.ics").status_code == 200
    c = login(manager)
    r = c.post("/kunjungan/kalender/tautan-baru")
    assert r.status_code == 302
    new = ical.feed_token(manager)
    assert new != old
    assert Client().get(f"/kunjungan/kalender/{old}.ics").status_code == 404
    assert Client().get(f"/kunjungan/kalender/{new}.ics").status_code == 200
    assert c.get("/kunjungan/kalender/tautan-baru").status_code == 405
    manager.is_active = False
    manager.save()
    assert Client().get(f"/kunjungan/kalender/{new}.ics").status_code == 404


def test_month_page_per_post_with_list_for_phones(
    scheduled, manager, staff, posts, django_assert_max_num_queries
) -> None:
    today = timezone.localdate()
    make_visit(staff, posts["wartek"], title="Kunjungan Kelurahan Krapyak", institution="Kelurahan Krapyak")
    c = login(manager)
    with django_assert_max_num_queries(9):
        page = c.get(f"/kunjungan/kalender/?bulan={today:%Y-%m}").content.decode()
    assert page.count("Kunjungan kerja DKI Jakarta<span") >= 2  # a visit of several days shows on each day
    assert "Kunjungan Kelurahan Krapyak" in page  # the kecamatan post sees its village post's visits
    page = c.get(f"/kunjungan/kalender/?bulan={today:%Y-%m}&pos={posts['wartek'].pk}").content.decode()
    assert "Kunjungan Kelurahan Krapyak" in page and "Kunjungan kerja DKI Jakarta" not in page
    other = (today.replace(day=1) + dt.timedelta(days=70)).replace(day=1)
    page = c.get(f"/kunjungan/kalender/?bulan={other:%Y-%m}").content.decode()
    assert "Tidak ada kunjungan pada bulan ini." in page and "Kunjungan kerja DKI Jakarta" not in page
    assert c.get("/kunjungan/kalender/?bulan=tahun-lalu&pos=abc").status_code == 404
    assert c.get("/kunjungan/kalender/?bulan=2014-13").status_code == 200
    page = login(staff).get("/kunjungan/kalender/").content.decode()
    assert "Kunjungan kerja DKI Jakarta" not in page and "Kunjungan Kelurahan Krapyak" in page
