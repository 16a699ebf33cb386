"""Formatting filters: rupiah, Indonesian dates, masked NIK. No queries, no rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats, timezone

from posyantek.core.lib.rupiah import format_rupiah

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """Format an integer amount as `Rp 1.250.000`."""
    return format_rupiah(None if value in (None, "") else int(value))


@register.filter
def tanggal(value: Any) -> str:
    """Format a date as `10 September 2014` in the active language."""
    if not value:
        return "–"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "j F Y")


@register.filter
def waktu(value: Any) -> str:
    """Format a moment as `10 September 2014 14.05` in Asia/Jakarta time."""
    if not value:
        return "–"
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'j F Y')} {local:%H.%M}"


@register.filter
def masked(value: Any) -> str:
    """Mask all but the last four characters of an identifier such as a NIK."""
    if not value:
        return "–"
    s = str(value)
    return "•" * max(len(s) - 4, 0) + s[-4:]


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """Return mapping[key], or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
