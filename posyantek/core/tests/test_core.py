"""Health check, audit log, error pages, formatting, upload validation."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from posyantek.core import audit
from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.models import AuditEvent
from posyantek.core.templatetags.fmt import masked, tanggal
from posyantek.core.validators import validate_document

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


@pytest.mark.django_db
def test_healthz_answers_200_with_json(client: Client) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_database_fails(client: Client) -> None:
    with mock.patch("posyantek.core.views.connection.cursor", side_effect=RuntimeError("down")):
        r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["database"] == "unavailable"


def test_audit_records_actor_changes_and_ip(officer, posts) -> None:
    from posyantek.core.middleware import current_ip

    token = current_ip.set("10.1.2.3")
    try:
        ev = audit.record(officer, "update", posts["mitra"], {"phone": ["1", "2"]})
    finally:
        current_ip.reset(token)
    assert (ev.actor, ev.ip, ev.changes, ev.region_id, ev.post_id) == (
        officer, "10.1.2.3", {"phone": ["1", "2"]}, "33.75.03", posts["mitra"].pk
    )  # fmt: skip


def test_audit_is_append_only(officer, posts) -> None:
    ev = audit.record(officer, "update", posts["mitra"], {"a": [1, 2]})
    ev.changes = {}
    with pytest.raises(PermissionError):
        ev.save()
    with pytest.raises(PermissionError):
        ev.delete()
    assert AuditEvent.objects.get(pk=ev.pk).changes == {"a": [1, 2]}


def test_audit_diff_lists_only_changed_fields() -> None:
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


@pytest.mark.django_db
def test_404_and_403_pages_are_indonesian(officer, viewer, posts) -> None:
    from conftest import login

    r = login(officer).get("/pos/999999/")
    assert r.status_code == 404 and "Tidak ditemukan" in r.content.decode()
    r = login(viewer).get(f"/pos/{posts['mitra'].pk}/ubah")
    assert r.status_code == 403 and "Akses ditolak" in r.content.decode()


def test_format_rupiah_and_dates() -> None:
    assert format_rupiah(1250000) == "Rp 1.250.000"
    assert format_rupiah(-5000) == "-Rp 5.000"
    assert tanggal(dt.date(2014, 9, 10)) == "10 September 2014"
    assert masked("3375031234567890") == "••••••••••••7890"


def test_validate_document_accepts_pdf_and_images() -> None:
    validate_document(SimpleUploadedFile("sk.pdf", PDF))
    validate_document(SimpleUploadedFile("foto.png", PNG))


@pytest.mark.parametrize(
    ("name", "content"),
    [("sk.exe", b"MZ\x90\x00"), ("sk.pdf", b"MZ\x90\x00not a pdf"), ("sk.docx", PDF), ("noext", PDF)],
)
def test_validate_document_rejects_other_types(name: str, content: bytes) -> None:
    with pytest.raises(ValidationError, match="PDF atau gambar"):
        validate_document(SimpleUploadedFile(name, content))


@override_settings(MAX_UPLOAD_MB=1)
def test_validate_document_rejects_big_files() -> None:
    with pytest.raises(ValidationError, match="terlalu besar"):
        validate_document(SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024 + 1)))


@pytest.mark.django_db
def test_language_switch_to_english(client: Client) -> None:
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert r.status_code == 200
    assert '<html lang="en">' in r.content.decode()
    assert "Log in" in r.content.decode()


@pytest.mark.django_db
def test_pages_send_csp_with_nonce(client: Client) -> None:
    r = client.get("/")
    assert "nonce-" in r["Content-Security-Policy"]
    assert "script-src 'self'" in r["Content-Security-Policy"]


@pytest.mark.django_db
def test_indonesian_even_when_the_browser_asks_for_english(client: Client) -> None:
    r = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert 'lang="id"' in r.content.decode()


@pytest.mark.django_db
def test_language_link_sets_cookie_and_goes_back_safely(client: Client) -> None:
    r = client.get("/bahasa/en?next=/wilayah/")
    assert r.status_code == 302
    assert r["Location"] == "/wilayah/"
    assert r.cookies["django_language"].value == "en"
    assert client.get("/bahasa/en?next=https://evil.example/")["Location"] == "/"
    assert client.get("/bahasa/xx").status_code == 404
    assert "Log in" in client.get("/").content.decode()


def test_home_dashboard_counts_and_alerts_only_in_scope(
    officer, outsider, posts, django_assert_max_num_queries
) -> None:
    from conftest import login

    posts["dki"].skt_valid_until = dt.date(2000, 1, 1)
    posts["dki"].save()
    c = login(officer)
    with django_assert_max_num_queries(12):
        html = c.get("/").content.decode()
    assert "Petugas kabupaten/kota (DPMD)" in html
    assert "Posyantek Gambir" not in html
    assert "Wartek Panjang Wetan" in html  # no board yet: an alert
    html = login(outsider).get("/").content.decode()
    assert "Posyantek Gambir" in html
    assert "Mitra Pantura" not in html


@pytest.mark.django_db
def test_anonymous_home_is_the_welcome_page(client: Client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "Cari pos Posyantek" in r.content.decode()


def test_export_cells_never_start_a_formula() -> None:
    from posyantek.core.exports import _cell

    for text in ("=1+1", "+62", "-5", "@SUM(A1)", "\t=1", "\r=1"):
        assert _cell(text) == "'" + text
    assert _cell("Rp 1.000") == "Rp 1.000" and _cell(None) == "" and _cell(-5) == -5
