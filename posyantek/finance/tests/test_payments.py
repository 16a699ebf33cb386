"""Own revenue from sales: an order payment posts its income to the cash book once and only once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from posyantek.core.models import AuditEvent
from posyantek.finance import services
from posyantek.finance.models import Entry, EntryMonth
from posyantek.finance.selectors import post_balances
from posyantek.finance.tests.conftest import TODAY
from posyantek.orders.models import Payment
from posyantek.orders.services import order_checkout
from posyantek.products.models import Product

BUYER = {
    "name": "Bu Rina",
    "phone": "0812-3333-4444",
    "email": "rina@example.id",
    "institution": "",
    "address": "Jl. Hayam Wuruk No. 5, Pekalongan",
    "region_code": "33.75.01",
}


@pytest.fixture
def payment(posts) -> Payment:
    """A down payment of Rp 5.000.000 on an order of Mitra Pantura's fish dryer, paid on 3 June 2026."""
    mitra = posts["mitra"]
    dryer = Product.objects.create(
        post=mitra, region_id=mitra.region_id, name="Mesin Pengering Ikan", price=12_500_000, stock=5
    )
    (order,) = order_checkout(lines=[(dryer.pk, 1)], buyer=BUYER)
    return Payment.objects.create(
        order=order,
        kind=Payment.Kind.DOWN_PAYMENT,
        method=Payment.Method.TRANSFER,
        amount=5_000_000,
        paid_on=dt.date(2026, 6, 3),
        reference="TRF-001",
    )


def test_payment_posts_own_revenue_once(treasurer, posts, payment) -> None:
    entry = services.entry_post_from_payment(actor=treasurer, payment=payment, today=TODAY)
    again = services.entry_post_from_payment(actor=treasurer, payment=payment, today=TODAY)
    assert again.pk == entry.pk and Entry.objects.count() == 1
    assert (entry.kind, entry.source, entry.amount, entry.date) == (
        "masuk",
        "pendapatan_pos",
        5_000_000,
        dt.date(2026, 6, 3),
    )
    assert entry.account.code == "4.1" and entry.order == payment.order and entry.payment == payment
    assert payment.order.code in entry.description and entry.counterparty == "Bu Rina"
    assert post_balances(posts["mitra"]).total == 5_000_000
    assert EntryMonth.objects.get().total == 5_000_000
    assert AuditEvent.objects.filter(content_type__model="entry", action="create").count() == 1
    assert entry.cash_account.name == "Kas tunai"  # opened for the post, which had no cash box yet


def test_payment_in_a_closed_month_is_booked_today(treasurer, manager, posts, payment) -> None:
    services.cash_account_create(actor=manager, post=posts["mitra"], data={"name": "Kas tunai"})
    services.month_close(actor=manager, post=posts["mitra"], month=dt.date(2026, 6, 1), today=dt.date(2026, 7, 2))
    entry = services.entry_post_from_payment(actor=treasurer, payment=payment, today=dt.date(2026, 7, 2))
    assert entry.date == dt.date(2026, 7, 2) and "dibayar 03-06-2026" in entry.description


def test_payment_needs_a_role_on_the_selling_post(outsider, viewer, payment) -> None:
    for who in (outsider, viewer):
        with pytest.raises(PermissionDenied):
            services.entry_post_from_payment(actor=who, payment=payment, today=TODAY)
    assert not Entry.objects.exists()


def test_reversing_a_sales_entry_keeps_the_payment_posted(treasurer, payment) -> None:
    entry = services.entry_post_from_payment(actor=treasurer, payment=payment, today=TODAY)
    services.entry_reverse(actor=treasurer, entry=entry, reason="Transfer gagal", today=TODAY)
    assert services.entry_post_from_payment(actor=treasurer, payment=payment, today=TODAY).pk == entry.pk
    assert Entry.objects.count() == 2
