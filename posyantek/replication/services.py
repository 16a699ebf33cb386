"""Writes on a post's replication kit: the kit itself, its checklist items and the post's awards.

Each write is scoped (a post manager of the kit's post, or an overseer above it), atomic and audited on the kit,
so the kit editor's history tells who changed the summary, which steps were added, moved or removed, and which
awards were recorded. Adoptions and ticks live in `adoption_services.py`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import require
from posyantek.posts.models import Post
from posyantek.replication.defaults import DEFAULT_ITEMS
from posyantek.replication.models import AdoptionPost, Award, ChecklistTick, Kit, KitItem

KIT_FIELDS = ["title", "summary", "lessons", "published"]
ITEM_FIELDS = ["title", "description", "evidence_required", "evidence_hint", "source", "order"]
AWARD_FIELDS = ["year", "title", "level", "issuer"]
MAX_TEXT = 20_000
MAX_ITEMS = 60
FIRST_AWARD_YEAR = 1945


def _text(data: dict[str, Any], field: str) -> None:
    if field in data and data[field] is not None:
        data[field] = str(data[field]).strip()


# --- The kit --------------------------------------------------------------------------------------------------


def _check_kit(kit: Kit) -> None:
    errors: dict[str, list[str]] = {}
    if not kit.title:
        errors["title"] = [_("Tulis judul kit, mis. Kit Replikasi Posyantek Mitra Pantura.")]
    elif len(kit.title) > 200:
        errors["title"] = [_("Judul paling panjang 200 huruf.")]
    for f in ("summary", "lessons"):
        if len(getattr(kit, f)) > MAX_TEXT:
            errors[f] = [_("Paling panjang 20.000 huruf.")]
    if kit.published and not kit.summary:
        errors["summary"] = [_("Tulis ringkasan apa yang bisa ditiru sebelum kit diterbitkan untuk umum.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def kit_create(*, actor: Any, post: Post, data: dict[str, Any]) -> Kit:
    """Start the replication kit of a post the actor manages (one kit per post)."""
    require(actor, post, "manage")
    data = dict(data)
    for f in ("title", "summary", "lessons"):
        _text(data, f)
    if Kit.objects.filter(post=post).exists():
        raise ValidationError({"post": [_("%(post)s sudah punya kit replikasi; ubah kit yang ada.") % {"post": post}]})
    kit = Kit(post=post, region_id=post.region_id, **{k: v for k, v in data.items() if k in KIT_FIELDS})
    if not kit.title:
        with translation.override("id"):  # data, not interface: Indonesian whoever writes it
            kit.title = _("Kit Replikasi %(post)s") % {"post": post.name}
    _check_kit(kit)
    kit.save()
    audit.record(actor, "create", kit, audit.snapshot(kit, KIT_FIELDS))
    return kit


@transaction.atomic
def kit_update(*, actor: Any, kit: Kit, data: dict[str, Any], version: int | None = None) -> Kit:
    """Change a kit's title, summary, lessons or whether it is public; an edit on an old version is refused."""
    require(actor, kit, "manage")
    kit = lock_current(kit, version)
    data = dict(data)
    for f in ("title", "summary", "lessons"):
        _text(data, f)
    before = audit.snapshot(kit, KIT_FIELDS)
    for f in KIT_FIELDS:
        if f in data and data[f] is not None:
            setattr(kit, f, data[f])
    _check_kit(kit)
    changes = audit.diff(before, audit.snapshot(kit, KIT_FIELDS))
    if not changes:
        return kit
    kit.version += 1
    kit.save()
    audit.record(actor, "update", kit, changes)
    return kit


# --- Checklist items ------------------------------------------------------------------------------------------


def item_text(item: KitItem) -> str:
    """Return how an item reads in the kit's history."""
    extra = [str(item.get_source_display())] if item.source != KitItem.Source.MANUAL else []
    if item.evidence_required:
        extra.append(_("wajib bukti"))
    return f"{item.order}. {item.title}" + (f" ({', '.join(extra)})" if extra else "")


