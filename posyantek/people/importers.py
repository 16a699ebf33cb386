"""Import a person register kept in Excel or CSV: a dry run first, row-by-row errors, then all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.imports import DryRun, ImportResult, RowResult
from posyantek.core.sheets import Sheet, cell_text, read_sheet
from posyantek.people.services import person_create

#: Column headers we read (Indonesian, as people write them), mapped to fields; English works too.
COLUMNS = {
    "nama": "name", "name": "name",
    "jenis kelamin": "sex", "sex": "sex",
    "nik": "nik",
    "kode wilayah": "region", "region code": "region", "kode_wilayah": "region",
    "alamat": "address", "address": "address",
    "telepon": "phone", "telepon/whatsapp": "phone", "phone": "phone", "wa": "phone",
    "e-mail": "email", "email": "email",
    "pekerjaan": "occupation", "occupation": "occupation",
    "keahlian": "skills", "keahlian/bidang": "skills", "skills": "skills",
}  # fmt: skip
#: How a field is named in the register's header row, for row errors.
LABELS = {"name": "Nama", "sex": "Jenis kelamin", "nik": "NIK", "region": "Kode wilayah", "address": "Alamat",
          "phone": "Telepon", "email": "E-mail", "occupation": "Pekerjaan", "skills": "Keahlian",
          "post": "Pos pencatat", "__all__": "Baris"}  # fmt: skip
SEX = {"l": "L", "laki-laki": "L", "male": "L", "m": "L", "p": "P", "perempuan": "P", "female": "P", "f": "P"}
MAX_ROWS = 5000


def read_table(content: bytes, filename: str) -> Sheet:
    """Read an uploaded XLSX or CSV register (row numbers as in the sheet; ";" CSV from Excel too)."""
    return read_sheet(content, filename, max_rows=MAX_ROWS)


def people_import(*, actor: Any, dataset: Sheet, post: Any = None, dry_run: bool = True) -> ImportResult:
    """Check (dry run) or import every row; one bad row means nothing is saved."""
    headers = [" ".join(h.split()).lower() for h in dataset.headers]
    unknown = [h for h in dataset.headers if h and " ".join(h.split()).lower() not in COLUMNS]
    if "nama" not in headers and "name" not in headers:
        raise ValidationError(_("Kolom 'Nama' tidak ditemukan di baris judul."))
    results: list[RowResult] = []
    try:
        with transaction.atomic():
            for i, row in dataset.rows:
                data = {COLUMNS[h]: cell_text(v) for h, v in zip(headers, row, strict=False) if h in COLUMNS}
                if not any(data.values()):
                    continue
                if "sex" in data:
                    data["sex"] = SEX.get(data["sex"].lower(), data["sex"])
                if post is not None:
                    data["post"] = post
                result = RowResult(line=i, name=data.get("name", ""))
                try:
                    with transaction.atomic():
                        person_create(actor=actor, data=data)
                except ValidationError as exc:
                    found = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                    result.errors = {LABELS.get(k, k): v for k, v in found.items()}
                except PermissionDenied:
                    result.errors = {LABELS["region"]: [_("Di luar wilayah yang boleh Anda ubah.")]}
                results.append(result)
            outcome = ImportResult(rows=results, dry_run=dry_run, unknown_columns=unknown)
            if dry_run or not outcome.ok:
                raise DryRun
            audit.record(actor, "import", actor, {"people": [None, len(results)]}, post_id=getattr(post, "pk", None))
    except DryRun:
        pass
    return ImportResult(rows=results, dry_run=dry_run or not outcome.ok, unknown_columns=unknown)


def template_table() -> tuple[list[str], list[list[str]]]:
    """Return the headers of the import template, and no rows: an example row would be imported too."""
    headers = ["Nama", "Jenis kelamin", "NIK", "Kode wilayah", "Alamat", "Telepon", "E-mail", "Pekerjaan", "Keahlian"]
    return headers, []
