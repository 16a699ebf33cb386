"""Writes on the cash book: accounts, cash accounts, entries, reversals, monthly closing, own revenue from sales.

Every write is atomic, audited and re-checks the actor's scope. Entries are never edited or deleted: a correction
is a reversing entry. The monthly sums (`EntryMonth`) move in the same transaction as each entry.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.scoping import Action, rank_on_post, require, user_grants
from posyantek.core.validators import sniff_type
from posyantek.finance.models import (
    Account,
    Budget,
    CashAccount,
    Entry,
    EntryMonth,
    FundingSource,
    Grant,
    MonthClose,
    month_start,
)

#: The largest amount accepted anywhere (ten trillion rupiah): anything above is a typing mistake.
MAX_AMOUNT = 10**13
ENTRY_FIELDS = [
    "post",
    "date",
    "kind",
    "source",
    "account",
    "cash_account",
    "amount",
    "description",
    "activity",
    "bintek",
    "exhibition",
    "order",
    "grant",
    "counterparty",
    "reference",
]
#: The shared account own revenue from sales goes to (created by migration 0002).
SALES_ACCOUNT_CODE = "4.1"
#: File name endings of receipts, and the type their first bytes must show.
RECEIPT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


# --- Shared checks --------------------------------------------------------------------------------------------


def clean_amount(value: Any, field: str = "amount", *, allow_zero: bool = False) -> int:
    """Return `value` as whole rupiah, or raise a field error: no fractions, nothing negative, nothing absurd."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValidationError({field: [_("Jumlah wajib diisi.")]})
    if isinstance(value, float | Decimal):
        if value != int(value):
            raise ValidationError({field: [_("Jumlah harus rupiah bulat, tanpa sen atau pecahan.")]})
        value = int(value)
    if not isinstance(value, int):
        raise ValidationError({field: [_("Jumlah harus berupa angka rupiah bulat.")]})
    if value < 0:
        raise ValidationError({field: [_("Jumlah tidak boleh negatif.")]})
    if value == 0 and not allow_zero:
        raise ValidationError({field: [_("Jumlah harus lebih dari nol.")]})
    if value > MAX_AMOUNT:
        raise ValidationError({field: [_("Jumlah terlalu besar; periksa angkanya.")]})
    return value


