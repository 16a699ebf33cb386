"""Writes on reports: create, edit the narrative, refresh the figures, and the steps up the chain.

Who may do what (the roles are the scoping ranks). Separation of duties: the post's own steps need a grant ON THE
POST ITSELF, and the office's steps a grant on a region, so nobody both writes a report and receives it:
- create, edit the narrative, refresh the figures: the post's staff (a post grant of at least `edit`);
- verify, submit, reopen: the chair, i.e. the post's manager (a post grant of at least `manage`);
- receive or return: an officer of the office above, with a region grant of at least `oversee` over the report's
  recipient region (a grant on a post never counts, however high). A region grant, even the national admin's,
  never acts as the post.
Each write is atomic, audited, re-checks scope, and refuses an edit made on an old version.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import Action, rank_on_region, user_grants
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.reports import figures, notify
from posyantek.reports.models import Report, ReportStep, period_dates

State = Report.State
#: The region level (1 province, 2 kab/kota, 3 kecamatan) that receives the reports of a post, by the level of the
#: region the post sits in. The chain is inferred (domain.md §5.9), so REPORTS_RECIPIENT_LEVEL may change it.
RECIPIENT_LEVEL = {1: 1, 2: 2, 3: 2, 4: 3}
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_TEXT = 20_000
MAX_NOTE = 2_000


def recipient_for(post: Post) -> Region:
    """Return the region whose office receives the post's reports (its kab/kota, or the kecamatan of a village)."""
    custom = getattr(settings, "REPORTS_RECIPIENT_LEVEL", None) or {}
    levels = {**RECIPIENT_LEVEL, **{int(k): int(v) for k, v in custom.items()}}
    parts = post.region_id.split(".")
    level = min(levels.get(len(parts), len(parts)), len(parts))
    return Region.objects.get(code=".".join(parts[:level]))


def rank_as_post(user: Any, post_id: int) -> int:
    """Return the highest rank the user holds through grants on the post itself (region grants never count)."""
    return max((g.rank for g in user_grants(user) if g.post_id == post_id), default=0)


def may_create(user: Any, post: Post) -> bool:
    return rank_as_post(user, post.pk) >= Action.EDIT


def may_edit(user: Any, report: Report) -> bool:
    return rank_as_post(user, report.post_id) >= Action.EDIT


def may_manage(user: Any, report: Report) -> bool:
    return rank_as_post(user, report.post_id) >= Action.MANAGE


def creatable_post_ids(user: Any) -> list[int]:
    """Return the posts the user may start a report for: those with a post grant of at least `edit`."""
    return sorted({g.post_id for g in user_grants(user) if g.post_id and g.rank >= Action.EDIT})


def may_decide(user: Any, report: Report) -> bool:
    """Return whether `user` is an officer of the office the report goes to (a region grant, oversee or more)."""
    return rank_on_region(user, report.recipient_id) >= Action.OVERSEE


def _state_error(report: Report, wanted: str) -> ValidationError:
    return ValidationError({"state": [_("Laporan ini berstatus %(now)s; %(wanted)s tidak dapat dilakukan sekarang.")
                                      % {"now": report.get_state_display().lower(), "wanted": wanted}]})  # fmt: skip


def _sections(kind: str, narrative: dict[str, Any] | None, errors: dict[str, list[str]]) -> dict[str, str]:
    keys = [k for k, _label, _help in Report.SECTIONS.get(kind, [])]
    out = {}
    for key, value in (narrative or {}).items():
        if key not in keys:
            errors.setdefault("narrative", [_("Bagian uraian tidak dikenal: %(k)s.") % {"k": str(key)[:30]}])
            continue
        text = ("" if value is None else str(value)).strip()
        if len(text) > MAX_TEXT:
            errors[key] = [_("Paling panjang %(n)s huruf.") % {"n": MAX_TEXT}]
        out[key] = text
    return out


def _step(report: Report, actor: Any, old: str, note: str = "") -> None:
    ReportStep.objects.create(report=report, from_state=old, to_state=report.state, actor=actor, at=timezone.now(),
                              note=note)  # fmt: skip
    audit.record(actor, "status", report, {"state": [old, report.state], "note": [None, note or None]})


