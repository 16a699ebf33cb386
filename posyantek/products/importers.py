"""Import products from Excel or CSV: a dry run lists every bad cell by row and column, then all or nothing.

The headings are those of the product export, so a list can be downloaded, corrected in Excel and imported
again: a row with an `ID` changes that product (its stock excepted: stock moves with a reason, on the product's
page); a row without one records a new product. Every row goes through the services (scope, rules, audit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from posyantek.catalog.models import Sector
from posyantek.core.imports import DryRun, ImportResult, RowResult
from posyantek.core.sheets import CellError, Sheet, parse_number
from posyantek.core.sheets import cell_text as _text
from posyantek.products.models import Product
from posyantek.products.selectors import editable_posts, product_list, ttg_choices
from posyantek.products.services import product_create, product_update

YES = {"ya", "y", "yes", "1", "true", "v", "x", "aktif", "dijual"}
NO = {"tidak", "t", "no", "0", "false", "-", "tidak aktif", "tidak dijual"}


@dataclass(frozen=True)
class Column:
    field: str
    heading: str
    kind: str = "text"  # text, int, money, bool, choice, post, ttg, id
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Column("id", "ID", "id", aliases=("id produk",)),
    Column("name", "Nama produk", required=True, aliases=("nama", "produk", "name")),
    Column("post", "Pos", "post", required=True, aliases=("pos penjual", "nama pos", "slug pos", "post")),
    Column("kind", "Jenis", "choice", aliases=("jenis produk", "kind")),
    Column("sector", "Bidang", "choice", aliases=("sector",)),
    Column("price", "Harga (Rp)", "money", required=True, aliases=("harga", "harga satuan", "price")),
    Column("unit", "Satuan", aliases=("unit",)),
    Column("made_to_order", "Dibuat sesuai pesanan", "bool", aliases=("sesuai pesanan", "pesanan", "made to order")),
    Column("stock", "Stok", "int", aliases=("stok awal", "stock")),
    Column("lead_time_days", "Lama pembuatan (hari)", "int", aliases=("lama pembuatan", "waktu pembuatan (hari)")),
    Column("capacity_per_month", "Kapasitas per bulan", "int", aliases=("kapasitas", "kapasitas/bulan")),
    Column("min_order", "Pemesanan minimum", "int", aliases=("minimal pesan", "min. pesan", "pesan minimum")),
    Column("weight_grams", "Berat kirim (gram)", "int", aliases=("berat (gram)", "berat", "berat kirim")),
    Column("active", "Aktif dijual", "bool", aliases=("aktif", "dijual", "active")),
    Column("maker_name", "Nama pembuat/UMKM", aliases=("pembuat", "nama pembuat", "umkm", "nama umkm")),
    Column("description", "Deskripsi", aliases=("keterangan", "description")),
    Column("ttg", "TTG di katalog", "ttg", aliases=("ttg", "slug ttg")),
]  # fmt: skip
CHOICES: dict[str, Any] = {"kind": Product.Kind, "sector": Sector}
DEFAULTS = {"kind": Product.Kind.TTG, "unit": "unit", "min_order": 1, "made_to_order": False, "active": True}


def _norm(text: Any) -> str:
    return " ".join(str(text).replace("\x00", "").replace("_", " ").split()).casefold().rstrip("*").strip()


def template_headers() -> list[str]:
    """Return the headings of the export and of the import template."""
    return [c.heading for c in COLUMNS]


def export_row(p: Product) -> list[Any]:
    """Return one product as a row under `template_headers()`."""
    yes, no = _("ya"), _("tidak")
    return [p.pk, p.name, p.post.name, p.get_kind_display(), p.get_sector_display() if p.sector else "", p.price,
            p.unit, yes if p.made_to_order else no, "" if p.made_to_order else p.stock, p.lead_time_days,
            p.capacity_per_month, p.min_order, p.weight_grams, yes if p.active else no, p.maker_name, p.description,
            p.ttg.slug if p.ttg else ""]  # fmt: skip


def _choice_map(choices: Any) -> dict[str, str]:
    out = {_norm(v): v for v in choices.values}
    for lang in ("id", "en"):
        with translation.override(lang):
            for value, label in choices.choices:
                out.setdefault(_norm(label), value)
    return out


class _Reader:
    """Reads the cells of one import for one user: their posts and TTG, the choice lists."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.choices = {f: _choice_map(c) for f, c in CHOICES.items()}
        self.posts = list(editable_posts(actor))
        self.ttgs: dict[str, Any] | None = None

    def read(self, column: Column, value: Any) -> Any:
        if column.kind in ("int", "money", "id"):
            try:
                number = parse_number(value, integer=True)
            except CellError as exc:
                if column.kind == "money" and str(exc) == _("Harus bilangan bulat."):
                    raise CellError(_("Harga harus bilangan bulat rupiah, tanpa sen.")) from exc
                raise
            if number is None:
                return None
            if abs(number) > 10**15:
                raise CellError(_("Angkanya terlalu besar."))
            return int(number)
        text = _text(value)
        if not text:
            return None
        if column.kind == "bool":
            if _norm(text) in YES:
                return True
            if _norm(text) in NO:
                return False
            raise CellError(_("Tulis ya atau tidak."))
        if column.kind == "choice":
            found = self.choices[column.field].get(_norm(text))
            if found is None:
                labels = ", ".join(str(label) for _v, label in CHOICES[column.field].choices)
                raise CellError(_("'%(value)s' tidak dikenal. Pilih salah satu: %(choices)s.")
                                % {"value": text, "choices": labels})  # fmt: skip
            return found
        if column.kind == "post":
            return self._post(text)
        if column.kind == "ttg":
            return self._ttg(text)
        limit = getattr(Product._meta.get_field(column.field), "max_length", None)
        if limit and len(text) > limit:
            raise CellError(
                _("Terlalu panjang: %(n)s karakter, paling banyak %(max)s.") % {"n": len(text), "max": limit}
            )
        return text

    def _post(self, text: str) -> Any:
        found = [p for p in self.posts if p.slug.casefold() == text.casefold()]
        found = found or [p for p in self.posts if _norm(p.name) == _norm(text)]
        if len(found) == 1:
            return found[0]
        if found:
            raise CellError(_("Ada beberapa pos bernama '%(value)s' yang boleh Anda ubah; tulis slug-nya: "
                              "%(slugs)s.") % {"value": text, "slugs": ", ".join(p.slug for p in found)})  # fmt: skip
        raise CellError(_("Pos '%(value)s' tidak ada di antara pos yang boleh Anda ubah; tulis nama atau slug pos "
                          "persis seperti di Posyantek.") % {"value": text})  # fmt: skip

    def _ttg(self, text: str) -> Any:
        if self.ttgs is None:
            self.ttgs = {}
            for t in ttg_choices(self.actor):
                self.ttgs.setdefault(t.slug.casefold(), t)
                self.ttgs.setdefault(_norm(t.name), t)
        found = self.ttgs.get(text.casefold()) or self.ttgs.get(_norm(text))
        if found is None:
            raise CellError(_("TTG '%(value)s' tidak ada di katalog pos Anda atau katalog publik; tulis slug atau "
                              "nama TTG persis.") % {"value": text})  # fmt: skip
        return found


