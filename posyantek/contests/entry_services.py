"""Writes on entries and their dossiers: registration, dossier items and evidence, the pre-filled self-assessment,
submission, return for revision, the administrative decision, nominee/finalist moves and withdrawal.

Entrants (the post's people: `edit` fills the dossier, `manage` registers and submits) write while the dossier is
not locked; organisers (access.can_organise) decide. Every write is audited; registration, submission, return,
decisions, state moves and withdrawal are appended to the contest chain too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.contests import access, chain, prefill
from posyantek.contests.models import Category, ContestLog, DossierFile, DossierItem, Edition, Entry, Indicator
from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import Action, covers_region, rank_on_post
from posyantek.core.validators import validate_document

State = Entry.State
STATE_ORDER: list[str] = list(Edition.State.values)
#: The entry states an organiser moves entries to by hand (the ranking decides juara/harapan).
ORGANISER_STATES = {State.NOMINEE: (State.PASSED,), State.FINALIST: (State.PASSED, State.NOMINEE)}
#: An entry in one of these states can no longer withdraw.
FINAL = (State.WINNER, State.HONOURABLE, State.NOT_WINNER, State.WITHDRAWN, State.FAILED)


def _log(actor: Any, entry: Entry, event: str, kind: str = ContestLog.Kind.ENTRY, **payload: Any) -> None:
    chain.append(actor=actor, kind=kind, object_key=f"entry:{entry.pk}", edition=entry.edition,
                 payload={"event": event, "state": entry.state, **payload})  # fmt: skip


def _require(actor: Any, entry: Entry, action: str) -> None:
    if not Entry.objects.for_user(actor, action).filter(pk=entry.pk).exists():
        raise PermissionDenied


def _lock(entry: Entry, version: int | None = None) -> Entry:
    locked = lock_current(entry, version)
    locked.edition = entry.edition
    return locked


def in_region(edition: Edition, post: Any) -> bool:
    """Return whether `post` lies in the region an edition covers (a national one covers every post)."""
    return edition.region_id is None or covers_region(edition.region_id, post.region_id)


def may_register(actor: Any, edition: Edition, post: Any) -> bool:
    """Return whether `actor` may register `post`: its manager, or an organiser of the edition."""
    return rank_on_post(actor, post) >= Action.MANAGE or access.can_organise(actor, edition)


@transaction.atomic
def entry_register(*, actor: Any, edition: Edition, post: Any, ttg: Any = None, innovators: Any = (),
                   title: str = "") -> Entry:  # fmt: skip
    """Register a post (Posyantek Berprestasi) or a TTG of a post with its innovators (Inovasi TTG, TTG Unggulan)."""
    if not may_register(actor, edition, post):
        raise PermissionDenied
    if edition.state != Edition.State.REGISTRATION:
        raise ValidationError(_("Pendaftaran lomba ini tidak sedang dibuka."))
    if not in_region(edition, post):
        raise ValidationError({"post": _("%(post)s berada di luar wilayah lomba (%(region)s).")
                               % {"post": post, "region": edition.region_label}})  # fmt: skip
    innovators = list(innovators or [])
    if edition.category == Category.POSYANTEK:
        if ttg is not None or innovators:
            raise ValidationError({"ttg": _("Lomba Posyantek Berprestasi diikuti oleh pos, tanpa TTG.")})
        if Entry.objects.filter(edition=edition, post=post, ttg__isnull=True).exists():
            raise ValidationError({"post": _("%(post)s sudah terdaftar di lomba ini.") % {"post": post}})
    else:
        if ttg is None:
            raise ValidationError({"ttg": _("Pilih TTG yang didaftarkan.")})
        if ttg.post_id != post.pk:
            raise ValidationError({"ttg": _("TTG ini bukan binaan %(post)s.") % {"post": post}})
        if any(i.post_id != post.pk for i in innovators):
            raise ValidationError({"innovators": _("Inovator harus dari pos yang sama.")})
        if Entry.objects.filter(edition=edition, ttg=ttg).exists():
            raise ValidationError({"ttg": _("TTG %(ttg)s sudah terdaftar di lomba ini.") % {"ttg": ttg}})
    try:
        with transaction.atomic():
            entry = Entry.objects.create(edition=edition, post=post, region_id=post.region_id, ttg=ttg,
                                         title=(title or (ttg.name if ttg else post.name))[:250],
                                         created_by=actor)  # fmt: skip
    except IntegrityError as exc:
        raise ValidationError(_("Peserta ini sudah terdaftar di lomba ini.")) from exc
    if innovators:
        entry.innovators.set(innovators)
    audit.record(actor, "create", entry, {"pos_peserta": post.name, "ttg": ttg.name if ttg else None})
    _log(actor, entry, "registered", post=post.pk, ttg=ttg.pk if ttg else None)
    return entry


def _editable(actor: Any, entry: Entry) -> None:
    _require(actor, entry, "edit")
    if entry.is_locked:
        raise ValidationError(_("Dossier sudah diajukan dan terkunci."))


def _indicator(entry: Entry, indicator: Indicator) -> None:
    if indicator.criterion.rubric_id != entry.edition.rubric_id:
        raise ValidationError({"indicator": _("Indikator ini bukan bagian dari rubrik lomba.")})


@transaction.atomic
def dossier_save(*, actor: Any, entry: Entry, indicator: Indicator, narrative: str = "",
                 self_score: int | None = None, version: int | None = None) -> DossierItem:  # fmt: skip
    """Save the narrative and optional self-score of one indicator (a stale `version` is refused)."""
    _editable(actor, entry)
    _indicator(entry, indicator)
    rubric = entry.edition.rubric
    if self_score is not None and not rubric.scale_min <= self_score <= rubric.scale_max:
        raise ValidationError({"self_score": _("Skor mandiri harus antara %(lo)s dan %(hi)s.")
                               % {"lo": rubric.scale_min, "hi": rubric.scale_max}})  # fmt: skip
    item = DossierItem.objects.filter(entry=entry, indicator=indicator).first()
    if item is None:
        item = DossierItem.objects.create(entry=entry, indicator=indicator, narrative=narrative, self_score=self_score)
    else:
        item = lock_current(item, version)
        item.narrative, item.self_score = narrative, self_score
        item.version += 1
        item.save()
    audit.record(actor, "update", entry, {"dossier": f"{indicator.code}: {len(narrative)} karakter, skor "
                                                     f"{self_score if self_score is not None else '–'}"})  # fmt: skip
    return item


@transaction.atomic
def file_add(*, actor: Any, entry: Entry, indicator: Indicator, title: str, file: Any = None,
             link: str = "") -> DossierFile:  # fmt: skip
    """Attach an evidence file (PDF/JPG/PNG) or a link (a video) to one indicator of the dossier."""
    _editable(actor, entry)
    _indicator(entry, indicator)
    if not file and not link:
        raise ValidationError({"file": _("Unggah berkas atau isi tautan bukti.")})
    if file:
        try:
            validate_document(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
    obj = DossierFile.objects.create(entry=entry, indicator=indicator, title=title or indicator.evidence or
                                     indicator.title, file=file or "", link=link, uploaded_by=actor)  # fmt: skip
    audit.record(actor, "update", entry, {"bukti": f"{indicator.code}: {obj.title}"})
    return obj


@transaction.atomic
def file_remove(*, actor: Any, dossier_file: DossierFile) -> None:
    """Remove an evidence file while the dossier is open."""
    entry = dossier_file.entry
    _editable(actor, entry)
    audit.record(actor, "update", entry, {"bukti": [f"{dossier_file.indicator.code}: {dossier_file.title}", None]})
    dossier_file.delete()


@transaction.atomic
def entry_prefill(*, actor: Any, entry: Entry) -> Entry:
    """Take the self-assessment figures from the system's own data for the edition's period."""
    _editable(actor, entry)
    entry = _lock(entry)
    edition = entry.edition
    entry.self_assessment = prefill.compute(entry.post, edition.period_start, edition.period_end)
    entry.prefilled_at = timezone.now()
    entry.version += 1
    entry.save(update_fields=["self_assessment", "prefilled_at", "version", "updated"])
    audit.record(actor, "update", entry, {"penilaian_mandiri": {k: v["value"] for k, v in
                                                                entry.self_assessment.items()}})  # fmt: skip
    return entry


def missing_evidence(entry: Entry) -> list[Indicator]:
    """Return the mandatory-evidence indicators of the rubric with no file or link in the dossier."""
    have = set(DossierFile.objects.filter(entry=entry).values_list("indicator_id", flat=True))
    return [i for i in Indicator.objects.filter(criterion__rubric_id=entry.edition.rubric_id, evidence_mandatory=True)
            .select_related("criterion") if i.pk not in have]  # fmt: skip


@transaction.atomic
def entry_submit(*, actor: Any, entry: Entry, version: int | None = None) -> Entry:
    """Submit the dossier (locks it); refused, naming each indicator, while mandatory evidence is missing."""
    _require(actor, entry, "manage")
    entry = _lock(entry, version)
    edition = entry.edition
    if entry.state not in (State.DRAFT, State.RETURNED):
        raise ValidationError(_("Dossier ini sudah diajukan."))
    open_states = (Edition.State.REGISTRATION,) + ((Edition.State.ADMIN,) if entry.state == State.RETURNED else ())
    if edition.state not in open_states:
        raise ValidationError(_("Pengajuan dossier sudah ditutup untuk lomba ini."))
    missing = missing_evidence(entry)
    if missing:
        raise ValidationError([_("Bukti wajib belum ada untuk indikator %(code)s. %(title)s.")
                               % {"code": i.code, "title": i.title} for i in missing])  # fmt: skip
    if entry.prefilled_at is None:
        entry.self_assessment = prefill.compute(entry.post, edition.period_start, edition.period_end)
        entry.prefilled_at = timezone.now()
    before = entry.state
    entry.state, entry.submitted_at = State.SUBMITTED, timezone.now()
    entry.version += 1
    entry.save()
    audit.record(actor, "update", entry, {"state": [before, entry.state]})
    _log(actor, entry, "submitted", items=entry.dossier.count(), files=entry.files.count())
    return entry


def _organise(actor: Any, entry: Entry, version: int | None = None) -> Entry:
    access.require_organiser(actor, entry.edition)
    return _lock(entry, version)


@transaction.atomic
def entry_return(*, actor: Any, entry: Entry, note: str, version: int | None = None) -> Entry:
    """Return a submitted dossier for revision, with a note saying what to fix."""
    entry = _organise(actor, entry, version)
    if not note.strip():
        raise ValidationError({"note": _("Tulis apa yang perlu diperbaiki.")})
    if entry.state != State.SUBMITTED:
        raise ValidationError(_("Hanya dossier yang sudah diajukan yang dapat dikembalikan."))
    entry.state, entry.return_note = State.RETURNED, note.strip()
    entry.version += 1
    entry.save()
    audit.record(actor, "update", entry, {"state": [State.SUBMITTED, entry.state], "note": entry.return_note})
    _log(actor, entry, "returned", note=chain.note_digest(entry.return_note))
    return entry


@transaction.atomic
def entry_admin_decide(*, actor: Any, entry: Entry, passed: bool, reasons: str, version: int | None = None
                       ) -> Entry:  # fmt: skip
    """Decide the administrative selection: pass or fail, with the reasons (from `seleksi_administrasi` on)."""
    entry = _organise(actor, entry, version)
    if not reasons.strip():
        raise ValidationError({"reasons": _("Tulis alasan keputusan administrasi.")})
    if STATE_ORDER.index(entry.edition.state) < STATE_ORDER.index(Edition.State.ADMIN):
        raise ValidationError(_("Keputusan administrasi dibuat mulai tahap seleksi administrasi."))
    if entry.state != State.SUBMITTED:
        raise ValidationError(_("Keputusan administrasi hanya untuk dossier yang sudah diajukan."))
    entry.state = State.PASSED if passed else State.FAILED
    entry.admin_passed, entry.admin_reasons = passed, reasons.strip()
    entry.admin_decided_by, entry.admin_decided_at = actor, timezone.now()
    entry.version += 1
    entry.save()
    audit.record(actor, "update", entry, {"state": [State.SUBMITTED, entry.state], "reason": entry.admin_reasons})
    _log(actor, entry, "admin", ContestLog.Kind.ADMIN, passed=passed, reasons=chain.note_digest(entry.admin_reasons))
    return entry


@transaction.atomic
def set_state(*, actor: Any, entry: Entry, state: str, note: str = "", version: int | None = None) -> Entry:
    """Move an entry to `nominasi` or `finalis` (organisers only; the ranking decides the rest)."""
    entry = _organise(actor, entry, version)
    if state not in ORGANISER_STATES:
        raise ValidationError({"state": _("Status ini tidak diubah dengan tangan.")})
    if entry.state not in ORGANISER_STATES[state]:
        raise ValidationError({"state": _("Peserta berstatus %(now)s tidak dapat menjadi %(new)s.")
                               % {"now": entry.get_state_display(), "new": State(state).label}})  # fmt: skip
    before = entry.state
    entry.state = state
    entry.version += 1
    entry.save()
    audit.record(actor, "update", entry, {"state": [before, state], "note": note or None})
    _log(actor, entry, "state", before=before, note=chain.note_digest(note))
    return entry


@transaction.atomic
def entry_withdraw(*, actor: Any, entry: Entry, note: str = "", version: int | None = None) -> Entry:
    """Withdraw an entry (its post's manager, or an organiser)."""
    if not (access.can_organise(actor, entry.edition) or rank_on_post(actor, entry.post) >= Action.MANAGE):
        raise PermissionDenied
    entry = _lock(entry, version)
    if entry.state in FINAL or entry.edition.is_published:
        raise ValidationError(_("Peserta berstatus %(now)s tidak dapat mengundurkan diri.")
                              % {"now": entry.get_state_display()})  # fmt: skip
    before = entry.state
    entry.state = State.WITHDRAWN
    entry.version += 1
    entry.save()
    audit.record(actor, "update", entry, {"state": [before, entry.state], "note": note or None})
    _log(actor, entry, "withdrawn", before=before, note=chain.note_digest(note))
    return entry
