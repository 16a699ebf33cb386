"""Server-side SVG charts for the dashboards: horizontal bars, CSP-clean.

No `style` attribute, no `<style>` or `<script>` inside: the classes are styled by `static/css/dashboards.css`, so
the chart can be inlined under a strict Content-Security-Policy. Every bar has a `<title>` (a tooltip); the chart as
a whole is `role="img"` with an `aria-label`, and the page puts a table with the same numbers beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from posyantek.core.lib.rupiah import format_rupiah

COUNT = "count"
RUPIAH = "rupiah"
DAYS = "days"
PERCENT = "percent"

WIDTH = 360
LABEL_H = 16  # the label line above each bar
BAR_H = 14
GAP = 10
LABEL_MAX = 42  # longer labels are cut in the chart (the bar's title and the table keep them whole)
VALUE_ROOM = 115  # room right of the longest bar for its value


def format_value(value: Any, unit: str = COUNT) -> str:
    """Return a figure as people read it in the active language: `1.234`, `Rp 1.250.000`, `4,5 hari`, `85,3 %`."""
    if value is None or value == "":
        return "–"
    if unit == RUPIAH:
        return format_rupiah(int(value))
    if unit == DAYS:
        return pgettext("duration in days", "%(n)s hari") % {"n": formats.number_format(value, 1, force_grouping=True)}
    if unit == PERCENT:
        return f"{formats.number_format(value, 1, force_grouping=True)} %"
    # The common case, many times per page: group the digits by the active language's separator.
    return f"{int(value):,}".replace(",", formats.get_format("THOUSAND_SEPARATOR"))


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


def bar_chart(*, title: str, bars: Sequence[Bar], unit: str = COUNT) -> SafeString:
    """Return an inline SVG with one horizontal bar per item, its label above and its value at its end."""
    top = max((b.value or 0 for b in bars), default=0) or 1
    row = LABEL_H + BAR_H + GAP
    height = max(len(bars), 1) * row
    span = WIDTH - VALUE_ROOM
    parts = []
    for i, bar in enumerate(bars):
        y = i * row
        length = round(span * max(bar.value or 0, 0) / top, 1)
        shown = format_value(bar.value, unit)
        short = bar.label if len(bar.label) <= LABEL_MAX else bar.label[: LABEL_MAX - 1] + "…"
        parts.append((bar.label, shown, y + LABEL_H - 4, short, y + LABEL_H, length, BAR_H, length + 6,
                      y + LABEL_H + BAR_H - 3, shown))  # fmt: skip
    body = format_html_join(
        "",
        '<g class="chart-row"><title>{}: {}</title>'
        '<text class="chart-label" x="0" y="{}">{}</text>'
        '<rect class="chart-bar" x="0" y="{}" width="{}" height="{}" rx="2"></rect>'
        '<text class="chart-value" x="{}" y="{}">{}</text></g>',
        parts,
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        title, WIDTH, height, WIDTH, height, title, body,
    )  # fmt: skip
