"""Reads of the money: balances, budget realisation for a post and rolled up for a region, grants, lists.

Balances and realisation read the monthly sums (`EntryMonth`), plus the entries of a partial month at either end
of a period, so they answer in a few small queries whatever the size of the cash book.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.scoping import region_subtree_q
from posyantek.finance.models import (
    Account,
    Asset,
    Budget,
    BudgetLine,
    CashAccount,
    Entry,
    EntryMonth,
    FundingSource,
    Grant,
    MonthClose,
    Regulation,
    RegulationArticle,
    month_start,
)
from posyantek.posts.models import Officer, Post
from posyantek.regions.models import Region

INCOME, SPENDING = Entry.Kind.INCOME, Entry.Kind.SPENDING


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- Lists ----------------------------------------------------------------------------------------------------


def entry_list(*, user: Any, action: str = "view") -> QuerySet[Entry]:
    """Return the cash-book entries the user may see, newest first, with what the list shows."""
    return (
        Entry.objects.for_user(user, action)
        .select_related("post", "account", "cash_account", "reversed_by", "grant")
        .order_by("-date", "-pk")
    )


def budget_list(*, user: Any, action: str = "view") -> QuerySet[Budget]:
    """Return the budgets (all revisions) the user may see, with their total pagu."""
    return (
        Budget.objects.for_user(user, action)
        .select_related("post", "approved_by")
        .annotate(pagu=Sum("lines__amount"))
        .order_by("-year", "post__name", "-revision")
    )


def grant_list(*, user: Any, action: str = "view") -> QuerySet[Grant]:
    """Return the grants the user may see, with what was disbursed and spent."""
    return (
        Grant.objects.for_user(user, action)
        .select_related("post")
        .annotate(
            disbursed=Sum("entries__delta", filter=Q(entries__kind=INCOME), default=0),
            spent=-Sum("entries__delta", filter=Q(entries__kind=SPENDING), default=0),
        )
        .order_by("lpj_submitted_on", "report_due", "pk")
    )


def asset_list(*, user: Any, action: str = "view") -> QuerySet[Asset]:
    """Return the assets the user may see."""
    return Asset.objects.for_user(user, action).select_related("post", "grant", "entry").order_by("post__name", "name")


def regulation_list(*, user: Any) -> QuerySet[Regulation]:
    """Return the regulations the user may read: national ones, and those of the regions they work in."""
    return Regulation.objects.for_user(user, "view").select_related("region", "amended_by")


def article_list(*, user: Any) -> QuerySet[RegulationArticle]:
    """Return the articles of the regulations the user may read."""
    return RegulationArticle.objects.filter(regulation__in=regulation_list(user=user)).select_related("regulation")


def account_choices(*, post: Post, kind: str | None = None) -> QuerySet[Account]:
    """Return the accounts a post may book on: the shared chart and its own (the caller has checked the post)."""
    qs = Account.objects.filter(Q(post__isnull=True) | Q(post=post), active=True)
    return qs.filter(kind=kind) if kind else qs


# --- Balances -------------------------------------------------------------------------------------------------


@dataclass
class Balance:
    cash_account: CashAccount
    balance: int


@dataclass
class Balances:
    rows: list[Balance]

    @property
    def total(self) -> int:
        return sum(r.balance for r in self.rows)


def post_balances(post: Post) -> Balances:
    """Return the balance of each cash account of a post the caller has fetched within scope (two queries)."""
    sums: dict[int, int] = defaultdict(int)
    for cash_id, kind, total in (
        EntryMonth.objects.filter(post=post).values_list("cash_account_id", "kind").annotate(t=Sum("total")).order_by()
    ):
        sums[cash_id] += int(total or 0) if kind == INCOME else -int(total or 0)
    cash = list(CashAccount.objects.filter(post=post).order_by("-active", "pk"))
    return Balances([Balance(c, sums.get(c.pk, 0)) for c in cash])


def entry_month_rebuild(post: Post) -> dict[tuple[Any, ...], int]:
    """Return the monthly sums of a post recomputed from its entries (to check `EntryMonth` against)."""
    out: dict[tuple[Any, ...], int] = defaultdict(int)
    for e in (
        Entry.objects.filter(post=post)
        .values("date", "cash_account_id", "kind", "source", "account_id", "amount", "reverses_id")
        .iterator()
    ):
        key = (month_start(e["date"]), e["cash_account_id"], e["kind"], e["source"], e["account_id"])
        out[key] += -e["amount"] if e["reverses_id"] else e["amount"]
    return dict(out)


# --- Realisation ----------------------------------------------------------------------------------------------


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _sums(posts: Q, months: Q, start: dt.date, end: dt.date) -> dict[tuple[Any, ...], int]:
    """Return {(post, kind, source, account): net total} in [start, end]: whole months from the monthly sums,
    the days of a partial month at either end from the entries themselves."""
    first_full = start if start.day == 1 else _month_end(start) + dt.timedelta(days=1)
    last_full = end if end == _month_end(end) else month_start(end) - dt.timedelta(days=1)
    out: dict[tuple[Any, ...], int] = defaultdict(int)
    if first_full <= last_full:
        rows = (
            EntryMonth.objects.filter(posts, months, month__gte=first_full, month__lte=month_start(last_full))
            .values_list("post_id", "kind", "source", "account_id")
            .annotate(t=Sum("total"))
            .order_by()
        )
        for post_id, kind, source, account_id, total in rows:
            out[(post_id, kind, source, account_id)] += int(total or 0)
        edges = [(start, first_full - dt.timedelta(days=1)), (last_full + dt.timedelta(days=1), end)]
    else:
        edges = [(start, end)]
    for a, b in edges:
        if a > b:
            continue
        rows = (
            Entry.objects.filter(posts, date__gte=a, date__lte=b)
            .values_list("post_id", "kind", "source", "account_id")
            .annotate(t=Sum("delta"))
            .order_by()
        )
        for post_id, kind, source, account_id, delta in rows:
            out[(post_id, kind, source, account_id)] += int(delta or 0) if kind == INCOME else -int(delta or 0)
    return out


@dataclass
class Line:
    """Pagu against realisation for one source and account."""

    source: str
    account: Account | None
    pagu: int = 0
    spent: int = 0
    activity: str = ""
    regulation: Regulation | None = None
    article: Any = None
    planned: bool = True

    @property
    def source_label(self) -> str:
        return str(FundingSource(self.source).label) if self.source in FundingSource.values else self.source

    @property
    def absorption(self) -> float | None:
        return _pct(self.spent, self.pagu)

    @property
    def remaining(self) -> int:
        return self.pagu - self.spent

    @property
    def over(self) -> bool:
        return self.spent > self.pagu


@dataclass
class SourceRow:
    source: str
    pagu: int = 0
    income: int = 0
    spent: int = 0
    regulations: list[Regulation] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(FundingSource(self.source).label) if self.source in FundingSource.values else self.source

    @property
    def absorption(self) -> float | None:
        return _pct(self.spent, self.pagu)

    @property
    def regulation_based(self) -> bool:
        return any(r.is_regional_basis for r in self.regulations)


@dataclass
class Realisation:
    """Budget realisation of one post for a period: pagu (of the years the period covers) vs realisasi."""

    post: Post
    start: dt.date
    end: dt.date
    budgets: list[Budget]
    lines: list[Line]
    sources: list[SourceRow]
    alerts: list[str]

    @property
    def pagu(self) -> int:
        return sum(s.pagu for s in self.sources)

    @property
    def income(self) -> int:
        return sum(s.income for s in self.sources)

    @property
    def spent(self) -> int:
        return sum(s.spent for s in self.sources)

    @property
    def absorption(self) -> float | None:
        return _pct(self.spent, self.pagu)

    @property
    def regulation_based(self) -> bool:
        return any(s.regulation_based for s in self.sources)


def check_period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """Return a valid period or raise a clear error (at most ten years, start before end)."""
    if start is None or end is None:
        raise ValidationError(_("Pilih tanggal awal dan akhir periode."))
    if end < start:
        raise ValidationError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
    if (end - start).days > 3660:
        raise ValidationError(_("Periode paling panjang sepuluh tahun."))
    return start, end


def realisation(post: Post, start: dt.date, end: dt.date) -> Realisation:
    """Return pagu vs realisasi per source and account of a post (fetched within scope) for [start, end]."""
    start, end = check_period(start, end)
    budgets = list(
        Budget.objects.filter(
            post=post, state=Budget.State.APPROVED, year__gte=start.year, year__lte=end.year
        ).order_by("year")
    )
    budget_lines = list(
        BudgetLine.objects.filter(budget__in=budgets)
        .select_related("account", "regulation", "article")
        .order_by("source", "account__code")
    )
    lines: dict[tuple[str, int | None], Line] = {}
    sources: dict[str, SourceRow] = {}
    for bl in budget_lines:
        line = lines.setdefault(
            (bl.source, bl.account_id),
            Line(bl.source, bl.account, activity=bl.activity, regulation=bl.regulation, article=bl.article),
        )
        line.pagu += bl.amount
        src = sources.setdefault(bl.source, SourceRow(bl.source))
        src.pagu += bl.amount
        if bl.regulation and bl.regulation not in src.regulations:
            src.regulations.append(bl.regulation)
    sums = _sums(Q(post=post), Q(), start, end)
    unplanned_accounts: set[int] = set()
    for (_post, kind, source, account_id), total in sums.items():
        src = sources.setdefault(source, SourceRow(source))
        if kind == INCOME:
            src.income += total
            continue
        src.spent += total
        line = lines.get((source, account_id))
        if line is None:
            line = lines[(source, account_id)] = Line(source, None, planned=False)
            unplanned_accounts.add(account_id)
        line.spent += total
    if unplanned_accounts:
        accounts = Account.objects.in_bulk(list(unplanned_accounts))
        for (_src, account_id), line in lines.items():
            if line.account is None:
                line.account = accounts.get(account_id)
    ordered = sorted(lines.values(), key=lambda x: (x.source, x.account.code if x.account else ""))
    alerts = variance_alerts(ordered, list(sources.values()))
    return Realisation(post, start, end, budgets, ordered, sorted(sources.values(), key=lambda s: s.source), alerts)


def variance_alerts(lines: list[Line], sources: list[SourceRow]) -> list[str]:
    """Return the warnings of a realisation: spending past its pagu, or on an account with no budget line."""
    alerts = []
    for line in lines:
        if not line.spent:
            continue
        if not line.planned:
            alerts.append(
                _("Belanja %(acc)s dari %(src)s sebesar %(spent)s tidak ada di rincian anggaran.")
                % {"acc": line.account, "src": line.source_label, "spent": format_rupiah(line.spent)}
            )
        elif line.over:
            alerts.append(
                _("Belanja %(acc)s dari %(src)s %(spent)s melewati pagu %(pagu)s (%(pct)s%%).")
                % {
                    "acc": line.account,
                    "src": line.source_label,
                    "spent": format_rupiah(line.spent),
                    "pagu": format_rupiah(line.pagu),
                    "pct": line.absorption,
                }
            )
    for src in sources:
        if src.spent > src.pagu > 0:
            alerts.append(
                _("Belanja dari %(src)s %(spent)s melewati pagu sumber ini %(pagu)s.")
                % {"src": src.label, "spent": format_rupiah(src.spent), "pagu": format_rupiah(src.pagu)}
            )
    return alerts


# --- Roll-up for a region -------------------------------------------------------------------------------------


@dataclass
class PostRow:
    post_id: int
    name: str
    region_id: str
    pagu: int = 0
    income: int = 0
    spent: int = 0
    bases: list[str] = field(default_factory=list)

    @property
    def absorption(self) -> float | None:
        return _pct(self.spent, self.pagu)

    @property
    def regulation_based(self) -> bool:
        return bool(self.bases)

    @property
    def over(self) -> bool:
        return self.spent > self.pagu


@dataclass
class GroupRow:
    code: str
    name: str
    posts: int = 0
    with_basis: int = 0
    pagu: int = 0
    income: int = 0
    spent: int = 0

    @property
    def absorption(self) -> float | None:
        return _pct(self.spent, self.pagu)

    @property
    def basis_share(self) -> float | None:
        return _pct(self.with_basis, self.posts)


@dataclass
class Rollup:
    """Realisation of a year for every post in a region (or the nation), grouped by the region's children."""

    region: Region | None
    year: int
    posts: list[PostRow]
    groups: list[GroupRow]

    @property
    def total(self) -> GroupRow:
        g = GroupRow(self.region.code if self.region else "", str(self.region or _("Nasional")))
        for r in self.groups:
            g.posts += r.posts
            g.with_basis += r.with_basis
            g.pagu += r.pagu
            g.income += r.income
            g.spent += r.spent
        return g


