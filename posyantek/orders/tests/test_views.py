"""Staff pages of orders (list, entry, the order and its actions, PDFs) and the public tracking page."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client

from conftest import login
from posyantek.orders import pdf, services
from posyantek.orders.models import Order, OrderDocument, Payment
from posyantek.products.models import Product

from .factories import BUYER, confirmed, dryer_order, make_order, ready, shipped

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def order(manager, shop) -> Order:
    return dryer_order(manager, shop)


def create_data(shop, **extra) -> dict:
    data = {
        "post": shop["dryer"].post_id, "channel": "whatsapp", "name": "Bu Rina", "phone": "0813-2222-3333",
        "email": "", "institution": "", "region_code": "Kota Semarang", "address": "Jl. Pemuda 5, Semarang",
        "delivery": "kirim", "note": "", "internal_note": "", "agent": "", "exhibition": "", "ordered_at": "",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "50",
        "items-0-product": shop["dryer"].pk, "items-0-quantity": "1", "items-0-unit_price": "12.000.000",
        "items-1-product": "", "items-1-name": "", "items-1-quantity": "",
    }  # fmt: skip
    return {**data, **extra}


# --- access ---------------------------------------------------------------------------------------------------


def test_pages_answer_404_outside_scope_403_to_viewers(order, outsider, viewer, staff) -> None:
    pages = [f"/pesanan/{order.pk}/", f"/pesanan/{order.pk}/ubah", f"/pesanan/{order.pk}/barang"]
    posts = [f"/pesanan/{order.pk}/{p}" for p in ("konfirmasi", "tahap", "penawaran-baru", "pembayaran", "dokumen")]
    for user in (outsider, staff):  # staff of the Wartek do not see Mitra Pantura's orders
        c = login(user)
        for url in pages + posts:
            assert (c.post(url) if url in posts else c.get(url)).status_code == 404, (user, url)
    c = login(viewer)
    assert c.get(f"/pesanan/{order.pk}/").status_code == 200
    assert "Langkah berikutnya" not in c.get(f"/pesanan/{order.pk}/").content.decode()
    for url in pages[1:]:
        assert c.get(url).status_code == 403
    for url in posts:
        assert c.post(url, {"state": "dibatalkan"}).status_code == 403
    assert c.get("/pesanan/baru").status_code == 403


def test_post_only_views_refuse_get(order, manager) -> None:
    c = login(manager)
    for action in ("konfirmasi", "tahap", "penawaran-baru", "pembayaran", "dokumen"):
        assert c.get(f"/pesanan/{order.pk}/{action}").status_code == 405


def test_login_is_required(order) -> None:
    r = Client().get("/pesanan/")
    assert r.status_code == 302 and "/akun/" in r["Location"]


# --- list -----------------------------------------------------------------------------------------------------


def test_list_filters_searches_and_pages_within_a_query_budget(manager, viewer, shop, django_assert_max_num_queries):
    for i in range(5):
        dryer_order(
            manager, shop, 1, buyer={**BUYER, "name": f"Pembeli {i}", "region_code": "33.74" if i % 2 else "73.71"}
        )
    for i in range(5, 30):
        make_order(manager, shop["canting"].post, [{"product": shop["canting"], "quantity": 2}],
                   buyer={**BUYER, "name": f"Pembeli {i}"})  # fmt: skip
    c = login(viewer)
    with django_assert_max_num_queries(14):
        r = c.get("/pesanan/")
    html = r.content.decode()
    assert r.status_code == 200 and "30 pesanan" in html and "Halaman 1 dari 2" in html
    assert "Pembeli 29" in html and "luar provinsi" in html
    html = c.get("/pesanan/?out_of_province=false").content.decode()
    assert "2 pesanan" in html
    html = c.get("/pesanan/?province=73&q=Mesin").content.decode()
    assert "3 pesanan" in html
    code = Order.objects.first().code
    assert "1 pesanan" in c.get(f"/pesanan/?q={code}").content.decode()
    r = c.get("/pesanan/?state=permintaan", **HX)
    assert r.status_code == 200 and "<html" not in r.content.decode() and "30 pesanan" in r.content.decode()


def test_list_refuses_a_post_outside_scope(order, outsider, posts) -> None:
    c = login(outsider)
    assert c.get("/pesanan/").status_code == 200
    assert order.code not in c.get("/pesanan/").content.decode()
    assert c.get(f"/pesanan/?post={posts['mitra'].pk}").status_code == 404
    assert c.get(f"/pesanan/?post={posts['dki'].pk}").status_code == 200


def test_list_exports_xlsx_and_csv(order, viewer) -> None:
    c = login(viewer)
    r = c.get("/pesanan/?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert (row["Kode"], row["Pembeli"], row["Total (Rp)"], row["Provinsi pembeli"]) == (
        order.code,
        "Pak Andi",
        25_000_000,
        "Sulawesi Selatan",
    )
    assert row["Luar provinsi"] == "ya" and row["Barang"] == "2 unit Mesin Pengering Ikan"
    r = c.get("/pesanan/?format=csv&state=permintaan")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Kode" and rows[1][0] == order.code and len(rows) == 2


# --- entry and edits ------------------------------------------------------------------------------------------


def test_create_records_the_order_with_items(manager, shop) -> None:
    c = login(manager)
    html = c.get("/pesanan/baru").content.decode()
    assert 'name="items-0-product"' in html and "Mesin Pengering Ikan" in html and "Kompor Biomassa" not in html
    r = c.post("/pesanan/baru", create_data(shop))
    order = Order.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/pesanan/{order.pk}/"
    assert (order.buyer_region_id, order.out_of_region, order.out_of_province, order.total) == (
        "33.74",
        True,
        False,
        12_000_000,
    )
    assert Product.objects.get(pk=shop["dryer"].pk).stock == 4


def test_create_with_errors_answers_422_or_an_htmx_fragment(manager, shop) -> None:
    c = login(manager)
    r = c.post("/pesanan/baru", create_data(shop, region_code="Kota"))
    assert r.status_code == 422 and "Ada beberapa: Kota Administrasi Jakarta Pusat (31.71)" in r.content.decode()
    r = c.post(
        "/pesanan/baru", create_data(shop, **{"region_code": "Pekalongan", "items-0-quantity": "0", "phone": "12"})
    )
    html = r.content.decode()
    assert r.status_code == 422 and "Baris 1: jumlah harus bilangan bulat 1 sampai 10.000" in html
    assert "Nomor 12 bukan nomor HP Indonesia" in html
    r = c.post("/pesanan/baru", create_data(shop, **{"items-0-quantity": "0"}), **HX)
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html and 'id="order-form"' in html
    assert "Baris 1: jumlah harus bilangan bulat 1 sampai 10.000" in html and not Order.objects.exists()
    r = c.post("/pesanan/baru", create_data(shop, **{"items-0-product": shop["stove"].pk}))
    assert r.status_code == 422 and "Masukkan pilihan yang valid" in r.content.decode()  # not among the choices


def test_edit_tells_the_second_officer(order, manager, officer) -> None:
    data = {"name": "Pak Andi W.", "phone": "0812-1111-2222", "email": "", "institution": "", "region_code": "73.71",
            "address": "Jl. Somba Opu 10", "delivery": "kirim", "note": "", "channel": "whatsapp", "agent": "",
            "exhibition": "", "internal_note": "", "version": order.version}  # fmt: skip
    assert login(manager).post(f"/pesanan/{order.pk}/ubah", data).status_code == 302
    r = login(officer).post(f"/pesanan/{order.pk}/ubah", {**data, "name": "Andi"})
    assert r.status_code == 422 and "sudah diubah orang lain" in r.content.decode()
    assert Order.objects.get(pk=order.pk).buyer_name == "Pak Andi W."


def test_items_page_only_while_quoting(order, manager, shop) -> None:
    c = login(manager)
    data = {"version": order.version, "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "50", "items-0-product": shop["dryer"].pk,
            "items-0-quantity": "3", "items-0-unit_price": "12.000.000"}  # fmt: skip
    assert c.post(f"/pesanan/{order.pk}/barang", data).status_code == 302
    assert Order.objects.get(pk=order.pk).total == 36_000_000
    confirmed(manager, Order.objects.get(pk=order.pk))
    r = c.get(f"/pesanan/{order.pk}/barang", follow=True)
    assert "tidak dapat diubah setelah pesanan dikonfirmasi. Buat penawaran baru." in r.content.decode()


# --- the order's page and its actions ---------------------------------------------------------------------------


def test_detail_shows_progress_items_payments_and_actions(order, manager, django_assert_max_num_queries) -> None:
    order = confirmed(manager, order, down_payment=5_000_000)
    services.payment_record(actor=manager, order=order, amount=5_000_000, kind="uang_muka", method="transfer")
    services.document_issue(actor=manager, order=order, kind="faktur")
    c = login(manager)
    with django_assert_max_num_queries(30):
        r = c.get(f"/pesanan/{order.pk}/")
    html = r.content.decode()
    assert "Rp 25.500.000" in html and "Rp 20.500.000" in html and "0812-1111-2222" in html
    assert 'aria-current="step">Dikonfirmasi' in html and "INV/MP-PKL/" in html
    assert "Ubah ke Siap kirim" in html and "Catat pembayaran" in html and "Buat penawaran baru" in html
    assert f"/lacak/{order.code}/" in html and "Riwayat" in html


def test_confirm_with_a_bad_down_payment_comes_back_with_the_field_error(order, manager) -> None:
    c = login(manager)
    item = order.items.get()
    data = {"version": order.version, f"price_{item.pk}": "12.500.000", "shipping_cost": "500.000", "discount": "0",
            "down_payment": "99.000.000", "lead_time_days": "", "note": ""}  # fmt: skip
    r = c.post(f"/pesanan/{order.pk}/konfirmasi", data)
    assert (
        r.status_code == 422 and "Uang muka Rp 99.000.000 melebihi total pesanan Rp 25.500.000." in r.content.decode()
    )
    r = c.post(f"/pesanan/{order.pk}/konfirmasi", data, **HX)
    assert r.status_code == 200 and "<html" not in r.content.decode() and "melebihi total" in r.content.decode()
    r = c.post(f"/pesanan/{order.pk}/konfirmasi", {**data, "down_payment": "10.000.000"}, **HX)
    assert r.status_code == 200 and r["HX-Location"] == f"/pesanan/{order.pk}/"
    assert Order.objects.get(pk=order.pk).state == "dikonfirmasi"


def test_advance_refuses_skipping_and_shipping_without_courier(order, manager) -> None:
    c = login(manager)
    r = c.post(f"/pesanan/{order.pk}/tahap", {"state": "dikirim", "dikirim-state": "dikirim",
                                              "dikirim-version": order.version})  # fmt: skip
    assert r.status_code == 422 and "ada tahap yang terlewati" in r.content.decode()
    order = ready(manager, order)
    r = c.post(f"/pesanan/{order.pk}/tahap", {"state": "dikirim", "dikirim-state": "dikirim",
                                              "dikirim-version": order.version, "dikirim-courier": ""})  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 422 and "Tuliskan kurir" in html and "Tuliskan nomor resi" in html
    r = c.post(f"/pesanan/{order.pk}/tahap", {"state": "dikirim", "dikirim-state": "dikirim",
                                              "dikirim-version": order.version, "dikirim-courier": "JNE",
                                              "dikirim-tracking_number": "JT77"})  # fmt: skip
    assert r.status_code == 302 and Order.objects.get(pk=order.pk).tracking_number == "JT77"


def test_payment_larger_than_the_balance_is_refused(order, manager) -> None:
    order = confirmed(manager, order)
    c = login(manager)
    data = {"amount": "30.000.000", "kind": "cicilan", "method": "transfer", "paid_on": "", "reference": ""}
    r = c.post(f"/pesanan/{order.pk}/pembayaran", data)
    assert (
        r.status_code == 422 and "Pembayaran Rp 30.000.000 melebihi sisa tagihan Rp 25.500.000." in r.content.decode()
    )
    assert c.post(f"/pesanan/{order.pk}/pembayaran", {**data, "amount": "Rp 1.000.000"}).status_code == 302
    assert Payment.objects.get().amount == 1_000_000


def test_new_quote_needs_a_reason(order, manager) -> None:
    order = confirmed(manager, order)
    c = login(manager)
    r = c.post(f"/pesanan/{order.pk}/penawaran-baru", {"version": order.version, "reason": ""})
    assert r.status_code == 422 and "Tuliskan alasan penawaran baru" in r.content.decode()
    r = c.post(f"/pesanan/{order.pk}/penawaran-baru", {"version": order.version, "reason": "Harga naik"})
    assert r.status_code == 302 and Order.objects.get(pk=order.pk).state == "permintaan"


def test_documents_issue_and_print(order, manager, viewer) -> None:
    c = login(manager)
    assert c.post(f"/pesanan/{order.pk}/dokumen", {"kind": "penawaran"}).status_code == 302
    doc = OrderDocument.objects.get()
    r = c.post(f"/pesanan/{order.pk}/dokumen", {"kind": "penawaran"})
    assert r.status_code == 422 and "sudah terbit dengan isi yang sama" in r.content.decode()
    r = c.post(f"/pesanan/{order.pk}/dokumen", {"kind": "faktur"}, **HX)
    assert r.status_code == 200 and "setelah pesanan dikonfirmasi" in r.content.decode()
    r = login(viewer).get(f"/pesanan/{order.pk}/dokumen/{doc.pk}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert login(manager).get(f"/pesanan/{order.pk}/dokumen/999.pdf").status_code == 404


def test_pdf_without_pango_is_a_clear_503(order, manager, monkeypatch) -> None:
    doc = services.document_issue(actor=manager, order=order, kind="penawaran")

    def missing(*args, **kwargs):
        raise pdf.PdfUnavailable

    monkeypatch.setattr(pdf, "document_pdf", missing)
    r = login(manager).get(f"/pesanan/{order.pk}/dokumen/{doc.pk}.pdf")
    assert r.status_code == 503 and "belum dapat dibuat" in r.content.decode()


# --- public tracking ------------------------------------------------------------------------------------------


def test_tracking_page_shows_the_order_but_not_the_buyer_contact(manager, shop) -> None:
    order = shipped(manager, dryer_order(manager, shop))
    services.payment_record(actor=manager, order=order, amount=5_000_000, kind="cicilan", method="tunai")
    r = Client().get(f"/lacak/{order.code}/")
    html = r.content.decode()
    assert r.status_code == 200 and r["X-Robots-Tag"].startswith("noindex") and "no-store" in r["Cache-Control"]
    assert "Posyantek Mitra Pantura" in html and "Mesin Pengering Ikan" in html and "JT123456789" in html
    assert "Rp 5.000.000" in html and "Rp 20.500.000" in html and 'aria-current="step">Dikirim' in html
    for private in ("Somba Opu", "0812", "6281211112222", "andi@example.id", "CV Laut Biru"):
        assert private not in html
    assert Client().get(f"/lacak/{order.code.lower()}/").status_code == 200


def test_tracking_unknown_code_is_a_friendly_404_and_the_form_finds_codes(order) -> None:
    r = Client().get("/lacak/ZZZZZZZZZZ/")
    assert r.status_code == 404 and "Pesanan tidak ditemukan" in r.content.decode()
    assert r["X-Robots-Tag"].startswith("noindex")
    r = Client().get("/lacak/", {"code": order.code.lower()})
    assert r.status_code == 302 and r["Location"] == f"/lacak/{order.code}/"
    r = Client().get("/lacak/", {"code": "ABCDEFGHJK"})
    assert r.status_code == 404 and "Kode pesanan tidak ditemukan" in r.content.decode()
    assert Client().get("/lacak/").status_code == 200


def test_tracking_is_rate_limited(order, monkeypatch) -> None:
    from posyantek.orders import public_views

    monkeypatch.setattr(public_views, "TRACK_LIMIT", 2)
    c = Client()
    assert [c.get(f"/lacak/{order.code}/").status_code for _ in range(3)] == [200, 200, 429]
