"""Writes on the marketing network: add an agent, change one (optimistic version), switch it on or off."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.lib.phone import normalize_phone
from posyantek.core.scoping import Action, rank_on_post, require
from posyantek.network.models import Agent
from posyantek.regions.models import Region

AGENT_FIELDS = ["post", "kind", "partner_post", "name", "contact_person", "phone", "email", "address", "area",
                "commission_rule", "commission_percent", "commission_amount", "joined_on", "notes"]  # fmt: skip
TEXT_FIELDS = ("name", "contact_person", "phone", "email", "address", "notes")
#: The largest fixed commission accepted, in rupiah (a typing slip, not a commission).
MAX_RUPIAH = 10**13
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _percent(value: Any, errors: dict[str, list[str]]) -> Decimal:
    """Read a percentage: 0 to 100 with at most two decimals ("2,5" as people write it is accepted)."""
    if value is None or value == "":
        return Decimal(0)
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        errors["commission_percent"] = [_("Tulis persen komisi sebagai angka, mis. 5 atau 2,5.")]
        return Decimal(0)
    if not number.is_finite() or not 0 <= number <= HUNDRED:
        errors["commission_percent"] = [_("Persen komisi harus antara 0 dan 100.")]
        return Decimal(0)
    if number != number.quantize(CENT):
        errors["commission_percent"] = [_("Persen komisi paling banyak dua angka di belakang koma, mis. 2,75.")]
        return Decimal(0)
    return number.quantize(CENT)


def _amount(value: Any, errors: dict[str, list[str]]) -> int:
    """Read a fixed commission: whole rupiah, zero or more."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        errors["commission_amount"] = [_("Komisi tetap harus rupiah bulat, mis. 50000.")]
        return 0
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors["commission_amount"] = [_("Komisi tetap harus rupiah bulat, mis. 50000.")]
        return 0
    if not number.is_finite() or number != number.to_integral_value():
        errors["commission_amount"] = [_("Komisi tetap harus rupiah bulat, tanpa sen.")]
    elif number < 0:
        errors["commission_amount"] = [_("Komisi tetap tidak boleh negatif.")]
    elif number > MAX_RUPIAH:
        errors["commission_amount"] = [_("Komisi tetap terlalu besar; periksa angkanya.")]
    else:
        return int(number)
    return 0


