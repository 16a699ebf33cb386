"""A report's figures: counted from the post's own rows for the report's dates, shown with the dashboards' labels.

The counting is the dashboards' `post_counts` (one post, a date range, straight from the raw rows); the labels,
groups and units are the dashboards' `INDICATORS`, so a report and a dashboard call a number the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy, pgettext

from posyantek.core.lib.rupiah import format_rupiah

#: How a post's own standing reads on its report: a yes/no answer for one post, not a region's count of posts.
STANDING_LABELS = {
    "is_active": gettext_lazy("Aktif (status, SK, SKT, pengurus)"),
    "has_sk": gettext_lazy("Ber-SK"),
    "skt_valid": gettext_lazy("SKT berlaku"),
    "has_board": gettext_lazy("Pengurus menjabat"),
}


def _post_counts(post: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    from posyantek.dashboards.counts import post_counts  # noqa: PLC0415 - the dashboards app loads after ours

    return post_counts(post, start, end)


def _plain(value: Any) -> Any:
    """Return a value JSON can keep (the figures are frozen in a JSON column)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return str(value)


def compute(post: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Return every indicator of `post` from `start` to `end` (inclusive), ready to be stored."""
    return {str(k): _plain(v) for k, v in (_post_counts(post, start, end) or {}).items()}


def indicators() -> list[Any]:
    """Return the dashboards' indicator list (empty while that module is missing)."""
    try:
        from posyantek.dashboards.indicators import INDICATORS  # noqa: PLC0415
    except ImportError:
        return []
    return list(INDICATORS)


@dataclass
class FigureRow:
    """One line of a report's figures table."""

    key: str
    label: str
    group: str
    value: Any
    text: str


def _text(value: Any, unit: str) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, dict):
        if unit == "days":  # a spread: {days: how many}
            return "; ".join(f"{k} hari: {_text(v, 'count')}" for k, v in value.items()) or "–"
        return "; ".join(f"{k}: {_text(v, unit)}" for k, v in value.items()) or "–"
    if isinstance(value, list):
        return ", ".join(_text(v, unit) for v in value) or "–"
    if isinstance(value, bool):
        return pgettext("yes or no", "Ya") if value else pgettext("yes or no", "Tidak")
    if unit == "rupiah" and isinstance(value, int | float):
        return format_rupiah(int(value))
    if isinstance(value, float):
        text = f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
        return text.removesuffix(",0") + (" hari" if unit == "days" else "")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".") + (" hari" if unit == "days" else "")
    return str(value)


def _funding_label(code: str) -> str:
    from posyantek.finance.models import FundingSource  # noqa: PLC0415

    return str(dict(FundingSource.choices).get(code, code))


def figure_rows(figures: dict[str, Any]) -> list[FigureRow]:
    """Return the stored figures as labelled rows, in the indicators' order.

    A post's standing is stored as flags (`is_active`, `has_sk`, …) where a region counts posts: the flag is shown
    as Ya/Tidak under a label that reads right for one post ("Ber-SK", not "Pos ber-SK"). Keys no indicator knows
    are shown as they are only when the indicator list is missing altogether.
    """
    known = indicators()
    rows = []
    for ind in known:
        key = ind.key if ind.key in figures else getattr(ind, "post_field", "") or None
        if key is None or key not in figures:
            continue
        group = str(getattr(ind, "group_label", ind.group))
        value = figures[key]
        shown = value
        if key == "funding" and isinstance(value, dict):
            shown = {_funding_label(k): v for k, v in value.items()}
        label = STANDING_LABELS.get(key, ind.label) if key != ind.key else ind.label
        rows.append(FigureRow(key, str(label), group, value, _text(shown, ind.unit)))
    if not known:
        rows = [FigureRow(k, k.replace("_", " "), "", v, _text(v, "count")) for k, v in figures.items()]
    return rows


def grouped(rows: list[FigureRow]) -> list[tuple[str, list[FigureRow]]]:
    """Return the rows grouped by their indicator group, groups in first-seen order."""
    groups: dict[str, list[FigureRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    return list(groups.items())
