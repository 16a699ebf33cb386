"""API: staff list, detail, create, update, transitions within scope; public submit, status by code, rating."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import login
from posyantek.consultations import services
from posyantek.consultations.models import ServiceRequest

from .conftest import PUBLIC

JSON = "application/json"
BASE = "/api/v1/layanan"


@pytest.fixture
def req(posts) -> ServiceRequest:
    return services.request_submit(data=dict(PUBLIC), ip="10.0.0.1")


def public_payload(**extra) -> dict:
    data = {k: v for k, v in PUBLIC.items() if k != "region"}
    return {**data, "region_code": "33.75.03.1004", **extra}


def test_public_submit_status_and_rating(posts, staff) -> None:
    c = Client()
    r = c.post(f"{BASE}/public/requests", public_payload(), content_type=JSON)
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert r.json()["tracking_url"].endswith(f"/permohonan/lacak/{code}/")
    req = ServiceRequest.objects.get(code=code)
    services.request_transition(actor=staff, request=req, to_state="ditelaah", service_type="teknis",
                                section="seksi_pelayanan", handler=staff, note="internal")  # fmt: skip
    body = c.get(f"{BASE}/public/requests/{code}").json()
    assert body["state"] == "ditelaah" and body["post_name"] == "Wartek Panjang Wetan" and body["can_rate"] is False
    assert [s["state"] for s in body["steps"]] == ["diterima", "ditelaah"] and body["steps"][1]["note"] == ""
    assert "phone" not in body and "handler_id" not in body and "internal" not in str(body)
    assert c.get(f"{BASE}/public/requests/ABCDEFGHJK").status_code == 404
    r = c.post(f"{BASE}/public/requests/{code}/rating", {"rating": 5}, content_type=JSON)
    assert r.status_code == 422 and "setelah permohonan selesai" in str(r.json()["detail"])
    req.refresh_from_db()
    services.request_transition(actor=staff, request=req, to_state="ditutup_tanpa_solusi", result="Tidak ada")
    assert c.post(f"{BASE}/public/requests/{code}/rating", {"rating": 7}, content_type=JSON).status_code == 422
    r = c.post(f"{BASE}/public/requests/{code}/rating", {"rating": 5, "comment": "Bagus"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["rating"] == 5 and r.json()["can_rate"] is False
    r = c.post(f"{BASE}/public/requests/{code}/rating", {"rating": 1}, content_type=JSON)
    assert r.status_code == 422 and "sudah dinilai" in str(r.json()["detail"])


@pytest.mark.parametrize(("extra", "field"), [
    ({"phone": "", "email": ""}, "phone"), ({"phone": "+44 20 7946 0958"}, "phone"), ({"region_code": "33"}, "region"),
    ({"region_code": ""}, "region"), ({"description": "x"}, "description"),
])  # fmt: skip
def test_public_submit_refuses_bad_input_in_indonesian(posts, extra, field) -> None:
    r = Client().post(f"{BASE}/public/requests", public_payload(**extra), content_type=JSON)
    assert r.status_code == 422 and field in r.json()["detail"]
    assert not ServiceRequest.objects.exists()


def test_public_submit_flood_is_429(posts, settings) -> None:
    settings.CONSULTATION_RATE_LIMITS = {"ip": (2, 3600)}
    c = Client(REMOTE_ADDR="10.3.3.3")
    for n in range(2):
        assert (
            c.post(f"{BASE}/public/requests", public_payload(phone=f"0812-0000-000{n}"), content_type=JSON).status_code
            == 201
        )
    r = c.post(f"{BASE}/public/requests", public_payload(phone="0812-0000-0009"), content_type=JSON)
    assert r.status_code == 429 and "Terlalu banyak" in r.json()["detail"]


def test_staff_list_and_detail_are_scoped(req, staff, officer, viewer, outsider) -> None:
    r = login(officer).get(f"{BASE}/requests")
    assert r.status_code == 200 and [x["code"] for x in r.json()["items"]] == [req.code]
    item = r.json()["items"][0]
    assert item["phone"] == "6281234567890" and item["whatsapp_url"].startswith("https://wa.me/6281234567890?text=")
    assert login(outsider).get(f"{BASE}/requests").json()["count"] == 0
    assert login(outsider).get(f"{BASE}/requests/{req.pk}").status_code == 404
    assert login(viewer).get(f"{BASE}/requests/{req.pk}").status_code == 200
    assert login(officer).get(f"{BASE}/requests?state=selesai").json()["count"] == 0
    assert login(officer).get(f"{BASE}/requests?overdue=false").json()["count"] == 1
    assert Client().get(f"{BASE}/requests").status_code == 401


def test_staff_transition_rules_and_roles(req, staff, viewer, outsider) -> None:
    url = f"{BASE}/requests/{req.pk}/transitions"
    triage = {"to_state": "ditelaah", "service_type": "teknis", "section": "seksi_pelayanan", "handler_id": staff.pk,
              "version": 1}  # fmt: skip
    assert login(viewer).post(url, triage, content_type=JSON).status_code == 403
    assert login(outsider).post(url, triage, content_type=JSON).status_code == 404
    r = login(staff).post(url, {"to_state": "penerapan"}, content_type=JSON)
    assert r.status_code == 422 and "ada langkah yang terlewati" in str(r.json()["detail"])
    r = login(staff).post(url, triage, content_type=JSON)
    assert r.status_code == 200 and r.json()["state"] == "ditelaah" and r.json()["version"] == 2
    r = login(staff).post(url, triage, content_type=JSON)  # stale version
    assert r.status_code == 422 and "sudah diubah orang lain" in str(r.json()["detail"])
    steps = login(staff).get(f"{BASE}/requests/{req.pk}/steps").json()
    assert [(s["from_state"], s["to_state"]) for s in steps] == [("", "diterima"), ("diterima", "ditelaah")]
    assert login(outsider).get(f"{BASE}/requests/{req.pk}/steps").status_code == 404


def test_staff_create_update_assign(regions, posts, manager, officer, viewer, outsider) -> None:
    data = {
        "post_id": posts["mitra"].pk,
        "channel": "telepon",
        "requester_name": "Pak Rohman",
        "phone": "081234567891",
        "region_code": "33.75.03.1002",
        "description": "Perlu pompa air tenaga surya",
    }
    r = login(manager).post(f"{BASE}/requests", data, content_type=JSON)
    assert r.status_code == 201 and r.json()["channel"] == "telepon"
    pk = r.json()["id"]
    r = login(manager).post(f"{BASE}/requests", {**data, "received_at": "2024-05-02T09:00:00"}, content_type=JSON)
    assert r.status_code == 201 and r.json()["received_at"].startswith("2024-05-02T02:00:00")  # was a 500
    r = login(manager).post(f"{BASE}/requests", {**data, "received_at": "2099-05-02T09:00:00"}, content_type=JSON)
    assert r.status_code == 422 and "received_at" in r.json()["detail"]
    r = login(manager).post(f"{BASE}/requests", {**data, "channel": "online"}, content_type=JSON)
    assert r.status_code == 422 and "channel" in r.json()["detail"]
    assert login(viewer).post(f"{BASE}/requests", data, content_type=JSON).status_code == 422
    r = login(outsider).post(f"{BASE}/requests", data, content_type=JSON)
    assert r.status_code == 422 and "post" in r.json()["detail"]
    r = login(manager).patch(f"{BASE}/requests/{pk}", {"commodity": "sayur", "version": 1}, content_type=JSON)
    assert r.status_code == 200 and r.json()["commodity"] == "sayur"
    r = login(manager).patch(f"{BASE}/requests/{pk}", {"commodity": "padi", "version": 1}, content_type=JSON)
    assert r.status_code == 422
    r = login(manager).patch(f"{BASE}/requests/{pk}", {"requester_kind": None}, content_type=JSON)  # was a 500
    assert r.status_code == 422 and "requester_kind" in r.json()["detail"]
    assert login(viewer).patch(f"{BASE}/requests/{pk}", {"commodity": "x"}, content_type=JSON).status_code == 403
    assert login(outsider).patch(f"{BASE}/requests/{pk}", {"commodity": "x"}, content_type=JSON).status_code == 404
    unrouted = services.request_submit(data={**PUBLIC, "region": "33.75.01.1001"}, ip="10.0.0.9")
    url = f"{BASE}/requests/{unrouted.pk}/assign"
    assert login(manager).post(url, {"post_id": posts["mitra"].pk}, content_type=JSON).status_code == 404
    assert login(viewer).post(url, {"post_id": posts["mitra"].pk}, content_type=JSON).status_code == 403
    r = login(officer).post(url, {"post_id": posts["mitra"].pk}, content_type=JSON)
    assert r.status_code == 200 and r.json()["post_id"] == posts["mitra"].pk


def test_suggestions_stats_and_needs_map(req, staff, officer, outsider, fish_dryer) -> None:
    r = login(staff).get(f"{BASE}/requests/{req.pk}/suggestions")
    assert r.status_code == 200 and r.json()[0]["name"] == fish_dryer.name
    assert login(outsider).get(f"{BASE}/requests/{req.pk}/suggestions").status_code == 404
    stats = login(officer).get(f"{BASE}/stats").json()
    assert stats["open"] == 1 and stats["target_days"]["diterima"] == 2
    assert login(outsider).get(f"{BASE}/stats").json()["open"] == 0
    assert login(officer).get(f"{BASE}/stats?post_id={req.post_id}").json()["open"] == 1
    assert login(outsider).get(f"{BASE}/stats?post_id={req.post_id}").status_code == 404  # a Pekalongan post
    assert login(outsider).get(f"{BASE}/needs-map?post_id={req.post_id}").status_code == 404
    m = login(officer).get(f"{BASE}/needs-map?region=33.75.03").json()
    assert m["total"] == 1 and m["rows"][0]["code"] == "33.75.03.1004" and m["commodities"] == {"ikan asin": 1}
    assert login(outsider).get(f"{BASE}/needs-map?region=33.75.03").json()["total"] == 0
    assert login(officer).get(f"{BASE}/needs-map?region=99").status_code == 422


def test_endpoints_are_in_the_openapi_schema() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/requests",
        "/requests/{request_id}",
        "/requests/{request_id}/transitions",
        "/public/requests",
        "/public/requests/{code}",
        "/public/requests/{code}/rating",
        "/needs-map",
        "/stats",
    ):
        assert f"{BASE}{path}" in paths
    submit = paths[f"{BASE}/public/requests"]["post"]
    assert set(submit["responses"]) == {"201", "422", "429"} and not submit.get("security")