def rollup(*, user: Any, region: Region | None, year: int) -> Rollup:
    """Return the year's realisation of every post the user may see in `region` (None: the whole country)."""
    within = region_subtree_q("region", region.code) if region else Q()
    posts = {
        pk: PostRow(pk, name, region_id)
        for pk, name, region_id in Post.objects.for_user(user, "view")
        .filter(within)
        .values_list("pk", "name", "region_id")
    }
    budget_within = region_subtree_q("budget__region", region.code) if region else Q()
    lines = BudgetLine.objects.for_user(user, "view").filter(
        budget_within, budget__year=year, budget__state=Budget.State.APPROVED
    )
    for post_id, pagu in lines.values_list("budget__post_id").annotate(t=Sum("amount")).order_by():
        if post_id in posts:
            posts[post_id].pagu = int(pagu or 0)
    regional = lines.filter(regulation__kind__in=Regulation.REGIONAL_KINDS).exclude(
        regulation__status=Regulation.Status.REVOKED
    )
    reg_ids: set[int] = set()
    for post_id, reg_id in regional.values_list("budget__post_id", "regulation_id").distinct().order_by():
        reg_ids.add(reg_id)
        if post_id in posts:
            posts[post_id].bases.append(reg_id)
    names = {r.pk: r.short for r in Regulation.objects.filter(pk__in=list(reg_ids))}
    for row in posts.values():
        row.bases = [names.get(b, "") for b in row.bases]
    months = region_subtree_q("region", region.code) if region else Q()
    scoped = EntryMonth.objects.for_user(user, "view").filter(
        months, month__gte=dt.date(year, 1, 1), month__lte=dt.date(year, 12, 1)
    )
    for post_id, kind, total in scoped.values_list("post_id", "kind").annotate(t=Sum("total")).order_by():
        row = posts.get(post_id)
        if row is None:
            continue
        if kind == INCOME:
            row.income += int(total or 0)
        else:
            row.spent += int(total or 0)
    depth = len(region.code.split(".")) + 1 if region else 1
    groups: dict[str, GroupRow] = {}
    for row in posts.values():
        code = ".".join(row.region_id.split(".")[:depth])
        g = groups.setdefault(code, GroupRow(code, code))
        g.posts += 1
        g.with_basis += 1 if row.regulation_based else 0
        g.pagu += row.pagu
        g.income += row.income
        g.spent += row.spent
    for r in Region.objects.filter(code__in=list(groups)).only("code", "name", "level", "kind"):
        groups[r.code].name = str(r)
    return Rollup(
        region,
        year,
        sorted(posts.values(), key=lambda r: (r.region_id, r.name)),
        sorted(groups.values(), key=lambda g: g.code),
    )


