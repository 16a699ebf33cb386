"""Post pages: access, forms with wrong input, htmx, exports, query budgets."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from conftest import add_board, login
from posyantek.core.models import AuditEvent
from posyantek.posts.models import Post

PDF = b"%PDF-1.4\n%uji\n"


def form_data(post: Post, **changes: object) -> dict[str, object]:
    data = {
        "name": post.name, "kind": post.kind, "region": post.region_id, "parent": post.parent_id or "",
        "phone": post.phone, "email": post.email, "version": post.version,
    }  # fmt: skip
    data.update(changes)
    return data


def test_post_list_shows_only_scope(officer, outsider, posts) -> None:
    html = login(officer).get("/pos/").content.decode()
    assert "Mitra Pantura" in html and "Gambir" not in html
    html = login(outsider).get("/pos/").content.decode()
    assert "Gambir" in html and "Mitra Pantura" not in html


def test_post_list_filters_searches_and_htmx_fragment(officer, posts) -> None:
    c = login(officer)
    assert "Wartek Panjang Wetan" not in c.get("/pos/?kind=antar_desa").content.decode()
    assert "Mitra Pantura" not in c.get("/pos/?q=panjang").content.decode()
    r = c.get("/pos/?q=mitra", headers={"HX-Request": "true"})
    assert b"<html" not in r.content and b"Mitra Pantura" in r.content


def test_post_list_requires_login(client: Client, posts) -> None:
    r = client.get("/pos/")
    assert r.status_code == 302 and "/akun/masuk" in r["Location"]


def test_post_list_query_budget(officer, posts, django_assert_max_num_queries) -> None:
    from posyantek.regions.models import Region

    for i in range(30):
        Region.objects.create(code=f"33.75.01.{2001 + i}", name=f"Desa {i}", level=4, kind="desa", parent_id="33.75.01")
        Post.objects.create(name=f"Pos {i}", slug=f"pos-{i}", kind="desa", region_id=f"33.75.01.{2001 + i}")
    c = login(officer)
    with django_assert_max_num_queries(10):
        assert c.get("/pos/").status_code == 200


def test_post_list_exports_xlsx_and_csv_within_scope(officer, posts) -> None:
    c = login(officer)
    r = c.get("/pos/?format=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    names = [row[0].value for row in ws.iter_rows(min_row=2)]
    assert sorted(names) == ["Posyantek Mitra Pantura", "Wartek Panjang Wetan"]
    assert ws["A1"].value == "Nama"
    r = c.get("/pos/?format=csv&kind=wartek")
    text = r.content.decode("utf-8-sig")
    rows = text.strip().splitlines()
    assert len(rows) == 2 and rows[1].startswith("Wartek Panjang Wetan,")


def test_post_detail_access(officer, manager, viewer, outsider, staff, posts) -> None:
    url = f"/pos/{posts['mitra'].pk}/"
    for user in (officer, manager, viewer):
        assert login(user).get(url).status_code == 200
    assert login(outsider).get(url).status_code == 404
    assert login(staff).get(url).status_code == 404
    assert login(manager).get(f"/pos/{posts['dki'].pk}/").status_code == 404


def test_post_detail_shows_warnings(officer, posts) -> None:
    posts["wartek"].skt_valid_until = timezone.localdate() + dt.timedelta(days=10)
    posts["wartek"].save()
    add_board(posts["wartek"], start=timezone.localdate() - dt.timedelta(days=10), positions=["ketua"])
    html = login(officer).get(f"/pos/{posts['wartek'].pk}/").content.decode()
    assert "SKT habis masa berlakunya" in html
    assert "Baru 1 dari 5 jabatan inti terisi" in html


def test_post_edit_access(manager, viewer, outsider, staff, posts) -> None:
    url = f"/pos/{posts['mitra'].pk}/ubah"
    assert login(manager).get(url).status_code == 200
    assert login(viewer).get(url).status_code == 403
    assert login(viewer).post(url, form_data(posts["mitra"], phone="x")).status_code == 403
    assert login(outsider).get(url).status_code == 404
    assert login(staff).get(url).status_code == 404


def test_post_edit_saves_and_shows_history(manager, posts) -> None:
    c = login(manager)
    r = c.post(f"/pos/{posts['mitra'].pk}/ubah", form_data(posts["mitra"], phone="0812-3456"))
    assert r.status_code == 302
    html = c.get(f"/pos/{posts['mitra'].pk}/").content.decode()
    assert "0812-3456" in html and "Riwayat" in html and "0285-421234 → 0812-3456" in html


def test_post_edit_stale_version_shows_message(manager, officer, posts) -> None:
    login(officer).post(f"/pos/{posts['mitra'].pk}/ubah", form_data(posts["mitra"], phone="111"))
    r = login(manager).post(f"/pos/{posts['mitra'].pk}/ubah", form_data(posts["mitra"], phone="222", version=1))
    assert r.status_code == 200 and "sudah diubah orang lain" in r.content.decode()
    assert Post.objects.get(pk=posts["mitra"].pk).phone == "111"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"skt_date": "2024-05-01", "skt_valid_until": "2024-04-01"}, "Masa berlaku SKT tidak boleh sebelum"),
        ({"region": "99.99.99"}, "Kode wilayah 99.99.99 tidak ada"),
        ({"email": "bukan-email"}, "e-mail"),
        ({"skt_date": "31-02-2024"}, "tanggal"),
    ],
)
def test_post_edit_wrong_input_gets_indonesian_field_error(officer, posts, changes, message) -> None:
    r = login(officer).post(f"/pos/{posts['mitra'].pk}/ubah", form_data(posts["mitra"], **changes))
    assert r.status_code == 200
    assert message.lower() in r.content.decode().lower()
    assert "Ada yang perlu diperbaiki" in r.content.decode()
    assert Post.objects.get(pk=posts["mitra"].pk).version == 1


def test_post_create_wrong_input(officer, posts) -> None:
    c = login(officer)
    base = {"name": "Pos Baru", "kind": "antar_desa", "region": "33", "version": ""}
    r = c.post("/pos/baru", base)
    assert "harus berkedudukan di kecamatan" in r.content.decode()
    r = c.post("/pos/baru", {**base, "region": "33.75.03"})
    assert "Sudah ada Posyantek antar desa" in r.content.decode()
    r = c.post("/pos/baru", {**base, "region": "33.75.01", "sk_file": SimpleUploadedFile("sk.txt", b"hello")})
    assert "PDF atau gambar" in r.content.decode()
    r = c.post("/pos/baru", {})
    assert "Bidang ini tidak boleh kosong" in r.content.decode()
    assert not Post.objects.filter(name="Pos Baru").exists()


@override_settings(MAX_UPLOAD_MB=1)
def test_post_create_rejects_big_upload(officer, posts) -> None:
    big = SimpleUploadedFile("sk.pdf", PDF + b"0" * (1024 * 1024 + 10))
    r = login(officer).post("/pos/baru", {"name": "Pos Baru", "kind": "antar_desa", "region": "33.75.01",
                                          "sk_file": big})  # fmt: skip
    assert "terlalu besar" in r.content.decode()
    assert not Post.objects.filter(name="Pos Baru").exists()


def test_post_create_by_officer_with_file(officer, posts) -> None:
    r = login(officer).post("/pos/baru", {"name": "Pos Baru", "kind": "antar_desa", "region": "33.75.01",
                                          "sk_file": SimpleUploadedFile("sk.pdf", PDF)})  # fmt: skip
    post = Post.objects.get(name="Pos Baru")
    assert r.status_code == 302 and r["Location"] == f"/pos/{post.pk}/"
    r = login(officer).get(f"/pos/{post.pk}/berkas/sk_file")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")


def test_post_create_forbidden_for_manager_and_viewer(manager, viewer, posts) -> None:
    assert login(manager).get("/pos/baru").status_code == 403
    assert login(viewer).post("/pos/baru", {"name": "x"}).status_code == 403


def test_post_file_outside_scope_is_404(outsider, posts) -> None:
    assert login(outsider).get(f"/pos/{posts['mitra'].pk}/berkas/sk_file").status_code == 404


def test_post_status_change(officer, manager, viewer, outsider, posts) -> None:
    url = f"/pos/{posts['mitra'].pk}/status"
    assert login(officer).get(url).status_code == 405
    assert login(manager).post(url, {"status": "dibekukan"}).status_code == 403
    assert login(outsider).post(url, {"status": "dibekukan"}).status_code == 404
    assert login(officer).post(url, {"status": "dibekukan", "note": "uji"}).status_code == 302
    assert Post.objects.get(pk=posts["mitra"].pk).status == "dibekukan"
    assert AuditEvent.objects.for_object(posts["mitra"]).filter(action="status").exists()


def test_board_pages(manager, viewer, outsider, posts) -> None:
    c = login(manager)
    r = c.post(f"/pos/{posts['mitra'].pk}/pengurus/baru", {"starts_on": "2026-01-01", "ends_on": "2025-01-01"})
    assert "sesudah tanggal mulai" in r.content.decode()
    r = c.post(f"/pos/{posts['mitra'].pk}/pengurus/baru", {"starts_on": "2026-01-01", "ends_on": "2028-12-31"})
    assert r.status_code == 302
    term = posts["mitra"].board_terms.get()
    url = f"/pos/{posts['mitra'].pk}/pengurus/{term.pk}/"
    assert login(viewer).get(url).status_code == 200
    assert login(viewer).post(url, {"position": "ketua"}).status_code == 403
    assert login(outsider).get(url).status_code == 404
    assert login(viewer).get(f"/pos/{posts['mitra'].pk}/pengurus/baru").status_code == 403


def test_public_profile_needs_no_login(client: Client, posts) -> None:
    add_board(posts["mitra"], start=dt.date(2025, 1, 1))
    r = client.get("/pos/profil/mitra-pantura/")
    html = r.content.decode()
    assert r.status_code == 200 and "0285-421234" in html and "Ketua" in html
    assert "Riwayat" not in html
    assert client.get("/pos/profil/tidak-ada/").status_code == 404


def test_public_directory_searches(client: Client, posts) -> None:
    html = client.get("/pos/direktori?q=gambir").content.decode()
    assert "Posyantek Gambir" in html and "Mitra Pantura" not in html


def test_post_create_outside_own_region_is_a_field_error(officer, posts) -> None:
    r = login(officer).post("/pos/baru", {"name": "Pos DKI", "kind": "antar_desa", "region": "31.71.01"})
    assert r.status_code == 200
    assert "di luar wilayah yang Anda awasi" in r.content.decode()


def test_officer_form_rejects_huge_order(manager, posts) -> None:
    term = add_board(posts["mitra"], start=timezone.localdate(), positions=[])
    from posyantek.people.models import Person

    person = Person.objects.create(name="Urut", region=posts["mitra"].region, post=posts["mitra"])
    r = login(manager).post(f"/pos/{posts['mitra'].pk}/pengurus/{term.pk}/",
                            {"person": person.pk, "position": "anggota", "order": "99999999999999999999"})  # fmt: skip
    assert r.status_code == 200
    assert "999" in r.content.decode()


def test_alerts_page_lists_most_overdue_first_in_scope(officer, outsider, viewer, posts) -> None:
    posts["mitra"].skt_valid_until = timezone.localdate() - timezone.timedelta(days=400)
    posts["mitra"].save()
    add_board(posts["mitra"], start=timezone.localdate())
    html = login(viewer).get("/pos/peringatan").content.decode()
    assert html.index("Wartek Panjang Wetan") < html.index("Posyantek Mitra Pantura")  # no board beats an old SKT
    assert "Gambir" not in html
    assert "Gambir" in login(outsider).get("/pos/peringatan").content.decode()


def test_board_basis_file_download_is_scoped(manager, outsider, posts) -> None:
    c = login(manager)
    c.post(f"/pos/{posts['mitra'].pk}/pengurus/baru", {"starts_on": "2026-01-01", "ends_on": "2028-12-31",
                                                      "basis_file": SimpleUploadedFile("ba.pdf", PDF)})  # fmt: skip
    term = posts["mitra"].board_terms.get()
    url = f"/pos/{posts['mitra'].pk}/pengurus/{term.pk}/berkas"
    r = c.get(url)
    assert r.status_code == 200
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    assert login(outsider).get(url).status_code == 404


def test_officer_remove_access(manager, viewer, outsider, posts) -> None:
    term = add_board(posts["mitra"], start=timezone.localdate())
    officer = term.officers.first()
    url = f"/pos/{posts['mitra'].pk}/pengurus/hapus/{officer.pk}"
    assert login(manager).get(url).status_code == 405
    assert login(viewer).post(url).status_code == 403
    assert login(outsider).post(url).status_code == 404
    assert login(manager).post(url).status_code == 302
    assert not term.officers.filter(pk=officer.pk).exists()


def test_board_edit_access_and_stale_version(manager, viewer, outsider, officer, posts) -> None:
    term = add_board(posts["mitra"], start=timezone.localdate())
    url = f"/pos/{posts['mitra'].pk}/pengurus/{term.pk}/ubah"
    assert login(viewer).get(url).status_code == 403
    assert login(outsider).get(url).status_code == 404
    data = {"starts_on": term.starts_on.isoformat(), "ends_on": term.ends_on.isoformat(), "basis": "SK baru",
            "version": 1}  # fmt: skip
    assert login(officer).post(url, data).status_code == 302
    r = login(manager).post(url, {**data, "basis": "SK lain"})
    assert "sudah diubah orang lain" in r.content.decode()
