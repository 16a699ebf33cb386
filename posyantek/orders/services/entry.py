"""Staff order entry: record an order taken at the post, correct the buyer's details, change items while quoting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import Action, rank_on_post, require
from posyantek.exhibitions.models import Exhibition
from posyantek.network.models import Agent
from posyantek.orders import sales, workflow
from posyantek.orders.models import Order, OrderItem
from posyantek.orders.services.common import (
    BUYER_FIELDS,
    add_step,
    clean_buyer,
    clean_lines,
    describe_lines,
    give_stock_back,
    place_buyer,
    rp,
    take_stock,
    unused_code,
)
from posyantek.posts.models import Post

#: Channels staff record; the marketplace is the public checkout's.
STAFF_CHANNELS = tuple(c for c in Order.Channel.values if c != Order.Channel.MARKETPLACE)
#: What `order_update` may change (the buyer, delivery, where the order came from, the internal note).
UPDATE_FIELDS = [*BUYER_FIELDS.values(), "buyer_region", "delivery", "channel", "agent", "exhibition", "internal_note"]
#: Fields that change what an order counts for in the sales analysis.
SALES_FIELDS = ("channel", "buyer_region")


def items_locked_message() -> str:
    """Return why items and prices can no longer change (translated when asked, not at import)."""
    return gettext("Harga dan barang tidak dapat diubah setelah pesanan dikonfirmasi. Buat penawaran baru.")


def _pick(model: type[Any], value: Any, post: Post, field: str, errors: dict[str, list[str]], label: str) -> Any:
    """Return an agent or exhibition of `post` (given as an object or an id), None when empty, or note an error."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    found = model.objects.filter(post=post, pk=pk).first() if isinstance(pk, int) and not isinstance(pk, bool) else None
    if found is None:
        errors[field] = [gettext("%(label)s ini bukan milik %(post)s.") % {"label": label, "post": post}]
    return found