def validate_receipt(upload: Any, field: str = "receipt") -> None:
    """Refuse a receipt that is not a PDF, JPG or PNG (by its first bytes and its name) or is over the size limit."""
    limit_mb = settings.MAX_UPLOAD_MB
    if upload.size and upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            {
                field: [
                    _("Berkas terlalu besar (%(size)s MB). Batasnya %(limit)s MB.")
                    % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","), "limit": limit_mb}
                ]
            }
        )
    name = (getattr(upload, "name", "") or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if RECEIPT_TYPES.get(ext) is None or sniff_type(head) != RECEIPT_TYPES[ext]:
        raise ValidationError({field: [_("Bukti harus berkas PDF, JPG atau PNG.")]})


def require_rank(actor: Any, post: Any, action: int, message: str) -> None:
    """Raise PermissionDenied unless the actor holds `action` on `post`."""
    if rank_on_post(actor, post) < action:
        raise PermissionDenied(message)


def closed_through(post_id: int) -> dt.date | None:
    """Return the last closed month of a post's cash book: it and every month before it are locked."""
    return MonthClose.objects.filter(post_id=post_id).order_by("-month").values_list("month", flat=True).first()


def is_closed(post_id: int, day: dt.date) -> bool:
    """Return whether the month of `day` is locked: closed itself, or before a closed month.

    Closing locks every earlier month too, or a late entry in an earlier month would change the closing balance.
    """
    last = closed_through(post_id)
    return last is not None and month_start(day) <= last


def month_label(day: dt.date) -> str:
    from django.utils import formats

    return formats.date_format(day, "F Y")


# --- Accounts and cash accounts -------------------------------------------------------------------------------


@transaction.atomic
def account_create(*, actor: Any, post: Any, code: str, name: str, kind: str) -> Account:
    """Add an account to a post's own chart (post manager); the shared chart needs a national admin."""
    code, name = (code or "").strip(), (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not code:
        errors["code"] = [_("Kode akun wajib diisi.")]
    if not name:
        errors["name"] = [_("Nama akun wajib diisi.")]
    if kind not in Account.Kind.values:
        errors["kind"] = [_("Jenis akun tidak dikenal.")]
    if post is None:
        if not any(g.is_national for g in user_grants(actor)):
            raise PermissionDenied
    else:
        require_rank(actor, post, Action.MANAGE, _("Hanya pengelola pos yang dapat menambah akun."))
    if not errors and Account.objects.filter(post=post, code=code).exists():
        errors["code"] = [_("Kode akun %(code)s sudah dipakai.") % {"code": code}]
    if not errors and post is not None and Account.objects.filter(post=None, code=code).exists():
        errors["code"] = [_("Kode akun %(code)s sudah ada di bagan akun bersama.") % {"code": code}]
    if errors:
        raise ValidationError(errors)
    account = Account.objects.create(post=post, code=code, name=name, kind=kind)
    audit.record(
        actor,
        "create",
        account,
        audit.snapshot(account, ["code", "name", "kind"]),
        region_id=post.region_id if post else None,
        post_id=post.pk if post else None,
    )
    return account


@transaction.atomic
def cash_account_create(*, actor: Any, post: Any, data: dict[str, Any]) -> CashAccount:
    """Open a cash box or bank account for a post (post manager)."""
    require_rank(actor, post, Action.MANAGE, _("Hanya pengelola pos yang dapat membuka kas/rekening."))
    name = (data.get("name") or "").strip()
    kind = data.get("kind") or CashAccount.Kind.CASH
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Nama kas/rekening wajib diisi.")]
    elif CashAccount.objects.filter(post=post, name=name).exists():
        errors["name"] = [_("Pos ini sudah punya kas/rekening bernama %(name)s.") % {"name": name}]
    if kind not in CashAccount.Kind.values:
        errors["kind"] = [_("Jenis tidak dikenal.")]
    if kind == CashAccount.Kind.BANK and not (data.get("bank_name") or "").strip():
        errors["bank_name"] = [_("Tuliskan nama bank.")]
    if errors:
        raise ValidationError(errors)
    cash = CashAccount.objects.create(
        post=post,
        region_id=post.region_id,
        name=name,
        kind=kind,
        bank_name=(data.get("bank_name") or "").strip(),
        account_number=(data.get("account_number") or "").strip(),
    )
    require(actor, cash, "manage")
    audit.record(actor, "create", cash, audit.snapshot(cash, ["name", "kind", "bank_name", "account_number"]))
    return cash


def default_cash_account(post: Any) -> CashAccount:
    """Return the post's first active cash box, opening "Kas tunai" when it has none (system use)."""
    cash = CashAccount.objects.filter(post=post, active=True).order_by("-kind", "pk").first()  # "tunai" first
    if cash is None:
        cash, _created = CashAccount.objects.get_or_create(
            post=post, name="Kas tunai", defaults={"region_id": post.region_id}
        )
    return cash


# --- Monthly sums ---------------------------------------------------------------------------------------------


def _add_to_month(entry: Entry) -> None:
    """Move the entry's month sum by its amount (a reversal subtracts), in the caller's transaction."""
    key = {
        "post_id": entry.post_id,
        "month": month_start(entry.date),
        "cash_account_id": entry.cash_account_id,
        "kind": entry.kind,
        "source": entry.source,
        "account_id": entry.account_id,
    }
    signed = -entry.amount if entry.reverses_id else entry.amount
    if EntryMonth.objects.filter(**key).update(total=F("total") + signed, count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            EntryMonth.objects.create(**key, region_id=entry.region_id, total=signed, count=1)
    except IntegrityError:  # another transaction created the row meanwhile
        EntryMonth.objects.filter(**key).update(total=F("total") + signed, count=F("count") + 1)


def cash_balance(cash_account_id: int) -> int:
    """Return the balance of one cash account: its income minus its spending, from the monthly sums."""
    sums = dict(
        EntryMonth.objects.filter(cash_account_id=cash_account_id)
        .values_list("kind")
        .annotate(t=Sum("total"))
        .order_by()
    )
    return int(sums.get(Entry.Kind.INCOME) or 0) - int(sums.get(Entry.Kind.SPENDING) or 0)


# --- Entries --------------------------------------------------------------------------------------------------


def approved_budget(post_id: int, year: int) -> Budget | None:
    """Return the post's budget in force for `year`, or None."""
    return Budget.objects.filter(post_id=post_id, year=year, state=Budget.State.APPROVED).first()


def _check_links(actor: Any, entry: Entry, errors: dict[str, list[str]]) -> None:
    """Activity links (Bintek, exhibition, order) must be the same post's."""
    for field, label in (("bintek", _("Bintek")), ("exhibition", _("Pameran")), ("order", _("Pesanan"))):
        obj = getattr(entry, field)
        if obj is None:
            continue
        if obj.post_id != entry.post_id:
            errors[field] = [_("%(what)s ini bukan milik pos yang sama.") % {"what": label}]
        elif not entry.activity:
            entry.activity = str(obj)[:200]


def _check_grant(entry: Entry, errors: dict[str, list[str]]) -> None:
    grant = entry.grant
    if grant is None:
        return
    if grant.post_id != entry.post_id:
        errors["grant"] = [_("Hibah ini bukan milik pos yang sama.")]
        return
    if grant.lpj_submitted_on:
        errors["grant"] = [_("LPJ hibah ini sudah disampaikan; entri baru tidak dapat dicatat padanya.")]
        return
    if entry.source != grant.source:
        errors["source"] = [
            _("Sumber dana harus sama dengan sumber hibah (%(src)s).") % {"src": grant.get_source_display()}
        ]
    from posyantek.finance.selectors import grant_totals

    totals = grant_totals(grant)
    if entry.kind == Entry.Kind.INCOME and totals.disbursed + entry.amount > grant.amount:
        errors["amount"] = [
            _("Pencairan melebihi nilai hibah: sudah cair %(done)s dari %(total)s.")
            % {"done": format_rupiah(totals.disbursed), "total": format_rupiah(grant.amount)}
        ]
    if entry.kind == Entry.Kind.SPENDING:
        if totals.spent + entry.amount > totals.disbursed:
            errors["amount"] = [
                _("Belanja hibah melebihi dana yang sudah cair: sisa %(left)s.")
                % {"left": format_rupiah(totals.disbursed - totals.spent)}
            ]
        if entry.date and not grant.starts_on <= entry.date <= grant.ends_on:
            errors["date"] = [
                _("Belanja hibah harus dalam masa hibah (%(a)s – %(b)s).")
                % {"a": grant.starts_on.strftime("%d-%m-%Y"), "b": grant.ends_on.strftime("%d-%m-%Y")}
            ]


def _check_entry(actor: Any, entry: Entry, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if entry.kind not in Entry.Kind.values:
        errors["kind"] = [_("Pilih pemasukan atau pengeluaran.")]
    if entry.source not in FundingSource.values:
        errors["source"] = [_("Sumber dana tidak dikenal.")]
    if not (entry.description or "").strip():
        errors["description"] = [_("Uraian wajib diisi.")]
    if entry.date is None:
        errors["date"] = [_("Tanggal wajib diisi.")]
    elif entry.date > today:
        errors["date"] = [_("Tanggal tidak boleh di masa depan.")]
    elif entry.date.year < 2000:
        errors["date"] = [_("Tanggal terlalu lama; periksa tahunnya.")]
    elif is_closed(entry.post_id, entry.date):
        errors["date"] = [
            _("Buku kas sudah ditutup sampai bulan %(month)s; catat dengan tanggal di bulan yang masih terbuka.")
            % {"month": month_label(closed_through(entry.post_id))}
        ]
    cash = entry.cash_account
    if cash is None or cash.post_id != entry.post_id:
        errors["cash_account"] = [_("Pilih kas/rekening milik pos ini.")]
    elif not cash.active:
        errors["cash_account"] = [_("Kas/rekening ini sudah tidak aktif.")]
    account = entry.account
    if account is None or (account.post_id is not None and account.post_id != entry.post_id):
        errors["account"] = [_("Pilih akun dari bagan akun pos ini.")]
    elif entry.kind in Entry.Kind.values:
        wanted = Account.Kind.INCOME if entry.kind == Entry.Kind.INCOME else Account.Kind.SPENDING
        if account.kind != wanted:
            errors["account"] = [
                _("Akun %(acc)s adalah akun %(kind)s; pilih akun %(wanted)s.")
                % {
                    "acc": account,
                    "kind": account.get_kind_display().lower(),
                    "wanted": Account.Kind(wanted).label.lower(),
                }
            ]
    _check_links(actor, entry, errors)
    if entry.order is not None and entry.kind == Entry.Kind.INCOME and "order" not in errors:
        # An order's money comes in only through its payments (entry_post_from_payment), so the order's payments
        # and the cash book never disagree; spending on an order (materials, shipping) is booked here.
        errors["order"] = [
            _(
                "Pemasukan dari pesanan %(code)s dicatat otomatis saat pembayarannya dicatat di halaman pesanan; "
                "jangan dicatat lagi di buku kas."
            )
            % {"code": entry.order.code}
        ]
    if (
        entry.kind == Entry.Kind.SPENDING
        and entry.date
        and entry.source in FundingSource.values
        and "date" not in errors
    ):
        budget = approved_budget(entry.post_id, entry.date.year)
        if budget is None:
            errors["source"] = [
                _("Pos ini belum punya anggaran tahun %(year)s yang disetujui; pengeluaran belum dapat dicatat.")
                % {"year": entry.date.year}
            ]
        elif not budget.lines.filter(source=entry.source).exists():
            errors["source"] = [
                _("Tidak ada pagu untuk sumber dana %(src)s di anggaran %(year)s; pengeluaran dari sumber ini ditolak.")
                % {"src": FundingSource(entry.source).label, "year": entry.date.year}
            ]
    if not errors:
        _check_grant(entry, errors)
    if not errors and entry.kind == Entry.Kind.SPENDING:
        balance = cash_balance(cash.pk)
        if entry.amount > balance:
            errors["amount"] = [
                _("Saldo %(cash)s tidak cukup: tersisa %(left)s.") % {"cash": cash.name, "left": format_rupiah(balance)}
            ]
    if errors:
        raise ValidationError(errors)


def _lock_cash(cash_account: CashAccount | None) -> CashAccount | None:
    """Lock the cash account's row: entries of one cash account are checked and written one at a time."""
    if cash_account is None or cash_account.pk is None:
        return cash_account
    return CashAccount.objects.select_for_update().get(pk=cash_account.pk)


@transaction.atomic
def entry_post(*, actor: Any, data: dict[str, Any], today: dt.date | None = None) -> Entry:
    """Post an income or spending entry to a post's cash book (post staff or above)."""
    today = today or timezone.localdate()
    data = dict(data)
    receipt = data.pop("receipt", None)
    post = data.get("post")
    if post is None:
        raise ValidationError({"post": [_("Pilih pos.")]})
    require_rank(actor, post, Action.EDIT, _("Peran Anda tidak cukup untuk mencatat buku kas pos ini."))
    amount = clean_amount(data.get("amount"))
    entry = Entry(**{k: v for k, v in data.items() if k in ENTRY_FIELDS})
    entry.amount = amount
    entry.description = (entry.description or "").strip()[:300]
    entry.region_id = post.region_id
    entry.cash_account = _lock_cash(entry.cash_account)
    if entry.grant is not None:  # read it afresh and hold it: disbursements and spending are checked against it
        entry.grant = Grant.objects.select_for_update().get(pk=entry.grant.pk)
    _check_entry(actor, entry, today)
    if receipt:
        validate_receipt(receipt)
    entry.delta = amount if entry.kind == Entry.Kind.INCOME else -amount
    entry.posted_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.save()
    if receipt:
        entry.receipt.save(_receipt_name(entry, receipt), receipt, save=False)
        entry.save(update_fields=["receipt"])
    _add_to_month(entry)
    require(actor, entry, "edit")
    audit.record(
        actor,
        "create",
        entry,
        audit.snapshot(
            entry, ["date", "kind", "source", "account", "cash_account", "amount", "description", "grant", "receipt"]
        ),
    )
    return entry


def payment_entry_message(entry: Entry) -> str:
    """Return why an entry posted from an order payment cannot be reversed in the cash book."""
    code = entry.order.code if entry.order_id else ""
    return _(
        "Entri #%(n)s dicatat otomatis dari pembayaran pesanan %(code)s. Pembayaran itu milik pesanan, sehingga "
        "entri ini tidak dapat dibatalkan di buku kas; koreksinya dilakukan lewat halaman pesanan."
    ) % {"n": entry.pk, "code": code}


def _receipt_name(entry: Entry, upload: Any) -> str:
    name = (getattr(upload, "name", "") or "bukti").lower()
    ext = name[name.rfind(".") :] if "." in name else ".pdf"
    return f"bukti-{entry.pk}{ext}"


@transaction.atomic
def entry_reverse(
    *, actor: Any, entry: Entry, reason: str, date: dt.date | None = None, today: dt.date | None = None
) -> Entry:
    """Cancel an entry by posting its reversal, dated in an open month; a reversal cannot itself be reversed."""
    today = today or timezone.localdate()
    date = date or today
    require_rank(actor, entry.post, Action.EDIT, _("Peran Anda tidak cukup untuk mencatat buku kas pos ini."))
    original = Entry.objects.select_for_update().get(pk=entry.pk)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if original.reverses_id:
        raise ValidationError(
            _("Entri #%(n)s adalah entri pembalik; entri pembalik tidak dapat dibalik lagi.") % {"n": original.pk}
        )
    if Entry.objects.filter(reverses=original).exists():
        raise ValidationError(_("Entri #%(n)s sudah dibatalkan sebelumnya.") % {"n": original.pk})
    if original.payment_id:
        raise ValidationError(payment_entry_message(original))
    if original.grant_id and original.grant.lpj_submitted_on:
        raise ValidationError(_("LPJ hibah entri ini sudah disampaikan; entri tidak dapat dibatalkan lagi."))
    if not reason:
        errors["reason"] = [_("Tuliskan alasan pembatalan.")]
    if date > today:
        errors["date"] = [_("Tanggal tidak boleh di masa depan.")]
    elif date < original.date:
        errors["date"] = [_("Tanggal pembatalan tidak boleh sebelum tanggal entri aslinya.")]
    elif is_closed(original.post_id, date):
        errors["date"] = [
            _("Buku kas sudah ditutup sampai bulan %(month)s; pilih tanggal di bulan yang masih terbuka.")
            % {"month": month_label(closed_through(original.post_id))}
        ]
    if errors:
        raise ValidationError(errors)
    _lock_cash(original.cash_account)
    reversal = Entry(
        post_id=original.post_id,
        region_id=original.region_id,
        date=date,
        kind=original.kind,
        source=original.source,
        account_id=original.account_id,
        cash_account_id=original.cash_account_id,
        amount=original.amount,
        delta=-original.delta,
        description=(_("Pembatalan entri #%(n)s: %(why)s") % {"n": original.pk, "why": reason})[:300],
        activity=original.activity,
        bintek_id=original.bintek_id,
        exhibition_id=original.exhibition_id,
        order_id=original.order_id,
        grant_id=original.grant_id,
        counterparty=original.counterparty,
        reference=original.reference,
        reverses=original,
        posted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    reversal.save()
    _add_to_month(reversal)
    require(actor, reversal, "edit")
    audit.record(
        actor,
        "create",
        reversal,
        {"reverses": f"#{original.pk}", "amount": reversal.amount, "date": reversal.date, "note": reason},
    )
    audit.record(actor, "status", original, {"note": _("Dibatalkan oleh entri #%(n)s") % {"n": reversal.pk}})
    return reversal


@transaction.atomic
def entry_attach_receipt(*, actor: Any, entry: Entry, upload: Any) -> Entry:
    """Attach the receipt of an entry: any time when it has none; replace one only while its month is open."""
    require_rank(actor, entry.post, Action.EDIT, _("Peran Anda tidak cukup untuk mencatat buku kas pos ini."))
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.receipt and is_closed(entry.post_id, entry.date):
        raise ValidationError({"receipt": [_("Bulan entri ini sudah ditutup; buktinya tidak dapat diganti.")]})
    validate_receipt(upload)
    before = entry.receipt.name or None
    entry.receipt.save(_receipt_name(entry, upload), upload, save=False)
    entry.save(update_fields=["receipt"])
    audit.record(actor, "update", entry, {"receipt": [before, entry.receipt.name]})
    return entry


# --- Monthly closing ------------------------------------------------------------------------------------------


def month_totals(post_id: int, month: dt.date) -> dict[str, dict[str, int]]:
    """Return, per cash account id, the month's income and spending and the balance at its end."""
    out: dict[str, dict[str, int]] = {}
    rows = (
        EntryMonth.objects.filter(post_id=post_id, month__lte=month)
        .values_list("cash_account_id", "kind", "month")
        .annotate(t=Sum("total"))
        .order_by()
    )
    for cash_id, kind, m, total in rows:
        row = out.setdefault(str(cash_id), {"income": 0, "spending": 0, "balance": 0})
        total = int(total or 0)
        row["balance"] += total if kind == Entry.Kind.INCOME else -total
        if m == month:
            row["income" if kind == Entry.Kind.INCOME else "spending"] += total
    return out


@transaction.atomic
def month_close(*, actor: Any, post: Any, month: dt.date, today: dt.date | None = None) -> MonthClose:
    """Close a month that has ended (post manager): no entry may be dated in it, or before it, any more."""
    today = today or timezone.localdate()
    require_rank(actor, post, Action.MANAGE, _("Hanya pengelola pos yang dapat menutup buku bulanan."))
    if month is None:
        raise ValidationError({"month": [_("Pilih bulan.")]})
    month = month_start(month)
    nxt = (month + dt.timedelta(days=32)).replace(day=1)
    if nxt > today:
        raise ValidationError(
            {
                "month": [
                    _("Bulan %(month)s belum berakhir; buku hanya dapat ditutup setelah akhir bulan.")
                    % {"month": month_label(month)}
                ]
            }
        )
    # Lock the post's cash accounts, so no entry slips into the month while it closes.
    list(CashAccount.objects.select_for_update().filter(post=post))
    if is_closed(post.pk, month):
        raise ValidationError(
            {
                "month": [
                    _("Buku kas sudah ditutup sampai bulan %(month)s.")
                    % {"month": month_label(closed_through(post.pk))}
                ]
            }
        )
    closing = MonthClose.objects.create(
        post=post,
        region_id=post.region_id,
        month=month,
        closed_at=timezone.now(),
        closed_by=actor if getattr(actor, "is_authenticated", False) else None,
        totals=month_totals(post.pk, month),
    )
    require(actor, closing, "manage")
    audit.record(actor, "status", closing, {"month": month, "note": _("Buku kas ditutup")})
    return closing


# --- Own revenue from sales -----------------------------------------------------------------------------------


def _sales_account(post: Any) -> Account:
    account = Account.objects.filter(post=None, code=SALES_ACCOUNT_CODE).first()
    if account is None:  # the shared chart was removed: keep the rule working
        account, _c = Account.objects.get_or_create(
            post=None,
            code=SALES_ACCOUNT_CODE,
            defaults={"name": str(_("Penjualan produk dan jasa")), "kind": Account.Kind.INCOME},
        )
    return account


@transaction.atomic
def entry_post_from_payment(*, actor: Any, payment: Any, today: dt.date | None = None) -> Entry:
    """Post an order payment as own revenue to the selling post's cash book, once and only once.

    Calling it again for the same payment returns the entry already posted. A payment dated in a closed month
    is booked today, with its payment date in the description.
    """
    from posyantek.orders.models import Payment

    today = today or timezone.localdate()
    payment = Payment.objects.select_for_update().select_related("order__post").get(pk=payment.pk)
    existing = Entry.objects.filter(payment=payment).first()
    if existing is not None:
        return existing
    order = payment.order
    post = order.post
    if actor is not None:
        require_rank(actor, post, Action.EDIT, _("Peran Anda tidak cukup untuk mencatat buku kas pos ini."))
    date = min(payment.paid_on, today)
    note = ""
    if is_closed(post.pk, date):
        date, note = today, " " + _("(dibayar %(d)s)") % {"d": payment.paid_on.strftime("%d-%m-%Y")}
    cash = default_cash_account(post)
    if payment.method in ("transfer", "qris"):  # money that lands in the bank, when the post has an account
        cash = (
            CashAccount.objects.filter(post=post, active=True, kind=CashAccount.Kind.BANK).order_by("pk").first()
            or cash
        )
    cash = _lock_cash(cash)
    entry = Entry(
        post=post,
        region_id=post.region_id,
        date=date,
        kind=Entry.Kind.INCOME,
        source=FundingSource.OWN,
        account=_sales_account(post),
        cash_account=cash,
        amount=payment.amount,
        delta=payment.amount,
        description=(_("%(kind)s pesanan %(code)s") % {"kind": payment.get_kind_display(), "code": order.code} + note)[
            :300
        ],
        activity=str(_("Penjualan")),
        order=order,
        payment=payment,
        counterparty=order.buyer_name[:200],
        reference=payment.reference[:100],
        posted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # posted meanwhile by another transaction
        return Entry.objects.get(payment=payment)
    _add_to_month(entry)
    audit.record(
        actor,
        "create",
        entry,
        audit.snapshot(entry, ["date", "kind", "source", "account", "amount", "description", "order"]),
    )
    return entry
