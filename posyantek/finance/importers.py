"""Import a post's cash-book register from Excel or CSV: a dry run lists every bad cell, then all or nothing.

Each row is posted through `services.entry_post`, in the order of the sheet, so every rule applies as if typed in
(a closed month, a source without budget line, more than the cash holds, an amount with cents).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from posyantek.core.imports import DryRun, ImportResult, RowResult
from posyantek.core.sheets import CellError, Sheet, parse_number
from posyantek.core.sheets import cell_text as _text
from posyantek.finance.models import Account, CashAccount, FundingSource
from posyantek.finance.services import entry_post

#: field, template heading, other headings accepted (lower case)
COLUMNS = [
    ("date", "Tanggal", ("tgl", "date")),
    ("kind", "Jenis", ("masuk/keluar", "kind")),
    ("source", "Sumber dana", ("sumber", "source")),
    ("account", "Kode akun", ("akun", "rekening", "account")),
    ("cash_account", "Kas/rekening", ("kas", "rekening bank", "cash")),
    ("amount", "Jumlah", ("jumlah (rp)", "nilai", "amount")),
    ("description", "Uraian", ("keterangan", "description")),
    ("counterparty", "Pihak", ("diterima dari/dibayar kepada", "penerima", "counterparty")),
    ("reference", "Nomor bukti", ("no bukti", "no. bukti", "reference")),
    ("activity", "Kegiatan", ("activity",)),
]
KINDS = {
    "masuk": "masuk",
    "pemasukan": "masuk",
    "penerimaan": "masuk",
    "debet": "masuk",
    "in": "masuk",
    "keluar": "keluar",
    "pengeluaran": "keluar",
    "belanja": "keluar",
    "kredit": "keluar",
    "out": "keluar",
}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


def template_headers() -> list[str]:
    return [heading for _f, heading, _a in COLUMNS]


def _positions(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    names = {h.lower(): f for f, heading, aliases in COLUMNS for h in (heading, *aliases)}
    found: dict[str, int] = {}
    unknown = []
    for i, h in enumerate(headers):
        key = _text(h).lower()
        if key in names and names[key] not in found:
            found[names[key]] = i
        elif key:
            unknown.append(_text(h))
    return found, unknown


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    raise CellError(_("Tanggal tidak terbaca; tulis mis. 10-06-2026."))


def _source(value: str) -> str | None:
    v = re.sub(r"\s+", " ", value.strip().casefold())
    for code, label in FundingSource.choices:
        if v in (code, str(label).casefold()):
            return code
    return None


def _row_data(cells: list[Any], pos: dict[str, int], post: Any, errors: dict[str, list[str]]) -> dict[str, Any]:
    def cell(field: str) -> Any:
        i = pos.get(field)
        return cells[i] if i is not None and i < len(cells) else None

    data: dict[str, Any] = {
        "post": post,
        "description": _text(cell("description")),
        "counterparty": _text(cell("counterparty"))[:200],
        "reference": _text(cell("reference"))[:100],
        "activity": _text(cell("activity"))[:200],
    }
    try:
        data["date"] = _date(cell("date"))
    except CellError as exc:
        errors["Tanggal"] = [str(exc)]
    kind = KINDS.get(_text(cell("kind")).casefold())
    if kind is None:
        errors["Jenis"] = [_("Tulis masuk atau keluar.")]
    data["kind"] = kind
    source = _source(_text(cell("source")))
    if source is None:
        errors["Sumber dana"] = [_("Sumber dana tidak dikenal; tulis mis. APBD kabupaten/kota atau apbd_kabkota.")]
    data["source"] = source
    code = _text(cell("account"))
    data["account"] = Account.objects.filter(Q(post__isnull=True) | Q(post=post), code=code).first()
    if data["account"] is None:
        errors["Kode akun"] = [_("Akun %(code)s tidak ada di bagan akun pos ini.") % {"code": code or "–"}]
    cash_name = _text(cell("cash_account"))
    boxes = CashAccount.objects.filter(post=post, active=True)
    data["cash_account"] = boxes.filter(name__iexact=cash_name).first() if cash_name else boxes.order_by("pk").first()
    if data["cash_account"] is None:
        errors["Kas/rekening"] = [_("Kas/rekening %(n)s tidak ada di pos ini.") % {"n": cash_name or "–"}]
    try:
        number = parse_number(cell("amount"), integer=False)
    except CellError as exc:
        errors["Jumlah"] = [str(exc)]
    else:
        data["amount"] = number
    return data


def entry_import(*, actor: Any, post: Any, sheet: Sheet, dry_run: bool = True) -> ImportResult:
    """Check (dry run) or post every row of a cash-book register to one post; one bad row means nothing is saved."""
    pos, unknown = _positions(sheet.headers)
    missing = [heading for f, heading, _a in COLUMNS[:7] if f not in pos and f != "cash_account"]
    if missing:
        raise ValidationError(
            _("Kolom %(cols)s tidak ada di baris judul. Unduh templatnya untuk contoh.") % {"cols": ", ".join(missing)}
        )
    labels = {f: heading for f, heading, _a in COLUMNS}
    rows: list[RowResult] = []
    try:
        with transaction.atomic():
            for line, cells in sheet.rows:
                errors: dict[str, list[str]] = {}
                data = _row_data(cells, pos, post, errors)
                row = RowResult(line=line, name=data.get("description", ""), errors=errors)
                rows.append(row)
                if errors:
                    continue
                try:
                    with transaction.atomic():
                        entry_post(actor=actor, data=data)
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for field, msgs in exc.message_dict.items():
                            row.errors.setdefault(str(labels.get(field, field)), msgs)
                    else:
                        row.errors.setdefault(_("Baris"), exc.messages)
            if dry_run or any(r.errors for r in rows) or not rows:
                raise DryRun
    except DryRun:
        return ImportResult(rows=rows, dry_run=True, unknown_columns=unknown)
    return ImportResult(rows=rows, dry_run=False, unknown_columns=unknown)
