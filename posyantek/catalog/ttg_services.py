"""Writes on technology records: create, edit, photos, adoption, pipeline stage, publication, search index."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyantek.catalog import search
from posyantek.catalog.models import Adoption, Innovator, Ttg, TtgPhoto, TtgStageChange
from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.lib import images
from posyantek.core.scoping import Action, covers_region, rank_on_post, require
from posyantek.regions.models import Region

TTG_FIELDS = [
    "name", "other_names", "post", "year_made", "source", "sector", "aspect", "kind", "commodities", "problem",
    "function", "benefits", "target_users", "dimensions", "materials", "power_source", "power_watt", "capacity",
    "capacity_unit", "local_materials", "how_it_works", "operation", "maintenance", "safety", "food_grade", "price",
    "production_cost", "operating_cost", "value_added", "factory_comparison", "payback_months", "readiness", "trl",
    "ip_status", "ip_number", "producer", "producer_contact", "lead_time_days", "recognition", "video_url", "region",
]  # fmt: skip
#: What a record must have before it may be published (and a photo).
REQUIRED_TO_PUBLISH = ["name", "sector", "aspect", "problem", "function", "how_it_works"]
#: Search weights per field: the name counts most.


def _check_numbers(ttg: Ttg) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field in ("price", "production_cost", "power_watt", "payback_months", "lead_time_days", "capacity"):
        value = getattr(ttg, field)
        if value is not None and value < 0:
            errors[field] = [_("Tidak boleh negatif.")]
    if ttg.trl is not None and not 1 <= ttg.trl <= 9:
        errors["trl"] = [_("TRL antara 1 dan 9.")]
    if ttg.year_made and not 1900 <= ttg.year_made <= timezone.localdate().year:
        errors["year_made"] = [_("Tahun tidak masuk akal.")]
    return errors


def _prepare(actor: Any, ttg: Ttg, innovators: list[Innovator] | None) -> None:
    errors = _check_numbers(ttg)
    if not (ttg.name or "").strip():
        errors["name"] = [_("Nama TTG wajib diisi.")]
    if ttg.post_id is None:
        errors["post"] = [_("Pilih pos pembina.")]
    elif rank_on_post(actor, ttg.post) < Action.EDIT:
        errors["post"] = [_("Anda tidak dapat mencatat TTG untuk pos ini.")]
    elif not ttg.region_id or not covers_region(ttg.post.region_id, ttg.region_id):
        # A record comes from its post's area (a village of it, at most); after a move it follows the post.
        ttg.region_id = ttg.post.region_id
    if innovators:
        visible = set(Innovator.objects.for_user(actor, "view").filter(pk__in=[i.pk for i in innovators])
                      .values_list("pk", flat=True))  # fmt: skip
        if len(visible) != len({i.pk for i in innovators}):
            errors["innovators"] = [_("Ada inovator di luar cakupan Anda.")]
    if errors:
        raise ValidationError(errors)


def _require_edit(actor: Any, ttg: Ttg) -> None:
    """Require edit rights; a record already in the public catalogue changes only with the post manager's rank."""
    require(actor, ttg, "edit")
    if ttg.publication == Ttg.Publication.PUBLISHED and rank_on_post(actor, ttg.post) < Action.MANAGE:
        raise PermissionDenied


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "ttg"
    taken = set(Ttg.objects.filter(slug__startswith=base).values_list("slug", flat=True))  # one query, not one a try
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def ttg_create(*, actor: Any, data: dict[str, Any]) -> Ttg:
    """Record a technology under a post the actor works for; it starts as a draft at the idea stage."""
    data = dict(data)
    innovators = list(data.pop("innovators", None) or [])
    if isinstance(data.get("region"), str):
        data["region"] = Region.objects.filter(code=data["region"]).first()
    ttg = Ttg(**{k: v for k, v in data.items() if k in TTG_FIELDS and v is not None})
    _prepare(actor, ttg, innovators)
    ttg.slug = _unique_slug(ttg.name)
    ttg.save()
    ttg.innovators.set(innovators)
    TtgStageChange.objects.create(ttg=ttg, stage=ttg.stage, changed_on=timezone.localdate(), note=_("Dicatat"))
    audit.record(actor, "create", ttg, audit.snapshot(ttg, ["name", "post", "sector", "aspect", "kind", "price"]))
    return ttg


