"""Writes on regulations (the legal bases of funding) and on budgets: draft, lines, approval, revisions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import Action, covers_region
from posyantek.core.validators import sniff_type
from posyantek.finance.models import (
    Account,
    Budget,
    BudgetLine,
    FundingSource,
    Regulation,
    RegulationArticle,
)
from posyantek.finance.services import clean_amount, require_rank, validate_receipt

REGULATION_FIELDS = ["kind", "number", "year", "title", "region", "issued_on", "status", "amended_by", "note"]


# --- Regulations ----------------------------------------------------------------------------------------------


def _require_pdf(upload: Any) -> None:
    validate_receipt(upload, "file")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if sniff_type(head) != "application/pdf":
        raise ValidationError({"file": [_("Berkas peraturan harus PDF.")]})


def _check_regulation(actor: Any, reg: Regulation) -> None:
    errors: dict[str, list[str]] = {}
    if reg.kind not in Regulation.Kind.values:
        errors["kind"] = [_("Jenis peraturan tidak dikenal.")]
    if not (reg.number or "").strip():
        errors["number"] = [_("Nomor wajib diisi.")]
    if not reg.year or not 1945 <= reg.year <= 2200:
        errors["year"] = [_("Tahun harus antara 1945 dan 2200.")]
    if not (reg.title or "").strip():
        errors["title"] = [_("Judul wajib diisi.")]
    if reg.status not in Regulation.Status.values:
        errors["status"] = [_("Status tidak dikenal.")]
    if reg.status == Regulation.Status.AMENDED and not reg.amended_by_id:
        errors["amended_by"] = [_("Pilih peraturan yang mengubahnya.")]
    if reg.amended_by_id and reg.pk and reg.amended_by_id == reg.pk:
        errors["amended_by"] = [_("Peraturan tidak dapat mengubah dirinya sendiri.")]
    if reg.region_id is None and reg.kind in Regulation.REGIONAL_KINDS:
        errors["region"] = [_("Peraturan daerah perlu wilayah penerbit.")]
    if errors:
        raise ValidationError(errors)
    if not _may_write(actor, reg):
        raise PermissionDenied(_("Anda tidak dapat mencatat peraturan untuk wilayah ini."))


def _may_write(actor: Any, reg: Regulation) -> bool:
    from posyantek.core.scoping import user_grants

    for g in user_grants(actor):
        if g.is_national and g.rank >= Action.OVERSEE:
            return True
        if reg.region_id and g.region_code and g.rank >= Action.OVERSEE and covers_region(g.region_code, reg.region_id):
            return True
    return False


def _amended_by(actor: Any, data: dict[str, Any]) -> None:
    target = data.get("amended_by")
    if target is not None and not Regulation.objects.for_user(actor, "view").filter(pk=target.pk).exists():
        raise ValidationError({"amended_by": [_("Peraturan pengubah tidak ditemukan.")]})


@transaction.atomic
def regulation_create(*, actor: Any, data: dict[str, Any]) -> Regulation:
    """Record a regulation: a national one (national admin) or one of a region the actor oversees."""
    data = dict(data)
    upload = data.pop("file", None)
    _amended_by(actor, data)
    reg = Regulation(**{k: v for k, v in data.items() if k in REGULATION_FIELDS and v is not None})
    reg.number, reg.title = (reg.number or "").strip(), (reg.title or "").strip()
    _check_regulation(actor, reg)
    if upload:
        _require_pdf(upload)
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError as exc:
        raise ValidationError({"number": [_("%(reg)s sudah tercatat.") % {"reg": reg}]}) from exc
    if upload:
        reg.file.save(f"{slugify(reg.short)[:60] or 'peraturan'}.pdf", upload, save=True)
    audit.record(
        actor,
        "create",
        reg,
        audit.snapshot(reg, ["kind", "number", "year", "title", "region", "status"]),
        region_id=reg.region_id,
    )
    return reg


@transaction.atomic
def regulation_update(
    *, actor: Any, regulation: Regulation, data: dict[str, Any], version: int | None = None
) -> Regulation:
    """Change a regulation: its details, or its status (amended by another one, revoked)."""
    if not Regulation.objects.for_user(actor, "edit").filter(pk=regulation.pk).exists():
        raise PermissionDenied
    reg = lock_current(regulation, version)
    data = dict(data)
    upload = data.pop("file", None)
    _amended_by(actor, data)
    fields = [f for f in REGULATION_FIELDS if f in data and f != "region"]  # the issuer never moves
    before = audit.snapshot(reg, fields)
    for f in fields:
        setattr(reg, f, data[f])
    _check_regulation(actor, reg)
    if upload:
        _require_pdf(upload)
        reg.file.save(f"{slugify(reg.short)[:60] or 'peraturan'}.pdf", upload, save=False)
        fields.append("file")
    reg.version += 1
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError as exc:
        raise ValidationError({"number": [_("%(reg)s sudah tercatat.") % {"reg": reg}]}) from exc
    changes = audit.diff(before, audit.snapshot(reg, fields))
    if changes:
        audit.record(actor, "update", reg, changes, region_id=reg.region_id)
    return reg


@transaction.atomic
def article_add(*, actor: Any, regulation: Regulation, number: str, summary: str) -> RegulationArticle:
    """Add an article (pasal) with its summary to a regulation."""
    if not Regulation.objects.for_user(actor, "edit").filter(pk=regulation.pk).exists():
        raise PermissionDenied
    number, summary = (number or "").strip(), (summary or "").strip()
    errors: dict[str, list[str]] = {}
    if not number:
        errors["number"] = [_("Nomor pasal wajib diisi.")]
    elif regulation.articles.filter(number=number).exists():
        errors["number"] = [_("Pasal %(n)s sudah ada.") % {"n": number}]
    if not summary:
        errors["summary"] = [_("Ringkasan isi pasal wajib diisi.")]
    if errors:
        raise ValidationError(errors)
    article = RegulationArticle.objects.create(regulation=regulation, number=number, summary=summary)
    audit.record(
        actor, "update", regulation, {"pasal": [None, f"{article}: {summary[:120]}"]}, region_id=regulation.region_id
    )
    return article


# --- Budgets --------------------------------------------------------------------------------------------------


@transaction.atomic
def budget_create(*, actor: Any, post: Any, year: int, note: str = "") -> Budget:
    """Start the draft budget of a post for a year (post staff or above); a year with a budget gets a revision."""
    require_rank(actor, post, Action.EDIT, _("Peran Anda tidak cukup untuk menyusun anggaran pos ini."))
    if not isinstance(year, int) or not 2000 <= year <= 2200:
        raise ValidationError({"year": [_("Tahun anggaran harus antara 2000 dan 2200.")]})
    existing = Budget.objects.filter(post=post, year=year)
    if existing.filter(state=Budget.State.DRAFT).exists():
        raise ValidationError({"year": [_("Sudah ada draf anggaran %(year)s untuk pos ini.") % {"year": year}]})
    if existing.filter(state=Budget.State.APPROVED).exists():
        raise ValidationError({"year": [_("Anggaran %(year)s sudah disetujui; buat revisinya.") % {"year": year}]})
    budget = Budget.objects.create(post=post, region_id=post.region_id, year=year, note=(note or "").strip())
    audit.record(actor, "create", budget, audit.snapshot(budget, ["post", "year", "revision", "state"]))
    return budget


@transaction.atomic
def budget_revise(*, actor: Any, budget: Budget, note: str = "") -> Budget:
    """Start a revision of an approved budget: a new draft with a copy of its lines; the approved one stays in force."""
    require_rank(actor, budget.post, Action.EDIT, _("Peran Anda tidak cukup untuk menyusun anggaran pos ini."))
    budget = lock_current(budget, None)
    if budget.state != Budget.State.APPROVED:
        raise ValidationError(_("Hanya anggaran yang disetujui yang dapat direvisi."))
    if Budget.objects.filter(post_id=budget.post_id, year=budget.year, state=Budget.State.DRAFT).exists():
        raise ValidationError(_("Sudah ada draf revisi anggaran %(year)s.") % {"year": budget.year})
    top = Budget.objects.filter(post_id=budget.post_id, year=budget.year).aggregate(m=Max("revision"))["m"] or 0
    draft = Budget.objects.create(
        post_id=budget.post_id,
        region_id=budget.region_id,
        year=budget.year,
        revision=top + 1,
        note=(note or "").strip(),
    )
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                budget=draft,
                source=line.source,
                account_id=line.account_id,
                activity=line.activity,
                regulation_id=line.regulation_id,
                article_id=line.article_id,
                amount=line.amount,
            )
            for line in budget.lines.all()
        ]
    )
    audit.record(actor, "create", draft, {"revision": draft.revision, "note": draft.note or _("Revisi anggaran")})
    return draft


def _require_draft(budget: Budget) -> None:
    if budget.state != Budget.State.DRAFT:
        raise ValidationError(_("Anggaran yang sudah disetujui tidak dapat diubah; buat revisinya."))


def _resolve_basis(actor: Any, budget: Budget, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Check the legal basis of a line: a regulation that applies in the post's region, and one of its articles."""
    regulation, article = data.get("regulation"), data.get("article")
    if article is not None and regulation is None:
        regulation = data["regulation"] = article.regulation
    if regulation is None:
        return
    if not Regulation.objects.for_user(actor, "view").filter(pk=regulation.pk).exists():
        errors["regulation"] = [_("Peraturan tidak ditemukan.")]
        return
    if regulation.region_id and not covers_region(regulation.region_id, budget.post.region_id):
        errors["regulation"] = [_("%(reg)s tidak berlaku di wilayah pos ini.") % {"reg": regulation.short}]
    elif regulation.status == Regulation.Status.REVOKED:
        errors["regulation"] = [
            _("%(reg)s sudah dicabut; tidak dapat menjadi dasar anggaran.") % {"reg": regulation.short}
        ]
    if article is not None and article.regulation_id != regulation.pk:
        errors["article"] = [_("Pasal %(n)s tidak ada di %(reg)s.") % {"n": article.number, "reg": regulation.short}]


