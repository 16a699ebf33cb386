"""The exhibitions API: scope (404 outside, 403 for a too-low role), states, parts, the report."""

from __future__ import annotations

from typing import Any

from conftest import login
from posyantek.exhibitions.models import Exhibition
from posyantek.exhibitions.tests.conftest import make_order

API = "/api/v1/pameran"


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data=data, content_type="application/json")


def test_list_and_detail_are_scoped(running, outsider, viewer, django_assert_max_num_queries) -> None:
    assert login(outsider).get(API).json()["count"] == 0
    assert login(outsider).get(f"{API}/{running.pk}").status_code == 404
    assert login(outsider).get(f"{API}/{running.pk}/report").status_code == 404
    c = login(viewer)
    with django_assert_max_num_queries(8):
        data = c.get(API).json()
    assert data["count"] == 1 and data["items"][0]["state"] == "berlangsung"
    assert c.get(API, {"level": "nasional"}).json()["count"] == 0
    assert c.get(API, {"year": running.starts_on.year, "q": "PRPP"}).json()["count"] == 1
    assert c.get(f"{API}/{running.pk}").json()["venue_region_code"] == "33.75"
    for part in ("products", "costs", "leads", "offers"):
        assert c.get(f"{API}/{running.pk}/{part}").status_code == 200, part
        assert login(outsider).get(f"{API}/{running.pk}/{part}").status_code == 404, part


def test_create_update_and_advance(manager, viewer, outsider, posts, goods) -> None:
    c = login(manager)
    body = {"post_id": posts["mitra"].pk, "name": "Gelar TTG Nasional", "level": "nasional",
            "starts_on": "2020-03-01", "venue_region_code": "31.71"}  # fmt: skip
    r = _json(c, "post", API, body)
    assert r.status_code == 201, r.content
    eid = r.json()["id"]
    assert r.json()["ends_on"] == "2020-03-01" and r.json()["state"] == "direncanakan"
    assert _json(c, "post", API, {**body, "level": "desa"}).status_code == 422
    assert _json(login(viewer), "post", API, body).status_code == 403
    r = _json(login(outsider), "post", API, body)
    assert r.status_code == 422 and "post" in r.json()["detail"]
    assert _json(login(viewer), "patch", f"{API}/{eid}", {"name": "x"}).status_code == 403
    assert _json(login(outsider), "patch", f"{API}/{eid}", {"name": "x"}).status_code == 404
    assert _json(c, "patch", f"{API}/{eid}", {"organiser": "Kemendes", "version": 1}).json()["version"] == 2
    r = _json(c, "patch", f"{API}/{eid}", {"name": "Lama", "version": 1})
    assert r.status_code == 422 and "sudah diubah" in str(r.json()["detail"])
    r = _json(c, "post", f"{API}/{eid}/state", {"state": "berlangsung"})
    assert r.status_code == 422 and "dilompati" in str(r.json()["detail"])
    r = _json(c, "post", f"{API}/{eid}/products", {"product_id": goods["wartek"].pk, "quantity": 1})
    assert r.status_code == 422 and "product" in r.json()["detail"]
    assert (
        _json(c, "post", f"{API}/{eid}/products", {"product_id": goods["thresher"].pk, "quantity": 0}).status_code
        == 422
    )
    r = _json(c, "post", f"{API}/{eid}/products", {"product_id": goods["thresher"].pk, "quantity": 2})
    assert r.status_code == 201 and r.json()["product_name"] == "Perontok Padi Pedal"
    item = r.json()["id"]
    assert _json(c, "patch", f"{API}/{eid}/products/{item}", {"quantity": 3}).json()["quantity"] == 3
    assert _json(login(viewer), "post", f"{API}/{eid}/state", {"state": "produk_dipilih"}).status_code == 403
    r = _json(c, "post", f"{API}/{eid}/visitors", {"visitors": 10})
    assert r.status_code == 422 and "setelah acara berlangsung" in str(r.json()["detail"])
    for state in ("produk_dipilih", "berlangsung"):
        assert _json(c, "post", f"{API}/{eid}/state", {"state": state}).status_code == 200
    assert _json(c, "post", f"{API}/{eid}/visitors", {"visitors": 850}).json()["visitors"] == 850
    assert _json(c, "post", f"{API}/{eid}/visitors", {"visitors": -1}).status_code == 422


def test_parts_and_report(running, manager, viewer, posts) -> None:
    c = login(manager)
    url = f"{API}/{running.pk}"
    r = _json(c, "post", f"{url}/costs", {"item": "Transport", "amount": 1_250_000, "funding_source": "pendapatan_pos"})
    assert r.status_code == 201
    assert _json(c, "post", f"{url}/costs", {"item": "X", "amount": 0, "funding_source": "apbn"}).status_code == 422
    assert (
        _json(login(viewer), "post", f"{url}/costs", {"item": "X", "amount": 5, "funding_source": "apbn"}).status_code
        == 403
    )
    assert _json(c, "delete", f"{url}/costs/{r.json()['id']}").status_code == 204
    r = _json(c, "post", f"{url}/leads", {"name": "Dewi", "phone": "0813-5555-6666", "region_code": "31.71"})
    assert r.status_code == 201 and r.json()["phone"] == "6281355556666"
    lid = r.json()["id"]
    assert _json(c, "post", f"{url}/leads", {"name": "Tanpa kontak"}).status_code == 422
    order = make_order(posts["mitra"], total=4_500_000, exhibition=running)
    r = _json(c, "patch", f"{url}/leads/{lid}", {"order_code": order.code})
    assert r.status_code == 200 and r.json()["order_code"] == order.code and r.json()["followed_up"] is True
    assert c.get(f"{url}/leads").json()["count"] == 2
    r = _json(c, "post", f"{url}/offers", {"partner": "Dinas Pertanian Demak", "value": 120_000_000})
    assert r.status_code == 201 and r.json()["status"] == "ditawarkan"
    r = _json(c, "patch", f"{url}/offers/{r.json()['id']}", {"status": "disepakati"})
    assert r.json()["status"] == "disepakati"
    report = login(viewer).get(f"{url}/report").json()
    assert report["leads"] == 2 and report["leads_followed"] == 1 and report["follow_up_rate"] == 50
    assert report["orders"] == 1 and report["transaction_value"] == 4_500_000
    assert report["offers"] == 2 and report["offers_agreed_value"] == 120_000_000
    assert report["costs_by_source"] == [{"label": "APBD kabupaten/kota", "amount": 3_500_000}]
    assert report["net"] == 1_000_000 and len(report["products"]) == 2
    assert _json(c, "delete", f"{url}/leads/{lid}").status_code == 204
    assert _json(login(viewer), "delete", f"{url}/offers/{running.offers.first().pk}").status_code == 403
    assert Exhibition.objects.get(pk=running.pk).leads.count() == 1