def _layout(headers: list[str]) -> tuple[list[tuple[int, Column]], list[str]]:
    names: dict[str, Column] = {}
    for c in COLUMNS:
        for h in (c.heading, *c.aliases, c.field):
            names.setdefault(_norm(h), c)
    positions: list[tuple[int, Column]] = []
    seen: set[str] = set()
    unknown = []
    for i, heading in enumerate(headers):
        column = names.get(_norm(heading)) if heading else None
        if column is None:
            if heading:
                unknown.append(heading)
            continue
        if column.field in seen:
            raise ValidationError(_("Kolom '%(h)s' muncul dua kali; hapus salah satunya.") % {"h": column.heading})
        seen.add(column.field)
        positions.append((i, column))
    missing = [c.heading for c in COLUMNS if c.required and c.field not in seen]
    if missing:
        raise ValidationError(_("Kolom %(cols)s tidak ditemukan di baris judul. Unduh templat untuk melihat judul "
                                "kolom yang dikenali.") % {"cols": ", ".join(f"'{m}'" for m in missing)})  # fmt: skip
    return positions, unknown


def _save(actor: Any, data: dict[str, Any]) -> None:
    pk = data.pop("id", None)
    if pk is None:
        product_create(actor=actor, data={**DEFAULTS, **data})
        return
    product = product_list(user=actor, action="edit").filter(pk=pk).first()
    if product is None:
        raise ValidationError({"id": [_("Produk #%(id)s tidak ada atau di luar cakupan Anda.") % {"id": pk}]})
    data.pop("stock", None)  # stock moves with a reason on the product's page, not by import
    product_update(actor=actor, product=product, data=data)


def product_import(*, actor: Any, sheet: Sheet, dry_run: bool = True) -> ImportResult:
    """Check (dry run) or import products; one bad row means nothing is saved."""
    positions, unknown = _layout(sheet.headers)
    headings = {c.field: c.heading for c in COLUMNS}
    reader = _Reader(actor)
    rows: list[RowResult] = []
    try:
        with transaction.atomic():
            for line, cells in sheet.rows:
                data: dict[str, Any] = {}
                errors: dict[str, list[str]] = {}
                for i, column in positions:
                    try:
                        value = reader.read(column, cells[i])
                    except CellError as exc:
                        errors[column.heading] = [str(exc)]
                        continue
                    if value is None and column.required:
                        errors[column.heading] = [_("Wajib diisi.")]
                    elif value is not None:
                        data[column.field] = value
                row = RowResult(line=line, name=str(data.get("name") or ""), errors=errors)
                rows.append(row)
                # A row with an unreadable cell is still checked against the rules, so the dry run lists every
                # bad cell at once; whatever it wrote is undone.
                try:
                    with transaction.atomic():
                        _save(actor, data)
                        if errors:
                            raise DryRun
                except DryRun:
                    pass
                except PermissionDenied:
                    row.errors.setdefault(headings["post"], [_("Di luar wilayah yang boleh Anda ubah.")])
                except ValidationError as exc:
                    found = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                    for key, messages in found.items():
                        row.errors.setdefault(str(headings.get(key) or _("Baris")), messages)
            if dry_run or any(r.errors for r in rows) or not rows:
                raise DryRun
    except DryRun:
        return ImportResult(rows=rows, dry_run=True, unknown_columns=unknown)
    return ImportResult(rows=rows, dry_run=False, unknown_columns=unknown)
