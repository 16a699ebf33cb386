"""Stock and monthly capacity: the only code that takes units from a product or gives them back.

A stocked product loses units with one conditional UPDATE (`stock >= n`), which both SQLite (one writer at a time)
and PostgreSQL (the row is re-checked after the lock wait) apply atomically, so stock never goes below zero however
many buyers race. A made-to-order product has no stock; its row is locked while the month's ordered units are
counted against its capacity.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext

from posyantek.products.models import Product

#: Order states that still hold capacity (not cancelled, not returned).
_RELEASED = ("dibatalkan", "retur")


def month_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the start and end (exclusive) of the Asia/Jakarta month holding `day`, as aware datetimes."""
    tz = timezone.get_default_timezone()
    start = dt.datetime(day.year, day.month, 1, tzinfo=tz)
    nxt = dt.datetime(day.year + (day.month == 12), day.month % 12 + 1, 1, tzinfo=tz)
    return start, nxt


def take(product: Product, quantity: int, *, day: dt.date | None = None) -> None:
    """Take `quantity` units of `product` for an order, or raise ValidationError (code `out_of_stock`).

    `day` is the order's date (today by default): a made-to-order product's capacity is counted in its month.
    """
    if product.made_to_order:
        _check_capacity(product, quantity, day or timezone.localdate())
        return
    taken = Product.objects.filter(pk=product.pk, made_to_order=False, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    if not taken:
        left = Product.objects.filter(pk=product.pk).values_list("stock", flat=True).first() or 0
        raise ValidationError(
            gettext("Stok %(name)s habis: tersisa %(left)s %(unit)s, Anda memesan %(n)s.")
            % {"name": product.name, "left": left, "unit": product.unit, "n": quantity},
            code="out_of_stock",
        )


def give_back(product: Product, quantity: int) -> None:
    """Return `quantity` units of a stocked product (a cancelled or returned order)."""
    if not product.made_to_order:
        Product.objects.filter(pk=product.pk).update(stock=F("stock") + quantity)


def _check_capacity(product: Product, quantity: int, day: dt.date) -> None:
    locked = Product.objects.select_for_update().get(pk=product.pk)
    if not locked.capacity_per_month:
        return
    from posyantek.orders.models import OrderItem  # noqa: PLC0415 - orders imports this module

    start, end = month_bounds(day)
    used = (
        OrderItem.objects.filter(product=locked, order__ordered_at__gte=start, order__ordered_at__lt=end)
        .exclude(order__state__in=_RELEASED)
        .aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    if used + quantity > locked.capacity_per_month:
        raise ValidationError(
            gettext(
                "Kapasitas %(name)s bulan ini penuh: tersisa %(left)s %(unit)s dari %(cap)s. "
                "Pesan lebih sedikit atau hubungi pos untuk bulan berikutnya."
            )
            % {
                "name": locked.name,
                "left": max(locked.capacity_per_month - used, 0),
                "unit": locked.unit,
                "cap": locked.capacity_per_month,
            },
            code="out_of_stock",
        )
