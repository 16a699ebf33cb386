"""Dashboard API: the same figures and scope as the pages; 404 out of scope, 403 without any grant."""

from __future__ import annotations

import pytest

from conftest import login
from posyantek.dashboards.selectors import current_year

from .fixtures import REQUESTS

API = "/api/v1/dasbor"


def test_nation_figures_and_provinces(dash, admin) -> None:
    data = login(admin).get(f"{API}/nasional").json()
    assert data["year"] == current_year() and data["code"] == ""
    assert data["figures"]["requests_received"] == sum(REQUESTS.values())
    assert data["figures"]["posts_total"] == len(REQUESTS)
    assert [c["code"] for c in data["children"]] == ["31", "32", "33"]  # sorted by name: DKI, Jawa Barat, Jawa Tengah
    assert data["refreshed_at"] and data["dirty_posts"] == 0
    assert current_year() in data["years"]
    assert login(admin).get(f"{API}/nasional?tahun=0").json()["year"] == 0


def test_region_figures_children_and_posts_here(dash, officer) -> None:
    c = login(officer)
    data = c.get(f"{API}/wilayah/33.75").json()
    assert data["name"] == "Kota Pekalongan"
    assert [x["code"] for x in data["children"]] == ["33.75.01", "33.75.03"]
    assert [x["name"] for x in data["posts_here"]] == ["Posyantek Kota Pekalongan"]
    assert data["figures"]["requests_received"] == 18
    assert data["breadcrumb"][0] == {"label": "Nasional", "url": None}
    assert data["breadcrumb"][-1]["url"] == "/dasbor/wilayah/33.75/"
    kec = c.get(f"{API}/wilayah/33.75.03").json()
    assert {x["name"] for x in kec["posts_here"]} == {"Posyantek Mitra Pantura", "Wartek Panjang Wetan"}


def test_region_posts_sorted_and_paginated(dash, officer) -> None:
    c = login(officer)
    data = c.get(f"{API}/wilayah/33.75/pos?urut=requests_received&arah=turun&limit=2").json()
    assert data["count"] == 5
    assert [x["slug"] for x in data["items"]] == ["kota-pekalongan", "mitra-pantura"]
    assert data["items"][0]["figures"]["requests_received"] == 7
    data = c.get(f"{API}/wilayah/33.75/pos?urut=requests_received&arah=turun&limit=2&offset=4").json()
    assert [x["slug"] for x in data["items"]] == ["wartek-pasirsari"]
    assert c.get(f"{API}/wilayah/33.75/pos?limit=1000").status_code == 422


def test_post_figures_and_years(dash, manager) -> None:
    mitra = dash["mitra-pantura"]
    data = login(manager).get(f"{API}/pos/{mitra.pk}").json()
    assert data["slug"] == "mitra-pantura" and data["figures"]["requests_received"] == 5
    assert data["figures"]["posts_total"] == 1 and data["figures"]["posts_active"] in (0, 1)
    assert [r["code"] for r in data["by_year"]] == [str(current_year())]


def test_outsider_gets_404(dash, outsider) -> None:
    c = login(outsider)
    for path in [
        "/nasional",
        "/wilayah/33",
        "/wilayah/33.75",
        "/wilayah/33.75/pos",
        f"/pos/{dash['mitra-pantura'].pk}",
    ]:
        assert c.get(API + path).status_code == 404, path
    assert c.get(f"{API}/wilayah/31").status_code == 200
    assert c.get(f"{API}/pos/{dash['gambir'].pk}").status_code == 200


@pytest.mark.parametrize("persona", ["officer", "viewer", "manager"])
def test_lower_grants_do_not_reach_the_nation(dash, persona, request) -> None:
    c = login(request.getfixturevalue(persona))
    assert c.get(f"{API}/nasional").status_code == 404
    assert c.get(f"{API}/wilayah/33").status_code == 404
    expected = 404 if persona == "manager" else 200
    assert c.get(f"{API}/wilayah/33.75").status_code == expected
    assert c.get(f"{API}/wilayah/33.75/pos").status_code == expected


def test_user_without_grants_gets_403(dash, judge) -> None:
    c = login(judge)
    for path in ["/nasional", "/wilayah/33.75", "/wilayah/33.75/pos", f"/pos/{dash['mitra-pantura'].pk}"]:
        response = c.get(API + path)
        assert response.status_code == 403, path
        assert response.json()["detail"]


def test_anonymous_gets_401_and_bad_input_422_or_404(dash, client, admin) -> None:
    assert client.get(f"{API}/nasional").status_code == 401
    c = login(admin)
    assert c.get(f"{API}/nasional?tahun=abc").status_code == 422
    assert c.get(f"{API}/nasional?tahun=3000").status_code == 422
    assert c.get(f"{API}/wilayah/33.75.03.1004").status_code == 404  # villages have no dashboard
    assert c.get(f"{API}/wilayah/x%00").status_code == 404
    assert c.get(f"{API}/pos/999999").status_code == 404


def test_schema_documents_the_errors(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/dasbor/nasional", "/api/v1/dasbor/wilayah/{code}", "/api/v1/dasbor/wilayah/{code}/pos",
                 "/api/v1/dasbor/pos/{post_id}"]:  # fmt: skip
        responses = paths[path]["get"]["responses"]
        assert {"200", "401", "403", "404", "422"} <= set(responses), path


def test_payloads_are_kept_per_user_until_the_figures_are_refreshed(
    dash, officer, admin, django_capture_on_commit_callbacks
) -> None:
    from django.core.cache import cache
    from django.test import override_settings

    from posyantek.dashboards.refresh import refresh_posts

    from .fixtures import add_requests

    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True):
        city, nation = login(officer), login(admin)
        before = city.get(f"{API}/wilayah/33.75").json()["figures"]["requests_received"]
        assert city.get(f"{API}/wilayah/33.75").json()["figures"]["requests_received"] == before
        # The officer's kept answer is not another user's: the officer still gets 404 on the nation.
        assert nation.get(f"{API}/nasional").status_code == 200
        assert city.get(f"{API}/nasional").status_code == 404
        add_requests(dash["mitra-pantura"], 2)
        with django_capture_on_commit_callbacks(execute=True):
            refresh_posts([dash["mitra-pantura"].pk])
        assert city.get(f"{API}/wilayah/33.75").json()["figures"]["requests_received"] == before + 2
    cache.clear()
