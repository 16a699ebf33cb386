"""Writes on adoptions: a region adopting a kit for its posts, and each post ticking the steps it has reached.

A post's progress (`AdoptionPost.done_count`) is kept in step with its ticks inside the same transaction: every
tick and untick locks the post's row, writes the tick, then counts the ticks again, so two people ticking at once
cannot leave a wrong count. Locks are always taken item first, then the post's row (as `item_remove` does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import STALE_MESSAGE, lock_current
from posyantek.core.scoping import Action, rank_on_region, region_subtree_q, require
from posyantek.core.templatetags.fmt import tanggal
from posyantek.core.validators import sniff_type, validate_document
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.replication.detect import evidence_for
from posyantek.replication.models import AdoptionPost, ChecklistTick, Kit, KitAdoption, KitItem

ADOPTION_FIELDS = ["name", "started_on", "target_on", "note"]
MAX_POSTS = 5000
#: Post kinds an adoption can take "all active posts of" (or every kind: "semua").
ALL_KINDS = "semua"


# --- Adoptions ------------------------------------------------------------------------------------------------


def _check_adoption(adoption: KitAdoption, errors: dict[str, list[str]]) -> None:
    adoption.name = (adoption.name or "").strip()
    adoption.note = (adoption.note or "").strip()
    if not adoption.name:
        errors["name"] = [_("Tulis nama program, mis. Replikasi Posyantek DKI Jakarta.")]
    elif len(adoption.name) > 200:
        errors["name"] = [_("Nama paling panjang 200 huruf.")]
    if len(adoption.note) > 5000:
        errors["note"] = [_("Catatan paling panjang 5.000 huruf.")]
    if adoption.started_on is None:
        errors["started_on"] = [_("Isi tanggal mulai.")]
    elif adoption.target_on is not None and adoption.target_on < adoption.started_on:
        errors["target_on"] = [_("Target selesai tidak boleh sebelum tanggal mulai.")]
    if errors:
        raise ValidationError(errors)


def region_posts(*, actor: Any, region: Region, kind: str) -> Any:
    """Return the active posts in `region` (of one kind, or every kind) that the actor may see."""
    qs = Post.objects.for_user(actor, "view").filter(region_subtree_q("region", region.code), status="aktif")
    return qs if kind == ALL_KINDS else qs.filter(kind=kind)


def _following(kit: Kit | None, posts: list[Post]) -> set[int]:
    """Return the posts among `posts` that already follow `kit` in an adoption (a post follows a kit once)."""
    if kit is None or not posts:
        return set()
    rows = AdoptionPost.objects.filter(adoption__kit=kit, post_id__in=[p.pk for p in posts])
    return set(rows.values_list("post_id", flat=True))


def _names(posts: list[Post], limit: int = 5) -> str:
    names = [p.name for p in posts[:limit]]
    more = len(posts) - limit
    return ", ".join(names) + (_(" dan %(n)s lainnya") % {"n": more} if more > 0 else "")


def _chosen_posts(actor: Any, region: Region, posts: Iterable[Post] | None, kind: str, errors: dict[str, list[str]],
                  kit: Kit | None = None) -> list[Post]:  # fmt: skip
    """Return the posts that join: all active posts of `kind` in the region that do not follow the kit yet, or the
    posts given (each inside the region, seen by the actor, not following the kit yet)."""
    if posts is None:
        if kind != ALL_KINDS and kind not in Post.Kind.values:
            errors["post_kind"] = [_("Pilih jenis pos dari daftar.")]
            return []
        found = list(region_posts(actor=actor, region=region, kind=kind).order_by("region_id", "name"))
        following = _following(kit, found)
        chosen = [p for p in found if p.pk not in following]
        if not found:
            errors["post_kind"] = [_("Tidak ada pos aktif jenis ini di %(r)s.") % {"r": region}]
        elif not chosen:
            errors["post_kind"] = [_("Semua pos aktif jenis ini di %(r)s sudah mengikuti kit ini dalam adopsi lain; "
                                     "lihat daftar adopsi.") % {"r": region}]  # fmt: skip
        return chosen
    chosen = list({p.pk: p for p in posts}.values())
    seen = Post.objects.for_user(actor, "view").filter(pk__in=[p.pk for p in chosen])
    visible = set(seen.values_list("pk", flat=True))
    inside = {p.pk for p in chosen if p.region_id == region.code or p.region_id.startswith(region.code + ".")}
    outside = [p for p in chosen if p.pk not in visible or p.pk not in inside]
    if outside:
        errors["posts"] = [_("Pos di luar %(r)s tidak dapat ikut: %(p)s.") % {"r": region, "p": _names(outside)}]
    elif not chosen:
        errors["posts"] = [_("Pilih paling sedikit satu pos.")]
    elif following := _following(kit, chosen):
        twice = [p for p in chosen if p.pk in following]
        errors["posts"] = [_("Sudah mengikuti kit ini dalam adopsi lain: %(p)s.") % {"p": _names(twice)}]
    return chosen


def _lock_kit(kit: Kit | None) -> None:
    """Take the kit's row lock: adoptions of one kit are made one at a time, so a post cannot join it twice."""
    if kit is not None:
        list(Kit.objects.select_for_update().filter(pk=kit.pk).values_list("pk"))