# --- Grants ---------------------------------------------------------------------------------------------------


@dataclass
class GrantTotals:
    disbursed: int
    spent: int
    unreceipted: list[Entry]

    @property
    def remaining(self) -> int:
        return self.disbursed - self.spent


def unreceipted_spending(grant: Grant) -> QuerySet[Entry]:
    """Return the grant's spending entries (not reversed, not reversals) that have no receipt."""
    reversed_ = Exists(Entry.objects.filter(reverses=OuterRef("pk")))
    return (
        Entry.objects.filter(grant=grant, kind=SPENDING, reverses__isnull=True, receipt="")
        .exclude(reversed_)
        .order_by("date", "pk")
    )


def grant_totals(grant: Grant) -> GrantTotals:
    """Return what was disbursed and spent on a grant (net of reversals), and the spending without receipt."""
    sums = dict(Entry.objects.filter(grant=grant).values_list("kind").annotate(t=Sum("delta")).order_by())
    return GrantTotals(
        disbursed=int(sums.get(INCOME) or 0),
        spent=-int(sums.get(SPENDING) or 0),
        unreceipted=list(unreceipted_spending(grant)),
    )


@dataclass
class Lpj:
    """The accountability report (LPJ) of a grant, built from its entries."""

    grant: Grant
    totals: GrantTotals
    disbursements: list[Entry]
    spending: list[Entry]
    assets: list[Asset]


