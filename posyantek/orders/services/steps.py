"""An order's way along its states: confirm the deal, move it on, or reopen it with a new quote."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import require
from posyantek.orders import notify, sales
from posyantek.orders.models import Order
from posyantek.orders.services.common import (
    MAX_PRICE,
    State,
    add_step,
    clean_money,
    give_stock_back,
    is_whole,
    refuse_skip,
    rp,
    state_label,
    step_time,
)
from posyantek.orders.services.entry import _commission, check_paid_fits, recompute_totals

MAX_LEAD_DAYS = 730
#: What `order_advance` passes on when the step is the confirmation.
CONFIRM_TERMS = ("shipping_cost", "discount", "down_payment", "lead_time_days", "prices")


def _tell_buyer(order: Order, note: str = "") -> None:
    if order.buyer_email:
        notify.later(lambda: notify.email_buyer_state(order, note))


@transaction.atomic
def order_confirm(
    *,
    actor: Any,
    order: Order,
    version: int | None = None,
    shipping_cost: int | None = 0,
    discount: int | None = 0,
    down_payment: int | None = 0,
    lead_time_days: int | None = None,
    prices: dict[int, int] | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Order:
    """Confirm the deal: agreed prices (item id → price), shipping, discount, down payment and lead time.

    From then on items and prices are fixed (a change needs a new quote). The sale counts on the Asia/Jakarta
    date of confirmation; the agent's commission follows the agent's rule.
    """
    require(actor, order, "edit")
    order = lock_current(order, version)
    refuse_skip(order.state, State.CONFIRMED)
    at = step_time(order, at)
    errors: dict[str, list[str]] = {}
    items = list(order.items.all())
    if not items:
        errors["items"] = [gettext("Pesanan belum berisi barang.")]
    by_id = {i.pk: i for i in items}
    loaded = {i.pk: i.unit_price for i in items}
    for item_id, price in (prices or {}).items():
        item = by_id.get(int(item_id)) if str(item_id).isdigit() else None
        if item is None:
            errors.setdefault("prices", []).append(
                gettext("Barang #%(id)s bukan bagian pesanan ini.") % {"id": item_id}
            )
        elif not is_whole(price) or price < 1 or price > MAX_PRICE:
            # A free extra is a discount on the order, not a price of Rp 0 that hides the deal from the quote.
            errors.setdefault("prices", []).append(
                gettext("%(name)s: harga harus bilangan bulat rupiah, paling sedikit Rp 1 (beri potongan untuk "
                        "barang bonus).") % {"name": item.name}
            )  # fmt: skip
        else:
            item.unit_price = price
    order.shipping_cost = clean_money(shipping_cost, "shipping_cost", errors, label=gettext("Ongkos kirim"))
    order.discount = clean_money(discount, "discount", errors, label=gettext("Potongan"))
    agreed = clean_money(down_payment, "down_payment", errors, label=gettext("Uang muka"))
    subtotal = sum(i.quantity * i.unit_price for i in items)
    if order.discount > subtotal + order.shipping_cost:
        errors["discount"] = [gettext("Potongan %(d)s melebihi nilai pesanan %(s)s.")
                              % {"d": rp(order.discount), "s": rp(subtotal + order.shipping_cost)}]  # fmt: skip
    total = max(subtotal + order.shipping_cost - order.discount, 0)
    if agreed > total and "down_payment" not in errors:
        errors["down_payment"] = [gettext("Uang muka %(dp)s melebihi total pesanan %(total)s.")
                                  % {"dp": rp(agreed), "total": rp(total)}]  # fmt: skip
    if lead_time_days in ("", None):
        lead_time_days = None
        if any(i.made_to_order for i in items):
            errors["lead_time_days"] = [gettext("Tuliskan lama pengerjaan (hari) untuk barang yang dibuat sesuai "
                                                "pesanan.")]  # fmt: skip
    elif not is_whole(lead_time_days) or not 0 <= lead_time_days <= MAX_LEAD_DAYS:
        errors["lead_time_days"] = [gettext("Lama pengerjaan harus 0 sampai %(n)s hari.") % {"n": MAX_LEAD_DAYS}]
    if errors:
        raise ValidationError(errors)
    changed_prices = [
        f"{i.name}: {rp(loaded[i.pk])} → {rp(i.unit_price)}" for i in items if i.unit_price != loaded[i.pk]
    ]
    for item in items:
        if item.unit_price != loaded[item.pk]:
            item.save(update_fields=["unit_price"])
    recompute_totals(order)
    check_paid_fits(order)
    old = order.state
    order.state, order.down_payment, order.lead_time_days = State.CONFIRMED, agreed, lead_time_days
    order.confirmed_at, order.sale_date = at, timezone.localdate(at)
    order.commission = _commission(order)
    order.version += 1
    order.save()
    add_step(order, from_state=old, actor=actor, at=at, note=note)
    changes: dict[str, Any] = {
        "state": [old, order.state], "total": order.total, "shipping_cost": order.shipping_cost,
        "discount": order.discount, "down_payment": agreed, "lead_time_days": lead_time_days,
        "sale_date": order.sale_date, "commission": order.commission or None,
    }  # fmt: skip
    if changed_prices:
        changes["harga_disepakati"] = changed_prices
    if note.strip():
        changes["note"] = note.strip()
    audit.record(actor, "status", order, changes)
    sales.refresh_for(order, None)
    _tell_buyer(order)
    return order


def _ship_details(order: Order, fields: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """Check what shipping needs: delivered to an address → the address, courier and tracking number."""
    changes: dict[str, Any] = {}
    if order.delivery != Order.Delivery.SHIP:
        return changes
    address = (fields.get("address") or "").strip() or order.buyer_address.strip()
    courier = (fields.get("courier") or "").strip()[:100]
    number = (fields.get("tracking_number") or "").strip()[:100]
    if len(address) < 10:
        errors["address"] = [
            gettext(
                "Pesanan tanpa alamat kirim tidak dapat dikirim. Tuliskan alamat lengkap "
                "(paling sedikit 10 huruf), atau ubah pengiriman menjadi diambil sendiri."
            )
        ]
    if not courier:
        errors["courier"] = [gettext("Tuliskan kurir atau ekspedisi pengirim.")]
    if not number:
        errors["tracking_number"] = [gettext("Tuliskan nomor resi pengiriman.")]
    if address != order.buyer_address:
        changes["buyer_address"] = address
    changes.update(courier=courier, tracking_number=number)
    return changes


def _step_rules(order: Order, new: str, note: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Check the rules of one step; return the order fields it sets."""
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    if new == State.READY and order.state == State.CONFIRMED:
        custom = [i.name for i in order.items.all() if i.made_to_order]
        if custom:
            raise ValidationError(gettext("Pesanan ini berisi barang yang dibuat sesuai pesanan (%(names)s): catat "
                                          "dulu tahap Dalam produksi.") % {"names": ", ".join(custom)})  # fmt: skip
    elif new == State.SHIPPED:
        changes = _ship_details(order, fields, errors)
    elif new == State.PAID and order.balance > 0:
        raise ValidationError(gettext("Pesanan belum lunas: sisa tagihan %(b)s. Catat pembayarannya dulu.")
                              % {"b": rp(order.balance)})  # fmt: skip
    elif new in (State.CANCELLED, State.RETURNED, State.WARRANTY) and not note.strip():
        errors["note"] = [{
            State.CANCELLED: gettext("Tuliskan alasan pembatalan."),
            State.RETURNED: gettext("Tuliskan alasan retur."),
            State.WARRANTY: gettext("Tuliskan keluhan atau servis yang dilakukan."),
        }[new]]  # fmt: skip
    if errors:
        raise ValidationError(errors)
    return changes


