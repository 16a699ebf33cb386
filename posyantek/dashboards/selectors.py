"""Reads behind the dashboard pages and API: the summary tables only, never the raw rows.

A page is a handful of indexed queries whatever the size of the country: the region (and the regions above it for
the breadcrumb), the region's figures with its children's in one query, the children's names in one, the posts
sitting in the region, the number of posts waiting for a refresh, and one page of the comparison table.
Scope: the nation needs a national grant, a region a grant covering it, a post `rank_on_post`; anything else is a
404, and a user without any grant at all gets 403.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyantek.core.scoping import (
    Action,
    covers_region,
    get_scoped_object,
    rank_on_post,
    rank_on_region,
    region_subtree_q,
    user_grants,
)
from posyantek.dashboards.charts import PERCENT
from posyantek.dashboards.indicators import GROUPS, INDICATORS
from posyantek.dashboards.models import ALL_YEARS, DirtyPost, PostFigures, RegionFigures
from posyantek.posts.models import Post
from posyantek.regions.models import Region

FIRST_YEAR = 2000
#: Absorption is derived (spent / budget), not stored: pages and API show it beside the money figures.
ABSORPTION = "absorption"


@dataclass(frozen=True)
class Column:
    """A figure a page shows as one number: an indicator (not the two dicts), or absorption."""

    key: str
    label: Any
    group: str
    unit: str
    definition: Any = ""
    region_only: bool = False
    post_field: str = ""
    standing: bool = False

    @property
    def group_label(self) -> Any:
        return GROUPS[self.group]


COLUMNS: list[Column] = [
    Column(i.key, i.label, i.group, i.unit, i.definition, i.region_only, i.post_field, i.standing)
    for i in INDICATORS if not i.mapping
]  # fmt: skip
COLUMNS.insert(
    next(n for n, c in enumerate(COLUMNS) if c.key == "budget_total") + 1,
    Column(ABSORPTION, _("Penyerapan anggaran"), "Keuangan", PERCENT,
           _("Pengeluaran dibagi pagu anggaran yang disetujui, dalam persen.")),
)  # fmt: skip
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
NUMBER_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)
#: How a post's own standing reads (a yes/no for one post, not a region's count of posts); same words as its reports.
POST_STANDING_LABELS = {
    "posts_active": _("Aktif (status, SK, SKT, pengurus)"),
    "posts_sk": _("Ber-SK"),
    "posts_skt": _("SKT berlaku"),
    "posts_board": _("Pengurus menjabat"),
}
#: A post's columns: its standing as yes/no, not the count of posts (always 1).
POST_COLUMNS: list[Column] = [
    replace(c, label=POST_STANDING_LABELS.get(c.key, c.label))
    for c in COLUMNS
    if not (c.region_only and not c.post_field)
]
#: The columns of the child-region table (the full set is in the comparison table and the export).
MAIN_KEYS: tuple[str, ...] = (
    "posts_total", "posts_active", "requests_received", "requests_resolved", "bintek_held", "ttg_catalogued",
    "ttg_adopted", "innovators", "sales_in_region", "sales_out_region", "income_total", "absorption",
    "partnerships_active", "visits_hosted", "contest_awards",
)  # fmt: skip
DEFAULT_CHART = "posts_active"
#: A post's standing is the same every year: its chart across years starts on a yearly figure.
DEFAULT_POST_CHART = "requests_received"
SORT_NAME = "nama"
#: The comparison table's sort keys → the PostFigures column (a post's standing is a boolean there).
SORT_FIELDS: dict[str, str] = {SORT_NAME: "post__name", **{c.key: c.post_field or c.key for c in POST_COLUMNS}}
#: Where a region's level puts its posts in PostFigures (0 nation … 3 kecamatan).
LEVEL_FIELD = {1: "province_code", 2: "city_code", 3: "district_code"}
REGION_FIELDS = ("code", "name", "level", "kind", "parent_id")


def current_year() -> int:
    """Return this year in Asia/Jakarta."""
    return timezone.localdate().year


def parse_year(raw: Any) -> int:
    """Return the year asked for (0 = all years); anything unreadable is this year."""
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        return current_year()
    if year == ALL_YEARS or FIRST_YEAR <= year <= current_year() + 1:
        return year
    return current_year()


def year_range(year: int) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day a year's figures cover (all years: no bounds)."""
    if year == ALL_YEARS:
        return None, None
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- figures as plain dicts ----------------------------------------------------------------------------------------


