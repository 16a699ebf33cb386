"""What every register import shares: the upload form and its keeping between dry run and import, the per-row
result, the whole result, and the dry-run rollback."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy


@dataclass
class RowResult:
    """One row of an uploaded register: its line number, a name to recognise it by, and its errors."""

    line: int
    name: str
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ImportResult:
    """The rows checked (or imported); `dry_run` stays true when nothing was saved."""

    rows: list[RowResult]
    dry_run: bool
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]


class DryRun(Exception):  # noqa: N818 - a signal, not an error
    """Raised inside the import's transaction to roll back a dry run, or an import with a bad row."""


@dataclass
class NamedImportResult(ImportResult):
    """The rows of a register keyed by name, and how many records each way (new, updated)."""

    created: int = 0
    updated: int = 0


def import_named_rows(
    rows_in: Iterable[tuple[int, list[Any]]],
    *,
    read: Callable[[list[Any], dict[str, list[str]]], dict[str, Any]],
    save: Callable[[dict[str, Any]], bool],
    labels: Mapping[str, Any],
    dry_run: bool,
    unknown_columns: list[str],
) -> NamedImportResult:
    """Check (dry run) or import a register whose rows are keyed by a `name`; one bad row means nothing is saved.

    `read(cells, errors)` turns a row into data (adding cell errors), `save(data)` saves it through the services
    and says whether it was new. A row with an unreadable cell is still checked against the rules, so the dry run
    lists every bad cell at once; it is then undone. A name twice in the file is refused on its second row.
    """
    rows: list[RowResult] = []
    counts = {True: 0, False: 0}
    seen: dict[str, int] = {}
    try:
        with transaction.atomic():
            for line, cells in rows_in:
                errors: dict[str, list[str]] = {}
                data = read(cells, errors)
                row = RowResult(line=line, name=data.get("name", ""), errors=errors)
                rows.append(row)
                key = data["name"].casefold()
                if key and key in seen:
                    errors[str(labels["name"])] = [
                        gettext("Nama ini sudah ada di baris %(n)s berkas ini.") % {"n": seen[key]}
                    ]
                seen.setdefault(key, line)
                unreadable = bool(errors)
                try:
                    with transaction.atomic():
                        new = save(data)
                        if unreadable:
                            raise DryRun
                        counts[new] += 1
                except DryRun:
                    pass
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for name, msgs in exc.message_dict.items():
                            row.errors.setdefault(str(labels.get(name, name)), msgs)
                    else:
                        row.errors.setdefault(gettext("Baris"), exc.messages)
            if dry_run or any(r.errors for r in rows) or not rows:
                raise DryRun
    except DryRun:
        dry_run = True
    else:
        dry_run = False
    return NamedImportResult(rows=rows, dry_run=dry_run, unknown_columns=unknown_columns, created=counts[True],
                             updated=counts[False])  # fmt: skip


#: The largest register file anyone uploads.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class RegisterUploadForm(forms.Form):
    """A register file (.xlsx or .csv, at most 5 MB), or the key of the one already checked in a dry run."""

    file = forms.FileField(label=gettext_lazy("Berkas (.xlsx atau .csv, paling besar 5 MB)"), required=False)
    upload = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"

    def clean_file(self) -> Any:
        f = self.cleaned_data.get("file")
        if f and f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext("Berkas terlalu besar; batasnya 5 MB."))
        if f and not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(gettext("Unggah berkas .xlsx atau .csv."))
        return f


class Upload(NamedTuple):
    key: str
    name: str
    content: bytes


def take_upload(request: HttpRequest, form: RegisterUploadForm, *, session_key: str, owner: Any) -> Upload | None:
    """Return the register to check or import: a new file, or the one kept from the dry run that the form names.

    A new file is kept in the session under `session_key` with `owner` (the post, Bintek or kind it is for), replacing
    any earlier one, so the pending upload never grows with every check. With neither, the form gets a field error
    and None comes back.
    """
    pending = request.session.get(session_key) or {}
    new = form.cleaned_data["file"]
    if new:
        content, name, key = new.read(), new.name, secrets.token_urlsafe(12)
        request.session[session_key] = {"owner": owner, "key": key, "name": name,
                                        "data": base64.b64encode(content).decode()}  # fmt: skip
        return Upload(key, name, content)
    if pending.get("owner") == owner and pending.get("key") and form.cleaned_data["upload"] == pending["key"]:
        return Upload(pending["key"], pending["name"], base64.b64decode(pending["data"]))
    form.add_error("file", gettext("Pilih berkas untuk diimpor."))
    return None
