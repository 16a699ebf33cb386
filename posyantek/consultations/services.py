"""Writes on service requests: public submit, staff intake, workflow steps, monitoring, rating. Scoped and audited."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from posyantek.catalog.models import Sector, Ttg
from posyantek.consultations import notify, workflow
from posyantek.consultations.models import MonitoringCheck, Recommendation, RequestPhoto, ServiceRequest, StateChange
from posyantek.consultations.selectors import handler_choices, officer_emails, post_for_region_unscoped
from posyantek.core import audit, ratelimit
from posyantek.core.concurrency import lock_current
from posyantek.core.lib import images
from posyantek.core.lib.phone import normalize_phone
from posyantek.core.scoping import Action, rank_on_post, require
from posyantek.posts.models import Post
from posyantek.regions.models import Region

#: Letters and digits that cannot be mistaken for each other when read out or typed: no 0/O, no 1/I.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MAX_PHOTOS = 3
REQUEST_FIELDS = ["requester_name", "requester_kind", "phone", "email", "description", "sector", "commodity"]
State = ServiceRequest.State


class RateLimited(Exception):
    """Too many submissions from one address or for one phone number."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def new_code() -> str:
    """Return a fresh tracking code: 10 characters from 32, about 10^15 possibilities."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _clean_contact(data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    phone_text = (data.get("phone") or "").strip()
    email = (data.get("email") or "").strip().lower()
    data["phone"], data["email"] = "", email
    if phone_text:
        phone = normalize_phone(phone_text)
        if phone is None:
            errors["phone"] = [gettext("Nomor %(n)s bukan nomor HP Indonesia. Tulis seperti 0812-3456-7890 atau "
                                       "+62 812-3456-7890.") % {"n": phone_text[:30]}]  # fmt: skip
        else:
            data["phone"] = phone
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [gettext("Alamat e-mail tidak valid.")]
    if not phone_text and not email:
        errors["phone"] = [gettext("Tuliskan nomor HP/WhatsApp (atau e-mail) agar kami dapat menghubungi Anda.")]


def _clean_request(data: dict[str, Any]) -> dict[str, Any]:
    """Check the shape and content of a request; raise ValidationError with every problem at once."""
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    errors: dict[str, list[str]] = {}
    if not data.get("requester_name"):
        errors["requester_name"] = [gettext("Tuliskan nama Anda (atau nama kelompok).")]
    _clean_contact(data, errors)
    if len(data.get("description") or "") < 10:
        errors["description"] = [gettext("Ceritakan kebutuhan atau masalah Anda, paling sedikit 10 huruf.")]
    if data.get("sector") and data["sector"] not in Sector.values:
        errors["sector"] = [gettext("Bidang tidak dikenal.")]
    # Absent (the public form does not ask) means a person; present, it must be one of the kinds (not null).
    if "requester_kind" in data and data["requester_kind"] not in ServiceRequest.RequesterKind.values:
        errors["requester_kind"] = [gettext("Pilih jenis pemohon: perorangan, kelompok, UMKM atau pemerintah "
                                            "desa/kelurahan.")]  # fmt: skip
    region = data.get("region")
    if isinstance(region, str):
        region = Region.objects.filter(code=region).first()
    if region is None:
        errors["region"] = [gettext("Pilih desa/kelurahan atau kecamatan Anda.")]
    elif region.level < Region.Level.DISTRICT:
        errors["region"] = [gettext("Pilih desa/kelurahan atau kecamatan, bukan kota atau provinsi.")]
    data["region"] = region
    if errors:
        raise ValidationError(errors)
    return data


def _clean_photos(photos: list[Any]) -> list[tuple[images.EncodedImage, images.EncodedImage]]:
    """Check every photo before anything is saved: an image (JPG, PNG, WEBP), not SVG, at most 10 MB."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": [gettext("Paling banyak %(n)s foto.") % {"n": MAX_PHOTOS}]})
    out = []
    for upload in photos:
        try:
            images.check_image(upload)
            clean = images.clean_image(upload)
            out.append((clean, images.thumbnail(clean.data)))
        except ValidationError as exc:
            name = getattr(upload, "name", "") or gettext("foto")
            raise ValidationError({"photos": [f"{name}: {m}" for m in exc.messages]}) from exc
    return out


