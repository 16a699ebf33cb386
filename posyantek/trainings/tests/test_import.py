"""Participant import: dry run with row errors, all or nothing, template, access."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from conftest import login
from posyantek.core.sheets import Sheet
from posyantek.trainings.importers import participant_import
from posyantek.trainings.models import Participant


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["Nama", "Jenis kelamin", "Kelompok", "Telepon", "Diundang", "Nilai pre-test", "Kolom lain"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("peserta.xlsx", buf.getvalue())


def test_import_service_dry_run_lists_errors_and_saves_nothing(bintek, staff) -> None:
    sheet = Sheet(
        ["Nama", "JK", "Kelompok", "HP", "Nilai pre-test"],
        [
            (2, ["Warsini", "Perempuan", "Pemuda", "0813 1", "40"]),
            (3, ["Darsono", "X", "", "", "120"]),
            (4, ["Tarsinah", "P", "kelompok tani", "", "abc"]),
        ],
    )
    result = participant_import(actor=staff, bintek=bintek, sheet=sheet, dry_run=True)
    assert result.dry_run and not result.ok
    errors = {r.line: r.errors for r in result.error_rows}
    assert set(errors) == {2, 3, 4}
    assert errors[2] == {"Telepon": ["Nomor telepon tidak valid."]}
    assert set(errors[3]) == {"Jenis kelamin", "Nilai pre-test"}
    assert "Nilai pre-test" in errors[4]
    assert Participant.objects.filter(bintek=bintek).count() == 2


def test_import_page_check_then_import(bintek, staff) -> None:
    c = login(staff)
    url = f"/bintek/{bintek.pk}/peserta/impor"
    r = c.post(
        url,
        {
            "file": _xlsx(
                [["Warsini", "P", "Pemuda", "081355556666", "ya", 40], ["Darsono", "L", "", "", "tidak", None]]
            ),
            "action": "check",
        },
    )
    page = r.content.decode()
    assert "Semua 2 baris benar" in page and "Kolom lain" in page
    assert Participant.objects.filter(bintek=bintek).count() == 2
    key = r.context["form"].initial["upload"]
    r = c.post(url, {"upload": key, "action": "import"})
    assert r.status_code == 302
    w = Participant.objects.get(bintek=bintek, name="Warsini")
    assert (w.source, w.group, w.invited, w.pre_score, w.number) == ("impor", "pemuda", True, 40, 3)


def test_import_page_with_a_bad_row_imports_nothing(bintek, staff) -> None:
    r = login(staff).post(
        f"/bintek/{bintek.pk}/peserta/impor", {"file": _xlsx([["Warsini", "P"], ["", "L"]]), "action": "import"}
    )
    assert "1 baris perlu diperbaiki" in r.content.decode()
    assert Participant.objects.filter(bintek=bintek).count() == 2


def test_import_template_and_access(bintek, staff, viewer, outsider) -> None:
    r = login(staff).get(f"/bintek/{bintek.pk}/peserta/impor?template=xlsx")
    assert load_workbook(io.BytesIO(r.content)).active["A1"].value == "Nama"
    assert login(viewer).get(f"/bintek/{bintek.pk}/peserta/impor").status_code == 403
    assert login(outsider).get(f"/bintek/{bintek.pk}/peserta/impor").status_code == 404


def test_dry_run_also_checks_the_rules_on_a_row_with_an_unreadable_cell(bintek, staff) -> None:
    sheet = Sheet(["Nama", "JK", "Kelompok", "Diundang"], [(2, ["Warsini", "P", "bukan kelompok", "mungkin"])])
    result = participant_import(actor=staff, bintek=bintek, sheet=sheet, dry_run=True)
    assert set(result.error_rows[0].errors) == {"Diundang", "Kelompok"}
    assert Participant.objects.filter(bintek=bintek).count() == 2