def grant_lpj(grant: Grant) -> Lpj:
    """Return the LPJ of a grant, or refuse while any of its spending has no receipt."""
    totals = grant_totals(grant)
    if totals.unreceipted:
        numbers = ", ".join(f"#{e.pk}" for e in totals.unreceipted[:20])
        raise ValidationError(
            _("LPJ belum dapat dibuat: %(n)s pengeluaran hibah belum ada buktinya (%(list)s). Unggah buktinya dulu.")
            % {"n": len(totals.unreceipted), "list": numbers}
        )
    entries = list(Entry.objects.filter(grant=grant).select_related("account", "reverses").order_by("date", "pk"))
    return Lpj(
        grant,
        totals,
        [e for e in entries if e.kind == INCOME],
        [e for e in entries if e.kind == SPENDING],
        list(grant.assets.all()),
    )


def grants_due(*, user: Any, today: dt.date, within_days: int = 30) -> QuerySet[Grant]:
    """Return the grants whose LPJ is due within `within_days` (or overdue) and not yet submitted."""
    return (
        Grant.objects.for_user(user, "view")
        .filter(lpj_submitted_on__isnull=True, report_due__lte=today + dt.timedelta(days=within_days))
        .select_related("post")
        .order_by("report_due")
    )


def closed_months(post: Post) -> list[MonthClose]:
    return list(MonthClose.objects.filter(post=post).select_related("closed_by").order_by("-month"))


