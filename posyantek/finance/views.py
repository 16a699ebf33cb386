"""Staff pages of the money under /keuangan/: the overview, a post's finances, the cash book, closing months."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, rank_on_post, user_grants
from posyantek.core.selectors import history_for
from posyantek.finance import exports, services
from posyantek.finance.filters import EntryFilter
from posyantek.finance.forms import AccountForm, CashAccountForm, EntryForm, MonthCloseForm, ReceiptForm, ReverseForm
from posyantek.finance.models import Account, Entry, EntryMonth, Grant
from posyantek.finance.selectors import (
    closed_months,
    entry_list,
    grants_due,
    post_balances,
    realisation,
)
from posyantek.orders.models import Order
from posyantek.posts.models import Post


def add_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's errors next to the form's fields (or on top when no field matches)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errs in exc.message_dict.items():
        if name == "order" and "order_code" in form.fields:
            name = "order_code"
        form.add_error(name if name in form.fields else None, errs)


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def scoped_post(request: HttpRequest, post_id: int, action: str = "view") -> Post:
    """Return a post the user may see (else 404) and act on (else 403)."""
    return get_scoped_object(
        Post.objects.for_user(request.user, "view").select_related("region"), request.user, action, pk=post_id
    )


def can(request: HttpRequest, post: Post, action: int) -> bool:
    return rank_on_post(request.user, post) >= action


# --- Overview -------------------------------------------------------------------------------------------------


@cache_page_until_change
def finance_home(request: HttpRequest) -> HttpResponse:
    """List the posts the user may see with their balances, and the LPJ falling due."""
    posts = Post.objects.for_user(request.user, "view").select_related("region").order_by("region_id", "name")
    q = (request.GET.get("q") or "").strip()
    if q:
        posts = posts.filter(name__icontains=q[:100])
    page = Paginator(posts, 25).get_page(request.GET.get("page"))
    ids = [p.pk for p in page]
    sums: dict[int, int] = {}
    for post_id, kind, total in (
        EntryMonth.objects.for_user(request.user, "view")
        .filter(post_id__in=ids)
        .values_list("post_id", "kind")
        .annotate(t=Sum("total"))
        .order_by()
    ):
        sums[post_id] = sums.get(post_id, 0) + (int(total) if kind == Entry.Kind.INCOME else -int(total))
    for p in page:
        p.balance = sums.get(p.pk, 0)  # type: ignore[attr-defined]
    base = f"q={q}&" if q else ""
    ctx = {
        "page_obj": page,
        "querystring_base": base,
        "q": q,
        "due": grants_due(user=request.user, today=timezone.localdate())[:10],
        "today": timezone.localdate(),
    }
    return render_page(request, "finance/home.html", ctx)


def post_finance(request: HttpRequest, post_id: int) -> HttpResponse:
    """A post's money at a glance: balances, this year's realisation and alerts, grants due, closed months."""
    post = scoped_post(request, post_id)
    today = timezone.localdate()
    ctx = {
        "post": post,
        "balances": post_balances(post),
        "report": realisation(post, dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)),
        "due": grants_due(user=request.user, today=today).filter(post=post),
        "closed": closed_months(post)[:12],
        "accounts": Account.objects.for_user(request.user, "view").filter(post=post).order_by("code"),
        "can_edit": can(request, post, Action.EDIT),
        "can_manage": can(request, post, Action.MANAGE),
        "close_form": MonthCloseForm(initial={"month": (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)}),
        "cash_form": CashAccountForm(),
        "account_form": AccountForm(initial={"kind": Account.Kind.SPENDING}),
    }
    return render_page(request, "finance/post_finance.html", ctx)


@require_POST
def month_close(request: HttpRequest, post_id: int) -> HttpResponse:
    """Close a month of the post's cash book (post manager)."""
    post = scoped_post(request, post_id, "manage")
    form = MonthCloseForm(request.POST)
    if form.is_valid():
        try:
            closing = services.month_close(actor=request.user, post=post, month=form.cleaned_data["month"])
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Buku kas bulan %(m)s ditutup.") % {"m": services.month_label(closing.month)})
    else:
        messages.error(request, _("Pilih bulan yang akan ditutup."))
    return redirect("finance:post_finance", post.pk)


