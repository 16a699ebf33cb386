"""Judging services: panels and judges, assigning sheets with automatic conflicts, declared conflicts, scores within
the scale and the stage, locks, reopening, and the hash chain that records all of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_user
from posyantek.contests import chain, rubric_services
from posyantek.contests import judging_services as services
from posyantek.contests.judging_selectors import rubric_indicators
from posyantek.contests.models import (
    Conflict,
    ContestLog,
    Edition,
    Panel,
    PanelJudge,
    Score,
    ScoreSheet,
    Stage,
)
from posyantek.contests.tests.conftest import make_entry
from posyantek.core.models import AuditEvent
from posyantek.regions.models import Region


def score_all(user: Any, sheet: ScoreSheet, value: int = 3, *, skip: int = 0) -> None:
    for ind in rubric_indicators(sheet.edition.rubric_id)[skip:]:
        services.save_score(actor=user, sheet=sheet, indicator=ind, value=value, note="cukup", evidence_seen=True)


def field_open(edition: Edition) -> Edition:
    edition.state = Edition.State.FIELD
    edition.save(update_fields=["state"])
    return edition


# --------------------------------------------------------------------------------------------- panels and judges


def test_panel_create_and_judge_add_are_chained(edition: Any, organiser: Any, judge1: Any) -> None:
    panel = services.panel_create(actor=organiser, edition=edition, stage=Stage.PRESENTATION, name="")
    assert panel.name == "Tim Presentasi"
    judge = services.judge_add(actor=organiser, panel=panel, email="JURI1@example.id ", institution="BRIN",
                               home_region=Region.objects.get(pk="31"), is_chair=True)  # fmt: skip
    assert judge.user == judge1 and judge.is_chair and judge.home_region_id == "31"
    kinds = list(ContestLog.objects.filter(edition=edition).values_list("payload__event", flat=True))
    assert kinds == ["panel_created", "judge_added"]
    assert AuditEvent.objects.filter(object_id=str(judge.pk), action="create").exists()
    assert chain.verify().ok


def test_judge_add_invites_a_new_user_without_any_grant(edition: Any, organiser: Any,
                                                        django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    panel = services.panel_create(actor=organiser, edition=edition, stage=Stage.ADMIN, name="Tim Administrasi")
    with pytest.raises(ValidationError) as exc:
        services.judge_add(actor=organiser, panel=panel, email="baru@brin.example.id")
    assert "full_name" in exc.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        judge = services.judge_add(actor=organiser, panel=panel, email="baru@brin.example.id", full_name="Dr. Sari")
    assert judge.user.full_name == "Dr. Sari" and not judge.user.has_usable_password()
    assert judge.user.grants.count() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["baru@brin.example.id"]


def test_judge_add_refuses_a_second_seat_in_the_same_stage(panel: Panel, organiser: Any, judge1: Any) -> None:
    other = Panel.objects.create(edition=panel.edition, stage=Stage.FIELD, name="Tim B")
    with pytest.raises(ValidationError) as exc:
        services.judge_add(actor=organiser, panel=other, email=judge1.email)
    assert "sudah menjadi juri" in exc.value.message_dict["email"][0]


def test_panel_writes_need_the_organiser(edition: Any, panel: Panel, gambir_manager: Any, officer: Any) -> None:
    for user in (gambir_manager, officer):
        with pytest.raises(PermissionDenied):
            services.panel_create(actor=user, edition=edition, stage=Stage.ADMIN, name="x")
        with pytest.raises(PermissionDenied):
            services.judge_add(actor=user, panel=panel, email="x@example.id", full_name="X")
        with pytest.raises(PermissionDenied):
            services.assign(actor=user, edition=edition, stage=Stage.FIELD)


def test_judge_remove_only_while_no_scores(sheets: list[ScoreSheet], organiser: Any, judge1: Any, judge2: Any) -> None:
    seat1 = sheets[0].judge
    services.save_score(actor=judge1, sheet=sheets[0], indicator=rubric_indicators(sheets[0].edition.rubric_id)[0],
                        value=2)  # fmt: skip
    with pytest.raises(ValidationError, match="sudah memberi skor"):
        services.judge_remove(actor=organiser, judge=seat1)
    seat2 = sheets[1].judge
    services.judge_remove(actor=organiser, judge=seat2)
    assert not PanelJudge.objects.filter(pk=seat2.pk).exists()
    assert not ScoreSheet.objects.filter(judge_id=seat2.pk).exists()
    assert ContestLog.objects.filter(payload__event="judge_removed").count() == 1
    assert chain.verify().ok


# --------------------------------------------------------------------------------------------- assignment, conflicts


def test_kota_code() -> None:
    assert services.kota_code("31.71.01") == "31.71"
    assert services.kota_code("31.71") == "31.71"
    assert services.kota_code("31") is None
    assert services.kota_code("") is None


def test_assign_skips_judges_from_the_entrants_kota(panel: Panel, entry: Any, entry2: Any, organiser: Any,
                                                    judge_pusat: Any) -> None:  # fmt: skip
    edition = field_open(panel.edition)
    PanelJudge.objects.create(panel=panel, user=judge_pusat, home_region_id="31.71", institution="Kecamatan")
    counts = services.assign(actor=organiser, edition=edition, stage=Stage.FIELD)
    assert counts == {"created": 4, "conflicts": 2}
    assert not ScoreSheet.objects.filter(judge__user=judge_pusat).exists()
    conflicts = Conflict.objects.filter(judge__user=judge_pusat)
    assert {c.entry for c in conflicts} == {entry, entry2} and all(c.automatic for c in conflicts)
    assert "31.71" in conflicts[0].reason
    # Idempotent: nothing new the second time.
    assert services.assign(actor=organiser, edition=edition, stage=Stage.FIELD) == {"created": 0, "conflicts": 0}
    assert ScoreSheet.objects.filter(edition=edition).count() == 4
    assert ContestLog.objects.filter(kind=ContestLog.Kind.CONFLICT).count() == 2
    assert chain.verify().ok


def test_assign_province_level_home_makes_no_kota_conflict(panel: Panel, entry: Any, organiser: Any,
                                                           judge_pusat: Any) -> None:  # fmt: skip
    PanelJudge.objects.create(panel=panel, user=judge_pusat, home_region_id="31")
    counts = services.assign(actor=organiser, edition=panel.edition, stage=Stage.FIELD)
    assert counts == {"created": 3, "conflicts": 0}


def test_assign_home_post_is_a_conflict(panel: Panel, entry: Any, entry2: Any, organiser: Any, dki: Any) -> None:
    seat = PanelJudge.objects.create(panel=panel, user=make_user("pengurus@example.id"), home_post=dki["gambir"])
    services.assign(actor=organiser, edition=panel.edition, stage=Stage.FIELD)
    assert Conflict.objects.get(judge=seat).entry == entry
    assert ScoreSheet.objects.get(judge=seat).entry == entry2


def test_assign_takes_only_entries_of_the_stage(panel: Panel, entry: Any, organiser: Any, dki: Any) -> None:
    make_entry(panel.edition, dki["matraman"], state="terdaftar")
    counts = services.assign(actor=organiser, edition=panel.edition, stage=Stage.FIELD)
    assert counts["created"] == 2
    with pytest.raises(ValidationError, match="Belum ada juri"):
        services.assign(actor=organiser, edition=panel.edition, stage=Stage.PRESENTATION)


def test_declare_conflict_removes_the_empty_sheet(sheets: list[ScoreSheet], judge2: Any) -> None:
    sheet = sheets[1]
    with pytest.raises(ValidationError) as exc:
        services.conflict_declare(actor=judge2, sheet=sheet, reason="  ")
    assert "reason" in exc.value.message_dict
    conflict = services.conflict_declare(actor=judge2, sheet=sheet, reason="Saya pembina pos ini")
    assert not conflict.automatic and conflict.entry == sheet.entry
    assert not ScoreSheet.objects.filter(pk=sheet.pk).exists()
    assert ContestLog.objects.filter(kind=ContestLog.Kind.CONFLICT).count() == 2
    assert chain.verify().ok


def test_declare_conflict_refused_once_scored(sheets: list[ScoreSheet], judge1: Any, judge2: Any) -> None:
    sheet = sheets[0]
    services.save_score(actor=judge1, sheet=sheet, indicator=rubric_indicators(sheet.edition.rubric_id)[0], value=3)
    with pytest.raises(ValidationError, match="minta panitia|Minta panitia"):
        services.conflict_declare(actor=judge1, sheet=sheet, reason="Kerabat ketua pos")
    assert ScoreSheet.objects.filter(pk=sheet.pk).exists()
    with pytest.raises(PermissionDenied):
        services.conflict_declare(actor=judge2, sheet=sheet, reason="bukan lembar saya")


def test_save_score_refuses_a_conflicted_judge(sheets: list[ScoreSheet], judge1: Any) -> None:
    sheet = sheets[0]
    Conflict.objects.create(judge=sheet.judge, entry=sheet.entry, reason="Dinyatakan ke panitia")
    with pytest.raises(ValidationError, match="konflik kepentingan dengan peserta ini"):
        services.save_score(actor=judge1, sheet=sheet, indicator=rubric_indicators(sheet.edition.rubric_id)[0],
                            value=3)  # fmt: skip
    assert not Score.objects.filter(sheet=sheet).exists()


# --------------------------------------------------------------------------------------------- scores and locks


def test_save_score_creates_then_changes_and_logs_every_save(sheets: list[ScoreSheet], judge1: Any) -> None:
    sheet = sheets[0]
    ind = rubric_indicators(sheet.edition.rubric_id)[0]
    score = services.save_score(actor=judge1, sheet=sheet, indicator=ind, value=3, note="SK ada", evidence_seen=True)
    assert (score.value, score.note, score.evidence_seen) == (3, "SK ada", True)
    services.save_score(actor=judge1, sheet=sheet, indicator=ind.pk, value="4", note="SK lengkap")
    assert Score.objects.get(sheet=sheet, indicator=ind).value == 4
    logs = ContestLog.objects.filter(kind=ContestLog.Kind.SCORE, object_key=chain.score_key(sheet.pk, ind.pk))
    assert [row.payload["value"] for row in logs] == [3, 4]
    # The audit says which indicator was scored, never the value (organisers read the audit before publication).
    event = AuditEvent.objects.filter(object_id=str(sheet.pk)).latest("pk")
    assert event.changes == {"indikator": ind.code}
    assert chain.verify().ok


@pytest.mark.parametrize("value", [0, 5, -1, "x", "", None, 2.5])
def test_save_score_outside_the_scale(sheets: list[ScoreSheet], judge1: Any, value: Any) -> None:
    sheet = sheets[0]
    with pytest.raises(ValidationError) as exc:
        services.save_score(actor=judge1, sheet=sheet, indicator=rubric_indicators(sheet.edition.rubric_id)[0],
                            value=value)  # fmt: skip
    assert exc.value.message_dict["value"] == ["Skor harus antara 1 dan 4."]
    assert not Score.objects.exists()


def test_save_score_not_your_sheet(sheets: list[ScoreSheet], judge2: Any, organiser: Any) -> None:
    ind = rubric_indicators(sheets[0].edition.rubric_id)[0]
    for user in (judge2, organiser):
        with pytest.raises(PermissionDenied):
            services.save_score(actor=user, sheet=sheets[0], indicator=ind, value=3)


def test_save_score_in_the_wrong_stage(sheets: list[ScoreSheet], judge1: Any) -> None:
    edition = sheets[0].edition
    ind = rubric_indicators(edition.rubric_id)[0]
    for state in (Edition.State.ADMIN, Edition.State.PLENARY):
        Edition.objects.filter(pk=edition.pk).update(state=state)
        sheet = ScoreSheet.objects.get(pk=sheets[0].pk)
        with pytest.raises(ValidationError, match="Tahap penilaian ini belum/tidak lagi dibuka"):
            services.save_score(actor=judge1, sheet=sheet, indicator=ind, value=3)


def test_save_score_indicator_of_another_rubric(sheets: list[ScoreSheet], judge1: Any, template: Any) -> None:
    foreign = rubric_indicators(template.pk)[0]
    with pytest.raises(ValidationError) as exc:
        services.save_score(actor=judge1, sheet=sheets[0], indicator=foreign, value=3)
    assert "indicator" in exc.value.message_dict


def test_lock_with_missing_indicators_is_refused(sheets: list[ScoreSheet], judge1: Any) -> None:
    sheet = sheets[0]
    indicators = rubric_indicators(sheet.edition.rubric_id)
    score_all(judge1, sheet, skip=2)
    with pytest.raises(ValidationError) as exc:
        services.lock_sheet(actor=judge1, sheet=sheet)
    assert f"{indicators[0].code}, {indicators[1].code}" in exc.value.messages[0]
    assert ScoreSheet.objects.get(pk=sheet.pk).state == ScoreSheet.State.OPEN


def test_lock_then_no_more_scores(sheets: list[ScoreSheet], judge1: Any) -> None:
    sheet = sheets[0]
    score_all(judge1, sheet)
    locked = services.lock_sheet(actor=judge1, sheet=sheet)
    assert locked.is_locked and locked.locked_at is not None
    lock = ContestLog.objects.get(kind=ContestLog.Kind.LOCK)
    assert lock.payload["digest"] == chain.sheet_digest(sheet.pk)
    ind = rubric_indicators(sheet.edition.rubric_id)[0]
    with pytest.raises(ValidationError, match="terkunci"):
        services.save_score(actor=judge1, sheet=sheet, indicator=ind, value=1)
    with pytest.raises(ValidationError, match="terkunci"):
        services.lock_sheet(actor=judge1, sheet=sheet)
    with pytest.raises(ValidationError, match="terkunci"):
        services.conflict_declare(actor=judge1, sheet=sheet, reason="terlambat")
    assert chain.verify().ok
    # A score changed in the database after the lock is found by the chain check.
    Score.objects.filter(sheet=sheet, indicator=ind).update(value=1)
    report = chain.verify()
    assert not report.ok
    assert any("berbeda" in p.message for p in report.problems)
    assert any("setelah dikunci" in p.message for p in report.problems)


def test_reopen_a_locked_sheet(sheets: list[ScoreSheet], judge1: Any, organiser: Any, gambir_manager: Any) -> None:
    sheet = sheets[0]
    score_all(judge1, sheet)
    services.lock_sheet(actor=judge1, sheet=sheet)
    with pytest.raises(ValidationError):
        services.sheet_reopen(actor=organiser, sheet=sheet, reason="")
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(actor=gambir_manager, sheet=sheet, reason="x")
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(actor=judge1, sheet=sheet, reason="x")
    reopened = services.sheet_reopen(actor=organiser, sheet=sheet, reason="Salah ketik skor A1")
    assert not reopened.is_locked and reopened.locked_at is None
    assert ContestLog.objects.filter(kind=ContestLog.Kind.LOCK, payload__event="reopened").count() == 1
    ind = rubric_indicators(sheet.edition.rubric_id)[0]
    services.save_score(actor=judge1, sheet=reopened, indicator=ind, value=4)
    services.lock_sheet(actor=judge1, sheet=reopened)
    assert chain.verify().ok
    with pytest.raises(ValidationError, match="belum dikunci"):
        services.sheet_reopen(actor=organiser, sheet=sheets[1], reason="x")


def test_reopen_refused_after_results(sheets: list[ScoreSheet], judge1: Any, organiser: Any) -> None:
    sheet = sheets[0]
    score_all(judge1, sheet)
    services.lock_sheet(actor=judge1, sheet=sheet)
    Edition.objects.filter(pk=sheet.edition_id).update(computed_at=timezone.now())
    with pytest.raises(ValidationError, match="sudah dihitung"):
        services.sheet_reopen(actor=organiser, sheet=sheet, reason="terlambat")


def test_national_edition_judging(admin: Any, judge2: Any, dki: Any) -> None:
    """A national edition's organiser is the national admin; a judge from another province scores freely."""
    rubric = rubric_services.rubric_from_template(actor=None, category="inovasi_ttg", family="ttg-uji")
    edition = Edition.objects.create(name="Inovasi TTG Nasional", category="inovasi_ttg", year=2026,
                                     level="nasional", organiser="Kemendesa", rubric=rubric,
                                     state=Edition.State.PRESENTATION, period_start=dt.date(2025, 1, 1),
                                     period_end=dt.date(2025, 12, 31))  # fmt: skip
    make_entry(edition, dki["gambir"], state="finalis")
    panel = services.panel_create(actor=admin, edition=edition, stage=Stage.PRESENTATION, name="Juri nasional")
    services.judge_add(actor=admin, panel=panel, email=judge2.email, home_region=Region.objects.get(pk="33.75"))
    assert services.assign(actor=admin, edition=edition, stage=Stage.PRESENTATION) == {"created": 1, "conflicts": 0}
    sheet = ScoreSheet.objects.get(edition=edition)
    score_all(judge2, sheet, value=4)
    services.lock_sheet(actor=judge2, sheet=sheet)
    assert chain.verify(edition=edition).ok
