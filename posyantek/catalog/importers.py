"""Import TTG records and innovators from Excel or CSV: a dry run lists every bad cell, then all or nothing.

The pattern is the person-register importer (people/importers.py): every row goes through the service that
checks scope and writes the audit log, inside one transaction that a dry run, or any bad row, rolls back.
Files and numbers are read by core/sheets.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.functions import Lower, Trim
from django.utils import translation
from django.utils.translation import gettext as _

from posyantek.catalog.models import Aspect, Innovator, Sector, Ttg
from posyantek.catalog.services import innovator_create
from posyantek.catalog.ttg_services import ttg_create
from posyantek.core import audit
from posyantek.core.imports import DryRun, ImportResult, RowResult
from posyantek.core.scoping import covers_region
from posyantek.core.sheets import CellError, Sheet, parse_number
from posyantek.core.sheets import cell_text as _text
from posyantek.people.models import Person
from posyantek.posts.models import Post
from posyantek.regions.models import Region


@dataclass(frozen=True)
class Column:
    """One column of an import file: the field it fills, its heading in the template, how its cells read."""

    field: str
    heading: str
    kind: str = "text"  # text, int, money, decimal, year, choice, post
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: Any = None


TTG_COLUMNS = [
    Column("name", "Nama TTG", required=True, aliases=("nama", "nama produk", "name")),
    Column("other_names", "Nama lain"),
    Column("post", "Pos pembina", "post", required=True, aliases=("pos", "post")),
    Column("region", "Kode wilayah asal", aliases=("kode wilayah", "wilayah asal", "kode desa", "region code")),
    Column("innovators", "Inovator", aliases=("nama inovator", "inovator (pisahkan dengan ;)", "innovators")),
    Column("year_made", "Tahun dibuat", "year", aliases=("tahun",)),
    Column("source", "Sumber", "choice", choices=Ttg.Source),
    Column("sector", "Bidang", "choice", required=True, choices=Sector, aliases=("kategori", "bidang utama")),
    Column("aspect", "Aspek", "choice", required=True, choices=Aspect),
    Column("kind", "Jenis", "choice", choices=Ttg.Kind, aliases=("jenis ttg",)),
    Column("commodities", "Komoditas"),
    Column("problem", "Masalah yang dijawab", aliases=("masalah",)),
    Column("function", "Fungsi"),
    Column("benefits", "Manfaat"),
    Column("target_users", "Sasaran pengguna"),
    Column("how_it_works", "Cara kerja"),
    Column("dimensions", "Dimensi", aliases=("ukuran",)),
    Column("materials", "Bahan"),
    Column("power_source", "Sumber tenaga"),
    Column("power_watt", "Daya listrik (watt)", "int", aliases=("daya listrik", "daya (watt)", "daya", "power (watt)")),
    Column("capacity", "Kapasitas", "decimal"),
    Column("capacity_unit", "Satuan kapasitas"),
    Column("local_materials", "Bahan baku lokal"),
    Column("operation", "Cara pengoperasian"),
    Column("maintenance", "Perawatan"),
    Column("safety", "Keselamatan"),
    Column("price", "Harga (Rp)", "money", aliases=("harga", "harga satuan", "harga satuan (rp)", "price")),
    Column("production_cost", "Biaya pembuatan (Rp)", "money", aliases=("biaya pembuatan",)),
    Column("operating_cost", "Biaya operasional"),
    Column("value_added", "Nilai tambah"),
    Column("payback_months", "Balik modal (bulan)", "int", aliases=("balik modal",)),
    Column("readiness", "Kesiapan", "choice", choices=Ttg.Readiness),
    Column("trl", "TRL", "int", aliases=("trl (1-9)",)),
    Column("ip_status", "Status HKI", "choice", choices=Ttg.IpStatus, aliases=("hki",)),
    Column("ip_number", "Nomor HKI"),
    Column("producer", "Produsen", aliases=("pembuat",)),
    Column("producer_contact", "Kontak produsen", aliases=("kontak",)),
    Column("lead_time_days", "Waktu pembuatan (hari)", "int", aliases=("waktu pembuatan",)),
    Column("recognition", "Lomba dan penghargaan", aliases=("penghargaan",)),
]  # fmt: skip

INNOVATOR_COLUMNS = [
    Column("name", "Nama", required=True, aliases=("name", "nama inovator", "nama orang", "nama kelompok")),
    Column("kind", "Jenis", "choice", choices=Innovator.Kind, aliases=("jenis inovator",)),
    Column("region", "Kode wilayah", aliases=("region code",)),
    Column("post", "Pos pembina", "post", required=True, aliases=("pos", "post")),
    Column("sector", "Bidang", "choice", required=True, choices=Sector, aliases=("kategori",)),
    Column("skills", "Keahlian", aliases=("keahlian/bidang",)),
    Column("works", "Karya", aliases=("karya",)),
    Column("members", "Anggota", aliases=("anggota kelompok", "members")),
    Column("note", "Catatan"),
]  # fmt: skip
#: Several names in one cell (innovators of a record, members of a group) are separated by this.
NAME_SEPARATOR = re.compile(r"\s*[;\n]\s*")

#: Words people write that are neither a code nor a label.
SYNONYMS: dict[Any, dict[str, str]] = {
    Innovator.Kind: {"perseorangan": "perorangan", "individu": "perorangan", "pribadi": "perorangan",
                     "orang": "perorangan", "grup": "kelompok"},
    Ttg.Kind: {"alat": "alat_mesin", "mesin": "alat_mesin", "metode": "metode", "proses": "metode"},
    Ttg.IpStatus: {"tidak ada": "belum", "-": "belum"},
}  # fmt: skip


# --- Reading cells ------------------------------------------------------------------------------------------


def _norm(text: Any) -> str:
    """Compare headings and choices loosely: case, spaces, underscores and a trailing "*" do not matter."""
    return " ".join(str(text).replace("\x00", "").replace("_", " ").split()).casefold().rstrip("*").strip()


@cache
def _int_max(model: type[models.Model], name: str) -> int:
    """Return the largest value a positive integer field holds on every database."""
    return BaseDatabaseOperations.integer_field_ranges[model._meta.get_field(name).get_internal_type()][1]


def _max_length(model: type[models.Model], name: str) -> int | None:
    try:
        return getattr(model._meta.get_field(name), "max_length", None)
    except FieldDoesNotExist:
        return None


def _choice_map(choices: Any) -> dict[str, str]:
    """Map codes, Indonesian and English labels and common synonyms to a choice's code."""
    out = {_norm(value): value for value in choices.values}
    for lang in (translation.get_language() or "id", "id", "en"):
        with translation.override(lang):
            for value, label in choices.choices:
                out.setdefault(_norm(label), value)
    for word, value in SYNONYMS.get(choices, {}).items():
        out.setdefault(_norm(word), value)
    return out


