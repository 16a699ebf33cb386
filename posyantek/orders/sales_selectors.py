"""Reads of the sales analysis: a post's sales, or rolled up for whoever oversees it, from the monthly rollup.

Everything reads `SalesMonth` through `for_user`, so a post's people see their post (and the village posts it
coordinates), and a city, province or national officer sees every post below them. Values are whole rupiah of
goods: quantity × agreed unit price, without shipping or discounts, of orders confirmed and not cancelled or
returned, by the month of their sale date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, F, Max, Q, QuerySet, Sum, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from posyantek.core.scoping import Action, rank_on_region, region_subtree_q, user_grants
from posyantek.orders.models import Order, SalesMonth
from posyantek.posts.models import Post
from posyantek.regions.models import Region

#: Rows of the product and post tables on the page and in the API (the exports have them all).
PAGE_ROWS = 100
#: More posts than this in the post filter and the overseer is asked to pick a region first.
POST_CHOICES_MAX = 300
FIRST_YEAR = 2000

#: In-region versus out-of-region, as the order flags say: the post's own kabupaten/kota, another one in the same
#: province ("luar daerah"), another province ("luar provinsi").
REACH = (
    ("dalam_daerah", (False, False)),
    ("luar_daerah", (True, False)),
    ("luar_provinsi", (True, True)),
)


def reach_labels() -> dict[str, str]:
    return {
        "dalam_daerah": _("Dalam daerah (kabupaten/kota pos)"),
        "luar_daerah": _("Luar daerah (kabupaten/kota lain, provinsi sama)"),
        "luar_provinsi": _("Luar provinsi"),
    }


@dataclass
class Line:
    """One line of a breakdown: orders, units and goods value, its share of the value and its bar length."""

    key: str
    label: str
    orders: int = 0
    quantity: int = 0
    amount: int = 0
    #: Percent of the total value (0–100, one decimal).
    share: float = 0.0
    #: Length of its bar, 0–100, relative to the largest line of the breakdown.
    bar: int = 0
    post_id: int | None = None
    post_name: str = ""
    region_code: str = ""
    #: Goods value sold outside the post's kabupaten/kota (post lines only).
    out_amount: int = 0

    def add(self, orders: int, quantity: int, amount: int) -> None:
        self.orders += orders or 0
        self.quantity += quantity or 0
        self.amount += amount or 0

    @property
    def out_share(self) -> float:
        return round(100 * self.out_amount / self.amount, 1) if self.amount else 0.0


@dataclass
class SalesAnalysis:
    """The sales of a scope for a year (or some of its months), by every breakdown the page and exports show."""

    year: int
    month_from: int
    month_to: int
    post: Post | None
    region: Region | None
    totals: Line
    by_month: list[Line]
    by_product: list[Line]
    by_province: list[Line]
    by_reach: list[Line]
    by_channel: list[Line]
    by_post: list[Line]
    #: Whether the product and post lists stop at the row limit (the export has them all).
    more_products: bool = False
    more_posts: bool = False
    rolled_up: bool = field(default=False)


def default_year() -> int:
    """Return this year (Asia/Jakarta)."""
    return timezone.localdate().year


def last_year() -> int:
    """Return the last year the filters accept (next year: orders can be dated ahead)."""
    return default_year() + 1


def sales_rows(
    *, user: Any, year: int, month_from: int = 1, month_to: int = 12, post: Post | None = None,
    region: Region | None = None,
) -> QuerySet[SalesMonth]:  # fmt: skip
    """Return the rollup rows the user may see for the months of `year`, of one post or one region."""
    qs = SalesMonth.objects.for_user(user, "view").filter(
        month__gte=dt.date(year, month_from, 1), month__lte=dt.date(year, month_to, 1)
    )
    if post is not None:
        qs = qs.filter(post_id=post.pk)
    if region is not None:
        qs = qs.filter(region_subtree_q("region", region.code))
    return qs


def _finish(lines: list[Line], total: int, *, sort: bool = True) -> list[Line]:
    if sort:
        lines.sort(key=lambda line: (-line.amount, -line.quantity, line.label))
    top = max((line.amount for line in lines), default=0)
    for line in lines:
        line.share = round(100 * line.amount / total, 1) if total else 0.0
        line.bar = round(100 * line.amount / top) if top else 0
    return lines


def month_label(year: int, month: int) -> str:
    return formats.date_format(dt.date(year, month, 1), "F Y")


def sales_analysis(
    *, user: Any, year: int, month_from: int = 1, month_to: int = 12, post: Post | None = None,
    region: Region | None = None, limit: int | None = PAGE_ROWS,
) -> SalesAnalysis:  # fmt: skip
    """Return the sales of `year` (months `month_from`–`month_to`) the user may see, by every breakdown.

    Three reads of the rollup: by (month, province, region flags, channel), which gives the totals and four
    breakdowns; by product; and by post when no post is chosen. `limit` caps the product and post lines
    (None: all of them, for the exports).
    """
    qs = sales_rows(user=user, year=year, month_from=month_from, month_to=month_to, post=post, region=region)
    sums = {"o": Sum("orders_once"), "q": Sum("quantity"), "a": Sum("amount")}
    totals = Line("total", _("Jumlah"))
    months = {m: Line(f"{year}-{m:02d}", month_label(year, m)) for m in range(month_from, month_to + 1)}
    provinces: dict[str, Line] = {}
    labels = reach_labels()
    reach = {flags: Line(key, labels[key]) for key, flags in REACH}
    channel_labels = dict(Order.Channel.choices)
    channels: dict[str, Line] = {}
    groups = qs.values_list("month", "buyer_province_code", "out_of_region", "out_of_province", "channel")
    for month, code, out_region, out_province, ch, o, q, a in groups.annotate(**sums).order_by():
        totals.add(o, q, a)
        months[month.month].add(o, q, a)
        if (line := provinces.get(code or "")) is None:
            line = provinces[code or ""] = Line(code or "", "")
        line.add(o, q, a)
        # An out-of-province order is out of region too; a flag pair the services never write counts as out.
        reach[(bool(out_region or out_province), bool(out_province))].add(o, q, a)
        if (line := channels.get(ch)) is None:
            line = channels[ch] = Line(ch, str(channel_labels.get(ch, ch)))
        line.add(o, q, a)
    names = dict(Region.objects.filter(code__in=[c for c in provinces if c]).values_list("code", "name"))
    for code, line in provinces.items():
        line.label = names.get(code, code) if code else _("Tidak diketahui")

    products, more_products = _products(qs, limit)
    by_post: list[Line] = []
    more_posts = False
    if post is None and not sees_one_post(user):
        by_post, more_posts = _posts(qs, limit)
    _name_posts(user, products + by_post)
    total = totals.amount
    return SalesAnalysis(
        year=year, month_from=month_from, month_to=month_to, post=post, region=region, totals=totals,
        by_month=_finish(list(months.values()), total, sort=False), by_product=_finish(products, total),
        by_province=_finish(list(provinces.values()), total), by_reach=_finish(list(reach.values()), total, sort=False),
        by_channel=_finish(list(channels.values()), total), by_post=_finish(by_post, total),
        more_products=more_products, more_posts=more_posts, rolled_up=len(by_post) > 1,
    )  # fmt: skip


def _products(qs: QuerySet[SalesMonth], limit: int | None) -> tuple[list[Line], bool]:
    # A catalogue product is one line whatever its name was; a line typed by hand is grouped by its name.
    custom = Case(When(product_id__isnull=True, then=F("product_name")), default=Value(""), output_field=CharField())
    rows = (
        qs.annotate(custom=custom)
        .values("post_id", "product_id", "custom")
        .annotate(name=Max("product_name"), o=Sum("orders"), q=Sum("quantity"), a=Sum("amount"))
        .order_by("-a", "-q", "post_id", "product_id", "custom")
    )
    if limit is not None:
        rows = rows[: limit + 1]
    lines = [
        Line(
            str(r["product_id"] or ""), r["name"], r["o"] or 0, r["q"] or 0, r["a"] or 0, post_id=r["post_id"]
        )  # fmt: skip
        for r in rows
    ]
    more = limit is not None and len(lines) > limit
    return lines[:limit] if more else lines, more


def _posts(qs: QuerySet[SalesMonth], limit: int | None) -> tuple[list[Line], bool]:
    rows = (
        qs.values("post_id")
        .annotate(
            o=Sum("orders_once"), q=Sum("quantity"), a=Sum("amount"), out=Sum("amount", filter=Q(out_of_region=True))
        )  # fmt: skip
        .order_by("-a", "post_id")
    )
    if limit is not None:
        rows = rows[: limit + 1]
    lines = [
        Line(
            str(r["post_id"]), "", r["o"] or 0, r["q"] or 0, r["a"] or 0, post_id=r["post_id"], out_amount=r["out"] or 0
        )
        for r in rows
    ]
    more = limit is not None and len(lines) > limit
    return lines[:limit] if more else lines, more


def _name_posts(user: Any, lines: list[Line]) -> None:
    ids = {line.post_id for line in lines if line.post_id}
    if not ids:
        return
    posts = {pk: (name, region) for pk, name, region in
             Post.objects.for_user(user, "view").filter(pk__in=ids).values_list("pk", "name", "region_id")}  # fmt: skip
    for line in lines:
        name, region = posts.get(line.post_id, ("", ""))  # type: ignore[arg-type]
        line.post_name, line.region_code = name, region
        if not line.label:
            line.label = name or f"#{line.post_id}"


# --- filters: what the user may choose ------------------------------------------------------------------------


def sales_post(*, user: Any, post_id: int) -> Post | None:
    """Return the post if the user may see its sales, else None (the caller answers 404)."""
    return Post.objects.for_user(user, "view").filter(pk=post_id).select_related("region").first()


def sales_region(*, user: Any, code: str) -> Region | None:
    """Return the region if the user oversees it (a grant on it or above it), else None (the caller answers 404)."""
    code = (code or "").strip()
    if not code or rank_on_region(user, code) < Action.VIEW:
        return None
    return Region.objects.filter(code=code).first()


def sees_one_post(user: Any) -> bool:
    """Return whether the user's grants open one post at most (then there is nothing to roll up)."""
    grants = [g for g in user_grants(user) if g.rank >= Action.VIEW]
    return all(g.post_id for g in grants) and len({g.post_id for g in grants}) <= 1


def oversees_regions(user: Any) -> bool:
    """Return whether the user holds a grant on a region or the whole country (not only on posts)."""
    return any(g.rank >= Action.VIEW and (g.is_national or g.region_code) for g in user_grants(user))


def sales_region_choices(*, user: Any) -> list[Region]:
    """Return the provinces and kabupaten/kota with posts the user oversees, for the region filter."""
    if not oversees_regions(user):
        return []
    codes: set[str] = set()
    for rid in Post.objects.for_user(user, "view").values_list("region_id", flat=True).order_by():
        codes.update((rid[:2], rid[:5]))
    codes = {c for c in codes if rank_on_region(user, c) >= Action.VIEW}
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def sales_post_choices(*, user: Any, region: Region | None = None) -> tuple[list[Post], bool]:
    """Return the posts the user may see (within `region`) by name, at most POST_CHOICES_MAX, and whether more."""
    qs = Post.objects.for_user(user, "view")
    if region is not None:
        qs = qs.filter(region_subtree_q("region", region.code))
    posts = list(qs.only("pk", "name", "region_id").order_by("name", "pk")[: POST_CHOICES_MAX + 1])
    return posts[:POST_CHOICES_MAX], len(posts) > POST_CHOICES_MAX