@transaction.atomic
def ttg_update(*, actor: Any, ttg: Ttg, data: dict[str, Any], version: int | None = None) -> Ttg:
    """Change a technology record; a published record's search index follows."""
    _require_edit(actor, ttg)
    ttg = lock_current(ttg, version)
    data = dict(data)
    innovators = data.pop("innovators", None)
    fields = [f for f in TTG_FIELDS if f in data and f != "region"]
    before = audit.snapshot(ttg, [*fields, "region"])
    linked_before = sorted(str(i) for i in ttg.innovators.all())
    for f in fields:
        setattr(ttg, f, data[f])
    _prepare(actor, ttg, list(innovators) if innovators is not None else None)
    ttg.version += 1
    ttg.save()
    if innovators is not None:
        # Keep the links the editor cannot see: a form only offers innovators within the editor's scope.
        visible = Innovator.objects.for_user(actor, "view")
        hidden = list(ttg.innovators.exclude(pk__in=visible.values("pk")))
        ttg.innovators.set([*innovators, *hidden])
    require(actor, ttg, "edit")
    if ttg.publication == Ttg.Publication.PUBLISHED:
        ttg_reindex(ttg)
    changes = audit.diff(before, audit.snapshot(ttg, [*fields, "region"]))
    linked_after = sorted(str(i) for i in ttg.innovators.all())
    if linked_after != linked_before:
        changes["innovators"] = [", ".join(linked_before) or None, ", ".join(linked_after) or None]
    if changes:
        audit.record(actor, "update", ttg, changes)
    return ttg


@transaction.atomic
def ttg_set_stage(*, actor: Any, ttg: Ttg, stage: str, changed_on: dt.date | None = None, note: str = "") -> Ttg:
    """Move a technology along the innovation pipeline and keep the history."""
    require(actor, ttg, "edit")
    if stage not in Ttg.Stage.values:
        raise ValidationError({"stage": _("Tahap tidak dikenal.")})
    changed_on = changed_on or timezone.localdate()
    if changed_on > timezone.localdate():
        raise ValidationError({"changed_on": _("Tanggal ini belum terjadi; periksa tahunnya.")})
    ttg = lock_current(ttg, None)
    old = ttg.stage
    ttg.stage = stage
    ttg.version += 1
    ttg.save(update_fields=["stage", "version", "updated"])
    TtgStageChange.objects.create(ttg=ttg, stage=stage, changed_on=changed_on, note=note)
    audit.record(actor, "status", ttg, {"stage": [old, stage], "note": [None, note or None]})
    return ttg


@transaction.atomic
def ttg_photo_add(*, actor: Any, ttg: Ttg, upload: Any, caption: str = "") -> TtgPhoto:
    """Add a photo: checked (JPG/PNG/WEBP, ≤ 10 MB, no SVG), cleaned of metadata and GPS, with a thumbnail."""
    _require_edit(actor, ttg)
    try:
        images.check_image(upload)
        clean = images.clean_image(upload)
        thumb = images.thumbnail(clean.data)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    photo = TtgPhoto(ttg=ttg, caption=caption[:200], order=ttg.photos.count())
    stem = slugify(ttg.name)[:40] or "foto"
    photo.image.save(f"{stem}.{clean.extension}", ContentFile(clean.data), save=False)
    photo.thumbnail.save(f"{stem}-kecil.{thumb.extension}", ContentFile(thumb.data), save=False)
    photo.save()
    audit.record(actor, "update", ttg, {"photos": [None, photo.image.name.rsplit("/", 1)[-1]]})
    return photo


