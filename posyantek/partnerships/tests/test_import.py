"""Import of a partner register: a dry run lists every bad cell by row, nothing is saved until all rows are right."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from conftest import login
from posyantek.partnerships.models import Partner
from posyantek.partnerships.tests.conftest import add_partner

HEAD = ["Nama", "Jenis", "Kode wilayah mitra", "Telepon", "E-mail", "Narahubung", "Jabatan narahubung", "Warna"]


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("mitra.xlsx", buf.getvalue())


GOOD = [
    ["Politeknik Negeri Semarang (Polines)", "Perguruan tinggi", "33.75", "024-7473417", "humas@polines.ac.id",
     "Ir. Wahyu Santosa", "Kepala P3M", "biru"],
    ["BUMDes Karya Mandiri", "bumdes", "", "0857 4200 1133", "", "Darsono", "Direktur", ""],
]  # fmt: skip


def test_dry_run_lists_bad_cells_then_import_all_or_nothing(manager, posts) -> None:
    existing = add_partner(manager, posts["mitra"], "BUMDes Karya Mandiri", kind="lainnya")
    c = login(manager)
    bad = [*GOOD, ["PT Apa Saja", "bank", "99.99", "telp", "x@", "", "", ""], ["", "bumdes", "", "", "", "", "", ""],
           ["Politeknik Negeri Semarang (Polines)", "", "", "", "", "", "", ""]]  # fmt: skip
    r = c.post("/kemitraan/mitra/impor", {"post": posts["mitra"].pk, "action": "check", "file": _xlsx(bad)})
    html = r.content.decode()
    assert r.status_code == 200 and "3 baris perlu diperbaiki" in html and "Warna" in html  # the ignored column
    for text in ("Jenis &#x27;bank&#x27; tidak dikenal", "Kode wilayah 99.99 tidak ada", "Alamat e-mail tidak valid",
                 "Nama mitra wajib diisi", "sudah ada di baris 2"):  # fmt: skip
        assert text in html, text
    assert Partner.objects.count() == 1
    r = c.post("/kemitraan/mitra/impor", {"post": posts["mitra"].pk, "action": "check", "file": _xlsx(GOOD)})
    html = r.content.decode()
    assert "Semua baris benar: 1 mitra baru, 1 diperbarui." in html and Partner.objects.count() == 1
    key = html.split('name="upload" value="')[1].split('"')[0]
    r = c.post("/kemitraan/mitra/impor", {"post": posts["mitra"].pk, "action": "import", "upload": key})
    assert r.status_code == 302 and Partner.objects.count() == 2
    polines = Partner.objects.get(name__startswith="Politeknik")
    assert polines.kind == "perguruan_tinggi" and polines.phone == "024-7473417" and polines.home_region_id == "33.75"
    assert polines.contacts.get().position == "Kepala P3M"
    existing.refresh_from_db()
    assert existing.kind == "bumdes" and existing.phone == "6285742001133" and existing.contacts.get().name == "Darsono"


def test_import_is_for_editors_and_round_trips_the_export(manager, viewer, posts) -> None:
    assert login(viewer).get("/kemitraan/mitra/impor").status_code == 403
    add_partner(manager, posts["mitra"], phone="0812 3456 7890")
    c = login(manager)
    ws = load_workbook(io.BytesIO(c.get("/kemitraan/mitra/?format=xlsx").content)).active
    buf = io.BytesIO()
    ws.parent.save(buf)
    r = c.post("/kemitraan/mitra/impor", {"post": posts["mitra"].pk, "action": "check",
                                          "file": SimpleUploadedFile("mitra.xlsx", buf.getvalue())})  # fmt: skip
    html = r.content.decode()
    assert "Semua baris benar: 0 mitra baru, 1 diperbarui." in html and "Kolom yang diabaikan" not in html
    template = load_workbook(io.BytesIO(c.get("/kemitraan/mitra/impor?template=xlsx").content)).active
    assert [cell.value for cell in template[1]][:3] == ["Nama", "Jenis", "Pos"]
