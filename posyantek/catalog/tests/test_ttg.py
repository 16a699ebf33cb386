"""Technology records on the staff side: rules, photos, adoption, pipeline, publication, access."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import login
from posyantek.catalog import ttg_services as services
from posyantek.catalog.models import Ttg, TtgTerm
from posyantek.catalog.search import catalog_search
from posyantek.catalog.ttg_selectors import adoption_summary, public_ttgs
from posyantek.core.models import AuditEvent


def jpeg(name: str = "foto.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


FULL = {"sector": "perikanan", "aspect": "pangan", "problem": "Ikan asin lama kering saat musim hujan",
        "function": "Mengeringkan ikan dengan panas matahari", "how_it_works": "Udara panas dari kolektor surya",
        "price": 2_500_000}  # fmt: skip


@pytest.fixture
def dryer(manager, posts) -> Ttg:
    return services.ttg_create(actor=manager, data={"name": "Alat pengering ikan tenaga surya",
                                                    "post": posts["mitra"], **FULL})  # fmt: skip


def test_create_takes_the_post_region_and_is_audited(dryer, manager) -> None:
    assert dryer.region_id == "33.75.03"
    assert dryer.stage == "ide"
    assert dryer.publication == "draf"
    assert AuditEvent.objects.for_object(dryer).filter(action="create", actor=manager).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"price": -1}, "price"), ({"trl": 10}, "trl"), ({"trl": 0}, "trl"), ({"capacity": -5}, "capacity"),
     ({"year_made": 2999}, "year_made"), ({"name": " "}, "name")],
)  # fmt: skip
def test_bad_numbers_are_field_errors_and_change_nothing(dryer, manager, changes, field) -> None:
    with pytest.raises(ValidationError) as exc:
        services.ttg_update(actor=manager, ttg=dryer, data=changes)
    assert field in exc.value.message_dict
    assert Ttg.objects.get(pk=dryer.pk).version == 1


def test_photos_are_checked_and_cleaned(dryer, manager) -> None:
    photo = services.ttg_photo_add(actor=manager, ttg=dryer, upload=jpeg(), caption="Tampak depan")
    assert photo.thumbnail.name
    with pytest.raises(ValidationError) as exc:
        services.ttg_photo_add(actor=manager, ttg=dryer, upload=SimpleUploadedFile("x.png", b"<svg onload=x>"))
    assert "SVG" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        services.ttg_photo_add(actor=manager, ttg=dryer, upload=SimpleUploadedFile("x.jpg", b"bukan gambar"))
    assert dryer.photos.count() == 1


def test_publication_needs_complete_record_and_manager(dryer, manager, staff, posts) -> None:
    with pytest.raises(ValidationError, match="foto"):
        services.ttg_request_publication(actor=manager, ttg=dryer)
    services.ttg_photo_add(actor=manager, ttg=dryer, upload=jpeg())
    services.ttg_request_publication(actor=manager, ttg=dryer)
    assert Ttg.objects.get(pk=dryer.pk).publication == "diajukan"
    with pytest.raises(PermissionDenied):
        services.ttg_publish(actor=staff, ttg=dryer)
    services.ttg_publish(actor=manager, ttg=dryer)
    assert TtgTerm.objects.filter(ttg=dryer, term="s:ering").exists()
    assert list(public_ttgs()) == [dryer]
    found = catalog_search("pengeringan ikan")
    assert found.ids == [dryer.pk]
    services.ttg_publish(actor=manager, ttg=dryer, publish=False)
    assert not TtgTerm.objects.filter(ttg=dryer).exists()


def test_stage_and_adoption(dryer, manager, regions) -> None:
    services.ttg_set_stage(actor=manager, ttg=dryer, stage="prototipe", note="Uji di Panjang Wetan")
    assert dryer.stage_changes.count() == 2
    services.adoption_add(actor=manager, ttg=dryer, data={"region": "33.75.03.1004", "units": 3})
    services.adoption_add(actor=manager, ttg=dryer, data={"region": "31.71.01.1001", "units": 1})
    assert adoption_summary(dryer) == {"units": 4, "places": 2, "regencies": 2, "provinces": 2}
    with pytest.raises(ValidationError):
        services.adoption_add(actor=manager, ttg=dryer, data={"region": "99.99", "units": 1})
    with pytest.raises(ValidationError):
        services.ttg_set_stage(actor=manager, ttg=dryer, stage="terbang")


def test_pages_access(dryer, manager, viewer, outsider, staff) -> None:
    url = f"/ttg/{dryer.pk}/"
    assert login(viewer).get(url).status_code == 200
    assert login(outsider).get(url).status_code == 404
    assert login(viewer).get(f"/ttg/{dryer.pk}/ubah").status_code == 403
    assert login(viewer).post(f"/ttg/{dryer.pk}/foto", {"image": jpeg()}).status_code == 403
    assert login(outsider).post(f"/ttg/{dryer.pk}/tahap", {"stage": "prototipe"}).status_code == 404
    assert login(viewer).get("/ttg/baru").status_code == 403
    assert login(manager).get(f"/ttg/{dryer.pk}/tahap").status_code == 405


def test_form_flow_with_wrong_input(manager, posts) -> None:
    c = login(manager)
    r = c.post("/ttg/baru", {"name": "Perontok padi", "post": posts["mitra"].pk, "sector": "pertanian",
                             "aspect": "pangan", "kind": "alat_mesin", "source": "sendiri", "readiness": "prototipe",
                             "ip_status": "belum", "price": "-5", "trl": "12"})  # fmt: skip
    html = r.content.decode()
    assert "Ada yang perlu diperbaiki" in html
    assert not Ttg.objects.filter(name="Perontok padi").exists()
    r = c.post("/ttg/baru", {"name": "Perontok padi", "post": posts["mitra"].pk, "sector": "pertanian",
                             "aspect": "pangan", "kind": "alat_mesin", "source": "sendiri", "readiness": "prototipe",
                             "ip_status": "belum", "price": "1500000", "trl": "4"})  # fmt: skip
    ttg = Ttg.objects.get(name="Perontok padi")
    assert r.status_code == 302
    r = c.post(f"/ttg/{ttg.pk}/foto", {"image": SimpleUploadedFile("a.svg", b"<svg></svg>")}, follow=True)
    assert "SVG" in r.content.decode()
    r = c.post(f"/ttg/{ttg.pk}/publikasi/ajukan", follow=True)
    assert "lengkapi dulu" in r.content.decode().lower()
    c.post(f"/ttg/{ttg.pk}/foto", {"image": jpeg()})
    photo = ttg.photos.get()
    assert c.get(f"/ttg/{ttg.pk}/foto/{photo.pk}/kecil").status_code == 200


def test_list_budget_and_export(dryer, officer, django_assert_max_num_queries) -> None:
    c = login(officer)
    with django_assert_max_num_queries(10):
        assert "Alat pengering ikan" in c.get("/ttg/").content.decode()
    assert "Alat pengering ikan" in c.get("/ttg/?format=csv").content.decode("utf-8-sig")


def test_api_staff_and_public(dryer, manager, viewer, outsider, posts) -> None:
    json = "application/json"
    assert login(outsider).get(f"/api/v1/ttg/{dryer.pk}").status_code == 404
    assert login(viewer).patch(f"/api/v1/ttg/{dryer.pk}", {"price": 1}, content_type=json).status_code == 403
    r = login(manager).patch(f"/api/v1/ttg/{dryer.pk}", {"price": -1}, content_type=json)
    assert r.status_code == 422
    r = login(manager).patch(f"/api/v1/ttg/{dryer.pk}", {"trl": 5, "version": 1}, content_type=json)
    assert (r.status_code, r.json()["trl"]) == (200, 5)
    r = login(manager).post(f"/api/v1/ttg/{dryer.pk}/adoptions", {"region_code": "33.75.03.1004",
                            "applied_on": "2024-05-01", "units": 2}, content_type=json)  # fmt: skip
    assert r.status_code == 201
    from django.test import Client

    anon = Client()
    assert anon.get(f"/api/v1/katalog/{dryer.slug}").status_code == 404  # a draft is not public
    services.ttg_photo_add(actor=manager, ttg=dryer, upload=jpeg())
    services.ttg_publish(actor=manager, ttg=dryer)
    assert anon.get("/api/v1/katalog?q=pengering").json()["items"][0]["slug"] == dryer.slug
    public = anon.get(f"/api/v1/katalog/{dryer.slug}").json()
    # The public record says what the catalogue page says, and nothing of the post's internal workings.
    assert public["post_name"] == dryer.post.name and public["adopted_units"] == 2
    assert not {"id", "post_id", "innovator_ids", "stage", "publication", "version"} & public.keys()
    listed = anon.get("/api/v1/katalog", {"q": "pengering", "region": "33.75", "sector": dryer.sector}).json()
    assert [t["slug"] for t in listed["items"]] == [dryer.slug] and listed["count"] == 1
    assert anon.get("/api/v1/katalog", {"q": "pengering", "region": "31"}).json()["count"] == 0
    assert anon.get(f"/api/v1/katalog/{dryer.slug}/adoptions").json()[0]["units"] == 2
    assert anon.get("/api/v1/katalog?price_min=-3").status_code == 422


def test_review_fixes_region_follows_post_and_published_records_need_the_manager(
    dryer, manager, officer, staff, posts
) -> None:
    from posyantek.catalog.models import Innovator
    from posyantek.people.models import Person

    # A record moved to another post follows it (the officer oversees both Pekalongan posts).
    moved = services.ttg_update(actor=officer, ttg=dryer, data={"post": posts["wartek"]})
    assert moved.region_id == "33.75.03.1004"
    services.ttg_update(actor=officer, ttg=moved, data={"post": posts["mitra"]})
    # Once published, staff may not change it, add to it, or pull it back to "diajukan".
    services.ttg_photo_add(actor=manager, ttg=dryer, upload=jpeg())
    services.ttg_publish(actor=manager, ttg=dryer)
    dryer.refresh_from_db()
    from posyantek.accounts.models import Grant

    Grant.objects.create(user=staff, role="post_staff", post=posts["mitra"])
    staff.__dict__.pop("_grant_cache", None)
    with pytest.raises(PermissionDenied):
        services.ttg_update(actor=staff, ttg=dryer, data={"name": "Diubah staf"})
    with pytest.raises(PermissionDenied):
        services.adoption_add(actor=staff, ttg=dryer, data={"region": "33.75.03.1004", "units": 1})
    with pytest.raises(ValidationError):
        services.ttg_request_publication(actor=staff, ttg=dryer)
    assert Ttg.objects.get(pk=dryer.pk).publication == "terbit"
    # Changing only the innovators is recorded in the history.
    person = Person.objects.create(name="Kasnadi", region_id="33.75.03.1004", post=posts["mitra"])
    inv = Innovator.objects.create(kind="perorangan", person=person, post=posts["mitra"], region_id="33.75.03.1004",
                                   sector="perikanan")  # fmt: skip
    services.ttg_update(actor=manager, ttg=dryer, data={"innovators": [inv]})
    assert AuditEvent.objects.for_object(dryer).filter(changes__has_key="innovators").exists()
