"""Regions: the loader, the pages and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from posyantek.regions.models import Region


@pytest.mark.django_db
def test_load_regions_loads_the_whole_tree_and_is_idempotent() -> None:
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = {lvl: Region.objects.filter(level=lvl).count() for lvl in (1, 2, 3, 4)}
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    pw = Region.objects.get(code="33.75.03.1004")
    assert (pw.name, pw.kind, pw.postal_code, pw.parent_id) == ("Panjang Wetan", "kelurahan", "51141", "33.75.03")
    assert Region.objects.get(code="33.75").kind == "kota"
    assert Region.objects.get(code="33.25").kind == "kabupaten"
    assert not Region.objects.filter(code="33.75.02.1001").exists()
    from posyantek.regions.services import regions_load

    again = regions_load()
    assert (again.created, again.updated) == (0, 0)
    assert Region.objects.count() == 91599


def test_region_page_shows_breadcrumb_children_and_posts(regions: dict, posts: dict, client: Client) -> None:
    r = client.get("/wilayah/33.75.03/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Kota Pekalongan" in html and "Jawa Tengah" in html  # breadcrumb
    assert "Panjang Wetan" in html and "Krapyak" in html  # children
    assert "Posyantek Mitra Pantura" in html and "Wartek Panjang Wetan" in html  # posts in subtree
    assert "Posyantek Gambir" not in html


def test_region_page_htmx_returns_posts_fragment(regions: dict, posts: dict, client: Client) -> None:
    r = client.get("/wilayah/33.75/", headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert b"<html" not in r.content
    assert b"Posyantek Mitra Pantura" in r.content


def test_region_page_unknown_code_is_404(regions: dict, client: Client) -> None:
    assert client.get("/wilayah/33.75.02.1001/").status_code == 404


def test_region_page_query_budget(
    regions: dict, posts: dict, client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        assert client.get("/wilayah/33/").status_code == 200


def test_region_find_suggests_by_name_and_code(regions: dict, client: Client) -> None:
    r = client.get("/wilayah/cari?q=panjang", headers={"HX-Request": "true"})
    assert b"Panjang Wetan" in r.content and b"<html" not in r.content
    r = client.get("/wilayah/cari?q=33.75.03")
    assert r.status_code == 302 or b"Pekalongan Utara" in r.content
    r = client.get("/wilayah/cari?q=33.75.03.1004")
    assert r.status_code == 302 and r["Location"] == "/wilayah/33.75.03.1004/"
    r = client.get("/wilayah/cari?q=tidakada", headers={"HX-Request": "true"})
    assert "Tidak ada wilayah" in r.content.decode()


def test_api_region_detail(regions: dict, client: Client) -> None:
    r = client.get("/api/v1/regions/33.75.03.1004")
    assert r.status_code == 200
    assert r.json() == {
        "code": "33.75.03.1004",
        "name": "Panjang Wetan",
        "level": "desa_kelurahan",
        "kind": "kelurahan",
        "parent_code": "33.75.03",
        "postal_code": "51141",
    }
    assert client.get("/api/v1/regions/99.99").status_code == 404


def test_api_region_list_by_parent_and_query(regions: dict, client: Client) -> None:
    r = client.get("/api/v1/regions", {"parent": "33.75", "q": "utara"})
    assert [i["code"] for i in r.json()["items"]] == ["33.75.03"]
    r = client.get("/api/v1/regions")
    assert {i["code"] for i in r.json()["items"]} == {"31", "33"}
    assert client.get("/api/v1/regions", {"level": 9}).status_code == 422
