"""Turn pydantic's validation errors into {field: [Indonesian message]}, like the form errors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

#: Where a field sits in the request; left out of the field name.
_CONTAINERS = {"body", "query", "path", "payload", "filters", "form"}


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Wajib diisi.")
    if kind == "string_too_short":
        return _("Paling sedikit %(n)s karakter.") % {"n": ctx.get("min_length")}
    if kind == "string_too_long":
        return _("Paling banyak %(n)s karakter.") % {"n": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        return _("Bentuknya tidak sesuai.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Harus bilangan bulat.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Harus true atau false.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Tanggal tidak valid; pakai bentuk TTTT-BB-HH, mis. 2014-09-10.")
    if kind == "greater_than_equal":
        return _("Paling kecil %(n)s.") % {"n": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Paling besar %(n)s.") % {"n": ctx.get("le")}
    if kind == "enum" or kind == "literal_error":
        return _("Pilihan tidak dikenal; pilih salah satu: %(v)s.") % {"v": ctx.get("expected", "")}
    if kind == "value_error" and "email" in str(error.get("msg", "")).lower():
        return _("Alamat e-mail tidak valid.")
    if kind in ("string_type", "list_type", "dict_type", "model_attributes_type"):
        return _("Jenis isian tidak sesuai.")
    if kind == "json_invalid":
        return _("Isi permintaan bukan JSON yang benar.")
    return str(error.get("msg", _("Isian tidak valid.")))


def field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Return {field: [messages]} for pydantic error dicts."""
    out: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if str(p) not in _CONTAINERS]
        field = ".".join(loc) or "__all__"
        out.setdefault(field, []).append(_message(error))
    return out
