"""Writes on rubrics: from a template, new versions, meta and stage weights, criteria/indicators/weights/anchors.

Every change is refused once the rubric is in use (an edition past `persiapan` uses it): a new version can change.
Each write locks the rubric row (`concurrency.lock_current`: stale edits are refused), bumps its `version`, is
audited on the rubric and appended to the contest chain (`ContestLog.Kind.RUBRIC`, object `rubric:<pk>`).
Single edits may leave weights that do not sum to 100; `rubric_problems` says what is still wrong.

Reads used by the rubric and chain pages and API are in rubric_selectors.py.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyantek.contests import chain
from posyantek.contests.defaults import TEMPLATES
from posyantek.contests.models import Category, ContestLog, Criterion, Indicator, Rubric
from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import rank_on_region, user_grants

OVERSEE = 40
IN_USE = gettext_lazy("Rubrik sudah dipakai lomba yang berjalan; buat versi baru.")
#: The widest scale a rubric may use (each score needs an anchor text).
SCALE_LOW, SCALE_HIGH = 0, 10
FAMILY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
META_FIELDS = ["name", "year", "notes", "scale_min", "scale_max", "weight_admin", "weight_field",
               "weight_presentation"]  # fmt: skip
CRITERION_FIELDS = ["code", "title", "weight", "order"]
INDICATOR_FIELDS = ["code", "title", "weight", "anchors", "evidence", "evidence_mandatory", "prefill_key", "order"]
#: How a criterion's or indicator's changed field is named in the rubric's history (Riwayat).
HISTORY_NAMES = {"code": "kode", "title": "nama", "weight": "bobot", "order": "urutan", "anchors": "arti_skor",
                 "evidence": "bukti", "evidence_mandatory": "bukti_wajib", "prefill_key": "angka_sistem"}  # fmt: skip


def _readable(value: Any) -> Any:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in sorted(value.items()))
    return value


def _history(prefix: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Return a criterion's or indicator's changes keyed for the rubric's history (anchors as readable text)."""
    return {f"{prefix}_{HISTORY_NAMES.get(k, k)}": [_readable(a), _readable(b)] for k, (a, b) in changes.items()}


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def rubric_from_template(*, actor: Any, category: str, region: Any = None, year: int | None = None,
                         family: str | None = None, is_template: bool = False) -> Rubric:  # fmt: skip
    """Build a rubric (version 1 of `family`, or the template's family) from a built-in template."""
    tpl = TEMPLATES[category]
    family = family or tpl["family"]
    last = Rubric.objects.filter(family=family).order_by("-version_no").first()
    rubric = Rubric.objects.create(
        region=region, family=family, version_no=(last.version_no + 1) if last else 1, previous=last,
        name=tpl["name"] if is_template else tpl["name"].replace(" (templat)", "") + (f" {year}" if year else ""),
        category=category, year=year, notes=tpl["notes"], is_template=is_template,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    for order, (code, title, weight, indicators) in enumerate(tpl["criteria"]):
        crit = Criterion.objects.create(rubric=rubric, code=code, title=title, weight=weight, order=order)
        Indicator.objects.bulk_create(
            Indicator(criterion=crit, code=i["code"], title=i["title"], weight=i["weight"], anchors=i["anchors"],
                      evidence=i["evidence"], evidence_mandatory=i["mandatory"], prefill_key=i["prefill"], order=k)
            for k, i in enumerate(indicators)
        )  # fmt: skip
    if getattr(actor, "pk", None):
        audit.record(actor=actor, action="create", obj=rubric, changes={"templat": category})
    chain.append(actor=actor if getattr(actor, "pk", None) else None, kind=ContestLog.Kind.RUBRIC,
                 object_key=f"rubric:{rubric.pk}", payload={"event": "created", "template": category,
                                                           "version": rubric.version_no})  # fmt: skip
    return rubric


# ---------------------------------------------------------------- who may change


def can_change(user: Any, rubric: Rubric) -> bool:
    """Return whether `user` may change `rubric`: oversee on its region; a national rubric: a national admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    if rubric.region_id is None:
        return any(g.is_national and g.rank >= OVERSEE for g in user_grants(user))
    return rank_on_region(user, rubric.region_id) >= OVERSEE


def can_create(user: Any) -> bool:
    """Return whether `user` organises anywhere (oversee on some region, or nationally)."""
    return any(g.rank >= OVERSEE and (g.is_national or g.region_code) for g in user_grants(user))


def may_own(user: Any, region: Any) -> bool:
    """Return whether `user` may own a rubric for `region` (None = national)."""
    if region is None:
        return any(g.is_national and g.rank >= OVERSEE for g in user_grants(user))
    code = region.pk if hasattr(region, "pk") else str(region)
    return rank_on_region(user, code) >= OVERSEE


def owner_regions_q(user: Any) -> Q | None:
    """Return the filter of regions (province/kota) a user may own rubrics for; None means all of them."""
    q = Q(pk__in=[])
    for g in user_grants(user):
        if g.rank < OVERSEE:
            continue
        if g.is_national:
            return None
        if g.region_code:
            q |= Q(code=g.region_code) | Q(code__startswith=g.region_code + ".")
    return q


def _lock(actor: Any, rubric: Rubric, version: int | None) -> Rubric:
    """Lock the rubric for a change: the actor organises it, the version is current, it is not in use."""
    if not can_change(actor, rubric):
        raise PermissionDenied
    locked = lock_current(rubric, version)
    if locked.is_in_use:
        raise ValidationError(IN_USE, code="in_use")
    return locked


def _done(actor: Any, rubric: Rubric, action: str, changes: dict[str, Any], payload: dict[str, Any]) -> Rubric:
    """Bump the rubric's version, audit the change on it and append it to the chain."""
    rubric.version += 1
    rubric.save(update_fields=["version", "updated"])
    audit.record(actor=actor, action=action, obj=rubric, changes=changes)
    chain.append(actor=_actor(actor), kind=ContestLog.Kind.RUBRIC, object_key=f"rubric:{rubric.pk}",
                 payload=payload | {"data_version": rubric.version})  # fmt: skip
    return rubric


def _check_weight(value: Any, field: str, errors: dict[str, list[str]]) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        errors.setdefault(field, []).append(_("Bobot harus bilangan bulat 0–100."))


# ---------------------------------------------------------------- rubrics


@transaction.atomic
def rubric_create(*, actor: Any, category: str, region: Any, year: int | None, family: str,
                  name: str = "") -> Rubric:  # fmt: skip
    """Create version 1 of a new rubric family for `region` (None = national), copied from the category's template.

    The template is the newest national template rubric of the category (it may have been edited), or else the
    built-in default (defaults.TEMPLATES).
    """
    errors: dict[str, list[str]] = {}
    if category not in Category.values:
        errors["category"] = [_("Pilih kategori templat.")]
    family = (family or "").strip().lower()
    if not FAMILY_RE.match(family) or len(family) > 60:
        errors["family"] = [_("Kode rubrik hanya huruf kecil, angka dan tanda hubung (mis. dki-posyantek-2026).")]
    elif Rubric.objects.filter(family=family).exists():
        errors["family"] = [_("Kode rubrik %(f)s sudah dipakai; pilih kode lain.") % {"f": family}]
    if year is not None and not 2000 <= year <= 2100:
        errors["year"] = [_("Tahun harus antara 2000 dan 2100.")]
    if region is not None and getattr(region, "level", 1) not in (1, 2):
        errors["region"] = [_("Rubrik dimiliki provinsi atau kabupaten/kota.")]
    if errors:
        raise ValidationError(errors)
    if not may_own(actor, region):
        raise PermissionDenied
    try:
        with transaction.atomic():
            return _create_from_template(actor, category, region, year, family, name)
    except IntegrityError as exc:  # another organiser took the same code a moment ago
        raise ValidationError(
            {"family": [_("Kode rubrik %(f)s sudah dipakai; pilih kode lain.") % {"f": family}]}
        ) from exc


def _create_from_template(actor: Any, category: str, region: Any, year: int | None, family: str,
                          name: str) -> Rubric:  # fmt: skip
    source = (
        Rubric.objects.filter(region__isnull=True, is_template=True, category=category)
        .order_by("-version_no", "-pk")
        .first()
    )
    if source is None:
        rubric = rubric_from_template(actor=actor, category=category, region=region, year=year, family=family)
        if name:
            rubric.name = name[:200]
            rubric.save(update_fields=["name", "updated"])
        return rubric
    name = name or source.name.replace(" (templat)", "") + (f" {year}" if year else "")
    rubric = _copy(source, region=region, family=family, version_no=1, previous=None, actor=actor, name=name,
                   year=year)  # fmt: skip
    audit.record(actor=actor, action="create", obj=rubric, changes={"templat": str(source)})
    chain.append(actor=_actor(actor), kind=ContestLog.Kind.RUBRIC, object_key=f"rubric:{rubric.pk}",
                 payload={"event": "created", "template": category, "from": source.pk,
                          "version": rubric.version_no})  # fmt: skip
    return rubric


def _copy(source: Rubric, *, region: Any, family: str, version_no: int, previous: Rubric | None, actor: Any,
          name: str, year: int | None, is_template: bool = False) -> Rubric:  # fmt: skip
    """Copy a rubric with its criteria, indicators and anchors into a new row."""
    rubric = Rubric.objects.create(
        region=region, family=family, version_no=version_no, previous=previous, name=name[:200],
        category=source.category, year=year, notes=source.notes, scale_min=source.scale_min,
        scale_max=source.scale_max, weight_admin=source.weight_admin, weight_field=source.weight_field,
        weight_presentation=source.weight_presentation, is_template=is_template,
        created_by=_actor(actor),
    )  # fmt: skip
    for crit in source.criteria.prefetch_related("indicators"):
        new = Criterion.objects.create(rubric=rubric, code=crit.code, title=crit.title, weight=crit.weight,
                                       order=crit.order)  # fmt: skip
        Indicator.objects.bulk_create(
            Indicator(criterion=new, code=i.code, title=i.title, weight=i.weight, anchors=dict(i.anchors),
                      evidence=i.evidence, evidence_mandatory=i.evidence_mandatory, prefill_key=i.prefill_key,
                      order=i.order)
            for i in crit.indicators.all()
        )  # fmt: skip
    return rubric


@transaction.atomic
def rubric_new_version(*, actor: Any, rubric: Rubric, year: int | None = None) -> Rubric:
    """Copy `rubric` as the next version of its family (allowed while the old one is in use)."""
    if not can_change(actor, rubric):
        raise PermissionDenied
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Tahun harus antara 2000 dan 2100.")]})
    # Lock the family's newest row so two copies at once do not take the same number.
    last = Rubric.objects.select_for_update().filter(family=rubric.family).order_by("-version_no").first()
    version_no = (last.version_no if last else rubric.version_no) + 1
    new = _copy(rubric, region=rubric.region, family=rubric.family, version_no=version_no, previous=rubric,
                actor=actor, name=rubric.name, year=year if year is not None else rubric.year,
                is_template=rubric.is_template)  # fmt: skip
    audit.record(actor=actor, action="create", obj=new, changes={"versi": [rubric.version_no, new.version_no]})
    chain.append(actor=_actor(actor), kind=ContestLog.Kind.RUBRIC, object_key=f"rubric:{new.pk}",
                 payload={"event": "new_version", "from": rubric.pk, "version": new.version_no})  # fmt: skip
    return new


@transaction.atomic
def rubric_update(*, actor: Any, rubric: Rubric, data: dict[str, Any], version: int | None) -> Rubric:
    """Change a rubric's name, year, notes, scale and stage weights (which must sum to 100).

    When the scale shrinks, anchors for scores outside it are dropped; anchors missing for new scores are reported
    by `rubric_problems` until written.
    """
    locked = _lock(actor, rubric, version)
    data = {k: v for k, v in data.items() if k in META_FIELDS}
    merged = {f: data.get(f, getattr(locked, f)) for f in META_FIELDS}
    errors: dict[str, list[str]] = {}
    if not str(merged["name"] or "").strip():
        errors["name"] = [_("Nama rubrik wajib diisi.")]
    if merged["year"] is not None and not 2000 <= merged["year"] <= 2100:
        errors["year"] = [_("Tahun harus antara 2000 dan 2100.")]
    low, high = merged["scale_min"], merged["scale_max"]
    if not (isinstance(low, int) and isinstance(high, int) and SCALE_LOW <= low < high <= SCALE_HIGH):
        errors["scale_max"] = [_("Skala tidak sah: skor terendah harus lebih kecil dari skor tertinggi, "
                                 "keduanya antara %(a)s dan %(b)s.") % {"a": SCALE_LOW, "b": SCALE_HIGH}]  # fmt: skip
    stages = ("weight_admin", "weight_field", "weight_presentation")
    for f in stages:
        _check_weight(merged[f], f, errors)
    if not errors and sum(merged[f] for f in stages) != 100:
        total = sum(merged[f] for f in stages)
        errors["weight_presentation"] = [_("Bobot tahap harus berjumlah 100 (sekarang %(n)s).") % {"n": total}]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(locked, META_FIELDS)
    for f, v in merged.items():
        setattr(locked, f, v.strip() if isinstance(v, str) else v)
    locked.save()
    dropped = 0
    if (before["scale_min"], before["scale_max"]) != (low, high):
        keep = {str(s) for s in range(low, high + 1)}
        for ind in Indicator.objects.filter(criterion__rubric=locked):
            trimmed = {k: v for k, v in ind.anchors.items() if k in keep}
            if trimmed != ind.anchors:
                dropped += len(ind.anchors) - len(trimmed)
                ind.anchors = trimmed
                ind.save(update_fields=["anchors"])
    changes = audit.diff(before, audit.snapshot(locked, META_FIELDS))
    payload: dict[str, Any] = {"event": "updated", "changes": changes}
    if dropped:
        payload["anchors_dropped"] = dropped
    return _done(actor, locked, "update", changes, payload)


@transaction.atomic
def rubric_set_weights(*, actor: Any, rubric: Rubric, weights: dict[int, int], version: int | None) -> Rubric:
    """Set every criterion's weight at once; they must sum to 100 and name each criterion of the rubric."""
    locked = _lock(actor, rubric, version)
    criteria = {c.pk: c for c in locked.criteria.all()}
    return _set_weights(actor, locked, criteria, weights, _("kriteria"), "bobot_kriteria")


def _set_weights(actor: Any, rubric: Rubric, rows: dict[int, Any], weights: dict[int, int], what: str,
                 key: str, criterion: Criterion | None = None) -> Rubric:  # fmt: skip
    errors: dict[str, list[str]] = {}
    if set(weights) != set(rows):
        errors["__all__"] = [_("Isi bobot setiap %(what)s rubrik ini, tidak lebih dan tidak kurang.") % {"what": what}]
    for pk, w in weights.items():
        _check_weight(w, f"w_{pk}", errors)
    if not errors and sum(weights.values()) != 100:
        errors["__all__"] = [_("Bobot %(what)s harus berjumlah 100 (sekarang %(n)s).")
                             % {"what": what, "n": sum(weights.values())}]  # fmt: skip
    if errors:
        raise ValidationError(errors)
    changes = {}
    for pk, row in rows.items():
        if row.weight != weights[pk]:
            changes[row.code] = [row.weight, weights[pk]]
            row.weight = weights[pk]
            row.save(update_fields=["weight"])
    payload: dict[str, Any] = {"event": key, "weights": {r.code: weights[pk] for pk, r in rows.items()}}
    if criterion is not None:
        payload["criterion"] = criterion.code
    summary = ", ".join(f"{c}: {a}→{b}" for c, (a, b) in changes.items())
    return _done(actor, rubric, "update", {key: summary or _("tidak berubah")}, payload)


# ---------------------------------------------------------------- criteria


def _criterion_data(rubric: Rubric, data: dict[str, Any], current: Criterion | None) -> dict[str, Any]:
    merged = {f: data.get(f, getattr(current, f, None)) for f in CRITERION_FIELDS}
    merged["code"] = str(merged["code"] or "").strip().upper()
    merged["title"] = str(merged["title"] or "").strip()
    merged["order"] = merged["order"] if merged["order"] is not None else rubric.criteria.count()
    errors: dict[str, list[str]] = {}
    if not merged["code"] or len(merged["code"]) > 10:
        errors["code"] = [_("Kode kriteria wajib diisi (paling banyak 10 karakter).")]
    elif rubric.criteria.filter(code=merged["code"]).exclude(pk=getattr(current, "pk", None)).exists():
        errors["code"] = [_("Kode %(c)s sudah dipakai kriteria lain di rubrik ini.") % {"c": merged["code"]}]
    if not merged["title"]:
        errors["title"] = [_("Nama kriteria wajib diisi.")]
    _check_weight(merged["weight"], "weight", errors)
    if errors:
        raise ValidationError(errors)
    return merged


@transaction.atomic
def criterion_add(*, actor: Any, rubric: Rubric, data: dict[str, Any], version: int | None) -> Criterion:
    """Add a criterion (its weight may leave the rubric's weights off 100 until the weights form is saved)."""
    locked = _lock(actor, rubric, version)
    clean = _criterion_data(locked, data, None)
    crit = Criterion.objects.create(rubric=locked, **clean)
    _done(actor, locked, "update", {"kriteria": [None, str(crit)]},
          {"event": "criterion_added", "criterion": clean})  # fmt: skip
    return crit


@transaction.atomic
def criterion_update(*, actor: Any, criterion: Criterion, data: dict[str, Any], version: int | None) -> Criterion:
    """Change a criterion's code, title, weight or order."""
    locked = _lock(actor, criterion.rubric, version)
    crit = Criterion.objects.select_for_update().get(pk=criterion.pk, rubric=locked)
    clean = _criterion_data(locked, data, crit)
    before = audit.snapshot(crit, CRITERION_FIELDS)
    for f, v in clean.items():
        setattr(crit, f, v)
    crit.save()
    changes = audit.diff(before, audit.snapshot(crit, CRITERION_FIELDS))
    _done(actor, locked, "update", {"kriteria": str(crit), **_history("kriteria", changes)},
          {"event": "criterion_updated", "criterion": crit.code, "changes": changes})  # fmt: skip
    return crit


@transaction.atomic
def criterion_remove(*, actor: Any, criterion: Criterion, version: int | None) -> Rubric:
    """Remove a criterion with its indicators."""
    locked = _lock(actor, criterion.rubric, version)
    crit = Criterion.objects.get(pk=criterion.pk, rubric=locked)
    label = str(crit)
    try:
        with transaction.atomic():
            crit.delete()
    except ProtectedError as exc:
        raise ValidationError(_("Kriteria ini sudah punya isian dossier atau skor; tidak dapat dihapus.")) from exc
    return _done(actor, locked, "update", {"kriteria": [label, None]},
                 {"event": "criterion_removed", "criterion": label})  # fmt: skip


@transaction.atomic
def criterion_set_weights(*, actor: Any, criterion: Criterion, weights: dict[int, int],
                          version: int | None) -> Rubric:  # fmt: skip
    """Set the weights of all indicators of a criterion at once; they must sum to 100."""
    locked = _lock(actor, criterion.rubric, version)
    crit = Criterion.objects.get(pk=criterion.pk, rubric=locked)
    rows = {i.pk: i for i in crit.indicators.all()}
    if not rows:
        raise ValidationError(_("Kriteria %(c)s belum punya indikator.") % {"c": crit.code})
    return _set_weights(actor, locked, rows, weights, _("indikator kriteria %(c)s") % {"c": crit.code},
                        "bobot_indikator", criterion=crit)  # fmt: skip


# ---------------------------------------------------------------- indicators


def _indicator_data(rubric: Rubric, criterion: Criterion, data: dict[str, Any],
                    current: Indicator | None) -> dict[str, Any]:  # fmt: skip
    from posyantek.contests.defaults import PREFILL_KEYS

    merged = {f: data.get(f, getattr(current, f, None)) for f in INDICATOR_FIELDS}
    merged["code"] = str(merged["code"] or "").strip().upper()
    merged["title"] = str(merged["title"] or "").strip()
    merged["evidence"] = str(merged["evidence"] or "").strip()
    merged["prefill_key"] = merged["prefill_key"] or ""
    merged["evidence_mandatory"] = bool(merged["evidence_mandatory"])
    merged["order"] = merged["order"] if merged["order"] is not None else criterion.indicators.count()
    errors: dict[str, list[str]] = {}
    if not merged["code"] or len(merged["code"]) > 10:
        errors["code"] = [_("Kode indikator wajib diisi (paling banyak 10 karakter).")]
    elif criterion.indicators.filter(code=merged["code"]).exclude(pk=getattr(current, "pk", None)).exists():
        errors["code"] = [_("Kode %(c)s sudah dipakai indikator lain di kriteria ini.") % {"c": merged["code"]}]
    if not merged["title"]:
        errors["title"] = [_("Nama indikator wajib diisi.")]
    if len(merged["title"]) > 300:
        errors["title"] = [_("Nama indikator paling banyak 300 karakter.")]
    if len(merged["evidence"]) > 300:
        errors["evidence"] = [_("Bukti yang diminta paling banyak 300 karakter.")]
    _check_weight(merged["weight"], "weight", errors)
    if merged["prefill_key"] and merged["prefill_key"] not in PREFILL_KEYS:
        errors["prefill_key"] = [_("Pilih angka sistem dari daftar.")]
    if merged["evidence_mandatory"] and not merged["evidence"]:
        errors["evidence"] = [_("Sebutkan bukti yang diminta bila bukti wajib.")]
    anchors = merged["anchors"] or {}
    if not isinstance(anchors, dict):
        errors["anchors"] = [_("Arti skor harus berupa pasangan skor dan teks.")]
        anchors = {}
    scores = {str(s) for s in range(rubric.scale_min, rubric.scale_max + 1)}
    outside = sorted(k for k in anchors if str(k) not in scores)
    if outside:
        errors["anchors"] = [
            _("Skor %(s)s di luar skala %(a)s–%(b)s.")
            % {"s": ", ".join(map(str, outside)), "a": rubric.scale_min, "b": rubric.scale_max}
        ]
    merged["anchors"] = {str(k): str(v).strip()[:500] for k, v in anchors.items() if str(v or "").strip()}
    if errors:
        raise ValidationError(errors)
    return merged


@transaction.atomic
def indicator_add(*, actor: Any, criterion: Criterion, data: dict[str, Any], version: int | None) -> Indicator:
    """Add an indicator to a criterion, with its weight, anchors per score and the evidence asked."""
    locked = _lock(actor, criterion.rubric, version)
    crit = Criterion.objects.get(pk=criterion.pk, rubric=locked)
    clean = _indicator_data(locked, crit, data, None)
    ind = Indicator.objects.create(criterion=crit, **clean)
    _done(actor, locked, "update", {"indikator": [None, str(ind)]},
          {"event": "indicator_added", "criterion": crit.code, "indicator": clean})  # fmt: skip
    return ind


@transaction.atomic
def indicator_update(*, actor: Any, indicator: Indicator, data: dict[str, Any], version: int | None) -> Indicator:
    """Change an indicator: code, title, weight, anchors, evidence asked, system figure."""
    locked = _lock(actor, indicator.criterion.rubric, version)
    ind = (
        Indicator.objects.select_for_update().select_related("criterion").get(pk=indicator.pk, criterion__rubric=locked)
    )
    clean = _indicator_data(locked, ind.criterion, data, ind)
    before = audit.snapshot(ind, INDICATOR_FIELDS)
    for f, v in clean.items():
        setattr(ind, f, v)
    ind.save()
    changes = audit.diff(before, audit.snapshot(ind, INDICATOR_FIELDS))
    _done(actor, locked, "update", {"indikator": str(ind), **_history("indikator", changes)},
          {"event": "indicator_updated", "indicator": ind.code, "changes": changes})  # fmt: skip
    return ind


@transaction.atomic
def indicator_remove(*, actor: Any, indicator: Indicator, version: int | None) -> Rubric:
    """Remove an indicator."""
    locked = _lock(actor, indicator.criterion.rubric, version)
    ind = Indicator.objects.get(pk=indicator.pk, criterion__rubric=locked)
    label = str(ind)
    try:
        with transaction.atomic():
            ind.delete()
    except ProtectedError as exc:
        raise ValidationError(_("Indikator ini sudah punya isian dossier atau skor; tidak dapat dihapus.")) from exc
    return _done(actor, locked, "update", {"indikator": [label, None]},
                 {"event": "indicator_removed", "indicator": label})  # fmt: skip


# ---------------------------------------------------------------- problems


def rubric_problems(rubric: Rubric) -> list[str]:
    """Return what keeps `rubric` from being used (Indonesian messages); an empty list means it is usable."""
    problems: list[str] = []
    low, high = rubric.scale_min, rubric.scale_max
    scale_ok = low < high
    if not scale_ok:
        problems.append(_("Skala tidak sah: skor terendah (%(a)s) harus lebih kecil dari skor tertinggi (%(b)s).")
                        % {"a": low, "b": high})  # fmt: skip
    stages = rubric.weight_admin + rubric.weight_field + rubric.weight_presentation
    if stages != 100:
        problems.append(_("Bobot tahap berjumlah %(n)s, harus 100.") % {"n": stages})
    cache = getattr(rubric, "_prefetched_objects_cache", {})
    criteria = list(cache["criteria"]) if "criteria" in cache else list(rubric.criteria.prefetch_related("indicators"))
    if not criteria:
        problems.append(_("Rubrik belum punya kriteria."))
        return problems
    total = sum(c.weight for c in criteria)
    if total != 100:
        problems.append(_("Bobot kriteria berjumlah %(n)s, harus 100.") % {"n": total})
    scores = [str(s) for s in range(low, high + 1)] if scale_ok else []
    for crit in criteria:
        indicators = list(crit.indicators.all())
        if not indicators:
            problems.append(_("Kriteria %(c)s belum punya indikator.") % {"c": crit})
            continue
        sub = sum(i.weight for i in indicators)
        if sub != 100:
            problems.append(_("Bobot indikator kriteria %(c)s berjumlah %(n)s, harus 100.") % {"c": crit, "n": sub})
        for ind in indicators:
            missing = [s for s in scores if not str((ind.anchors or {}).get(s, "")).strip()]
            if missing:
                problems.append(_("Indikator %(i)s: arti skor %(s)s belum diisi.")
                                % {"i": ind.code, "s": ", ".join(missing)})  # fmt: skip
    return problems
