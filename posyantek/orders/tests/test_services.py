"""Order services: entry, edits, the workflow, payments, numbered documents, stock and the sales rollup."""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
import threading
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from posyantek.core.models import AuditEvent
from posyantek.orders import services
from posyantek.orders.models import DocumentCounter, Order, OrderDocument, OrderStep, Payment, SalesMonth
from posyantek.products.models import Product

from .factories import BUYER, confirmed, dryer_order, make_order, ready, shipped


def stock_of(product: Product) -> int:
    return Product.objects.get(pk=product.pk).stock


def messages_of(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


# --- entry ----------------------------------------------------------------------------------------------------


def test_order_create_takes_stock_flags_the_buyer_region_and_audits(manager, shop) -> None:
    order = make_order(manager, shop["dryer"].post, [
        {"product": shop["dryer"], "quantity": 2},
        {"name": "Pemasangan di lokasi", "quantity": 1, "unit_price": 750_000, "unit": "paket"},
    ])  # fmt: skip
    assert (order.state, order.channel, order.subtotal, order.total) == ("permintaan", "whatsapp", 25_750_000,
                                                                         25_750_000)  # fmt: skip
    assert (order.buyer_province_code, order.out_of_region, order.out_of_province) == ("73", True, True)
    assert order.buyer_phone == "6281211112222" and len(order.code) == 10
    assert stock_of(shop["dryer"]) == 3
    assert [(i.name, i.quantity, i.unit_price, i.unit) for i in order.items.all()] == [
        ("Mesin Pengering Ikan", 2, 12_500_000, "unit"),
        ("Pemasangan di lokasi", 1, 750_000, "paket"),
    ]
    step = OrderStep.objects.get(order=order)
    assert (step.state, step.actor) == ("permintaan", manager)
    event = AuditEvent.objects.get(object_id=str(order.pk))
    assert event.action == "create" and "2 unit × Mesin Pengering Ikan (Rp 12.500.000)" in event.changes["barang"]


@pytest.mark.parametrize(("code", "out_region", "out_province"), [
    ("33.74", True, False), ("33.75.01.1001", False, False), ("31.71", True, True),
])  # fmt: skip
def test_order_create_flags_luar_daerah(manager, shop, code, out_region, out_province) -> None:
    order = dryer_order(manager, shop, 1, buyer={**BUYER, "region_code": code})
    assert (order.out_of_region, order.out_of_province) == (out_region, out_province)


@pytest.mark.parametrize(("quantity", "message"), [
    (0, "Baris 1: jumlah harus bilangan bulat 1 sampai 10.000"), (-3, "jumlah harus bilangan bulat"),
    (2.5, "jumlah harus bilangan bulat"), (None, "jumlah harus bilangan bulat"),
])  # fmt: skip
def test_order_create_refuses_zero_or_negative_quantity(manager, shop, quantity, message) -> None:
    with pytest.raises(ValidationError) as exc:
        dryer_order(manager, shop, quantity)
    assert message in messages_of(exc)
    assert not Order.objects.exists() and stock_of(shop["dryer"]) == 5


def test_order_create_refuses_other_posts_products_agents_and_exhibitions(manager, shop, posts, agent, fair) -> None:
    with pytest.raises(ValidationError) as exc:
        make_order(manager, posts["mitra"], [{"product": shop["stove"], "quantity": 1}])
    assert "bukan produk Posyantek Mitra Pantura" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        make_order(manager, posts["mitra"], [{"product": shop["canting"], "quantity": 1}])
    assert "paling sedikit 2 buah" in messages_of(exc)
    other_agent = type(agent).objects.create(post=posts["dki"], region_id=posts["dki"].region_id, name="Agen Gambir")
    with pytest.raises(ValidationError) as exc:
        dryer_order(manager, shop, 1, channel="agen", agent=other_agent)
    assert exc.value.message_dict["agent"] == ["Agen ini bukan milik Posyantek Mitra Pantura."]
    with pytest.raises(ValidationError) as exc:
        dryer_order(manager, shop, 1, channel="agen")
    assert "Pilih agen" in exc.value.message_dict["agent"][0]
    with pytest.raises(ValidationError) as exc:
        dryer_order(manager, shop, 1, channel="pasar")
    assert "channel" in exc.value.message_dict
    order = dryer_order(manager, shop, 1, channel="pameran", exhibition=fair)
    assert order.exhibition == fair


def test_order_create_needs_edit_rank_on_the_post(shop, viewer, outsider, staff, posts) -> None:
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            dryer_order(user, shop, 1)
    with pytest.raises(PermissionDenied):  # Wartek staff cannot record Mitra Pantura's orders
        dryer_order(staff, shop, 1)
    order = make_order(staff, posts["wartek"], [{"product": shop["grater"], "quantity": 1}],
                       buyer={"name": "Bu Tini", "region_code": "33.75.03.1004"})  # fmt: skip
    assert order.post == posts["wartek"] and not order.out_of_region


def test_order_create_refuses_a_future_date_and_a_province_as_region(manager, shop) -> None:
    with pytest.raises(ValidationError) as exc:
        dryer_order(manager, shop, 1, ordered_at=timezone.now() + dt.timedelta(days=2),
                    buyer={**BUYER, "region_code": "73"})  # fmt: skip
    assert set(exc.value.message_dict) == {"ordered_at", "region_code"}


def test_order_update_changes_the_buyer_and_refuses_a_stale_version(manager, officer, shop) -> None:
    order = dryer_order(manager, shop)
    version = order.version
    order = services.order_update(
        actor=manager,
        order=order,
        version=version,
        data={"name": "Pak Andi Wijaya", "region_code": "33.74", "delivery": "ambil"},
    )
    assert (order.buyer_name, order.out_of_province, order.delivery, order.version) == (
        "Pak Andi Wijaya",
        False,
        "ambil",
        version + 1,
    )
    with pytest.raises(ValidationError) as exc:  # a second officer, working on what they opened before
        services.order_update(actor=officer, order=order, version=version, data={"name": "Andi"})
    assert exc.value.code == "stale" and "sudah diubah orang lain" in messages_of(exc)
    assert Order.objects.get(pk=order.pk).buyer_name == "Pak Andi Wijaya"
    event = AuditEvent.objects.filter(object_id=str(order.pk), action="update").get()
    assert event.changes["buyer_name"] == ["Pak Andi", "Pak Andi Wijaya"]


def test_order_update_of_a_confirmed_order_refreshes_sales_and_commission(manager, shop, agent) -> None:
    order = confirmed(manager, dryer_order(manager, shop))
    assert SalesMonth.objects.get(post=order.post).buyer_province_code == "73"
    order = services.order_update(
        actor=manager,
        order=order,
        version=order.version,
        data={"region_code": "33.74", "channel": "agen", "agent": agent},
    )
    row = SalesMonth.objects.get(post=order.post)
    assert (row.buyer_province_code, row.out_of_province, row.channel) == ("33", False, "agen")
    assert order.commission == 1_250_000  # 5 % of Rp 25.000.000 (shipping not counted)


# --- items and quotes -------------------------------------------------------------------------------------------


def test_set_items_while_quoting_moves_stock(manager, shop) -> None:
    order = dryer_order(manager, shop, 2)
    items = [
        {"product": shop["dryer"], "quantity": 4, "unit_price": 12_000_000},
        {"product": shop["canting"], "quantity": 10},
    ]
    order = services.order_set_items(actor=manager, order=order, version=order.version, items=items)
    assert stock_of(shop["dryer"]) == 1 and stock_of(shop["canting"]) == 90
    assert (order.subtotal, order.total) == (50_500_000, 50_500_000)
    with pytest.raises(ValidationError) as exc:
        services.order_set_items(actor=manager, order=order, version=order.version,
                                 items=[{"product": shop["dryer"], "quantity": 6}])  # fmt: skip
    assert exc.value.code == "out_of_stock"
    assert stock_of(shop["dryer"]) == 1 and Order.objects.get(pk=order.pk).items.count() == 2


def test_price_change_after_confirmation_is_refused_until_a_new_quote(manager, shop) -> None:
    order = confirmed(manager, dryer_order(manager, shop))
    with pytest.raises(ValidationError) as exc:
        services.order_set_items(
            actor=manager,
            order=order,
            version=order.version,
            items=[{"product": shop["dryer"], "quantity": 2, "unit_price": 9_000_000}],
        )
    assert exc.value.message_dict["items"] == [
        "Harga dan barang tidak dapat diubah setelah pesanan dikonfirmasi. Buat penawaran baru."
    ]
    with pytest.raises(ValidationError) as exc:
        services.order_new_quote(actor=manager, order=order, reason="  ", version=order.version)
    assert "reason" in exc.value.message_dict
    order = services.order_new_quote(actor=manager, order=order, reason="Harga baja naik", version=order.version)
    assert (order.state, order.quote_revision, order.sale_date, order.confirmed_at) == ("permintaan", 1, None, None)
    assert not SalesMonth.objects.exists()
    assert "Harga baja naik" in order.steps.last().note
    order = services.order_set_items(
        actor=manager,
        order=order,
        version=order.version,
        items=[{"product": shop["dryer"], "quantity": 2, "unit_price": 13_000_000}],
    )
    order = confirmed(manager, order)
    assert SalesMonth.objects.get().amount == 26_000_000
    event = AuditEvent.objects.filter(object_id=str(order.pk), changes__has_key="alasan").get()
    assert event.changes["quote_revision"] == [0, 1]


def test_new_quote_only_from_confirmed_or_production(manager, shop) -> None:
    order = dryer_order(manager, shop)
    with pytest.raises(ValidationError, match="sudah dikonfirmasi atau dalam produksi"):
        services.order_new_quote(actor=manager, order=order, reason="x")
    order = ready(manager, order)
    with pytest.raises(ValidationError, match="siap kirim"):
        services.order_new_quote(actor=manager, order=order, reason="x")


# --- confirmation ---------------------------------------------------------------------------------------------


def test_confirm_sets_agreed_terms_sale_date_in_jakarta_and_commission(manager, shop, agent) -> None:
    ordered = dt.datetime(2025, 3, 10, 3, 0, tzinfo=dt.UTC)
    order = dryer_order(manager, shop, 2, channel="agen", agent=agent, ordered_at=ordered)
    item = order.items.get()
    at = dt.datetime(2025, 3, 31, 18, 0, tzinfo=dt.UTC)  # 1 April, 01.00 in Jakarta
    order = services.order_confirm(actor=manager, order=order, version=order.version, prices={item.pk: 12_000_000},
                                   shipping_cost=1_000_000, discount=500_000, down_payment=10_000_000,
                                   lead_time_days=7, at=at)  # fmt: skip
    assert (order.state, order.subtotal, order.total, order.down_payment) == (
        "dikonfirmasi",
        24_000_000,
        24_500_000,
        10_000_000,
    )
    assert (order.sale_date, order.confirmed_at, order.lead_time_days) == (dt.date(2025, 4, 1), at, 7)
    assert order.commission == 1_175_000  # 5 % of the goods after discount: Rp 23.500.000
    row = SalesMonth.objects.get()
    assert (row.month, row.amount, row.channel, row.out_of_province) == (dt.date(2025, 4, 1), 24_000_000, "agen", True)
    assert order.steps.last().at == at


@pytest.mark.parametrize(("terms", "field", "message"), [
    ({"down_payment": 30_000_000}, "down_payment", "Uang muka Rp 30.000.000 melebihi total pesanan Rp 25.500.000."),
    ({"discount": 99_000_000}, "discount", "melebihi nilai pesanan"),
    ({"shipping_cost": -1}, "shipping_cost", "Ongkos kirim harus bilangan bulat"),
    ({"shipping_cost": 1.5}, "shipping_cost", "Ongkos kirim harus bilangan bulat"),
    ({"lead_time_days": 9999}, "lead_time_days", "Lama pengerjaan harus 0 sampai"),
    ({"prices": {999: 1}}, "prices", "bukan bagian pesanan ini"),
])  # fmt: skip
def test_confirm_refuses_bad_terms(manager, shop, terms, field, message) -> None:
    order = dryer_order(manager, shop)
    with pytest.raises(ValidationError) as exc:
        services.order_confirm(actor=manager, order=order, **{"shipping_cost": 500_000, **terms})
    assert message in exc.value.message_dict[field][0]
    assert Order.objects.get(pk=order.pk).state == "permintaan"


def test_confirm_needs_lead_time_for_made_to_order(manager, shop) -> None:
    order = make_order(manager, shop["thresher"].post, [{"product": shop["thresher"], "quantity": 1}])
    with pytest.raises(ValidationError) as exc:
        services.order_confirm(actor=manager, order=order)
    assert "lead_time_days" in exc.value.message_dict
    assert services.order_confirm(actor=manager, order=order, lead_time_days=30).lead_time_days == 30


# --- the workflow ---------------------------------------------------------------------------------------------


def test_skipping_states_is_refused_naming_the_allowed_steps(manager, shop) -> None:
    order = dryer_order(manager, shop)
    with pytest.raises(ValidationError) as exc:
        services.order_advance(actor=manager, order=order, state="dikirim")
    assert messages_of(exc) == (
        "Tidak dapat langsung dari «Permintaan/penawaran» ke «Dikirim»: ada tahap yang "
        "terlewati. Tahap berikutnya yang boleh: Dikonfirmasi, Dibatalkan."
    )
    order = confirmed(manager, order)
    with pytest.raises(ValidationError, match="Tahap berikutnya yang boleh: Dalam produksi, Siap kirim, Dibatalkan"):
        services.order_advance(actor=manager, order=order, state="lunas")
    with pytest.raises(ValidationError, match="buat penawaran baru"):
        services.order_advance(actor=manager, order=order, state="permintaan")
    with pytest.raises(ValidationError):
        services.order_advance(actor=manager, order=order, state="terbang")


def test_ready_straight_from_confirmed_only_without_made_to_order_items(manager, shop) -> None:
    order = make_order(manager, shop["thresher"].post, [{"product": shop["thresher"], "quantity": 1},
                                                        {"product": shop["dryer"], "quantity": 1}])  # fmt: skip
    order = services.order_confirm(actor=manager, order=order, lead_time_days=30)
    with pytest.raises(ValidationError, match="Mesin Perontok Padi.*Dalam produksi"):
        services.order_advance(actor=manager, order=order, state="siap_kirim")
    order = services.order_advance(actor=manager, order=order, state="produksi", note="Rangka dilas")
    order = services.order_advance(actor=manager, order=order, state="siap_kirim")
    assert order.state == "siap_kirim"
    assert [s.state for s in order.steps.all()] == ["permintaan", "dikonfirmasi", "produksi", "siap_kirim"]


def test_shipping_without_an_address_courier_or_tracking_number_is_refused(manager, shop) -> None:
    order = ready(manager, dryer_order(manager, shop, buyer={**BUYER, "address": ""}))
    with pytest.raises(ValidationError) as exc:
        services.order_advance(actor=manager, order=order, state="dikirim")
    assert set(exc.value.message_dict) == {"address", "courier", "tracking_number"}
    assert "tanpa alamat kirim tidak dapat dikirim" in exc.value.message_dict["address"][0]
    order = services.order_advance(actor=manager, order=order, state="dikirim", address="Jl. Somba Opu 10, Makassar",
                                   courier="JNE", tracking_number="JT1")  # fmt: skip
    assert (order.state, order.buyer_address, order.courier, order.tracking_number) == (
        "dikirim",
        "Jl. Somba Opu 10, Makassar",
        "JNE",
        "JT1",
    )
    assert order.shipped_at is not None


def test_pickup_ships_without_address_or_courier(manager, shop) -> None:
    order = ready(manager, dryer_order(manager, shop, buyer={**BUYER, "address": ""}, delivery="ambil"))
    order = services.order_advance(actor=manager, order=order, state="dikirim")
    assert order.state == "dikirim" and order.courier == ""


def test_paid_needs_a_zero_balance_then_warranty(manager, shop) -> None:
    order = shipped(manager, dryer_order(manager, shop))
    order = services.order_advance(actor=manager, order=order, state="diterima")
    with pytest.raises(ValidationError, match=r"sisa tagihan Rp 25\.500\.000"):
        services.order_advance(actor=manager, order=order, state="lunas")
    services.payment_record(actor=manager, order=order, amount=25_500_000, kind="pelunasan", method="transfer")
    order = services.order_advance(actor=manager, order=Order.objects.get(pk=order.pk), state="lunas")
    with pytest.raises(ValidationError, match="keluhan"):
        services.order_advance(actor=manager, order=order, state="garansi")
    order = services.order_advance(actor=manager, order=order, state="garansi", note="Kipas diganti")
    assert services.order_advance(actor=manager, order=order, state="lunas").state == "lunas"


def test_cancel_gives_stock_back_and_leaves_the_sales(manager, shop) -> None:
    order = confirmed(manager, dryer_order(manager, shop, 3))
    assert stock_of(shop["dryer"]) == 2 and SalesMonth.objects.count() == 1
    with pytest.raises(ValidationError, match="alasan pembatalan"):
        services.order_advance(actor=manager, order=order, state="dibatalkan")
    order = services.order_advance(actor=manager, order=order, state="dibatalkan", note="Pembeli batal")
    assert stock_of(shop["dryer"]) == 5 and not SalesMonth.objects.exists()
    with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
        services.order_advance(actor=manager, order=order, state="dikonfirmasi")


def test_cancel_after_shipping_is_refused_but_return_gives_stock_back(manager, shop) -> None:
    order = shipped(manager, dryer_order(manager, shop, 2))
    with pytest.raises(ValidationError, match="Tahap berikutnya yang boleh: Diterima, Retur"):
        services.order_advance(actor=manager, order=order, state="dibatalkan", note="x")
    order = services.order_advance(actor=manager, order=order, state="retur", note="Rusak di jalan")
    assert stock_of(shop["dryer"]) == 5 and not SalesMonth.objects.exists()


def test_step_time_must_follow_the_last_step(manager, shop) -> None:
    order = dryer_order(manager, shop, ordered_at=timezone.now() - dt.timedelta(days=3))
    with pytest.raises(ValidationError) as exc:
        confirmed(manager, order, at=timezone.now() - dt.timedelta(days=5))
    assert "at" in exc.value.message_dict


def test_workflow_is_scoped(manager, viewer, outsider, shop) -> None:
    order = dryer_order(manager, shop)
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            services.order_advance(actor=user, order=order, state="dibatalkan", note="x")
        with pytest.raises(PermissionDenied):
            services.document_issue(actor=user, order=order, kind="penawaran")


# --- payments -------------------------------------------------------------------------------------------------


def test_payments_up_to_the_balance(manager, shop) -> None:
    order = dryer_order(manager, shop)
    with pytest.raises(ValidationError, match="setelah pesanan dikonfirmasi"):
        services.payment_record(actor=manager, order=order, amount=1, kind="uang_muka", method="tunai")
    order = confirmed(manager, order, down_payment=10_000_000)
    services.payment_record(actor=manager, order=order, amount=10_000_000, kind="uang_muka", method="transfer",
                            reference="BRI 0012")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.payment_record(actor=manager, order=order, amount=16_000_000, kind="cicilan", method="transfer")
    assert exc.value.message_dict["amount"] == ["Pembayaran Rp 16.000.000 melebihi sisa tagihan Rp 15.500.000."]
    for amount in (0, -5, 1.5):
        with pytest.raises(ValidationError, match="paling sedikit Rp 1"):
            services.payment_record(actor=manager, order=order, amount=amount, kind="cicilan", method="tunai")
    with pytest.raises(ValidationError, match="Pelunasan harus sebesar sisa tagihan Rp 15.500.000"):
        services.payment_record(actor=manager, order=order, amount=5_000_000, kind="pelunasan", method="tunai")
    with pytest.raises(ValidationError) as exc:
        services.payment_record(actor=manager, order=order, amount=5, kind="hutang", method="emas",
                                paid_on=timezone.localdate() + dt.timedelta(days=1))  # fmt: skip
    assert set(exc.value.message_dict) == {"kind", "method", "paid_on"}
    services.payment_record(actor=manager, order=order, amount=5_500_000, kind="cicilan", method="qris")
    services.payment_record(actor=manager, order=order, amount=10_000_000, kind="pelunasan", method="tunai")
    order.refresh_from_db()
    assert (order.paid_total, order.balance, Payment.objects.count()) == (25_500_000, 0, 3)
    event = AuditEvent.objects.filter(object_id=str(order.pk), changes__has_key="pembayaran").first()
    assert "Uang muka Rp 10.000.000" in event.changes["pembayaran"][1]


def test_two_payments_at_once_never_exceed_the_total(transactional_db, manager, shop) -> None:
    """Two officers record Rp 8.000.000 at the same moment on a Rp 12.500.000 order: one is refused.

    Each thread has its own connection. On SQLite the suite's in-memory database (shared cache, whose table locks
    fail at once instead of waiting) is copied to a file opened as the app opens its own (WAL, BEGIN IMMEDIATE).
    """
    order = confirmed(manager, dryer_order(manager, shop, 1), shipping_cost=0)
    db_name, tmp = None, None
    if connection.vendor == "sqlite":
        tmp = tempfile.TemporaryDirectory(prefix="posyantek-pay-")
        db_name = str(Path(tmp.name) / "pay.sqlite3")
        connection.ensure_connection()
        with sqlite3.connect(db_name) as copy:
            connection.connection.backup(copy)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def pay() -> None:
        conn = connections["default"]
        if db_name:
            conn.settings_dict = {**conn.settings_dict, "NAME": db_name}
        try:
            barrier.wait(timeout=30)
            services.payment_record(actor=manager, order=Order.objects.get(pk=order.pk), amount=8_000_000,
                                    kind="cicilan", method="transfer")  # fmt: skip
            results.append("ok")
        except ValidationError as exc:
            results.append(" ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - any other error fails the test, with its name
            results.append(f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()

    def paid() -> None:
        conn = connections["default"]
        if db_name:
            conn.settings_dict = {**conn.settings_dict, "NAME": db_name}
        try:
            results.append(str(Order.objects.get(pk=order.pk).paid_total))
        finally:
            conn.close()

    try:
        threads = [threading.Thread(target=pay) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        reader = threading.Thread(target=paid)
        reader.start()
        reader.join(30)
    finally:
        if tmp is not None:
            tmp.cleanup()
    outcomes, total = sorted(results[:2]), results[2]
    assert outcomes[1] == "ok" and outcomes[0] == "Pembayaran Rp 8.000.000 melebihi sisa tagihan Rp 4.500.000.", results
    assert total == "8000000"


# --- documents ------------------------------------------------------------------------------------------------


def test_document_numbers_run_per_post_year_and_kind_without_gaps(manager, staff, shop, posts) -> None:
    year = timezone.localdate().year
    a, b = dryer_order(manager, shop, 1), dryer_order(manager, shop, 1)
    last_year = dt.datetime(year - 1, 12, 20, 3, 0, tzinfo=dt.UTC)
    old = dryer_order(manager, shop, 1, ordered_at=last_year)
    numbers = [
        services.document_issue(actor=manager, order=a, kind="penawaran").number,
        services.document_issue(actor=manager, order=b, kind="penawaran").number,
        services.document_issue(
            actor=manager, order=old, kind="penawaran", at=last_year + dt.timedelta(hours=2)
        ).number,  # fmt: skip
        services.document_issue(actor=manager, order=confirmed(manager, a), kind="faktur").number,
    ]
    w = make_order(staff, posts["wartek"], [{"product": shop["grater"], "quantity": 1}],
                   buyer={"name": "Bu Tini", "region_code": "33.75.03.1004"})  # fmt: skip
    numbers.append(services.document_issue(actor=staff, order=w, kind="penawaran").number)
    assert numbers == [f"PNW/MP-PKL/{year}/0001", f"PNW/MP-PKL/{year}/0002", f"PNW/MP-PKL/{year - 1}/0001",
                       f"INV/MP-PKL/{year}/0001", f"PNW/WPW-PKL/{year}/0001"]  # fmt: skip
    assert DocumentCounter.objects.get(post=posts["mitra"], kind="penawaran", year=year).last == 2


def test_quote_while_quoting_invoice_once_confirmed_and_no_duplicates(manager, shop) -> None:
    order = dryer_order(manager, shop)
    with pytest.raises(ValidationError, match="setelah pesanan dikonfirmasi"):
        services.document_issue(actor=manager, order=order, kind="faktur")
    quote = services.document_issue(actor=manager, order=order, kind="penawaran")
    with pytest.raises(ValidationError, match="sudah terbit dengan isi yang sama"):
        services.document_issue(actor=manager, order=order, kind="penawaran")
    order = confirmed(manager, order, down_payment=5_000_000)
    with pytest.raises(ValidationError, match="selama pesanan masih tahap permintaan"):
        services.document_issue(actor=manager, order=order, kind="penawaran")
    invoice = services.document_issue(actor=manager, order=order, kind="faktur")
    services.payment_record(actor=manager, order=order, amount=5_000_000, kind="uang_muka", method="transfer")
    invoice2 = services.document_issue(actor=manager, order=order, kind="faktur")  # shows the down payment
    assert invoice2.number.endswith("/0002") and invoice2.content["body"]["paid_total"] == 5_000_000
    assert invoice.content["body"]["paid_total"] == 0 and invoice.content["body"]["shipping_cost"] == 500_000
    order = services.order_new_quote(actor=manager, order=Order.objects.get(pk=order.pk), reason="Ganti model")
    order = services.order_set_items(actor=manager, order=order, version=order.version,
                                     items=[{"product": shop["dryer"], "quantity": 1}])  # fmt: skip
    quote2 = services.document_issue(actor=manager, order=order, kind="penawaran")
    assert quote2.number.endswith("/0002") and quote2.content["body"]["revision"] == 1
    quote.refresh_from_db()  # a reprint of the first quote still says what it said
    assert [i["quantity"] for i in quote.content["body"]["items"]] == [2]
    assert quote.content["post"]["name"] == "Posyantek Mitra Pantura" and quote.content["valid_until"]


def test_a_reused_number_is_refused_clearly(manager, shop) -> None:
    order = dryer_order(manager, shop)
    year = timezone.localdate().year
    OrderDocument.objects.create(order=order, post=order.post, kind="penawaran", year=year, seq=1, total=1,
                                 number=f"PNW/MP-PKL/{year}/0001", issued_at=timezone.now())  # fmt: skip
    with pytest.raises(ValidationError, match=f"Nomor PNW/MP-PKL/{year}/0001 sudah dipakai"):
        services.document_issue(actor=manager, order=order, kind="penawaran")
    assert OrderDocument.objects.count() == 1


def test_post_short_code() -> None:
    from posyantek.posts.models import Post

    assert services.post_short_code(Post(name="Posyantek Mitra Pantura", kind="antar_desa"), "Kota Pekalongan") \
        == "MP-PKL"  # fmt: skip
    assert services.post_short_code(Post(name="Wartek Panjang Wetan", kind="wartek"), "Kota Pekalongan") == "WPW-PKL"
    assert services.post_short_code(Post(name="Posyantek Gambir", kind="antar_desa"),
                                    "Kota Administrasi Jakarta Pusat") == "G-JKR"  # fmt: skip


# --- checkout and notifications -------------------------------------------------------------------------------


def test_checkout_out_of_stock_leaves_nothing(shop, regions) -> None:
    buyer = {**BUYER, "region_code": "73.71"}
    with pytest.raises(ValidationError) as exc:
        services.order_checkout(lines=[(shop["dryer"].pk, 2), (shop["grater"].pk, 4)], buyer=buyer)
    assert exc.value.code == "out_of_stock" and "Alat Parut Kelapa habis: tersisa 3" in messages_of(exc)
    assert not Order.objects.exists() and stock_of(shop["dryer"]) == 5 and stock_of(shop["grater"]) == 3


def test_checkout_makes_one_order_per_post_and_tells_the_officers(
    shop, manager, staff, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        orders = services.order_checkout(lines=[(shop["dryer"].pk, 1), (shop["grater"].pk, 1)], buyer=dict(BUYER))
    assert [o.post.name for o in orders] == ["Posyantek Mitra Pantura", "Wartek Panjang Wetan"]
    assert orders[0].checkout_ref == orders[1].checkout_ref and orders[0].channel == "pasar"
    to = sorted(tuple(m.to) for m in mail.outbox)
    assert to == [("manager@example.id",), ("staff@example.id",)]
    assert orders[0].code in mail.outbox[0].subject + mail.outbox[1].subject


def test_buyer_hears_of_state_changes_in_indonesian(manager, shop, django_capture_on_commit_callbacks) -> None:
    order = dryer_order(manager, shop)
    with django_capture_on_commit_callbacks(execute=True):
        order = confirmed(manager, order)
        shipped_order = services.order_advance(
            actor=manager,
            order=services.order_advance(actor=manager, order=order, state="siap_kirim"),
            state="dikirim",
            courier="JNE",
            tracking_number="JT9",
        )
    assert [m.to for m in mail.outbox] == [["andi@example.id"]] * 3
    assert "Dikirim" in mail.outbox[-1].subject and "JT9" in mail.outbox[-1].body
    assert f"/lacak/{shipped_order.code}/" in mail.outbox[-1].body


def test_order_confirm_refuses_a_price_of_zero(manager, shop) -> None:
    order = make_order(manager, shop["dryer"].post, [{"product": shop["dryer"], "quantity": 1}])
    item = order.items.get()
    with pytest.raises(ValidationError) as exc:
        services.order_confirm(actor=manager, order=order, version=order.version, prices={item.pk: 0})
    assert "paling sedikit Rp 1" in str(exc.value.message_dict["prices"])
    order.refresh_from_db()
    assert order.state == "permintaan"
