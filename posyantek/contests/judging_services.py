"""Writes of judging: panels and their judges, assigning sheets, conflicts of interest, scores, locking, reopening.

Every write checks who acts (access.py), is audited, and is appended to the hash chain (chain.py): scores and locks
with `chain.log_score`/`chain.log_lock`, panels with Kind.EDITION, conflicts with Kind.CONFLICT. Audit events of
scores carry the indicator only, never the value: organisers must not learn scores before publication.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyantek.contests import access, chain
from posyantek.contests.judging_selectors import rubric_indicators
from posyantek.contests.models import (
    Conflict,
    ContestLog,
    Edition,
    Entry,
    Indicator,
    Panel,
    PanelJudge,
    Score,
    ScoreSheet,
    Stage,
)
from posyantek.core import audit

CONFLICT_MESSAGE = gettext_lazy("Anda menyatakan konflik kepentingan dengan peserta ini.")


def _record(actor: Any, action: str, obj: Any, edition: Edition, changes: dict[str, Any]) -> None:
    audit.record(actor, action, obj, changes, region_id=edition.region_id, post_id=None)


def _refuse_after_results(edition: Edition) -> None:
    if edition.computed_at is not None:
        raise ValidationError(_("Hasil lomba sudah dihitung: tim juri dan lembar nilai tidak dapat diubah lagi."))


# --------------------------------------------------------------------------------------------- panels


@transaction.atomic
def panel_create(*, actor: Any, edition: Edition, stage: str, name: str) -> Panel:
    """Create a judging panel for one stage of an edition."""
    access.require_organiser(actor, edition)
    _refuse_after_results(edition)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Tahap tidak dikenal.")})
    name = (name or "").strip() or str(_("Tim %(stage)s") % {"stage": Stage(stage).label})
    panel = Panel.objects.create(edition=edition, stage=stage, name=name[:150])
    _record(actor, "create", panel, edition, {"tahap": stage, "nama": name})
    chain.append(actor=actor, kind=ContestLog.Kind.EDITION, object_key=f"panel:{panel.pk}",
                 payload={"event": "panel_created", "stage": stage, "name": panel.name}, edition=edition)  # fmt: skip
    return panel


def _judge_user(*, actor: Any, email: str, full_name: str) -> Any:
    """Return the user with this e-mail, or invite a new one (no grant: a judge seat is all a judge needs)."""
    from posyantek.accounts.models import User
    from posyantek.accounts.services import _send_set_password

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Alamat e-mail tidak sah.")}) from exc
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user
    if not full_name.strip():
        raise ValidationError({"full_name": _("Juri baru belum punya akun: isi nama lengkapnya untuk diundang.")})
    user = User.objects.create_user(email=email, password=None, full_name=full_name.strip()[:150])
    audit.record(actor, "invite", user, {"email": [None, email]})
    # The same invitation e-mail as accounts.services.user_invite, which would also give a region grant.
    transaction.on_commit(lambda: _send_set_password(user, subject=_("Undangan juri lomba Posyantek"),
                                                     template="accounts/email/invite.txt", inviter=actor))  # fmt: skip
    return user


@transaction.atomic
def judge_add(*, actor: Any, panel: Panel, email: str, full_name: str = "", institution: str = "",
              home_region: Any = None, home_post: Any = None, is_chair: bool = False) -> PanelJudge:  # fmt: skip
    """Seat a judge (an existing user, or a new one invited by e-mail) on a panel."""
    edition = panel.edition
    access.require_organiser(actor, edition)
    _refuse_after_results(edition)
    user = _judge_user(actor=actor, email=email, full_name=full_name)
    if PanelJudge.objects.filter(panel__edition=edition, panel__stage=panel.stage, user=user).exists():
        raise ValidationError({"email": _("%(u)s sudah menjadi juri tahap ini.") % {"u": user.email}})
    if is_chair:
        PanelJudge.objects.filter(panel=panel, is_chair=True).update(is_chair=False)
    judge = PanelJudge.objects.create(panel=panel, user=user, institution=(institution or "").strip()[:200],
                                      home_region=home_region, home_post=home_post, is_chair=is_chair)  # fmt: skip
    _record(actor, "create", judge, edition, {"juri": user.email, "tim": str(panel), "instansi": judge.institution,
                                              "asal wilayah": getattr(home_region, "code", None),
                                              "asal pos": str(home_post) if home_post else None})  # fmt: skip
    chain.append(actor=actor, kind=ContestLog.Kind.EDITION, object_key=f"judge:{judge.pk}",
                 payload={"event": "judge_added", "panel": panel.pk, "user": user.pk, "chair": is_chair,
                          "home_region": getattr(home_region, "code", None),
                          "home_post": getattr(home_post, "pk", None)}, edition=edition)  # fmt: skip
    return judge


@transaction.atomic
def judge_remove(*, actor: Any, judge: PanelJudge) -> None:
    """Take a judge off a panel, while they hold no scores (their empty sheets and conflicts go with them)."""
    edition = judge.panel.edition
    access.require_organiser(actor, edition)
    _refuse_after_results(edition)
    if Score.objects.filter(sheet__judge=judge).exists():
        raise ValidationError(_("Juri ini sudah memberi skor: tidak dapat dikeluarkan dari tim."))
    sheets = ScoreSheet.objects.filter(judge=judge).count()
    ScoreSheet.objects.filter(judge=judge).delete()
    _record(actor, "delete", judge, edition, {"juri": judge.user.email, "lembar dihapus": sheets})
    chain.append(actor=actor, kind=ContestLog.Kind.EDITION, object_key=f"judge:{judge.pk}",
                 payload={"event": "judge_removed", "panel": judge.panel_id, "user": judge.user_id,
                          "sheets": sheets}, edition=edition)  # fmt: skip
    judge.delete()


# --------------------------------------------------------------------------------------------- conflicts


def kota_code(code: str | None) -> str | None:
    """Return the kabupaten/kota (level-2) code of a region code: "31.71.01" → "31.71"; a province → None."""
    parts = (code or "").split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


def automatic_conflict(judge: PanelJudge, entry: Entry) -> str | None:
    """Return why a judge may not score an entry (same post, same kota/kabupaten), or None."""
    if judge.home_post_id and judge.home_post_id == entry.post_id:
        return str(_("Juri berasal dari pos peserta."))
    home_kota = kota_code(judge.home_region_id)
    if judge.home_region_id and (
        judge.home_region_id == entry.region_id or (home_kota is not None and home_kota == kota_code(entry.region_id))
    ):
        return str(_("Juri berasal dari kabupaten/kota yang sama dengan peserta (%(code)s).")
                   % {"code": kota_code(entry.region_id)})  # fmt: skip
    return None


def _log_conflict(actor: Any, conflict: Conflict, edition: Edition, event: str) -> None:
    key = f"conflict:{conflict.judge_id}:{conflict.entry_id}"
    chain.append(actor=actor, kind=ContestLog.Kind.CONFLICT, object_key=key,
                 payload={"event": event, "judge": conflict.judge_id, "entry": conflict.entry_id,
                          "automatic": conflict.automatic, "reason": conflict.reason}, edition=edition)  # fmt: skip


@transaction.atomic
def assign(*, actor: Any, edition: Edition, stage: str) -> dict[str, int]:
    """Create one open sheet per judge of the stage's panels × entry taking part in the stage.

    A judge in conflict with an entry (declared, or found now: same post, same kota) gets no sheet; conflicts found
    now are recorded. Running it again only adds what is missing. Returns {"created", "conflicts"}.
    """
    access.require_organiser(actor, edition)
    _refuse_after_results(edition)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Tahap tidak dikenal.")})
    judges = list(PanelJudge.objects.filter(panel__edition=edition, panel__stage=stage).select_related("user"))
    if not judges:
        raise ValidationError({"stage": _("Belum ada juri untuk tahap ini: bentuk tim juri dulu.")})
    entries = list(Entry.objects.filter(edition=edition, state__in=access.STAGE_ENTRY_STATES[stage]))
    have = set(ScoreSheet.objects.filter(edition=edition, stage=stage).values_list("judge_id", "entry_id"))
    conflicted = set(Conflict.objects.filter(entry__edition=edition).values_list("judge_id", "entry_id"))
    new_sheets, found = [], 0
    for judge in judges:
        for entry in entries:
            key = (judge.pk, entry.pk)
            if key in have or key in conflicted:
                continue
            reason = automatic_conflict(judge, entry)
            if reason:
                conflict = Conflict.objects.create(judge=judge, entry=entry, reason=reason, automatic=True)
                _log_conflict(actor, conflict, edition, "found")
                found += 1
                continue
            new_sheets.append(ScoreSheet(edition=edition, stage=stage, entry=entry, judge=judge))
    ScoreSheet.objects.bulk_create(new_sheets)
    counts = {"created": len(new_sheets), "conflicts": found}
    _record(actor, "update", edition, edition, {"penugasan": stage, "lembar baru": counts["created"],
                                                "konflik ditemukan": counts["conflicts"]})  # fmt: skip
    chain.append(actor=actor, kind=ContestLog.Kind.EDITION, object_key=f"edition:{edition.pk}",
                 payload={"event": "assigned", "stage": stage, **counts}, edition=edition)  # fmt: skip
    return counts


def _own_open_sheet(actor: Any, sheet: ScoreSheet) -> ScoreSheet:
    """Lock the sheet's row; refuse anyone but its judge, and a locked sheet."""
    if sheet.judge.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    locked = ScoreSheet.objects.select_for_update().select_related("edition__rubric", "entry", "judge").get(pk=sheet.pk)
    if locked.is_locked:
        raise ValidationError(_("Lembar nilai ini sudah dikirim dan terkunci: tidak dapat diubah lagi."))
    return locked


