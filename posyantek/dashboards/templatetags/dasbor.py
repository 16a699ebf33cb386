"""Formatting for the dashboards: a figure in its unit. No queries, no rules."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from posyantek.dashboards.charts import format_value

register = template.Library()


@register.filter
def nilai(value: Any, unit: str = "count") -> str:
    """Format a figure by its unit: `1.234`, `Rp 1.250.000`, `4,5 hari`, `85,3 %`."""
    return format_value(value, unit)


@register.filter
def angka(figures: Any, key: str) -> Any:
    """Return figures[key] (a figures dict by indicator key)."""
    return figures.get(key) if hasattr(figures, "get") else None


@register.filter
def nilai_pos(value: Any, column: Any) -> str:
    """Format a post's figure: its standing as yes/no, anything else by its unit."""
    if getattr(column, "standing", False):
        return gettext("Ya") if value else gettext("Tidak")
    return format_value(value, column.unit)


@register.filter
def mentah(value: Any) -> str:
    """Return the raw number for a `data-value` attribute (empty for none)."""
    return "" if value is None else str(value)


@register.simple_tag
def cells(row: Any, columns: Any, post: bool = False) -> str:
    """Return a table row's figure cells (`<td data-of data-key data-value>`), in one go: a national table has many.

    Keys and refs are codes and numbers, the shown values are formatted numbers: escaped all the same.
    """
    figures = row.figures
    yes, no = (gettext("Ya"), gettext("Tidak")) if post else ("", "")
    ref = escape(row.ref)
    out = []
    for c in columns:
        value = figures.get(c.key)
        shown = (yes if value else no) if post and c.standing else format_value(value, c.unit)
        out.append(
            f'<td class="num" data-of="{ref}" data-key="{c.key}" data-value="{mentah(value)}">{escape(shown)}</td>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every part above is escaped or a code
