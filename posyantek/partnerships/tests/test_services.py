"""Partner and contact services: shape, scope, the post's own names, phones, history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from posyantek.core.models import AuditEvent
from posyantek.partnerships import services
from posyantek.partnerships.models import Partner
from posyantek.partnerships.tests.conftest import add_partner


def test_partner_create_normalises_and_audits(manager, posts) -> None:
    p = add_partner(manager, posts["mitra"], phone="0812 3456 7890", email=" Humas@UNIKAL.ac.id ",
                    website="unikal.ac.id", home_region="33.75")  # fmt: skip
    assert p.region_id == posts["mitra"].region_id and p.home_region_id == "33.75"
    assert p.phone == "6281234567890" and p.phone_display == "0812-3456-7890"
    assert p.email == "humas@unikal.ac.id" and p.website == "https://unikal.ac.id"
    event = AuditEvent.objects.for_object(p).get()
    assert event.action == "create" and event.changes["name"] == "Universitas Pekalongan (UNIKAL)"


def test_partner_keeps_a_landline_and_refuses_nonsense(manager, posts) -> None:
    assert add_partner(manager, posts["mitra"], phone="(0285) 421234").phone == "(0285) 421234"
    with pytest.raises(ValidationError) as exc:
        add_partner(manager, posts["mitra"], "CV Lain", phone="telp kantor", email="bukan-email", kind="x",
                    home_region="99.99", website="http://")  # fmt: skip
    errors = exc.value.message_dict
    assert set(errors) == {"phone", "email", "kind", "home_region", "website"}
    assert "tidak dikenal" in errors["phone"][0] and "Kode wilayah 99.99 tidak ada" in errors["home_region"][0]


def test_partner_name_is_unique_per_post_whatever_the_case(manager, officer, posts) -> None:
    add_partner(manager, posts["mitra"])
    with pytest.raises(ValidationError) as exc:
        add_partner(manager, posts["mitra"], "universitas pekalongan (unikal)")
    assert "sudah ada" in exc.value.message_dict["name"][0]
    assert add_partner(officer, posts["wartek"]).post == posts["wartek"]  # another post may have its own


def test_partner_scope_and_roles(manager, staff, viewer, outsider, posts) -> None:
    for actor in (viewer, outsider, staff):  # staff works for the Wartek, not for Mitra Pantura
        with pytest.raises(ValidationError) as exc:
            add_partner(actor, posts["mitra"])
        assert "post" in exc.value.message_dict
    p = add_partner(manager, posts["mitra"])
    with pytest.raises(PermissionDenied):
        services.partner_update(actor=viewer, partner=p, data={"name": "X"})
    with pytest.raises(PermissionDenied):
        services.contact_add(actor=outsider, partner=p, data={"name": "X"})


def test_other_post_only_for_kind_posyantek_lain(manager, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        add_partner(manager, posts["mitra"], "Posyantek Gambir", kind="perguruan_tinggi", other_post=posts["dki"])
    assert "Posyantek lain" in exc.value.message_dict["other_post"][0]
    with pytest.raises(ValidationError):
        add_partner(manager, posts["mitra"], "Diri sendiri", kind="posyantek_lain", other_post=posts["mitra"])
    p = add_partner(manager, posts["mitra"], "Posyantek Gambir", kind="posyantek_lain", other_post=posts["dki"])
    assert p.other_post == posts["dki"]


def test_partner_update_version_and_history(manager, officer, posts) -> None:
    p = add_partner(manager, posts["mitra"])
    p = services.partner_update(actor=manager, partner=p, data={"address": "Jl. Sriwijaya 3"}, version=1)
    assert p.version == 2
    with pytest.raises(ValidationError) as exc:
        services.partner_update(actor=officer, partner=p, data={"address": "lama"}, version=1)
    assert exc.value.code == "stale"
    changes = AuditEvent.objects.for_object(p).filter(action="update").get().changes
    assert changes == {"address": ["", "Jl. Sriwijaya 3"]}


def test_partner_that_is_a_party_stays_with_its_post(manager, officer, posts, signed, unikal) -> None:
    with pytest.raises(ValidationError) as exc:
        services.partner_update(actor=officer, partner=unikal, data={"post": posts["wartek"]})
    assert "pihak kerja sama" in exc.value.message_dict["post"][0]


def test_contacts_add_change_remove_with_history(manager, posts) -> None:
    p = add_partner(manager, posts["mitra"])
    with pytest.raises(ValidationError) as exc:
        services.contact_add(actor=manager, partner=p, data={"name": " ", "phone": "12"})
    assert set(exc.value.message_dict) == {"name", "phone"}
    c = services.contact_add(actor=manager, partner=p, data={"name": "Dr. Sri Wahyuni", "position": "Ketua LPPM",
                                                             "phone": "081234567890"})  # fmt: skip
    c = services.contact_update(actor=manager, contact=c, data={"email": "lppm@unikal.ac.id"})
    assert c.email == "lppm@unikal.ac.id" and c.phone == "6281234567890"
    services.contact_remove(actor=manager, contact=c)
    assert not p.contacts.exists()
    rows = [e.changes["kontak"] for e in AuditEvent.objects.for_object(p).filter(action="update").order_by("pk")]
    assert rows[0] == [None, "Dr. Sri Wahyuni (Ketua LPPM) · 0812-3456-7890"]
    assert rows[1][1].endswith("lppm@unikal.ac.id") and rows[2][1] is None
    assert Partner.objects.get(pk=p.pk).version == 1  # contacts do not bump the partner's version


def test_partner_history_shows_the_phone_as_people_read_it(manager, posts) -> None:
    p = add_partner(manager, posts["mitra"], phone="+62 812-3456-7890")
    assert p.phone == "6281234567890"  # stored for wa.me links
    created = AuditEvent.objects.for_object(p).get()
    assert created.changes["phone"] == "0812-3456-7890"
    services.partner_update(actor=manager, partner=p, data={"phone": "0813 1111 2222"})
    assert AuditEvent.objects.for_object(p).first().changes["phone"] == ["0812-3456-7890", "0813-1111-2222"]
