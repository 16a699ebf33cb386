"""Posts API: the same scoping and services as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import login
from posyantek.posts.models import Post

JSON = "application/json"


def test_api_requires_auth(client: Client, posts) -> None:
    assert client.get("/api/v1/posts").status_code == 401
    assert client.get("/api/v1/posts", headers={"Authorization": "Bearer salah"}).status_code == 401


def test_api_list_is_scoped_and_filtered(officer, outsider, posts) -> None:
    names = [p["name"] for p in login(officer).get("/api/v1/posts").json()["items"]]
    assert names == ["Posyantek Mitra Pantura", "Wartek Panjang Wetan"]
    names = [p["name"] for p in login(officer).get("/api/v1/posts?kind=wartek").json()["items"]]
    assert names == ["Wartek Panjang Wetan"]
    names = [p["name"] for p in login(outsider).get("/api/v1/posts").json()["items"]]
    assert names == ["Posyantek Gambir"]
    assert login(officer).get("/api/v1/posts?limit=1000").status_code == 422


def test_api_detail_404_outside_scope(manager, posts) -> None:
    c = login(manager)
    assert c.get(f"/api/v1/posts/{posts['mitra'].pk}").json()["region_code"] == "33.75.03"
    r = c.get(f"/api/v1/posts/{posts['dki'].pk}")
    assert r.status_code == 404
    assert r.json() == {"detail": "Tidak ditemukan."}


def test_api_patch_by_manager_viewer_outsider(manager, viewer, outsider, posts) -> None:
    url = f"/api/v1/posts/{posts['mitra'].pk}"
    r = login(manager).patch(url, {"phone": "0812", "version": 1}, content_type=JSON)
    assert r.status_code == 200
    assert (r.json()["phone"], r.json()["version"]) == ("0812", 2)
    assert login(viewer).patch(url, {"phone": "x"}, content_type=JSON).status_code == 403
    assert login(outsider).patch(url, {"phone": "x"}, content_type=JSON).status_code == 404
    r = login(manager).patch(url, {"phone": "0899", "version": 1}, content_type=JSON)
    assert r.status_code == 422
    assert Post.objects.get(pk=posts["mitra"].pk).phone == "0812"


def test_api_patch_field_errors(officer, posts) -> None:
    url = f"/api/v1/posts/{posts['mitra'].pk}"
    r = login(officer).patch(url, {"skt_date": "2024-05-01", "skt_valid_until": "2024-04-01"}, content_type=JSON)
    assert r.status_code == 422
    assert "skt_valid_until" in r.json()["detail"]
    r = login(officer).patch(url, {"email": "bukan"}, content_type=JSON)
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "antar_desa", "region_code": "33"}, "region"),
        ({"kind": "antar_desa", "region_code": "33.75.03"}, "region"),
        ({"kind": "antar_desa", "region_code": "33.75.02.1001"}, "region"),
        ({"kind": "wartek", "region_code": "33.75.03.1002", "parent_id": 999999}, "parent"),
        ({"kind": "antar_desa", "region_code": "33.75.01", "service_area": ["99"]}, "service_area"),
    ],
)
def test_api_create_rejects_bad_input(officer, posts, payload, field) -> None:
    before = Post.objects.count()
    r = login(officer).post("/api/v1/posts", {"name": "Pos API", **payload}, content_type=JSON)
    assert r.status_code == 422
    assert field in r.json()["detail"]
    assert Post.objects.count() == before


def test_api_create_by_officer_and_refused_for_others(officer, manager, outsider, posts) -> None:
    payload = {"name": "Pos Barat", "kind": "antar_desa", "region_code": "33.75.01", "service_area": ["33.75.01.1001"]}
    assert login(manager).post("/api/v1/posts", payload, content_type=JSON).status_code == 403
    assert login(outsider).post("/api/v1/posts", payload, content_type=JSON).status_code == 403
    r = login(officer).post("/api/v1/posts", payload, content_type=JSON)
    assert r.status_code == 201
    assert r.json()["region_code"] == "33.75.01"


def test_api_session_writes_need_csrf(manager, posts) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(manager, backend="posyantek.accounts.backends.CachedModelBackend")
    r = c.patch(f"/api/v1/posts/{posts['mitra'].pk}", {"phone": "1"}, content_type=JSON)
    assert r.status_code == 403
    assert Post.objects.get(pk=posts["mitra"].pk).phone == "0285-421234"


def test_api_me(manager, posts) -> None:
    data = login(manager).get("/api/v1/me").json()
    assert data["email"] == "manager@example.id"
    assert data["grants"] == [{"role": "post_manager", "region_code": None, "post_id": posts["mitra"].pk}]


def test_api_schema_errors_are_indonesian_field_errors(officer, posts) -> None:
    r = login(officer).post("/api/v1/posts", {"name": "x", "kind": "antar_desa", "region_code": "33.75.01",
                                              "skt_date": "10-09-2014"}, content_type=JSON)  # fmt: skip
    assert r.status_code == 422
    assert r.json()["detail"] == {
        "name": ["Paling sedikit 2 karakter."],
        "skt_date": ["Tanggal tidak valid; pakai bentuk TTTT-BB-HH, mis. 2014-09-10."],
    }