@transaction.atomic
def report_create(*, actor: Any, post: Post, kind: str, year: int, period: str,
                  narrative: dict[str, Any] | None = None) -> Report:  # fmt: skip
    """Start a report of a post the actor works for, with its figures counted now; it begins as a draft.

    A work plan is yearly: its period is taken as `tahunan` whatever was asked."""
    if not may_create(actor, post):
        raise PermissionDenied
    if kind == Report.Kind.WORK_PLAN:
        period = Report.Period.YEAR
    errors: dict[str, list[str]] = {}
    if kind not in Report.Kind.values:
        errors["kind"] = [_("Pilih jenis laporan.")]
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = [_("Tulis tahun antara %(a)s dan %(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR}]
    if period not in Report.Period.values:
        errors["period"] = [_("Pilih periode.")]
    texts = _sections(kind, narrative, errors)
    if errors:
        raise ValidationError(errors)
    if Report.objects.filter(post=post, kind=kind, year=year, period=period).exists():
        raise ValidationError({"period": [_("Laporan ini sudah ada untuk pos, jenis, tahun dan periode yang sama.")]},
                              code="exists")  # fmt: skip
    start, end = period_dates(kind, year, period)
    report = Report(post=post, region_id=post.region_id, kind=kind, year=year, period=period,
                    recipient=recipient_for(post), starts_on=start, ends_on=end, narrative=texts,
                    figures=figures.compute(post, start, end), figures_at=timezone.now(), created_by=actor)  # fmt: skip
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # the same report made at the same moment by someone else
        raise ValidationError({"period": [_("Laporan ini sudah ada untuk pos, jenis, tahun dan periode yang sama.")]},
                              code="exists") from exc  # fmt: skip
    ReportStep.objects.create(report=report, from_state="", to_state=report.state, actor=actor, at=timezone.now())
    audit.record(actor, "create", report, {"kind": report.kind, "year": report.year, "period": report.period,
                                           "recipient": str(report.recipient), **texts})  # fmt: skip
    return report


@transaction.atomic
def report_update(*, actor: Any, report: Report, narrative: dict[str, Any], version: int | None = None) -> Report:
    """Change the narrative sections of a draft or a returned report."""
    if not may_edit(actor, report):
        raise PermissionDenied
    locked = lock_current(report, version)
    if not locked.is_editable:
        raise _state_error(locked, _("mengubah uraian"))
    errors: dict[str, list[str]] = {}
    texts = _sections(locked.kind, narrative, errors)
    if errors:
        raise ValidationError(errors)
    before = dict(locked.narrative or {})
    locked.narrative = {**before, **texts}
    changes = {k: [before.get(k) or None, v or None] for k, v in texts.items() if (before.get(k) or "") != v}
    locked.version += 1
    locked.save(update_fields=["narrative", "version", "updated"])
    if changes:
        audit.record(actor, "update", locked, changes)
    return locked


@transaction.atomic
def report_refresh(*, actor: Any, report: Report, version: int | None = None) -> Report:
    """Count a draft's figures again from the post's data (after late entries)."""
    if not may_edit(actor, report):
        raise PermissionDenied
    locked = lock_current(report, version)
    if locked.state != State.DRAFT:
        raise _state_error(locked, _("menghitung ulang angka"))
    locked.figures = figures.compute(locked.post, locked.starts_on, locked.ends_on)
    locked.figures_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["figures", "figures_at", "version", "updated"])
    audit.record(actor, "update", locked, {"figures_at": [None, locked.figures_at]})
    return locked


@transaction.atomic
def report_verify(*, actor: Any, report: Report, version: int | None = None) -> Report:
    """Verify a draft (or a returned report) as the chair: its figures are counted once more and frozen."""
    if not may_manage(actor, report):
        raise PermissionDenied
    locked = lock_current(report, version)
    if locked.state not in Report.EDITABLE:
        raise _state_error(locked, _("verifikasi"))
    old = locked.state
    locked.figures = figures.compute(locked.post, locked.starts_on, locked.ends_on)
    locked.state, locked.verified_by, locked.verified_at = State.VERIFIED, actor, timezone.now()
    locked.figures_at = locked.verified_at
    locked.version += 1
    locked.save()
    _step(locked, actor, old)
    return locked


@transaction.atomic
def report_submit(*, actor: Any, report: Report, version: int | None = None) -> Report:
    """Send a verified report to the office above; its officers are told by e-mail."""
    if not may_manage(actor, report):
        raise PermissionDenied
    locked = lock_current(report, version)
    if locked.state != State.VERIFIED:
        if locked.is_editable:
            raise ValidationError({"state": [_("Laporan harus diverifikasi ketua dulu sebelum dikirim.")]})
        raise _state_error(locked, _("pengiriman"))
    old = locked.state
    locked.state, locked.submitted_by, locked.submitted_at = State.SUBMITTED, actor, timezone.now()
    locked.decided_by, locked.decided_at, locked.decision_note = None, None, ""
    locked.version += 1
    locked.save()
    _step(locked, actor, old)
    notify.later(lambda: notify.email_submitted(locked.pk))
    return locked


def _decide(actor: Any, report: Report, version: int | None, state: str, note: str) -> Report:
    if not may_decide(actor, report):
        raise PermissionDenied
    locked = lock_current(report, version)
    note = (note or "").strip()
    if locked.state != State.SUBMITTED:
        raise _state_error(locked, _("penerimaan") if state == State.RECEIVED else _("pengembalian"))
    if state == State.RETURNED and not note:
        raise ValidationError({"note": [_("Tulis apa yang perlu diperbaiki sebelum mengembalikan laporan.")]})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [_("Paling panjang %(n)s huruf.") % {"n": MAX_NOTE}]})
    old = locked.state
    locked.state, locked.decided_by, locked.decided_at, locked.decision_note = state, actor, timezone.now(), note
    locked.version += 1
    locked.save()
    _step(locked, actor, old, note)
    return locked


