"""Bintek services: plan rules, states, participants, attendance codes, certificates, follow-up, outcomes, files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from posyantek.core.models import AuditEvent
from posyantek.trainings import services
from posyantek.trainings.models import Attendance, Bintek, BintekStep, FollowUp, Material, Participant
from posyantek.trainings.selectors import bintek_results
from posyantek.trainings.tests.conftest import PDF, plan


def jpeg() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buf, "JPEG")
    return SimpleUploadedFile("foto.jpg", buf.getvalue(), content_type="image/jpeg")


def test_bintek_create_takes_post_region_and_is_audited(bintek, staff) -> None:
    assert bintek.region_id == "33.75.03.1004"
    assert bintek.state == "direncanakan"
    assert BintekStep.objects.filter(bintek=bintek, state="direncanakan", actor=staff).exists()
    assert AuditEvent.objects.for_object(bintek).filter(action="create", actor=staff).exists()


def test_bintek_create_refuses_negative_budget_and_bad_dates(staff, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        plan(staff, posts["wartek"], budget=-1, ends_on=dt.date(2026, 4, 1))
    assert "budget" in exc.value.message_dict
    assert "ends_on" in exc.value.message_dict
    assert not Bintek.objects.exists()


def test_bintek_create_refuses_a_post_of_too_low_role_and_a_foreign_location(viewer, staff, posts, regions) -> None:
    with pytest.raises(ValidationError) as exc:
        plan(viewer, posts["wartek"])
    assert "post" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        plan(staff, posts["wartek"], region=regions["31.71.01.1001"])
    assert "region" in exc.value.message_dict


def test_bintek_tor_must_be_a_pdf(staff, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        plan(staff, posts["wartek"], tor=jpeg())
    assert exc.value.message_dict["tor"] == ["Berkas harus PDF."]
    b = plan(staff, posts["wartek"], tor=SimpleUploadedFile("kak.pdf", PDF))
    assert b.tor.name.endswith(".pdf")


def test_stale_version_is_refused_not_overwritten(bintek, staff, officer) -> None:
    services.bintek_update(actor=officer, bintek=bintek, data={"title": "Judul baru"}, version=1)
    with pytest.raises(ValidationError) as exc:
        services.bintek_update(actor=staff, bintek=bintek, data={"title": "Judul lama"}, version=1)
    assert exc.value.code == "stale" or "sudah diubah" in " ".join(exc.value.messages)
    assert Bintek.objects.get(pk=bintek.pk).title == "Judul baru"


def test_update_by_viewer_is_denied(bintek, viewer) -> None:
    with pytest.raises(PermissionDenied):
        services.bintek_update(actor=viewer, bintek=bintek, data={"title": "x"})


def test_state_cannot_skip_or_go_back(bintek, staff) -> None:
    with pytest.raises(ValidationError) as exc:
        services.bintek_advance(actor=staff, bintek=bintek, state="dilaksanakan")
    assert "tidak boleh dilompati" in exc.value.messages[0]
    services.bintek_advance(actor=staff, bintek=bintek, state="undangan", note="Undangan lewat RW")
    with pytest.raises(ValidationError) as exc:
        services.bintek_advance(actor=staff, bintek=bintek, state="direncanakan")
    assert "tidak dapat mundur" in exc.value.messages[0]
    step = BintekStep.objects.filter(bintek=bintek, state="undangan").get()
    assert (step.actor, step.note) == (staff, "Undangan lewat RW")


def test_state_needs_what_the_step_requires(bintek, staff) -> None:
    services.bintek_advance(actor=staff, bintek=bintek, state="undangan")
    with pytest.raises(ValidationError) as exc:
        services.bintek_advance(actor=staff, bintek=bintek, state="dilaksanakan")
    assert "presensi" in exc.value.messages[0]
    assert Bintek.objects.get(pk=bintek.pk).state == "undangan"


def test_participant_numbers_phone_and_scores(bintek, staff) -> None:
    siti, kasnadi = bintek.participants.order_by("number")
    assert (siti.number, kasnadi.number, siti.phone) == (1, 2, "081211112222")
    with pytest.raises(ValidationError) as exc:
        services.participant_register(
            actor=staff, bintek=bintek, data={"name": "X", "sex": "L", "phone": "+62 812 1111 2222"}
        )
    assert "phone" in exc.value.message_dict
    for bad in (-1, 101):
        with pytest.raises(ValidationError) as exc:
            services.participant_update(actor=staff, participant=siti, data={"post_score": bad})
        assert exc.value.message_dict["post_score"] == ["Nilai harus antara 0 dan 100."]
    services.participant_update(actor=staff, participant=siti, data={"pre_score": 40, "post_score": 85}, version=1)
    with pytest.raises(ValidationError):
        services.participant_update(actor=staff, participant=siti, data={"post_score": 10}, version=1)
    assert Participant.objects.get(pk=siti.pk).post_score == 85


def test_public_registration_only_while_open(bintek) -> None:
    p = services.participant_register_public(
        bintek=bintek, data={"name": "Warsini", "sex": "P", "group": "perempuan", "phone": "0813 5555 6666"}
    )
    assert (p.number, p.source) == (3, "mandiri")
    assert AuditEvent.objects.for_object(p).filter(actor=None).exists()
    Bintek.objects.filter(pk=bintek.pk).update(registration_open=False)
    bintek.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.participant_register_public(bintek=bintek, data={"name": "Y", "sex": "P", "phone": "0813777788"})
    assert "ditutup" in exc.value.messages[0]


def test_check_in_by_phone_or_number_once(bintek, staff) -> None:
    session = services.session_open(actor=staff, bintek=bintek)
    a = services.attendance_check_in(code=session.code.lower(), who="0812-1111-2222")
    b = services.attendance_check_in(code=session.code, who="1")
    assert a.pk == b.pk
    services.attendance_check_in(code=f" {session.code} ", who="002")
    assert Attendance.objects.filter(session=session).count() == 2


def test_check_in_refuses_wrong_or_expired_code_and_unknown_person(bintek, staff) -> None:
    session = services.session_open(actor=staff, bintek=bintek, hours=2)
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(code="ZZZZZZ", who="1")
    assert exc.value.message_dict["code"][0].startswith("Kode presensi salah")
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(code=session.code, who="0899999999")
    assert "who" in exc.value.message_dict
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)), pytest.raises(ValidationError) as exc:
        services.attendance_check_in(code=session.code, who="1")
    assert "kedaluwarsa" in exc.value.message_dict["code"][0]
    assert not Attendance.objects.exists()


def test_certificate_only_for_who_attended(held, staff) -> None:
    siti = held.participants.get(number=1)
    kasnadi = held.participants.get(number=2)
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(actor=staff, participant=kasnadi)
    assert exc.value.messages == ["Kasnadi tidak tercatat hadir, jadi tidak dapat diberi sertifikat."]
    siti = services.certificate_issue(actor=staff, participant=siti)
    assert len(siti.certificate_code) == 10
    assert services.certificates_issue_all(actor=staff, bintek=held) == 0
    assert Participant.objects.get(pk=kasnadi.pk).certificate_code is None


def test_certificate_refused_before_the_bintek_is_held(bintek, staff) -> None:
    session = services.session_open(actor=staff, bintek=bintek)
    services.attendance_check_in(code=session.code, who="1")
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(actor=staff, participant=bintek.participants.get(number=1))
    assert "setelah Bintek dilaksanakan" in exc.value.messages[0]


def test_files_are_checked(held, staff) -> None:
    with pytest.raises(ValidationError) as exc:
        services.material_add(actor=staff, bintek=held, kind="materi", upload=SimpleUploadedFile("x.exe", b"MZ.."))
    assert exc.value.message_dict["file"] == ["Berkas harus PDF atau gambar (PNG, JPG, WEBP)."]
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (11 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        services.material_add(actor=staff, bintek=held, kind="materi", upload=big)
    assert "terlalu besar" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        services.material_add(actor=staff, bintek=held, kind="foto", upload=SimpleUploadedFile("x.jpg", PDF))
    services.material_add(actor=staff, bintek=held, kind="materi", upload=SimpleUploadedFile("modul.pdf", PDF))
    services.material_add(actor=staff, bintek=held, kind="foto", upload=jpeg(), caption="Praktik")
    assert Material.objects.filter(bintek=held).count() == 2
    with pytest.raises(ValidationError) as exc:
        services.bintek_report(actor=staff, bintek=held, text="", upload=jpeg())
    assert "report_file" in exc.value.message_dict


def test_followup_done_needs_evidence(held, staff) -> None:
    data = {
        "kind": "kelompok",
        "description": "Bentuk KUB",
        "owner": "RW 05",
        "target_date": dt.date(2026, 5, 1),
        "status": "selesai",
    }
    with pytest.raises(ValidationError) as exc:
        services.followup_create(actor=staff, bintek=held, data=data)
    assert "evidence_note" in exc.value.message_dict
    item = services.followup_create(actor=staff, bintek=held, data={**data, "status": "terbuka"})
    item = services.followup_update(
        actor=staff, item=item, data={"status": "selesai", "evidence_note": "SK Lurah"}, version=1
    )
    assert item.done_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.followup_update(actor=staff, item=item, data={"status": "batal"}, version=1)
    assert FollowUp.objects.get(pk=item.pk).status == "selesai"


def test_outcomes_and_results(held, staff) -> None:
    base = {"new_products": 0, "jobs": 0, "measured_on": dt.date(2026, 4, 1)}
    services.outcome_record(
        actor=staff, bintek=held, data={"month": 0, "applying": 0, "income_per_month": 1_000_000, **base}
    )
    services.outcome_record(
        actor=staff, bintek=held, data={"month": 3, "applying": 1, "income_per_month": 1_400_000, **base}
    )
    with pytest.raises(ValidationError) as exc:
        services.outcome_record(
            actor=staff, bintek=held, data={"month": 6, "applying": 5, "income_per_month": -1, **base}
        )
    assert {"applying", "income_per_month"} <= set(exc.value.message_dict)
    r = bintek_results(held)
    assert (r.participants, r.present, r.women, r.men) == (2, 1, 1, 1)
    assert r.income_change == 400_000
    assert r.latest.month == 3


def test_demo_loads_panjang_wetan_with_results(admin, posts, regions) -> None:
    import random

    from posyantek.trainings.demo import load_trainings

    n = load_trainings(admin, random.Random(1), timezone.localdate())
    assert n == 2  # Panjang Wetan, and one plan for the one DKI post of the fixtures
    b = Bintek.objects.get(region_id="33.75.03.1004")
    r = bintek_results(b)
    assert b.state == "dievaluasi"
    assert (r.participants, r.present, r.certificates) == (30, 27, 27)
    assert r.latest.month == 6 and r.income_change > 0
    assert r.followups_done == 4
    assert b.starts_on < timezone.localdate() - dt.timedelta(days=200)
    assert load_trainings(admin, random.Random(1), timezone.localdate()) == 0


def test_not_held_before_its_start_date(staff, posts) -> None:
    b = plan(staff, posts["wartek"], starts_on=timezone.localdate() + dt.timedelta(days=10),
             ends_on=timezone.localdate() + dt.timedelta(days=11))  # fmt: skip
    p = services.participant_register(actor=staff, bintek=b, data={"name": "Siti", "sex": "P", "phone": "0812111122"})
    services.bintek_advance(actor=staff, bintek=b, state="undangan")
    session = services.session_open(actor=staff, bintek=b)
    assert session.day == b.starts_on  # the nearest day of the Bintek, not today
    with pytest.raises(ValidationError):
        services.attendance_mark(actor=staff, session=session, participant=p)  # that day has not come
    with pytest.raises(ValidationError) as exc:
        services.bintek_advance(actor=staff, bintek=b, state="dilaksanakan")
    assert "baru mulai" in exc.value.message_dict["state"][0]
    assert Bintek.objects.get(pk=b.pk).state == "undangan"


def test_no_attendance_for_a_session_day_still_to_come(bintek, staff) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    Bintek.objects.filter(pk=bintek.pk).update(starts_on=timezone.localdate(), ends_on=tomorrow)
    bintek.refresh_from_db()
    session = services.session_open(actor=staff, bintek=bintek, day=tomorrow, label="Hari 2", hours=12)
    assert timezone.localtime(session.expires_at).date() == tomorrow  # the hours count from the day it is for
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(code=session.code, who="1")
    assert "presensi dibuka pada hari itu" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError):
        services.attendance_mark(actor=staff, session=session, participant=bintek.participants.get(number=1))
    assert not Attendance.objects.exists()
    morning = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(8)))
    with time_machine.travel(morning):
        assert services.attendance_check_in(code=session.code, who="1").participant.number == 1


def test_session_dates_in_history_read_as_indonesian_dates(bintek, staff) -> None:
    services.session_open(actor=staff, bintek=bintek, day=dt.date(2026, 4, 10), label="Hari 1")
    changes = AuditEvent.objects.for_object(bintek).filter(changes__has_key="sesi_presensi").get().changes
    assert changes["sesi_presensi"][1] == "10 April 2026 Hari 1"
    session = services.session_open(actor=staff, bintek=bintek)
    services.attendance_check_in(code=session.code, who="1")
    siti = bintek.participants.get(number=1)
    told = AuditEvent.objects.for_object(siti).filter(changes__has_key="kehadiran").get().changes["kehadiran"][1]
    assert "-" not in told.split("·")[1] and "2026" in told


def test_report_and_tor_that_are_not_pdf_say_pdf(held, staff) -> None:
    docx = SimpleUploadedFile("laporan.docx", b"PK\x03\x04rest-of-a-zip")
    with pytest.raises(ValidationError) as exc:
        services.bintek_report(actor=staff, bintek=held, text="", upload=docx)
    assert exc.value.message_dict["report_file"] == ["Berkas harus PDF."]
    with pytest.raises(ValidationError) as exc:
        services.bintek_update(actor=staff, bintek=held, data={"tor": jpeg()})
    assert exc.value.message_dict["tor"] == ["Berkas harus PDF."]


def test_attendance_is_final_once_the_report_is_written(held, staff) -> None:
    session = held.sessions.get()
    kasnadi = held.participants.get(number=2)
    services.bintek_report(actor=staff, bintek=held, text="Laporan")
    services.bintek_advance(actor=staff, bintek=held, state="laporan")
    with pytest.raises(ValidationError) as exc:
        services.attendance_mark(actor=staff, session=session, participant=kasnadi)
    assert "ditutup" in exc.value.message_dict["session"][0]
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(code=session.code, who="2")
    assert "ditutup" in exc.value.message_dict["code"][0]
    assert not kasnadi.attendances.exists()


def test_attendance_days_are_the_bintek_s_days_and_attendees_stay_once_reported(bintek, staff) -> None:
    with pytest.raises(ValidationError) as exc:
        services.session_open(actor=staff, bintek=bintek, day=bintek.starts_on - dt.timedelta(days=1))
    assert "tanggal Bintek ini" in exc.value.message_dict["day"][0]
    session = services.session_open(actor=staff, bintek=bintek, day=bintek.starts_on)
    p = bintek.participants.get(number=1)
    services.attendance_mark(actor=staff, session=session, participant=p)
    Bintek.objects.filter(pk=bintek.pk).update(state=Bintek.State.REPORTED)
    with pytest.raises(ValidationError) as exc:
        services.participant_remove(actor=staff, participant=Participant.objects.get(pk=p.pk))
    assert "tetap di daftar peserta" in exc.value.messages[0]
    assert Participant.objects.filter(pk=p.pk).exists()