def _save_photos(req: ServiceRequest, cleaned: list[tuple[images.EncodedImage, images.EncodedImage]]) -> None:
    for i, (clean, thumb) in enumerate(cleaned, 1):
        photo = RequestPhoto(request=req)
        photo.image.save(f"foto-{i}{clean.extension}", ContentFile(clean.data), save=False)
        photo.thumbnail.save(f"foto-{i}-kecil{thumb.extension}", ContentFile(thumb.data), save=False)
        photo.save()


def _due(req: ServiceRequest) -> dt.datetime | None:
    if req.state in ServiceRequest.FINAL:
        return None
    if req.state == State.MONITORING:
        check = req.checks.filter(done_on__isnull=True).order_by("due_on").first()
        if check is None:
            return None
        end_of_day = dt.datetime.combine(check.due_on, dt.time(23, 59))
        return timezone.make_aware(end_of_day)
    days = workflow.target_days().get(req.state)
    return req.state_since + dt.timedelta(days=days) if days else None


def _create(actor: Any, data: dict[str, Any], cleaned: list[Any], *, channel: str, post: Post | None) -> ServiceRequest:
    now = timezone.now()
    received = data.get("received_at") or now
    req = ServiceRequest(
        **{k: data.get(k) or "" for k in REQUEST_FIELDS},
        region=data["region"],
        post=post,
        channel=channel,
        received_at=received,
        state_since=received,
    )
    req.requester_kind = req.requester_kind or ServiceRequest.RequesterKind.PERSON
    req.due_at = _due(req)
    for _attempt in range(5):
        req.code = new_code()
        if not ServiceRequest.objects.filter(code=req.code).exists():
            break
    req.save()
    StateChange.objects.create(request=req, from_state="", to_state=State.RECEIVED, actor=actor, at=received,
                               note=data.get("note") or "", is_public=False)  # fmt: skip
    _save_photos(req, cleaned)
    changes = audit.snapshot(req, ["requester_name", "channel", "post", "region", "sector", "commodity", "description"])
    changes["foto"] = len(cleaned) or None
    audit.record(actor, "create", req, changes)
    notify.later(lambda: notify.email_new_request(req, officer_emails(req)))
    return req


#: Channels staff record; "online" is only the public form's.
STAFF_CHANNELS = tuple(c for c in ServiceRequest.Channel.values if c != ServiceRequest.Channel.ONLINE)


def post_serves_region(post: Post, region: Region) -> bool:
    """Return whether `post` may take a request from `region`.

    A post serves its own kabupaten/kota (a walk-in from the next village is normal) and the regions listed as its
    service area; a request from elsewhere (a DKI kecamatan at a Pekalongan post) belongs to another post, and
    recording it here would show it to people who must not see it.
    """
    codes = {*region.ancestor_codes, region.code}
    seat = post.region_id
    city = ".".join(seat.split(".")[:2])
    if seat in codes or city in codes:
        return True
    return post.service_area.filter(code__in=codes).exists()


def _outside_post_message(post: Post, region: Region) -> str:
    return gettext("%(region)s di luar wilayah layanan %(post)s. Catat permohonan ini di pos yang melayani "
                   "wilayah tersebut.") % {"region": region, "post": post}  # fmt: skip


def check_submit_allowed(*, ip: str | None, phone: str | None) -> None:
    """Count one public submission for the address and the phone; raise RateLimited beyond the limits."""
    limit, per = workflow.rate_limit("ip")
    if ip is not None and not ratelimit.allow(f"layanan:ip:{ip}", limit=limit, per_seconds=per):
        raise RateLimited(gettext("Terlalu banyak permohonan dari alamat Anda. Coba lagi dalam satu jam, atau "
                                  "hubungi pos terdekat langsung."))  # fmt: skip
    if phone:
        limit, per = workflow.rate_limit("phone")
        if not ratelimit.allow(f"layanan:phone:{phone}", limit=limit, per_seconds=per):
            raise RateLimited(gettext("Nomor ini sudah mengirim beberapa permohonan hari ini. Pakai kode lacak yang "
                                      "sudah Anda terima, atau coba lagi besok."))  # fmt: skip


