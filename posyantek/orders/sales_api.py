"""API for sales figures: the same analysis, scoping and 404s as the /penjualan/ page."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from posyantek.core.api import ERRORS
from posyantek.orders.sales_selectors import (
    FIRST_YEAR,
    Line,
    default_year,
    last_year,
    sales_analysis,
    sales_post,
    sales_region,
)
from posyantek.orders.sales_views import BASIS

router = Router(tags=["Penjualan"])

Id = Annotated[int, Field(ge=1, le=2**62)]


class SalesFilterIn(Schema):
    year: int | None = Field(None, ge=FIRST_YEAR, le=2100, description="This year when empty")
    month_from: int = Field(1, ge=1, le=12)
    month_to: int = Field(12, ge=1, le=12)
    post_id: Id | None = Field(None, description="One post you may see; another answers 404")
    region: str | None = Field(None, max_length=13, description="A region code you oversee; another answers 404")
    limit: int = Field(100, ge=1, le=10_000, description="Product and post lines at most (the largest first)")


class TotalsOut(Schema):
    orders: int = Field(description="Distinct orders")
    quantity: int = Field(description="Units")
    amount: int = Field(description="Goods value, whole rupiah")


class LineOut(Schema):
    key: str = Field(description="Month (YYYY-MM), province code, reach, channel or product id")
    label: str
    orders: int
    quantity: int
    amount: int = Field(description="Goods value, whole rupiah")
    share: float = Field(description="Percent of the total value")


class ProductLineOut(LineOut):
    product_id: int | None = Field(description="Empty for a line typed by hand (grouped by its name)")
    post_id: int | None
    post_name: str
    orders: int = Field(description="Orders holding this product")


class PostLineOut(LineOut):
    post_id: int | None
    region_code: str
    out_of_region_amount: int = Field(description="Goods value sold outside the post's kabupaten/kota")


class SalesOut(Schema):
    year: int
    month_from: int
    month_to: int
    post_id: int | None
    region_code: str | None
    value_basis: str
    totals: TotalsOut
    by_month: list[LineOut]
    by_product: list[ProductLineOut]
    more_products: bool
    by_province: list[LineOut]
    by_reach: list[LineOut] = Field(description="dalam_daerah, luar_daerah (same province), luar_provinsi")
    by_channel: list[LineOut]
    by_post: list[PostLineOut] = Field(description="Posts ranked by value, when no post is chosen")
    more_posts: bool


def _line(line: Line) -> dict[str, Any]:
    return {"key": line.key, "label": str(line.label), "orders": line.orders, "quantity": line.quantity,
            "amount": line.amount, "share": line.share}  # fmt: skip


@router.get("", response={200: SalesOut, **ERRORS}, url_name="sales-analysis")
def sales_analysis_api(request: HttpRequest, filters: Query[SalesFilterIn]) -> Any:
    """Sales of a year you may see (a post's, or rolled up over the posts you oversee): totals and breakdowns by
    month, product, buyer province, in/out of region, channel and post. Values are goods: quantity × agreed unit
    price of confirmed orders that were not cancelled or returned, by sale date."""
    year = filters.year or default_year()
    if year > last_year():
        raise ValidationError({"year": [gettext("Pilih tahun %(first)s sampai %(last)s.")
                                        % {"first": FIRST_YEAR, "last": last_year()}]})  # fmt: skip
    if filters.month_from > filters.month_to:
        raise ValidationError({"month_to": [gettext("Bulan akhir tidak boleh sebelum bulan awal.")]})
    post = region = None
    if filters.post_id is not None and (post := sales_post(user=request.user, post_id=filters.post_id)) is None:
        raise Http404
    if filters.region and (region := sales_region(user=request.user, code=filters.region)) is None:
        raise Http404
    data = sales_analysis(user=request.user, year=year, month_from=filters.month_from, month_to=filters.month_to,
                          post=post, region=region, limit=filters.limit)  # fmt: skip
    return {
        "year": year, "month_from": data.month_from, "month_to": data.month_to, "post_id": post.pk if post else None,
        "region_code": region.code if region else None, "value_basis": str(BASIS),
        "totals": {"orders": data.totals.orders, "quantity": data.totals.quantity, "amount": data.totals.amount},
        "by_month": [_line(x) for x in data.by_month],
        "by_product": [_line(x) | {"product_id": int(x.key) if x.key else None, "post_id": x.post_id,
                                   "post_name": x.post_name} for x in data.by_product],
        "more_products": data.more_products,
        "by_province": [_line(x) for x in data.by_province],
        "by_reach": [_line(x) for x in data.by_reach],
        "by_channel": [_line(x) for x in data.by_channel],
        "by_post": [_line(x) | {"post_id": x.post_id, "region_code": x.region_code,
                                "out_of_region_amount": x.out_amount} for x in data.by_post],
        "more_posts": data.more_posts,
    }  # fmt: skip
