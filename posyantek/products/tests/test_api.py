"""Products API (staff, within scope) and the public marketplace API (browse, checkout)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import login
from posyantek.orders.models import Order
from posyantek.products.models import Product

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/produk"
PUBLIC = "/api/v1/pasar"
CHECKOUT = {"name": "Andi Makkasau", "phone": "0812-3456-7890", "email": "andi@example.id",
            "institution": "CV Maju Bersama", "address": "Jl. Penghibur No. 12, Losari", "region_code": "73.71",
            "note": ""}  # fmt: skip


def _json(c: Client, method: str, url: str, data: Any) -> Any:
    return getattr(c, method)(url, json.dumps(data), content_type="application/json")


def test_api_staff_list_and_detail_are_scoped(shop: dict[str, Product], viewer: Any, outsider: Any) -> None:
    items = login(viewer).get(STAFF, {"limit": 100}).json()["items"]
    assert {i["name"] for i in items} >= {"Canting Batik Elektrik", "Dingklik Kayu"}
    assert "Komposter Takakura" not in {i["name"] for i in items}
    items = login(viewer).get(STAFF, {"made_to_order": "true"}).json()["items"]
    assert [i["name"] for i in items] == ["Mesin Pengering Ikan Tenaga Surya"]
    assert login(viewer).get(STAFF, {"post_id": shop["komposter"].post_id}).status_code == 404
    url = f"{STAFF}/{shop['canting'].pk}"
    body = login(viewer).get(url).json()
    assert body["price"] == 275_000 and body["stock"] == 5 and body["post_name"] == "Posyantek Mitra Pantura"
    assert login(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 401


def test_api_staff_create_by_post_staff_viewer_403(staff: Any, viewer: Any, posts: Any) -> None:
    data = {"post_id": posts["wartek"].pk, "name": "Terasi Udang Rebon", "kind": "umkm", "sector": "pangan",
            "price": 18_000, "unit": "bungkus", "stock": 80, "min_order": 3}  # fmt: skip
    r = _json(login(staff), "post", STAFF, data)
    assert r.status_code == 201 and r.json()["stock"] == 80 and r.json()["region_code"] == "33.75.03.1004"
    assert _json(login(viewer), "post", STAFF, data).status_code == 422  # the post is not one the viewer edits
    r = _json(login(staff), "post", STAFF, {**data, "price": 1.5})
    assert r.status_code == 422 and "price" in r.json()["detail"]
    r = _json(login(staff), "post", STAFF, {**data, "made_to_order": True})
    assert r.status_code == 422 and "perlu lama pembuatan" in r.json()["detail"]["lead_time_days"][0]
    r = _json(login(staff), "post", STAFF, {**data, "post_id": posts["mitra"].pk})
    assert r.status_code == 422 and "post" in r.json()["detail"]


def test_api_staff_update_version_and_roles(shop: dict[str, Product], manager: Any, viewer: Any, outsider: Any
                                            ) -> None:  # fmt: skip
    p = shop["canting"]
    url = f"{STAFF}/{p.pk}"
    r = _json(login(manager), "patch", url, {"price": 300_000, "version": p.version})
    assert r.status_code == 200 and r.json()["price"] == 300_000 and r.json()["version"] == 2
    r = _json(login(manager), "patch", url, {"price": 310_000, "version": 1})
    assert r.status_code == 409 and "sudah diubah orang lain" in r.json()["detail"]
    assert _json(login(viewer), "patch", url, {"price": 1}).status_code == 403
    assert _json(login(outsider), "patch", url, {"price": 1}).status_code == 404
    r = _json(login(manager), "patch", url, {"min_order": 0})
    assert r.status_code == 422
    assert Product.objects.get(pk=p.pk).price == 300_000


def test_api_staff_stock_adjust(shop: dict[str, Product], manager: Any, viewer: Any) -> None:
    url = f"{STAFF}/{shop['canting'].pk}/stock"
    r = _json(login(manager), "post", url, {"kind": "tambah", "quantity": 10, "reason": "produksi baru"})
    assert r.status_code == 200 and r.json()["stock"] == 15
    r = _json(login(manager), "post", url, {"kind": "koreksi", "quantity": -1, "reason": "opname"})
    assert r.status_code == 422
    assert _json(login(viewer), "post", url, {"kind": "tambah", "quantity": 1, "reason": "masuk"}).status_code == 403
    r = _json(login(manager), "post", f"{STAFF}/{shop['dryer'].pk}/stock",
              {"kind": "tambah", "quantity": 1, "reason": "masuk"})  # fmt: skip
    assert r.status_code == 422


def test_api_public_list_and_detail_need_no_login_and_hide_internals(shop: dict[str, Product]) -> None:
    body = Client().get(PUBLIC, {"province": "33", "sort": "-harga"}).json()
    names = [i["name"] for i in body["items"]]
    assert names == ["Mesin Pengering Ikan Tenaga Surya", "Canting Batik Elektrik", "Kerupuk Ikan Panjang Wetan"]
    first = body["items"][0]
    assert first["stock"] is None and first["lead_time_days"] == 21 and first["price_text"] == "Rp 12.500.000"
    assert first["post"]["city"] == "Kota Pekalongan" and first["post"]["province"] == "Jawa Tengah"
    assert "version" not in first and "capacity_per_month" not in first and "region_code" not in first
    assert Client().get(PUBLIC, {"province": "99"}).status_code == 422
    r = Client().get(f"{PUBLIC}/{shop['canting'].pk}")
    assert r.status_code == 200 and r.json()["stock"] == 5 and r.json()["available"]
    assert Client().get(f"{PUBLIC}/{shop['old'].pk}").status_code == 404


def test_api_checkout_201_two_orders(shop: dict[str, Product]) -> None:
    items = [{"product_id": shop["canting"].pk, "quantity": 2}, {"product_id": shop["komposter"].pk, "quantity": 1}]
    r = _json(Client(), "post", f"{PUBLIC}/checkout", {**CHECKOUT, "items": items})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["total"] == 700_000 and len(body["orders"]) == 2
    by_post = {o["post_name"]: o for o in body["orders"]}
    mitra = by_post["Posyantek Mitra Pantura"]
    assert mitra["total"] == 550_000 and mitra["out_of_region"] and mitra["out_of_province"]
    assert mitra["tracking_url"].startswith("http://testserver/lacak/") and mitra["code"] in mitra["tracking_url"]
    assert (
        mitra["whatsapp_url"].startswith("https://wa.me/6281229001122?text=") and mitra["code"] in mitra["whatsapp_url"]
    )
    assert mitra["items"][0]["line_total"] == 550_000 and by_post["Posyantek Gambir"]["whatsapp_url"] is None
    assert Order.objects.count() == 2 and Product.objects.get(pk=shop["canting"].pk).stock == 3


def test_api_checkout_422_field_errors(shop: dict[str, Product]) -> None:
    items = [{"product_id": shop["canting"].pk, "quantity": 1}]
    r = _json(Client(), "post", f"{PUBLIC}/checkout", {**CHECKOUT, "items": items, "phone": "123", "region_code": ""})
    detail = r.json()["detail"]
    assert r.status_code == 422 and "bukan nomor HP Indonesia" in detail["phone"][0] and "region_code" in detail
    r = _json(Client(), "post", f"{PUBLIC}/checkout", {**CHECKOUT, "items": [{"product_id": 1, "quantity": 0}]})
    assert r.status_code == 422
    r = _json(Client(), "post", f"{PUBLIC}/checkout", {**CHECKOUT, "items": [
        {"product_id": shop["kerupuk"].pk, "quantity": 2}]})  # fmt: skip
    assert r.status_code == 422 and "pemesanan minimum 5" in r.json()["detail"]["items"][0]
    assert not Order.objects.exists()


def test_api_checkout_409_out_of_stock(shop: dict[str, Product]) -> None:
    items = [{"product_id": shop["canting"].pk, "quantity": 6}]
    r = _json(Client(), "post", f"{PUBLIC}/checkout", {**CHECKOUT, "items": items})
    assert r.status_code == 409 and r.json()["detail"] == "Stok Canting Batik Elektrik habis: tersisa 5 buah, " \
        "Anda memesan 6."  # fmt: skip
    assert not Order.objects.exists() and Product.objects.get(pk=shop["canting"].pk).stock == 5


def test_api_checkout_429(shop: dict[str, Product], settings: Any) -> None:
    settings.MARKET_CHECKOUTS_PER_HOUR = 1
    items = [{"product_id": shop["canting"].pk, "quantity": 1}]
    assert _json(Client(), "post", f"{PUBLIC}/checkout", {**CHECKOUT, "items": items}).status_code == 201
    r = _json(Client(), "post", f"{PUBLIC}/checkout", {**CHECKOUT, "items": items})
    assert r.status_code == 429 and "Terlalu banyak" in r.json()["detail"]


def test_api_schema_declares_the_status_codes(db: Any) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    checkout = schema["paths"][f"{PUBLIC}/checkout"]["post"]["responses"]
    assert {"201", "409", "422", "429"} <= set(checkout)
    update = schema["paths"][f"{STAFF}/{{product_id}}"]["patch"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(update)
