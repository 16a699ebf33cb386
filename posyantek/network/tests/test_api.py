"""The network API: scope (404 outside, 403 for a too-low role), create, update with version, sums."""

from __future__ import annotations

from typing import Any

from conftest import login
from posyantek.network.models import Agent
from posyantek.network.tests.conftest import make_order

API = "/api/v1/jejaring"


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data=data, content_type="application/json")


def test_list_and_detail_are_scoped(agent, posts, outsider, viewer, django_assert_max_num_queries) -> None:
    make_order(posts["mitra"], total=2_000_000, agent=agent, commission=100_000)
    make_order(posts["mitra"], total=1_000_000, agent=agent, commission=50_000, state="retur")
    assert login(outsider).get(API).json()["count"] == 0
    assert login(outsider).get(f"{API}/{agent.pk}").status_code == 404
    c = login(viewer)
    with django_assert_max_num_queries(8):
        data = c.get(API).json()
    assert data["count"] == 1 and data["items"][0]["commission_percent"] == 5.0
    assert data["items"][0]["phone"] == "6281234567890"
    detail = c.get(f"{API}/{agent.pk}").json()
    assert detail["orders"] == 2 and detail["orders_counted"] == 1
    assert detail["orders_value"] == 2_000_000 and detail["commission_total"] == 100_000
    assert detail["commission_rule_text"].startswith("5% dari nilai pesanan")
    assert c.get(API, {"province": "31"}).json()["count"] == 0
    assert c.get(API, {"q": "sinar", "active": True}).json()["count"] == 1


def test_create_update_and_active(manager, viewer, outsider, posts, regions) -> None:
    c = login(manager)
    body = {"post_id": posts["mitra"].pk, "kind": "reseller", "name": "Dewi", "area_code": "31.71",
            "commission_rule": "persen", "commission_percent": 2.5}  # fmt: skip
    r = _json(c, "post", API, body)
    assert r.status_code == 201, r.content
    aid = r.json()["id"]
    assert r.json()["area_code"] == "31.71" and r.json()["commission_percent"] == 2.5
    r = _json(c, "post", API, {**body, "name": "X", "commission_percent": "2.555"})
    assert r.status_code == 422 and "dua angka" in str(r.json()["detail"])
    r = _json(c, "post", API, {**body, "name": "X", "commission_rule": "per_unit", "commission_percent": 0})
    assert r.status_code == 422 and "commission_amount" in r.json()["detail"]
    assert _json(c, "post", API, {**body, "commission_percent": 101}).status_code == 422
    r = _json(c, "post", API, {**body, "name": "Gambir", "kind": "posyantek", "partner_post_id": posts["dki"].pk})
    assert r.status_code == 201 and r.json()["partner_post_id"] == posts["dki"].pk
    assert _json(login(viewer), "post", API, {**body, "name": "Y"}).status_code == 403
    r = _json(login(outsider), "post", API, {**body, "name": "Y"})
    assert r.status_code == 422 and "post" in r.json()["detail"]
    assert _json(login(viewer), "patch", f"{API}/{aid}", {"name": "x"}).status_code == 403
    assert _json(login(outsider), "patch", f"{API}/{aid}", {"name": "x"}).status_code == 404
    r = _json(c, "patch", f"{API}/{aid}", {"commission_rule": "per_pesanan", "commission_amount": 100_000,
                                          "version": 1})  # fmt: skip
    assert r.status_code == 200 and r.json()["commission_percent"] == 0 and r.json()["version"] == 2
    r = _json(c, "patch", f"{API}/{aid}", {"name": "Lama", "version": 1})
    assert r.status_code == 422 and "sudah diubah" in str(r.json()["detail"])
    r = _json(c, "patch", f"{API}/{aid}", {"area_code": None})
    assert r.status_code == 200 and r.json()["area_code"] is None
    assert _json(login(viewer), "post", f"{API}/{aid}/active", {"active": False}).status_code == 403
    r = _json(c, "post", f"{API}/{aid}/active", {"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert Agent.objects.filter(active=True).count() == 1


def test_schema_lists_the_network_api(client, db) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "422" in paths[API]["post"]["responses"] and f"{API}/{{agent_id}}" in paths