@transaction.atomic
def conflict_declare(*, actor: Any, sheet: ScoreSheet, reason: str) -> Conflict:
    """Declare a conflict of interest with the sheet's entry: the (still empty) sheet is removed."""
    sheet = _own_open_sheet(actor, sheet)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan konflik kepentingan Anda.")})
    if Score.objects.filter(sheet=sheet).exists():
        raise ValidationError(_("Lembar ini sudah berisi skor. Minta panitia lomba untuk mencatat konflik Anda "
                                "dan mengatur ulang lembar nilainya."))  # fmt: skip
    edition = sheet.edition
    conflict, _created = Conflict.objects.update_or_create(
        judge=sheet.judge, entry=sheet.entry, defaults={"reason": reason[:300], "automatic": False}
    )
    _record(actor, "create", conflict, edition, {"peserta": str(sheet.entry), "alasan": reason[:300]})
    _log_conflict(actor, conflict, edition, "declared")
    chain.append(actor=actor, kind=ContestLog.Kind.CONFLICT, object_key=f"sheet:{sheet.pk}",
                 payload={"event": "sheet_removed", "entry": sheet.entry_id, "judge": sheet.judge_id,
                          "stage": sheet.stage}, edition=edition)  # fmt: skip
    sheet.delete()
    return conflict