def figures_dict(row: PostFigures | RegionFigures | None) -> dict[str, Any]:
    """Return every indicator of a summary row by key, with absorption; a post's standing as 1/0; no row → zeros."""
    out: dict[str, Any] = {}
    for item in INDICATORS:
        if row is None:
            value: Any = {} if item.mapping else (None if item.key == "median_days" else 0)
        elif isinstance(row, PostFigures) and item.region_only:
            value = int(bool(getattr(row, item.post_field))) if item.post_field else 1
        else:
            value = getattr(row, item.key)
        out[item.key] = value
    out[ABSORPTION] = absorption(out["spent_total"], out["budget_total"])
    return out


def year_figures(base: PostFigures | RegionFigures | None, row: PostFigures | RegionFigures | None) -> dict[str, Any]:
    """Return a year's figures: its row, or (no activity that year: no row) zeros with the standing of `base`.

    The summary tables hold a year's row only where something happened that year; the all-years row (year 0)
    always exists and carries the standing, which is the same in every year.
    """
    if row is not None:
        return figures_dict(row)
    out = figures_dict(None)
    if base is not None:
        standing = figures_dict(base)
        for column in COLUMNS:
            if column.standing:
                out[column.key] = standing[column.key]
    return out


def absorption(spent: int, budget: int) -> float | None:
    """Return spending as a percentage of the approved budget, one decimal (None without a budget)."""
    return round(spent * 100 / budget, 1) if budget else None


# --- scope --------------------------------------------------------------------------------------------------------


def require_some_grant(user: Any) -> None:
    """Raise 403 for a user who holds no grant at all (a judge, a buyer): the dashboards are not for them."""
    if not user_grants(user):
        raise PermissionDenied


def can_see_region(user: Any, code: str) -> bool:
    """Return whether the user may open the dashboard of region `code` ("" = the nation)."""
    return rank_on_region(user, code) >= Action.VIEW


CODE = re.compile(r"\d{2}(\.\d{2}){0,2}")


def _check_region(user: Any, code: str) -> None:
    require_some_grant(user)
    if code and not CODE.fullmatch(code):
        raise Http404  # a village, or not a region code at all
    if not can_see_region(user, code):
        raise Http404


@dataclass(frozen=True)
class Target:
    """Where a grant leads on the dashboards."""

    label: str
    url: str


def dashboard_targets(user: Any) -> list[Target]:
    """Return the dashboards the user's grants open, the widest first; a national grant is the nation alone."""
    require_some_grant(user)
    grants = [g for g in user_grants(user) if g.rank >= Action.VIEW]
    if any(g.is_national for g in grants):
        return [Target(str(_("Nasional")), reverse("dashboards:nation"))]
    codes = sorted({g.region_code for g in grants if g.region_code})
    # A grant inside another one adds nothing.
    codes = [c for c in codes if not any(o != c and covers_region(o, c) for o in codes)]
    regions = list(Region.objects.filter(code__in=codes).only(*REGION_FIELDS).order_by("level", "code"))
    targets = [Target(str(r), region_url(r.code)) for r in regions if r.level <= 3]
    village_codes = [r.code for r in regions if r.level > 3]
    post_ids = {g.post_id for g in grants if g.post_id}
    posts = Post.objects.filter(Q(pk__in=post_ids) | Q(region_id__in=village_codes))
    posts = list(posts.only("name", "slug", "region_id", "parent_id").order_by("name"))
    shown = {p.pk for p in posts}
    for post in posts:
        if post.parent_id in shown:
            continue  # a kecamatan post's village posts are reached from its page
        if post.region_id in village_codes or not any(covers_region(c, post.region_id) for c in codes):
            targets.append(Target(post.name, post_url(post)))
    return targets


def region_url(code: str) -> str:
    return reverse("dashboards:nation") if not code else reverse("dashboards:region", args=[code])


