"""Writes on grants (hibah/bantuan) and their accountability report (LPJ), and on assets (inventaris)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.scoping import Action, covers_region, require
from posyantek.finance.models import Asset, Entry, FundingSource, Grant, Regulation
from posyantek.finance.selectors import grant_lpj, grant_totals
from posyantek.finance.services import clean_amount, require_rank, validate_receipt

GRANT_FIELDS = [
    "post",
    "giver",
    "source",
    "amount",
    "purpose",
    "agreement_number",
    "regulation",
    "starts_on",
    "ends_on",
    "report_due",
]
ASSET_FIELDS = [
    "post",
    "name",
    "kind",
    "origin",
    "entry",
    "grant",
    "value",
    "acquired_on",
    "condition",
    "location",
    "lent_to",
    "note",
]


# --- Grants ---------------------------------------------------------------------------------------------------


def _check_basis(actor: Any, grant: Grant, errors: dict[str, list[str]]) -> None:
    """The legal basis of a grant must be readable, apply in the post's region and not be revoked (as budget lines)."""
    reg = grant.regulation
    if not Regulation.objects.for_user(actor, "view").filter(pk=reg.pk).exists():
        errors["regulation"] = [_("Peraturan tidak ditemukan.")]
    elif reg.region_id and not covers_region(reg.region_id, grant.post.region_id):
        errors["regulation"] = [_("%(reg)s tidak berlaku di wilayah pos ini.") % {"reg": reg.short}]
    elif reg.status == Regulation.Status.REVOKED:
        errors["regulation"] = [_("%(reg)s sudah dicabut; tidak dapat menjadi dasar hibah.") % {"reg": reg.short}]