class _Reader:
    """Reads the cells of one import for one user: their posts, the choice lists, the fields' limits."""

    def __init__(self, actor: Any, model: type[models.Model], columns: list[Column]) -> None:
        self.model = model
        self.choices = {c.field: _choice_map(c.choices) for c in columns if c.kind == "choice"}
        self.posts_by_slug: dict[str, Post] = {}
        self.posts_by_name: dict[str, list[Post]] = defaultdict(list)
        for post in Post.objects.for_user(actor, "edit").select_related("region"):
            self.posts_by_slug[post.slug.casefold()] = post
            self.posts_by_name[_norm(post.name)].append(post)

    def read(self, column: Column, value: Any) -> Any:
        """Return a cell's value for the service, None when it is empty; raise CellError when it is bad."""
        if column.kind in ("int", "money", "year"):
            if column.kind == "year" and isinstance(value, dt.date):
                return value.year
            number = parse_number(value, integer=True)
            if number is None:
                return None
            if number < 0:
                raise CellError(_("Tidak boleh negatif."))
            if number > (top := _int_max(self.model, column.field)):
                raise CellError(_("Terlalu besar; paling banyak %(max)s.") % {"max": top})
            return int(number)
        if column.kind == "decimal":
            number = parse_number(value, integer=False)
            if number is None:
                return None
            if number < 0:
                raise CellError(_("Tidak boleh negatif."))
            f = self.model._meta.get_field(column.field)
            top = Decimal(10) ** (f.max_digits - f.decimal_places) - Decimal(10) ** -f.decimal_places
            if number > top:
                raise CellError(_("Terlalu besar; paling banyak %(max)s.") % {"max": top})
            return number.quantize(Decimal(10) ** -f.decimal_places, rounding=ROUND_HALF_UP)
        text = _text(value)
        if not text:
            return None
        if column.kind == "choice":
            found = self.choices[column.field].get(_norm(text))
            if found is None:
                labels = ", ".join(str(label) for _value, label in column.choices.choices)
                raise CellError(_("'%(value)s' tidak dikenal. Pilih salah satu: %(choices)s.")
                                % {"value": text, "choices": labels})  # fmt: skip
            return found
        if column.kind == "post":
            return self._post(text)
        limit = _max_length(self.model, column.field)
        if limit and len(text) > limit:
            raise CellError(_("Terlalu panjang: %(n)s karakter, paling banyak %(max)s.")
                            % {"n": len(text), "max": limit})  # fmt: skip
        return text

    def _post(self, text: str) -> Post:
        if post := self.posts_by_slug.get(text.casefold()):
            return post
        found = self.posts_by_name.get(_norm(text), [])
        if len(found) == 1:
            return found[0]
        if found:
            raise CellError(_("Ada beberapa pos bernama '%(value)s' yang boleh Anda ubah; tulis slug-nya: "
                              "%(slugs)s.") % {"value": text, "slugs": ", ".join(p.slug for p in found)})  # fmt: skip
        raise CellError(_("Pos '%(value)s' tidak ada di antara pos yang boleh Anda ubah; tulis nama atau slug "
                          "pos persis seperti di Posyantek.") % {"value": text})  # fmt: skip


