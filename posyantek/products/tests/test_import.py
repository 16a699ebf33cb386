"""Importing products from Excel/CSV: a dry run lists every bad cell by row, then all or nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login
from posyantek.core.sheets import read_sheet
from posyantek.products.importers import product_import, template_headers
from posyantek.products.models import Product

pytestmark = pytest.mark.django_db

HEAD = (
    "Nama produk;Pos;Jenis;Bidang;Harga (Rp);Satuan;Dibuat sesuai pesanan;Stok;Lama pembuatan (hari);Pemesanan minimum"
)
GOOD = [
    "Terasi Udang Rebon;wartek-panjang-wetan;Produk UMKM anggota;Pangan;18.000;bungkus;tidak;80;;3",
    "Rak Pengering Ikan;Wartek Panjang Wetan;ttg;perikanan;Rp 2.750.000;unit;ya;;14;1",
]


def _csv(*lines: str) -> bytes:
    return "\n".join([HEAD, *lines]).encode()


def test_import_dry_run_saves_nothing_then_imports(staff: Any, posts: Any) -> None:
    sheet = read_sheet(_csv(*GOOD), "produk.csv")
    result = product_import(actor=staff, sheet=sheet, dry_run=True)
    assert result.ok and result.dry_run and not Product.objects.exists()
    result = product_import(actor=staff, sheet=sheet, dry_run=False)
    assert not result.dry_run
    terasi, rak = Product.objects.get(name="Terasi Udang Rebon"), Product.objects.get(name="Rak Pengering Ikan")
    assert terasi.price == 18_000 and terasi.kind == "umkm" and terasi.stock == 80 and terasi.min_order == 3
    assert rak.price == 2_750_000 and rak.made_to_order and rak.lead_time_days == 14


def test_import_lists_every_bad_row_and_column(staff: Any, posts: Any) -> None:
    bad = [
        GOOD[0],
        "Kerupuk;wartek-panjang-wetan;umkm;pangan;1.5;bungkus;tidak;10;;1",
        "Ikan Asin;wartek-panjang-wetan;umkm;pangan;-5000;bungkus;tidak;-2;;0",
        "Mesin;mitra-pantura;ttg;pertanian;100000;unit;ya;;;1",
        ";wartek-panjang-wetan;umkm;pangan;;bungkus;mungkin;;;1",
    ]
    result = product_import(actor=staff, sheet=read_sheet(_csv(*bad), "produk.csv"), dry_run=False)
    assert result.dry_run and not Product.objects.exists()
    errors = {r.line: r.errors for r in result.error_rows}
    assert set(errors) == {3, 4, 5, 6}
    assert "bilangan bulat rupiah" in errors[3]["Harga (Rp)"][0]
    assert "paling sedikit Rp 1" in errors[4]["Harga (Rp)"][0] and "negatif" in errors[4]["Stok"][0]
    assert "minimum" in errors[4]["Pemesanan minimum"][0]
    assert "boleh Anda ubah" in errors[5]["Pos"][0]
    assert errors[6]["Nama produk"] == ["Wajib diisi."] and "ya atau tidak" in errors[6]["Dibuat sesuai pesanan"][0]


def test_import_updates_a_product_by_id_from_the_export(shop: dict[str, Product], manager: Any) -> None:
    r = login(manager).get(reverse("products:product_list"), {"format": "xlsx", "q": "canting"})
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    ws["F2"] = 300000
    ws["I2"] = 99  # the stock column is not imported for an existing product
    buf = io.BytesIO()
    wb.save(buf)
    result = product_import(actor=manager, sheet=read_sheet(buf.getvalue(), "produk.xlsx"), dry_run=False)
    assert not result.dry_run, result.error_rows
    p = Product.objects.get(pk=shop["canting"].pk)
    assert p.price == 300_000 and p.stock == 5 and Product.objects.count() == 5


def test_import_page_dry_run_then_import(staff: Any, viewer: Any, posts: Any) -> None:
    c = login(staff)
    url = reverse("products:product_import")
    assert login(viewer).get(url).status_code == 403
    r = c.get(url, {"template": "csv"})
    assert r.content.decode("utf-8-sig").splitlines()[0].split(",") == template_headers()
    r = c.post(url, {"file": SimpleUploadedFile("produk.csv", _csv(*GOOD)), "action": "check"})
    assert r.status_code == 200 and "Semua 2 baris benar" in r.content.decode() and not Product.objects.exists()
    key = r.context["form"].initial["upload"]
    r = c.post(url, {"upload": key, "action": "import"})
    assert r.status_code == 302 and Product.objects.count() == 2
