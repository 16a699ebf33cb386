"""Import of a cash-book register: the dry run lists every bad cell, then all rows or none are posted."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from conftest import login
from posyantek.finance import services
from posyantek.finance.models import Entry
from posyantek.finance.tests.conftest import TODAY

HEAD = ["Tanggal", "Jenis", "Sumber dana", "Kode akun", "Kas/rekening", "Jumlah", "Uraian", "Pihak"]
GOOD = [
    [dt.date(2026, 6, 1), "masuk", "APBD kabupaten/kota", "4.3", "Kas tunai", 5_000_000, "Transfer APBD", "BPKAD"],
    ["02-06-2026", "keluar", "apbd_kabkota", "5.3", "", "1.250.000", "Konsumsi Bintek", "Warung"],
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("buku-kas.xlsx", buf.getvalue())


def test_import_dry_run_lists_every_bad_cell_then_posts_all(treasurer, manager, posts, cash, budget) -> None:
    services.month_close(actor=manager, post=posts["mitra"], month=dt.date(2026, 3, 1), today=TODAY)
    c = login(treasurer)
    url = f"/keuangan/pos/{posts['mitra'].pk}/kas/impor"
    bad = GOOD + [
        ["10-03-2026", "masuk", "swadaya", "4.5", "", 100_000, "Iuran", ""],
        ["03-06-2026", "keluar", "apbd_kabkota", "5.3", "", "1500,50", "Bahan", ""],
        ["04-06-2026", "keluar", "dana hibah entah", "5.3", "", 1000, "X", ""],
        ["05-06-2026", "keluar", "apbn", "5.3", "", 1000, "Y", ""],
    ]
    r = c.post(url, {"file": _xlsx(bad), "action": "check"})
    body = r.content.decode()
    assert r.status_code == 200 and "4 baris perlu diperbaiki" in body
    for message in ("sudah ditutup sampai bulan Maret 2026", "rupiah bulat", "Sumber dana tidak dikenal",
                    "Tidak ada pagu untuk sumber dana APBN"):  # fmt: skip
        assert message in body, message
    assert not Entry.objects.exists()
    r = c.post(url, {"file": _xlsx(GOOD), "action": "check"})
    assert "Semua 2 baris benar" in r.content.decode() and not Entry.objects.exists()
    key = r.context["form"].initial["upload"]
    r = c.post(url, {"upload": key, "action": "import"})
    assert r.status_code == 302
    assert sorted(Entry.objects.values_list("amount", flat=True)) == [1_250_000, 5_000_000]


def test_import_needs_edit_rank_and_offers_a_template(viewer, outsider, treasurer, posts, cash) -> None:
    url = f"/keuangan/pos/{posts['mitra'].pk}/kas/impor"
    assert login(outsider).get(url).status_code == 404
    assert login(viewer).get(url).status_code == 403
    r = login(treasurer).get(url + "?template=xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
