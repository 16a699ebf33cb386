"""Import a person register kept in Excel or CSV: a dry run first, row-by-row errors, then all or nothing."""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.imports import DryRun, ImportResult, RowResult
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


def _clean(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.endswith(".0") and text[:-2].isdigit():  # a number typed into Excel
        text = text[:-2]
    return text.replace("\x00", "").strip()


def read_table(content: bytes, filename: str) -> tablib.Dataset:
    """Read an uploaded XLSX or CSV file into a dataset with headers."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        if name.endswith(".csv"):
            return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    except Exception as exc:  # noqa: BLE001 - any parse failure is the user's file, told plainly
        raise ValidationError(_("Berkas tidak dapat dibaca: %(err)s") % {"err": exc}) from exc
    raise ValidationError(_("Unggah berkas .xlsx atau .csv."))


def people_import(*, actor: Any, dataset: tablib.Dataset, post: Any = None, dry_run: bool = True) -> ImportResult:
    """Check (dry run) or import every row; one bad row means nothing is saved."""
    headers = [(h or "").strip().lower() for h in dataset.headers or []]
    unknown = [h for h in headers if h and h not in COLUMNS]
    if "nama" not in headers and "name" not in headers:
        raise ValidationError(_("Kolom 'Nama' tidak ditemukan di baris judul."))
    if len(dataset) > MAX_ROWS:
        raise ValidationError(_("Paling banyak %(n)s baris sekali impor.") % {"n": MAX_ROWS})
    results: list[RowResult] = []
    try:
        with transaction.atomic():
            for i, row in enumerate(dataset, start=2):
                data = {COLUMNS[h]: _clean(v) for h, v in zip(headers, row, strict=False) if h in COLUMNS}
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