def request_submit(*, data: dict[str, Any], photos: list[Any] | tuple[Any, ...] = (), ip: str) -> ServiceRequest:
    """Take a request from the public form or API (no login): rate-limited, routed to the nearest post.

    Everything is checked first (fields, contact, photos). The address limit counts every attempt, so a flood is
    stopped even when its requests are invalid; the phone limit counts only requests that pass the checks, so a
    requester correcting typos is not told their number already sent several requests (nor can anyone lock a
    number out with invalid forms). Raises ValidationError or RateLimited; nothing is saved then.
    """
    check_submit_allowed(ip=ip, phone=None)
    data = _clean_request(data)
    cleaned = _clean_photos(list(photos))
    check_submit_allowed(ip=None, phone=data["phone"] or None)
    with transaction.atomic():
        post = post_for_region_unscoped(data["region"])
        return _create(None, data, cleaned, channel=ServiceRequest.Channel.ONLINE, post=post)


@transaction.atomic
def request_create(*, actor: Any, data: dict[str, Any], photos: list[Any] | tuple[Any, ...] = ()) -> ServiceRequest:
    """Record a request walked in, phoned or sent by WhatsApp, at a post the actor works for."""
    post = data.get("post")
    errors: dict[str, list[str]] = {}
    if post is None or rank_on_post(actor, post) < Action.EDIT:
        errors["post"] = [gettext("Pilih pos tempat Anda bertugas.")]
    if data.get("channel") not in STAFF_CHANNELS:
        errors["channel"] = [gettext("Pilih saluran permohonan: datang langsung, telepon atau WhatsApp.")]
    received = data.get("received_at")
    if received and timezone.is_naive(received):  # a time without offset (the API allows it) is local time
        received = data["received_at"] = timezone.make_aware(received)
    if received and received > timezone.now():
        errors["received_at"] = [gettext("Tanggal ini belum terjadi; periksa tahunnya.")]
    try:
        clean = _clean_request(data)
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if not errors and not post_serves_region(post, clean["region"]):
        errors["region"] = [_outside_post_message(post, clean["region"])]
    if errors:
        raise ValidationError(errors)
    cleaned = _clean_photos(list(photos))
    req = _create(actor, clean, cleaned, channel=data["channel"], post=post)
    require(actor, req, "edit")
    return req


@transaction.atomic
def request_update(*, actor: Any, request: ServiceRequest, data: dict[str, Any], version: int | None) -> ServiceRequest:
    """Correct the requester's details or the need; an edit made on an old version is refused."""
    require(actor, request, "edit")
    req = lock_current(request, version)
    fields = [f for f in REQUEST_FIELDS if f in data]
    before = audit.snapshot(req, fields)
    merged = {**audit.snapshot(req, REQUEST_FIELDS), **{f: data[f] for f in fields}, "region": req.region}
    clean = _clean_request(merged)
    for f in fields:
        setattr(req, f, clean[f])
    req.version += 1
    req.save()
    changes = audit.diff(before, audit.snapshot(req, fields))
    if changes:
        audit.record(actor, "update", req, changes)
    return req


@transaction.atomic
def request_assign(*, actor: Any, request: ServiceRequest, post: Post, version: int | None = None) -> ServiceRequest:
    """Give a request (unassigned, or at the wrong post) to a post; the actor must be able to work for both."""
    require(actor, request, "edit")
    if rank_on_post(actor, post) < Action.EDIT:
        raise ValidationError({"post": [gettext("Anda tidak dapat menyerahkan permohonan ke pos ini.")]})
    req = lock_current(request, version)
    if req.is_final:
        raise ValidationError(gettext("Permohonan ini sudah ditutup."))
    if not post_serves_region(post, req.region):
        raise ValidationError({"post": [_outside_post_message(post, req.region)]})
    old = req.post
    req.post = post
    if req.handler_id and not handler_choices(post).filter(pk=req.handler_id).exists():
        req.handler = None
    req.version += 1
    req.save()
    require(actor, req, "edit")
    audit.record(actor, "update", req, {"post": [str(old) if old else None, str(post)]})
    notify.later(lambda: notify.email_new_request(req, officer_emails(req)))
    return req


