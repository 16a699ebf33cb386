"""Keep the monthly sales rollup (`SalesMonth`) in step with orders.

Every service that changes what an order counts for (state, items, prices, channel, buyer region, sale date) calls
`refresh_for(order, old_sale_date)` inside its transaction. The (post, month) rows are rebuilt from the orders
of that month; the post row is locked first so two writers never rebuild the same month at once.

A row sums one (post, month, product, buyer province, region flags, channel) group: the orders holding the product,
the units and the goods value (quantity × agreed unit price; shipping and discounts left out). Each order is also
counted once (`orders_once`) on the first row of its (province, flags, channel) group, so the analysis gets
distinct orders by summing that column over any breakdown but the product.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Count, F, Max, Sum, Value, When
from django.db.models.functions import TruncMonth

from posyantek.orders import workflow
from posyantek.orders.models import Order, OrderItem, SalesMonth
from posyantek.posts.models import Post

#: A rollup row of a (post, month) is known by these fields (the name only for a line without a product) ...
ROW_KEY = ("product_id", "product_name", "buyer_province_code", "out_of_region", "out_of_province", "channel")
#: ... and holds these.
ROW_VALUES = ("region_id", "product_name", "orders", "orders_once", "quantity", "amount")


def month_of(day: dt.date) -> dt.date:
    """Return the first day of the month holding `day`."""
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    """Return the first day of the month after `month`."""
    return month_of(month_of(month) + dt.timedelta(days=32))


def refresh_for(order: Order, old_sale_date: dt.date | None = None) -> None:
    """Rebuild the rollup of the month(s) `order` counts in, now and before the change."""
    months = {month_of(d) for d in (order.sale_date, old_sale_date) if d}
    for month in sorted(months):
        rebuild_month(order.post_id, month)


def rebuild_month(post_id: int, month: dt.date) -> None:
    """Recompute the rollup rows of one post and one month from its counted orders (inside a transaction)."""
    post = Post.objects.select_for_update().only("pk", "region_id").get(pk=post_id)
    start, end = month_of(month), next_month(month)
    counted = {"sale_date__gte": start, "sale_date__lt": end, "state__in": workflow.COUNTED}
    group = {"province": F("buyer_province_code"), "out_region": F("out_of_region"),
             "out_province": F("out_of_province"), "ch": F("channel")}  # fmt: skip
    # A line without a catalogue product is kept apart by its name (two custom items are two rows).
    rows = (
        OrderItem.objects.filter(order__post_id=post_id, **{f"order__{k}": v for k, v in counted.items()})
        .annotate(
            custom=Case(When(product_id__isnull=True, then=F("name")), default=Value(""), output_field=CharField())
        )  # fmt: skip
        .values("product_id", "custom", **{k: F(f"order__{v.name}") for k, v in group.items()})
        .annotate(
            item_name=Max("name"),
            n_orders=Count("order_id", distinct=True),
            qty=Sum("quantity"),
            amount=Sum(F("quantity") * F("unit_price")),
        )
        .order_by()
    )
    once = {
        (r["province"], r["out_region"], r["out_province"], r["ch"]): r["n"]
        for r in Order.objects.filter(post_id=post_id, **counted).values(**group).annotate(n=Count("pk")).order_by()
    }
    new: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for r in sorted(rows, key=lambda r: (r["product_id"] is None, r["product_id"] or 0, r["custom"])):
        of_group = (r["province"] or "", r["out_region"], r["out_province"], r["ch"])
        key = (r["product_id"], r["custom"] or "", *of_group)
        name = (r["custom"] or r["item_name"] or "")[:200]
        new[key] = (post.region_id, name, r["n_orders"], once.pop(of_group, 0), r["qty"] or 0, r["amount"] or 0)
    # Write only what changed: one order's change touches a row or two of a month that may hold thousands.
    stale, kept = [], {}
    existing = SalesMonth.objects.filter(post_id=post_id, month=start).values_list("pk", *ROW_KEY, *ROW_VALUES)
    for pk, *fields in existing.order_by("pk"):
        key, values = tuple(fields[: len(ROW_KEY)]), tuple(fields[len(ROW_KEY) :])
        key = (key[0], key[1] if key[0] is None else "", *key[2:])
        if key in kept or new.get(key) != values:
            stale.append(pk)
        else:
            kept[key] = pk
    for i in range(0, len(stale), 500):
        SalesMonth.objects.filter(pk__in=stale[i : i + 500]).delete()
    SalesMonth.objects.bulk_create(
        [SalesMonth(post_id=post_id, month=start, **(dict(zip(ROW_KEY, key, strict=True))
                                                      | dict(zip(ROW_VALUES, values, strict=True))))
         for key, values in new.items() if key not in kept],
        batch_size=500,
    )  # fmt: skip


def months_to_rebuild(*, post_id: int | None = None, year: int | None = None) -> list[tuple[int, dt.date]]:
    """Return the (post, month) pairs that have dated orders or rollup rows, oldest first."""
    orders = Order.objects.filter(sale_date__isnull=False)
    rollup = SalesMonth.objects.all()
    if post_id is not None:
        orders, rollup = orders.filter(post_id=post_id), rollup.filter(post_id=post_id)
    if year is not None:
        first, last = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        orders = orders.filter(sale_date__gte=first, sale_date__lt=last)
        rollup = rollup.filter(month__gte=first, month__lt=last)
    pairs: set[tuple[int, dt.date]] = set()
    for pid, month in orders.annotate(m=TruncMonth("sale_date")).values_list("post_id", "m").distinct().order_by():
        pairs.add((pid, month.date() if isinstance(month, dt.datetime) else month))
    pairs.update(rollup.values_list("post_id", "month").distinct().order_by())
    return sorted(pairs, key=lambda p: (p[1], p[0]))


def rebuild(pairs: Iterable[tuple[int, dt.date]]) -> int:
    """Rebuild each (post, month) in its own transaction; return how many were rebuilt."""
    n = 0
    for post_id, month in pairs:
        with transaction.atomic():
            rebuild_month(post_id, month)
        n += 1
    return n


def rollup_rows(post_id: int, month: dt.date) -> list[dict[str, Any]]:
    """Return the rollup rows of one post and month as plain dicts in a stable order (for checks and tests)."""
    fields = ["product_id", "product_name", "buyer_province_code", "out_of_region", "out_of_province", "channel",
              "orders", "orders_once", "quantity", "amount"]  # fmt: skip
    rows = SalesMonth.objects.filter(post_id=post_id, month=month_of(month)).values(*fields)
    return sorted(rows, key=lambda r: tuple("" if r[f] is None else str(r[f]) for f in fields))