@transaction.atomic
def adoption_create(*, actor: Any, data: dict[str, Any], posts: Iterable[Post] | None = None,
                    post_kind: str = "antar_desa") -> KitAdoption:  # fmt: skip
    """Adopt a published kit for a region the actor oversees, for the chosen posts there.

    Without `posts`, every active post of `post_kind` in the region joins (e.g. all kecamatan posts).
    """
    kit, region = data.get("kit"), data.get("region")
    if region is not None and rank_on_region(actor, region.code) < Action.OVERSEE:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if kit is None or not Kit.objects.filter(pk=kit.pk, published=True).exists():
        errors["kit"] = [_("Pilih kit replikasi yang sudah diterbitkan.")]
    if region is None:
        errors["region"] = [_("Pilih wilayah yang mengadopsi.")]
    elif region.level > Region.Level.DISTRICT:
        errors["region"] = [_("Adopsi dilakukan oleh provinsi, kabupaten/kota atau kecamatan.")]
    adoption = KitAdoption(adopted_by=actor, **{k: data.get(k) for k in ADOPTION_FIELDS if data.get(k) is not None})
    if kit is not None:
        adoption.kit = kit
    if region is not None:
        adoption.region = region
    if not adoption.name and kit is not None and region is not None:
        with translation.override("id"):  # data, not interface: Indonesian whoever writes it
            adoption.name = _("Adopsi %(kit)s di %(r)s") % {"kit": kit.title, "r": region}
    _lock_kit(kit)
    chosen = _chosen_posts(actor, region, posts, post_kind, errors, kit) if region is not None else []
    if len(chosen) > MAX_POSTS:
        errors["posts"] = [_("Paling banyak %(n)s pos dalam satu adopsi.") % {"n": MAX_POSTS}]
    _check_adoption(adoption, errors)
    adoption.save()
    require(actor, adoption, "oversee")
    AdoptionPost.objects.bulk_create([AdoptionPost(adoption=adoption, post=p) for p in chosen])
    changes = audit.snapshot(adoption, ["kit", "region", *ADOPTION_FIELDS])
    changes["pos_peserta"] = [None, len(chosen)]
    audit.record(actor, "create", adoption, changes)
    return adoption


@transaction.atomic
def adoption_update(*, actor: Any, adoption: KitAdoption, data: dict[str, Any],
                    version: int | None = None) -> KitAdoption:  # fmt: skip
    """Change an adoption's name, dates or note; an edit made on an old version is refused."""
    require(actor, adoption, "oversee")
    adoption = lock_current(adoption, version)
    before = audit.snapshot(adoption, ADOPTION_FIELDS)
    for k in ADOPTION_FIELDS:
        if k in data and (data[k] is not None or k == "target_on"):
            setattr(adoption, k, data[k])
    _check_adoption(adoption, {})
    changes = audit.diff(before, audit.snapshot(adoption, ADOPTION_FIELDS))
    if changes:
        adoption.version += 1
        adoption.save()
        audit.record(actor, "update", adoption, changes)
    return adoption


