"""Services of reports: who may take which step, the states, frozen figures, the recipient, e-mails, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_user
from posyantek.core.models import AuditEvent
from posyantek.reports import services
from posyantek.reports.figures import figure_rows
from posyantek.reports.models import Report, ReportStep, period_dates
from posyantek.reports.selectors import inbox_list, not_reported
from posyantek.reports.tests.conftest import make_report

pytestmark = pytest.mark.django_db


def test_period_dates_cover_the_quarter_or_the_year_before_for_a_work_plan() -> None:
    assert period_dates("pengelolaan", 2026, "tw1") == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert period_dates("pengelolaan", 2026, "tw3") == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert period_dates("pengelolaan", 2026, "tw4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_dates("pengelolaan", 2026, "tahunan") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert period_dates("rencana_kerja", 2027, "tahunan") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_report_create_counts_figures_for_the_quarter_and_addresses_the_kota(draft: Report, fake_counts: Any) -> None:
    assert draft.state == "draf" and draft.version == 1
    assert draft.recipient_id == "33.75"  # a kecamatan post reports to its kab/kota
    assert fake_counts[-1][1:] == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert draft.figures["sales_in_region"] == 1_250_000 and draft.figures["funding"] == {"APBDes": 2_000_000}
    assert draft.narrative == {"ringkasan": "Triwulan yang sibuk."}
    assert list(draft.steps.values_list("to_state", flat=True)) == ["draf"]
    assert AuditEvent.objects.for_object(draft).filter(action="create").exists()


def test_report_create_village_post_reports_to_its_kecamatan(staff: Any, posts: dict[str, Any]) -> None:
    report = make_report(staff, posts["wartek"])
    assert report.recipient_id == "33.75.03"


def test_report_create_recipient_level_is_a_setting(settings: Any, manager: Any, posts: dict[str, Any]) -> None:
    settings.REPORTS_RECIPIENT_LEVEL = {"3": 3}
    assert make_report(manager, posts["mitra"]).recipient_id == "33.75.03"


def test_report_create_refuses_a_second_report_for_the_same_period(draft: Report, manager: Any, posts: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        make_report(manager, posts["mitra"])
    assert "sudah ada" in exc.value.message_dict["period"][0]


def test_report_create_work_plan_is_yearly_whatever_the_period_says(manager: Any, posts: dict[str, Any]) -> None:
    plan = make_report(manager, posts["mitra"], kind="rencana_kerja", year=2027, period="tw1",
                       narrative={"program": "Bengkel TTG keliling"})  # fmt: skip
    assert plan.period == "tahunan"
    assert (plan.starts_on, plan.ends_on) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValidationError) as exc:  # the same plan asked with another period is the same plan
        make_report(manager, posts["mitra"], kind="rencana_kerja", year=2027, period="tahunan")
    assert "sudah ada" in exc.value.message_dict["period"][0]


def test_report_create_refuses_unknown_sections_and_bad_years(manager: Any, posts: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        make_report(manager, posts["mitra"], year=1800, narrative={"program": "x"})
    assert set(exc.value.message_dict) == {"year", "narrative"}


def test_report_create_needs_edit_on_the_post(viewer: Any, outsider: Any, staff: Any, officer: Any, admin: Any,
                                             posts: dict[str, Any]) -> None:  # fmt: skip
    # Region grants never act as the post, however high: the city officer and the national admin included.
    for user, post in ((viewer, posts["mitra"]), (outsider, posts["mitra"]), (staff, posts["mitra"]),
                       (officer, posts["mitra"]), (admin, posts["mitra"]), (officer, posts["wartek"])):  # fmt: skip
        with pytest.raises(PermissionDenied):
            make_report(user, post)
    assert make_report(staff, posts["wartek"]).created_by == staff


def test_region_officers_never_take_the_posts_own_steps(draft: Report, manager: Any, officer: Any, admin: Any,
                                                        posts: dict[str, Any]) -> None:  # fmt: skip
    """Separation of duties: whoever receives a report may not have written, verified or sent it."""
    province = make_user("jateng@example.id", ("province_officer", "33"))
    for user in (officer, province, admin):
        assert services.actions_for(user, draft) == []
        for step in (services.report_refresh, services.report_verify, services.report_reopen):
            with pytest.raises(PermissionDenied):
                step(actor=user, report=draft)
        with pytest.raises(PermissionDenied):
            services.report_update(actor=user, report=draft, narrative={"kendala": "x"})
    report = services.report_verify(actor=manager, report=draft)
    for user in (officer, province, admin):
        assert services.actions_for(user, report) == []
        with pytest.raises(PermissionDenied):
            services.report_submit(actor=user, report=report)
    report = services.report_submit(actor=manager, report=report)
    for user in (officer, province, admin):  # the office's steps: any region grant of oversee over the recipient
        assert services.actions_for(user, report) == ["receive", "return"]
    report = services.report_return(actor=officer, report=report, note="Perbaiki.")
    with pytest.raises(PermissionDenied):
        services.report_reopen(actor=admin, report=report)
    assert services.actions_for(officer, report) == [] and services.actions_for(manager, report) == ["verify", "reopen"]


def test_post_staff_write_but_only_the_chair_verifies(draft: Report, posts: dict[str, Any]) -> None:
    clerk = make_user("clerk@example.id", ("post_staff", posts["mitra"]))
    assert services.actions_for(clerk, draft) == ["refresh"]
    report = services.report_update(actor=clerk, report=draft, narrative={"kendala": "Hujan."})
    report = services.report_refresh(actor=clerk, report=report)
    with pytest.raises(PermissionDenied):
        services.report_verify(actor=clerk, report=report)


def test_report_update_changes_sections_and_is_audited(draft: Report, manager: Any) -> None:
    report = services.report_update(actor=manager, report=draft, narrative={"kendala": "Hujan deras."}, version=1)
    assert report.narrative == {"ringkasan": "Triwulan yang sibuk.", "kendala": "Hujan deras."}
    assert report.version == 2
    ev = AuditEvent.objects.for_object(report).filter(action="update").get()
    assert ev.changes == {"kendala": [None, "Hujan deras."]}


def test_report_update_on_an_old_version_is_refused(draft: Report, manager: Any) -> None:
    services.report_update(actor=manager, report=draft, narrative={"kendala": "A"}, version=1)
    with pytest.raises(ValidationError) as exc:
        services.report_update(actor=manager, report=draft, narrative={"kendala": "B"}, version=1)
    assert exc.value.code == "stale"
    assert Report.objects.get(pk=draft.pk).narrative["kendala"] == "A"


def test_report_refresh_counts_again_only_in_draft(draft: Report, manager: Any) -> None:
    report = services.report_refresh(actor=manager, report=draft)
    assert report.figures["bintek_held"] == 2
    services.report_verify(actor=manager, report=report)
    with pytest.raises(ValidationError):
        services.report_refresh(actor=manager, report=report)


def test_report_verify_freezes_figures_and_needs_the_chair(draft: Report, staff: Any, viewer: Any, manager: Any,
                                                           posts: dict[str, Any]) -> None:  # fmt: skip
    wartek_staff_on_mitra = make_user("staff2@example.id", ("post_staff", posts["mitra"]))
    for user in (staff, viewer, wartek_staff_on_mitra):
        with pytest.raises(PermissionDenied):
            services.report_verify(actor=user, report=draft)
    report = services.report_verify(actor=manager, report=draft)
    assert report.state == "diverifikasi" and report.verified_by == manager and report.figures_at == report.verified_at
    frozen = dict(report.figures)
    with pytest.raises(ValidationError):
        services.report_update(actor=manager, report=report, narrative={"kendala": "x"})
    assert Report.objects.get(pk=report.pk).figures == frozen


def test_report_submit_needs_verification_first(draft: Report, manager: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=manager, report=draft)
    assert "diverifikasi ketua dulu" in exc.value.messages[0]


def test_report_submit_emails_the_kota_office_in_indonesian_then_english(
    verified: Report, manager: Any, officer: Any, viewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(actor=manager, report=verified)
    assert report.state == "dikirim" and report.submitted_by == manager
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == [officer.email]  # the city officer; not the viewer, not the manager
    assert "Laporan pengelolaan Triwulan III 2026 dari Posyantek Mitra Pantura" in msg.subject
    assert msg.body.startswith("Posyantek Mitra Pantura mengirim Laporan pengelolaan Triwulan III 2026 ke Kota")
    assert f"/laporan/{report.pk}/" in msg.body


def test_report_receive_by_the_office_officer_only(submitted: Report, officer: Any, manager: Any, viewer: Any,
                                                   outsider: Any, posts: dict[str, Any]) -> None:  # fmt: skip
    # A post grant never receives, however high; a viewer of the kota is too low; DKI is out of scope.
    kec_post_manager = make_user("pm@example.id", ("post_manager", posts["mitra"]))
    for user in (manager, viewer, outsider, kec_post_manager):
        with pytest.raises(PermissionDenied):
            services.report_receive(actor=user, report=submitted)
    report = services.report_receive(actor=officer, report=submitted, note="Lengkap.")
    assert report.state == "diterima" and report.decided_by == officer and report.decision_note == "Lengkap."
    with pytest.raises(ValidationError):
        services.report_return(actor=officer, report=report, note="terlambat")


def test_report_return_needs_a_note_and_emails_the_managers(
    submitted: Report, officer: Any, manager: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.report_return(actor=officer, report=submitted, note="  ")
    assert "note" in exc.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_return(actor=officer, report=submitted, note="Lengkapi kendala.")
    assert report.state == "dikembalikan"
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "Lengkapi kendala." in mail.outbox[0].body


def test_returned_report_is_edited_verified_again_and_resubmitted(submitted: Report, officer: Any,
                                                                  manager: Any) -> None:  # fmt: skip
    report = services.report_return(actor=officer, report=submitted, note="Lengkapi kendala.")
    report = services.report_update(actor=manager, report=report, narrative={"kendala": "Bahan baku mahal."})
    with pytest.raises(ValidationError):
        services.report_submit(actor=manager, report=report)
    report = services.report_verify(actor=manager, report=report)
    report = services.report_submit(actor=manager, report=report)
    assert report.state == "dikirim" and report.decision_note == ""
    report = services.report_receive(actor=officer, report=report)
    states = list(ReportStep.objects.filter(report=report).values_list("from_state", "to_state"))
    assert states == [("", "draf"), ("draf", "diverifikasi"), ("diverifikasi", "dikirim"),
                      ("dikirim", "dikembalikan"), ("dikembalikan", "diverifikasi"), ("diverifikasi", "dikirim"),
                      ("dikirim", "diterima")]  # fmt: skip
    assert AuditEvent.objects.for_object(report).filter(action="status").count() == 6


def test_report_reopen_takes_a_returned_report_back_to_draft(submitted: Report, officer: Any, manager: Any) -> None:
    report = services.report_return(actor=officer, report=submitted, note="Perbaiki angka.")
    report = services.report_reopen(actor=manager, report=report)
    assert report.state == "draf" and report.verified_by is None
    report = services.report_refresh(actor=manager, report=report)
    assert report.state == "draf"


def test_actions_for_each_role(draft: Report, manager: Any, officer: Any, viewer: Any) -> None:
    assert services.actions_for(manager, draft) == ["refresh", "verify"]
    assert services.actions_for(viewer, draft) == []
    report = services.report_submit(actor=manager, report=services.report_verify(actor=manager, report=draft))
    assert services.actions_for(manager, report) == []
    assert services.actions_for(officer, report) == ["receive", "return"]


def test_not_reported_lists_posts_without_a_submitted_report(submitted: Report, officer: Any, outsider: Any,
                                                             staff: Any, posts: dict[str, Any]) -> None:  # fmt: skip
    make_report(staff, posts["wartek"])  # a draft does not count
    names = [p.name for p in not_reported(user=officer, kind="pengelolaan", year=2026, period="tw3")]
    assert names == ["Wartek Panjang Wetan"]
    assert [p.name for p in not_reported(user=outsider, kind="pengelolaan", year=2026, period="tw3")] == [
        "Posyantek Gambir"]  # fmt: skip
    missing = {p.name: p.has_draft for p in not_reported(user=officer, kind="pengelolaan", year=2026, period="tw2")}
    assert missing == {"Posyantek Mitra Pantura": False, "Wartek Panjang Wetan": False}
    returned = services.report_return(actor=officer, report=submitted, note="Perbaiki.")
    rows = {p.name: p.returned_at for p in not_reported(user=officer, kind="pengelolaan", year=2026, period="tw3")}
    assert rows == {"Posyantek Mitra Pantura": returned.decided_at, "Wartek Panjang Wetan": None}
    assert list(inbox_list(user=officer)) == [submitted]
    assert list(inbox_list(user=outsider)) == []


def test_a_posts_standing_reads_as_yes_or_no_for_one_post() -> None:
    rows = {r.key: (r.label, r.text) for r in figure_rows({"has_sk": True, "skt_valid": False, "has_board": True,
                                                           "is_active": False})}  # fmt: skip
    assert rows["has_sk"] == ("Ber-SK", "Ya") and rows["skt_valid"] == ("SKT berlaku", "Tidak")
    assert rows["has_board"] == ("Pengurus menjabat", "Ya") and rows["is_active"][1] == "Tidak"
    assert rows["is_active"][0].startswith("Aktif")