@transaction.atomic
def report_receive(*, actor: Any, report: Report, note: str = "", version: int | None = None) -> Report:
    """Accept a submitted report, as an officer of the office it was sent to."""
    return _decide(actor, report, version, State.RECEIVED, note)


@transaction.atomic
def report_return(*, actor: Any, report: Report, note: str, version: int | None = None) -> Report:
    """Return a submitted report for revision with a note; the post's managers are told by e-mail."""
    locked = _decide(actor, report, version, State.RETURNED, note)
    notify.later(lambda: notify.email_returned(locked.pk))
    return locked


@transaction.atomic
def report_reopen(*, actor: Any, report: Report, version: int | None = None) -> Report:
    """Take a verified or returned report back to draft (to change it or count its figures again)."""
    if not may_manage(actor, report):
        raise PermissionDenied
    locked = lock_current(report, version)
    if locked.state not in (State.VERIFIED, State.RETURNED):
        raise _state_error(locked, _("membuka kembali"))
    old = locked.state
    locked.state, locked.verified_by, locked.verified_at = State.DRAFT, None, None
    locked.version += 1
    locked.save()
    _step(locked, actor, old)
    return locked


def may_step(user: Any, report: Report, step: str) -> bool:
    """Return whether `user` holds the right for `step` at all (whatever the report's state)."""
    if step == "refresh":
        return may_edit(user, report)
    if step in ("verify", "submit", "reopen"):
        return may_manage(user, report)
    if step in ("receive", "return"):
        return may_decide(user, report)
    return False


#: The steps each state allows.
STEPS_IN = {
    State.DRAFT: ["refresh", "verify"],
    State.VERIFIED: ["submit", "reopen"],
    State.SUBMITTED: ["receive", "return"],
    State.RECEIVED: [],
    State.RETURNED: ["verify", "reopen"],
}


def actions_for(user: Any, report: Report) -> list[str]:
    """Return the steps `user` may take on `report` now (for the page's buttons and the API)."""
    return [step for step in STEPS_IN.get(report.state, []) if may_step(user, report, step)]