def _check_item(item: KitItem) -> None:
    errors: dict[str, list[str]] = {}
    if not item.title:
        errors["title"] = [_("Tulis langkahnya, mis. SK pembentukan pos terbit.")]
    elif len(item.title) > 200:
        errors["title"] = [_("Langkah paling panjang 200 huruf.")]
    if len(item.description) > 5000:
        errors["description"] = [_("Penjelasan paling panjang 5.000 huruf.")]
    if len(item.evidence_hint) > 200:
        errors["evidence_hint"] = [_("Paling panjang 200 huruf.")]
    if item.source not in KitItem.Source.values:
        errors["source"] = [_("Pilih dari daftar: dicentang manual atau terdeteksi dari data pos.")]
    if isinstance(item.order, bool) or not isinstance(item.order, int) or not 0 <= item.order <= 999:
        errors["order"] = [_("Urutan berupa angka 0 sampai 999.")]
    if errors:
        raise ValidationError(errors)


def _clean_item_data(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in ITEM_FIELDS and v is not None}
    for f in ("title", "description", "evidence_hint"):
        _text(data, f)
    return data


@transaction.atomic
def item_add(*, actor: Any, kit: Kit, data: dict[str, Any]) -> KitItem:
    """Add a step to a kit's checklist, at the end unless an order is given."""
    require(actor, kit, "manage")
    kit = lock_current(kit, None)  # numbers the new step after the others, one writer at a time
    if kit.items.count() >= MAX_ITEMS:
        raise ValidationError({"title": [_("Satu kit paling banyak %(n)s langkah.") % {"n": MAX_ITEMS}]})
    data = _clean_item_data(data)
    if "order" not in data:
        data["order"] = (kit.items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = KitItem(kit=kit, **data)
    _check_item(item)
    item.save()
    audit.record(actor, "update", kit, {"langkah": [None, item_text(item)]})
    return item


@transaction.atomic
def item_update(*, actor: Any, item: KitItem, data: dict[str, Any], version: int | None = None) -> KitItem:
    """Change a step; an edit made on an old version is refused."""
    require(actor, item.kit, "manage")
    item = lock_current(item, version)
    before = item_text(item)
    snap = audit.snapshot(item, ITEM_FIELDS)
    for k, v in _clean_item_data(data).items():
        setattr(item, k, v)
    _check_item(item)
    if not audit.diff(snap, audit.snapshot(item, ITEM_FIELDS)):
        return item
    item.version += 1
    item.save()
    after = item_text(item)
    audit.record(actor, "update", item.kit, {"langkah": [before, after if after != before else f"{after} ✎"]})
    return item


def recount(adoption_post_ids: list[int]) -> None:
    """Set the done count and latest step date of these adoption posts from their ticks (the caller holds their
    row locks)."""
    if not adoption_post_ids:
        return
    ticks = ChecklistTick.objects.filter(adoption_post=OuterRef("pk")).order_by().values("adoption_post")
    AdoptionPost.objects.filter(pk__in=adoption_post_ids).update(
        done_count=Coalesce(Subquery(ticks.annotate(n=Count("pk")).values("n")[:1]), 0),
        last_done_on=Subquery(ticks.annotate(last=Max("done_on")).values("last")[:1]),
        version=F("version") + 1,
    )


@transaction.atomic
def item_remove(*, actor: Any, item: KitItem) -> None:
    """Remove a step; posts that had reached it lose its tick, and their progress is counted again."""
    require(actor, item.kit, "manage")
    # Lock order: the item, then the adoption posts (as a tick does), so removing and ticking never deadlock.
    item = lock_current(item, None)
    touched = sorted(set(ChecklistTick.objects.filter(item=item).values_list("adoption_post_id", flat=True)))
    list(AdoptionPost.objects.select_for_update().filter(pk__in=touched).order_by("pk").values_list("pk"))
    text = item_text(item)
    kit = item.kit
    item.delete()
    recount(touched)
    changes: dict[str, Any] = {"langkah": [text, None]}
    if touched:
        changes["note"] = [None, _("%(n)s pos kehilangan centang langkah ini") % {"n": len(touched)}]
    audit.record(actor, "update", kit, changes)


@transaction.atomic
def item_move(*, actor: Any, item: KitItem, up: bool) -> KitItem:
    """Move a step one place up or down the checklist (the others are renumbered 1, 2, 3…)."""
    require(actor, item.kit, "manage")
    kit = lock_current(item.kit, None)
    items = list(KitItem.objects.select_for_update().filter(kit=kit).order_by("order", "pk"))
    at = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if at is None:
        raise ValidationError(_("Langkah ini sudah dihapus."))
    to = at - 1 if up else at + 1
    if not 0 <= to < len(items):
        return items[at]
    items[at], items[to] = items[to], items[at]
    old = items[to].order
    for n, it in enumerate(items, 1):
        if it.order != n:
            it.order = n
            it.version += 1
    KitItem.objects.bulk_update(items, ["order", "version"])
    moved = items[to]
    audit.record(actor, "update", kit, {"langkah": [f"{old}. {moved.title}", f"{moved.order}. {moved.title}"]})
    return moved


@transaction.atomic
def kit_use_default_items(*, actor: Any, kit: Kit) -> list[KitItem]:
    """Add the default checklist (defaults.py) to a kit: the steps it does not have yet, in their order."""
    require(actor, kit, "manage")
    kit = lock_current(kit, None)
    have = list(kit.items.values_list("title", "source"))
    titles = {t.strip().lower() for t, _s in have}
    sources = {s for _t, s in have if s != KitItem.Source.MANUAL}
    start = kit.items.aggregate(m=Max("order"))["m"] or 0
    added = []
    with translation.override("id"):  # the steps are the kit's data: written in Indonesian, whoever clicks
        for d in DEFAULT_ITEMS:
            title = str(d.title)
            if title.lower() in titles or (d.source != KitItem.Source.MANUAL and d.source in sources):
                continue
            added.append(KitItem(kit=kit, order=start + len(added) + 1, title=title, description=str(d.description),
                                 evidence_required=d.evidence_required, evidence_hint=str(d.evidence_hint),
                                 source=d.source))  # fmt: skip
    if len(have) + len(added) > MAX_ITEMS:
        raise ValidationError(_("Satu kit paling banyak %(n)s langkah.") % {"n": MAX_ITEMS})
    KitItem.objects.bulk_create(added)
    if added:
        audit.record(actor, "update", kit, {"langkah": [None, [item_text(i) for i in added]]})
    return added


# --- Awards ---------------------------------------------------------------------------------------------------


def award_text(award: Award) -> str:
    issuer = f", {award.issuer}" if award.issuer else ""
    return f"{award.year}: {award.title} ({award.get_level_display()}{issuer})"


def _check_award(award: Award) -> None:
    errors: dict[str, list[str]] = {}
    if not award.title:
        errors["title"] = [_("Tulis nama penghargaannya, mis. Posyantek Terbaik Nasional.")]
    elif len(award.title) > 300:
        errors["title"] = [_("Paling panjang 300 huruf.")]
    this_year = timezone.localdate().year
    if isinstance(award.year, bool) or not isinstance(award.year, int) or award.year < FIRST_AWARD_YEAR:
        errors["year"] = [_("Tulis tahun penghargaan, mis. 2013.")]
    elif award.year > this_year:
        errors["year"] = [_("Tahun penghargaan tidak boleh setelah %(y)s.") % {"y": this_year}]
    if award.level not in Award.Level.values:
        errors["level"] = [_("Pilih tingkat: kabupaten/kota, provinsi, nasional atau lainnya.")]
    if len(award.issuer) > 200:
        errors["issuer"] = [_("Paling panjang 200 huruf.")]
    if errors:
        raise ValidationError(errors)


def _award_data(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in AWARD_FIELDS and v is not None}
    for f in ("title", "issuer"):
        _text(data, f)
    return data


@transaction.atomic
def award_add(*, actor: Any, kit: Kit, data: dict[str, Any]) -> Award:
    """Record an award the kit's post received; it shows on the public kit page."""
    require(actor, kit, "manage")
    award = Award(post_id=kit.post_id, region_id=kit.region_id, **_award_data(data))
    _check_award(award)
    award.save()
    audit.record(actor, "update", kit, {"penghargaan": [None, award_text(award)]})
    return award


def _award_kit(actor: Any, award: Award) -> Kit:
    kit = Kit.objects.filter(post_id=award.post_id).first()
    if kit is None:
        raise PermissionDenied
    require(actor, kit, "manage")
    return kit


@transaction.atomic
def award_update(*, actor: Any, award: Award, data: dict[str, Any], version: int | None = None) -> Award:
    """Change an award; an edit made on an old version is refused."""
    kit = _award_kit(actor, award)
    award = lock_current(award, version)
    before = award_text(award)
    for k, v in _award_data(data).items():
        setattr(award, k, v)
    _check_award(award)
    if award_text(award) == before:
        return award
    award.version += 1
    award.save()
    audit.record(actor, "update", kit, {"penghargaan": [before, award_text(award)]})
    return award


@transaction.atomic
def award_remove(*, actor: Any, award: Award) -> None:
    """Delete an award recorded by mistake."""
    kit = _award_kit(actor, award)
    audit.record(actor, "update", kit, {"penghargaan": [award_text(award), None]})
    award.delete()
