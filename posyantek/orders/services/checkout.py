"""Checkout: a public cart becomes one order per producing post, taking stock; all or nothing."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from posyantek.core import audit
from posyantek.orders import notify, stock
from posyantek.orders.models import Order, OrderItem, OrderStep
from posyantek.orders.services.common import (
    MAX_LINES,
    MAX_QUANTITY,
    clean_buyer,
    new_code,
    place_buyer,
    rp,
    unused_code,
)
from posyantek.products.models import Product


def _clean_lines(lines: list[tuple[int, int]], errors: dict[str, list[str]]) -> OrderedDict[int, int]:
    wanted: OrderedDict[int, int] = OrderedDict()
    if not lines:
        errors["items"] = [gettext("Keranjang kosong.")]
    if len(lines) > MAX_LINES:
        errors["items"] = [gettext("Paling banyak %(n)s jenis barang per pesanan.") % {"n": MAX_LINES}]
    for product_id, qty in lines:
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1 or qty > MAX_QUANTITY:
            errors.setdefault("items", []).append(
                gettext("Jumlah harus bilangan bulat 1 sampai %(max)s.")
                % {"max": f"{MAX_QUANTITY:,}".replace(",", ".")}
            )
            continue
        wanted[int(product_id)] = wanted.get(int(product_id), 0) + qty
    return wanted


@transaction.atomic
def order_checkout(
    *, lines: list[tuple[int, int]], buyer: dict[str, Any], channel: str = Order.Channel.MARKETPLACE, actor: Any = None
) -> list[Order]:
    """Turn a cart into one order per producing post, taking stock; all or nothing.

    `lines` are (product id, quantity); `buyer` has name, phone, email, institution, address, region_code, note.
    Raises ValidationError with field errors (bad input) or code `out_of_stock` (nothing is kept then). The
    officers of each post hear of their order by e-mail once the checkout commits.
    """
    errors: dict[str, list[str]] = {}
    b = clean_buyer(buyer, errors, strict=True)
    wanted = _clean_lines(lines, errors)
    products = {
        p.pk: p
        for p in Product.objects.select_related("post").filter(pk__in=list(wanted), active=True, post__status="aktif")
    }
    for pid, qty in wanted.items():
        p = products.get(pid)
        if p is None:
            errors.setdefault("items", []).append(
                gettext("Produk #%(id)s tidak ada atau tidak dijual lagi.") % {"id": pid}
            )
        elif qty < p.min_order:
            errors.setdefault("items", []).append(
                gettext("%(name)s: pemesanan minimum %(n)s %(unit)s.")
                % {"name": p.name, "n": p.min_order, "unit": p.unit}
            )
    if errors:
        raise ValidationError(errors)

    by_post: OrderedDict[int, list[tuple[Product, int]]] = OrderedDict()
    for pid, qty in wanted.items():
        by_post.setdefault(products[pid].post_id, []).append((products[pid], qty))
    now = timezone.now()
    ref = new_code()
    orders = []
    for lines_of_post in by_post.values():
        post = lines_of_post[0][0].post
        for product, qty in lines_of_post:
            stock.take(product, qty)
        order = Order(
            post=post, region_id=post.region_id, code=unused_code(), checkout_ref=ref, channel=channel,
            buyer_name=b["name"][:200], buyer_phone=b["phone"], buyer_email=b["email"],
            buyer_institution=(b.get("institution") or "")[:200], buyer_address=b.get("address") or "",
            buyer_note=b.get("note") or "", ordered_at=now,
        )  # fmt: skip
        place_buyer(order, b["region"])
        order.save()
        OrderItem.objects.bulk_create(
            OrderItem(
                order=order,
                product=p,
                name=p.name,
                unit=p.unit,
                quantity=q,
                unit_price=p.price,
                made_to_order=p.made_to_order,
            )  # fmt: skip
            for p, q in lines_of_post
        )
        order.subtotal = order.total = sum(p.price * q for p, q in lines_of_post)
        order.save(update_fields=["subtotal", "total"])
        who = actor if getattr(actor, "is_authenticated", False) else None
        OrderStep.objects.create(order=order, state=order.state, at=now, actor=who, note=gettext("Pesanan masuk"))
        lines_text = [f"{q} {p.unit} × {p.name} ({rp(p.price)})" for p, q in lines_of_post]
        audit.record(who, "create", order, {"barang": lines_text, "channel": channel, "total": order.total})
        notify.later(lambda o=order: notify.email_new_order(o))
        orders.append(order)
    return orders
