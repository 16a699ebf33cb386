"""Quotes and invoices: numbered per post, per year and per kind without gaps; their content frozen when issued."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import require
from posyantek.orders import workflow
from posyantek.orders.models import DocumentCounter, Order, OrderDocument
from posyantek.orders.services.common import State, step_time
from posyantek.posts.models import Officer, Post
from posyantek.regions.models import Region

Kind = OrderDocument.Kind
#: Days a quote stays valid, printed on it.
QUOTE_VALID_DAYS = 14
_GENERIC = {"posyantek", "pos", "pelayanan", "teknologi", "tepat", "guna", "wartek", "antar", "desa", "kelurahan",
            "kecamatan", "kota", "kabupaten", "dan", "di"}  # fmt: skip
_REGION_WORDS = {"kota", "kabupaten", "administrasi", "kab.", "kab"}


def _city_letters(name: str) -> str:
    """Return three letters for a kabupaten/kota: its first letter and the next consonants (Pekalongan → PKL)."""
    words = [w for w in name.split() if w.lower() not in _REGION_WORDS]
    word = re.sub(r"[^A-Za-z]", "", words[0] if words else name) or "X"
    rest = [c for c in word[1:] if c.lower() not in "aeiou"]
    return (word[0] + "".join(rest))[:3].upper()


def post_short_code(post: Post, city_name: str | None = None) -> str:
    """Return a post's short code for document numbers: initials and city, e.g. MP-PKL for Mitra Pantura."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", post.name) if w.lower() not in _GENERIC]
    initials = "".join(w[0] for w in words).upper()[:4] or "POS"
    if post.kind == Post.Kind.WARTEK:
        initials = "W" + initials
    if city_name is None:
        city_name = Region.objects.filter(pk=post.region_id[:5]).values_list("name", flat=True).first() or ""
    return f"{initials}-{_city_letters(city_name)}" if city_name else initials


def _chair(post: Post, day: dt.date) -> str:
    """Return the name of the post's chair on `day`, for the signature block (empty when unknown)."""
    officer = (
        Officer.objects.filter(
            term__post=post, position=Officer.Position.KETUA, term__starts_on__lte=day, term__ends_on__gte=day
        )  # fmt: skip
        .select_related("person")
        .first()
    )
    return officer.person.name if officer else ""


def _letterhead(post: Post) -> dict[str, Any]:
    regions = {r.pk: r.name for r in Region.objects.filter(pk__in=[post.region_id[:2], post.region_id[:5]])}
    city = regions.get(post.region_id[:5], "")
    return {
        "name": post.name,
        "address": post.address,
        "phone": post.phone,
        "email": post.email,
        "website": post.website,
        "city": city,
        "province": regions.get(post.region_id[:2], ""),
        "sk_number": post.sk_number,
        "short": post_short_code(post, city),
    }


def document_body(order: Order) -> dict[str, Any]:
    """Return what a document of `order` says now (buyer, items, totals, payments), without number or date."""
    return {
        "order_code": order.code,
        "revision": order.quote_revision,
        "buyer": {
            "name": order.buyer_name,
            "institution": order.buyer_institution,
            "phone": order.buyer_phone,
            "email": order.buyer_email,
            "address": order.buyer_address,
            "region": order.buyer_region.path_text() if order.buyer_region_id else "",
        },
        "items": [
            {
                "name": i.name,
                "unit": i.unit,
                "quantity": i.quantity,
                "unit_price": i.unit_price,
                "line_total": i.line_total,
                "made_to_order": i.made_to_order,
            }  # fmt: skip
            for i in order.items.all()
        ],
        "subtotal": order.subtotal,
        "shipping_cost": order.shipping_cost,
        "discount": order.discount,
        "total": order.total,
        "down_payment": order.down_payment,
        "paid_total": order.paid_total,
        "balance": order.balance,
        "payments": [
            {
                "paid_on": p.paid_on.isoformat(),
                "kind": p.kind,
                "method": p.method,
                "amount": p.amount,
                "reference": p.reference,
            }  # fmt: skip
            for p in order.payments.all()
        ],
        "lead_time_days": order.lead_time_days,
        "delivery": order.delivery,
        "channel": order.channel,
    }


def _next_seq(post: Post, kind: str, year: int) -> int:
    """Take the next number of (post, kind, year) under a row lock, creating the counter on first use."""
    counter = DocumentCounter.objects.select_for_update().filter(post=post, kind=kind, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(post=post, kind=kind, year=year, last=0)
        except IntegrityError:
            pass  # another writer made it a moment ago: lock theirs
        counter = DocumentCounter.objects.select_for_update().get(post=post, kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def document_issue(*, actor: Any, order: Order, kind: str, at: dt.datetime | None = None) -> OrderDocument:
    """Issue a quote (while the order is being quoted) or an invoice (once confirmed) with the next number.

    Numbers run per post, per year and per kind without gaps, e.g. PNW/MP-PKL/2026/0001 and INV/MP-PKL/2026/0001.
    The content is frozen, so a reprint never changes; issuing again with the very same content is refused.
    """
    require(actor, order, "edit")
    order = lock_current(order, None)
    if kind not in Kind.values:
        raise ValidationError({"kind": [gettext("Pilih jenis dokumen: surat penawaran atau faktur.")]})
    if kind == Kind.QUOTE and order.state != State.REQUESTED:
        raise ValidationError(
            gettext(
                "Surat penawaran diterbitkan selama pesanan masih tahap permintaan. Setelah "
                "dikonfirmasi terbitkan faktur; untuk harga baru buat penawaran baru."
            )
        )
    if kind == Kind.INVOICE and order.state not in workflow.COUNTED:
        raise ValidationError(gettext("Faktur diterbitkan setelah pesanan dikonfirmasi (dan sebelum dibatalkan atau "
                                      "diretur)."))  # fmt: skip
    body = document_body(order)
    if not body["items"]:
        raise ValidationError(gettext("Pesanan belum berisi barang."))
    last = order.documents.filter(kind=kind).order_by("-issued_at", "-pk").first()
    if last is not None and last.content.get("body") == body:
        raise ValidationError(gettext("%(number)s sudah terbit dengan isi yang sama; cetak ulang dokumen itu.")
                              % {"number": last.number})  # fmt: skip
    at = step_time(order, at) if at else timezone.now()
    issued_on = timezone.localdate(at)
    post = order.post
    head = _letterhead(post)
    seq = _next_seq(post, kind, issued_on.year)
    number = f"{OrderDocument.PREFIX[kind]}/{head['short']}/{issued_on.year}/{seq:04d}"
    content = {
        "number": number,
        "kind": kind,
        "issued_on": issued_on.isoformat(),
        "valid_until": (issued_on + dt.timedelta(days=QUOTE_VALID_DAYS)).isoformat() if kind == Kind.QUOTE else None,
        "post": head,
        "signer": _chair(post, issued_on),
        "body": body,
    }
    try:
        with transaction.atomic():
            doc = OrderDocument.objects.create(order=order, post=post, kind=kind, year=issued_on.year, seq=seq,
                                               number=number, issued_at=at, issued_by=actor, total=order.total,
                                               content=content)  # fmt: skip
    except IntegrityError as exc:
        raise ValidationError(
            gettext(
                "Nomor %(number)s sudah dipakai dokumen lain; nomor dokumen tidak boleh dipakai "
                "ulang. Coba terbitkan lagi."
            )
            % {"number": number}
        ) from exc
    audit.record(actor, "update", order, {"dokumen": [None, f"{doc.get_kind_display()} {number}"]})
    return doc
