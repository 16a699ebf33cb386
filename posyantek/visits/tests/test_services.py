"""Visit services: bad input refused in Indonesian, states in order, agenda within the dates, scoped links."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import make_user
from posyantek.core.models import AuditEvent
from posyantek.core.selectors import history_for
from posyantek.partnerships.models import Agreement, Partner
from posyantek.replication.models import Kit, KitAdoption
from posyantek.visits import followups, services
from posyantek.visits.models import Visit, VisitStep
from posyantek.visits.tests.conftest import add_agenda, jpeg_bytes, make_visit


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_visit_create_records_step_token_and_audit(visit, manager) -> None:
    assert visit.state == "diminta" and visit.region_id == "33.75.03" and visit.institution_region_id == "31"
    assert len(visit.guestbook_token) >= 20 and visit.purposes == ["pendanaan", "kelembagaan"]
    assert VisitStep.objects.get(visit=visit).actor == manager
    event = AuditEvent.objects.get(object_id=str(visit.pk), action="create")
    assert event.changes["purposes"] == ["Pendanaan", "Kelembagaan dan pengelolaan"]
    other = make_visit(manager, visit.post)
    assert other.guestbook_token != visit.guestbook_token


def test_zero_visitors_and_backwards_dates_are_refused(manager, posts) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        make_visit(manager, posts["mitra"], visitors=0, ends_on=today - dt.timedelta(days=5))
    errors = _errors(exc)
    assert "paling sedikit 1" in errors["visitors"][0]
    assert errors["ends_on"] == ["Tanggal selesai tidak boleh sebelum tanggal mulai."]
    with pytest.raises(ValidationError) as exc:
        make_visit(manager, posts["mitra"], visitors=-3, title="", institution="  ", purposes=["menyanyi"])
    errors = _errors(exc)
    assert {"visitors", "title", "institution", "purposes"} <= set(errors)
    assert "menyanyi" in errors["purposes"][0]
    assert not Visit.objects.exists()


def test_create_checks_scope_of_post_other_post_and_partner(manager, staff, outsider, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        make_visit(staff, posts["mitra"])  # Wartek staff may only view Mitra Pantura
    assert "post" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        make_visit(manager, posts["mitra"], other_post=posts["dki"])  # a post outside the manager's scope
    assert _errors(exc)["other_post"] == ["Pos tidak ditemukan atau di luar cakupan Anda."]
    with pytest.raises(ValidationError) as exc:
        make_visit(manager, posts["mitra"], other_post=posts["mitra"])
    assert "sendiri" in _errors(exc)["other_post"][0]
    foreign = Partner.objects.create(post=posts["wartek"], region=posts["wartek"].region, name="BUMDes", kind="bumdes")
    with pytest.raises(ValidationError) as exc:
        make_visit(manager, posts["mitra"], partner=foreign)
    assert "partner" in _errors(exc)
    own = Partner.objects.create(
        post=posts["mitra"], region=posts["mitra"].region, name="UNIKAL", kind="perguruan_tinggi"
    )
    v = make_visit(manager, posts["mitra"], other_post=posts["wartek"], partner=own, ends_on=None)
    assert v.other_post == posts["wartek"] and v.partner == own and v.ends_on == v.starts_on


def test_request_letter_must_be_a_pdf(manager, posts) -> None:
    bad = SimpleUploadedFile("surat.pdf", jpeg_bytes(), content_type="application/pdf")
    data = {"post": posts["mitra"], "title": "A", "institution": "B", "visitors": 2, "starts_on": timezone.localdate()}
    with pytest.raises(ValidationError) as exc:
        services.visit_create(actor=manager, data=data, letter_file=bad)
    assert _errors(exc)["letter_file"] == ["Surat permohonan harus berkas PDF."]
    good = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    v = services.visit_create(actor=manager, data=data, letter_file=good)
    assert v.letter_file.name.endswith(".pdf") and v.letter_file.read().startswith(b"%PDF")


def test_update_is_version_checked_and_keeps_agenda_within_dates(visit, manager, officer) -> None:
    add_agenda(manager, visit)
    v = services.visit_update(actor=manager, visit=visit, data={"visitors": 22}, version=1)
    assert v.visitors == 22 and v.version == 2
    with pytest.raises(ValidationError) as exc:
        services.visit_update(actor=officer, visit=visit, data={"visitors": 30}, version=1)
    assert "sudah diubah orang lain" in exc.value.messages[0]
    later = visit.starts_on + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.visit_update(actor=manager, visit=visit, data={"starts_on": later}, version=2)
    assert "di luar tanggal kunjungan" in _errors(exc)["starts_on"][0]
    changes = AuditEvent.objects.filter(object_id=str(visit.pk), action="update").last().changes
    assert changes["visitors"] == [20, 22]


def test_agenda_day_and_hours_are_checked(visit, manager) -> None:
    with pytest.raises(ValidationError) as exc:
        add_agenda(manager, visit, day=visit.ends_on + dt.timedelta(days=1))
    assert "di antara" in _errors(exc)["day"][0]
    with pytest.raises(ValidationError) as exc:
        add_agenda(manager, visit, starts_at=dt.time(14, 0), ends_at=dt.time(13, 0), title="", site_region="99.99")
    errors = _errors(exc)
    assert errors["ends_at"] == ["Jam selesai harus sesudah jam mulai."]
    assert "title" in errors and "99.99" in errors["site_region"][0]
    with pytest.raises(ValidationError) as exc:
        add_agenda(manager, visit, kind="konser")
    assert "kind" in _errors(exc)
    item = add_agenda(manager, visit)
    assert item.site_region_id == "33.75.03.1004"
    single = make_visit(manager, visit.post, ends_on=None)
    with pytest.raises(ValidationError) as exc:
        add_agenda(manager, single, day=single.starts_on + dt.timedelta(days=1))
    assert "hari kunjungan" in _errors(exc)["day"][0]
    item = services.agenda_update(actor=manager, item=item, data={"title": "Lapangan", "ends_at": None})
    assert item.ends_at is None
    assert "agenda" in AuditEvent.objects.filter(object_id=str(visit.pk)).last().changes


def test_states_in_order_with_their_requirements(visit, manager) -> None:
    with pytest.raises(ValidationError) as exc:
        services.visit_advance(actor=manager, visit=visit, state="dilaksanakan")
    msg = _errors(exc)["state"][0]
    assert "dilompati" in msg and "Dijadwalkan atau Dibatalkan" in msg
    with pytest.raises(ValidationError) as exc:
        services.visit_advance(actor=manager, visit=visit, state="dijadwalkan")
    assert "satu acara" in _errors(exc)["state"][0]
    add_agenda(manager, visit)
    v = services.visit_advance(actor=manager, visit=visit, state="dijadwalkan", note="Agenda disepakati", version=1)
    assert v.state == "dijadwalkan" and v.version == 2
    with pytest.raises(ValidationError) as exc:
        services.visit_advance(actor=manager, visit=v, state="ditindaklanjuti")
    assert "Dilaksanakan atau Dibatalkan" in _errors(exc)["state"][0]
    with pytest.raises(ValidationError):
        services.visit_advance(actor=manager, visit=v, state="diminta")
    v = services.visit_advance(actor=manager, visit=v, state="dilaksanakan")
    with pytest.raises(ValidationError) as exc:
        services.visit_advance(actor=manager, visit=v, state="dibatalkan")  # too late to cancel
    assert "hanya Ditindaklanjuti" in _errors(exc)["state"][0]
    with pytest.raises(ValidationError) as exc:
        services.visit_advance(actor=manager, visit=v, state="ditindaklanjuti")
    assert "tindak lanjut" in _errors(exc)["state"][0]
    followups.follow_up_add(actor=manager, visit=v, data={"kind": "lainnya", "description": "Kirim bahan paparan"})
    v = services.visit_advance(actor=manager, visit=v, state="ditindaklanjuti")
    with pytest.raises(ValidationError) as exc:
        services.visit_advance(actor=manager, visit=v, state="dibatalkan")
    assert "tidak dapat diubah lagi" in _errors(exc)["state"][0]
    assert list(v.steps.values_list("state", flat=True)) == [
        "diminta",
        "dijadwalkan",
        "dilaksanakan",
        "ditindaklanjuti",
    ]
    assert VisitStep.objects.get(visit=v, state="dijadwalkan").note == "Agenda disepakati"


def test_held_waits_for_the_first_day_and_cancel_from_requested(manager, posts) -> None:
    future = make_visit(manager, posts["mitra"], starts_on=timezone.localdate() + dt.timedelta(days=10), ends_on=None)
    add_agenda(manager, future)
    future = services.visit_advance(actor=manager, visit=future, state="dijadwalkan")
    with pytest.raises(ValidationError) as exc:
        services.visit_advance(actor=manager, visit=future, state="dilaksanakan")
    assert "baru mulai" in _errors(exc)["state"][0]
    assert services.visit_advance(actor=manager, visit=future, state="dibatalkan").state == "dibatalkan"
    requested = make_visit(manager, posts["mitra"])
    assert services.visit_advance(actor=manager, visit=requested, state="dibatalkan").state == "dibatalkan"
    with pytest.raises(ValidationError):
        add_agenda(manager, requested)


def test_services_recheck_scope(visit, viewer, outsider) -> None:
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            services.visit_update(actor=actor, visit=visit, data={"visitors": 3})
        with pytest.raises(PermissionDenied):
            add_agenda(actor, visit)
        with pytest.raises(PermissionDenied):
            services.visit_advance(actor=actor, visit=visit, state="dibatalkan")


def test_follow_ups_need_a_held_visit_and_scoped_links(held, scheduled, manager, posts, admin) -> None:
    with pytest.raises(ValidationError) as exc:
        followups.follow_up_add(
            actor=manager, visit=make_visit(manager, posts["mitra"]), data={"kind": "lainnya", "description": "x"}
        )
    assert "setelah kunjungan dilaksanakan" in _errors(exc)["description"][0]
    theirs = Agreement.objects.create(post=posts["wartek"], region=posts["wartek"].region, title="PKS Wartek")
    ours = Agreement.objects.create(post=posts["mitra"], region=posts["mitra"].region, title="MoU UNIKAL")
    with pytest.raises(ValidationError) as exc:
        followups.follow_up_add(
            actor=manager, visit=held, data={"kind": "kerja_sama", "description": "MoU", "agreement": theirs}
        )
    assert "Mitra Pantura" in _errors(exc)["agreement"][0]
    f = followups.follow_up_add(
        actor=manager, visit=held, data={"kind": "kerja_sama", "description": "MoU", "agreement": ours, "order": None}
    )
    assert f.agreement == ours
    kit = Kit.objects.create(post=posts["mitra"], region=posts["mitra"].region, title="Kit Mitra Pantura")
    dki = KitAdoption.objects.create(
        kit=kit, region_id="31", name="Replikasi 44 kecamatan", started_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as exc:  # the DKI adoption lies outside the manager's scope
        followups.follow_up_add(
            actor=manager, visit=held, data={"kind": "replikasi", "description": "Replikasi", "adoption": dki}
        )
    assert "adoption" in _errors(exc)
    f = followups.follow_up_add(
        actor=admin,
        visit=held,
        data={"kind": "replikasi", "description": "Replikasi", "adoption": dki, "agreement": ours},
    )
    assert f.adoption == dki and f.agreement is None  # only the link of its kind is kept
    with pytest.raises(ValidationError) as exc:
        followups.follow_up_add(
            actor=manager, visit=held, data={"kind": "pesanan", "description": "Pesanan", "order_code": "ZZZ999"}
        )
    assert "ZZZ999" in _errors(exc)["order_code"][0]
    with pytest.raises(ValidationError) as exc:
        followups.follow_up_add(
            actor=manager,
            visit=held,
            data={"kind": "lainnya", "description": "x", "done_on": timezone.localdate() + dt.timedelta(1)},
        )
    assert "masa depan" in _errors(exc)["done_on"][0]


def test_return_visit_is_planned_and_linked_in_one_step(held, manager) -> None:
    later = timezone.localdate() + dt.timedelta(days=40)
    planned, f = followups.return_visit_create(actor=manager, visit=held, data={"visitors": 5, "starts_on": later})
    assert planned.direction == "keluar" and planned.institution == held.institution and planned.state == "diminta"
    assert planned.institution_region_id == "31" and planned.purposes == held.purposes
    assert planned.title.startswith("Kunjungan balasan ke") and planned.ends_on == later
    assert f.kind == "kunjungan_balasan" and f.return_visit == planned and f.due_on == later
    with pytest.raises(ValidationError) as exc:
        followups.follow_up_add(
            actor=manager, visit=held, data={"kind": "kunjungan_balasan", "description": "x", "return_visit": held}
        )
    assert "return_visit" in _errors(exc)


def test_last_agenda_item_and_last_follow_up_are_kept(held, manager) -> None:
    with pytest.raises(ValidationError) as exc:
        services.agenda_remove(actor=manager, item=held.agenda.get())
    assert "paling sedikit satu acara" in exc.value.messages[0]
    f = followups.follow_up_add(actor=manager, visit=held, data={"kind": "lainnya", "description": "Bahan paparan"})
    v = services.visit_advance(actor=manager, visit=held, state="ditindaklanjuti")
    with pytest.raises(ValidationError):
        followups.follow_up_remove(actor=manager, follow_up=f)
    f = followups.follow_up_update(actor=manager, follow_up=f, data={"done_on": timezone.localdate()})
    assert f.done_on == timezone.localdate()
    with pytest.raises(ValidationError):  # the agenda of a followed-up visit is history
        add_agenda(manager, v)


def test_photo_upload_is_checked_and_thumbnailed(scheduled, manager, visit) -> None:
    bad = SimpleUploadedFile("foto.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.photo_add(actor=manager, visit=scheduled, upload=bad)
    assert "SVG" in _errors(exc)["image"][0]
    photo = services.photo_add(actor=manager, visit=scheduled, upload=io.BytesIO(jpeg_bytes()), caption="Audiensi")
    assert photo.image.name.endswith(".jpg") and photo.thumbnail.name and photo.caption == "Audiensi"
    history = history_for(scheduled)
    assert any(row.label == "foto" and row.after == "Audiensi" for ev in history for row in ev.rows)
    services.photo_remove(actor=manager, photo=photo)
    assert not scheduled.photos.exists()


def test_requested_visit_takes_no_photo(manager, posts) -> None:
    v = make_visit(manager, posts["mitra"])
    with pytest.raises(ValidationError) as exc:
        services.photo_add(actor=manager, visit=v, upload=io.BytesIO(jpeg_bytes()))
    assert "setelah kunjungan dijadwalkan" in _errors(exc)["image"][0]


def test_a_post_staff_of_wartek_records_its_own_visit(staff, posts) -> None:
    v = make_visit(staff, posts["wartek"], institution="Kelurahan Krapyak", institution_region="33.75.03.1002")
    assert v.region_id == "33.75.03.1004"
    other = make_user("other@example.id", ("post_staff", posts["wartek"]))
    assert services.visit_update(actor=other, visit=v, data={"visitors": 4}).visitors == 4