def _source(order: Order, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Apply channel, agent and exhibition from `data`: the agent and the exhibition must be the post's own."""
    if "channel" in data:
        if data["channel"] not in Order.Channel.values:
            errors["channel"] = [gettext("Pilih saluran pesanan.")]
        else:
            order.channel = data["channel"]
    if "agent" in data:
        order.agent = _pick(Agent, data["agent"], order.post, "agent", errors, gettext("Agen"))
    if "exhibition" in data:
        order.exhibition = _pick(Exhibition, data["exhibition"], order.post, "exhibition", errors, gettext("Pameran"))
    if order.channel == Order.Channel.AGENT and "agent" not in errors and order.agent_id is None:
        errors["agent"] = [gettext("Pilih agen yang membawa pesanan ini (saluran agen/jejaring).")]


def _delivery(value: Any, errors: dict[str, list[str]]) -> str:
    if value not in Order.Delivery.values:
        errors["delivery"] = [gettext("Pilih cara pengiriman: dikirim ke alamat atau diambil sendiri.")]
        return Order.Delivery.SHIP
    return str(value)


@transaction.atomic
def order_create(
    *,
    actor: Any,
    post: Post,
    channel: str,
    buyer: dict[str, Any],
    items: list[dict[str, Any]],
    agent: Any = None,
    exhibition: Any = None,
    delivery: str = Order.Delivery.SHIP,
    internal_note: str = "",
    ordered_at: dt.datetime | None = None,
) -> Order:
    """Record an order taken at a post the actor works for (walk-in, WhatsApp, agent, exhibition…); takes stock.

    `buyer` has name, phone, email, institution, address, region_code (or region), note; `items` are dicts with a
    `product` of the post (object or id) or a free-text `name`, and `quantity`, `unit_price`, `unit`,
    `made_to_order`. The order starts as a request (quote) and may be dated in the past (`ordered_at`).
    """
    if rank_on_post(actor, post) < Action.EDIT:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if channel not in STAFF_CHANNELS:
        errors["channel"] = [gettext("Pilih saluran pesanan (pesanan Pasar Posyantek masuk lewat keranjang).")]
    b = clean_buyer(buyer, errors, strict=False)
    lines = clean_lines(post, items, errors)
    now = timezone.now()
    if ordered_at is not None and timezone.is_naive(ordered_at):
        ordered_at = timezone.make_aware(ordered_at)
    if ordered_at is not None and ordered_at > now:
        errors["ordered_at"] = [gettext("Waktu pesan belum terjadi; periksa tanggalnya.")]
    order = Order(post=post, region_id=post.region_id, code=unused_code(), ordered_at=ordered_at or now,
                  delivery=_delivery(delivery, errors), internal_note=(internal_note or "").strip())  # fmt: skip
    for key, field in BUYER_FIELDS.items():
        setattr(order, field, b.get(key) or "")
    _source(order, {"channel": channel, "agent": agent, "exhibition": exhibition}, errors)
    if errors:
        raise ValidationError(errors)
    place_buyer(order, b["region"])
    take_stock(lines, timezone.localdate(order.ordered_at))
    order.subtotal = order.total = sum(x.quantity * x.unit_price for x in lines)
    order.save()
    OrderItem.objects.bulk_create([x.item(order) for x in lines])
    add_step(order, from_state="", actor=actor, at=order.ordered_at, note=gettext("Pesanan dicatat petugas"))
    changes = audit.snapshot(order, ["channel", "agent", "exhibition", "buyer_name", "buyer_region", "delivery"])
    audit.record(actor, "create", order, {**changes, "barang": describe_lines(lines), "total": order.total})
    require(actor, order, "edit")
    return order


@transaction.atomic
def order_update(*, actor: Any, order: Order, data: dict[str, Any], version: int | None) -> Order:
    """Correct the buyer's details, delivery, channel, agent or exhibition; an edit on an old version is refused.

    `data` takes the buyer keys of `order_create` (name, phone, email, institution, address, region_code, note)
    and delivery, channel, agent, exhibition, internal_note; keys left out stay as they are.
    """
    require(actor, order, "edit")
    order = lock_current(order, version)
    before = audit.snapshot(order, [*UPDATE_FIELDS, "commission"])
    errors: dict[str, list[str]] = {}
    current = {key: getattr(order, field) for key, field in BUYER_FIELDS.items()}
    current["region"] = order.buyer_region
    given = {k: v for k, v in data.items() if k in BUYER_FIELDS or k in ("region", "region_code")}
    if "region_code" in given:
        current.pop("region")
    b = clean_buyer({**current, **given}, errors, strict=False)
    for key, field in BUYER_FIELDS.items():
        if key in data:
            setattr(order, field, b.get(key) or "")
    if "delivery" in data:
        order.delivery = _delivery(data["delivery"], errors)
    if "internal_note" in data:
        order.internal_note = (data["internal_note"] or "").strip()
    _source(order, {k: data[k] for k in ("channel", "agent", "exhibition") if k in data}, errors)
    if order.channel == Order.Channel.MARKETPLACE and before["channel"] != order.channel:
        errors["channel"] = [gettext("Saluran Pasar Posyantek hanya untuk pesanan dari keranjang daring.")]
    if errors:
        raise ValidationError(errors)
    if b["region"] is not None:
        place_buyer(order, b["region"])
    if "agent" in data and order.state in workflow.COUNTED:
        order.commission = _commission(order)
    after = audit.snapshot(order, [*UPDATE_FIELDS, "commission"])
    changes = audit.diff(before, after)
    if not changes:
        return order
    order.version += 1
    order.save()
    audit.record(actor, "update", order, changes)
    if order.sale_date and any(f in changes for f in SALES_FIELDS):
        sales.refresh_for(order, order.sale_date)
    return order


def _commission(order: Order) -> int:
    """Return the agent's commission on the order's goods (total without shipping)."""
    if order.agent is None:
        return 0
    quantity = sum(order.items.values_list("quantity", flat=True))
    return order.agent.commission_for(total=max(order.total - order.shipping_cost, 0), quantity=quantity)


def recompute_totals(order: Order) -> None:
    """Set subtotal and total from the order's lines, shipping and discount; the discount never passes the sum."""
    order.subtotal = sum(i.quantity * i.unit_price for i in order.items.all())
    order.discount = min(order.discount, order.subtotal + order.shipping_cost)
    order.total = order.subtotal + order.shipping_cost - order.discount


def check_paid_fits(order: Order) -> None:
    if order.total < order.paid_total:
        raise ValidationError(
            {
                "items": [
                    gettext("Total baru %(total)s lebih kecil dari yang sudah dibayar %(paid)s.")
                    % {"total": rp(order.total), "paid": rp(order.paid_total)}
                ]
            }  # fmt: skip
        )


@transaction.atomic
def order_set_items(*, actor: Any, order: Order, items: list[dict[str, Any]], version: int | None) -> Order:
    """Replace the lines of an order still being quoted (permintaan): stock is given back and taken again.

    After confirmation prices and items are fixed; a new quote (`order_new_quote`) reopens them.
    """
    require(actor, order, "edit")
    order = lock_current(order, version)
    if order.state not in workflow.EDITABLE:
        raise ValidationError({"items": [items_locked_message()]})
    errors: dict[str, list[str]] = {}
    lines = clean_lines(order.post, items, errors)
    if errors:
        raise ValidationError(errors)
    old = list(order.items.all())
    before_total = order.total
    give_stock_back(order)
    order.items.all().delete()
    take_stock(lines, timezone.localdate(order.ordered_at))
    OrderItem.objects.bulk_create([x.item(order) for x in lines])
    recompute_totals(order)
    check_paid_fits(order)
    order.version += 1
    order.save()
    audit.record(actor, "update", order, {"barang": [describe_lines(old), describe_lines(lines)],
                                          "total": [before_total, order.total]})  # fmt: skip
    sales.refresh_for(order, order.sale_date)
    return order
