"""TTG records and innovators from Excel or CSV (dry run, every bad cell, all or nothing); the e-katalog export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import login
from posyantek.catalog import ttg_services
from posyantek.catalog.exporters import EKATALOG_HEADERS
from posyantek.catalog.importers import template_headers, ttg_import
from posyantek.catalog.models import Innovator, Ttg, TtgStageChange
from posyantek.core.models import AuditEvent
from posyantek.core.sheets import CellError, Sheet, parse_number, read_sheet
from posyantek.people.models import Person

HEAD = ["Nama TTG", "Pos pembina", "Bidang", "Aspek", "Harga (Rp)", "TRL", "Kapasitas", "Satuan kapasitas", "Warna"]


def xlsx(headers: list[str], rows: list[list[object]], name: str = "ttg.xlsx") -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def bad_cells(response) -> set[tuple[int, str]]:
    return {(r.line, col) for r in response.context["result"].error_rows for col in r.errors}


def messages_of(response) -> str:
    return " ".join(m for r in response.context["result"].error_rows for ms in r.errors.values() for m in ms)


def test_dry_run_lists_every_bad_cell_by_row_and_column_and_writes_nothing(manager, posts) -> None:
    rows = [
        ["Pengering ikan tenaga surya", "Posyantek Mitra Pantura", "Perikanan dan kelautan", "pangan", "Rp 2.500.000",
         6, 50, "kg/hari", "biru"],
        ["Pompa air", "mitra-pantura", "perikanan laut", "energi", "-5000", 12, "", "", ""],
        ["Alat X", "Pos Antah Berantah", "ENERGI", "Pemanfaatan energi", "2.500.000", "", "", "", ""],
        [None] * 9,
        ["Perajang", "posyantek mitra pantura", "pangan", "ekonomi", "dua juta", 3, "1.500", "kg", ""],
    ]  # fmt: skip
    r = login(manager).post("/ttg/impor", {"file": xlsx(HEAD, rows), "action": "check"})
    assert r.status_code == 200
    assert bad_cells(r) == {(3, "Bidang"), (3, "Harga (Rp)"), (3, "TRL"), (4, "Pos pembina"), (6, "Harga (Rp)"),
                            (6, "Kapasitas")}  # fmt: skip
    text = messages_of(r)
    assert "'perikanan laut' tidak dikenal" in text
    assert "Tidak boleh negatif." in text
    assert "TRL antara 1 dan 9." in text
    assert "Pos 'Pos Antah Berantah' tidak ada di antara pos yang boleh Anda ubah" in text
    assert "'dua juta' bukan angka." in text
    assert "meragukan" in text
    html = r.content.decode()
    assert "3 baris perlu diperbaiki" in html
    assert "Kolom yang diabaikan: Warna" in html
    assert not Ttg.objects.exists()
    assert not TtgStageChange.objects.exists()
    assert not AuditEvent.objects.exists()


def test_csv_with_semicolons_nul_bytes_and_excel_floats_imports_all_rows_audited(officer, posts) -> None:
    content = (b"Nama TTG;Pos pembina;Bidang;Aspek;Harga (Rp);TRL;Kapasitas\n"
               b"Perajang\x00 singkong;Posyantek Mitra Pantura;pangan;Pengolahan pangan;2500000.0;5;12,5\n"
               b"\n"
               b'Pengering ikan;wartek-panjang-wetan;Perikanan;pangan;"Rp 2.500.000,-";;50.0\n')  # fmt: skip
    c = login(officer)
    r = c.post("/ttg/impor", {"file": SimpleUploadedFile("ttg.csv", content), "action": "check"})
    assert "Semua 2 baris benar" in r.content.decode()
    assert [row.line for row in r.context["result"].rows] == [2, 4]
    assert not Ttg.objects.exists() and not AuditEvent.objects.exists()
    key = r.context["form"].initial["upload"]
    r = c.post("/ttg/impor", {"upload": key, "action": "import"})
    assert r.status_code == 302
    ttgs = {t.name: t for t in Ttg.objects.all()}
    assert set(ttgs) == {"Perajang singkong", "Pengering ikan"}
    assert {t.price for t in ttgs.values()} == {2_500_000}
    assert ttgs["Perajang singkong"].capacity == Decimal("12.5")
    assert ttgs["Pengering ikan"].region_id == "33.75.03.1004"
    assert {t.publication for t in ttgs.values()} == {"draf"}
    assert AuditEvent.objects.filter(action="create", actor=officer).count() == 2
    assert AuditEvent.objects.filter(action="import", actor=officer).exists()
    # The pending upload is gone: importing it again does nothing.
    r = c.post("/ttg/impor", {"upload": key, "action": "import"})
    assert "Pilih berkas" in r.content.decode()
    assert Ttg.objects.count() == 2


def test_one_bad_row_means_nothing_is_saved(manager, posts) -> None:
    rows = [["Baik", "mitra-pantura", "pangan", "pangan", 1000, 5, "", "", ""],
            ["Buruk", "mitra-pantura", "pangan", "pangan", 1000, 0, "", "", ""]]  # fmt: skip
    r = login(manager).post("/ttg/impor", {"file": xlsx(HEAD, rows), "action": "import"})
    assert r.status_code == 200
    assert bad_cells(r) == {(3, "TRL")}
    assert not Ttg.objects.exists() and not AuditEvent.objects.exists()


def test_floats_from_excel_read_as_numbers_without_writing(manager, posts) -> None:
    sheet = Sheet(["Nama TTG", "Pos pembina", "Bidang", "Aspek", "Harga (Rp)", "Kapasitas", "Tahun dibuat"],
                  [(2, ["Pengupas kelapa", "mitra-pantura", "pangan", "pangan", 2500000.0, 12.3, 2021.0])])  # fmt: skip
    result = ttg_import(actor=manager, sheet=sheet, dry_run=True)
    assert result.ok and result.dry_run
    assert not Ttg.objects.exists() and not AuditEvent.objects.exists()
    result = ttg_import(actor=manager, sheet=sheet, dry_run=False)
    t = Ttg.objects.get()
    assert (t.price, t.capacity, t.year_made) == (2_500_000, Decimal("12.30"), 2021)


@pytest.mark.parametrize(
    ("value", "integer", "expected"),
    [("Rp 2.500.000", True, 2500000), ("2500000", True, 2500000), ("2.500.000", True, 2500000),
     ("2,500,000", True, 2500000), ("Rp2.500.000,-", True, 2500000), ("2500000.0", True, 2500000),
     (2500000.0, True, 2500000), ("2.5E+06", True, 2500000), ("-Rp 5.000", True, -5000), ("12,5", False, 12.5),
     ("1.500,25", False, 1500.25), ("", True, None)],
)  # fmt: skip
def test_numbers_read_the_indonesian_way(value, integer, expected) -> None:
    number = parse_number(value, integer=integer)
    assert number == (None if expected is None else Decimal(str(expected)))


@pytest.mark.parametrize(("value", "integer"), [("2,5", True), ("1.500", False), ("dua", True), (float("nan"), True)])
def test_numbers_refused(value, integer) -> None:
    with pytest.raises(CellError):
        parse_number(value, integer=integer)


def test_file_level_errors(manager, posts) -> None:
    c = login(manager)
    r = c.post("/ttg/impor", {"file": SimpleUploadedFile("t.csv", b"Nama TTG,Pos pembina\nX,mitra-pantura\n"),
                              "action": "check"})  # fmt: skip
    assert "Kolom &#x27;Bidang&#x27;, &#x27;Aspek&#x27; tidak ditemukan" in r.content.decode()
    r = c.post("/ttg/impor", {"file": SimpleUploadedFile("t.pdf", b"%PDF"), "action": "check"})
    assert "Unggah berkas .xlsx atau .csv" in r.content.decode()
    r = c.post("/ttg/impor", {"file": SimpleUploadedFile("t.xlsx", b"bukan excel"), "action": "check"})
    assert "Berkas tidak dapat dibaca" in r.content.decode()
    with pytest.raises(ValidationError, match="Paling banyak 2 baris"):
        read_sheet(b"Nama TTG\na\nb\nc\n", "t.csv", max_rows=2)
    assert not Ttg.objects.exists()


def test_import_access(viewer, outsider, manager, posts) -> None:
    assert login(viewer).get("/ttg/impor").status_code == 403
    assert login(viewer).get("/inovator/impor").status_code == 403
    # An outsider may import into their own posts, not into Mitra Pantura.
    rows = [["Pengering", "Posyantek Mitra Pantura", "pangan", "pangan", "", "", "", "", ""],
            ["Pompa", "mitra-pantura", "energi", "energi", "", "", "", "", ""]]  # fmt: skip
    r = login(outsider).post("/ttg/impor", {"file": xlsx(HEAD, rows), "action": "import"})
    assert bad_cells(r) == {(2, "Pos pembina"), (3, "Pos pembina")}
    assert not Ttg.objects.exists() and not AuditEvent.objects.exists()
    # The upload kept for one import is not another's: a manager cannot import the outsider's by its key.
    r = login(manager).post("/ttg/impor", {"upload": "bukan-milik-saya", "action": "import"})
    assert "Pilih berkas" in r.content.decode()


def test_templates_carry_the_headings_only(officer, posts) -> None:
    c = login(officer)
    ws = openpyxl.load_workbook(io.BytesIO(c.get("/ttg/impor?template=xlsx").content)).active
    assert [cell.value for cell in ws[1]] == template_headers("ttg")
    assert ws.max_row == 1
    assert {"Nama TTG", "Pos pembina", "Bidang", "Aspek", "Harga (Rp)", "TRL"} <= set(template_headers("ttg"))
    body = c.get("/inovator/impor?template=csv").content.decode("utf-8-sig")
    assert body.strip() == "Nama,Jenis,Kode wilayah,Pos pembina,Bidang,Keahlian,Karya,Anggota,Catatan"
    assert "/ttg/impor" in c.get("/ttg/").content.decode()
    assert "/inovator/impor" in c.get("/inovator/").content.decode()


def test_innovators_match_one_person_by_name_or_name_a_group(officer, regions, posts) -> None:
    Person.objects.create(name="Slamet", region=regions["33.75.03.1004"])
    Person.objects.create(name="Sri", region=regions["33.75.03.1004"])
    Person.objects.create(name="Sri", region=regions["33.75.01.1001"])
    Person.objects.create(name="Budi", region=regions["31.71.01.1001"])  # out of the officer's sight
    head = ["Nama", "Jenis", "Kode wilayah", "Pos pembina", "Bidang", "Keahlian"]
    good = [["slamet", "perorangan", "", "Posyantek Mitra Pantura", "Perikanan dan kelautan", "las"],
            ["Sri", "", "33.75.01.1001", "mitra-pantura", "pangan", ""],
            ["Kelompok Pengolah Ikan", "Kelompok", "", "wartek-panjang-wetan", "pangan", "pengasapan"]]  # fmt: skip
    bad = [["Sri", "", "", "mitra-pantura", "pangan", ""],
           ["Budi", "", "", "mitra-pantura", "pangan", ""],
           ["Tim Las", "tim", "", "mitra-pantura", "pangan", ""],
           ["Slamet", "", "", "mitra-pantura", "", ""]]  # fmt: skip
    c = login(officer)
    r = c.post("/inovator/impor", {"file": xlsx(head, good + bad, "inovator.xlsx"), "action": "check"})
    assert bad_cells(r) == {(5, "Nama"), (6, "Nama"), (7, "Jenis"), (8, "Bidang")}
    text = messages_of(r)
    assert "Ada 2 orang bernama 'Sri'" in text
    assert "Tidak ada orang bernama 'Budi'" in text
    assert not Innovator.objects.exists() and not AuditEvent.objects.exists()
    r = c.post("/inovator/impor", {"file": xlsx(head, good, "inovator.xlsx"), "action": "import"})
    assert r.status_code == 302
    found = {str(i): i for i in Innovator.objects.all()}
    assert set(found) == {"Slamet", "Sri", "Kelompok Pengolah Ikan"}
    assert found["Sri"].region_id == "33.75.01.1001"
    assert found["Kelompok Pengolah Ikan"].kind == "kelompok"
    assert found["Kelompok Pengolah Ikan"].region_id == "33.75.03.1004"
    assert AuditEvent.objects.filter(action="create", actor=officer).count() == 3


def test_group_members_are_read_from_the_person_registry(officer, regions, posts) -> None:
    Person.objects.create(name="Slamet", region=regions["33.75.03.1004"])
    Person.objects.create(name="Rina", region=regions["33.75.03.1004"])
    Person.objects.create(name="Budi", region=regions["31.71.01.1001"])  # out of the officer's sight
    head = ["Nama", "Jenis", "Pos pembina", "Bidang", "Anggota"]
    good = [["Kelompok Las Pantura", "kelompok", "mitra-pantura", "pangan", "Slamet; rina"]]
    bad = [["Kelompok Asap", "kelompok", "mitra-pantura", "pangan", "Slamet; Budi"],
           ["Rina", "perorangan", "mitra-pantura", "pangan", "Slamet"]]  # fmt: skip
    c = login(officer)
    r = c.post("/inovator/impor", {"file": xlsx(head, good + bad, "inovator.xlsx"), "action": "check"})
    assert bad_cells(r) == {(3, "Anggota"), (4, "Anggota")}
    assert "Anggota 'Budi' tidak ada" in messages_of(r)
    r = c.post("/inovator/impor", {"file": xlsx(head, good, "inovator.xlsx"), "action": "import"})
    assert r.status_code == 302
    group = Innovator.objects.get()
    assert sorted(p.name for p in group.members.all()) == ["Rina", "Slamet"]


def test_ttg_rows_name_their_origin_village_and_innovators(officer, regions, posts) -> None:
    slamet = Person.objects.create(name="Slamet", region=regions["33.75.03.1004"])
    from posyantek.catalog import services as innovator_services

    innovator = innovator_services.innovator_create(actor=officer, data={
        "kind": "perorangan", "person": slamet, "post": posts["mitra"], "sector": "perikanan"})  # fmt: skip
    head = ["Nama TTG", "Pos pembina", "Bidang", "Aspek", "Kode wilayah asal", "Inovator"]
    good = [["Pengasap ikan", "mitra-pantura", "perikanan", "pangan", "33.75.03.1004", "slamet"]]
    bad = [["Oven", "mitra-pantura", "perikanan", "pangan", "31.71.01.1001", ""],
           ["Oven 2", "mitra-pantura", "perikanan", "pangan", "99.99", ""],
           ["Oven 3", "mitra-pantura", "perikanan", "pangan", "", "Slamet; Paijo"]]  # fmt: skip
    c = login(officer)
    r = c.post("/ttg/impor", {"file": xlsx(head, good + bad), "action": "check"})
    assert bad_cells(r) == {(3, "Kode wilayah asal"), (4, "Kode wilayah asal"), (5, "Inovator")}
    text = messages_of(r)
    assert "di luar wilayah pos" in text and "'99.99' tidak ada" in text and "'Paijo' tidak ditemukan" in text
    assert not Ttg.objects.exists()
    r = c.post("/ttg/impor", {"file": xlsx(head, good), "action": "import"})
    assert r.status_code == 302
    ttg = Ttg.objects.get()
    assert ttg.region_id == "33.75.03.1004" and list(ttg.innovators.all()) == [innovator]


def _jpeg() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 40)).save(buf, "JPEG")
    return SimpleUploadedFile("foto.jpg", buf.getvalue(), content_type="image/jpeg")


def _published(actor, post, name: str, **extra) -> Ttg:
    data = {"name": name, "post": post, "sector": "perikanan", "aspect": "pangan", "problem": "Ikan lama kering",
            "function": "Mengeringkan ikan", "how_it_works": "Panas matahari", **extra}  # fmt: skip
    ttg = ttg_services.ttg_create(actor=actor, data=data)
    ttg_services.ttg_photo_add(actor=actor, ttg=ttg, upload=_jpeg())
    return ttg_services.ttg_publish(actor=actor, ttg=ttg)


def test_ekatalog_export_has_only_published_records_in_scope(manager, outsider, posts) -> None:
    dryer = _published(manager, posts["mitra"], "Pengering ikan tenaga surya", benefits="Ikan kering dalam 2 hari",
                       dimensions="2 x 1 m", materials="Kayu, plastik UV", power_watt=40, capacity=Decimal("50"),
                       capacity_unit="kg/hari", price=2_500_000, producer="Bengkel Slamet",
                       producer_contact="0812-2800-1004", lead_time_days=14, ip_status="paten_diajukan",
                       ip_number="P00202400123")  # fmt: skip
    ttg_services.ttg_create(actor=manager, data={"name": "Draf rahasia", "post": posts["mitra"], "sector": "energi",
                                                 "aspect": "energi"})  # fmt: skip
    _published(outsider, posts["dki"], "Alat Jakarta")
    r = login(manager).get("/ttg/ekspor/e-katalog?format=csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == EKATALOG_HEADERS
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Nama Produk"] == "Pengering ikan tenaga surya"
    assert row["Kategori"] == "Perikanan dan kelautan"
    assert row["Deskripsi"] == "Mengeringkan ikan Manfaat: Ikan kering dalam 2 hari"
    assert row["Spesifikasi"] == ("Dimensi: 2 x 1 m; Bahan: Kayu, plastik UV; Daya listrik: 40 watt; "
                                  "Kapasitas: 50 kg/hari")  # fmt: skip
    assert (row["Harga Satuan (Rp)"], row["Satuan"], row["TKDN"]) == ("2500000", "unit", "")
    assert row["Lokasi"] == "Kecamatan Pekalongan Utara, Kota Pekalongan, Jawa Tengah"
    assert row["Waktu Pengiriman (hari)"] == "14"
    assert row["Status HKI"] == "Paten diajukan (P00202400123)"
    assert row["Tautan Katalog"] == f"http://testserver/katalog/{dryer.slug}/"
    assert row["Foto"] == f"http://testserver/katalog/foto/{dryer.photos.get().pk}/besar"
    assert login(manager).get(row["Foto"].removeprefix("http://testserver")).status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(login(outsider).get("/ttg/ekspor/e-katalog").content)).active
    assert [c.value for c in ws["B"]] == ["Nama Produk", "Alat Jakarta"]
