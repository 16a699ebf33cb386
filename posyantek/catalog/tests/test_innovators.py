"""Innovators and their needs: services, pages, API, potential map."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import login
from posyantek.catalog import services
from posyantek.catalog.models import Innovator, Need
from posyantek.catalog.selectors import potential_map
from posyantek.core.models import AuditEvent
from posyantek.people.models import Person

JSON = "application/json"


@pytest.fixture
def slamet(posts) -> Person:
    return Person.objects.create(name="Slamet", region_id="33.75.03.1004", post=posts["mitra"])


@pytest.fixture
def innovator(manager, slamet, posts) -> Innovator:
    inv = services.innovator_create(
        actor=manager, data={"kind": "perorangan", "person": slamet, "post": posts["mitra"], "sector": "perikanan",
                             "skills": "las, pengering ikan"},
    )  # fmt: skip
    services.need_add(actor=manager, innovator=inv, data={"kind": "modal", "description": "Modal mesin pengering"})
    return inv


def test_innovator_takes_the_person_region_and_is_audited(innovator, manager) -> None:
    assert innovator.region_id == "33.75.03.1004"
    assert AuditEvent.objects.for_object(innovator).filter(action="create", actor=manager).exists()


def test_innovator_rules(manager, staff, outsider, posts, slamet, regions) -> None:
    with pytest.raises(ValidationError) as exc:
        services.innovator_create(actor=manager, data={"kind": "perorangan", "post": posts["mitra"],
                                                       "sector": "energi"})  # fmt: skip
    assert "person" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.innovator_create(actor=manager, data={"kind": "kelompok", "group_name": " ", "post": posts["mitra"],
                                                       "sector": "energi"})  # fmt: skip
    assert "group_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # the Wartek's staff cannot register under Mitra Pantura
        services.innovator_create(actor=staff, data={"kind": "perorangan", "person": slamet, "post": posts["mitra"],
                                                     "sector": "energi"})  # fmt: skip
    assert "post" in exc.value.message_dict
    stranger = Person.objects.create(name="Orang Jakarta", region_id="31.71.01.1001")
    with pytest.raises(ValidationError):
        services.innovator_create(actor=manager, data={"kind": "perorangan", "person": stranger,
                                                       "post": posts["mitra"], "sector": "energi"})  # fmt: skip


def test_group_innovator_with_members(manager, slamet, posts) -> None:
    inv = services.innovator_create(actor=manager, data={"kind": "kelompok", "group_name": "KUB Mina Pantura",
                                    "members": [slamet], "post": posts["mitra"], "sector": "pangan"})  # fmt: skip
    assert inv.region_id == "33.75.03"
    assert list(inv.members.all()) == [slamet]


def test_need_status_needs_a_helper_and_refuses_stale_versions(innovator, manager, viewer) -> None:
    need = innovator.needs.get()
    with pytest.raises(ValidationError) as exc:
        services.need_update(actor=manager, need=need, data={"status": "dibantu"})
    assert "helper" in exc.value.message_dict
    services.need_update(actor=manager, need=need, data={"status": "dibantu", "helper": "CSR bank"}, version=1)
    with pytest.raises(ValidationError):
        services.need_update(actor=manager, need=need, data={"status": "terpenuhi"}, version=1)
    with pytest.raises(PermissionDenied):
        services.need_update(actor=viewer, need=need, data={"status": "terpenuhi", "helper": "x"})


def test_potential_map_shows_the_innovator_up_the_tree_and_not_in_dki(innovator, admin, regions) -> None:
    utara = potential_map(user=admin, region=regions["33.75.03"])
    assert [(r.code, r.innovators, r.unmet) for r in utara.rows] == [("33.75.03.1004", 1, 1)]
    jateng = potential_map(user=admin, region=regions["33"])
    assert [(r.code, r.unmet, r.by_kind) for r in jateng.rows] == [("33.75", 1, {"modal": 1})]
    dki = potential_map(user=admin, region=regions["31"])
    assert (dki.rows, dki.unmet_total) == ([], 0)


def test_potential_map_is_scoped(innovator, outsider, regions) -> None:
    assert potential_map(user=outsider, region=None).innovators_total == 0


def test_pages_access_and_flow(innovator, manager, viewer, outsider, officer, slamet, posts) -> None:
    url = f"/inovator/{innovator.pk}/"
    assert "Modal mesin pengering" in login(viewer).get(url).content.decode()
    assert login(outsider).get(url).status_code == 404
    assert login(viewer).post(url, {"kind": "alat", "description": "Bengkel"}).status_code == 403
    assert login(viewer).get(f"/inovator/{innovator.pk}/ubah").status_code == 403
    assert login(viewer).get("/inovator/baru").status_code == 403
    r = login(manager).post(url, {"kind": "alat", "description": ""})
    assert "Bidang ini tidak boleh kosong" in r.content.decode() or "Jelaskan" in r.content.decode()
    r = login(manager).post(url, {"kind": "alat", "description": "Ruang bengkel las"})
    assert r.status_code == 302
    need = Need.objects.get(description="Ruang bengkel las")
    r = login(manager).post(f"/inovator/{innovator.pk}/kebutuhan/{need.pk}",
                            {"kind": "alat", "description": need.description, "status": "dibantu", "helper": "",
                             "version": 1})  # fmt: skip
    assert Need.objects.get(pk=need.pk).status == "teridentifikasi"
    assert login(outsider).post(f"/inovator/{innovator.pk}/kebutuhan/{need.pk}", {}).status_code == 404
    html = login(officer).get("/inovator/peta?wilayah=33.75.03").content.decode()
    assert "Panjang Wetan" in html
    html = login(officer).get("/inovator/?need=modal").content.decode()
    assert "Slamet" in html


def test_list_query_budget_and_export(innovator, officer, django_assert_max_num_queries) -> None:
    c = login(officer)
    with django_assert_max_num_queries(10):
        assert c.get("/inovator/").status_code == 200
    text = c.get("/inovator/?format=csv").content.decode("utf-8-sig")
    assert "Slamet" in text


def test_api(innovator, manager, viewer, outsider, slamet, posts) -> None:
    r = login(viewer).get("/api/v1/catalog/innovators")
    assert [i["name"] for i in r.json()["items"]] == ["Slamet"]
    assert r.json()["items"][0]["open_needs"] == 1
    assert login(outsider).get(f"/api/v1/catalog/innovators/{innovator.pk}").status_code == 404
    r = login(manager).post(f"/api/v1/catalog/innovators/{innovator.pk}/needs",
                            {"kind": "pasar", "description": "Pembeli di luar kota"}, content_type=JSON)  # fmt: skip
    assert r.status_code == 201
    need_id = r.json()["id"]
    r = login(viewer).patch(f"/api/v1/catalog/needs/{need_id}", {"status": "terpenuhi"}, content_type=JSON)
    assert r.status_code == 403
    r = login(manager).patch(f"/api/v1/catalog/needs/{need_id}", {"status": "dibantu", "helper": "Dinas",
                             "version": 1}, content_type=JSON)  # fmt: skip
    assert r.status_code == 200
    r = login(manager).post("/api/v1/catalog/innovators", {"kind": "perorangan", "person_id": slamet.pk,
                            "post_id": posts["mitra"].pk, "sector": "energi"}, content_type=JSON)  # fmt: skip
    assert r.status_code == 201
    r = login(manager).get("/api/v1/catalog/potential-map?region=33.75.03")
    assert r.json()["unmet_total"] == 2
    assert login(manager).get("/api/v1/catalog/potential-map?region=99").status_code == 422