def post_url(post: Post) -> str:
    return reverse("dashboards:post", args=[post.slug])


# --- the views' data ----------------------------------------------------------------------------------------------


@dataclass
class Crumb:
    label: str
    url: str | None  # None when the user may not open it


@dataclass
class Row:
    """One line of a table or bar of a chart: a child region or a post, with its figures."""

    code: str
    label: str
    url: str
    figures: dict[str, Any]
    refreshed_at: dt.datetime | None = None
    region_code: str = ""
    kind: str = "r"  # r region, p post, y year (the `data-of` of its cells: "r:33.75", "p:12", "y:2025")
    slug: str = ""  # a post's

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.code}"


@dataclass
class DashboardView:
    """Everything a dashboard page or API answer shows."""

    kind: str  # "nation" | "region" | "post"
    year: int
    years: list[int]
    figures: dict[str, Any]
    crumbs: list[Crumb]
    refreshed_at: dt.datetime | None
    dirty: int
    region: Region | None = None
    post: Post | None = None
    children: list[Row] = field(default_factory=list)
    posts_here: list[Row] = field(default_factory=list)
    by_year: list[Row] = field(default_factory=list)  # a post's figures per year, oldest first
    has_figures: bool = False

    @property
    def code(self) -> str:
        return self.region.code if self.region is not None else ""

    @property
    def level(self) -> int:
        return self.region.level if self.region is not None else 0

    @property
    def child_level_label(self) -> Any:
        return {0: _("Provinsi"), 1: _("Kabupaten/kota"), 2: _("Kecamatan")}.get(self.level, "")


def _years(found: set[int]) -> list[int]:
    return sorted({*(y for y in found if y != ALL_YEARS), current_year()}, reverse=True)


def _oldest(*stamps: dt.datetime | None) -> dt.datetime | None:
    present = [s for s in stamps if s is not None]
    return min(present) if present else None


def _crumbs(user: Any, regions: list[Region]) -> list[Crumb]:
    """Return Nasional › province › … for the regions above (and including) the page's own, top first."""
    crumbs = [Crumb(str(_("Nasional")), region_url("") if can_see_region(user, "") else None)]
    for r in sorted(regions, key=lambda r: r.level):
        if r.level <= 3:
            crumbs.append(Crumb(str(r), region_url(r.code) if can_see_region(user, r.code) else None))
    return crumbs


def _dirty_count(code: str) -> int:
    qs = DirtyPost.objects.all()
    if code:
        qs = qs.filter(region_subtree_q("post__region", code))
    return qs.count()


def region_view(user: Any, code: str, year: int) -> DashboardView:
    """Return a region's dashboard ("" = the nation): its figures, its children's, the posts sitting in it.

    404 when the user's grants do not cover it (or it is a village: villages have no dashboard), 403 without grants.
    """
    _check_region(user, code)
    region = None
    regions: list[Region] = []
    if code:
        codes = [*Region(code=code).ancestor_codes, code]
        regions = list(Region.objects.filter(code__in=codes).only(*REGION_FIELDS))
        region = next((r for r in regions if r.code == code), None)
        if region is None or region.level > 3:
            raise Http404
    level = region.level if region else 0
    # The region's row of every year (for the year selector), its children's all-years rows (every child with a
    # post has one) and their rows of the chosen year (only those with activity that year).
    children_q = Q(year__in={ALL_YEARS, year}, level=level + 1)
    if code:
        children_q &= Q(code__startswith=code + ".")
    rows = list(RegionFigures.objects.filter(Q(code=code) | children_q).order_by("code"))
    mine = {r.year: r for r in rows if r.code == code}
    by_code: dict[str, dict[int, RegionFigures]] = {}
    for r in rows:
        if r.code != code:
            by_code.setdefault(r.code, {})[r.year] = r
    names = {r.code: r for r in Region.objects.filter(code__in=list(by_code)).only(*REGION_FIELDS)}
    children = []
    for child, found in by_code.items():
        base, row = found.get(ALL_YEARS), found.get(year)
        if base is None and row is None:
            continue
        stamp = (row or base).refreshed_at  # type: ignore[union-attr]
        label = str(names[child]) if child in names else child
        children.append(Row(child, label, region_url(child), year_figures(base, row), stamp))
    children.sort(key=lambda row: row.label)
    posts_here = _posts_here(code, level, year)
    base, own = mine.get(ALL_YEARS), mine.get(year)
    shown = own or base
    return DashboardView(
        kind="region" if code else "nation", year=year, years=_years(set(mine)),
        figures=year_figures(base, own), crumbs=_crumbs(user, regions), region=region, children=children,
        posts_here=posts_here, has_figures=shown is not None, dirty=_dirty_count(code),
        refreshed_at=_oldest(shown.refreshed_at if shown else None, *(c.refreshed_at for c in children),
                             *(p.refreshed_at for p in posts_here)),
    )  # fmt: skip


