"""Money received for an order: down payments, instalments and the settlement, never more than the balance."""

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
from posyantek.orders import workflow
from posyantek.orders.models import Order, Payment
from posyantek.orders.services.common import is_whole, rp


@transaction.atomic
def payment_record(
    *,
    actor: Any,
    order: Order,
    amount: int,
    kind: str,
    method: str,
    paid_on: dt.date | None = None,
    reference: str = "",
) -> Payment:
    """Record a payment of a confirmed order; at least Rp 1 and at most the balance.

    The order's row stays locked until commit, so two payments at the same moment are counted one after the
    other and together never exceed the total. A settlement (pelunasan) pays exactly the balance.
    """
    require(actor, order, "edit")
    order = lock_current(order, None)
    errors: dict[str, list[str]] = {}
    if order.state not in workflow.COUNTED:
        raise ValidationError(gettext("Pembayaran dicatat setelah pesanan dikonfirmasi (dan sebelum dibatalkan "
                                      "atau diretur)."))  # fmt: skip
    balance = order.balance
    if not is_whole(amount) or amount < 1:
        errors["amount"] = [gettext("Jumlah pembayaran harus bilangan bulat rupiah, paling sedikit Rp 1.")]
    elif amount > balance:
        errors["amount"] = [gettext("Pembayaran %(amount)s melebihi sisa tagihan %(balance)s.")
                            % {"amount": rp(amount), "balance": rp(balance)}]  # fmt: skip
    elif kind == Payment.Kind.SETTLEMENT and amount != balance:
        errors["amount"] = [gettext("Pelunasan harus sebesar sisa tagihan %(balance)s; catat sebagai cicilan bila "
                                    "kurang.") % {"balance": rp(balance)}]  # fmt: skip
    if kind not in Payment.Kind.values:
        errors["kind"] = [gettext("Pilih jenis pembayaran: uang muka, cicilan atau pelunasan.")]
    if method not in Payment.Method.values:
        errors["method"] = [gettext("Pilih cara bayar.")]
    today = timezone.localdate()
    paid_on = paid_on or today
    if paid_on > today:
        errors["paid_on"] = [gettext("Tanggal bayar belum terjadi; periksa tanggalnya.")]
    elif paid_on < timezone.localdate(order.ordered_at):
        errors["paid_on"] = [gettext("Tanggal bayar sebelum pesanan dibuat.")]
    reference = (reference or "").strip()
    if len(reference) > 100:
        errors["reference"] = [gettext("Paling banyak %(n)s huruf.") % {"n": 100}]
    if errors:
        raise ValidationError(errors)
    payment = Payment.objects.create(order=order, kind=kind, method=method, amount=amount, paid_on=paid_on,
                                     reference=reference, recorded_by=actor)  # fmt: skip
    old_paid = order.paid_total
    order.paid_total += amount
    order.save(update_fields=["paid_total", "updated"])
    text = f"{payment.get_kind_display()} {rp(amount)} · {payment.get_method_display()} · {paid_on.isoformat()}"
    audit.record(actor, "update", order, {"pembayaran": [None, text + (f" · {reference}" if reference else "")],
                                          "paid_total": [old_paid, order.paid_total]})  # fmt: skip
    # Money received is the post's own revenue: it goes to the cash book once, in this same transaction.
    from posyantek.finance.services import entry_post_from_payment  # noqa: PLC0415 - finance imports orders

    entry_post_from_payment(actor=actor, payment=payment)
    return payment