# --------------------------------------------------------------------------------------------- scores


def _check_stage_open(sheet: ScoreSheet) -> None:
    if sheet.edition.state != access.STAGE_STATE[sheet.stage]:
        raise ValidationError(_("Tahap penilaian ini belum/tidak lagi dibuka."))


@transaction.atomic
def save_score(*, actor: Any, sheet: ScoreSheet, indicator: Indicator | int, value: Any, note: str = "",
               evidence_seen: bool = False) -> Score:  # fmt: skip
    """Save (create or change) the judge's score of one indicator on their open sheet; every save is chained."""
    sheet = _own_open_sheet(actor, sheet)
    _check_stage_open(sheet)
    edition, rubric = sheet.edition, sheet.edition.rubric
    indicator_id = getattr(indicator, "pk", indicator)
    ind = Indicator.objects.filter(pk=indicator_id, criterion__rubric_id=rubric.pk).first()
    if ind is None:
        raise ValidationError({"indicator": _("Indikator ini bukan bagian dari rubrik lomba ini.")})
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or not rubric.scale_min <= number <= rubric.scale_max:
        raise ValidationError({"value": _("Skor harus antara %(lo)s dan %(hi)s.")
                               % {"lo": rubric.scale_min, "hi": rubric.scale_max}})  # fmt: skip
    if Conflict.objects.filter(judge=sheet.judge, entry=sheet.entry).exists():
        raise ValidationError(CONFLICT_MESSAGE)
    note = (note or "").strip()
    score = Score.objects.filter(sheet=sheet, indicator=ind).first()
    before = score.value if score else None
    if score is None:
        score = Score(sheet=sheet, indicator=ind)
    score.value, score.note, score.evidence_seen = number, note, bool(evidence_seen)
    score.save()
    score.sheet = sheet
    chain.log_score(actor=actor, score=score, edition=edition)
    _record(actor, "update" if before is not None else "create", sheet, edition, {"indikator": ind.code})
    return score