@transaction.atomic
def order_advance(
    *,
    actor: Any,
    order: Order,
    state: str,
    note: str = "",
    version: int | None = None,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Order:
    """Move an order one step along `workflow.TRANSITIONS`; a skipped step is refused, naming the allowed ones.

    Shipping to an address needs the address, courier and tracking number (`fields`); paid in full needs a zero
    balance; cancelling (before shipping) and returning give stocked units back. Confirming goes through
    `order_confirm` with `fields` as its terms.
    """
    if state == State.CONFIRMED:
        terms = {k: v for k, v in fields.items() if k in CONFIRM_TERMS}
        return order_confirm(actor=actor, order=order, version=version, note=note, at=at, **terms)
    require(actor, order, "edit")
    order = lock_current(order, version)
    if state == State.REQUESTED and order.state in (State.CONFIRMED, State.IN_PRODUCTION):
        raise ValidationError(gettext("Untuk mengubah harga atau barang, buat penawaran baru (dengan alasannya)."))
    refuse_skip(order.state, state)
    at = step_time(order, at)
    note = (note or "").strip()
    changes = _step_rules(order, state, note, fields)
    old = order.state
    for f, value in changes.items():
        setattr(order, f, value)
    order.state = state
    if state == State.SHIPPED:
        order.shipped_at = at
    if state in (State.CANCELLED, State.RETURNED):
        give_stock_back(order)
    order.version += 1
    order.save()
    add_step(order, from_state=old, actor=actor, at=at, note=note)
    audit.record(actor, "status", order, {"state": [old, state], **({"note": note} if note else {}), **changes})
    if state in (State.CANCELLED, State.RETURNED):
        sales.refresh_for(order, order.sale_date)
    _tell_buyer(order)
    return order


@transaction.atomic
def order_new_quote(
    *, actor: Any, order: Order, reason: str, version: int | None = None, at: dt.datetime | None = None
) -> Order:
    """Reopen a confirmed order (not yet ready) for new prices or items: back to quoting, with a new revision.

    The sale no longer counts until confirmed again; the reason is kept in the steps and the Riwayat.
    """
    require(actor, order, "edit")
    order = lock_current(order, version)
    if order.state not in (State.CONFIRMED, State.IN_PRODUCTION):
        raise ValidationError(
            gettext(
                "Penawaran baru dibuat untuk pesanan yang sudah dikonfirmasi atau dalam "
                "produksi; pesanan ini %(state)s."
            )
            % {"state": state_label(order.state).lower()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [gettext("Tuliskan alasan penawaran baru (mis. harga bahan naik).")]})
    at = step_time(order, at)
    old_state, old_sale_date, old_revision = order.state, order.sale_date, order.quote_revision
    order.state = State.REQUESTED
    order.quote_revision += 1
    order.confirmed_at = order.sale_date = None
    order.commission = 0
    order.version += 1
    order.save()
    add_step(
        order,
        from_state=old_state,
        actor=actor,
        at=at,
        note=gettext("Penawaran baru (revisi %(n)s): %(reason)s") % {"n": order.quote_revision, "reason": reason},
    )
    audit.record(
        actor,
        "status",
        order,
        {
            "state": [old_state, order.state],  # fmt: skip
            "quote_revision": [old_revision, order.quote_revision],
            "alasan": reason,
        },
    )
    sales.refresh_for(order, old_sale_date)
    _tell_buyer(order)
    return order
