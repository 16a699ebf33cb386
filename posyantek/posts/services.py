"""Writes on posts, their status and their boards. Each checks scope, validates, audits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.lib import images
from posyantek.core.scoping import Action, rank_on_region, require
from posyantek.core.validators import validate_document
from posyantek.posts.models import BoardTerm, Officer, Post, PostStatusChange
from posyantek.regions.models import Region

POST_FIELDS = [
    "name", "kind", "region", "parent", "founded_on", "sk_number", "sk_date", "sk_issuer", "skt_number", "skt_date",
    "skt_valid_until", "skt_issuer", "legal_entity_number", "address", "office_status", "phone", "email", "website",
    "social_media", "focus_fields",
]  # fmt: skip
FILE_FIELDS = ["sk_file", "skt_file", "adart_file"]
LOGO_MAX_BYTES = 2 * 1024 * 1024
LEVEL_WORD = {3: "kecamatan", 4: "desa/kelurahan"}


def _region(code: Any, field: str = "region") -> Region:
    if isinstance(code, Region):
        return code
    region = Region.objects.filter(code=str(code or "").strip()).first()
    if region is None:
        raise ValidationError({field: _("Kode wilayah %(code)s tidak ada.") % {"code": code or "–"}})
    return region


def _seat_error(post: Post) -> str | None:
    need = Post.SEAT_LEVEL.get(post.kind)
    if need and post.region.level != need:
        return _("%(kind)s harus berkedudukan di %(level)s, bukan di %(got)s.") % {
            "kind": post.get_kind_display(),
            "level": LEVEL_WORD[need],
            "got": post.region.get_level_display().lower(),
        }
    return None


def _validate_seat(post: Post) -> None:
    if error := _seat_error(post):
        raise ValidationError({"region": error})


def _validate_post(post: Post, service_area: list[Region] | None) -> None:
    """Check the rules of one post against its seat, parent and dates."""
    errors: dict[str, str] = {}
    if not (post.name or "").strip():
        errors["name"] = _("Nama pos wajib diisi.")
    if post.kind not in Post.Kind.values:
        errors["kind"] = _("Jenis pos tidak dikenal.")
    if seat_error := _seat_error(post):
        errors["region"] = seat_error
    today = timezone.localdate()
    for field in ("founded_on", "sk_date", "skt_date"):
        value = getattr(post, field)
        if value and value > today:
            errors[field] = _("Tanggal ini belum terjadi; periksa tahunnya.")
    if post.skt_date and post.skt_valid_until and post.skt_valid_until < post.skt_date:
        errors["skt_valid_until"] = _("Masa berlaku SKT tidak boleh sebelum tanggal SKT.")
    if post.parent_id:
        parent = post.parent
        if parent.kind != Post.Kind.ANTAR_DESA or post.kind == Post.Kind.ANTAR_DESA:
            errors["parent"] = _("Pos induk harus Posyantek antar desa, untuk pos desa/kelurahan atau Wartek.")
        elif not post.region_id.startswith(parent.region_id + "."):
            errors["parent"] = _("Pos induk harus berada di kecamatan tempat pos ini berkedudukan.")
    if (
        Post.objects.filter(kind=post.kind, region_id=post.region_id).exclude(pk=post.pk).exists()
        and "region" not in errors
    ):
        errors["region"] = _("Sudah ada %(kind)s di %(region)s.") % {
            "kind": post.get_kind_display(),
            "region": post.region,
        }
    if service_area:
        outside = [r for r in service_area if r.level != 4 or not r.code.startswith(post.region_id.rsplit(".", 1)[0])]
        if post.kind == Post.Kind.ANTAR_DESA:
            outside = [r for r in service_area if r.level != 4 or not r.code.startswith(post.region_id + ".")]
        if outside:
            errors["service_area"] = _("Wilayah layanan harus desa/kelurahan di kecamatan pos ini: %(codes)s") % {
                "codes": ", ".join(r.code for r in outside)
            }
    if errors:
        raise ValidationError(errors)


def _unique_slug(name: str, region: Region) -> str:
    base = slugify(f"{name} {region.name}")[:150] or "pos"
    taken = set(Post.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_files(files: dict[str, Any]) -> None:
    errors = {}
    for name, upload in files.items():
        if upload:
            try:
                validate_document(upload)
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


def _clean_logo(upload: Any) -> images.EncodedImage | None:
    """Check and clean a new logo (an image, metadata removed, at most 600 px); None when no new file was sent."""
    if not upload or isinstance(upload, FieldFile):
        return None
    try:
        images.check_image(upload, max_bytes=LOGO_MAX_BYTES)
        return images.clean_image(upload, max_side=600, max_bytes=LOGO_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"logo": exc.messages}) from exc


def _set_logo(post: Post, upload: Any, clean: images.EncodedImage | None) -> None:
    """Store a cleaned logo, or clear it when the form's "clear" box was ticked (the field's value is False)."""
    if clean is not None:
        post.logo.save(f"logo{clean.extension}", ContentFile(clean.data), save=False)
    elif upload is False:
        post.logo = ""


@transaction.atomic
def post_create(*, actor: Any, data: dict[str, Any], files: dict[str, Any] | None = None) -> Post:
    """Create a post; the actor must oversee its seat region (kecamatan coordinator or above)."""
    data = dict(data)
    logo = data.pop("logo", None)
    service_area = list(data.pop("service_area", None) or [])
    region = _region(data.pop("region", None))
    post = Post(region=region, **{k: v for k, v in data.items() if k in POST_FIELDS and v is not None})
    _validate_seat(post)  # a shape error, told before scope so the form can say what is wrong
    if rank_on_region(actor, region.code) < Action.OVERSEE:
        raise PermissionDenied
    _validate_post(post, service_area)
    _check_files(files or {})
    clean_logo = _clean_logo(logo)
    post.slug = _unique_slug(post.name, region)
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError as exc:
        raise ValidationError({"region": _("Sudah ada pos dengan jenis yang sama di wilayah ini.")}) from exc
    for name, upload in (files or {}).items():
        if upload:
            getattr(post, name).save(upload.name, upload, save=False)
    _set_logo(post, logo, clean_logo)
    post.save()
    post.service_area.set(service_area)
    PostStatusChange.objects.create(
        post=post,
        status=post.status,
        changed_on=post.founded_on or timezone.localdate(),
        note=_("Pos dicatat"),
        changed_by=actor,
    )
    audit.record(actor, "create", post, audit.snapshot(post, [f for f in POST_FIELDS if getattr(post, f, None)]))
    return post


@transaction.atomic
def post_update(
    *, actor: Any, post: Post, data: dict[str, Any], files: dict[str, Any] | None = None, version: int | None = None
) -> Post:
    """Change a post's profile; refuse an edit made on an old version."""
    require(actor, post, "manage")
    post = lock_current(post, version)
    data = dict(data)
    logo = data.pop("logo", None)
    fields = [f for f in POST_FIELDS if f in data]
    watched = fields + FILE_FIELDS + ["logo"] + (["service_area"] if "service_area" in data else [])
    before = audit.snapshot(post, watched)
    if "service_area" in before:
        before["service_area"] = sorted(post.service_area.values_list("code", flat=True))
    if "region" in data:
        region = _region(data["region"])
        if region.code != post.region_id and rank_on_region(actor, region.code) < Action.OVERSEE:
            raise ValidationError({"region": _("Anda tidak berwenang memindahkan pos ke %(r)s.") % {"r": region}})
        data["region"] = region
    for f in fields:
        setattr(post, f, data[f])
    service_area = data.get("service_area")
    _validate_post(post, list(service_area) if service_area is not None else None)
    _check_files(files or {})
    clean_logo = _clean_logo(logo)
    for name, upload in (files or {}).items():
        if upload:
            getattr(post, name).save(upload.name, upload, save=False)
    _set_logo(post, logo, clean_logo)
    post.version += 1
    post.save()
    if service_area is not None:
        post.service_area.set(service_area)
    # The row must still be within the actor's reach after the change.
    require(actor, post, "manage")
    after = audit.snapshot(post, [f for f in before if f != "service_area"])
    if service_area is not None:
        after["service_area"] = sorted(r.code for r in service_area)
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor, "update", post, changes)
    if "name" in changes:
        from posyantek.catalog.search import reindex_post  # the catalogue's search index holds the post's name

        reindex_post(post)
    return post