# --- The import ---------------------------------------------------------------------------------------------


@cache
def _aliases(model: type[models.Model], columns: tuple[Column, ...]) -> dict[str, Column]:
    """Map every heading a column may have to it: the template's, listed aliases, field names, verbose names."""
    out: dict[str, Column] = {}
    for c in columns:
        out.setdefault(_norm(c.heading), c)
    for c in columns:
        for alias in (*c.aliases, c.field):
            out.setdefault(_norm(alias), c)
    for lang in ("id", "en"):
        with translation.override(lang):
            for c in columns:
                with contextlib.suppress(FieldDoesNotExist):
                    out.setdefault(_norm(model._meta.get_field(c.field).verbose_name), c)
    return out


def _layout(headers: list[str], columns: list[Column], model: type[models.Model]) -> tuple[
    list[tuple[int, Column]], dict[str, str], list[str]
]:  # fmt: skip
    """Return which column each heading fills, each field's heading as written, and the headings ignored."""
    aliases = _aliases(model, tuple(columns))
    positions: list[tuple[int, Column]] = []
    headings: dict[str, str] = {}
    unknown: list[str] = []
    for i, heading in enumerate(headers):
        if not heading:
            continue
        column = aliases.get(_norm(heading))
        if column is None:
            unknown.append(heading)
        elif column.field in headings:
            raise ValidationError(_("Kolom '%(a)s' dan '%(b)s' berisi hal yang sama; hapus salah satunya.")
                                  % {"a": headings[column.field], "b": heading})  # fmt: skip
        else:
            positions.append((i, column))
            headings[column.field] = heading
    missing = [c.heading for c in columns if c.required and c.field not in headings]
    if missing:
        cols = ", ".join(f"'{m}'" for m in missing)
        raise ValidationError(_("Kolom %(cols)s tidak ditemukan di baris judul. Unduh templat untuk melihat "
                                "judul kolom yang dikenali.") % {"cols": cols})  # fmt: skip
    return positions, headings, unknown


#: Hook per kind of record: adjust one row's values and errors; return False to skip the service.
Prepare = Callable[[dict[str, Any], dict[str, list[str]]], bool]


