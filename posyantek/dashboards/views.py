"""Dashboard pages: /dasbor/ leads to the top of the user's grants; the nation, a region, a post.

Every number comes from the summary tables through `selectors`; the pages are kept by the page cache until a
refresh of the figures bumps the data version.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import PAGE_SIZE
from posyantek.core.pagecache import cache_page_until_change
from posyantek.dashboards import selectors as sel
from posyantek.dashboards.charts import RUPIAH, Bar, bar_chart
from posyantek.dashboards.indicators import GROUPS
from posyantek.dashboards.models import ALL_YEARS
from posyantek.finance.models import FundingSource


def dashboard_home(request: HttpRequest) -> HttpResponse:
    """Send the user to the widest dashboard their grants open, or list them when there are several."""
    targets = sel.dashboard_targets(request.user)
    if len(targets) == 1:
        return redirect(targets[0].url)
    return render(request, "dashboards/dashboard_choose.html", {"targets": targets})


@cache_page_until_change
def nation_dashboard(request: HttpRequest) -> HttpResponse:
    """The national dashboard (national grant only)."""
    return _region_page(request, "")


@cache_page_until_change
def region_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """A province, kab/kota or kecamatan dashboard (a grant covering it)."""
    return _region_page(request, code)


@cache_page_until_change
def post_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """One post's dashboard, with its figures across the years."""
    post = sel.dashboard_post(request.user, slug=slug)
    year = sel.parse_year(request.GET.get("tahun", sel.current_year()))
    view = sel.post_view(request.user, post, year)
    key = _chart_key(request, sel.DEFAULT_POST_CHART)
    column = sel.COLUMN_BY_KEY[key]
    chart = bar_chart(title=f"{column.label} · {gettext('per tahun')}", unit=column.unit,
                      bars=[Bar(r.label, r.figures[key] or 0) for r in view.by_year])  # fmt: skip
    ctx = {**_common(request, view, key), "chart": chart, "chart_rows": view.by_year,
           "chart_title": gettext("per tahun"), "chart_head": gettext("Tahun")}  # fmt: skip
    return render_page(request, "dashboards/post_dashboard.html", ctx)


def _region_page(request: HttpRequest, code: str) -> HttpResponse:
    year = sel.parse_year(request.GET.get("tahun", sel.current_year()))
    view = sel.region_view(request.user, code, year)
    sort, way = sel.parse_sort(request.GET.get("urut"), request.GET.get("arah"))
    below = sel.posts_below(code, year, sort, way)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        name = view.region.name if view.region else gettext("Nasional")
        title = gettext("Angka pos %(where)s %(year)s") % {"where": name, "year": _year_label(year)}
        table = Table(title=title, headers=sel.export_headers(), rows=sel.export_rows(below))
        return export_response(table, fmt, f"dasbor-{code or 'nasional'}-{year or 'semua'}")
    key = _chart_key(request, sel.DEFAULT_CHART)
    column = sel.COLUMN_BY_KEY[key]
    chart_rows = view.children or view.posts_here
    per = gettext("per %(level)s") % {"level": _chart_level(view)}
    chart = bar_chart(title=f"{column.label} · {per}", unit=column.unit,
                      bars=[Bar(r.label, r.figures[key] or 0) for r in chart_rows])  # fmt: skip
    page = Paginator(below, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        **_common(request, view, key), "chart": chart, "chart_rows": chart_rows, "page_obj": page,
        "compare_rows": page.object_list, "sort": sort, "way": way,
        "sort_headers": _sort_headers(request, sort, way),
        "main_columns": [sel.COLUMN_BY_KEY[k] for k in sel.MAIN_KEYS], "chart_title": per,
        "chart_head": view.child_level_label if view.children else gettext("Pos"),
        "post_main_columns": [sel.COLUMN_BY_KEY[k] for k in sel.MAIN_KEYS if k != "posts_total"],
    }  # fmt: skip
    return render_page(request, "dashboards/region_dashboard.html", ctx)


def _chart_key(request: HttpRequest, default: str) -> str:
    key = request.GET.get("angka", "")
    return key if key in sel.COLUMN_BY_KEY else default


def _chart_level(view: sel.DashboardView) -> Any:
    if view.children:
        return {0: _("provinsi"), 1: _("kabupaten/kota"), 2: _("kecamatan")}[view.level]
    return _("pos")


def _year_label(year: int) -> str:
    return gettext("semua tahun") if year == ALL_YEARS else str(year)


def _common(request: HttpRequest, view: sel.DashboardView, key: str) -> dict[str, Any]:
    """Return what every dashboard page shows: cards by group, the year and chart pickers, funding."""
    post_page = view.kind == "post"
    columns = sel.POST_COLUMNS if post_page else sel.COLUMNS
    groups: dict[str, list[sel.Column]] = {}
    for column in columns:
        groups.setdefault(column.group, []).append(column)
    labels = dict(FundingSource.choices)
    funding = sorted(((s, labels.get(s, s), v) for s, v in (view.figures.get("funding") or {}).items() if v),
                     key=lambda row: -row[2])  # fmt: skip
    keep = {k: request.GET[k] for k in ("tahun", "angka", "urut", "arah") if request.GET.get(k)}
    return {
        "view": view, "year": view.year, "years": view.years, "chart_key": key,
        "chart_column": sel.COLUMN_BY_KEY[key], "groups": [(GROUPS[g], cols) for g, cols in groups.items()],
        "columns": columns, "post_columns": sel.POST_COLUMNS,
        "chart_choices": [c for c in columns if not (post_page and c.standing)],
        "funding": funding, "funding_chart": bar_chart(title=gettext("Pemasukan per sumber dana"), unit=RUPIAH,
                                                       bars=[Bar(str(label), v) for _s, label, v in funding]),
        "querystring_base": urlencode(keep) + "&" if keep else "", "query": urlencode(keep),
        "year_label": _year_label(view.year), "current_year": sel.current_year(),
    }  # fmt: skip


def _sort_headers(request: HttpRequest, sort: str, way: str) -> dict[str, dict[str, str]]:
    """Return, per sortable key, the link that sorts by it (flipping the direction when it is the current one)."""
    keep = {k: request.GET[k] for k in ("tahun", "angka") if request.GET.get(k)}
    out = {}
    for key in sel.SORT_FIELDS:
        if key == sort:
            flip = "turun" if way == "naik" else "naik"
            aria = "ascending" if way == "naik" else "descending"
        else:
            flip, aria = ("naik" if key == sel.SORT_NAME else "turun"), ""
        out[key] = {"url": "?" + urlencode({**keep, "urut": key, "arah": flip}) + "#banding", "aria": aria}
    return out
