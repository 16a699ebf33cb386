"""Turn pydantic's validation errors into {field: [Indonesian message]}, like the form errors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

#: Where a field sits in the request; left out of the field name.
_CONTAINERS = {"body", "query", "path", "payload", "filters", "form"}


def _choices(expected: Any) -> str:
    """Return pydantic's list of allowed values ("'a', 'b' or 'c'") with an Indonesian "atau"."""
    text = str(expected or "")
    head, sep, last = text.rpartition(" or ")
    return f"{head} {_('atau')} {last}" if sep else text


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Wajib diisi.")
    if kind == "string_too_short":
        return _("Paling sedikit %(n)s karakter.") % {"n": ctx.get("min_length")}
    if kind == "string_too_long":
        return _("Paling banyak %(n)s karakter.") % {"n": ctx.get("max_length")}
    if kind == "too_short":
        return _("Paling sedikit %(n)s isian.") % {"n": ctx.get("min_length")}
    if kind == "too_long":
        return _("Paling banyak %(n)s isian.") % {"n": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        return _("Bentuknya tidak sesuai.")
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return _("Harus bilangan bulat.")
    if kind.startswith(("float_", "decimal_")):
        return _("Harus angka.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Harus true atau false.")
    if kind.startswith("date"):
        return _("Tanggal tidak valid; pakai bentuk TTTT-BB-HH, mis. 2014-09-10.")
    if kind.startswith("time_"):
        return _("Jam tidak valid; pakai bentuk JJ:MM, mis. 09:30.")
    if kind == "greater_than_equal":
        return _("Paling kecil %(n)s.") % {"n": ctx.get("ge")}
    if kind == "greater_than":
        return _("Harus lebih dari %(n)s.") % {"n": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Paling besar %(n)s.") % {"n": ctx.get("le")}
    if kind == "less_than":
        return _("Harus kurang dari %(n)s.") % {"n": ctx.get("lt")}
    if kind in ("enum", "literal_error"):
        return _("Pilihan tidak dikenal; pilih salah satu: %(v)s.") % {"v": _choices(ctx.get("expected"))}
    if kind == "value_error" and "email" in str(error.get("msg", "")).lower():
        return _("Alamat e-mail tidak valid.")
    if kind.startswith("uuid"):
        return _("Bukan UUID yang benar.")
    if kind.endswith("_type") or kind == "none_required":
        return _("Jenis isian tidak sesuai.")
    if kind == "json_invalid":
        return _("Isi permintaan bukan JSON yang benar.")
    if kind == "extra_forbidden":
        return _("Isian ini tidak dikenal.")
    # pydantic's own text is English; say it in Indonesian, even if less precisely.
    return _("Isian tidak valid.")


def field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Return {field: [messages]} for pydantic error dicts."""
    out: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if str(p) not in _CONTAINERS]
        field = ".".join(loc) or "__all__"
        out.setdefault(field, []).append(_message(error))
    return out


def body_parse_error() -> dict[str, list[str]]:
    """Return the answer for a request body that is not JSON, in the shape of `field_errors`."""
    return {"__all__": [_message({"type": "json_invalid"})]}
