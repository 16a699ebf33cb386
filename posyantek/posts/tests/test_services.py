"""Post services: rules, scope, audit, concurrency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import add_board
from posyantek.core.models import AuditEvent
from posyantek.people.models import Person
from posyantek.posts import services
from posyantek.posts.models import Officer, Post, PostStatusChange

PDF = b"%PDF-1.4\n%uji\n"


def test_post_create_records_status_and_audit(officer, regions) -> None:
    post = services.post_create(
        actor=officer,
        data={"name": "Posyantek Barat", "kind": "antar_desa", "region": "33.75.01", "phone": "0285-1"},
        files={"sk_file": SimpleUploadedFile("sk.pdf", PDF)},
    )
    assert post.slug.startswith("posyantek-barat")
    assert post.sk_file.name.endswith(".pdf")
    assert PostStatusChange.objects.filter(post=post, status="aktif").exists()
    ev = AuditEvent.objects.for_object(post).get()
    assert ev.action == "create" and ev.actor == officer and ev.changes["phone"] == "0285-1"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "antar_desa", "region": "33"}, "region", "harus berkedudukan di kecamatan"),
        ({"kind": "wartek", "region": "33.75.03"}, "region", "harus berkedudukan di desa/kelurahan"),
        ({"kind": "antar_desa", "region": "33.75.03"}, "region", "Sudah ada Posyantek antar desa"),
        ({"kind": "antar_desa", "region": "33.75.02.1001"}, "region", "tidak ada"),
        (
            {"kind": "antar_desa", "region": "33.75.01", "skt_date": dt.date(2024, 5, 1),
             "skt_valid_until": dt.date(2024, 4, 1)},
            "skt_valid_until", "tidak boleh sebelum",
        ),
    ],
)  # fmt: skip
def test_post_create_rejects_bad_input_and_saves_nothing(officer, posts, data, field, message) -> None:
    before = Post.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.post_create(actor=officer, data={"name": "Pos Uji", **data})
    assert message in " ".join(exc.value.message_dict[field])
    assert Post.objects.count() == before
    assert not AuditEvent.objects.filter(object_repr="Pos Uji").exists()


def test_post_create_rejects_bad_file_and_saves_nothing(officer, regions) -> None:
    with pytest.raises(ValidationError) as exc:
        services.post_create(
            actor=officer,
            data={"name": "Pos Uji", "kind": "antar_desa", "region": "33.75.01"},
            files={"sk_file": SimpleUploadedFile("sk.exe", b"MZ\x90")},
        )
    assert "sk_file" in exc.value.message_dict
    assert not Post.objects.filter(name="Pos Uji").exists()


def test_post_create_outside_scope_or_too_low_role_is_refused(outsider, manager, regions, posts) -> None:
    for actor in (outsider, manager):
        with pytest.raises(PermissionDenied):
            services.post_create(actor=actor, data={"name": "X", "kind": "antar_desa", "region": "33.75.01"})


def test_post_parent_must_be_the_kecamatan_post(officer, posts, regions) -> None:
    with pytest.raises(ValidationError) as exc:
        services.post_create(
            actor=officer,
            data={"name": "Pos Pasirsari", "kind": "desa", "region": "33.75.01.1001", "parent": posts["mitra"]},
        )
    assert "kecamatan" in exc.value.message_dict["parent"][0]


def test_post_service_area_must_be_villages_of_its_kecamatan(officer, posts, regions) -> None:
    with pytest.raises(ValidationError) as exc:
        services.post_update(actor=officer, post=posts["mitra"], data={"service_area": [regions["33.75.01.1001"]]})
    assert "33.75.01.1001" in exc.value.message_dict["service_area"][0]
    services.post_update(actor=officer, post=posts["mitra"], data={"service_area": [regions["33.75.03.1004"]]})
    assert list(posts["mitra"].service_area.values_list("code", flat=True)) == ["33.75.03.1004"]


def test_post_update_audits_before_and_after(manager, posts) -> None:
    post = services.post_update(actor=manager, post=posts["mitra"], data={"phone": "0811"}, version=1)
    assert post.version == 2
    ev = AuditEvent.objects.for_object(post).first()
    assert ev.changes == {"phone": ["0285-421234", "0811"]}


def test_post_update_refuses_stale_version_and_keeps_the_newer_edit(manager, officer, posts) -> None:
    services.post_update(actor=officer, post=posts["mitra"], data={"phone": "111"}, version=1)
    with pytest.raises(ValidationError, match="sudah diubah orang lain"):
        services.post_update(actor=manager, post=posts["mitra"], data={"phone": "222"}, version=1)
    assert Post.objects.get(pk=posts["mitra"].pk).phone == "111"


def test_post_update_cannot_move_post_out_of_reach(manager, officer, posts, regions) -> None:
    with pytest.raises((ValidationError, PermissionDenied)):
        services.post_update(actor=officer, post=posts["mitra"], data={"region": "31.71.01"})
    assert Post.objects.get(pk=posts["mitra"].pk).region_id == "33.75.03"


def test_post_update_by_viewer_or_outsider_is_refused(viewer, outsider, posts) -> None:
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            services.post_update(actor=actor, post=posts["mitra"], data={"phone": "x"})


def test_post_set_status_keeps_history(officer, manager, posts) -> None:
    services.post_set_status(actor=officer, post=posts["mitra"], status="dibekukan", note="tidak aktif 2 tahun")
    assert Post.objects.get(pk=posts["mitra"].pk).status == "dibekukan"
    assert PostStatusChange.objects.filter(post=posts["mitra"], status="dibekukan").exists()
    with pytest.raises(PermissionDenied):
        services.post_set_status(actor=manager, post=posts["mitra"], status="aktif")
    with pytest.raises(ValidationError):
        services.post_set_status(actor=officer, post=posts["mitra"], status="bubar")


def test_board_term_and_officers(manager, posts) -> None:
    term = services.board_term_create(
        actor=manager, post=posts["mitra"], data={"starts_on": dt.date(2024, 1, 1), "ends_on": dt.date(2026, 12, 31)}
    )
    person = Person.objects.create(name="Slamet", region=posts["mitra"].region, post=posts["mitra"])
    officer = services.officer_add(actor=manager, term=term, data={"person": person, "position": "ketua"})
    assert AuditEvent.objects.for_object(term).filter(action="update").exists()
    services.officer_remove(actor=manager, officer=officer)
    assert not Officer.objects.filter(pk=officer.pk).exists()
    with pytest.raises(ValidationError):
        services.board_term_create(
            actor=manager, post=posts["mitra"], data={"starts_on": dt.date(2024, 1, 1), "ends_on": dt.date(2023, 1, 1)}
        )


def test_officer_add_refuses_person_outside_scope(manager, posts, regions) -> None:
    term = add_board(posts["mitra"], start=dt.date(2024, 1, 1), positions=[])
    stranger = Person.objects.create(name="Orang Jakarta", region=regions["31.71.01.1001"])
    with pytest.raises(ValidationError):
        services.officer_add(actor=manager, term=term, data={"person": stranger, "position": "anggota"})


def test_board_rules_one_holder_one_position_named_sections(manager, posts) -> None:
    term = add_board(posts["mitra"], start=dt.date(2025, 1, 1), positions=["ketua"])
    ketua = Officer.objects.get(term=term, position="ketua")
    other = Person.objects.create(name="Lain", region=posts["mitra"].region, post=posts["mitra"])
    with pytest.raises(ValidationError) as exc:
        services.officer_add(actor=manager, term=term, data={"person": other, "position": "ketua"})
    assert "sudah terisi" in exc.value.message_dict["position"][0]
    with pytest.raises(ValidationError) as exc:
        services.officer_add(actor=manager, term=term, data={"person": ketua.person, "position": "anggota"})
    assert "sudah menjadi pengurus" in exc.value.message_dict["person"][0]
    with pytest.raises(ValidationError) as exc:
        services.officer_add(actor=manager, term=term, data={"person": other, "position": "seksi_lain"})
    assert "section_name" in exc.value.message_dict
    services.officer_add(actor=manager, term=term, data={"person": other, "position": "seksi_lain",
                                                         "section_name": "Pemasaran"})  # fmt: skip


def test_board_terms_may_not_overlap(manager, posts) -> None:
    add_board(posts["mitra"], start=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.board_term_create(
            actor=manager, post=posts["mitra"], data={"starts_on": dt.date(2026, 6, 1), "ends_on": dt.date(2029, 5, 31)}
        )
    assert "Bertumpang tindih" in exc.value.message_dict["starts_on"][0]
    services.board_term_create(
        actor=manager, post=posts["mitra"], data={"starts_on": dt.date(2027, 1, 1), "ends_on": dt.date(2029, 12, 31)}
    )


def test_post_dates_may_not_be_in_the_future(officer, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        services.post_update(actor=officer, post=posts["mitra"], data={"founded_on": dt.date(2099, 1, 1)})
    assert "founded_on" in exc.value.message_dict
