"""Person registry: services, pages, NIK privacy, exports and API."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import login
from posyantek.core.models import AuditEvent
from posyantek.people import services
from posyantek.people.models import Person

NIK = "3375031234567890"


@pytest.fixture
def budi(posts) -> Person:
    return Person.objects.create(name="Budi Santoso", region_id="33.75.03.1004", post=posts["wartek"], nik=NIK)


def test_person_create_by_post_staff_in_own_area(staff, posts) -> None:
    p = services.person_create(actor=staff, data={"name": "Siti", "region": "33.75.03.1004", "post": posts["wartek"]})
    ev = AuditEvent.objects.for_object(p).get()
    assert ev.actor == staff and "nik" not in ev.changes


def test_person_create_validates(officer, staff, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=officer, data={"name": "X", "region": "33.75.03.1004", "nik": "123"})
    assert "16 angka" in exc.value.message_dict["nik"][0]
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=officer, data={"name": "X", "region": "99.99"})
    assert "tidak ada" in exc.value.message_dict["region"][0]
    with pytest.raises(PermissionDenied):
        services.person_create(actor=staff, data={"name": "X", "region": "31.71.01.1001"})
    assert not Person.objects.filter(name="X").exists()


def test_person_update_masks_nik_in_history(officer, budi) -> None:
    services.person_update(actor=officer, person=budi, data={"nik": "3375039999999999"}, version=1)
    ev = AuditEvent.objects.for_object(budi).first()
    assert ev.changes["nik"] == ["•••", "•••"]


def test_person_update_stale_version(officer, budi) -> None:
    services.person_update(actor=officer, person=budi, data={"phone": "1"}, version=1)
    with pytest.raises(ValidationError):
        services.person_update(actor=officer, person=budi, data={"phone": "2"}, version=1)


def test_person_pages_access(officer, viewer, outsider, staff, budi) -> None:
    url = f"/orang/{budi.pk}/"
    assert login(officer).get(url).status_code == 200
    assert login(staff).get(url).status_code == 200
    assert login(outsider).get(url).status_code == 404
    assert login(viewer).get(url + "ubah").status_code == 403
    assert login(outsider).get(url + "ubah").status_code == 404


def test_nik_masked_for_staff_and_viewer_shown_to_officer(officer, staff, viewer, budi) -> None:
    url = f"/orang/{budi.pk}/"
    assert NIK in login(officer).get(url).content.decode()
    for user in (staff, viewer):
        html = login(user).get(url).content.decode()
        assert NIK not in html and "7890" in html


def test_person_list_search_export_without_nik(officer, staff, budi, django_assert_max_num_queries) -> None:
    c = login(officer)
    with django_assert_max_num_queries(10):
        assert "Budi Santoso" in c.get("/orang/?q=budi").content.decode()
    r = c.get("/orang/?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert "NIK" not in [c.value for c in ws[1]]
    r = c.get("/orang/?format=xlsx&nik=1")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(row=2, column=10).value == NIK
    assert login(staff).get("/orang/?format=csv&nik=1").status_code == 403
    assert NIK not in login(staff).get("/orang/?format=csv").content.decode()


def test_person_create_page_errors(officer, viewer, posts) -> None:
    c = login(officer)
    r = c.post("/orang/baru", {"name": "", "region": "33.75.02.1001", "nik": "12ab"})
    html = r.content.decode()
    assert "Kode wilayah 33.75.02.1001 tidak ada" in html and "NIK harus 16 angka" in html
    assert login(viewer).get("/orang/baru").status_code == 403


def test_api_people_scope_and_nik(officer, staff, outsider, budi) -> None:
    r = login(officer).get("/api/v1/people")
    assert [p["name"] for p in r.json()["items"]] == ["Budi Santoso"]
    assert r.json()["items"][0]["nik"] is None
    r = login(officer).get("/api/v1/people?include_nik=true")
    assert r.json()["items"][0]["nik"] == NIK
    assert login(staff).get("/api/v1/people?include_nik=true").status_code == 403
    assert login(staff).get(f"/api/v1/people/{budi.pk}?include_nik=true").status_code == 403
    assert login(outsider).get(f"/api/v1/people/{budi.pk}").status_code == 404


def test_api_people_create_and_patch(officer, viewer, budi) -> None:
    c = login(officer)
    r = c.post("/api/v1/people", {"name": "Dewi", "region_code": "33.75.03.1002"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["region_code"] == "33.75.03.1002"
    r = c.post("/api/v1/people", {"name": "Dewi", "region_code": "33.75.03.1002", "nik": "1"},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 422
    r = c.patch(f"/api/v1/people/{budi.pk}", {"phone": "0812", "version": 1}, content_type="application/json")
    assert r.status_code == 200 and r.json()["version"] == 2
    r = c.patch(f"/api/v1/people/{budi.pk}", {"phone": "0813", "version": 1}, content_type="application/json")
    assert r.status_code == 422 and "diubah orang lain" in str(r.json()["detail"])
    r = login(viewer).patch(f"/api/v1/people/{budi.pk}", {"phone": "x"}, content_type="application/json")
    assert r.status_code == 403


def test_nik_is_unique_without_telling_whose(officer, outsider, budi) -> None:
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=outsider, data={"name": "Lain", "region": "31.71.01.1001", "nik": NIK})
    assert exc.value.message_dict["nik"] == ["NIK ini sudah tercatat untuk orang lain."]


def test_person_errors_come_together(officer, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=officer, data={"name": "", "region": "99.99", "nik": "1", "email": "x"})
    assert {"name", "region", "nik", "email"} <= set(exc.value.message_dict)


def test_staff_may_not_set_a_nik_by_api_or_import(staff, budi, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=staff, data={"name": "Sri", "region": "33.75.03.1004", "post": posts["wartek"],
                                                  "nik": "3375030101900001"})  # fmt: skip
    assert "Hanya pengelola" in exc.value.message_dict["nik"][0]
    r = login(staff).patch(f"/api/v1/people/{budi.pk}", {"nik": ""}, content_type="application/json")
    assert r.status_code == 422
    assert Person.objects.get(pk=budi.pk).nik == NIK


def test_api_drops_nul_characters(officer, posts) -> None:
    r = login(officer).post("/api/v1/people", {"name": "Sri\x00 Wahyuni", "region_code": "33.75.03.1004"},
                            content_type="application/json")  # fmt: skip
    assert r.status_code == 201
    assert r.json()["name"] == "Sri Wahyuni"
    assert login(officer).get("/api/v1/people?q=%00sri").status_code == 200
