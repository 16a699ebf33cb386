"""Writes on exhibitions and roadshows: the plan, its states, products taken, costs, visitors, leads and offers.

Each write is scoped (edit on the exhibition's post), atomic and audited; what happens to the parts of an event
(a product taken, a cost, a lead, an offer) is recorded on the event, so its page tells the whole story.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.lib.phone import normalize_phone
from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.scoping import Action, rank_on_post, require
from posyantek.core.templatetags.fmt import tanggal
from posyantek.exhibitions.models import (
    CooperationOffer,
    Exhibition,
    ExhibitionCost,
    ExhibitionProduct,
    ExhibitionStep,
    Funding,
    Lead,
)
from posyantek.orders.models import Order
from posyantek.products.models import Product
from posyantek.regions.models import Region

State = Exhibition.State
EXHIBITION_FIELDS = ["post", "name", "kind", "level", "starts_on", "ends_on", "venue", "venue_region", "organiser",
                     "report_text"]  # fmt: skip
TEXT_FIELDS = ("name", "venue", "organiser", "report_text")
#: The main line; `dibatalkan` is a side exit from any state before `selesai`.
ORDER = [State.PLANNED, State.PRODUCTS_CHOSEN, State.RUNNING, State.DONE]
#: States in which the event has begun: visitors, leads and offers are recorded from then on.
STARTED = (State.RUNNING, State.DONE)
MAX_RUPIAH = 10**13
MAX_VISITORS = 10_000_000
MAX_QUANTITY = 100_000
LEAD_FIELDS = ["name", "phone", "email", "institution", "region", "product", "interest", "followed_up"]
OFFER_FIELDS = ["partner", "description", "value", "status"]


def _whole_rupiah(value: Any, field: str, errors: dict[str, list[str]], *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = [_("Tulis rupiah bulat, mis. 3500000.")]
        return 0
    if value < minimum:
        errors[field] = [_("Jumlah harus lebih dari Rp 0.") if minimum else _("Tidak boleh negatif.")]
    elif value > MAX_RUPIAH:
        errors[field] = [_("Angkanya terlalu besar; periksa lagi.")]
    return value


def _region(code: Any, field: str, errors: dict[str, list[str]]) -> Region | None:
    if code is None or isinstance(code, Region):
        return code
    code = str(code).strip()
    if not code:
        return None
    found = Region.objects.filter(code=code).first()
    if found is None:
        errors[field] = [_("Kode wilayah %(code)s tidak ada.") % {"code": code[:20]}]
    return found


# --- The event ------------------------------------------------------------------------------------------------


def _prepare(actor: Any, ex: Exhibition, errors: dict[str, list[str]], *, moved: bool) -> None:
    """Check an event's shape and scope; raise every error at once."""
    if not ex.name:
        errors["name"] = [_("Nama acara wajib diisi.")]
    elif len(ex.name) > 200:
        errors["name"] = [_("Nama acara paling panjang 200 huruf.")]
    if ex.kind not in Exhibition.Kind.values:
        errors["kind"] = [_("Jenis acara tidak dikenal.")]
    if ex.level not in Exhibition.Level.values:
        errors["level"] = [_("Pilih tingkat acara: kabupaten/kota, provinsi, nasional…")]
    if ex.starts_on is None:
        errors["starts_on"] = [_("Isi tanggal mulai.")]
    if ex.ends_on is None and ex.starts_on is not None:
        ex.ends_on = ex.starts_on
    if ex.starts_on and ex.ends_on and ex.ends_on < ex.starts_on:
        errors["ends_on"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    if ex.post_id is None:
        errors["post"] = [_("Pilih pos yang ikut pameran.")]
    elif moved and rank_on_post(actor, ex.post) < Action.EDIT:
        errors["post"] = [_("Anda tidak dapat mencatat pameran untuk pos ini.")]
    else:
        ex.region_id = ex.post.region_id
    if errors:
        raise ValidationError(errors)


def _clean(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    data = dict(data)
    errors: dict[str, list[str]] = {}
    for f in TEXT_FIELDS:
        if f in data:
            data[f] = (data[f] or "").strip()
    if "venue_region" in data:
        data["venue_region"] = _region(data["venue_region"], "venue_region", errors)
    return data, errors


AUDITED = ["name", "post", "kind", "level", "starts_on", "ends_on", "venue", "venue_region", "organiser"]


@transaction.atomic
def exhibition_create(*, actor: Any, data: dict[str, Any]) -> Exhibition:
    """Plan an exhibition or roadshow for a post the actor works for; it starts at `direncanakan`."""
    data, errors = _clean(data)
    ex = Exhibition(**{k: v for k, v in data.items() if k in EXHIBITION_FIELDS and v is not None})
    _prepare(actor, ex, errors, moved=True)
    ex.save()
    require(actor, ex, "edit")
    ExhibitionStep.objects.create(exhibition=ex, state=ex.state, at=timezone.now(), actor=actor, note=_("Dicatat"))
    audit.record(actor, "create", ex, audit.snapshot(ex, AUDITED))
    return ex


@transaction.atomic
def exhibition_update(*, actor: Any, exhibition: Exhibition, data: dict[str, Any], version: int | None = None
                      ) -> Exhibition:  # fmt: skip
    """Change an event's plan or report text; an edit made on an old version is refused."""
    require(actor, exhibition, "edit")
    ex = lock_current(exhibition, version)
    data, errors = _clean(data)
    fields = [f for f in EXHIBITION_FIELDS if f in data and (data[f] is not None or f == "venue_region")]
    before = audit.snapshot(ex, [*AUDITED, "report_text"])
    old_post = ex.post_id
    for f in fields:
        setattr(ex, f, data[f])
    _prepare(actor, ex, errors, moved=ex.post_id != old_post)
    if ex.post_id != old_post and ex.products.exists():
        raise ValidationError({"post": [_("Produk yang dibawa milik pos lama; hapus dulu daftar produknya.")]})
    ex.version += 1
    ex.save()
    require(actor, ex, "edit")
    changes = audit.diff(before, audit.snapshot(ex, [*AUDITED, "report_text"]))
    if changes:
        audit.record(actor, "update", ex, changes)
    return ex


def _missing_for(ex: Exhibition, state: str) -> list[str]:
    if state == State.PRODUCTS_CHOSEN and not ex.products.exists():
        return [_("produk yang dibawa")]
    return []


@transaction.atomic
def exhibition_advance(*, actor: Any, exhibition: Exhibition, state: str, note: str = "",
                       version: int | None = None) -> Exhibition:  # fmt: skip
    """Move an event to its next state, or cancel it before it is done; skipping or going back is refused."""
    require(actor, exhibition, "edit")
    ex = lock_current(exhibition, version)
    if state not in State.values:
        raise ValidationError({"state": [_("Tahap tidak dikenal.")]})
    if ex.state == State.CANCELLED:
        raise ValidationError({"state": [_("Acara ini sudah dibatalkan; tahapnya tidak dapat diubah lagi.")]})
    if state == State.CANCELLED:
        if ex.state == State.DONE:
            raise ValidationError({"state": [_("Acara yang sudah selesai tidak dapat dibatalkan.")]})
    else:
        current, target = ORDER.index(ex.state), ORDER.index(state)
        if target <= current:
            raise ValidationError({"state": [_("Acara sudah pada tahap %(now)s; tahap tidak dapat mundur.")
                                             % {"now": ex.get_state_display()}]})  # fmt: skip
        if target != current + 1:
            raise ValidationError({"state": [_("Tahap tidak boleh dilompati: setelah %(now)s harus %(next)s dulu.")
                                             % {"now": ex.get_state_display(),
                                                "next": State(ORDER[current + 1]).label}]})  # fmt: skip
        if state == State.RUNNING and ex.starts_on > timezone.localdate():
            raise ValidationError({"state": [_("Acara ini baru mulai %(day)s; tandai berlangsung setelah hari itu "
                                               "tiba.") % {"day": tanggal(ex.starts_on)}]})  # fmt: skip
        if missing := _missing_for(ex, state):
            raise ValidationError({"state": [_("Belum bisa pindah ke %(state)s; lengkapi dulu: %(what)s.")
                                             % {"state": State(state).label, "what": ", ".join(missing)}]})  # fmt: skip
    old = ex.state
    ex.state = state
    ex.version += 1
    ex.save(update_fields=["state", "version", "updated"])
    ExhibitionStep.objects.create(exhibition=ex, state=state, at=timezone.now(), actor=actor, note=(note or "")[:300])
    audit.record(actor, "status", ex, {"state": [old, state], "note": [None, note or None]})
    return ex


@transaction.atomic
def exhibition_record_visitors(*, actor: Any, exhibition: Exhibition, visitors: Any,
                               version: int | None = None) -> Exhibition:  # fmt: skip
    """Record how many people visited the stand; only once the event is running or done."""
    require(actor, exhibition, "edit")
    ex = lock_current(exhibition, version)
    if ex.state not in STARTED:
        raise ValidationError({"visitors": [_("Jumlah pengunjung dicatat setelah acara berlangsung.")]})
    if isinstance(visitors, bool) or not isinstance(visitors, int):
        raise ValidationError({"visitors": [_("Tulis jumlah pengunjung sebagai bilangan bulat.")]})
    if visitors < 0:
        raise ValidationError({"visitors": [_("Jumlah pengunjung tidak boleh negatif.")]})
    if visitors > MAX_VISITORS:
        raise ValidationError({"visitors": [_("Jumlah pengunjung terlalu besar; periksa angkanya.")]})
    if visitors == ex.visitors:
        return ex
    old = ex.visitors
    ex.visitors = visitors
    ex.version += 1
    ex.save(update_fields=["visitors", "version", "updated"])
    audit.record(actor, "update", ex, {"visitors": [old, visitors]})
    return ex


def _open_for_products(ex: Exhibition) -> None:
    if ex.state in (State.DONE, State.CANCELLED):
        raise ValidationError({"product": [_("Acara sudah %(state)s; daftar produk yang dibawa tidak diubah lagi.")
                                           % {"state": ex.get_state_display().lower()}]})  # fmt: skip


def _quantity(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError({"quantity": [_("Jumlah yang dibawa paling sedikit 1.")]})
    if value > MAX_QUANTITY:
        raise ValidationError({"quantity": [_("Jumlah terlalu besar; periksa angkanya.")]})
    return value


def _live(exhibition: Exhibition) -> Exhibition:
    """Return the event's row as it is now (its state may have moved since the caller read it)."""
    return Exhibition.objects.select_related("post").get(pk=exhibition.pk)


# --- Products taken -------------------------------------------------------------------------------------------


@transaction.atomic
def product_add(*, actor: Any, exhibition: Exhibition, product: Product | None, quantity: Any,
                note: str = "") -> ExhibitionProduct:  # fmt: skip
    """Take one of the post's own products to the event, with how many units."""
    require(actor, exhibition, "edit")
    ex = _live(exhibition)
    _open_for_products(ex)
    if product is None:
        raise ValidationError({"product": [_("Pilih produk yang dibawa.")]})
    if product.post_id != ex.post_id:
        raise ValidationError({"product": [_("Hanya produk %(post)s sendiri yang dapat dibawa.") % {"post": ex.post}]})
    quantity = _quantity(quantity)
    if ExhibitionProduct.objects.filter(exhibition=ex, product=product).exists():
        raise ValidationError({"product": [_("%(p)s sudah ada di daftar; ubah jumlahnya saja.") % {"p": product}]})
    item = ExhibitionProduct.objects.create(exhibition=ex, product=product, quantity=quantity,
                                            note=(note or "").strip()[:200])  # fmt: skip
    audit.record(actor, "update", ex, {"produk_dibawa": [None, str(item)]})
    return item


@transaction.atomic
def product_update(*, actor: Any, item: ExhibitionProduct, quantity: Any, note: str | None = None
                   ) -> ExhibitionProduct:  # fmt: skip
    """Change how many units of a product are taken."""
    require(actor, item.exhibition, "edit")
    ex = _live(item.exhibition)
    _open_for_products(ex)
    item = ExhibitionProduct.objects.select_for_update().get(pk=item.pk)
    before = str(item)
    item.quantity = _quantity(quantity)
    if note is not None:
        item.note = note.strip()[:200]
    item.save()
    if str(item) != before:
        audit.record(actor, "update", ex, {"produk_dibawa": [before, str(item)]})
    return item


@transaction.atomic
def product_remove(*, actor: Any, item: ExhibitionProduct) -> None:
    """Take a product off the list (before the event is done)."""
    require(actor, item.exhibition, "edit")
    ex = _live(item.exhibition)
    _open_for_products(ex)
    audit.record(actor, "update", ex, {"produk_dibawa": [str(item), None]})
    item.delete()


# --- Costs ----------------------------------------------------------------------------------------------------


@transaction.atomic
def cost_add(*, actor: Any, exhibition: Exhibition, item: str, amount: Any, funding_source: str) -> ExhibitionCost:
    """Record a cost of taking part (stand rent, transport, lodging) and who paid it."""
    require(actor, exhibition, "edit")
    errors: dict[str, list[str]] = {}
    item = (item or "").strip()
    if not item:
        errors["item"] = [_("Tulis uraian biayanya, mis. sewa stan.")]
    elif len(item) > 200:
        errors["item"] = [_("Uraian paling panjang 200 huruf.")]
    amount = _whole_rupiah(amount, "amount", errors, minimum=1)
    if funding_source not in Funding.values:
        errors["funding_source"] = [_("Pilih sumber dananya.")]
    if errors:
        raise ValidationError(errors)
    cost = ExhibitionCost.objects.create(exhibition=exhibition, item=item, amount=amount,
                                         funding_source=funding_source)  # fmt: skip
    audit.record(actor, "update", exhibition, {"biaya": [None, _cost_text(cost)]})
    return cost


def _cost_text(cost: ExhibitionCost) -> str:
    return f"{cost.item}: {format_rupiah(cost.amount)} ({cost.get_funding_source_display()})"


@transaction.atomic
def cost_remove(*, actor: Any, cost: ExhibitionCost) -> None:
    """Delete a cost recorded by mistake."""
    require(actor, cost.exhibition, "edit")
    audit.record(actor, "update", cost.exhibition, {"biaya": [_cost_text(cost), None]})
    cost.delete()


# --- Leads ----------------------------------------------------------------------------------------------------


def _lead_text(lead: Lead) -> str:
    who = lead.name + (f" ({lead.institution})" if lead.institution else "")
    if lead.order_id:
        return f"{who} → {lead.order.code}"
    return f"{who} · {_('sudah ditindaklanjuti') if lead.followed_up else _('belum ditindaklanjuti')}"


def _check_lead(actor: Any, ex: Exhibition, lead: Lead, data: dict[str, Any]) -> None:
    """Put a lead's values in their one form and check them; raise every error at once."""
    errors: dict[str, list[str]] = {}
    for f in ("name", "phone", "email", "institution", "interest"):
        setattr(lead, f, (getattr(lead, f) or "").strip())
    if not lead.name:
        errors["name"] = [_("Tulis nama calon pembeli.")]
    if not lead.phone and not lead.email:
        errors["phone"] = [_("Tulis nomor HP/WhatsApp atau e-mail agar dapat dihubungi lagi.")]
    if lead.phone:
        mobile = normalize_phone(lead.phone)
        if mobile is None:
            errors["phone"] = [_("Nomor %(n)s bukan nomor HP Indonesia. Tulis seperti 0812-3456-7890.")
                               % {"n": lead.phone[:30]}]  # fmt: skip
        else:
            lead.phone = mobile
    if lead.email:
        lead.email = lead.email.lower()
        try:
            validate_email(lead.email)
        except ValidationError:
            errors["email"] = [_("Alamat e-mail tidak valid.")]
    if "region" in data:
        lead.region = _region(data["region"], "region", errors)
    if lead.product_id is not None and lead.product.post_id != ex.post_id:
        errors["product"] = [_("Pilih produk %(post)s.") % {"post": ex.post}]
    if "order_code" in data:
        code = (data["order_code"] or "").strip().upper()
        lead.order = None
        if code:
            lead.order = Order.objects.for_user(actor).filter(post_id=ex.post_id, code=code).first()
            if lead.order is None:
                errors["order_code"] = [_("Pesanan %(code)s tidak ditemukan di %(post)s.")
                                        % {"code": code[:20], "post": ex.post}]  # fmt: skip
    if lead.order_id:
        lead.followed_up = True  # an order is the follow-up
    if len(lead.interest) > 300:
        errors["interest"] = [_("Minat paling panjang 300 huruf.")]
    if errors:
        raise ValidationError(errors)


def _lead_values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in LEAD_FIELDS and k != "region" and v is not None}


def lead_problems(*, actor: Any, exhibition: Exhibition, data: dict[str, Any], lead: Lead | None = None
                  ) -> dict[str, list[str]]:  # fmt: skip
    """Return what is wrong with a lead's values, field by field, without writing anything.

    A form that found errors of its own asks this about the fields it let through, so a missing name, a phone
    "123" and an unknown order code are all told in the same round.
    """
    draft = copy.copy(lead) if lead is not None else Lead(exhibition=exhibition)
    for k, v in _lead_values(data).items():
        setattr(draft, k, v)
    if "product" in data and data["product"] is None:
        draft.product = None
    try:
        _check_lead(actor, exhibition, draft, data)
    except ValidationError as exc:
        return exc.message_dict
    return {}


@transaction.atomic
def lead_add(*, actor: Any, exhibition: Exhibition, data: dict[str, Any]) -> Lead:
    """Record a visitor who showed interest: contact, origin, product and what they want."""
    require(actor, exhibition, "edit")
    ex = _live(exhibition)
    if ex.state not in STARTED:
        raise ValidationError({"name": [_("Calon pembeli dicatat setelah acara berlangsung.")]})
    lead = Lead(exhibition=ex, **_lead_values(data))
    _check_lead(actor, ex, lead, data)
    lead.save()
    audit.record(actor, "update", ex, {"calon_pembeli": [None, _lead_text(lead)]})
    return lead


@transaction.atomic
def lead_update(*, actor: Any, lead: Lead, data: dict[str, Any]) -> Lead:
    """Change a lead: contact, interest, whether it was followed up, the order it became (of the same post)."""
    require(actor, lead.exhibition, "edit")
    ex = _live(lead.exhibition)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    fields = [*LEAD_FIELDS, "order"]
    before, before_text = audit.snapshot(lead, fields), _lead_text(lead)
    for k, v in _lead_values(data).items():
        setattr(lead, k, v)
    if "product" in data and data["product"] is None:
        lead.product = None
    _check_lead(actor, ex, lead, data)
    lead.save()
    changed = audit.diff(before, audit.snapshot(lead, fields))
    if changed:
        labels = ", ".join(str(Lead._meta.get_field(f).verbose_name) for f in changed)
        audit.record(actor, "update", ex, {"calon_pembeli": [before_text, f"{_lead_text(lead)} ({labels})"]})
    return lead


@transaction.atomic
def lead_remove(*, actor: Any, lead: Lead) -> None:
    """Delete a lead recorded by mistake."""
    require(actor, lead.exhibition, "edit")
    audit.record(actor, "update", lead.exhibition, {"calon_pembeli": [_lead_text(lead), None]})
    lead.delete()


# --- Cooperation offers ---------------------------------------------------------------------------------------


def _offer_text(offer: CooperationOffer) -> str:
    text = f"{offer.partner}: {format_rupiah(offer.value)} ({offer.get_status_display()})"
    return f"{text} · {offer.description[:80]}" if offer.description else text


def _check_offer(offer: CooperationOffer) -> None:
    errors: dict[str, list[str]] = {}
    offer.partner = (offer.partner or "").strip()
    offer.description = (offer.description or "").strip()
    if not offer.partner:
        errors["partner"] = [_("Tulis nama calon mitra.")]
    elif len(offer.partner) > 200:
        errors["partner"] = [_("Nama calon mitra paling panjang 200 huruf.")]
    offer.value = _whole_rupiah(offer.value, "value", errors)
    if offer.status not in CooperationOffer.Status.values:
        errors["status"] = [_("Status tawaran tidak dikenal.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def offer_add(*, actor: Any, exhibition: Exhibition, data: dict[str, Any]) -> CooperationOffer:
    """Record a cooperation offer received at the event (supply, distribution, joint production)."""
    require(actor, exhibition, "edit")
    ex = _live(exhibition)
    if ex.state not in STARTED:
        raise ValidationError({"partner": [_("Tawaran kerja sama dicatat setelah acara berlangsung.")]})
    offer = CooperationOffer(exhibition=ex, **{k: v for k, v in data.items() if k in OFFER_FIELDS and v is not None})
    _check_offer(offer)
    offer.save()
    audit.record(actor, "update", ex, {"tawaran_kerja_sama": [None, _offer_text(offer)]})
    return offer


@transaction.atomic
def offer_update(*, actor: Any, offer: CooperationOffer, data: dict[str, Any]) -> CooperationOffer:
    """Change an offer: its value, description or status (offered → discussed → agreed or declined)."""
    require(actor, offer.exhibition, "edit")
    offer = CooperationOffer.objects.select_for_update().get(pk=offer.pk)
    before = _offer_text(offer)
    for k, v in data.items():
        if k in OFFER_FIELDS and v is not None:
            setattr(offer, k, v)
    _check_offer(offer)
    offer.save()
    if _offer_text(offer) != before:
        audit.record(actor, "update", offer.exhibition, {"tawaran_kerja_sama": [before, _offer_text(offer)]})
    return offer


@transaction.atomic
def offer_remove(*, actor: Any, offer: CooperationOffer) -> None:
    """Delete an offer recorded by mistake."""
    require(actor, offer.exhibition, "edit")
    audit.record(actor, "update", offer.exhibition, {"tawaran_kerja_sama": [_offer_text(offer), None]})
    offer.delete()
