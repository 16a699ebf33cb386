"""API for dashboards: the same selectors and scope as the pages (/dasbor/).

Out of scope → 404, no grant at all → 403. Figures come from the summary tables; `refreshed_at` says how fresh.
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder

from posyantek.core.api import ERRORS, Pagination
from posyantek.core.pagecache import data_version
from posyantek.dashboards import selectors as sel

router = Router(tags=["Dasbor"])


class YearIn(Schema):
    tahun: int | None = Field(None, ge=0, le=2100, description="Year; 0 = all years; empty = this year")


class FiguresOut(Schema):
    """Every indicator of domain.md §9 for a region (sums) or a post (its standing as 1/0)."""

    posts_total: int = Field(description="Posts in the region (1 for a post)")
    posts_active: int = Field(description="Active posts: status aktif, SK, valid SKT and a board in office today")
    posts_sk: int = Field(description="Posts with an SK number")
    posts_skt: int = Field(description="Posts with an SKT valid today")
    posts_board: int = Field(description="Posts with a board in office today")
    requests_received: int
    requests_resolved: int
    median_days: float | None = Field(description="Median whole days from received to resolved")
    resolved_days: dict[str, int] = Field(description="{days: requests resolved after that many whole days}")
    bintek_held: int
    participants_male: int
    participants_female: int
    ttg_catalogued: int
    ttg_produced: int
    ttg_adopted: int
    adoption_units: int
    adoption_villages: int
    innovators: int
    needs_unmet: int
    orders_in_region: int
    sales_in_region: int = Field(description="Whole rupiah")
    orders_out_region: int
    sales_out_region: int = Field(description="Whole rupiah")
    funding: dict[str, int] = Field(description="Income by funding source code, whole rupiah")
    income_total: int = Field(description="Whole rupiah, net of reversals")
    spent_total: int = Field(description="Whole rupiah, net of reversals")
    budget_total: int = Field(description="Approved budget ceiling, whole rupiah")
    absorption: float | None = Field(description="spent_total / budget_total in percent; empty without a budget")
    partnerships_active: int
    visits_hosted: int
    visits_made: int
    contest_entries: int
    contest_awards: int


class RowOut(Schema):
    """A child region or a post with its figures."""

    code: str = Field(description="Region code, or the post id")
    name: str
    url: str = Field(description="Its dashboard page")
    figures: FiguresOut
    refreshed_at: dt.datetime | None


class PostRowOut(Schema):
    post_id: int
    slug: str
    name: str
    region_code: str
    figures: FiguresOut
    refreshed_at: dt.datetime | None

    @staticmethod
    def resolve_post_id(obj: sel.Row) -> int:
        return int(obj.code)

    @staticmethod
    def resolve_name(obj: sel.Row) -> str:
        return obj.label


class CrumbOut(Schema):
    label: str
    url: str | None = Field(description="Empty when you may not open it")


class DashboardOut(Schema):
    year: int = Field(description="0 = all years")
    years: list[int] = Field(description="Years with figures (and this year), newest first")
    code: str = Field(description="Region code; empty for the nation or a post")
    name: str
    has_figures: bool = Field(description="False when the summary tables hold no row for this year yet")
    figures: FiguresOut
    refreshed_at: dt.datetime | None = Field(description="Oldest refresh time of the figures in this answer")
    dirty_posts: int = Field(description="Posts in scope whose figures wait for a refresh")
    breadcrumb: list[CrumbOut]
    children: list[RowOut] = Field(description="Child regions with figures (provinces, kab/kota, kecamatan)")
    posts_here: list[RowOut] = Field(description="Posts sitting in a kab/kota itself, or anywhere in a kecamatan")


class PostDashboardOut(Schema):
    year: int
    years: list[int]
    post_id: int
    slug: str
    name: str
    region_code: str
    has_figures: bool
    figures: FiguresOut
    refreshed_at: dt.datetime | None
    dirty_posts: int
    breadcrumb: list[CrumbOut]
    by_year: list[RowOut] = Field(description="The post's figures for each year, oldest first (code = the year)")


class SortIn(YearIn):
    urut: str = Field(sel.SORT_NAME, max_length=40, description="nama or an indicator key; another sorts by name")
    arah: str = Field("", max_length=5, description="naik (ascending) or turun (descending)")


def _rows(rows: list[sel.Row]) -> list[dict[str, Any]]:
    return [{"code": r.code, "name": r.label, "url": r.url, "figures": r.figures, "refreshed_at": r.refreshed_at}
            for r in rows]  # fmt: skip


def _dashboard(view: sel.DashboardView) -> dict[str, Any]:
    return {
        "year": view.year, "years": view.years, "code": view.code, "has_figures": view.has_figures,
        "name": view.region.name if view.region else gettext("Nasional"), "figures": view.figures,
        "refreshed_at": view.refreshed_at, "dirty_posts": view.dirty,
        "breadcrumb": [{"label": c.label, "url": c.url} for c in view.crumbs],
        "children": _rows(view.children), "posts_here": _rows(view.posts_here),
    }  # fmt: skip


def _kept(request: HttpRequest, schema: type[Schema], build: Callable[[], dict[str, Any]]) -> HttpResponse:
    """Answer with the figures payload as JSON, built once per user, URL, language and data version.

    Like the pages' cache (`core.pagecache`): it runs after authentication, so `request.user` is the session's or
    the token's user and the user's scope is part of the key; a change of grants is an audited write, which moves
    the data version. The JSON is validated by the same schema the OpenAPI document shows.
    """

    def render() -> bytes:
        data = schema.model_validate(build()).model_dump(mode="json", by_alias=True)
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False).encode()

    if not settings.PAGE_CACHE_ENABLED or not request.user.is_authenticated:
        return HttpResponse(render(), content_type="application/json; charset=utf-8")
    raw = "\x1f".join([request.path, request.GET.urlencode(), str(request.user.pk), translation.get_language() or "",
                       str(data_version())])  # fmt: skip
    key = "dash-api:" + hashlib.sha256(raw.encode()).hexdigest()
    cache = caches[settings.PAGE_CACHE_ALIAS]
    body = cache.get(key)
    if body is None:
        body = render()
        cache.set(key, body, settings.PAGE_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _year(tahun: int | None) -> int:
    return sel.current_year() if tahun is None else sel.parse_year(tahun)


@router.get("/nasional", response={200: DashboardOut, **ERRORS}, url_name="dashboard-nation")
def nation_api(request: HttpRequest, filters: Query[YearIn]) -> Any:
    """The national figures and each province's (national grant only; others 404)."""
    return _kept(request, DashboardOut, lambda: _dashboard(sel.nation_view(request.user, _year(filters.tahun))))