def nation_view(user: Any, year: int) -> DashboardView:
    """Return the national dashboard (national grant only)."""
    return region_view(user, "", year)


def _posts_here(code: str, level: int, year: int) -> list[Row]:
    """Return the posts sitting in a kab/kota itself, or anywhere in a kecamatan (its villages have no page)."""
    if level == 2:
        qs = PostFigures.objects.filter(region_code=code)
    elif level == 3:
        qs = PostFigures.objects.filter(district_code=code)
    else:
        return []
    found: dict[int, dict[int, PostFigures]] = {}
    for r in qs.filter(year__in={ALL_YEARS, year}).select_related("post"):
        found.setdefault(r.post_id, {})[r.year] = r
    return sorted((_post_line(rows.get(ALL_YEARS), rows.get(year)) for rows in found.values()),
                  key=lambda row: row.label)  # fmt: skip


def _post_line(base: PostFigures | None, row: PostFigures | None) -> Row:
    """Return a post's table line; the post comes with `base` (the all-years row) when there is one."""
    shown: PostFigures = base or row  # type: ignore[assignment]  # one of them is always there
    stamp = (row or shown).refreshed_at
    return Row(str(shown.post_id), shown.post.name, post_url(shown.post), year_figures(base, row), stamp,
               shown.region_code, "p", shown.post.slug)  # fmt: skip


def dashboard_post(user: Any, **lookup: Any) -> Post:
    """Return the post a dashboard asks for (by slug or pk): 403 without grants, 404 when out of scope."""
    require_some_grant(user)
    return get_scoped_object(Post.objects.all(), user, "view", **lookup)


def post_view(user: Any, post: Post, year: int) -> DashboardView:
    """Return one post's dashboard: the year's figures and every year's, for the chart across years.

    404 unless `rank_on_post` lets the user view it (403 without any grant).
    """
    require_some_grant(user)
    if rank_on_post(user, post) < Action.VIEW:
        raise Http404
    rows = list(PostFigures.objects.filter(post=post).order_by("year"))
    own = next((r for r in rows if r.year == year), None)
    base = next((r for r in rows if r.year == ALL_YEARS), None)
    codes = Region(code=post.region_id).ancestor_codes + [post.region_id]
    regions = list(Region.objects.filter(code__in=codes).only(*REGION_FIELDS))
    crumbs = _crumbs(user, regions)
    crumbs.append(Crumb(post.name, post_url(post)))
    found = {r.year: r for r in rows}
    years = _years(set(found))
    by_year = [Row(str(y), str(y), f"?tahun={y}", year_figures(base, found.get(y)),
                   (found.get(y) or base).refreshed_at if (found.get(y) or base) else None, post.region_id, "y")
               for y in range(min(years), max(years) + 1)]  # fmt: skip
    shown = own or base
    return DashboardView(
        kind="post", year=year, years=years, figures=year_figures(base, own), crumbs=crumbs,
        refreshed_at=shown.refreshed_at if shown else None, post=post, by_year=by_year, has_figures=shown is not None,
        dirty=DirtyPost.objects.filter(post=post).count(),
        region=next((r for r in regions if r.code == post.region_id), None),
    )  # fmt: skip


# --- the comparison table -----------------------------------------------------------------------------------------