@require_POST
def cash_account_create(request: HttpRequest, post_id: int) -> HttpResponse:
    """Open a cash box or bank account for the post (post manager)."""
    post = scoped_post(request, post_id, "manage")
    form = CashAccountForm(request.POST)
    if form.is_valid():
        try:
            services.cash_account_create(actor=request.user, post=post, data=form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Kas/rekening dibuka."))
    else:
        messages.error(request, _("Periksa isian kas/rekening."))
    return redirect("finance:post_finance", post.pk)


@require_POST
def account_create(request: HttpRequest, post_id: int) -> HttpResponse:
    """Add an account to the post's own chart (post manager)."""
    post = scoped_post(request, post_id, "manage")
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            services.account_create(actor=request.user, post=post, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Akun ditambahkan."))
    else:
        messages.error(request, _("Periksa isian akun."))
    return redirect("finance:post_finance", post.pk)


# --- The cash book --------------------------------------------------------------------------------------------


@cache_page_until_change
def entry_list_view(request: HttpRequest) -> HttpResponse:
    """The cash-book entries the user may see: filter, search, page and download."""
    f = EntryFilter(request.GET, queryset=entry_list(user=request.user))
    if request.GET.get("format") in ("csv", "xlsx"):
        return exports.table_response(exports.entries_table(f.qs), request.GET["format"], "buku-kas")
    ctx = list_context(request, f)
    post_id = f.form.cleaned_data.get("post") if f.is_bound and f.form.is_valid() else None
    ctx["post"] = Post.objects.for_user(request.user, "view").filter(pk=post_id).first() if post_id else None
    ctx["can_edit"] = bool(ctx["post"]) and can(request, ctx["post"], Action.EDIT)
    return render_page(request, "finance/entry_list.html", ctx, fragment="results")


def entry_create(request: HttpRequest, post_id: int) -> HttpResponse:
    """Post an income or spending entry to the post's cash book (post staff or above)."""
    post = scoped_post(request, post_id, "edit")
    posted = request.method == "POST"
    form = EntryForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        user=request.user,
        post=post,
        initial=_entry_initial(request, post),
    )
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "order_code"}
        code = (form.cleaned_data.get("order_code") or "").strip().upper()
        data["order"] = (
            Order.objects.for_user(request.user, "view").filter(post=post, code=code).first() if code else None
        )
        try:
            if code and data["order"] is None:
                raise ValidationError({"order_code": [_("Pesanan %(c)s tidak ada di pos ini.") % {"c": code}]})
            entry = services.entry_post(actor=request.user, data={**data, "post": post})
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Entri #%(n)s dicatat.") % {"n": entry.pk})
            return redirect(entry)
    return render_page(request, "finance/entry_form.html", {"form": form, "post": post}, status=422 if posted else 200)


def _entry_initial(request: HttpRequest, post: Post) -> dict[str, Any]:
    """Today's date; from a grant's page (`?grant=`), the grant and its source."""
    initial: dict[str, Any] = {"date": timezone.localdate()}
    grant_id = request.GET.get("grant", "")
    grant = (
        Grant.objects.for_user(request.user, "view").filter(post=post, pk=grant_id).first()
        if grant_id.isdigit()
        else None
    )
    if grant is not None:
        initial.update(grant=grant.pk, source=grant.source)
    return initial


def _entry(request: HttpRequest, pk: int, action: str = "view") -> Entry:
    return get_scoped_object(
        entry_list(user=request.user).select_related("reverses", "bintek", "exhibition", "order"),
        request.user,
        action,
        pk=pk,
    )


def entry_detail(request: HttpRequest, pk: int, **bound: Any) -> HttpResponse:
    """One entry: what, who, the receipt, its reversal; the reverse and receipt forms; the history."""
    entry = _entry(request, pk)
    reversed_by = getattr(entry, "reversed_by", None)  # joined by the fetch; None when not reversed
    ctx = {
        "entry": entry,
        "post": entry.post,
        # An order payment's entry is corrected on the order, never reversed here.
        "can_reverse": not entry.reverses_id and reversed_by is None and not entry.payment_id,
        "can_edit": can(request, entry.post, Action.EDIT),
        "closed": services.is_closed(entry.post_id, entry.date),
        "reverse_form": ReverseForm(),
        "receipt_form": ReceiptForm(),
        "history": history_for(entry),
        **bound,
    }
    return render_page(request, "finance/entry_detail.html", ctx, status=422 if bound else 200)


@require_POST
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an entry with a reversing entry dated in an open month."""
    entry = _entry(request, pk, "edit")
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            reversal = services.entry_reverse(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"], date=form.cleaned_data.get("date")
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Entri #%(a)s dibatalkan oleh entri #%(b)s.") % {"a": entry.pk, "b": reversal.pk}
            )
            return redirect(reversal)
    return entry_detail(request, pk, reverse_form=form)


@require_POST
def entry_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the receipt of an entry."""
    entry = _entry(request, pk, "edit")
    form = ReceiptForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.entry_attach_receipt(actor=request.user, entry=entry, upload=form.cleaned_data["receipt"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Bukti disimpan."))
            return redirect(entry)
    return entry_detail(request, pk, receipt_form=form)


def entry_receipt_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream the receipt of an entry the user may see."""
    entry = _entry(request, pk)
    if not entry.receipt:
        raise Http404
    try:
        return FileResponse(entry.receipt.open("rb"), filename=entry.receipt.name.rsplit("/", 1)[-1])
    except FileNotFoundError as exc:
        raise Http404 from exc


#: The most posts a list page offers "record a new one for …" links to; more go through the finance overview.
CREATE_FOR_MAX = 10


def create_for(request: HttpRequest, post_id: int | None) -> list[Post]:
    """Return the posts a list page offers to record a new grant or asset for (one query).

    The filtered post when the user may enter data on it; without a filter, the posts they may enter data on
    (at most `CREATE_FOR_MAX` + 1, so the page knows there are more). Empty: no link is shown.
    """
    editable = Post.objects.for_user(request.user, "edit").order_by("name").only("pk", "name")
    if post_id:
        return list(editable.filter(pk=post_id))
    return list(editable[: CREATE_FOR_MAX + 1])


def filtered_post_id(filterset: Any) -> int | None:
    """Return the post a list is filtered on (`?post=`), once the filter has been validated."""
    data = getattr(filterset.form, "cleaned_data", None) or {}
    return data.get("post") or None


def nav_can_write(request: HttpRequest) -> bool:
    return any(g.rank >= Action.EDIT for g in user_grants(request.user))