@router.get("/wilayah/{code}", response={200: DashboardOut, **ERRORS}, url_name="dashboard-region")
def region_api(request: HttpRequest, code: str, filters: Query[YearIn]) -> Any:
    """A province, kab/kota or kecamatan: its figures, its children's, the posts sitting in it."""
    return _kept(request, DashboardOut, lambda: _dashboard(sel.region_view(request.user, code, _year(filters.tahun))))


@router.get("/wilayah/{code}/pos", response={200: list[PostRowOut], **ERRORS}, url_name="dashboard-region-posts")
@paginate(Pagination)
def region_posts_api(request: HttpRequest, code: str, filters: Query[SortIn]) -> Any:
    """Every post below a region with its figures, sorted by `urut` (the comparison table)."""
    return sel.posts_below_for(request.user, code, _year(filters.tahun), filters.urut, filters.arah)


@router.get("/pos/{post_id}", response={200: PostDashboardOut, **ERRORS}, url_name="dashboard-post")
def post_api(request: HttpRequest, post_id: Annotated[int, Field(ge=1, le=2**62)], filters: Query[YearIn]) -> Any:
    """One post's figures, and each year's."""
    post = sel.dashboard_post(request.user, pk=post_id)
    return _kept(request, PostDashboardOut, lambda: _post_payload(request, post, _year(filters.tahun)))


def _post_payload(request: HttpRequest, post: Any, year: int) -> dict[str, Any]:
    view = sel.post_view(request.user, post, year)
    return {
        "year": view.year, "years": view.years, "post_id": post.pk, "slug": post.slug, "name": post.name,
        "region_code": post.region_id, "has_figures": view.has_figures, "figures": view.figures,
        "refreshed_at": view.refreshed_at, "dirty_posts": view.dirty,
        "breadcrumb": [{"label": c.label, "url": c.url} for c in view.crumbs], "by_year": _rows(view.by_year),
    }  # fmt: skip
