"""Writes on visits: the visit and its states, the agenda and photos (follow-ups: followups.py; the guest
book: guestbook.py).

Each write is scoped (edit on the visit's post), atomic and audited; what happens to a visit's parts (an agenda
item, a follow-up, a photo, a guest) is recorded on the visit, so its page tells the whole story.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.lib import images
from posyantek.core.scoping import Action, rank_on_post, require
from posyantek.core.templatetags.fmt import tanggal
from posyantek.core.validators import sniff_type, validate_document
from posyantek.partnerships.models import Partner
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.visits.models import AgendaItem, Visit, VisitPhoto, VisitStep

State = Visit.State
#: Where each state may go: diminta → dijadwalkan → dilaksanakan → ditindaklanjuti; `dibatalkan` is a side exit
#: before the visit is held.
NEXT: dict[str, list[str]] = {
    State.REQUESTED: [State.SCHEDULED, State.CANCELLED],
    State.SCHEDULED: [State.HELD, State.CANCELLED],
    State.HELD: [State.FOLLOWED_UP],
    State.FOLLOWED_UP: [],
    State.CANCELLED: [],
}
#: States in which the agenda may change, follow-ups be recorded, photos be added.
AGENDA_OPEN = (State.REQUESTED, State.SCHEDULED, State.HELD)
FOLLOW_UP_OPEN = (State.HELD, State.FOLLOWED_UP)
PHOTO_OPEN = (State.SCHEDULED, State.HELD, State.FOLLOWED_UP)

VISIT_FIELDS = ["post", "direction", "title", "institution", "institution_region", "other_post", "partner", "leader",
                "leader_title", "visitors", "purposes", "purpose_text", "starts_on", "ends_on", "letter_number",
                "letter_date", "hosts", "summary"]  # fmt: skip
#: Fields that may be cleared (set to None) by an edit.
NULLABLE = ("institution_region", "other_post", "partner", "letter_date")
TEXT_FIELDS = ("title", "institution", "leader", "leader_title", "purpose_text", "letter_number", "hosts", "summary")
AUDITED = ["post", "direction", "title", "institution", "institution_region", "other_post", "partner", "leader",
           "leader_title", "visitors", "purposes", "purpose_text", "starts_on", "ends_on", "letter_number",
           "letter_date", "hosts", "summary"]  # fmt: skip
MAX_VISITORS = 10_000
MAX_TEXT = 20_000
MAX_PHOTOS = 30
AGENDA_FIELDS = ["kind", "title", "day", "starts_at", "ends_at", "place", "site_region", "officials"]


def new_guestbook_token() -> str:
    """Return a fresh, unguessable guest-book token (22 characters, URL-safe)."""
    while True:
        token = secrets.token_urlsafe(16)
        if not Visit.objects.filter(guestbook_token=token).exists():
            return token


def region_of(code: Any, field: str, errors: dict[str, list[str]]) -> Region | None:
    """Return the Region for a code (or a Region), recording an error for an unknown code."""
    if code is None or isinstance(code, Region):
        return code
    code = str(code).strip()
    if not code:
        return None
    found = Region.objects.filter(code=code[:13]).first()
    if found is None:
        errors[field] = [_("Kode wilayah %(code)s tidak ada.") % {"code": code[:20]}]
    return found


def text_lengths(obj: Any, fields: tuple[str, ...] | list[str], errors: dict[str, list[str]]) -> None:
    for f in fields:
        value = getattr(obj, f) or ""
        limit = obj._meta.get_field(f).max_length or MAX_TEXT
        if len(value) > limit:
            errors.setdefault(f, [_("Paling panjang %(n)s huruf.") % {"n": limit}])


def purposes_clean(value: Any, errors: dict[str, list[str]]) -> list[str]:
    """Return the purposes as known codes in their fixed order; record an error for anything else."""
    if value in (None, ""):
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple | set):
        errors["purposes"] = [_("Pilih maksud kunjungan dari daftar.")]
        return []
    unknown = [str(v)[:30] for v in value if v not in Visit.Purpose.values]
    if unknown:
        errors["purposes"] = [_("Maksud tidak dikenal: %(v)s.") % {"v": ", ".join(unknown[:3])}]
        return []
    return [v for v in Visit.Purpose.values if v in value]


def _clean(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    data = dict(data)
    errors: dict[str, list[str]] = {}
    for f in TEXT_FIELDS:
        if f in data:
            data[f] = (data[f] or "").strip()
    if "institution_region" in data:
        data["institution_region"] = region_of(data["institution_region"], "institution_region", errors)
    if "purposes" in data:
        data["purposes"] = purposes_clean(data["purposes"], errors)
    return data, errors


def _prepare(actor: Any, visit: Visit, errors: dict[str, list[str]], *, moved: bool) -> None:
    """Check a visit's shape and scope; raise every error at once."""
    if not visit.title:
        errors["title"] = [_("Tulis judul kunjungan.")]
    if not visit.institution:
        errors["institution"] = [_("Tulis instansi tamu atau instansi tujuan.")]
    if visit.direction not in Visit.Direction.values:
        errors["direction"] = [_("Pilih arah kunjungan: masuk atau keluar.")]
    visitors = visit.visitors
    if isinstance(visitors, bool) or not isinstance(visitors, int):
        errors["visitors"] = [_("Tulis jumlah orang sebagai bilangan bulat.")]
    elif visitors < 1:
        errors["visitors"] = [_("Jumlah orang paling sedikit 1; kunjungan tanpa orang tidak dapat dicatat.")]
    elif visitors > MAX_VISITORS:
        errors["visitors"] = [_("Jumlah orang terlalu besar; periksa angkanya.")]
    if visit.starts_on is None:
        errors["starts_on"] = [_("Isi tanggal mulai.")]
    if visit.ends_on is None and visit.starts_on is not None:
        visit.ends_on = visit.starts_on
    if visit.starts_on and visit.ends_on and visit.ends_on < visit.starts_on:
        errors["ends_on"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    text_lengths(visit, TEXT_FIELDS, errors)
    if visit.post_id is None:
        errors["post"] = [_("Pilih pos yang menerima atau melakukan kunjungan.")]
    elif moved and rank_on_post(actor, visit.post) < Action.EDIT:
        errors["post"] = [_("Anda tidak dapat mencatat kunjungan untuk pos ini.")]
    else:
        visit.region_id = visit.post.region_id
    if visit.other_post_id is not None:
        if visit.other_post_id == visit.post_id:
            errors["other_post"] = [_("Posyantek lawan kunjungan tidak boleh pos ini sendiri.")]
        elif not Post.objects.for_user(actor, "view").filter(pk=visit.other_post_id).exists():
            errors["other_post"] = [_("Pos tidak ditemukan atau di luar cakupan Anda.")]
    if visit.partner_id is not None and (
        visit.partner.post_id != visit.post_id
        or not Partner.objects.for_user(actor, "view").filter(pk=visit.partner_id).exists()
    ):
        errors["partner"] = [_("Pilih mitra yang tercatat di pos ini.")]
    if errors:
        raise ValidationError(errors)


def _check_letter(upload: Any) -> None:
    """Accept a PDF within the size limit; anything else (an image too) is told the letter must be a PDF."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if sniff_type(head) != "application/pdf" or not (getattr(upload, "name", "") or "").lower().endswith(".pdf"):
        raise ValidationError({"letter_file": [_("Surat permohonan harus berkas PDF.")]})
    try:
        validate_document(upload)
    except ValidationError as exc:
        raise ValidationError({"letter_file": exc.messages}) from exc


def _save_letter(visit: Visit, upload: Any) -> None:
    if visit.letter_file:
        visit.letter_file.delete(save=False)
    visit.letter_file.save("surat-permohonan.pdf", upload, save=False)
    Visit.objects.filter(pk=visit.pk).update(letter_file=visit.letter_file.name)


def _audit_values(visit: Visit) -> dict[str, Any]:
    values = audit.snapshot(visit, AUDITED)
    values["purposes"] = visit.purpose_labels
    return values


@transaction.atomic
def visit_create(*, actor: Any, data: dict[str, Any], letter_file: Any = None) -> Visit:
    """Record a visit (incoming or outgoing) for a post the actor works for; it starts at `diminta`."""
    data, errors = _clean(data)
    if letter_file is not None:
        try:
            _check_letter(letter_file)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    visit = Visit(**{k: v for k, v in data.items() if k in VISIT_FIELDS and v is not None})
    visit.guestbook_token = new_guestbook_token()
    _prepare(actor, visit, errors, moved=True)
    visit.save()
    require(actor, visit, "edit")
    VisitStep.objects.create(visit=visit, state=visit.state, at=timezone.now(), actor=actor, note=_("Dicatat"))
    if letter_file is not None:
        _save_letter(visit, letter_file)
    values = _audit_values(visit)
    if visit.letter_file:
        values["letter_file"] = visit.letter_file.name.rsplit("/", 1)[-1]
    audit.record(actor, "create", visit, values)
    return visit


def _agenda_outside(visit: Visit) -> list[AgendaItem]:
    return list(visit.agenda.exclude(day__gte=visit.starts_on, day__lte=visit.ends_on))


@transaction.atomic
def visit_update(*, actor: Any, visit: Visit, data: dict[str, Any], version: int | None = None,
                 letter_file: Any = None, remove_letter: bool = False) -> Visit:  # fmt: skip
    """Change a visit's details, its request letter or its summary; an edit made on an old version is refused."""
    require(actor, visit, "edit")
    locked = lock_current(visit, version)
    data, errors = _clean(data)
    if letter_file is not None:
        try:
            _check_letter(letter_file)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    before = _audit_values(locked)
    old_post = locked.post_id
    for f in VISIT_FIELDS:
        if f in data and (data[f] is not None or f in NULLABLE):
            setattr(locked, f, data[f])
    moved = locked.post_id != old_post
    if moved and locked.follow_ups.exists():
        errors["post"] = [_("Tindak lanjut kunjungan ini terkait pos lama; pos tidak dapat dipindah.")]
    _prepare(actor, locked, errors, moved=moved)
    outside = _agenda_outside(locked)
    if outside:
        days = ", ".join(dict.fromkeys(tanggal(a.day) for a in outside))
        raise ValidationError({"starts_on": [_("Ada acara agenda pada %(days)s, di luar tanggal kunjungan yang baru; "
                                               "ubah atau hapus acaranya dulu.") % {"days": days}]})  # fmt: skip
    locked.version += 1
    locked.save()
    require(actor, locked, "edit")
    changes = audit.diff(before, _audit_values(locked))
    old_letter = locked.letter_file.name.rsplit("/", 1)[-1] if locked.letter_file else None
    if letter_file is not None:
        _save_letter(locked, letter_file)
        changes["letter_file"] = [old_letter, locked.letter_file.name.rsplit("/", 1)[-1]]
    elif remove_letter and locked.letter_file:
        locked.letter_file.delete(save=False)
        Visit.objects.filter(pk=locked.pk).update(letter_file="")
        changes["letter_file"] = [old_letter, None]
    if changes:
        audit.record(actor, "update", locked, changes)
    return locked


def allowed_next(visit: Visit) -> list[str]:
    """Return the states a visit may move to from where it is."""
    return list(NEXT[visit.state])


def _labels(states: list[str]) -> str:
    names = [str(State(s).label) for s in states]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " " + _("atau") + " " + names[-1]


@transaction.atomic
def visit_advance(*, actor: Any, visit: Visit, state: str, note: str = "", version: int | None = None) -> Visit:
    """Move a visit to one of its allowed next states; skipping a state or going back is refused."""
    require(actor, visit, "edit")
    locked = lock_current(visit, version)
    if state not in State.values:
        raise ValidationError({"state": [_("Tahap tidak dikenal.")]})
    allowed = NEXT[locked.state]
    if state not in allowed:
        if not allowed:
            msg = _("Kunjungan sudah %(now)s; tahapnya tidak dapat diubah lagi.") % {
                "now": locked.get_state_display().lower()}  # fmt: skip
        else:
            msg = _("Tahap tidak boleh dilompati atau mundur: dari %(now)s, tahap berikutnya hanya %(next)s.") % {
                "now": locked.get_state_display(), "next": _labels(allowed)}  # fmt: skip
        raise ValidationError({"state": [msg]})
    if state == State.SCHEDULED and not locked.agenda.exists():
        raise ValidationError({"state": [_("Belum bisa dijadwalkan: tambahkan dulu paling sedikit satu acara di "
                                           "agenda.")]})  # fmt: skip
    if state == State.HELD and locked.starts_on > timezone.localdate():
        raise ValidationError({"state": [_("Kunjungan ini baru mulai %(day)s; tandai dilaksanakan setelah hari itu "
                                           "tiba.") % {"day": tanggal(locked.starts_on)}]})  # fmt: skip
    if state == State.FOLLOWED_UP and not locked.follow_ups.exists():
        raise ValidationError({"state": [_("Belum bisa ditindaklanjuti: catat dulu paling sedikit satu tindak "
                                           "lanjut.")]})  # fmt: skip
    old = locked.state
    locked.state = state
    locked.version += 1
    locked.save(update_fields=["state", "version", "updated"])
    note = (note or "").strip()[:300]
    VisitStep.objects.create(visit=locked, state=state, at=timezone.now(), actor=actor, note=note)
    audit.record(actor, "status", locked, {"state": [old, state], "note": [None, note or None]})
    return locked


def live(visit: Visit, *, lock: bool = False) -> Visit:
    """Return the visit's row as it is now (its state may have moved since the caller read it)."""
    qs = Visit.objects.select_related("post")
    return (qs.select_for_update() if lock else qs).get(pk=visit.pk)


# --- Agenda ---------------------------------------------------------------------------------------------------


def _agenda_text(item: AgendaItem) -> str:
    hours = ""
    if item.starts_at:
        hours = f" {item.starts_at:%H.%M}" + (f"–{item.ends_at:%H.%M}" if item.ends_at else "")
    return f"{tanggal(item.day)}{hours} · {item.get_kind_display()}: {item.title}"


def _agenda_open(visit: Visit) -> None:
    if visit.state not in AGENDA_OPEN:
        raise ValidationError({"title": [_("Agenda kunjungan yang sudah %(state)s tidak diubah lagi.")
                                         % {"state": visit.get_state_display().lower()}]})  # fmt: skip


def _check_agenda(visit: Visit, item: AgendaItem, data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for f in ("title", "place", "officials"):
        setattr(item, f, (getattr(item, f) or "").strip())
    if "site_region" in data:
        item.site_region = region_of(data["site_region"], "site_region", errors)
    if item.kind not in AgendaItem.Kind.values:
        errors["kind"] = [_("Pilih jenis acara.")]
    if not item.title:
        errors["title"] = [_("Tulis nama acaranya, mis. Audiensi dengan Asisten Wali Kota.")]
    text_lengths(item, ("title", "place", "officials"), errors)
    if item.day is None:
        errors["day"] = [_("Isi tanggal acara.")]
    elif not visit.starts_on <= item.day <= visit.ends_on:
        if visit.starts_on == visit.ends_on:
            errors["day"] = [_("Tanggal acara harus %(day)s, hari kunjungan.") % {"day": tanggal(visit.starts_on)}]
        else:
            errors["day"] = [_("Tanggal acara harus di antara %(a)s dan %(b)s, tanggal kunjungan.")
                             % {"a": tanggal(visit.starts_on), "b": tanggal(visit.ends_on)}]  # fmt: skip
    if item.ends_at is not None and item.starts_at is None:
        errors["starts_at"] = [_("Isi jam mulai bila jam selesai diisi.")]
    elif item.starts_at is not None and item.ends_at is not None and item.ends_at <= item.starts_at:
        errors["ends_at"] = [_("Jam selesai harus sesudah jam mulai.")]
    if errors:
        raise ValidationError(errors)


def _agenda_values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in AGENDA_FIELDS and k != "site_region"}


@transaction.atomic
def agenda_add(*, actor: Any, visit: Visit, data: dict[str, Any]) -> AgendaItem:
    """Add an item to the agenda: an audience, a presentation, a field site, a product display."""
    require(actor, visit, "edit")
    locked = live(visit, lock=True)
    _agenda_open(locked)
    item = AgendaItem(visit=locked, **{k: v for k, v in _agenda_values(data).items() if v is not None})
    _check_agenda(locked, item, data)
    item.save()
    audit.record(actor, "update", locked, {"agenda": [None, _agenda_text(item)]})
    return item


@transaction.atomic
def agenda_update(*, actor: Any, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    """Change an agenda item: its day and hours, place, field site or officials."""
    require(actor, item.visit, "edit")
    locked = live(item.visit, lock=True)
    _agenda_open(locked)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    before = _agenda_text(item)
    for k, v in _agenda_values(data).items():
        if v is not None or k in ("starts_at", "ends_at"):
            setattr(item, k, v)
    _check_agenda(locked, item, data)
    item.save()
    if _agenda_text(item) != before:
        audit.record(actor, "update", locked, {"agenda": [before, _agenda_text(item)]})
    return item


@transaction.atomic
def agenda_remove(*, actor: Any, item: AgendaItem) -> None:
    """Take an item off the agenda; a scheduled visit keeps at least one."""
    require(actor, item.visit, "edit")
    locked = live(item.visit, lock=True)
    _agenda_open(locked)
    if locked.state != State.REQUESTED and locked.agenda.count() <= 1:
        raise ValidationError({"title": [_("Kunjungan yang sudah dijadwalkan perlu paling sedikit satu acara; "
                                           "tambahkan acara lain dulu.")]})  # fmt: skip
    audit.record(actor, "update", locked, {"agenda": [_agenda_text(item), None]})
    item.delete()


# --- Photos ---------------------------------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, actor: Any, visit: Visit, upload: Any, caption: str = "") -> VisitPhoto:
    """Add a photo of the visit: checked (JPG/PNG/WEBP, no SVG), cleaned of metadata and GPS, with a thumbnail."""
    require(actor, visit, "edit")
    locked = live(visit, lock=True)
    if locked.state not in PHOTO_OPEN:
        raise ValidationError({"image": [_("Foto diunggah setelah kunjungan dijadwalkan.")
                                         if locked.state == State.REQUESTED
                                         else _("Kunjungan ini dibatalkan; foto tidak diunggah.")]})  # fmt: skip
    if locked.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"image": [_("Paling banyak %(n)s foto per kunjungan.") % {"n": MAX_PHOTOS}]})
    caption = (caption or "").strip()
    if len(caption) > 300:
        raise ValidationError({"caption": [_("Paling panjang %(n)s huruf.") % {"n": 300}]})
    try:
        clean = images.clean_image(upload)
        thumb = images.thumbnail(clean.data)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    photo = VisitPhoto(visit=locked, caption=caption)
    stem = slugify(caption or locked.title)[:40] or "foto"
    photo.image.save(f"{stem}{clean.extension}", ContentFile(clean.data), save=False)
    photo.thumbnail.save(f"{stem}-kecil{thumb.extension}", ContentFile(thumb.data), save=False)
    photo.save()
    audit.record(actor, "update", locked, {"foto": [None, caption or photo.image.name.rsplit("/", 1)[-1]]})
    return photo


@transaction.atomic
def photo_remove(*, actor: Any, photo: VisitPhoto) -> None:
    """Take a photo off the visit."""
    require(actor, photo.visit, "edit")
    audit.record(actor, "update", photo.visit, {"foto": [photo.caption or photo.image.name.rsplit("/", 1)[-1], None]})
    photo.image.delete(save=False)
    if photo.thumbnail:
        photo.thumbnail.delete(save=False)
    photo.delete()