@transaction.atomic
def lock_sheet(*, actor: Any, sheet: ScoreSheet) -> ScoreSheet:
    """Submit and lock a sheet once every indicator is scored; a locked sheet is read-only."""
    sheet = _own_open_sheet(actor, sheet)
    _check_stage_open(sheet)
    scored = set(Score.objects.filter(sheet=sheet).values_list("indicator_id", flat=True))
    missing = [i.code for i in rubric_indicators(sheet.edition.rubric_id) if i.pk not in scored]
    if missing:
        raise ValidationError(_("Belum semua indikator dinilai: %(codes)s.") % {"codes": ", ".join(missing)})
    sheet.state, sheet.locked_at, sheet.version = ScoreSheet.State.LOCKED, timezone.now(), sheet.version + 1
    sheet.save(update_fields=["state", "locked_at", "version"])
    chain.log_lock(actor=actor, sheet=sheet)
    _record(actor, "status", sheet, sheet.edition, {"state": [ScoreSheet.State.OPEN, ScoreSheet.State.LOCKED]})
    return sheet


@transaction.atomic
def sheet_reopen(*, actor: Any, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    """Reopen a locked sheet (the organiser, with a reason), only before the results are computed."""
    edition = Edition.objects.select_for_update().get(pk=sheet.edition_id)
    access.require_organiser(actor, edition)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan membuka kembali lembar nilai ini.")})
    if edition.computed_at is not None:
        raise ValidationError(_("Hasil lomba sudah dihitung: lembar nilai tidak dapat dibuka kembali."))
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if not sheet.is_locked:
        raise ValidationError(_("Lembar nilai ini belum dikunci."))
    sheet.state, sheet.locked_at, sheet.version = ScoreSheet.State.OPEN, None, sheet.version + 1
    sheet.save(update_fields=["state", "locked_at", "version"])
    chain.append(actor=actor, kind=ContestLog.Kind.LOCK, object_key=f"sheet:{sheet.pk}",
                 payload={"event": "reopened", "reason": reason[:300], "entry": sheet.entry_id,
                          "judge": sheet.judge_id, "stage": sheet.stage}, edition=edition)  # fmt: skip
    _record(actor, "status", sheet, edition, {"state": [ScoreSheet.State.LOCKED, ScoreSheet.State.OPEN],
                                              "alasan": reason[:300]})  # fmt: skip
    return sheet
