"""Service requests: intake, routing, workflow rules, overdue, median, notifications, rating once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from conftest import make_user
from posyantek.consultations import notify, services
from posyantek.consultations.models import MonitoringCheck, RequestPhoto, ServiceRequest, StateChange
from posyantek.consultations.selectors import (
    needs_map,
    overdue,
    post_for_region_unscoped,
    service_stats,
    ttg_suggestions,
)
from posyantek.core.lib.phone import display_phone, normalize_phone
from posyantek.core.models import AuditEvent

from .conftest import jpeg


def submit(data: dict, ip: str = "10.0.0.1", **kw) -> ServiceRequest:
    return services.request_submit(data=data, ip=ip, **kw)


def triage(req: ServiceRequest, actor, handler=None, **kw) -> ServiceRequest:
    return services.request_transition(actor=actor, request=req, to_state="ditelaah", service_type="teknis",
                                       section="seksi_pelayanan", handler=handler or actor, **kw)  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [
    ("0812-3456-7890", "6281234567890"), ("+62 812 3456 7890", "6281234567890"), ("6281234567890", "6281234567890"),
    ("(0812) 345.678", "62812345678"), ("0285-421234", None), ("+1 202 555 0100", None), ("08123", None), ("", None),
    ("0812345678901234", None),
])  # fmt: skip
def test_phone_normalize(text, expected) -> None:
    assert normalize_phone(text) == expected


def test_phone_display() -> None:
    assert display_phone("6281234567890") == "0812-3456-7890"


def test_submit_routes_to_the_nearest_post_and_gives_a_code(public_data, posts) -> None:
    req = submit(public_data)
    assert req.post == posts["wartek"]  # seated in Panjang Wetan itself: nearer than Mitra Pantura
    assert req.phone == "6281234567890" and req.channel == "online" and req.state == "diterima"
    assert len(req.code) == 10 and not set(req.code) & set("01OI")
    assert StateChange.objects.filter(request=req, to_state="diterima", from_state="").count() == 1
    assert AuditEvent.objects.for_object(req).filter(action="create").exists()
    assert req.due_at is not None


def test_routing_uses_service_area_and_skips_inactive_posts(regions, posts) -> None:
    assert post_for_region_unscoped(regions["33.75.03.1002"]) == posts["mitra"]  # Krapyak: under the kecamatan seat
    assert post_for_region_unscoped(regions["33.75.01.1001"]) is None  # Pasirsari: no post covers it
    posts["dki"].service_area.add(regions["33.75.01.1001"])
    assert post_for_region_unscoped(regions["33.75.01.1001"]) == posts["dki"]
    type(posts["wartek"]).objects.filter(pk=posts["wartek"].pk).update(status="tidak_aktif")
    assert post_for_region_unscoped(regions["33.75.03.1004"]) == posts["mitra"]


def test_unrouted_request_is_seen_only_by_region_officers(public_data, officer, manager, outsider) -> None:
    req = submit({**public_data, "region": "33.75.01.1001"})
    assert req.post is None
    assert ServiceRequest.objects.for_user(officer, "view").filter(pk=req.pk).exists()
    assert not ServiceRequest.objects.for_user(manager, "view").filter(pk=req.pk).exists()
    assert not ServiceRequest.objects.for_user(outsider, "view").filter(pk=req.pk).exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"phone": "", "email": ""}, "phone"),
    ({"phone": "+1 202 555 0100"}, "phone"),
    ({"email": "bukan-email", "phone": ""}, "email"),
    ({"description": "ikan"}, "description"),
    ({"region": "33.75"}, "region"),
    ({"region": "99.99.99.9999"}, "region"),
    ({"requester_name": " "}, "requester_name"),
])  # fmt: skip
def test_submit_refuses_bad_input_and_saves_nothing(public_data, change, field) -> None:
    with pytest.raises(ValidationError) as exc:
        submit({**public_data, **change})
    assert field in exc.value.message_dict
    assert ServiceRequest.objects.count() == 0


def test_submit_with_only_an_email_is_fine(public_data) -> None:
    req = submit({**public_data, "phone": "", "email": "Sri@Example.ID"})
    assert (req.phone, req.email) == ("", "sri@example.id")


def test_photos_are_cleaned_and_bad_ones_refuse_the_whole_request(public_data, settings) -> None:
    req = submit(public_data, photos=[jpeg(), jpeg("b.jpg")])
    assert req.photos.count() == 2
    svg = SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', content_type="image/svg+xml")
    text = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024 + 1), content_type="image/jpeg")
    for bad in (svg, text, big):
        with pytest.raises(ValidationError) as exc:
            submit({**public_data, "phone": "0813-1111-2222"}, ip="10.0.0.2", photos=[jpeg(), bad])
        assert "photos" in exc.value.message_dict
    assert ServiceRequest.objects.count() == 1 and RequestPhoto.objects.count() == 2
    with pytest.raises(ValidationError):
        submit(public_data, ip="10.0.0.3", photos=[jpeg(), jpeg(), jpeg(), jpeg()])


def test_rate_limit_per_address_and_per_phone(public_data, settings) -> None:
    settings.CONSULTATION_RATE_LIMITS = {"ip": (3, 3600), "phone": (2, 86400)}
    submit(public_data, ip="10.1.1.1")
    submit(public_data, ip="10.1.1.2")
    with pytest.raises(services.RateLimited, match="Nomor ini"):
        submit(public_data, ip="10.1.1.3")
    for n in range(3):
        submit({**public_data, "phone": f"0812-0000-000{n}"}, ip="10.9.9.9")
    with pytest.raises(services.RateLimited, match="alamat Anda"):
        submit({**public_data, "phone": "0812-0000-0009"}, ip="10.9.9.9")
    assert ServiceRequest.objects.count() == 5


def test_staff_create_needs_a_post_of_theirs_and_a_channel(manager, staff, viewer, posts, regions) -> None:
    data = {"post": posts["mitra"], "channel": "datang_langsung", "requester_name": "Pak Darsono",
            "phone": "081234567890", "region": regions["33.75.03.1002"],
            "description": "Butuh alat pengasapan ikan yang hemat"}  # fmt: skip
    req = services.request_create(actor=manager, data=data)
    assert (req.post, req.channel) == (posts["mitra"], "datang_langsung")
    with pytest.raises(ValidationError) as exc:
        services.request_create(actor=staff, data=data)  # the Wartek's staff cannot record for Mitra Pantura
    assert "post" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.request_create(actor=viewer, data=data)
    with pytest.raises(ValidationError) as exc:
        services.request_create(actor=manager, data={**data, "channel": "merpati"})
    assert "channel" in exc.value.message_dict


def test_workflow_refuses_a_skipped_step_with_a_clear_message(public_data, staff) -> None:
    req = submit(public_data)
    with pytest.raises(ValidationError) as exc:
        services.request_transition(actor=staff, request=req, to_state="penerapan")
    assert "Tidak dapat langsung dari «Diterima» ke «Penerapan»" in exc.value.messages[0]
    assert "Ditelaah" in exc.value.messages[0]
    req.refresh_from_db()
    assert req.state == "diterima" and req.steps.count() == 1


def test_triage_needs_service_section_and_a_handler_of_the_post(public_data, staff, manager, officer) -> None:
    req = submit(public_data)
    with pytest.raises(ValidationError) as exc:
        services.request_transition(actor=staff, request=req, to_state="ditelaah")
    assert {"service_type", "section", "handler"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:  # Mitra's manager may only look at the Wartek
        triage(req, staff, handler=manager)
    assert "handler" in exc.value.message_dict
    req = triage(req, staff, handler=officer, note="Seksi pelayanan menangani")
    assert (req.state, req.handler, req.service_type) == ("ditelaah", officer, "teknis")
    step = req.steps.get(to_state="ditelaah")
    assert (step.from_state, step.actor, step.note) == ("diterima", staff, "Seksi pelayanan menangani")


def test_viewer_and_outsider_cannot_move_a_request(public_data, viewer, outsider, manager) -> None:
    req = submit(public_data)
    for who in (viewer, outsider, manager):  # manager of Mitra only views the Wartek's requests
        with pytest.raises(PermissionDenied):
            triage(req, who)


def test_stale_version_is_refused_not_overwritten(public_data, staff) -> None:
    req = submit(public_data)
    services.request_update(actor=staff, request=req, data={"commodity": "ikan teri"}, version=1)
    with pytest.raises(ValidationError, match="sudah diubah orang lain"):
        services.request_update(actor=staff, request=req, data={"commodity": "ikan tongkol"}, version=1)
    with pytest.raises(ValidationError, match="sudah diubah orang lain"):
        triage(req, staff, version=1)
    req.refresh_from_db()
    assert (req.commodity, req.state, req.version) == ("ikan teri", "diterima", 2)


def test_recommendation_from_catalogue_suggestions(public_data, staff, fish_dryer) -> None:
    req = triage(submit(public_data), staff)
    suggestions = ttg_suggestions(req)
    assert suggestions[0].ttg == fish_dryer and suggestions[0].same_sector
    with pytest.raises(ValidationError) as exc:
        services.request_transition(actor=staff, request=req, to_state="rekomendasi")
    assert "ttgs" in exc.value.message_dict
    req = services.request_transition(actor=staff, request=req, to_state="rekomendasi", ttgs=[fish_dryer])
    assert list(req.recommended.all()) == [fish_dryer]


def test_unpublished_ttg_cannot_be_recommended(public_data, staff, manager, posts) -> None:
    from posyantek.catalog import ttg_services

    draft = ttg_services.ttg_create(actor=manager, data={"name": "Draf", "post": posts["mitra"], "sector": "energi",
                                                         "aspect": "energi"})  # fmt: skip
    req = triage(submit(public_data), staff)
    with pytest.raises(ValidationError) as exc:
        services.request_transition(actor=staff, request=req, to_state="rekomendasi", ttgs=[draft.pk])
    assert "ttgs" in exc.value.message_dict


def test_full_path_with_monitoring_checkins_then_done(public_data, staff, fish_dryer, settings) -> None:
    start = timezone.now() - dt.timedelta(days=400)
    req = submit(public_data)
    type(req).objects.filter(pk=req.pk).update(state_since=start, received_at=start)
    StateChange.objects.filter(request=req).update(at=start)
    req.refresh_from_db()
    t = lambda days: start + dt.timedelta(days=days)  # noqa: E731
    req = triage(req, staff, at=t(1))
    req = services.request_transition(actor=staff, request=req, to_state="asesmen_lapangan", at=t(3))
    req = services.request_transition(actor=staff, request=req, to_state="rekomendasi", ttgs=[fish_dryer], at=t(5))
    req = services.request_transition(actor=staff, request=req, to_state="penerapan", at=t(10))
    with pytest.raises(ValidationError):  # done straight after deployment skips monitoring
        services.request_transition(actor=staff, request=req, to_state="selesai", result="ok", at=t(11))
    req = services.request_transition(actor=staff, request=req, to_state="pemantauan", at=t(12))
    checks = list(req.checks.order_by("months"))
    assert [c.months for c in checks] == [1, 3, 6]
    assert checks[0].due_on == (t(10) + dt.timedelta(days=31)).date() or checks[0].due_on.month != t(10).month
    assert req.due_at is not None and overdue(ServiceRequest.objects.filter(pk=req.pk)).exists()
    with pytest.raises(ValidationError, match="pemantauan"):
        services.request_transition(actor=staff, request=req, to_state="selesai", result="ok")
    for check in checks:
        services.check_record(actor=staff, check=check, note="Alat dipakai setiap hari", done_on=check.due_on)
    req.refresh_from_db()
    assert req.due_at is None
    with pytest.raises(ValidationError) as exc:
        services.request_transition(actor=staff, request=req, to_state="selesai")
    assert "result" in exc.value.message_dict
    req = services.request_transition(actor=staff, request=req, to_state="selesai", result="Dipakai kelompok")
    assert req.closed_at is not None and req.due_at is None
    assert [s.to_state for s in req.steps.all()] == ["diterima", "ditelaah", "asesmen_lapangan", "rekomendasi",
                                                     "penerapan", "pemantauan", "selesai"]  # fmt: skip
    with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
        services.request_transition(actor=staff, request=req, to_state="dibatalkan", note="x")
    assert MonitoringCheck.objects.filter(request=req, done_on__isnull=False).count() == 3


def test_referral_then_done_and_cancel_needs_a_reason(public_data, staff) -> None:
    req = triage(submit(public_data), staff)
    with pytest.raises(ValidationError) as exc:
        services.request_transition(actor=staff, request=req, to_state="dirujuk")
    assert {"referral_kind", "referral_to"} <= set(exc.value.message_dict)
    req = services.request_transition(actor=staff, request=req, to_state="dirujuk", referral_kind="perguruan_tinggi",
                                      referral_to="Universitas Pekalongan")  # fmt: skip
    req = services.request_transition(actor=staff, request=req, to_state="selesai", result="Ditangani kampus")
    assert req.state == "selesai"
    other = submit({**public_data, "phone": "0813-2222-3333"})
    with pytest.raises(ValidationError) as exc:
        services.request_transition(actor=staff, request=other, to_state="dibatalkan")
    assert "note" in exc.value.message_dict
    assert services.request_transition(actor=staff, request=other, to_state="dibatalkan", note="batal").is_final


def test_rating_once_and_only_at_the_end(public_data, staff) -> None:
    req = submit(public_data)
    with pytest.raises(ValidationError, match="setelah permohonan selesai"):
        services.request_rate(request=req, rating=5)
    req = triage(req, staff)
    req = services.request_transition(actor=staff, request=req, to_state="ditutup_tanpa_solusi", result="Tidak ada")
    with pytest.raises(ValidationError):
        services.request_rate(request=req, rating=6)
    req = services.request_rate(request=req, rating=4, comment="Petugas ramah")
    assert (req.rating, req.rating_comment) == (4, "Petugas ramah")
    with pytest.raises(ValidationError, match="sudah dinilai"):
        services.request_rate(request=req, rating=1)
    req.refresh_from_db()
    assert req.rating == 4


def test_overdue_and_median_days(public_data, staff, officer) -> None:
    old = submit(public_data)
    fresh = submit({**public_data, "phone": "0813-2222-3333"})
    long_ago = timezone.now() - dt.timedelta(days=20)
    ServiceRequest.objects.filter(pk=old.pk).update(received_at=long_ago, state_since=long_ago,
                                                    due_at=long_ago + dt.timedelta(days=2))  # fmt: skip
    assert list(overdue(ServiceRequest.objects.all())) == [old]
    for req in (old, fresh):
        req.refresh_from_db()
        req = triage(req, staff)
        req = services.request_transition(actor=staff, request=req, to_state="dirujuk", referral_kind="bumdes",
                                          referral_to="BUMDes")  # fmt: skip
        services.request_transition(actor=staff, request=req, to_state="selesai", result="ok")
    stats = service_stats(ServiceRequest.objects.for_user(officer, "view"))
    assert (stats.resolved, stats.overdue, stats.open) == (2, 0, 0)
    assert stats.median_days == pytest.approx(10.0, abs=0.1)


def test_new_request_mails_the_post_and_overdue_command_mails_the_handler(
    public_data, staff, officer, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        req = submit(public_data)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staff@example.id"]
    assert req.display_code in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        unrouted = submit({**public_data, "region": "33.75.01.1001", "phone": "0813-2222-3333"})
    assert mail.outbox[1].to == ["officer@example.id"]  # no post: the city officer hears of it
    with django_capture_on_commit_callbacks(execute=True):
        triage(req, staff, handler=officer)
    assert mail.outbox[2].to == ["officer@example.id"]
    past = timezone.now() - dt.timedelta(days=30)
    ServiceRequest.objects.update(due_at=past)
    mail.outbox.clear()
    call_command("notify_overdue_requests", "--dry-run")
    assert mail.outbox == []
    call_command("notify_overdue_requests")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["officer@example.id"]
    body = mail.outbox[0].body
    assert req.display_code in body and unrouted.display_code in body


def test_whatsapp_click_to_chat_and_pluggable_notifier(public_data, staff, settings) -> None:
    req = submit(public_data)
    notice = notify.requester_notice(req, "Petugas akan datang Senin.")
    assert notice.url.startswith("https://wa.me/6281234567890?text=")
    assert "Diterima" in notice.text and req.get_tracking_url() in notice.text and not notice.sent
    settings.CONSULTATION_NOTIFIER = "posyantek.consultations.tests.test_services.FakeGateway"
    assert notify.requester_notice(req).sent


class FakeGateway:
    def notify_requester(self, request, text):
        return notify.Notice(text=text, sent=True)


def test_needs_map_by_area_sector_and_commodity(public_data, officer, manager, outsider, regions) -> None:
    submit(public_data)
    submit({**public_data, "region": "33.75.03.1002", "phone": "0813-2222-3333", "sector": "pangan",
            "commodity": "Singkong"})  # fmt: skip
    m = needs_map(user=officer, region=regions["33.75.03"])
    assert [(r.code, r.total) for r in m.rows] == [("33.75.03.1002", 1), ("33.75.03.1004", 1)]
    assert dict(m.commodities) == {"ikan asin": 1, "singkong": 1}
    assert needs_map(user=officer).rows[0].code == "33"
    assert needs_map(user=manager).total == 2  # Mitra's own (Krapyak) and its Wartek's, rolled up
    assert needs_map(user=outsider).total == 0


def test_handler_choices_exclude_people_of_other_posts(posts) -> None:
    from posyantek.consultations.selectors import handler_choices

    mitra_staff = make_user("mitra-staff@example.id", ("post_staff", posts["mitra"]))
    dki = make_user("dki-staff@example.id", ("post_staff", posts["dki"]))
    assert mitra_staff in handler_choices(posts["mitra"]) and dki not in handler_choices(posts["mitra"])


def test_invalid_attempts_do_not_use_up_the_phone_limit(public_data, settings) -> None:
    """A requester who fixes a typo three times is not told their number already sent several requests."""
    settings.CONSULTATION_RATE_LIMITS = {"ip": (10, 3600), "phone": (1, 86400)}
    for n in range(3):
        with pytest.raises(ValidationError):
            submit({**public_data, "description": "pendek"}, ip=f"10.2.2.{n}")
    assert submit(public_data, ip="10.2.2.9").phone == "6281234567890"
    with pytest.raises(services.RateLimited, match="Nomor ini"):
        submit(public_data, ip="10.2.2.10")
    assert ServiceRequest.objects.count() == 1


def test_staff_cannot_record_online_or_a_region_outside_the_post(admin, manager, posts, regions) -> None:
    data = {"post": posts["mitra"], "channel": "datang_langsung", "requester_name": "Pak Darsono",
            "phone": "081234567890", "region": regions["33.75.01.1001"],
            "description": "Butuh alat pengasapan ikan yang hemat"}  # fmt: skip
    assert services.request_create(actor=manager, data=data).post == posts["mitra"]  # same city: a walk-in
    with pytest.raises(ValidationError) as exc:
        services.request_create(actor=manager, data={**data, "channel": "online"})
    assert "channel" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a DKI kelurahan never lands at a Pekalongan post
        services.request_create(actor=admin, data={**data, "region": regions["31.71.01.1001"]})
    assert "di luar wilayah layanan" in exc.value.message_dict["region"][0]
    req = services.request_create(actor=admin, data={**data, "post": posts["dki"], "region": regions["31.71.01.1001"]})
    with pytest.raises(ValidationError) as exc:
        services.request_assign(actor=admin, request=req, post=posts["mitra"])
    assert "post" in exc.value.message_dict
    assert not ServiceRequest.objects.filter(region_id="31.71.01.1001", post=posts["mitra"]).exists()
    posts["mitra"].service_area.add(regions["31.71.01.1001"])  # unless the post lists it as its service area
    assert services.request_assign(actor=admin, request=req, post=posts["mitra"]).post == posts["mitra"]


def test_history_labels_are_indonesian(public_data, staff) -> None:
    from posyantek.core.selectors import history_for

    req = submit(public_data, photos=[jpeg()])
    labels = {row.label for ev in history_for(req) for row in ev.rows}
    assert "foto" in labels and "photos" not in labels


def test_messages_to_others_use_their_language_not_the_senders(
    public_data, staff, officer, django_capture_on_commit_callbacks
) -> None:
    from django.utils import translation

    officer.language = "en"
    officer.save(update_fields=["language"])
    with translation.override("en"):  # an officer reading the English pages
        with django_capture_on_commit_callbacks(execute=True):
            req = submit(public_data)
        assert notify.requester_notice(req).text.startswith("Halo Bu Sri, permohonan layanan Anda")
        with django_capture_on_commit_callbacks(execute=True):
            triage(req, staff, handler=officer)
    assert mail.outbox[0].to == ["staff@example.id"] and mail.outbox[0].subject.startswith("Permohonan layanan baru")
    assert mail.outbox[1].to == ["officer@example.id"] and mail.outbox[1].subject.startswith("New service request")