@transaction.atomic
def budget_line_add(*, actor: Any, budget: Budget, data: dict[str, Any]) -> BudgetLine:
    """Add a ceiling (pagu) to a draft budget: a source and a spending account, with its legal basis."""
    require_rank(actor, budget.post, Action.EDIT, _("Peran Anda tidak cukup untuk menyusun anggaran pos ini."))
    budget = lock_current(budget, None)
    _require_draft(budget)
    data = dict(data)
    errors: dict[str, list[str]] = {}
    source, account = data.get("source"), data.get("account")
    if source not in FundingSource.values:
        errors["source"] = [_("Sumber dana tidak dikenal.")]
    if not isinstance(account, Account) or (account.post_id is not None and account.post_id != budget.post_id):
        errors["account"] = [_("Pilih akun dari bagan akun pos ini.")]
    elif account.kind != Account.Kind.SPENDING:
        errors["account"] = [_("Pagu hanya untuk akun belanja.")]
    elif budget.lines.filter(source=source, account=account).exists():
        errors["account"] = [_("Sudah ada pagu untuk sumber dana dan akun ini; ubah baris itu saja.")]
    try:
        amount = clean_amount(data.get("amount"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        amount = 0
    _resolve_basis(actor, budget, data, errors)
    if errors:
        raise ValidationError(errors)
    line = BudgetLine.objects.create(
        budget=budget,
        source=source,
        account=account,
        amount=amount,
        activity=(data.get("activity") or "").strip()[:200],
        regulation=data.get("regulation"),
        article=data.get("article"),
    )
    audit.record(actor, "update", budget, {"rincian": [None, f"{line} {amount}"]})
    return line


@transaction.atomic
def budget_line_remove(*, actor: Any, line: BudgetLine) -> None:
    """Remove a ceiling from a draft budget."""
    budget = line.budget
    require_rank(actor, budget.post, Action.EDIT, _("Peran Anda tidak cukup untuk menyusun anggaran pos ini."))
    budget = lock_current(budget, None)
    _require_draft(budget)
    label = f"{line} {line.amount}"
    line.delete()
    audit.record(actor, "update", budget, {"rincian": [label, None]})


@transaction.atomic
def budget_approve(*, actor: Any, budget: Budget, version: int | None = None) -> Budget:
    """Approve a draft budget (post manager); the revision it replaces is kept as superseded."""
    require_rank(actor, budget.post, Action.MANAGE, _("Hanya pengelola pos yang dapat menyetujui anggaran."))
    budget = lock_current(budget, version)
    _require_draft(budget)
    if not budget.lines.exists():
        raise ValidationError(_("Anggaran tanpa rincian tidak dapat disetujui."))
    Budget.objects.filter(post_id=budget.post_id, year=budget.year, state=Budget.State.APPROVED).update(
        state=Budget.State.SUPERSEDED, version=F("version") + 1
    )
    budget.state = Budget.State.APPROVED
    budget.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    budget.approved_at = timezone.now()
    budget.version += 1
    budget.save()
    audit.record(actor, "status", budget, {"state": [Budget.State.DRAFT, Budget.State.APPROVED]})
    return budget


@transaction.atomic
def budget_remove(*, actor: Any, budget: Budget) -> None:
    """Delete a draft budget made by mistake."""
    require_rank(actor, budget.post, Action.EDIT, _("Peran Anda tidak cukup untuk menyusun anggaran pos ini."))
    budget = lock_current(budget, None)
    _require_draft(budget)
    audit.record(actor, "delete", budget, {"year": budget.year, "revision": budget.revision})
    budget.delete()


def account_for(actor: Any, post: Any, account_id: int | None) -> Account | None:
    """Return an account a post may use (shared or its own), or None."""
    if not account_id:
        return None
    return Account.objects.filter(Q(post__isnull=True) | Q(post=post), pk=account_id).first()
