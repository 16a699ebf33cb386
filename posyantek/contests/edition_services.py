"""Writes on contest editions: create, change, schedule, prizes, and moving through the stages.

Only an edition's organisers write (access.can_organise: oversee on its region; national: the national admin).
Every write is audited; creation, changes and stage moves are also appended to the contest chain.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from posyantek.contests import access, chain
from posyantek.contests.defaults import TEMPLATES
from posyantek.contests.models import REGION_LEVEL, ContestLog, Edition, EditionStage, Level, Prize, Rubric
from posyantek.core import audit
from posyantek.core.concurrency import lock_current

STATE_ORDER: list[str] = list(Edition.State.values)
#: States only the publication of results (part D) moves an edition into.
PUBLISH_STATES = (Edition.State.DECIDED, Edition.State.CLOSED)
#: What can no longer change once the edition has left `persiapan` (the rubric is then in use).
FROZEN_FIELDS = ("category", "year", "level", "region", "rubric", "period_start", "period_end")
EDITABLE_FIELDS = (
    "name", "category", "year", "level", "region", "organiser", "rubric", "period_start", "period_end",
    "guidelines", "description", "forward_count", "normalise", "tie_rule", "plenary_date", "plenary_place",
    "plenary_notes", "minutes_number", "decree_number", "decree_date", "signatory_name", "signatory_title",
)  # fmt: skip


def rubric_choices(*, user: Any, category: str | None = None) -> Any:
    """Return the rubrics an organiser may pick: national ones (templates included) and those they may see."""
    qs = Rubric.objects.filter(Q(region__isnull=True) | Q(pk__in=Rubric.objects.for_user(user, "view").values("pk")))
    return qs.filter(category=category) if category else qs


def _log(actor: Any, edition: Edition, payload: dict[str, Any]) -> None:
    chain.append(actor=actor, kind=ContestLog.Kind.EDITION, object_key=f"edition:{edition.pk}", payload=payload,
                 edition=edition)  # fmt: skip


def _check(actor: Any, edition: Edition) -> None:
    """Check level ↔ region, who organises, rubric, tie rule and period of an edition about to be saved."""
    region = edition.region
    if edition.level == Level.NATIONAL:
        if region is not None:
            raise ValidationError({"region": _("Lomba tingkat nasional tidak memiliki wilayah.")})
    elif region is None:
        raise ValidationError({"region": _("Pilih wilayah lomba.")})
    elif region.level != REGION_LEVEL[edition.level]:
        msg = (_("Lomba tingkat kabupaten/kota mencakup satu kabupaten/kota.") if edition.level == Level.KABKOTA
               else _("Lomba tingkat provinsi mencakup satu provinsi."))  # fmt: skip
        raise ValidationError({"region": msg})
    if not access.can_organise(actor, edition):
        raise PermissionDenied
    rubric = edition.rubric
    if rubric.category != edition.category:
        raise ValidationError({"rubric": _("Rubrik harus untuk kategori lomba yang sama.")})
    if not rubric_choices(user=actor).filter(pk=rubric.pk).exists():
        raise ValidationError({"rubric": _("Rubrik ini tidak dapat Anda pakai.")})
    if edition.period_end < edition.period_start:
        raise ValidationError({"period_end": _("Akhir periode data tidak boleh sebelum awalnya.")})
    codes = [c.strip() for c in (edition.tie_rule or "").split(",") if c.strip()]
    known = set(rubric.criteria.values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError({"tie_rule": _("Kode kriteria tidak ada di rubrik: %(codes)s.")
                               % {"codes": ", ".join(unknown)}})  # fmt: skip
    edition.tie_rule = ",".join(codes)


@transaction.atomic
def edition_create(*, actor: Any, data: dict[str, Any]) -> Edition:
    """Create an edition in `persiapan` for a region the actor oversees (national: the national admin only)."""
    data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    if data.get("tie_rule") is None and data.get("category") in TEMPLATES:
        data["tie_rule"] = TEMPLATES[data["category"]]["tie_rule"]
    if not data.get("guidelines"):
        data.pop("guidelines", None)
    edition = Edition(**data, state=Edition.State.DRAFT, created_by=actor)
    _check(actor, edition)
    edition.save()
    audit.record(actor, "create", edition, {k: getattr(edition, k) for k in ("name", "category", "year", "level")})
    _log(actor, edition, {"event": "created", "category": edition.category, "year": edition.year,
                          "level": edition.level, "region": edition.region_id,
                          "rubric": edition.rubric_id})  # fmt: skip
    return edition


@transaction.atomic
def edition_update(*, actor: Any, edition: Edition, data: dict[str, Any], version: int | None = None) -> Edition:
    """Change an edition's details; its category, level, region, rubric and period only while in `persiapan`."""
    access.require_organiser(actor, edition)
    edition = lock_current(edition, version)
    data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    if "guidelines" in data and not data["guidelines"]:
        data.pop("guidelines")
    before = audit.snapshot(edition, list(data))
    if edition.state != Edition.State.DRAFT:
        changed = [f for f in FROZEN_FIELDS if f in data and before[f] != audit._plain(data[f])]
        if changed:
            raise ValidationError({f: _("Tidak dapat diubah setelah lomba diumumkan.") for f in changed})
    for key, value in data.items():
        setattr(edition, key, value)
    _check(actor, edition)
    edition.version += 1
    edition.save()
    changes = audit.diff(before, audit.snapshot(edition, list(data)))
    if changes:
        audit.record(actor, "update", edition, changes)
        _log(actor, edition, {"event": "updated", "fields": sorted(changes)})
    return edition


