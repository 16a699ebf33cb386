"""Import of an agents register: dry run with every bad cell by row, all or nothing, export headings read back."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from conftest import login
from posyantek.core.models import AuditEvent
from posyantek.core.sheets import read_sheet
from posyantek.network.importers import agent_import, template_headers
from posyantek.network.models import Agent
from posyantek.network.tests.conftest import add_agent


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(template_headers())
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    ["Dewi Lestari", "Reseller", "", "", "Dewi", "0813-1111-2222", "dewi@example.id", "Cilandak", "31.71", "",
     "Rupiah tetap per unit", "", "Rp 50.000", "15/01/2024", "ya", ""],
    ["BUMDes Maju Makmur", "bumdes", "Posyantek Mitra Pantura", "", "", "", "", "", "33.75", "", "persen", "7,5", "",
     "", "", "catatan"],
    ["Posyantek Gambir", "Posyantek lain", "", "gambir", "", "", "", "", "", "", "tanpa", "", "", "", "tidak", ""],
]  # fmt: skip


def test_dry_run_saves_nothing_then_import_saves_all(manager, posts, regions) -> None:
    sheet = read_sheet(_xlsx(GOOD), "jejaring.xlsx")
    result = agent_import(actor=manager, post=posts["mitra"], sheet=sheet, dry_run=True)
    assert result.ok and result.dry_run and result.created == 3 and not Agent.objects.exists()
    result = agent_import(actor=manager, post=posts["mitra"], sheet=sheet, dry_run=False)
    assert not result.dry_run and result.created == 3
    dewi = Agent.objects.get(name="Dewi Lestari")
    assert dewi.commission_amount == 50_000 and dewi.phone == "6281311112222" and str(dewi.joined_on) == "2024-01-15"
    assert str(Agent.objects.get(name="BUMDes Maju Makmur").commission_percent) == "7.50"
    gambir = Agent.objects.get(kind="posyantek")
    assert gambir.partner_post == posts["dki"] and not gambir.active
    assert AuditEvent.objects.filter(action="create", content_type__model="agent").count() == 3


def test_every_bad_cell_is_listed_by_row_and_nothing_is_saved(manager, posts, regions) -> None:
    rows = [
        GOOD[0],
        ["Agen A", "agen", "", "", "", "12345", "", "", "99.99", "", "persen", "120", "", "kemarin", "mungkin", ""],
        ["Agen B", "agen", "Posyantek Gambir", "", "", "", "", "", "", "", "per unit", "", "1.500,5", "", "", ""],
        ["Dewi Lestari", "reseller", "", "tidak-ada", "", "", "", "", "", "", "tanpa", "", "", "", "", ""],
    ]  # fmt: skip
    result = agent_import(actor=manager, post=posts["mitra"], sheet=read_sheet(_xlsx(rows), "j.xlsx"), dry_run=False)
    assert result.dry_run and not Agent.objects.exists()
    errors = {r.line: r.errors for r in result.error_rows}
    assert set(errors) == {3, 4, 5}
    assert {"Telepon", "Kode wilayah pemasaran", "Komisi (%)", "Bergabung sejak", "Aktif"} <= set(errors[3])
    assert "bukan Posyantek Mitra Pantura yang dipilih" in errors[4]["Pos"][0]
    assert "Komisi tetap (Rp)" in errors[4] and "Aturan komisi" in errors[4]
    assert "Nama" in errors[5] and "baris 2" in errors[5]["Nama"][0] and "Pos mitra" in errors[5]


def test_exported_register_reads_back_and_updates(manager, officer, posts, regions) -> None:
    add_agent(manager, posts["mitra"], area="31.71")
    add_agent(manager, posts["mitra"], name="Toko Teknik", kind="toko_mitra", commission_rule="per_pesanan",
              commission_amount=150_000, commission_percent=None)  # fmt: skip
    c = login(manager)
    exported = c.get("/jejaring/?format=xlsx").content
    ws = load_workbook(io.BytesIO(exported)).active
    ws["L2"] = 6  # CV Sinar Tani: 5% → 6%
    buf = io.BytesIO()
    ws.parent.save(buf)
    result = agent_import(actor=manager, post=posts["mitra"], sheet=read_sheet(buf.getvalue(), "x.xlsx"),
                          dry_run=False)  # fmt: skip
    assert result.ok and not result.dry_run and result.created == 0 and result.updated == 2
    assert str(Agent.objects.get(name="CV Sinar Tani Semarang").commission_percent) == "6.00"
    assert Agent.objects.get(name="Toko Teknik").commission_amount == 150_000
    csv_bytes = c.get("/jejaring/?format=csv").content
    result = agent_import(actor=manager, post=posts["mitra"], sheet=read_sheet(csv_bytes, "x.csv"), dry_run=True)
    assert result.ok and result.updated == 2


def test_import_page_checks_then_imports(manager, viewer, posts, regions) -> None:
    assert login(viewer).get("/jejaring/impor").status_code == 403
    c = login(manager)
    assert c.get("/jejaring/impor?template=xlsx").status_code == 200
    page = c.get("/jejaring/impor").content.decode()
    assert "Posyantek Mitra Pantura" in page and "Posyantek Gambir</option>" not in page
    upload = SimpleUploadedFile("j.xlsx", _xlsx(GOOD))
    r = c.post("/jejaring/impor", {"post": posts["mitra"].pk, "file": upload, "action": "check"})
    page = r.content.decode()
    assert r.status_code == 200 and "Semua baris benar: 3 jejaring baru" in page and not Agent.objects.exists()
    key = r.context["form"].initial["upload"]
    r = c.post("/jejaring/impor", {"post": posts["mitra"].pk, "upload": key, "action": "import"})
    assert r.status_code == 302 and Agent.objects.count() == 3
    r = c.post("/jejaring/impor", {"post": posts["dki"].pk, "upload": key, "action": "import"})
    assert r.status_code == 200 and "post" in r.context["form"].errors  # not a post the manager may edit
