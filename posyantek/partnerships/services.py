"""Writes on partners and the people at them.

Each write is scoped (edit on the partner's post), atomic and audited; a contact added, changed or removed is
recorded on the partner, so its page tells the whole story. Agreements live in `agreement_services.py`, their
results in `result_services.py`.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.lib.phone import normalize_phone
from posyantek.core.scoping import Action, rank_on_post, require
from posyantek.partnerships.models import Partner, PartnerContact
from posyantek.regions.models import Region

PARTNER_FIELDS = ["post", "name", "kind", "home_region", "other_post", "address", "phone", "email", "website",
                  "notes"]  # fmt: skip
PARTNER_TEXT = ("name", "address", "phone", "email", "website", "notes")
CONTACT_FIELDS = ["name", "position", "phone", "email"]
#: A landline or any phone number people write: digits with spaces, dashes, dots or brackets, maybe a leading +.
_PHONE = re.compile(r"^\+?[\d\s\-.()/]+$")


# --- Shared checks --------------------------------------------------------------------------------------------


def clean_phone(value: str, field: str, errors: dict[str, list[str]]) -> str:
    """Return a mobile number as 628…, or a landline as typed; note an unreadable one in `errors`."""
    text = (value or "").strip()
    if not text:
        return ""
    mobile = normalize_phone(text)
    if mobile:
        return mobile
    digits = re.sub(r"\D", "", text)
    if not _PHONE.match(text) or not 6 <= len(digits) <= 15 or len(text) > 20:
        errors[field] = [_("Nomor telepon %(n)s tidak dikenal. Tulis seperti 0812-3456-7890 atau 0285-421234.")
                         % {"n": text[:30]}]  # fmt: skip
    return text


def clean_email(value: str, field: str, errors: dict[str, list[str]]) -> str:
    text = (value or "").strip().lower()
    if text:
        try:
            validate_email(text)
        except ValidationError:
            errors[field] = [_("Alamat e-mail tidak valid.")]
    return text


def clean_region(code: Any, field: str, errors: dict[str, list[str]]) -> Region | None:
    """Return the Region of a code (or the Region given); note an unknown code in `errors`."""
    if code is None or isinstance(code, Region):
        return code
    code = str(code).strip()
    if not code:
        return None
    found = Region.objects.filter(code=code).first()
    if found is None:
        errors[field] = [_("Kode wilayah %(code)s tidak ada.") % {"code": code[:20]}]
    return found


def _website(value: str, errors: dict[str, list[str]]) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text  # people write "unikal.ac.id"
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        errors["website"] = [_("Alamat situs web tidak valid, mis. https://unikal.ac.id.")]
    if len(text) > 200:
        errors["website"] = [_("Alamat situs web paling panjang 200 huruf.")]
    return text


# --- Partners -------------------------------------------------------------------------------------------------


def _check_partner(actor: Any, partner: Partner, errors: dict[str, list[str]], *, moved: bool) -> None:
    """Put a partner's values in their one form and check them with its scope; raise every error at once."""
    for f in PARTNER_TEXT:
        setattr(partner, f, (getattr(partner, f) or "").strip())
    if not partner.name:
        errors["name"] = [_("Nama mitra wajib diisi.")]
    elif len(partner.name) > 200:
        errors["name"] = [_("Nama mitra paling panjang 200 huruf.")]
    if partner.kind not in Partner.Kind.values:
        errors["kind"] = [_("Pilih jenis mitra: perguruan tinggi, perusahaan (CSR), BUMDes…")]
    partner.phone = clean_phone(partner.phone, "phone", errors)
    partner.email = clean_email(partner.email, "email", errors)
    partner.website = _website(partner.website, errors)
    if partner.other_post_id is not None:
        if partner.kind != Partner.Kind.OTHER_POST:
            errors["other_post"] = [_("Posyantek mitra hanya diisi untuk jenis 'Posyantek lain'.")]
        elif partner.other_post_id == partner.post_id:
            errors["other_post"] = [_("Pos tidak dapat menjadi mitra bagi dirinya sendiri.")]
    if partner.post_id is None:
        errors["post"] = [_("Pilih pos yang bermitra.")]
    elif moved and rank_on_post(actor, partner.post) < Action.EDIT:
        errors["post"] = [_("Anda tidak dapat mencatat mitra untuk pos ini.")]
    else:
        partner.region_id = partner.post.region_id
        if partner.name and "name" not in errors:
            same = Partner.objects.filter(post_id=partner.post_id, name__iexact=partner.name).exclude(pk=partner.pk)
            if same.exists():
                errors["name"] = [_("Mitra bernama %(name)s sudah ada di %(post)s.")
                                  % {"name": partner.name, "post": partner.post}]  # fmt: skip
    if errors:
        raise ValidationError(errors)