def _refuse_skip(old: str, new: str) -> None:
    allowed = workflow.TRANSITIONS.get(old, ())
    if new in allowed:
        return
    labels = dict(State.choices)
    if not allowed:
        raise ValidationError(gettext("Permohonan ini sudah %(state)s; statusnya tidak dapat diubah lagi.")
                              % {"state": str(labels[old]).lower()})  # fmt: skip
    raise ValidationError(
        gettext("Tidak dapat langsung dari «%(old)s» ke «%(new)s»: ada langkah yang terlewati. "
                "Langkah berikutnya yang boleh: %(allowed)s.")
        % {"old": labels[old], "new": labels.get(new, new), "allowed": ", ".join(str(labels[s]) for s in allowed)}
    )  # fmt: skip


def _step_details(actor: Any, req: ServiceRequest, new: str, details: dict[str, Any]) -> dict[str, Any]:
    """Check and apply what a step needs (triage: service, section, handler; recommendation: TTGs; …)."""
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    if new == State.TRIAGED:
        if req.post_id is None:
            errors["post"] = [gettext("Serahkan dulu permohonan ini ke pos yang menanganinya.")]
        for f, msg in (("service_type", gettext("Pilih jenis layanan.")), ("section", gettext("Pilih seksi."))):
            value = details.get(f) or ""
            choices = ServiceRequest._meta.get_field(f).choices or []
            if value not in [c[0] for c in choices]:
                errors[f] = [msg]
            else:
                changes[f] = value
        handler = details.get("handler")
        if handler is None or not handler_choices(req.post).filter(pk=getattr(handler, "pk", handler)).exists():
            errors["handler"] = [gettext("Pilih petugas pos yang menangani.")]
        else:
            changes["handler"] = handler_choices(req.post).get(pk=getattr(handler, "pk", handler))
    elif new == State.RECOMMENDATION:
        ids = [getattr(t, "pk", t) for t in details.get("ttgs") or []]
        found = {t.pk: t for t in Ttg.objects.filter(pk__in=ids, publication=Ttg.Publication.PUBLISHED)}
        if not ids:
            errors["ttgs"] = [gettext("Pilih paling sedikit satu TTG dari katalog untuk direkomendasikan.")]
        elif len(found) != len(set(ids)):
            errors["ttgs"] = [gettext("Hanya TTG yang sudah terbit di katalog publik yang dapat direkomendasikan.")]
        else:
            changes["ttgs"] = [found[i] for i in dict.fromkeys(ids)]
    elif new == State.REFERRED:
        kind = details.get("referral_kind") or ""
        if kind not in ServiceRequest.ReferralKind.values:
            errors["referral_kind"] = [gettext("Pilih ke mana permohonan dirujuk.")]
        if not (details.get("referral_to") or "").strip():
            errors["referral_to"] = [gettext("Tuliskan nama inovator, perguruan tinggi, pos atau BUMDes tujuan.")]
        changes.update(referral_kind=kind, referral_to=(details.get("referral_to") or "").strip()[:200])
    elif new in (State.DONE, State.NO_SOLUTION):
        if not (details.get("result") or "").strip():
            errors["result"] = [gettext("Tuliskan hasil layanan (apa yang sudah dilakukan dan hasilnya).")]
        if new == State.DONE and req.state == State.MONITORING and req.checks.filter(done_on__isnull=True).exists():
            errors["__all__"] = [gettext("Catat dulu semua pemantauan (bulan ke-%(m)s) sebelum menyatakan selesai.")
                                 % {"m": ", ".join(str(m) for m in req.checks.filter(done_on__isnull=True)
                                                   .values_list("months", flat=True))}]  # fmt: skip
        changes["result"] = (details.get("result") or "").strip()
    elif new == State.CANCELLED and not (details.get("note") or "").strip():
        errors["note"] = [gettext("Tuliskan alasan pembatalan.")]
    if errors:
        raise ValidationError(errors)
    return changes