def _resolve(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Turn a typed area code into its region and blank text into empty text; return the data and any error."""
    data = dict(data)
    errors: dict[str, list[str]] = {}
    for f in TEXT_FIELDS:
        if f in data:
            data[f] = (data[f] or "").strip()
    if isinstance(data.get("area"), str):
        code = data["area"].strip()
        data["area"] = Region.objects.filter(code=code).first() if code else None
        if code and data["area"] is None:
            errors["area"] = [_("Kode wilayah %(code)s tidak ada.") % {"code": code[:20]}]
    return data, errors


def _check(actor: Any, agent: Agent, raw_percent: Any, raw_amount: Any, *, moved: bool,
           errors: dict[str, list[str]]) -> None:  # fmt: skip
    """Check an agent's shape and scope and put its values in their one form; raise every error at once."""
    if not agent.name:
        errors["name"] = [_("Nama agen wajib diisi.")]
    elif len(agent.name) > 200:
        errors["name"] = [_("Nama paling panjang 200 huruf.")]
    if agent.kind not in Agent.Kind.values:
        errors["kind"] = [_("Jenis jejaring tidak dikenal.")]
    if agent.commission_rule not in Agent.Rule.values:
        errors["commission_rule"] = [_("Aturan komisi tidak dikenal.")]
    percent = _percent(raw_percent, errors)
    amount = _amount(raw_amount, errors)
    rule = agent.commission_rule
    if rule == Agent.Rule.PERCENT and "commission_percent" not in errors and percent <= 0:
        errors["commission_percent"] = [_("Aturan persen perlu persen komisinya (lebih dari 0).")]
    if rule in (Agent.Rule.PER_UNIT, Agent.Rule.PER_ORDER) and "commission_amount" not in errors and amount <= 0:
        errors["commission_amount"] = [_("Aturan rupiah tetap perlu jumlah komisinya (lebih dari Rp 0).")]
    # Only the value the rule uses is kept, so an old percentage never lingers behind a fixed amount.
    agent.commission_percent = percent if rule == Agent.Rule.PERCENT else Decimal(0)
    agent.commission_amount = amount if rule in (Agent.Rule.PER_UNIT, Agent.Rule.PER_ORDER) else 0
    if agent.phone:
        mobile = normalize_phone(agent.phone)
        if mobile is None:
            errors["phone"] = [_("Nomor %(n)s bukan nomor HP Indonesia. Tulis seperti 0812-3456-7890.")
                               % {"n": agent.phone[:30]}]  # fmt: skip
        else:
            agent.phone = mobile
    if agent.email:
        agent.email = agent.email.lower()
        try:
            validate_email(agent.email)
        except ValidationError:
            errors["email"] = [_("Alamat e-mail tidak valid.")]
    if agent.kind == Agent.Kind.POST and agent.partner_post_id is None:
        errors["partner_post"] = [_("Pilih pos Posyantek yang menjadi mitra.")]
    elif agent.kind != Agent.Kind.POST and agent.partner_post_id is not None:
        errors["partner_post"] = [_("Pos mitra hanya diisi untuk jenis 'Posyantek lain'.")]
    elif agent.partner_post_id is not None and agent.partner_post_id == agent.post_id:
        errors["partner_post"] = [_("Pos mitra tidak boleh pos itu sendiri.")]
    if agent.joined_on and agent.joined_on > timezone.localdate():
        errors["joined_on"] = [_("Tanggal bergabung belum terjadi; periksa tahunnya.")]
    if agent.post_id is None:
        errors["post"] = [_("Pilih pos yang dijualkan agen ini.")]
    elif moved and rank_on_post(actor, agent.post) < Action.EDIT:
        errors["post"] = [_("Anda tidak dapat mencatat jejaring untuk pos ini.")]
    else:
        agent.region_id = agent.post.region_id
        same = Agent.objects.filter(post_id=agent.post_id, name__iexact=agent.name).exclude(pk=agent.pk)
        if agent.name and same.exists():
            errors["name"] = [_("Pos ini sudah punya jejaring bernama %(name)s.") % {"name": agent.name}]
    if errors:
        raise ValidationError(errors)


SNAPSHOT = ["post", "kind", "partner_post", "name", "contact_person", "phone", "email", "address", "area",
            "commission_rule", "commission_percent", "commission_amount", "joined_on", "active", "notes"]  # fmt: skip


@transaction.atomic
def agent_create(*, actor: Any, data: dict[str, Any]) -> Agent:
    """Add an agent, reseller, partner shop, BUMDes or other post to a post's network."""
    data, errors = _resolve(data)
    raw_percent, raw_amount = data.pop("commission_percent", None), data.pop("commission_amount", None)
    values = {k: v for k, v in data.items() if k in AGENT_FIELDS and v is not None}
    agent = Agent(**values)
    _check(actor, agent, raw_percent, raw_amount, moved=True, errors=errors)
    agent.save()
    require(actor, agent, "edit")
    audit.record(actor, "create", agent, audit.snapshot(agent, SNAPSHOT))
    return agent


@transaction.atomic
def agent_update(*, actor: Any, agent: Agent, data: dict[str, Any], version: int | None = None) -> Agent:
    """Change an agent; an edit made on an old version is refused."""
    require(actor, agent, "edit")
    agent = lock_current(agent, version)
    data, errors = _resolve(data)
    raw_percent = data.pop("commission_percent", agent.commission_percent)
    raw_amount = data.pop("commission_amount", agent.commission_amount)
    fields = [f for f in AGENT_FIELDS if f in data]
    before = audit.snapshot(agent, SNAPSHOT)
    old_post = agent.post_id
    for f in fields:
        if data[f] is not None or f in ("partner_post", "area", "joined_on"):
            setattr(agent, f, data[f])
    _check(actor, agent, raw_percent, raw_amount, moved=agent.post_id != old_post, errors=errors)
    agent.version += 1
    agent.save()
    require(actor, agent, "edit")
    changes = audit.diff(before, audit.snapshot(agent, SNAPSHOT))
    if changes:
        audit.record(actor, "update", agent, changes)
    return agent


@transaction.atomic
def agent_set_active(*, actor: Any, agent: Agent, active: bool, version: int | None = None) -> Agent:
    """Switch an agent on or off; an inactive agent stays on its past orders but is offered for no new one."""
    require(actor, agent, "edit")
    agent = lock_current(agent, version)
    if agent.active == bool(active):
        return agent
    agent.active = bool(active)
    agent.version += 1
    agent.save(update_fields=["active", "version", "updated"])
    audit.record(actor, "status", agent, {"active": [not agent.active, agent.active]})
    return agent
