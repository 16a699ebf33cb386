"""Import a post's partner register from Excel or CSV: a dry run lists every bad cell, then all or nothing.

The headings are those of the partner list's export, so a downloaded register can be corrected and uploaded again:
a row whose name matches a partner of the post changes that partner, any other row adds one. A row may name one
contact person (Narahubung), added to the partner unless a contact of that name is already there.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from posyantek.core.imports import NamedImportResult, import_named_rows
from posyantek.core.sheets import CellError, Sheet
from posyantek.core.sheets import cell_text as _text
from posyantek.partnerships.models import Partner
from posyantek.partnerships.selectors import partner_posts_unscoped
from posyantek.partnerships.services import contact_add, partner_create, partner_update
from posyantek.posts.models import Post

#: field, heading (as exported), other headings accepted (lower case)
COLUMNS = [
    ("name", "Nama", ("nama mitra", "mitra", "name")),
    ("kind", "Jenis", ("jenis mitra", "kind")),
    ("post", "Pos", ("pos posyantek",)),
    ("home_region", "Kode wilayah mitra", ("kode wilayah", "wilayah (kode)")),
    ("home_region_name", "Wilayah mitra", ()),
    ("other_post", "Posyantek mitra", ("pos mitra",)),
    ("address", "Alamat", ("address",)),
    ("phone", "Telepon", ("telepon/whatsapp", "hp", "no hp", "whatsapp", "phone")),
    ("email", "E-mail", ("email", "surel")),
    ("website", "Situs web", ("website", "situs")),
    ("notes", "Catatan", ("keterangan", "notes")),
    ("contact_name", "Narahubung", ("nama narahubung", "contact person")),
    ("contact_position", "Jabatan narahubung", ("jabatan",)),
    ("contact_phone", "Telepon narahubung", ("hp narahubung",)),
    ("contact_email", "E-mail narahubung", ("email narahubung",)),
]
LABELS = {f: heading for f, heading, _a in COLUMNS}
#: Columns of the export that the import reads past (they are counts).
IGNORED = {"kontak", "kerja sama"}


#: The rows checked or imported, and how many partners each way.
PartnerImportResult = NamedImportResult


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
        elif key and key not in IGNORED:
            unknown.append(_text(h))
    return found, unknown


def _kind(value: str) -> str:
    v = value.strip().casefold()
    for code, label in Partner.Kind.choices:
        if v in (code.casefold(), str(label).casefold()):
            return code
    # "Perusahaan (CSR)", "Universitas": a label's first words are enough.
    for code, label in Partner.Kind.choices:
        words = str(label).casefold()
        if (len(v) >= 4 and words.startswith(v)) or v.split(" ")[0] == words.split(" ")[0]:
            return code
    if v.startswith("universitas") or v.startswith("politeknik") or v.startswith("institut"):
        return Partner.Kind.UNIVERSITY
    raise CellError(_("Jenis '%(v)s' tidak dikenal; tulis mis. Perguruan tinggi, BUMDes, Perusahaan / BUMN (CSR).")
                    % {"v": value})  # fmt: skip


def _other_post(text: str) -> Post:
    posts = partner_posts_unscoped()
    found = posts.filter(slug=text).first()
    if found:
        return found
    named = list(posts.filter(name__iexact=text)[:2])
    if len(named) > 1:
        raise CellError(_("Ada beberapa pos bernama '%(v)s'; tulis slug-nya.") % {"v": text})
    if not named:
        raise CellError(_("Pos '%(v)s' tidak ditemukan.") % {"v": text})
    return named[0]


def _row_data(cells: list[Any], pos: dict[str, int], post: Post, errors: dict[str, list[str]]) -> dict[str, Any]:
    def cell(field: str) -> str:
        i = pos.get(field)
        return _text(cells[i]) if i is not None and i < len(cells) else ""

    # Only the columns the file has: a register without addresses leaves the addresses already recorded alone.
    data: dict[str, Any] = {"post": post, "name": cell("name")}
    for f in ("address", "phone", "email", "website", "notes", "home_region"):
        if f in pos:
            data[f] = cell(f)
    named_post = cell("post")
    if named_post and named_post.casefold() not in (post.name.casefold(), post.slug):
        errors[LABELS["post"]] = [_("Baris ini untuk pos '%(v)s', bukan %(post)s yang dipilih.")
                                  % {"v": named_post, "post": post.name}]  # fmt: skip
    if "kind" in pos:
        kind = cell("kind")
        data["kind"] = ""
        try:
            data["kind"] = _kind(kind) if kind else Partner.Kind.OTHER
        except CellError as exc:
            errors[LABELS["kind"]] = [str(exc)]
    if "other_post" in pos:
        data["other_post"] = None
        if other := cell("other_post"):
            try:
                data["other_post"] = _other_post(other)
            except CellError as exc:
                errors[LABELS["other_post"]] = [str(exc)]
    data["contact"] = {"name": cell("contact_name"), "position": cell("contact_position"),
                       "phone": cell("contact_phone"), "email": cell("contact_email")}  # fmt: skip
    return data


def _save(actor: Any, post: Post, data: dict[str, Any]) -> bool:
    """Add or change one partner (and its contact); return whether it was new."""
    contact = data.pop("contact")
    existing = Partner.objects.filter(post=post, name__iexact=data["name"]).first() if data["name"] else None
    if existing is None:
        data.setdefault("kind", Partner.Kind.OTHER)
    partner = partner_update(actor=actor, partner=existing, data=data) if existing else partner_create(
        actor=actor, data=data)  # fmt: skip
    if any(contact.values()) and not partner.contacts.filter(name__iexact=contact["name"].strip()).exists():
        try:
            contact_add(actor=actor, partner=partner, data=contact)
        except ValidationError as exc:
            fields = {"name": "contact_name", "position": "contact_position", "phone": "contact_phone",
                      "email": "contact_email"}  # fmt: skip
            raise ValidationError({fields.get(k, k): v for k, v in exc.message_dict.items()}) from exc
    return existing is None


def partner_import(*, actor: Any, post: Post, sheet: Sheet, dry_run: bool = True) -> PartnerImportResult:
    """Check (dry run) or import the partners of one post; one bad row means nothing is saved."""
    pos, unknown = _positions(sheet.headers)
    if "name" not in pos:
        raise ValidationError(_("Kolom 'Nama' tidak ada di baris judul. Unduh templatnya untuk contoh."))
    return import_named_rows(
        sheet.rows,
        read=lambda cells, errors: _row_data(cells, pos, post, errors),
        save=lambda data: _save(actor, post, data),
        labels=LABELS,
        dry_run=dry_run,
        unknown_columns=unknown,
    )