# --- Cash book for a period -----------------------------------------------------------------------------------


@dataclass
class CashBookRow:
    entry: Entry
    balance: int


@dataclass
class CashBook:
    """The cash book (buku kas umum) of a post for a period, with the running balance."""

    post: Post
    start: dt.date
    end: dt.date
    cash_account: CashAccount | None
    opening: int
    rows: list[CashBookRow]

    @property
    def income(self) -> int:
        return sum(r.entry.delta for r in self.rows if r.entry.delta > 0)

    @property
    def spending(self) -> int:
        return -sum(r.entry.delta for r in self.rows if r.entry.delta < 0)

    @property
    def closing(self) -> int:
        return self.rows[-1].balance if self.rows else self.opening


#: The most entries a printed cash book holds; a longer period must be split.
CASH_BOOK_MAX_ROWS = 5000


def cash_book(post: Post, start: dt.date, end: dt.date, cash_account: CashAccount | None = None) -> CashBook:
    """Return a post's entries in [start, end] (one cash account or all), oldest first, with running balance."""
    start, end = check_period(start, end)
    scope = Q(post=post) if cash_account is None else Q(post=post, cash_account=cash_account)
    opening = int(
        EntryMonth.objects.filter(scope, month__lt=month_start(start))
        .filter(kind=INCOME)
        .aggregate(t=Sum("total"))["t"]
        or 0
    )
    opening -= int(
        EntryMonth.objects.filter(scope, month__lt=month_start(start), kind=SPENDING).aggregate(t=Sum("total"))["t"]
        or 0
    )
    opening += int(
        Entry.objects.filter(scope, date__gte=month_start(start), date__lt=start).aggregate(t=Sum("delta"))["t"] or 0
    )
    entries = (
        Entry.objects.filter(scope, date__gte=start, date__lte=end)
        .select_related("account", "cash_account", "reverses")
        .order_by("date", "pk")
    )
    if entries.count() > CASH_BOOK_MAX_ROWS:
        raise ValidationError(
            _("Periode ini memuat lebih dari %(n)s entri; pilih periode yang lebih pendek.") % {"n": CASH_BOOK_MAX_ROWS}
        )
    rows, balance = [], opening
    for e in entries:
        balance += e.delta
        rows.append(CashBookRow(e, balance))
    return CashBook(post, start, end, cash_account, opening, rows)


def board_member_name(post: Post, position: str, day: dt.date) -> str:
    """Return the name of who holds `position` (ketua, bendahara) on the post's board on `day`, or "" when unknown.

    For the signature under a printed report; the caller has fetched the post within scope.
    """
    officer = (
        Officer.objects.filter(term__post=post, position=position, term__starts_on__lte=day, term__ends_on__gte=day)
        .select_related("person")
        .order_by("-term__starts_on", "pk")
        .first()
    )
    return officer.person.name if officer else ""


def lpj_reminders_unscoped(*, today: dt.date, days: tuple[int, ...]) -> QuerySet[Grant]:
    """Return every grant whose LPJ is due in one of `days` days, or is late by a multiple of 7 days (for the daily
    reminder job, which works for all posts at once)."""
    due = [today + dt.timedelta(days=d) for d in days]
    late = [today - dt.timedelta(days=7 * k) for k in range(1, 27)]
    return (
        Grant.objects.filter(lpj_submitted_on__isnull=True, report_due__in=due + late)
        .select_related("post")
        .order_by("report_due", "pk")
    )