def _check_grant(actor: Any, grant: Grant, *, check_basis: bool = True) -> None:
    errors: dict[str, list[str]] = {}
    if not (grant.giver or "").strip():
        errors["giver"] = [_("Pemberi hibah wajib diisi.")]
    if not (grant.purpose or "").strip():
        errors["purpose"] = [_("Tujuan hibah wajib diisi.")]
    if grant.source not in FundingSource.values:
        errors["source"] = [_("Sumber dana tidak dikenal.")]
    try:
        grant.amount = clean_amount(grant.amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if grant.starts_on is None:
        errors["starts_on"] = [_("Tanggal mulai wajib diisi.")]
    if grant.ends_on is None:
        errors["ends_on"] = [_("Tanggal selesai wajib diisi.")]
    elif grant.starts_on and grant.ends_on < grant.starts_on:
        errors["ends_on"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    if grant.report_due is None:
        errors["report_due"] = [_("Batas LPJ wajib diisi.")]
    elif grant.starts_on and grant.report_due < grant.starts_on:
        errors["report_due"] = [_("Batas LPJ tidak boleh sebelum hibah dimulai.")]
    if grant.regulation_id and check_basis:
        _check_basis(actor, grant, errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def grant_create(*, actor: Any, data: dict[str, Any]) -> Grant:
    """Record a grant a post received (post staff or above); its money comes in as income entries linked to it."""
    data = dict(data)
    upload = data.pop("file", None)
    post = data.get("post")
    if post is None:
        raise ValidationError({"post": [_("Pilih pos penerima.")]})
    require_rank(actor, post, Action.EDIT, _("Peran Anda tidak cukup untuk mencatat hibah pos ini."))
    grant = Grant(**{k: v for k, v in data.items() if k in GRANT_FIELDS})
    grant.region_id = post.region_id
    grant.giver, grant.purpose = (grant.giver or "").strip(), (grant.purpose or "").strip()
    _check_grant(actor, grant)
    if upload:
        validate_receipt(upload, "file")
    grant.save()
    if upload:
        grant.file.save(f"hibah-{grant.pk}.pdf", upload, save=True)
    require(actor, grant, "edit")
    audit.record(
        actor,
        "create",
        grant,
        audit.snapshot(grant, ["giver", "source", "amount", "purpose", "starts_on", "ends_on", "report_due"]),
    )
    return grant


@transaction.atomic
def grant_update(*, actor: Any, grant: Grant, data: dict[str, Any], version: int | None = None) -> Grant:
    """Change a grant's details; its amount never drops below what was disbursed, its source stays once used."""
    require_rank(actor, grant.post, Action.EDIT, _("Peran Anda tidak cukup untuk mencatat hibah pos ini."))
    grant = lock_current(grant, version)
    fields = [f for f in GRANT_FIELDS if f in data and f != "post"]
    before = audit.snapshot(grant, fields)
    old_source, old_regulation = grant.source, grant.regulation_id
    for f in fields:
        setattr(grant, f, data[f])
    # A grant made under a rule revoked later keeps it; a new basis is checked.
    _check_grant(actor, grant, check_basis=grant.regulation_id != old_regulation)
    totals = grant_totals(grant)
    if grant.amount < totals.disbursed:
        raise ValidationError(
            {
                "amount": [
                    _("Nilai hibah tidak boleh di bawah dana yang sudah cair (%(d)s).")
                    % {"d": format_rupiah(totals.disbursed)}
                ]
            }
        )
    if grant.source != old_source and grant.entries.exists():
        raise ValidationError({"source": [_("Sumber dana tidak dapat diganti: sudah ada entri kas pada hibah ini.")]})
    grant.version += 1
    grant.save()
    changes = audit.diff(before, audit.snapshot(grant, fields))
    if changes:
        audit.record(actor, "update", grant, changes)
    return grant


@transaction.atomic
def grant_lpj_submit(*, actor: Any, grant: Grant, submitted_on: dt.date | None = None) -> Grant:
    """Mark the LPJ as submitted (post manager); refused while any spending lacks a receipt. Locks the grant."""
    require_rank(actor, grant.post, Action.MANAGE, _("Hanya pengelola pos yang dapat menyampaikan LPJ."))
    grant = lock_current(grant, None)
    if grant.lpj_submitted_on:
        raise ValidationError(_("LPJ hibah ini sudah disampaikan."))
    grant_lpj(grant)  # raises when a receipt is missing
    today = timezone.localdate()
    grant.lpj_submitted_on = submitted_on or today
    if grant.lpj_submitted_on > today:
        raise ValidationError({"submitted_on": [_("Tanggal tidak boleh di masa depan.")]})
    grant.lpj_submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    grant.version += 1
    grant.save()
    audit.record(actor, "status", grant, {"lpj_submitted_on": [None, grant.lpj_submitted_on]})
    return grant


# --- Assets ---------------------------------------------------------------------------------------------------


def _check_asset(asset: Asset, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if not (asset.name or "").strip():
        errors["name"] = [_("Nama barang wajib diisi.")]
    if asset.kind not in Asset.Kind.values:
        errors["kind"] = [_("Jenis tidak dikenal.")]
    if asset.origin not in Asset.Origin.values:
        errors["origin"] = [_("Asal perolehan tidak dikenal.")]
    if asset.condition not in Asset.Condition.values:
        errors["condition"] = [_("Kondisi tidak dikenal.")]
    if asset.acquired_on is None:
        errors["acquired_on"] = [_("Tanggal perolehan wajib diisi.")]
    elif asset.acquired_on > today:
        errors["acquired_on"] = [_("Tanggal tidak boleh di masa depan.")]
    entry = asset.entry
    if entry is not None:
        if entry.post_id != asset.post_id:
            errors["entry"] = [_("Entri kas ini bukan milik pos yang sama.")]
        elif entry.kind != Entry.Kind.SPENDING or entry.reverses_id:
            errors["entry"] = [_("Pilih entri pengeluaran (bukan pemasukan atau pembatalan).")]
        elif Entry.objects.filter(reverses=entry).exists():
            errors["entry"] = [_("Entri #%(n)s sudah dibatalkan.") % {"n": entry.pk}]
        elif asset.value is None:  # bought: worth what was paid
            asset.value = entry.amount
    if asset.grant is not None and asset.grant.post_id != asset.post_id:
        errors["grant"] = [_("Hibah ini bukan milik pos yang sama.")]
    if asset.grant is not None and asset.origin == Asset.Origin.PURCHASE and entry is None:
        errors["entry"] = [_("Barang yang dibeli dari dana hibah perlu entri pengeluarannya.")]
    if asset.origin in (Asset.Origin.GRANT, Asset.Origin.CSR) and asset.grant is None and entry is None:
        errors["grant"] = [_("Hubungkan ke hibah (atau entri kas) yang membiayainya.")]
    if entry is not None and asset.grant is not None and entry.grant_id != asset.grant.pk:
        errors["entry"] = [_("Entri ini bukan belanja dari hibah yang dipilih.")]
    try:
        asset.value = clean_amount(asset.value, "value", allow_zero=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def asset_create(*, actor: Any, data: dict[str, Any], today: dt.date | None = None) -> Asset:
    """Record an asset of a post (post staff or above), linked to the entry or grant that paid for it."""
    post = data.get("post")
    if post is None:
        raise ValidationError({"post": [_("Pilih pos.")]})
    require_rank(actor, post, Action.EDIT, _("Peran Anda tidak cukup untuk mencatat inventaris pos ini."))
    asset = Asset(**{k: v for k, v in data.items() if k in ASSET_FIELDS})
    asset.region_id = post.region_id
    asset.name = (asset.name or "").strip()
    _check_asset(asset, today or timezone.localdate())
    asset.save()
    require(actor, asset, "edit")
    audit.record(
        actor,
        "create",
        asset,
        audit.snapshot(
            asset, ["name", "kind", "origin", "entry", "grant", "value", "acquired_on", "condition", "location"]
        ),
    )
    return asset


@transaction.atomic
def asset_update(
    *, actor: Any, asset: Asset, data: dict[str, Any], version: int | None = None, today: dt.date | None = None
) -> Asset:
    """Change an asset: its condition, location, who it is lent to, and its details."""
    require_rank(actor, asset.post, Action.EDIT, _("Peran Anda tidak cukup untuk mencatat inventaris pos ini."))
    asset = lock_current(asset, version)
    fields = [f for f in ASSET_FIELDS if f in data and f != "post"]
    before = audit.snapshot(asset, fields)
    for f in fields:
        setattr(asset, f, data[f])
    _check_asset(asset, today or timezone.localdate())
    asset.version += 1
    asset.save()
    changes = audit.diff(before, audit.snapshot(asset, fields))
    if changes:
        audit.record(actor, "update", asset, changes)
    return asset
