"""API of orders: list, detail, create, update with version, items, confirm, transitions, payments, documents."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import login
from posyantek.orders import services
from posyantek.orders.models import Order

from .factories import BUYER, confirmed, dryer_order, ready

JSON = "application/json"
BASE = "/api/v1/pesanan"


@pytest.fixture
def order(manager, shop) -> Order:
    return dryer_order(manager, shop)


def test_api_needs_login_and_scope(order, outsider, viewer, staff) -> None:
    assert Client().get(f"{BASE}/orders").status_code == 401
    assert login(outsider).get(f"{BASE}/orders/{order.pk}").status_code == 404
    assert login(outsider).get(f"{BASE}/orders").json()["count"] == 0
    assert login(staff).post(f"{BASE}/orders/{order.pk}/payments", {}, content_type=JSON).status_code in (404, 422)
    c = login(viewer)
    assert c.get(f"{BASE}/orders/{order.pk}").json()["code"] == order.code
    r = c.post(f"{BASE}/orders/{order.pk}/transitions", {"state": "dibatalkan", "note": "x"}, content_type=JSON)
    assert r.status_code == 403
    r = c.post(f"{BASE}/orders/{order.pk}/documents", {"kind": "penawaran"}, content_type=JSON)
    assert r.status_code == 403


def test_api_list_filters(order, manager, shop) -> None:
    dryer_order(manager, shop, 1, buyer={**BUYER, "region_code": "33.74"})
    c = login(manager)
    body = c.get(f"{BASE}/orders", {"out_of_province": "true"}).json()
    assert body["count"] == 1 and body["items"][0]["code"] == order.code
    assert body["items"][0]["items"][0]["line_total"] == 25_000_000
    assert c.get(f"{BASE}/orders", {"q": "Mesin", "province": "33"}).json()["count"] == 1
    assert c.get(f"{BASE}/orders", {"post": 999999}).status_code == 404


def test_api_create_update_items_confirm_and_the_whole_way(manager, shop, agent, posts) -> None:
    c = login(manager)
    payload = {
        "post_id": posts["mitra"].pk,
        "channel": "agen",
        "agent_id": agent.pk,
        "buyer": dict(BUYER),
        "items": [
            {"product_id": shop["dryer"].pk, "quantity": 1},
            {"name": "Pelatihan operator", "quantity": 1, "unit_price": 1_000_000, "unit": "paket"},
        ],
    }
    r = c.post(f"{BASE}/orders", payload, content_type=JSON)  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    oid, version = body["id"], body["version"]
    assert (body["state"], body["total"], body["out_of_province"], body["allowed_next"]) == (
        "permintaan",
        13_500_000,
        True,
        ["dikonfirmasi", "dibatalkan"],
    )
    r = c.patch(f"{BASE}/orders/{oid}", {"version": version, "name": "Pak Andi Wijaya"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["buyer_name"] == "Pak Andi Wijaya"
    r = c.patch(f"{BASE}/orders/{oid}", {"version": version, "name": "Andi"}, content_type=JSON)
    assert r.status_code == 409 and "sudah diubah orang lain" in r.json()["detail"]
    version = c.get(f"{BASE}/orders/{oid}").json()["version"]
    r = c.put(f"{BASE}/orders/{oid}/items", {"version": version, "items": [
        {"product_id": shop["dryer"].pk, "quantity": 2}]}, content_type=JSON)  # fmt: skip
    assert r.status_code == 200 and r.json()["subtotal"] == 25_000_000
    item_id, version = r.json()["items"][0]["id"], r.json()["version"]
    r = c.post(f"{BASE}/orders/{oid}/confirm", {"version": version, "down_payment": 99_000_000}, content_type=JSON)
    assert r.status_code == 422 and "down_payment" in r.json()["detail"]
    r = c.post(f"{BASE}/orders/{oid}/confirm", {"version": version, "shipping_cost": 500_000, "down_payment":
               10_000_000, "prices": [{"item_id": item_id, "unit_price": 12_000_000}]}, content_type=JSON)  # fmt: skip
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["state"], body["total"], body["commission"], body["sale_date"] is not None) == (
        "dikonfirmasi",
        24_500_000,
        1_200_000,
        True,
    )
    r = c.put(f"{BASE}/orders/{oid}/items", {"items": [{"product_id": shop["dryer"].pk, "quantity": 1}]},
              content_type=JSON)  # fmt: skip
    assert r.status_code == 422 and "Buat penawaran baru" in str(r.json()["detail"])
    r = c.post(f"{BASE}/orders/{oid}/transitions", {"state": "dikirim"}, content_type=JSON)
    assert r.status_code == 422 and "Tahap berikutnya yang boleh" in str(r.json()["detail"])
    r = c.post(f"{BASE}/orders/{oid}/payments", {"amount": 30_000_000, "kind": "cicilan", "method": "transfer"},
               content_type=JSON)  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["amount"] == [
        "Pembayaran Rp 30.000.000 melebihi sisa tagihan Rp 24.500.000."
    ]
    r = c.post(f"{BASE}/orders/{oid}/payments", {"amount": 10_000_000, "kind": "uang_muka", "method": "transfer"},
               content_type=JSON)  # fmt: skip
    assert r.status_code == 201 and r.json()["amount"] == 10_000_000
    assert [p["kind"] for p in c.get(f"{BASE}/orders/{oid}/payments").json()] == ["uang_muka"]
    r = c.post(f"{BASE}/orders/{oid}/documents", {"kind": "faktur"}, content_type=JSON)
    assert r.status_code == 201 and r.json()["number"].startswith("INV/MP-PKL/")
    assert r.json()["content"]["body"]["paid_total"] == 10_000_000
    pdf = c.get(r.json()["pdf_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert len(c.get(f"{BASE}/orders/{oid}/documents").json()) == 1
    r = c.post(f"{BASE}/orders/{oid}/new-quote", {"reason": "Ganti model"}, content_type=JSON)
    assert r.status_code == 200 and (r.json()["state"], r.json()["quote_revision"]) == ("permintaan", 1)
    steps = c.get(f"{BASE}/orders/{oid}/steps").json()
    assert [s["state"] for s in steps] == ["permintaan", "dikonfirmasi", "permintaan"]


def test_api_create_refuses_foreign_posts_products_and_agents(manager, shop, posts, agent) -> None:
    c = login(manager)
    payload = {"post_id": posts["dki"].pk, "channel": "whatsapp", "buyer": dict(BUYER),
               "items": [{"product_id": shop["stove"].pk, "quantity": 1}]}  # fmt: skip
    assert c.post(f"{BASE}/orders", payload, content_type=JSON).status_code == 404
    payload["post_id"] = posts["wartek"].pk  # the manager sees the Wartek, but may not write there
    assert c.post(f"{BASE}/orders", payload, content_type=JSON).status_code == 403
    payload["post_id"] = posts["mitra"].pk
    r = c.post(f"{BASE}/orders", payload, content_type=JSON)
    assert r.status_code == 422 and "bukan produk Posyantek Mitra Pantura" in str(r.json()["detail"])
    payload["items"] = [{"product_id": shop["dryer"].pk, "quantity": 0}]
    r = c.post(f"{BASE}/orders", payload, content_type=JSON)
    assert r.status_code == 422 and "jumlah harus bilangan bulat 1 sampai 10.000" in str(r.json()["detail"])


def test_api_ship_and_track_publicly(order, manager) -> None:
    order = ready(manager, order)
    c = login(manager)
    r = c.post(f"{BASE}/orders/{order.pk}/transitions", {"state": "dikirim", "version": order.version},
               content_type=JSON)  # fmt: skip
    assert r.status_code == 422 and set(r.json()["detail"]) >= {"courier", "tracking_number"}
    r = c.post(f"{BASE}/orders/{order.pk}/transitions", {"state": "dikirim", "courier": "JNE",
               "tracking_number": "JT5", "version": order.version + 5}, content_type=JSON)  # fmt: skip
    assert r.status_code == 409
    r = c.post(f"{BASE}/orders/{order.pk}/transitions", {"state": "dikirim", "courier": "JNE",
               "tracking_number": "JT5"}, content_type=JSON)  # fmt: skip
    assert r.status_code == 200 and r.json()["state"] == "dikirim"
    body = Client().get(f"{BASE}/lacak/{order.code}").json()
    assert (body["state"], body["tracking_number"], body["balance"]) == ("dikirim", "JT5", 25_500_000)
    assert [s["state"] for s in body["progress"] if s["done"]] == ["permintaan", "dikonfirmasi", "siap_kirim",
                                                                   "dikirim"]  # fmt: skip
    assert "buyer_phone" not in body and "Somba" not in str(body)
    assert Client().get(f"{BASE}/lacak/ZZZZZZZZZZ").status_code == 404


def test_api_schema_declares_the_codes(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    update = paths[f"{BASE}/orders/{{order_id}}"]["patch"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(update)
    assert "application/pdf" in paths[f"{BASE}/orders/{{order_id}}/documents/{{document_id}}/pdf"]["get"][
        "responses"]["200"]["content"]  # fmt: skip
    assert "201" in paths[f"{BASE}/orders"]["post"]["responses"]


def test_api_document_rules(order, manager, shop) -> None:
    c = login(manager)
    assert c.post(f"{BASE}/orders/{order.pk}/documents", {"kind": "faktur"}, content_type=JSON).status_code == 422
    r = c.post(f"{BASE}/orders/{order.pk}/documents", {"kind": "penawaran"}, content_type=JSON)
    assert r.status_code == 201 and r.json()["number"].startswith("PNW/MP-PKL/")
    other = confirmed(manager, dryer_order(manager, shop, 1))
    assert c.get(f"{BASE}/orders/{order.pk}/documents/999/pdf").status_code == 404
    assert services.document_issue(actor=manager, order=other, kind="faktur").number.endswith("/0001")