def _run(
    *,
    actor: Any,
    sheet: Sheet,
    columns: list[Column],
    model: type[models.Model],
    create: Callable[..., Any],
    what: str,
    dry_run: bool,
    prepare: Prepare | None = None,
    error_fields: dict[str, str] | None = None,
    before: Callable[[list[tuple[int, list[Any]]], list[tuple[int, Column]]], None] | None = None,
) -> ImportResult:
    positions, headings, unknown = _layout(sheet.headers, columns, model)
    canonical = {c.field: c.heading for c in columns}
    row_heading = _("Baris")

    def heading_of(key: str) -> str:
        key = (error_fields or {}).get(key, key)
        return headings.get(key) or canonical.get(key) or row_heading

    reader = _Reader(actor, model, columns)
    if before:
        before(sheet.rows, positions)
    results: list[RowResult] = []
    ok = False
    try:
        with transaction.atomic():
            for line, cells in sheet.rows:
                data: dict[str, Any] = {}
                errors: dict[str, list[str]] = {}
                for i, column in positions:
                    try:
                        value = reader.read(column, cells[i])
                    except CellError as exc:
                        errors[column.field] = [str(exc)]
                        continue
                    if value is None:
                        if column.required:
                            errors[column.field] = [_("Wajib diisi.")]
                        continue
                    data[column.field] = value
                name_cell = next((_text(cells[i]) for i, c in positions if c.field == "name"), "")
                call_service = prepare(data, errors) if prepare else True
                found: dict[str, list[str]] = {}
                if call_service:
                    try:
                        create(actor=actor, data=data)
                    except ValidationError as exc:
                        found = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                    except PermissionDenied:
                        found = {"post": [_("Di luar wilayah yang boleh Anda ubah.")]}
                    except (IntegrityError, DataError) as exc:  # the service's savepoint is rolled back
                        found = {"__all__": [_("Basis data menolak baris ini: %(err)s") % {"err": exc}]}
                by_heading: dict[str, list[str]] = {}
                for key, messages in errors.items():
                    by_heading.setdefault(heading_of(key), []).extend(messages)
                read_badly = set(by_heading)
                for key, messages in found.items():
                    if (h := heading_of(key)) not in read_badly:  # a cell that did not read is said once
                        by_heading.setdefault(h, []).extend(messages)
                results.append(RowResult(line=line, name=name_cell, errors=by_heading))
            ok = ImportResult(rows=results, dry_run=dry_run).ok
            if dry_run or not ok:
                raise DryRun
            audit.record(actor, "import", actor, {what: [None, len(results)]})
    except DryRun:
        pass
    return ImportResult(rows=results, dry_run=dry_run or not ok, unknown_columns=unknown)


def _names(text: Any) -> list[str]:
    return [n for n in NAME_SEPARATOR.split(_text(text)) if n]


def _cells(rows: list[tuple[int, list[Any]]], positions: list[tuple[int, Column]], field: str) -> list[Any]:
    at = next((i for i, c in positions if c.field == field), None)
    return [] if at is None else [cells[at] for _line, cells in rows]


def ttg_import(*, actor: Any, sheet: Sheet, dry_run: bool = True) -> ImportResult:
    """Check (dry run) or import TTG records, each as a draft; one bad row means nothing is saved.

    "Kode wilayah asal" must be the post's region or below it; "Inovator" holds names separated by ";", each an
    innovator within the user's scope (of the row's post, when the same name is registered at several posts).
    """
    regions: dict[str, Region] = {}
    innovators: dict[str, list[Innovator]] = defaultdict(list)

    def prefetch(rows: list[tuple[int, list[Any]]], positions: list[tuple[int, Column]]) -> None:
        codes = sorted({_text(v) for v in _cells(rows, positions, "region")} - {""})
        for start in range(0, len(codes), 500):
            regions.update(Region.objects.in_bulk(codes[start : start + 500]))
        if any(_text(v) for v in _cells(rows, positions, "innovators")):
            for innovator in Innovator.objects.for_user(actor, "view").select_related("person"):
                innovators[str(innovator).strip().casefold()].append(innovator)

    def prepare(data: dict[str, Any], errors: dict[str, list[str]]) -> bool:
        post = data.get("post")
        if code := data.pop("region", None):
            region = regions.get(code)
            if region is None:
                errors["region"] = [_("Kode wilayah '%(code)s' tidak ada di data Kemendagri.") % {"code": code}]
            elif post is not None and not covers_region(post.region_id, code):
                errors["region"] = [_("Wilayah %(code)s di luar wilayah pos %(post)s.")
                                    % {"code": code, "post": post.name}]  # fmt: skip
            else:
                data["region"] = region
        found: list[Innovator] = []
        for name in _names(data.pop("innovators", "")):
            matches = innovators.get(name.casefold(), [])
            if len(matches) > 1 and post is not None:
                matches = [i for i in matches if i.post_id == post.pk] or matches
            if not matches:
                errors.setdefault("innovators", []).append(
                    _("Inovator '%(name)s' tidak ditemukan dalam cakupan Anda; catat dulu di menu Inovator.")
                    % {"name": name})  # fmt: skip
            elif len(matches) > 1:
                errors.setdefault("innovators", []).append(
                    _("Ada %(n)s inovator bernama '%(name)s'; bedakan namanya dulu di menu Inovator.")
                    % {"n": len(matches), "name": name})  # fmt: skip
            else:
                found.append(matches[0])
        if found:
            data["innovators"] = list(dict.fromkeys(found))
        return True  # the service still checks the rest of the row, so every bad cell is listed at once

    return _run(actor=actor, sheet=sheet, columns=TTG_COLUMNS, model=Ttg, create=ttg_create, what="ttg",
                dry_run=dry_run, prepare=prepare, before=prefetch)  # fmt: skip