def parse_sort(sort: str | None, direction: str | None) -> tuple[str, str]:
    """Return a known sort key and "naik"/"turun" (by name, ascending, when unknown)."""
    key = sort if sort in SORT_FIELDS else SORT_NAME
    default = "naik" if key == SORT_NAME else "turun"
    return key, direction if direction in ("naik", "turun") else default


class PostsBelow:
    """The comparison table: every post under a region with its figures of a year, sorted; sliced like a list.

    It walks the all-years rows (one per post, always there) and fills in each post's row of the year, or zeros
    where nothing happened that year. Sorting by a yearly figure reads the year's value in a subquery (the unique
    (post, year) index), with a missing row counting as 0. A slice is two queries: the page, then its year rows.
    """

    def __init__(self, base: QuerySet[PostFigures], year: int) -> None:
        self.base = base
        self.year = year

    def count(self) -> int:
        return self.base.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Row]:
        return self._lines(list(self.base[index]))

    def __iter__(self) -> Any:
        chunk: list[PostFigures] = []
        for row in self.base.iterator(chunk_size=2000):
            chunk.append(row)
            if len(chunk) == 2000:
                yield from self._lines(chunk)
                chunk = []
        yield from self._lines(chunk)

    def _lines(self, bases: list[PostFigures]) -> list[Row]:
        if self.year == ALL_YEARS or not bases:
            return [_post_line(b, b) for b in bases]
        rows = PostFigures.objects.filter(post_id__in=[b.post_id for b in bases], year=self.year)
        found = {r.post_id: r for r in rows}
        return [_post_line(b, found.get(b.post_id)) for b in bases]


def posts_below(code: str, year: int, sort: str | None = None, direction: str | None = None) -> PostsBelow:
    """Return every post under region `code` ("" = all) with its figures for `year`, sorted (see `PostsBelow`).

    The caller has checked the region is in the user's scope (`region_view`): every post below it is too.
    """
    key, way = parse_sort(sort, direction)
    qs = PostFigures.objects.filter(year=ALL_YEARS)
    level = code.count(".") + 1 if code else 0
    if level in LEVEL_FIELD:
        qs = qs.filter(**{LEVEL_FIELD[level]: code})
    column = COLUMN_BY_KEY.get(key)
    if key == SORT_NAME or column is None or column.standing:
        value: Any = F(SORT_FIELDS[key])
    else:
        year_row = PostFigures.objects.filter(post_id=OuterRef("post_id"), year=year)
        if key == ABSORPTION:
            year_row = year_row.annotate(absorption=_absorption_expr())
        value = Subquery(year_row.values(key)[:1])
        if key not in (ABSORPTION, "median_days"):
            value = Coalesce(value, 0)  # no row that year: nothing happened
    ordered = value.asc(nulls_last=True) if way == "naik" else value.desc(nulls_last=True)
    return PostsBelow(qs.select_related("post").order_by(ordered, "post__name", "post_id"), year)


def posts_below_for(user: Any, code: str, year: int, sort: str | None = None, direction: str | None = None) -> Any:
    """Return `posts_below` after checking the user may open region `code` (404/403 like the page)."""
    _check_region(user, code)
    if code and not Region.objects.filter(code=code, level__lte=3).exists():
        raise Http404
    return posts_below(code, year, sort, direction)


def _absorption_expr() -> Any:
    share = ExpressionWrapper(F("spent_total") * 100.0 / F("budget_total"), output_field=FloatField())
    return Case(When(budget_total__gt=0, then=share), default=None, output_field=FloatField())


def export_headers() -> list[str]:
    """Return the export's column titles: the post, where it sits, then every indicator."""
    return [str(_("Pos")), str(_("Kode wilayah")), str(_("Tahun")), *(str(c.label) for c in COLUMNS),
            str(_("Diperbarui pada"))]  # fmt: skip


def export_rows(rows: PostsBelow) -> Any:
    """Yield every post below as an export row (every indicator column, not one page)."""
    for row in rows:
        stamp = timezone.localtime(row.refreshed_at).strftime("%Y-%m-%d %H:%M") if row.refreshed_at else ""
        yield [row.label, row.region_code, rows.year or "", *(row.figures[k] for k in NUMBER_KEYS), stamp]