def _partner_values(data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in PARTNER_FIELDS}
    if "home_region" in data:
        data["home_region"] = clean_region(data["home_region"], "home_region", errors)
    for f in PARTNER_TEXT:
        if f in data and data[f] is None:
            data[f] = ""
    return data


AUDITED = ["name", "post", "kind", "home_region", "other_post", "address", "phone", "email", "website", "notes"]


def _snapshot(partner: Partner) -> dict[str, Any]:
    """Return the audited values, the phone as people read it (0812-3456-7890, not 6281234567890)."""
    values = audit.snapshot(partner, AUDITED)
    values["phone"] = partner.phone_display
    return values


@transaction.atomic
def partner_create(*, actor: Any, data: dict[str, Any]) -> Partner:
    """Record an institution a post works with (a university, a company's CSR, a BUMDes, another post…)."""
    errors: dict[str, list[str]] = {}
    values = _partner_values(data, errors)
    partner = Partner(**values)
    _check_partner(actor, partner, errors, moved=True)
    partner.save()
    require(actor, partner, "edit")
    audit.record(actor, "create", partner, _snapshot(partner))
    return partner


@transaction.atomic
def partner_update(*, actor: Any, partner: Partner, data: dict[str, Any], version: int | None = None) -> Partner:
    """Change a partner's details; an edit made on an old version is refused."""
    require(actor, partner, "edit")
    partner = lock_current(partner, version)
    errors: dict[str, list[str]] = {}
    values = _partner_values(data, errors)
    before = _snapshot(partner)
    old_post = partner.post_id
    for k, v in values.items():
        setattr(partner, k, v)
    moved = partner.post_id != old_post
    if moved and partner.parties.exists():
        errors["post"] = [_("Mitra ini sudah menjadi pihak kerja sama; ia tidak dapat dipindah ke pos lain.")]
    _check_partner(actor, partner, errors, moved=moved)
    partner.version += 1
    partner.save()
    require(actor, partner, "edit")
    changes = audit.diff(before, _snapshot(partner))
    if changes:
        audit.record(actor, "update", partner, changes)
    return partner


# --- Contacts -------------------------------------------------------------------------------------------------


def contact_text(contact: PartnerContact) -> str:
    """Return how a contact reads in the partner's history: name, position, phone, e-mail."""
    parts = [contact.name + (f" ({contact.position})" if contact.position else "")]
    parts += [p for p in (contact.phone_display, contact.email) if p]
    return " · ".join(parts)


def _check_contact(contact: PartnerContact) -> None:
    errors: dict[str, list[str]] = {}
    contact.name = (contact.name or "").strip()
    contact.position = (contact.position or "").strip()
    if not contact.name:
        errors["name"] = [_("Tulis nama orangnya.")]
    elif len(contact.name) > 200:
        errors["name"] = [_("Nama paling panjang 200 huruf.")]
    if len(contact.position) > 200:
        errors["position"] = [_("Jabatan paling panjang 200 huruf.")]
    contact.phone = clean_phone(contact.phone, "phone", errors)
    contact.email = clean_email(contact.email, "email", errors)
    if errors:
        raise ValidationError(errors)


def _contact_values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in data.items() if k in CONTACT_FIELDS}


@transaction.atomic
def contact_add(*, actor: Any, partner: Partner, data: dict[str, Any]) -> PartnerContact:
    """Add a person at the partner the post deals with."""
    require(actor, partner, "edit")
    contact = PartnerContact(partner=partner, **_contact_values(data))
    _check_contact(contact)
    contact.save()
    audit.record(actor, "update", partner, {"kontak": [None, contact_text(contact)]})
    return contact


@transaction.atomic
def contact_update(*, actor: Any, contact: PartnerContact, data: dict[str, Any]) -> PartnerContact:
    """Change a contact's name, position, phone or e-mail."""
    require(actor, contact.partner, "edit")
    contact = PartnerContact.objects.select_for_update().select_related("partner").get(pk=contact.pk)
    before = contact_text(contact)
    for k, v in _contact_values(data).items():
        setattr(contact, k, v)
    _check_contact(contact)
    contact.save()
    if contact_text(contact) != before:
        audit.record(actor, "update", contact.partner, {"kontak": [before, contact_text(contact)]})
    return contact


@transaction.atomic
def contact_remove(*, actor: Any, contact: PartnerContact) -> None:
    """Remove a contact who left or was recorded by mistake."""
    require(actor, contact.partner, "edit")
    audit.record(actor, "update", contact.partner, {"kontak": [contact_text(contact), None]})
    contact.delete()
