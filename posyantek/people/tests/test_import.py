"""Importing a person register from Excel or CSV: dry run, row errors, all or nothing."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from posyantek.core.models import AuditEvent
from posyantek.people.models import Person

HEADERS = ["Nama", "Jenis kelamin", "NIK", "Kode wilayah", "Telepon", "Pekerjaan"]


def xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("register.xlsx", buf.getvalue())


GOOD = [["Slamet", "L", "", "33.75.03.1004", 81228001004, "nelayan"], ["Sri", "Perempuan", "", "33.75.03.1002", "", ""]]


def test_dry_run_saves_nothing_then_import_saves_all(officer, posts) -> None:
    c = login(officer)
    r = c.post("/orang/impor", {"file": xlsx(GOOD), "action": "check"})
    assert r.status_code == 200
    assert "Semua 2 baris benar" in r.content.decode()
    assert not Person.objects.exists()
    key = r.context["form"].initial["upload"]
    r = c.post("/orang/impor", {"upload": key, "action": "import"})
    assert r.status_code == 302
    people = {p.name: p for p in Person.objects.all()}
    assert set(people) == {"Slamet", "Sri"}
    assert people["Sri"].sex == "P"
    assert people["Slamet"].phone == "81228001004"
    assert AuditEvent.objects.filter(action="import", actor=officer).exists()


def test_row_errors_are_listed_and_nothing_is_saved(officer, posts) -> None:
    rows = [*GOOD, ["Budi", "L", "123", "33.75.03.1004", "", ""], ["Ani", "P", "", "99.99", "", ""],
            ["Orang Jakarta", "L", "", "31.71.01.1001", "", ""]]  # fmt: skip
    c = login(officer)
    r = c.post("/orang/impor", {"file": xlsx(rows), "action": "import"})
    html = r.content.decode()
    assert "3 baris perlu diperbaiki" in html
    assert "NIK harus 16 angka" in html
    assert "Kode wilayah 99.99 tidak ada" in html
    assert "Di luar wilayah yang boleh Anda ubah" in html
    assert not Person.objects.exists()


def test_csv_and_bad_files(officer, posts) -> None:
    c = login(officer)
    csv = b"Nama,Kode wilayah\nDewi,33.75.03.1004\n"
    r = c.post("/orang/impor", {"file": SimpleUploadedFile("r.csv", csv), "action": "check"})
    assert "Semua 1 baris benar" in r.content.decode()
    r = c.post("/orang/impor", {"file": SimpleUploadedFile("r.pdf", b"%PDF"), "action": "check"})
    assert "Unggah berkas .xlsx atau .csv" in r.content.decode()
    r = c.post("/orang/impor", {"file": SimpleUploadedFile("r.csv", b"Siapa,Dimana\nx,y\n"), "action": "check"})
    assert "Kolom &#x27;Nama&#x27; tidak ditemukan" in r.content.decode()
    r = c.post("/orang/impor", {"upload": "bukan-milik-saya", "action": "import"})
    assert "Pilih berkas" in r.content.decode()


def test_import_access(viewer, outsider, officer, posts) -> None:
    assert login(viewer).get("/orang/impor").status_code == 403
    r = login(officer).get("/orang/impor?template=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "Nama"
    # An outsider can import, but only into their own region: a Pekalongan row is refused.
    r = login(outsider).post("/orang/impor", {"file": xlsx(GOOD), "action": "import"})
    assert "Di luar wilayah" in r.content.decode()
    assert not Person.objects.exists()


def test_semicolon_csv_from_excel_keeps_sheet_row_numbers(officer, posts) -> None:
    content = ("Nama;Jenis kelamin;NIK;Kode wilayah\n"
               "Slamet;L;;33.75.03.1004\n"
               "\n"
               "Budi;L;123;33.75.03.1004\n").encode("cp1252")  # fmt: skip
    r = login(officer).post("/orang/impor", {"file": SimpleUploadedFile("orang.csv", content), "action": "check"})
    rows = r.context["result"].rows
    assert [row.line for row in rows] == [2, 4]
    assert rows[1].errors and not rows[0].errors
    assert not Person.objects.exists()