@transaction.atomic
def ttg_photo_remove(*, actor: Any, photo: TtgPhoto) -> None:
    """Take a photo off a technology record."""
    _require_edit(actor, photo.ttg)
    audit.record(actor, "update", photo.ttg, {"photos": [photo.image.name.rsplit("/", 1)[-1], None]})
    photo.image.delete(save=False)
    photo.thumbnail.delete(save=False)
    photo.delete()


@transaction.atomic
def adoption_add(*, actor: Any, ttg: Ttg, data: dict[str, Any]) -> Adoption:
    """Record where a technology is applied."""
    _require_edit(actor, ttg)
    region = data.get("region")
    if isinstance(region, str):
        region = Region.objects.filter(code=region.strip()).first()
    errors: dict[str, list[str]] = {}
    if region is None:
        errors["region"] = [_("Kode wilayah %(code)s tidak ada.") % {"code": data.get("region") or "–"}]
    applied_on = data.get("applied_on") or timezone.localdate()
    if applied_on > timezone.localdate():
        errors["applied_on"] = [_("Tanggal ini belum terjadi; periksa tahunnya.")]
    units = data.get("units") or 1
    if units < 1:
        errors["units"] = [_("Paling sedikit 1 unit.")]
    if errors:
        raise ValidationError(errors)
    adoption = Adoption.objects.create(ttg=ttg, region=region, applied_on=applied_on, units=units,
                                       users=data.get("users", ""), result=data.get("result", ""))  # fmt: skip
    audit.record(actor, "update", ttg, {"adoptions": [None, f"{region} · {units} unit"]})
    return adoption


def missing_for_publication(ttg: Ttg) -> list[str]:
    """Return the labels of what a record still lacks before it can be published."""
    missing = [str(Ttg._meta.get_field(f).verbose_name) for f in REQUIRED_TO_PUBLISH if not getattr(ttg, f)]
    if not ttg.photos.exists():
        missing.append(_("foto"))
    return missing


@transaction.atomic
def ttg_request_publication(*, actor: Any, ttg: Ttg) -> Ttg:
    """Ask the post manager to publish a complete record in the public catalogue."""
    require(actor, ttg, "edit")
    if ttg.publication != Ttg.Publication.DRAFT:
        raise ValidationError(_("Hanya draf yang dapat diajukan untuk terbit."))
    if missing := missing_for_publication(ttg):
        raise ValidationError(_("Lengkapi dulu: %(fields)s.") % {"fields": ", ".join(missing)})
    ttg = lock_current(ttg, None)
    old = ttg.publication
    ttg.publication = Ttg.Publication.REQUESTED
    ttg.save(update_fields=["publication", "updated"])
    audit.record(actor, "status", ttg, {"publication": [old, ttg.publication]})
    return ttg


@transaction.atomic
def ttg_publish(*, actor: Any, ttg: Ttg, publish: bool = True) -> Ttg:
    """Publish (or withdraw) a record: only the post's manager or someone above approves."""
    if rank_on_post(actor, ttg.post) < Action.MANAGE:
        raise PermissionDenied
    if publish and (missing := missing_for_publication(ttg)):
        raise ValidationError(_("Lengkapi dulu: %(fields)s.") % {"fields": ", ".join(missing)})
    ttg = lock_current(ttg, None)
    old = ttg.publication
    ttg.publication = Ttg.Publication.PUBLISHED if publish else Ttg.Publication.DRAFT
    ttg.published_at = timezone.now() if publish else None
    ttg.save(update_fields=["publication", "published_at", "updated"])
    if publish:
        ttg_reindex(ttg)
    else:
        search.unindex(ttg)
    audit.record(actor, "status", ttg, {"publication": [old, ttg.publication]})
    return ttg


def ttg_reindex(ttg: Ttg) -> None:
    """Rebuild the search rows of a published record."""
    search.reindex(ttg)
