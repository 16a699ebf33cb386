"""Keep the monthly sales rollup (`SalesMonth`) in step with orders.

Every service that changes what an order counts for (state, items, prices, channel, sale date) calls
`refresh_for(order, old_sale_date)` inside its transaction. The (post, month) rows are rebuilt from the orders
of that month; the post row is locked first so two writers never rebuild the same month at once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Sum

from posyantek.orders import workflow
from posyantek.orders.models import Order, OrderItem, SalesMonth
from posyantek.posts.models import Post


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def refresh_for(order: Order, old_sale_date: dt.date | None = None) -> None:
    """Rebuild the rollup of the month(s) `order` counts in, now and before the change."""
    months = {month_of(d) for d in (order.sale_date, old_sale_date) if d}
    for month in sorted(months):
        rebuild_month(order.post_id, month)


def rebuild_month(post_id: int, month: dt.date) -> None:
    """Recompute the rollup rows of one post and one month from its counted orders."""
    post = Post.objects.select_for_update().only("pk", "region_id").get(pk=post_id)
    nxt = month_of(month + dt.timedelta(days=32))
    rows = (
        OrderItem.objects.filter(
            order__post_id=post_id,
            order__sale_date__gte=month,
            order__sale_date__lt=nxt,
            order__state__in=workflow.COUNTED,
        )
        .values(
            "product_id",
            "name",
            province=F("order__buyer_province_code"),
            out_region=F("order__out_of_region"),
            out_province=F("order__out_of_province"),
            ch=F("order__channel"),
        )
        .annotate(
            n_orders=Count("order_id", distinct=True), qty=Sum("quantity"), amount=Sum(F("quantity") * F("unit_price"))
        )
    )
    merged: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: ["", 0, 0, 0])
    for r in rows:
        key = (r["product_id"], r["province"], r["out_region"], r["out_province"], r["ch"])
        m = merged[key]
        m[0] = m[0] or r["name"]
        m[1] += r["n_orders"]
        m[2] += r["qty"]
        m[3] += r["amount"]
    SalesMonth.objects.filter(post_id=post_id, month=month).delete()
    SalesMonth.objects.bulk_create(
        SalesMonth(
            post_id=post_id,
            region_id=post.region_id,
            month=month,
            product_id=k[0],
            product_name=v[0][:200],
            buyer_province_code=k[1],
            out_of_region=k[2],
            out_of_province=k[3],
            channel=k[4],
            orders=v[1],
            quantity=v[2],
            amount=v[3],
        )  # fmt: skip
        for k, v in merged.items()
    )