@transaction.atomic
def post_set_status(*, actor: Any, post: Post, status: str, changed_on: dt.date | None = None, note: str = "") -> Post:
    """Change a post's status (aktif, tidak aktif, dibekukan) and keep its history."""
    require(actor, post, "oversee")
    if status not in Post.Status.values:
        raise ValidationError({"status": _("Status tidak dikenal.")})
    changed_on = changed_on or timezone.localdate()
    if changed_on > timezone.localdate():
        raise ValidationError({"changed_on": _("Tanggal tidak boleh di masa depan.")})
    post = lock_current(post, None)
    old = post.status
    post.status = status
    post.version += 1
    post.save(update_fields=["status", "version", "updated"])
    PostStatusChange.objects.create(post=post, status=status, changed_on=changed_on, note=note, changed_by=actor)
    audit.record(actor, "status", post, {"status": [old, status], "note": note})
    return post


def _validate_term(term: BoardTerm) -> None:
    if term.starts_on and term.ends_on and term.ends_on <= term.starts_on:
        raise ValidationError({"ends_on": _("Tanggal selesai harus sesudah tanggal mulai.")})
    overlap = (
        BoardTerm.objects.filter(post_id=term.post_id, starts_on__lte=term.ends_on, ends_on__gte=term.starts_on)
        .exclude(pk=term.pk)
        .first()
    )
    if overlap:
        raise ValidationError(
            {"starts_on": _("Bertumpang tindih dengan kepengurusan %(a)s – %(b)s.")
             % {"a": _date(overlap.starts_on), "b": _date(overlap.ends_on)}}
        )  # fmt: skip