@transaction.atomic
def request_transition(
    *,
    actor: Any,
    request: ServiceRequest,
    to_state: str,
    note: str = "",
    is_public: bool = False,
    version: int | None = None,
    at: dt.datetime | None = None,
    **details: Any,
) -> ServiceRequest:
    """Move a request one step along the workflow, with who, when and a note; a skipped step is refused."""
    require(actor, request, "edit")
    req = lock_current(request, version)
    if to_state not in State.values:
        raise ValidationError({"to_state": [gettext("Status tidak dikenal.")]})
    _refuse_skip(req.state, to_state)
    changes = _step_details(actor, req, to_state, {**details, "note": note})
    at = at or timezone.now()
    if at > timezone.now() or at < req.state_since:
        raise ValidationError(
            {"at": [gettext("Waktu langkah harus sesudah langkah sebelumnya dan tidak di masa depan.")]}
        )
    old = req.state
    ttgs = changes.pop("ttgs", None)
    for f, value in changes.items():
        setattr(req, f, value)
    req.state, req.state_since = to_state, at
    req.closed_at = at if to_state in ServiceRequest.FINAL else None
    if to_state == State.MONITORING:
        deployed = req.steps.filter(to_state=State.DEPLOYMENT).order_by("-at").values_list("at", flat=True).first()
        start = timezone.localdate(deployed or at)
        for months in workflow.monitoring_months():
            MonitoringCheck.objects.get_or_create(request=req, months=months,
                                                  defaults={"due_on": _add_months(start, months)})  # fmt: skip
    req.due_at = _due(req)
    req.version += 1
    req.save()
    if ttgs is not None:
        req.recommendations.all().delete()
        Recommendation.objects.bulk_create([Recommendation(request=req, ttg=t, order=i) for i, t in enumerate(ttgs)])
        changes["recommended"] = [t.name for t in ttgs]
    StateChange.objects.create(request=req, from_state=old, to_state=to_state, actor=actor, at=at,
                               note=note.strip(), is_public=is_public)  # fmt: skip
    audit.record(actor, "status", req, {"state": [old, to_state], "note": [None, note.strip() or None],
                                        **{k: [None, v] for k, v in changes.items()}})  # fmt: skip
    if to_state == State.TRIAGED and req.handler_id and req.handler_id != getattr(actor, "pk", None):
        notify.later(lambda: notify.email_new_request(req, [req.handler.email]))
    return req


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    return day  # unreachable: day 28 exists in every month


@transaction.atomic
def check_record(*, actor: Any, check: MonitoringCheck, note: str, done_on: dt.date | None = None) -> MonitoringCheck:
    """Record a monitoring check-in: how the technology is doing after so many months."""
    require(actor, check.request, "edit")
    req = lock_current(check.request, None)
    check = MonitoringCheck.objects.get(pk=check.pk)  # read again under the request's lock: recorded only once
    errors: dict[str, list[str]] = {}
    if req.state != State.MONITORING:
        errors["__all__"] = [gettext("Pemantauan dicatat saat permohonan berstatus Pemantauan.")]
    if not (note or "").strip():
        errors["note"] = [gettext("Tuliskan hasil pemantauan.")]
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        errors["done_on"] = [gettext("Tanggal ini belum terjadi; periksa tahunnya.")]
    if check.done_on:
        errors["__all__"] = [gettext("Pemantauan ini sudah dicatat.")]
    if errors:
        raise ValidationError(errors)
    check.done_on, check.done_by, check.note = done_on, actor, note.strip()
    check.save()
    req.due_at = _due(req)
    req.version += 1
    req.save(update_fields=["due_at", "version", "updated"])
    audit.record(actor, "update", req, {"pemantauan": [None, f"bulan ke-{check.months}: {check.note}"[:300]]})
    return check


@transaction.atomic
def request_rate(*, request: ServiceRequest, rating: int, comment: str = "") -> ServiceRequest:
    """Let the requester rate the service once, after the request ended (selesai or ditutup tanpa solusi)."""
    req = lock_current(request, None)
    if req.state not in (State.DONE, State.NO_SOLUTION):
        raise ValidationError(gettext("Penilaian dapat diberikan setelah permohonan selesai."))
    if req.rated_at is not None:
        raise ValidationError(gettext("Permohonan ini sudah dinilai. Terima kasih!"))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": [gettext("Pilih nilai 1 sampai 5.")]})
    req.rating, req.rating_comment, req.rated_at = rating, (comment or "").strip()[:2000], timezone.now()
    req.save(update_fields=["rating", "rating_comment", "rated_at", "updated"])
    audit.record(None, "update", req, {"rating": [None, rating], "rating_comment": [None, req.rating_comment or None]})
    return req