@transaction.atomic
def adoption_add_posts(*, actor: Any, adoption: KitAdoption, posts: Iterable[Post]) -> list[AdoptionPost]:
    """Let more posts of the region join; posts already in are skipped."""
    require(actor, adoption, "oversee")
    adoption = lock_current(adoption, None)
    _lock_kit(adoption.kit)
    errors: dict[str, list[str]] = {}
    have = set(adoption.posts.values_list("post_id", flat=True))
    given = list(posts)
    posts = [p for p in given if p.pk not in have]  # already in this adoption: skipped, not refused
    chosen = _chosen_posts(actor, adoption.region, posts, ALL_KINDS, errors, adoption.kit) if posts or not given else []
    if errors:
        raise ValidationError(errors)
    new = [AdoptionPost(adoption=adoption, post=p) for p in chosen]
    if len(have) + len(new) > MAX_POSTS:
        raise ValidationError({"posts": [_("Paling banyak %(n)s pos dalam satu adopsi.") % {"n": MAX_POSTS}]})
    AdoptionPost.objects.bulk_create(new)
    if new:
        names = [ap.post.name for ap in new]
        shown = names[:20] + (["…"] if len(names) > 20 else [])
        audit.record(actor, "update", adoption, {"pos_peserta": [None, shown]})
    return new


@transaction.atomic
def adoption_remove_post(*, actor: Any, adoption_post: AdoptionPost) -> None:
    """Take a post out of an adoption, with its ticks."""
    adoption = adoption_post.adoption
    require(actor, adoption, "oversee")
    ap = lock_current(adoption_post, None)
    total = adoption.kit.items.count()
    audit.record(actor, "update", adoption, {"pos_peserta": [f"{ap.post.name} ({ap.done_count}/{total})", None]})
    ap.delete()


# --- Ticks ----------------------------------------------------------------------------------------------------


def tick_text(tick: ChecklistTick) -> str:
    """Return how a tick reads in the checklist's history."""
    evidence = [e for e in (tick.evidence_note, tick.evidence_file.name.rsplit("/", 1)[-1] if tick.evidence_file
                            else "") if e]  # fmt: skip
    text = f"{tick.item.title} · {tanggal(tick.done_on)}"
    if tick.from_data:
        text += " · " + _("dari data")
    return text + (f" · {' · '.join(evidence)}" if evidence else "")


def _check_upload(upload: Any) -> None:
    try:
        validate_document(upload)
    except ValidationError as exc:
        raise ValidationError({"evidence_file": exc.messages}) from exc
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if sniff_type(head) not in ("application/pdf", "image/png", "image/jpeg"):
        raise ValidationError({"evidence_file": [_("Berkas bukti harus PDF, JPG atau PNG.")]})


def _locked(adoption_post: AdoptionPost, item: KitItem, version: int | None) -> tuple[AdoptionPost, KitItem]:
    """Lock the item, then the post's row (always in this order), and check both still hold."""
    locked_item = KitItem.objects.select_for_update().filter(pk=item.pk).first()
    if locked_item is None:
        raise ValidationError({"item": [_("Langkah ini sudah dihapus dari kit.")]})
    ap = lock_current(adoption_post, None)
    if version is not None and ap.version != version:
        raise ValidationError(STALE_MESSAGE, code="stale")
    if locked_item.kit_id != ap.adoption.kit_id:
        raise ValidationError({"item": [_("Langkah ini bukan bagian dari kit adopsi ini.")]})
    return ap, locked_item


def _after_change(ap: AdoptionPost) -> AdoptionPost:
    agg = ChecklistTick.objects.filter(adoption_post=ap).aggregate(n=Count("pk"), last=Max("done_on"))
    ap.done_count, ap.last_done_on = agg["n"], agg["last"]
    ap.last_ticked_at = timezone.now()
    ap.version += 1
    ap.save(update_fields=["done_count", "last_done_on", "last_ticked_at", "version"])
    return ap


def _audit_tick(actor: Any, ap: AdoptionPost, changes: dict[str, Any]) -> None:
    audit.record(actor, "update", ap, changes, region_id=ap.post.region_id, post_id=ap.post_id)