def _date(d: dt.date) -> str:
    from posyantek.core.templatetags.fmt import tanggal

    return tanggal(d)


@transaction.atomic
def board_term_create(*, actor: Any, post: Post, data: dict[str, Any], basis_file: Any = None) -> BoardTerm:
    """Open a new board term for a post."""
    require(actor, post, "manage")
    Post.objects.select_for_update().filter(pk=post.pk).first()  # terms of one post are checked one at a time
    term = BoardTerm(post=post, starts_on=data["starts_on"], ends_on=data["ends_on"], basis=data.get("basis", ""))
    _validate_term(term)
    if basis_file:
        _check_files({"basis_file": basis_file})
        term.basis_file.save(basis_file.name, basis_file, save=False)
    term.save()
    audit.record(
        actor, "create", term, audit.snapshot(term, ["starts_on", "ends_on", "basis"]), region_id=post.region_id
    )
    return term


@transaction.atomic
def board_term_update(
    *, actor: Any, term: BoardTerm, data: dict[str, Any], basis_file: Any = None, version: int | None = None
) -> BoardTerm:
    """Change a board term's dates or basis."""
    require(actor, term.post, "manage")
    Post.objects.select_for_update().filter(pk=term.post_id).first()
    term = lock_current(term, version)
    fields = ["starts_on", "ends_on", "basis"]
    before = audit.snapshot(term, fields + ["basis_file"])
    for f in fields:
        if f in data:
            setattr(term, f, data[f])
    _validate_term(term)
    if basis_file:
        _check_files({"basis_file": basis_file})
        term.basis_file.save(basis_file.name, basis_file, save=False)
    term.version += 1
    term.save()
    changes = audit.diff(before, audit.snapshot(term, fields + ["basis_file"]))
    if changes:
        audit.record(actor, "update", term, changes, region_id=term.post.region_id)
    return term


OFFICER_FIELDS = ["person", "position", "section_name", "element", "order", "is_civil_servant", "is_party_official"]


def _validate_officer(officer: Officer) -> None:
    """One person holds one position per term; a chair, vice-chair, secretary or treasurer is one person."""
    errors: dict[str, str] = {}
    others = Officer.objects.filter(term_id=officer.term_id).exclude(pk=officer.pk)
    if others.filter(person_id=officer.person_id).exists():
        errors["person"] = _("%(p)s sudah menjadi pengurus di kepengurusan ini.") % {"p": officer.person}
    if officer.position in Officer.SINGLE_POSITIONS and others.filter(position=officer.position).exists():
        errors["position"] = _("Jabatan %(pos)s sudah terisi.") % {"pos": officer.get_position_display()}
    if officer.position == Officer.Position.SEKSI_LAIN and not officer.section_name.strip():
        errors["section_name"] = _("Sebutkan nama seksinya.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def officer_add(*, actor: Any, term: BoardTerm, data: dict[str, Any]) -> Officer:
    """Put a person on a board term in a position."""
    require(actor, term.post, "manage")
    person = data["person"]
    from posyantek.people.models import Person

    if not Person.objects.for_user(actor, "view").filter(pk=person.pk).exists():
        raise ValidationError({"person": _("Orang ini tidak ada dalam cakupan Anda.")})
    BoardTerm.objects.select_for_update().filter(pk=term.pk).first()  # one change to a board at a time
    officer = Officer(term=term, **{k: v for k, v in data.items() if k in OFFICER_FIELDS})
    _validate_officer(officer)
    try:
        with transaction.atomic():
            officer.save()
    except IntegrityError as exc:  # a simultaneous request took the seat first
        raise ValidationError({"position": _("Jabatan atau orang ini baru saja diisi; muat ulang halaman.")}) from exc
    audit.record(
        actor,
        "create",
        officer,
        audit.snapshot(officer, OFFICER_FIELDS),
        region_id=term.post.region_id,
        post_id=term.post_id,
    )
    audit.record(
        actor,
        "update",
        term,
        {"officers": [None, str(officer)]},
        region_id=term.post.region_id,
        post_id=term.post_id,
    )
    return officer


@transaction.atomic
def officer_remove(*, actor: Any, officer: Officer) -> None:
    """Take an officer off a board term."""
    term = officer.term
    require(actor, term.post, "manage")
    label = str(officer)
    audit.record(
        actor, "delete", officer, {"officer": [label, None]}, region_id=term.post.region_id, post_id=term.post_id
    )
    audit.record(
        actor, "update", term, {"officers": [label, None]}, region_id=term.post.region_id, post_id=term.post_id
    )
    officer.delete()
