"""Own revenue from sales: an order payment posts its income to the cash book once and only once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import login
from posyantek.core.models import AuditEvent
from posyantek.finance import services
from posyantek.finance.models import Entry, EntryMonth
from posyantek.finance.selectors import post_balances
from posyantek.finance.tests.conftest import TODAY, account
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


def test_a_sales_entry_is_not_reversed_in_the_cash_book(treasurer, posts, payment) -> None:
    """The payment belongs to the order: reversing its entry would make the order and the cash book disagree."""
    entry = services.entry_post_from_payment(actor=treasurer, payment=payment, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.entry_reverse(actor=treasurer, entry=entry, reason="Transfer gagal", today=TODAY)
    assert "pembayaran pesanan" in exc.value.messages[0] and "halaman pesanan" in exc.value.messages[0]
    assert Entry.objects.count() == 1 and post_balances(posts["mitra"]).total == 5_000_000
    assert services.entry_post_from_payment(actor=treasurer, payment=payment, today=TODAY).pk == entry.pk


def _order_entry(treasurer, post, order, **extra):
    cash = services.default_cash_account(post)
    data = {
        "post": post,
        "date": dt.date(2026, 6, 10),
        "kind": "masuk",
        "source": "pendapatan_pos",
        "account": account("4.1"),
        "cash_account": cash,
        "amount": 5_000_000,
        "description": "DP pesanan",
        "order": order,
        **extra,
    }
    return services.entry_post(actor=treasurer, data=data, today=TODAY)


def test_income_from_an_order_is_only_posted_from_its_payments(treasurer, posts, payment) -> None:
    with pytest.raises(ValidationError) as exc:
        _order_entry(treasurer, posts["mitra"], payment.order)
    assert "dicatat otomatis saat pembayarannya dicatat di halaman pesanan" in exc.value.message_dict["order"][0]
    assert not Entry.objects.exists()


def test_spending_on_an_order_stays_allowed(treasurer, posts, payment, budget) -> None:
    post = posts["mitra"]
    _order_entry(treasurer, post, None, source="apbd_kabkota", account=account("4.3"), amount=1_000_000)
    spent = _order_entry(
        treasurer,
        post,
        payment.order,
        kind="keluar",
        source="apbd_kabkota",
        account=account("5.5"),
        amount=250_000,
        description="Bahan pesanan",
    )
    assert spent.order == payment.order and spent.delta == -250_000
    assert services.entry_reverse(actor=treasurer, entry=spent, reason="Salah", today=TODAY).reverses == spent


@pytest.fixture
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.mark.usefixtures("_today")
def test_api_refuses_both_with_422(treasurer, posts, payment) -> None:
    entry = services.entry_post_from_payment(actor=treasurer, payment=payment, today=TODAY)
    c = login(treasurer)
    r = c.post(f"/api/v1/keuangan/entries/{entry.pk}/reverse", {"reason": "Salah"}, content_type="application/json")
    assert r.status_code == 422 and "halaman pesanan" in r.content.decode()
    r = c.post(
        "/api/v1/keuangan/entries",
        {
            "post_id": posts["mitra"].pk,
            "date": "2026-06-10",
            "kind": "masuk",
            "source": "pendapatan_pos",
            "account_id": account("4.1").pk,
            "cash_account_id": entry.cash_account_id,
            "amount": 5_000_000,
            "description": "DP lagi",
            "order_code": payment.order.code,
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and "halaman pesanan" in r.content.decode()
    assert Entry.objects.count() == 1


@pytest.mark.usefixtures("_today")
def test_entry_page_explains_and_hides_the_reversal(treasurer, payment) -> None:
    entry = services.entry_post_from_payment(actor=treasurer, payment=payment, today=TODAY)
    c = login(treasurer)
    body = c.get(f"/keuangan/kas/{entry.pk}/").content.decode()
    assert 'id="dari-pembayaran"' in body and 'id="batal"' not in body
    r = c.post(f"/keuangan/kas/{entry.pk}/batal", {"reason": "Salah"})
    assert r.status_code == 422 and "halaman pesanan" in r.content.decode()
    assert Entry.objects.count() == 1


@pytest.mark.usefixtures("_today")
def test_entry_form_puts_the_order_refusal_on_the_order_field(treasurer, posts, payment) -> None:
    post = posts["mitra"]
    cash = services.default_cash_account(post)
    r = login(treasurer).post(
        f"/keuangan/pos/{post.pk}/kas/baru",
        {
            "date": "2026-06-10",
            "kind": "masuk",
            "source": "pendapatan_pos",
            "account": account("4.1").pk,
            "cash_account": cash.pk,
            "amount": "5.000.000",
            "description": "DP pesanan",
            "order_code": payment.order.code,
        },
    )
    body = r.content.decode()
    assert r.status_code == 422 and 'id="id_order_code_error"' in body and "halaman pesanan" in body
    assert not Entry.objects.exists()
