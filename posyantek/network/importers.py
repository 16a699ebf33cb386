"""Import a post's agents register from Excel or CSV: a dry run lists every bad cell, then all or nothing.

The headings are those of the list's export, so a downloaded register can be corrected and uploaded again:
a row whose name matches an agent of the post changes that agent, any other row adds one.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from posyantek.core.imports import NamedImportResult, import_named_rows
from posyantek.core.sheets import CellError, Sheet, parse_number
from posyantek.core.sheets import cell_text as _text
from posyantek.network.models import Agent
from posyantek.network.selectors import partner_post_choices_unscoped
from posyantek.network.services import agent_create, agent_set_active, agent_update
from posyantek.posts.models import Post

#: field, heading (as exported), other headings accepted (lower case)
COLUMNS = [
    ("name", "Nama", ("nama agen", "nama jejaring", "name")),
    ("kind", "Jenis", ("jenis jejaring", "kind")),
    ("post", "Pos", ("pos posyantek",)),
    ("partner_post", "Pos mitra", ("partner post",)),
    ("contact_person", "Narahubung", ("kontak", "contact person")),
    ("phone", "Telepon", ("telepon/whatsapp", "hp", "no hp", "whatsapp", "phone")),
    ("email", "E-mail", ("email", "surel")),
    ("address", "Alamat", ("address",)),
    ("area", "Kode wilayah pemasaran", ("kode wilayah", "area")),
    ("area_name", "Wilayah pemasaran", ()),
    ("commission_rule", "Aturan komisi", ("komisi", "rule")),
    ("commission_percent", "Komisi (%)", ("komisi persen", "persen komisi", "persen")),
    ("commission_amount", "Komisi tetap (Rp)", ("komisi tetap", "komisi rupiah")),
    ("joined_on", "Bergabung sejak", ("tanggal bergabung", "bergabung")),
    ("active", "Aktif", ("status",)),
    ("notes", "Catatan", ("keterangan", "notes")),
]
LABELS = {f: heading for f, heading, _a in COLUMNS}
YES = {"ya", "y", "yes", "1", "true", "aktif"}
NO = {"tidak", "t", "no", "0", "false", "tidak aktif", "nonaktif"}
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


#: The rows checked or imported, and how many agents each way.
AgentImportResult = NamedImportResult


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


def _choice(value: str, choices: Any) -> str | None:
    v = value.strip().casefold()
    for code, label in choices:
        if v in (str(code).casefold(), str(label).casefold()):
            return code
    return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    if m := _DMY.fullmatch(text):
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            pass
    raise CellError(_("Tanggal '%(v)s' tidak dikenal; tulis seperti 2024-01-15 atau 15/01/2024.") % {"v": text})


def _partner(text: str) -> Post | None:
    posts = partner_post_choices_unscoped()
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
    def cell(field: str) -> Any:
        i = pos.get(field)
        return cells[i] if i is not None and i < len(cells) else None

    data: dict[str, Any] = {"post": post}
    for f in ("name", "contact_person", "phone", "email", "address", "notes", "area"):
        data[f] = _text(cell(f))
    named_post = _text(cell("post"))
    if named_post and named_post.casefold() not in (post.name.casefold(), post.slug):
        errors[LABELS["post"]] = [_("Baris ini untuk pos '%(v)s', bukan %(post)s yang dipilih.")
                                  % {"v": named_post, "post": post.name}]  # fmt: skip
    kind = _text(cell("kind"))
    data["kind"] = (_choice(kind, Agent.Kind.choices) or kind) if kind else Agent.Kind.AGENT
    rule = _text(cell("commission_rule"))
    data["commission_rule"] = (_choice(rule, Agent.Rule.choices) or rule) if rule else Agent.Rule.NONE
    partner = _text(cell("partner_post"))
    data["partner_post"] = None
    if partner:
        try:
            data["partner_post"] = _partner(partner)
        except CellError as exc:
            errors[LABELS["partner_post"]] = [str(exc)]
    for field, integer in (("commission_percent", False), ("commission_amount", True)):
        try:
            number = parse_number(cell(field), integer=integer)
        except CellError as exc:
            errors[LABELS[field]] = [str(exc)]
        else:
            data[field] = number if number is not None else 0
    try:
        data["joined_on"] = _date(cell("joined_on"))
    except CellError as exc:
        errors[LABELS["joined_on"]] = [str(exc)]
    active = _text(cell("active")).casefold()
    if active in YES or not active:
        data["active"] = True
    elif active in NO:
        data["active"] = False
    else:
        errors[LABELS["active"]] = [_("Tulis ya atau tidak.")]
    return data


def _save(actor: Any, post: Post, data: dict[str, Any]) -> bool:
    """Add or change one agent; return whether it was new."""
    active = data.pop("active", True)
    existing = Agent.objects.filter(post=post, name__iexact=data["name"]).first() if data["name"] else None
    if existing:
        agent = agent_update(actor=actor, agent=existing, data=data)
    else:
        agent = agent_create(actor=actor, data=data)
    agent_set_active(actor=actor, agent=agent, active=active)
    return existing is None


def agent_import(*, actor: Any, post: Post, sheet: Sheet, dry_run: bool = True) -> AgentImportResult:
    """Check (dry run) or import the agents of one post; one bad row means nothing is saved."""
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