def innovator_import(*, actor: Any, sheet: Sheet, dry_run: bool = True) -> ImportResult:
    """Check (dry run) or import innovators: a person from the registry by name, or a group; all or nothing."""
    people: dict[str, list[Person]] = defaultdict(list)

    def find_people(rows: list[tuple[int, list[Any]]], positions: list[tuple[int, Column]]) -> None:
        names_in = {_text(v).casefold() for v in _cells(rows, positions, "name")}
        names_in |= {n.casefold() for v in _cells(rows, positions, "members") for n in _names(v)}
        names = sorted(names_in - {""})
        visible = Person.objects.for_user(actor, "view").only("pk", "name", "region_id")
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            for person in visible.annotate(key=Lower(Trim("name"))).filter(key__in=chunk):
                people[person.name.strip().casefold()].append(person)

    def prepare(data: dict[str, Any], errors: dict[str, list[str]]) -> bool:
        name = data.pop("name", "")
        code = data.pop("region", "")
        member_names = _names(data.pop("members", ""))
        if "kind" in errors or not name:
            return False
        if member_names and data.get("kind") != Innovator.Kind.GROUP:
            errors["members"] = [_("Hanya kelompok yang punya anggota; tulis Jenis: kelompok.")]
        members = []
        for member in member_names if data.get("kind") == Innovator.Kind.GROUP else []:
            matches = people.get(member.casefold(), [])
            if len(matches) == 1:
                members.append(matches[0])
            else:
                errors.setdefault("members", []).append(
                    _("Anggota '%(name)s' tidak ada di daftar orang dalam cakupan Anda.") % {"name": member}
                    if not matches
                    else _("Ada %(n)s orang bernama '%(name)s' dalam cakupan Anda; anggota dengan nama kembar "
                           "dipilih di halaman inovatornya.") % {"n": len(matches), "name": member}
                )  # fmt: skip
        if members:
            data["members"] = list(dict.fromkeys(members))
        if data.get("kind") == Innovator.Kind.GROUP:
            if len(name) > (limit := _max_length(Innovator, "group_name") or 150):
                errors["name"] = [_("Terlalu panjang: %(n)s karakter, paling banyak %(max)s.")
                                  % {"n": len(name), "max": limit}]  # fmt: skip
            data["group_name"] = name
        else:
            data["kind"] = Innovator.Kind.PERSON
            found = people.get(name.casefold(), [])
            if code:
                found = [p for p in found if covers_region(code, p.region_id)]
            where = {"value": name, "code": code}
            if not found:
                errors["name"] = [
                    _("Tidak ada orang bernama '%(value)s' di wilayah %(code)s dalam cakupan Anda.") % where
                    if code
                    else _("Tidak ada orang bernama '%(value)s' dalam cakupan Anda; catat dulu di menu Orang, "
                           "atau tulis Jenis: kelompok.") % where
                ]  # fmt: skip
            elif len(found) > 1:
                errors["name"] = [_("Ada %(n)s orang bernama '%(value)s' dalam cakupan Anda; isi kolom Kode "
                                    "wilayah (kode desa/kelurahan orangnya) untuk memilih.")
                                  % {**where, "n": len(found)}]  # fmt: skip
            else:
                data["person"] = found[0]
        return not errors

    return _run(actor=actor, sheet=sheet, columns=INNOVATOR_COLUMNS, model=Innovator, create=innovator_create,
                what="innovators", dry_run=dry_run, prepare=prepare, before=find_people,
                error_fields={"person": "name", "group_name": "name"})  # fmt: skip


def template_headers(kind: str) -> list[str]:
    """Return the headings of an import template (no example row: it would be imported too)."""
    return [c.heading for c in (TTG_COLUMNS if kind == "ttg" else INNOVATOR_COLUMNS)]