@transaction.atomic
def move_state(*, actor: Any, edition: Edition, state: str) -> Edition:
    """Move an edition forward to `state` (stages may be skipped, never gone back to).

    Leaving `persiapan` needs a usable rubric (rubric_services.rubric_problems); `penetapan` and `selesai` are
    reached through the publication of results, except `selesai` once the results are published.
    """
    access.require_organiser(actor, edition)
    edition = lock_current(edition, None)
    if state not in STATE_ORDER:
        raise ValidationError({"state": _("Tahap tidak dikenal.")})
    if STATE_ORDER.index(state) <= STATE_ORDER.index(edition.state):
        raise ValidationError({"state": _("Tahap lomba hanya dapat maju, dari %(now)s ke tahap sesudahnya.")
                               % {"now": edition.get_state_display()}})  # fmt: skip
    if state == Edition.State.DECIDED or (state == Edition.State.CLOSED and not edition.is_published):
        raise ValidationError({"state": _("Penetapan juara dilakukan dengan mengumumkan hasil di halaman hasil.")})
    if edition.state == Edition.State.DRAFT:
        from posyantek.contests.rubric_services import rubric_problems

        problems = rubric_problems(edition.rubric)
        if problems:
            raise ValidationError({"state": [_("Rubrik belum dapat dipakai:"), *problems]})
    before = edition.state
    edition.state = state
    edition.version += 1
    edition.save(update_fields=["state", "version", "updated"])
    audit.record(actor, "update", edition, {"state": [before, state]})
    _log(actor, edition, {"event": "state", "from": before, "to": state})
    return edition


# ---------------------------------------------------------------- schedule


def _stage_check(edition: Edition, stage: EditionStage) -> None:
    if stage.deadline < stage.starts:
        raise ValidationError({"deadline": _("Batas akhir tidak boleh sebelum tanggal mulai.")})
    if edition.stages.filter(kind=stage.kind).exclude(pk=stage.pk).exists():
        raise ValidationError({"kind": _("Tahap ini sudah ada di jadwal.")})


@transaction.atomic
def stage_save(*, actor: Any, edition: Edition, data: dict[str, Any], stage: EditionStage | None = None
               ) -> EditionStage:  # fmt: skip
    """Add a step to the schedule, or change one."""
    access.require_organiser(actor, edition)
    stage = stage or EditionStage(edition=edition)
    if stage.edition_id != edition.pk:
        raise PermissionDenied
    for key in ("kind", "starts", "deadline", "note"):
        if key in data:
            setattr(stage, key, data[key])
    _stage_check(edition, stage)
    stage.save()
    audit.record(actor, "update", edition, {"jadwal": f"{stage.get_kind_display()}: {stage.starts} – {stage.deadline}"})
    return stage


@transaction.atomic
def stage_remove(*, actor: Any, stage: EditionStage) -> None:
    """Remove a step from the schedule."""
    access.require_organiser(actor, stage.edition)
    audit.record(actor, "update", stage.edition, {"jadwal": [stage.get_kind_display(), None]})
    stage.delete()


# ---------------------------------------------------------------- prizes


@transaction.atomic
def prize_save(*, actor: Any, edition: Edition, data: dict[str, Any], prize: Prize | None = None) -> Prize:
    """Add a prize (rank, title, amount in rupiah, other reward), or change one."""
    access.require_organiser(actor, edition)
    prize = prize or Prize(edition=edition)
    if prize.edition_id != edition.pk:
        raise PermissionDenied
    for key in ("rank", "title", "amount", "other"):
        if key in data:
            setattr(prize, key, data[key])
    if not prize.rank:
        raise ValidationError({"rank": _("Peringkat mulai dari 1.")})
    if edition.prizes.filter(rank=prize.rank).exclude(pk=prize.pk).exists():
        raise ValidationError({"rank": _("Sudah ada hadiah untuk peringkat ini.")})
    try:
        with transaction.atomic():
            prize.save()
    except IntegrityError as exc:
        raise ValidationError({"rank": _("Sudah ada hadiah untuk peringkat ini.")}) from exc
    amount = f"{prize.amount:,}".replace(",", ".")
    audit.record(actor, "update", edition, {"hadiah": f"{prize.rank}. {prize.title}: Rp {amount}"})
    return prize


@transaction.atomic
def prize_remove(*, actor: Any, prize: Prize) -> None:
    """Remove a prize."""
    access.require_organiser(actor, prize.edition)
    audit.record(actor, "update", prize.edition, {"hadiah": [f"{prize.rank}. {prize.title}", None]})
    prize.delete()