@transaction.atomic
def tick(*, actor: Any, adoption_post: AdoptionPost, item: KitItem, done_on: dt.date | None, evidence_note: str = "",
         upload: Any = None, version: int | None = None, from_data: bool = False) -> ChecklistTick:  # fmt: skip
    """Mark a step reached for a post, with when and its evidence (required where the step asks for it)."""
    require(actor, adoption_post, "edit")
    ap, item = _locked(adoption_post, item, version)
    errors: dict[str, list[str]] = {}
    note = (evidence_note or "").strip()
    today = timezone.localdate()
    if done_on is None:
        errors["done_on"] = [_("Isi tanggal langkah ini tercapai.")]
    elif done_on > today:
        errors["done_on"] = [_("Tanggal tercapai tidak boleh setelah hari ini.")]
    elif done_on.year < 1945:
        errors["done_on"] = [_("Periksa tahunnya.")]
    if len(note) > 300:
        errors["evidence_note"] = [_("Keterangan bukti paling panjang 300 huruf.")]
    if upload:
        try:
            _check_upload(upload)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if item.evidence_required and not note and not upload and "evidence_file" not in errors:
        hint = _(" Bukti yang diminta: %(h)s.") % {"h": item.evidence_hint} if item.evidence_hint else ""
        errors["evidence_note"] = [_("Langkah “%(t)s” wajib disertai bukti: unggah berkas (PDF, JPG atau PNG) atau "
                                     "tulis keterangan bukti (nomor dokumen, tautan).%(h)s")
                                   % {"t": item.title, "h": hint}]  # fmt: skip
    done = ap.ticks.filter(item=item).select_related("ticked_by").first()
    if done is not None:
        errors["item"] = [_("Langkah ini sudah dicentang pada %(d)s oleh %(u)s.")
                          % {"d": tanggal(done.done_on), "u": done.ticked_by or _("sistem")}]  # fmt: skip
    if errors:
        raise ValidationError(errors)
    row = ChecklistTick(adoption_post=ap, item=item, done_on=done_on, evidence_note=note, ticked_by=actor,
                        ticked_at=timezone.now(), from_data=from_data)  # fmt: skip
    if upload:
        name = getattr(upload, "name", "bukti") or "bukti"
        stem, _dot, ext = name.rpartition(".")
        row.evidence_file.save(f"{ap.pk}-{item.pk}-{slugify(stem)[:40] or 'bukti'}.{ext.lower()}", upload, save=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # ticked meanwhile through another door (the row lock makes this rare)
        raise ValidationError({"item": [_("Langkah ini sudah dicentang.")]}) from exc
    _after_change(ap)
    _audit_tick(actor, ap, {"langkah_tercapai": [None, tick_text(row)]})
    return row


@transaction.atomic
def untick(*, actor: Any, adoption_post: AdoptionPost, item: KitItem, reason: str = "",
           version: int | None = None) -> AdoptionPost:  # fmt: skip
    """Take a tick back (a mistake, a document found invalid); the history keeps what it was and why."""
    require(actor, adoption_post, "edit")
    ap, item = _locked(adoption_post, item, version)
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise ValidationError({"reason": [_("Alasan paling panjang 300 huruf.")]})
    row = ap.ticks.filter(item=item).first()
    if row is None:
        raise ValidationError({"item": [_("Langkah ini belum dicentang.")]})
    text = tick_text(row)
    if row.evidence_file:
        row.evidence_file.delete(save=False)
    row.delete()
    _after_change(ap)
    _audit_tick(actor, ap, {"langkah_tercapai": [text, None], "alasan": [None, reason or None]})
    return ap


@transaction.atomic
def tick_from_data(*, actor: Any, adoption_post: AdoptionPost, item: KitItem,
                   version: int | None = None) -> ChecklistTick:  # fmt: skip
    """Tick a step the post's own data shows reached, with an automatic evidence note ("centang dari data")."""
    require(actor, adoption_post, "edit")
    if item.source == KitItem.Source.MANUAL:
        raise ValidationError({"item": [_("Langkah ini dicentang manual; tidak dapat dideteksi dari data.")]})
    with translation.override("id"):  # the note is the tick's data: Indonesian, whoever clicks
        found = evidence_for(adoption_post.post, item.source)
        note = (_("Terdeteksi dari data: %(n)s") % {"n": found.note})[:300] if found else ""
    if found is None:
        raise ValidationError({"item": [_("Belum terdeteksi di data pos: %(s)s.")
                                        % {"s": item.get_source_display()}]})  # fmt: skip
    today = timezone.localdate()
    done_on = found.on if found.on and found.on <= today else today
    return tick(actor=actor, adoption_post=adoption_post, item=item, done_on=done_on, evidence_note=note,
                version=version, from_data=True)  # fmt: skip
