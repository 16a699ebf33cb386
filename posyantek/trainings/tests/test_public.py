"""Public pages: self-registration (honeypot, rate limit), check-in with the venue code, certificate check."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django.utils import timezone

from posyantek.trainings import public_views, services
from posyantek.trainings.models import Attendance, Participant


def test_register_page_and_submission(bintek) -> None:
    c = Client()
    url = f"/pelatihan/daftar/{bintek.public_token}/"
    assert "Bintek Pengeringan Ikan" in c.get(url).content.decode()
    r = c.post(url, {"name": "Warsini", "sex": "P", "group": "perempuan", "phone": "081355556666"})
    assert r.status_code == 200 and "Nomor pendaftaran Anda" in r.content.decode() and "003" in r.content.decode()
    assert Participant.objects.filter(bintek=bintek, source="mandiri", name="Warsini").exists()


def test_register_honeypot_saves_nothing(bintek) -> None:
    r = Client().post(
        f"/pelatihan/daftar/{bintek.public_token}/",
        {"name": "Bot", "sex": "L", "group": "umum", "phone": "0812999999", "website": "http://x"},
    )
    assert r.status_code == 200
    assert not Participant.objects.filter(name="Bot").exists()


def test_register_rate_limit(bintek, monkeypatch) -> None:
    monkeypatch.setattr(public_views, "REGISTRATIONS_PER_HOUR", 1)
    c = Client()
    url = f"/pelatihan/daftar/{bintek.public_token}/"
    c.post(url, {"name": "A", "sex": "L", "group": "umum", "phone": "0812000001"})
    r = c.post(url, {"name": "B", "sex": "L", "group": "umum", "phone": "0812000002"})
    assert r.status_code == 429
    assert not Participant.objects.filter(name="B").exists()


def test_register_closed_and_unknown_token(bintek) -> None:
    assert Client().get("/pelatihan/daftar/tidak-ada/").status_code == 404
    bintek.registration_open = False
    bintek.save()
    r = Client().post(
        f"/pelatihan/daftar/{bintek.public_token}/", {"name": "A", "sex": "L", "group": "umum", "phone": "0812000001"}
    )
    assert "ditutup" in r.content.decode()
    assert not Participant.objects.filter(name="A").exists()


def test_check_in_page(bintek, staff) -> None:
    session = services.session_open(actor=staff, bintek=bintek, hours=1)
    c = Client()
    assert session.code in c.get(f"/pelatihan/hadir/?kode={session.code}").content.decode()
    r = c.post("/pelatihan/hadir/", {"code": "SALAH1", "who": "1"})
    assert "Kode presensi salah" in r.content.decode()
    r = c.post("/pelatihan/hadir/", {"code": session.code, "who": "0812 1111 2222"})
    assert "Siti tercatat hadir" in r.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        r = c.post("/pelatihan/hadir/", {"code": session.code, "who": "2"})
    assert "kedaluwarsa" in r.content.decode()
    assert Attendance.objects.count() == 1


def test_certificate_verification_page_shows_nothing_private(held, staff) -> None:
    p = services.certificate_issue(actor=staff, participant=held.participants.get(number=1))
    r = Client().get(f"/pelatihan/sertifikat/{p.certificate_code}/")
    page = r.content.decode()
    assert r.status_code == 200 and "Siti" in page and held.title in page and "Wartek Panjang Wetan" in page
    assert "081211112222" not in page and "10 April 2026" in page
    r = Client().get("/pelatihan/sertifikat/TIDAKADA12/")
    assert r.status_code == 404 and "tidak ditemukan" in r.content.decode()


def test_certificate_public_pdf_and_its_qr_points_to_verification(held, staff) -> None:
    p = services.certificate_issue(actor=staff, participant=held.participants.get(number=1))
    r = Client().get(f"/pelatihan/sertifikat/{p.certificate_code}/pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    from django.test import RequestFactory

    from posyantek.trainings.certificates import qr_svg

    url = RequestFactory().get("/").build_absolute_uri(p.get_verification_url())
    assert url.endswith(f"/pelatihan/sertifikat/{p.certificate_code}/")
    assert qr_svg(url).startswith("<svg")


def test_nul_characters_never_500(held, staff, client) -> None:
    from conftest import login

    c = login(staff)
    for url in (
        "/bintek/?q=%00a&region=%00",
        f"/bintek/{held.pk}/peserta/?q=%00a",
        f"/bintek/{held.pk}/peserta/?q=1%00",
    ):
        assert c.get(url).status_code < 500, url
    assert client.get("/pelatihan/hadir/?kode=%00A").status_code == 200
    assert client.post("/pelatihan/hadir/", {"code": "\x00AB", "who": "\x001"}).status_code == 200
    assert client.get("/pelatihan/sertifikat/%00AB/").status_code == 404
    r = client.post(
        f"/pelatihan/daftar/{held.public_token}/", {"name": "A\x00", "sex": "L", "group": "umum", "phone": "0812\x00"}
    )
    assert r.status_code < 500
    assert (
        client.post(
            "/api/v1/bintek/check-in", {"code": "\x00A", "who": "1"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert client.get("/api/v1/bintek/sertifikat/%00A").status_code == 404
