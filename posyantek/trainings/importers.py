"""Import a Bintek's participants from Excel or CSV: a dry run lists every bad cell, then all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from posyantek.core.imports import DryRun, ImportResult, RowResult
from posyantek.core.sheets import CellError, Sheet, parse_number
from posyantek.core.sheets import cell_text as _text
from posyantek.trainings.models import Bintek, Participant
from posyantek.trainings.services import participant_register

#: field, template heading, other headings accepted (lower case)
COLUMNS = [
    ("name", "Nama", ("nama lengkap", "nama peserta", "name")),
    ("sex", "Jenis kelamin", ("jk", "l/p", "sex")),
    ("group", "Kelompok", ("kelompok sasaran", "group")),
    ("phone", "Telepon", ("telepon/whatsapp", "hp", "no hp", "whatsapp", "phone")),
    ("address", "Alamat", ("address",)),
    ("invited", "Diundang", ("undangan", "invited")),
    ("pre_score", "Nilai pre-test", ("pre-test", "pretest", "pre test")),
    ("post_score", "Nilai post-test", ("post-test", "posttest", "post test")),
]
YES = {"ya", "y", "yes", "1", "true", "v", "x"}
NO = {"", "tidak", "t", "no", "0", "false", "-"}


def template_headers() -> list[str]:
    return [heading for _f, heading, _a in COLUMNS]


def _positions(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    names = {heading.lower(): f for f, heading, aliases in COLUMNS for heading in (heading, *aliases)}
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


def _row_data(cells: list[Any], pos: dict[str, int], errors: dict[str, list[str]]) -> dict[str, Any]:
    def cell(field: str) -> Any:
        i = pos.get(field)
        return cells[i] if i is not None and i < len(cells) else None

    data: dict[str, Any] = {"name": _text(cell("name")), "phone": _text(cell("phone")),
                            "address": _text(cell("address"))}  # fmt: skip
    sex = _text(cell("sex"))
    data["sex"] = _choice(sex, [*Participant.Sex.choices, ("L", "laki-laki"), ("P", "perempuan"), ("L", "pria"),
                                ("P", "wanita")]) or sex  # fmt: skip
    group = _text(cell("group"))
    data["group"] = (_choice(group, Participant.Group.choices) or group) if group else Participant.Group.GENERAL
    invited = _text(cell("invited")).casefold()
    if invited in YES:
        data["invited"] = True
    elif invited in NO:
        data["invited"] = False
    else:
        errors["Diundang"] = [_("Tulis ya atau tidak.")]
    for field, heading in (("pre_score", "Nilai pre-test"), ("post_score", "Nilai post-test")):
        try:
            number = parse_number(cell(field), integer=True)
        except CellError as exc:
            errors[heading] = [str(exc)]
        else:
            data[field] = int(number) if number is not None else None
    return data


def participant_import(*, actor: Any, bintek: Bintek, sheet: Sheet, dry_run: bool = True) -> ImportResult:
    """Check (dry run) or import participants of one Bintek; one bad row means nothing is saved."""
    pos, unknown = _positions(sheet.headers)
    if "name" not in pos:
        raise ValidationError(_("Kolom 'Nama' tidak ada di baris judul. Unduh templatnya untuk contoh."))
    labels = {f: heading for f, heading, _a in COLUMNS}
    rows: list[RowResult] = []
    try:
        with transaction.atomic():
            for line, cells in sheet.rows:
                errors: dict[str, list[str]] = {}
                data = _row_data(cells, pos, errors)
                row = RowResult(line=line, name=data.get("name", ""), errors=errors)
                rows.append(row)
                # A row with an unreadable cell is still checked against the rules, so the dry run lists every
                # bad cell at once; it is then undone.
                unreadable = bool(errors)
                try:
                    with transaction.atomic():
                        participant_register(actor=actor, bintek=bintek, data=data, source="impor")
                        if unreadable:
                            raise DryRun
                except DryRun:
                    pass
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
