"""The guest book of a visit: who came, signed with a finger on a phone (or a tap on "Saya hadir").

Guests sign on the public page (no login) while the book is open: the visit is scheduled or held, and today
(Asia/Jakarta) lies between its first day and the day after its last. Staff may add entries on the visit page while
the visit is scheduled or held (copying a paper guest book too). Once the visit is followed up or cancelled the
book is closed for everyone.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.lib import images
from posyantek.core.lib.phone import normalize_phone
from posyantek.core.scoping import require
from posyantek.core.templatetags.fmt import tanggal
from posyantek.visits.models import GuestEntry, Visit
from posyantek.visits.services import live

State = Visit.State
OPEN = (State.SCHEDULED, State.HELD)
#: A drawn signature: at most this many bytes once decoded, and this many pixels.
SIGNATURE_MAX_BYTES = 300 * 1024
SIGNATURE_MAX_PIXELS = 3_000_000
DATA_URL_PREFIX = "data:image/png;base64,"


class GuestbookClosed(ValidationError):
    """The guest book takes no entry now (closed, not yet open): the API answers it with 400."""


def closed_message(visit: Visit, *, today: dt.date | None = None, public: bool = True) -> str | None:
    """Return why the guest book of `visit` takes no entry now, or None when it is open.

    Staff (public=False) are not held to the days: they may copy a paper guest book after the visit.
    """
    if visit.state in (State.FOLLOWED_UP, State.CANCELLED):
        return _("Buku tamu sudah ditutup: kunjungan ini sudah %(state)s.") % {
            "state": visit.get_state_display().lower()}  # fmt: skip
    if visit.state == State.REQUESTED:
        return _("Buku tamu belum dibuka: kunjungan ini belum dijadwalkan.")
    if not public:
        return None
    today = today or timezone.localdate()
    if today < visit.starts_on:
        return _("Buku tamu belum dibuka; dibuka mulai %(day)s.") % {"day": tanggal(visit.starts_on)}
    if today > visit.ends_on + dt.timedelta(days=1):
        return _("Buku tamu sudah ditutup sejak %(day)s.") % {"day": tanggal(visit.ends_on + dt.timedelta(days=2))}
    return None


def signature_png(data_url: str) -> bytes:
    """Return the PNG drawn on the page, checked and cleaned, from its data URL; raise ValidationError otherwise."""
    text = (data_url or "").strip()
    if not text.startswith(DATA_URL_PREFIX):
        raise ValidationError({"signature": [_("Tanda tangan tidak terbaca; gores ulang atau centang Saya hadir.")]})
    encoded = text[len(DATA_URL_PREFIX) :]
    if len(encoded) > SIGNATURE_MAX_BYTES * 4 // 3 + 4:
        raise ValidationError({"signature": [_("Gambar tanda tangan terlalu besar.")]})
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({"signature": [_("Tanda tangan tidak terbaca; gores ulang atau centang Saya hadir.")]}
                              ) from exc  # fmt: skip
    try:
        info = images.check_image(raw, max_bytes=SIGNATURE_MAX_BYTES, max_pixels=SIGNATURE_MAX_PIXELS)
        if info.format != "PNG":
            raise ValidationError(_("Tanda tangan harus gambar PNG."))
        clean = images.clean_image(raw, max_side=1000, max_bytes=SIGNATURE_MAX_BYTES,
                                   max_pixels=SIGNATURE_MAX_PIXELS)  # fmt: skip
    except ValidationError as exc:
        raise ValidationError({"signature": exc.messages}) from exc
    if _blank(clean.data):
        raise ValidationError({"signature": [_("Tanda tangan masih kosong; gores tanda tangan atau centang Saya "
                                               "hadir.")]})  # fmt: skip
    return clean.data


def _blank(png: bytes) -> bool:
    """Return whether a drawing has nothing on it (fully transparent, or one flat colour)."""
    from PIL import Image

    with Image.open(io.BytesIO(png), formats=("PNG",)) as im:
        if "A" in im.getbands():
            return im.getchannel("A").getbbox() is None
        lo, hi = im.convert("L").getextrema()
        return lo == hi


def _signed_at(visit: Visit, value: Any) -> dt.datetime:
    """Return when a guest signed: now, or a day of the visit given by staff copying a paper book."""
    now = timezone.now()
    if value is None:
        return now
    if isinstance(value, dt.datetime):
        moment = value if timezone.is_aware(value) else timezone.make_aware(value)
    elif value == timezone.localdate():
        moment = now
    else:
        moment = timezone.make_aware(dt.datetime.combine(value, dt.time(9, 0)))
    day = timezone.localtime(moment).date()
    if not visit.starts_on <= day <= visit.ends_on + dt.timedelta(days=1) or moment > now:
        raise ValidationError({"signed_at": [_("Waktu hadir harus pada hari kunjungan (%(a)s – %(b)s) dan tidak di "
                                               "masa depan.") % {"a": tanggal(visit.starts_on),
                                                                 "b": tanggal(visit.ends_on)}]})  # fmt: skip
    return moment


def _entry_text(entry: GuestEntry, *, public: bool = False) -> str:
    text = entry.name + (f" ({entry.institution})" if entry.institution else "")
    # The guest wrote it on their own phone: the history says so, rather than only "sistem" as the actor.
    return f"{text} · {_('diisi sendiri oleh tamu')}" if public else text


@transaction.atomic
def guest_add(*, actor: Any, visit: Visit, data: dict[str, Any], public: bool = False) -> GuestEntry:
    """Write a guest into the book: name, institution, position, phone, and a drawn signature or a tap.

    `public=True` is the page a guest opens from the QR code (no actor); otherwise staff with edit rights. The visit
    row is locked first, so an entry and the visit's closing never cross.
    """
    if not public:
        require(actor, visit, "edit")
    locked = live(visit, lock=True)
    message = closed_message(locked, public=public)
    if message:
        raise GuestbookClosed(message)
    errors: dict[str, list[str]] = {}
    entry = GuestEntry(visit=locked, recorded_by=None if public else actor)
    for f in ("name", "institution", "position", "phone"):
        setattr(entry, f, str(data.get(f) or "").strip())
    if not entry.name:
        errors["name"] = [_("Tulis nama Anda.") if public else _("Tulis nama tamu.")]
    for f in ("name", "institution", "position"):
        limit = GuestEntry._meta.get_field(f).max_length
        if len(getattr(entry, f)) > limit:
            errors[f] = [_("Paling panjang %(n)s huruf.") % {"n": limit}]
    if entry.phone:
        mobile = normalize_phone(entry.phone)
        if mobile is None:
            errors["phone"] = [_("Nomor %(n)s bukan nomor HP Indonesia. Tulis seperti 0812-3456-7890.")
                               % {"n": entry.phone[:30]}]  # fmt: skip
        else:
            entry.phone = mobile
    png = None
    if data.get("signature"):
        try:
            png = signature_png(data["signature"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    elif public and not data.get("present"):
        errors["present"] = [_("Centang Saya hadir atau bubuhkan tanda tangan.")]
    if not public:
        try:
            entry.signed_at = _signed_at(locked, data.get("signed_at"))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    else:
        entry.signed_at = timezone.now()
    if entry.name and "name" not in errors and locked.guests.filter(name__iexact=entry.name).exists():
        errors["name"] = [_("%(name)s sudah tercatat di buku tamu.") % {"name": entry.name}]
    if errors:
        raise ValidationError(errors)
    if png is not None:
        n = locked.guests.count() + 1
        entry.signature.save(f"ttd-{n:03d}.png", ContentFile(png), save=False)
    entry.save()
    audit.record(actor if not public else None, "update", locked,
                 {"buku_tamu": [None, _entry_text(entry, public=public)]})  # fmt: skip
    return entry


@transaction.atomic
def guest_remove(*, actor: Any, entry: GuestEntry) -> None:
    """Delete a guest-book entry written by mistake (or twice), while the book is not closed.

    A visit followed up or cancelled keeps its guest book as it was: the record of who came.
    """
    require(actor, entry.visit, "edit")
    locked = live(entry.visit, lock=True)
    if locked.state in (State.FOLLOWED_UP, State.CANCELLED):
        raise GuestbookClosed(_("Buku tamu sudah ditutup: kunjungan ini sudah %(state)s; isinya tidak diubah lagi.")
                              % {"state": locked.get_state_display().lower()})  # fmt: skip
    audit.record(actor, "update", locked, {"buku_tamu": [_entry_text(entry), None]})
    if entry.signature:
        entry.signature.delete(save=False)
    entry.delete()
