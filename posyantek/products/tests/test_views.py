"""Staff product pages: outsider 404, viewer 403 on writes, staff may write; htmx fragments; exports; budgets."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login
from posyantek.products.importers import template_headers
from posyantek.products.models import Product
from posyantek.products.tests.conftest import make, png

pytestmark = pytest.mark.django_db

FORM = {"post": "", "kind": "umkm", "name": "Terasi Udang Rebon", "description": "", "sector": "pangan",
        "price": "18.000", "unit": "bungkus", "min_order": "3", "stock": "80", "active": "on"}  # fmt: skip


def test_product_list_shows_only_what_the_user_may_see(shop: dict[str, Product], viewer: Any, outsider: Any) -> None:
    body = login(viewer).get(reverse("products:product_list")).content.decode()
    assert "Canting Batik Elektrik" in body and "Kerupuk Ikan" in body and "Komposter" not in body
    body = login(outsider).get(reverse("products:product_list")).content.decode()
    assert "Komposter" in body and "Canting" not in body


def test_product_list_htmx_answers_the_results_fragment(shop: dict[str, Product], viewer: Any) -> None:
    r = login(viewer).get(reverse("products:product_list"), {"q": "kerupuk"}, headers={"HX-Request": "true"})
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body and "Kerupuk Ikan" in body and "Canting" not in body


def test_product_list_filters(shop: dict[str, Product], officer: Any) -> None:
    c = login(officer)
    url = reverse("products:product_list")
    assert "Dingklik" not in c.get(url, {"active": "true"}).content.decode()
    body = c.get(url, {"made_to_order": "true"}).content.decode()
    assert "Pengering" in body and "Canting" not in body
    body = c.get(url, {"post": shop["kerupuk"].post_id, "kind": "umkm"}).content.decode()
    assert "Kerupuk" in body and "Canting" not in body


def test_product_list_query_budget(
    shop: dict[str, Product], officer: Any, posts: Any, admin: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        make(admin, posts["mitra"], name=f"Produk {i}")
    c = login(officer)
    c.get(reverse("products:product_list"))
    with django_assert_max_num_queries(10):
        r = c.get(reverse("products:product_list"), {"sector": "kerajinan"})
    assert r.status_code == 200


def test_product_export_xlsx_and_csv_use_the_import_headings(shop: dict[str, Product], viewer: Any) -> None:
    c = login(viewer)
    r = c.get(reverse("products:product_list"), {"format": "xlsx", "q": "canting"})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]] == template_headers()
    assert ws["B2"].value == "Canting Batik Elektrik" and ws["F2"].value == 275_000
    r = c.get(reverse("products:product_list"), {"format": "csv"})
    assert r["Content-Type"].startswith("text/csv") and "Kerupuk Ikan Panjang Wetan" in r.content.decode()


def test_product_detail_outsider_404_viewer_200(shop: dict[str, Product], viewer: Any, outsider: Any) -> None:
    url = reverse("products:product_detail", args=[shop["canting"].pk])
    assert login(outsider).get(url).status_code == 404
    body = login(viewer).get(url).content.decode()
    assert "Rp 275.000" in body and "Riwayat" in body and "Simpan perubahan stok" not in body


def test_product_writes_viewer_403_outsider_404(shop: dict[str, Product], viewer: Any, outsider: Any) -> None:
    pk = shop["canting"].pk
    for name, method, data in (("product_edit", "get", None), ("product_stock", "post", {"kind": "tambah"}),
                               ("product_active", "post", {"active": "0"}), ("product_photo", "post", {})):  # fmt: skip
        url = reverse(f"products:{name}", args=[pk])
        assert getattr(login(viewer), method)(url, data).status_code == 403
        assert getattr(login(outsider), method)(url, data).status_code == 404
    assert login(viewer).get(reverse("products:product_create")).status_code == 403
    assert Product.objects.get(pk=pk).stock == 5 and Product.objects.get(pk=pk).active


def test_product_post_only_views_refuse_get(shop: dict[str, Product], manager: Any) -> None:
    url = reverse("products:product_stock", args=[shop["canting"].pk])
    assert login(manager).get(url).status_code == 405


def test_product_create_by_post_staff(staff: Any, posts: Any) -> None:
    r = login(staff).post(reverse("products:product_create"), {**FORM, "post": posts["wartek"].pk})
    p = Product.objects.get(name="Terasi Udang Rebon")
    assert r.status_code == 302 and r["Location"] == p.get_absolute_url()
    assert p.price == 18_000 and p.stock == 80 and p.min_order == 3 and p.post == posts["wartek"]


@pytest.mark.parametrize(
    ("price", "message"),
    [("1.5", "bilangan bulat rupiah"), ("-5000", "paling sedikit Rp 1"), ("mahal", "Tulis harga dengan angka"),
     ("", "Harga wajib diisi")],
)  # fmt: skip
def test_product_create_shows_price_errors_next_to_the_field(staff: Any, posts: Any, price: str, message: str) -> None:
    r = login(staff).post(reverse("products:product_create"), {**FORM, "post": posts["wartek"].pk, "price": price})
    body = r.content.decode()
    assert r.status_code == 422 and message in body and 'id="id_price_error"' in body
    assert not Product.objects.exists()


def test_product_create_made_to_order_needs_lead_time(staff: Any, posts: Any) -> None:
    data = {**FORM, "post": posts["wartek"].pk, "made_to_order": "on", "stock": ""}
    r = login(staff).post(reverse("products:product_create"), data)
    assert r.status_code == 422 and "perlu lama pembuatan" in r.content.decode()


def test_product_create_refuses_a_post_the_user_cannot_edit(staff: Any, posts: Any) -> None:
    r = login(staff).post(reverse("products:product_create"), {**FORM, "post": posts["mitra"].pk})
    assert r.status_code == 422 and not Product.objects.exists()


def test_product_edit_stale_version_is_told(shop: dict[str, Product], manager: Any) -> None:
    p = shop["canting"]
    c = login(manager)
    data = {**FORM, "post": p.post_id, "name": p.name, "price": "300.000", "version": p.version}
    assert c.post(reverse("products:product_edit", args=[p.pk]), data).status_code == 302
    r = c.post(reverse("products:product_edit", args=[p.pk]), {**data, "price": "310.000"})
    assert r.status_code == 422 and "sudah diubah orang lain" in r.content.decode()
    assert Product.objects.get(pk=p.pk).price == 300_000 and Product.objects.get(pk=p.pk).stock == 5


def test_product_stock_htmx_answers_the_stock_box(shop: dict[str, Product], manager: Any) -> None:
    url = reverse("products:product_stock", args=[shop["canting"].pk])
    c = login(manager)
    r = c.post(url, {"kind": "tambah", "quantity": "10", "reason": "produksi baru"}, headers={"HX-Request": "true"})
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body and "sekarang 15 buah" in body and 'id="riwayat"' in body
    r = c.post(url, {"kind": "koreksi", "quantity": "-3", "reason": "opname"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Stok tidak boleh negatif" in r.content.decode()
    r = c.post(url, {"kind": "koreksi", "quantity": "-3", "reason": "opname"})
    assert r.status_code == 422
    assert Product.objects.get(pk=shop["canting"].pk).stock == 15


def test_product_active_and_photos(shop: dict[str, Product], manager: Any) -> None:
    p = shop["canting"]
    c = login(manager)
    assert c.post(reverse("products:product_active", args=[p.pk]), {"active": "0"}).status_code == 302
    assert not Product.objects.get(pk=p.pk).active
    assert (
        c.post(reverse("products:product_photo", args=[p.pk]), {"image": png(), "caption": "depan"}).status_code == 302
    )
    photo = p.photos.get()
    r = c.get(reverse("products:product_photo_file", args=[p.pk, photo.pk, "kecil"]))
    assert r.status_code == 200
    bad = c.post(reverse("products:product_photo", args=[p.pk]), {"image": SimpleUploadedFile("a.gif", b"GIF89a..")})
    assert bad.status_code == 422 and "GIF tidak diterima" in bad.content.decode()
    assert c.post(reverse("products:product_photo_remove", args=[p.pk, photo.pk])).status_code == 302
    assert not p.photos.exists()


def test_product_detail_lists_recent_orders(shop: dict[str, Product], manager: Any, makassar: Any) -> None:
    from posyantek.orders.services import order_checkout

    buyer = {"name": "Andi", "phone": "081234567890", "address": "Jl. Penghibur No. 12", "region_code": "73.71"}
    order = order_checkout(lines=[(shop["canting"].pk, 2)], buyer=buyer)[0]
    body = login(manager).get(reverse("products:product_detail", args=[shop["canting"].pk])).content.decode()
    assert order.code in body and "Andi" in body
