"""Reports of the money: a post's realisation and cash book for any period (page, XLSX/CSV, PDF on its
letterhead), and the realisation rolled up over a region, comparing its posts."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core.htmx import render_page
from posyantek.core.scoping import rank_on_region, user_grants
from posyantek.finance import exports
from posyantek.finance.forms import PeriodForm, RollupForm
from posyantek.finance.models import CashAccount
from posyantek.finance.selectors import board_member_name, cash_book, realisation, rollup
from posyantek.finance.views import scoped_post
from posyantek.posts.models import Officer
from posyantek.regions.models import Region

FORMATS = ("csv", "xlsx", "pdf")


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    """Read `dari`/`sampai` (default: this year); a month `bulan=2026-03` is a shortcut."""
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    month = request.GET.get("bulan", "")
    if month:
        try:
            start = dt.date.fromisoformat(f"{month[:7]}-01")
        except ValueError:
            pass
        else:
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    form = PeriodForm(request.GET if "dari" in request.GET else None, initial={"dari": start, "sampai": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["dari"], form.cleaned_data["sampai"]
    return form, start, end


def _refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return render_page(
        request,
        "error.html",
        {"code": 422, "title": _("Periode tidak dapat dipakai"), "message": " ".join(exc.messages)},
        status=422,
    )


def post_realisation(request: HttpRequest, post_id: int) -> HttpResponse:
    """Pagu vs realisasi of a post for a period, per source and account, with variance alerts."""
    post = scoped_post(request, post_id)
    form, start, end = _period(request)
    try:
        report = realisation(post, start, end)
    except ValidationError as exc:
        return _refused(request, exc)
    fmt = request.GET.get("format")
    name = f"realisasi-{post.slug}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "pdf":
        signer = board_member_name(post, Officer.Position.KETUA, min(end, timezone.localdate()))
        ctx = {"post": post, "report": report, "signer": signer}
        return exports.pdf_response(request, "finance/pdf/realisation.html", ctx, name)
    if fmt in FORMATS:
        return exports.table_response(exports.realisation_table(report), fmt, name)
    return render_page(
        request,
        "finance/realisation.html",
        {"post": post, "report": report, "form": form, "query": request.GET.urlencode()},
    )


def post_cash_book(request: HttpRequest, post_id: int) -> HttpResponse:
    """The cash book (buku kas umum) of a post for a period with running balance; XLSX/CSV or PDF."""
    post = scoped_post(request, post_id)
    form, start, end = _period(request)
    cash = None
    if request.GET.get("kas", "").isdigit():
        cash = CashAccount.objects.for_user(request.user, "view").filter(post=post, pk=int(request.GET["kas"])).first()
    try:
        book = cash_book(post, start, end, cash)
    except ValidationError as exc:
        return _refused(request, exc)
    fmt = request.GET.get("format")
    name = f"buku-kas-{post.slug}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "pdf":
        signer = board_member_name(post, Officer.Position.BENDAHARA, min(end, timezone.localdate()))
        ctx = {"post": post, "book": book, "signer": signer}
        return exports.pdf_response(request, "finance/pdf/cash_book.html", ctx, name)
    if fmt in FORMATS:
        return exports.table_response(exports.cash_book_table(book), fmt, name)
    return render_page(
        request, "finance/cash_book.html", {"post": post, "book": book, "form": form, "query": request.GET.urlencode()}
    )


def _default_region(request: HttpRequest) -> str:
    """The widest region the user oversees (blank: the whole country, for national roles)."""
    grants = user_grants(request.user)
    if any(g.is_national for g in grants):
        return ""
    codes = sorted((g.region_code for g in grants if g.region_code), key=len)
    return codes[0] if codes else ""


def realisation_rollup(request: HttpRequest) -> HttpResponse:
    """The year's realisation of every post in a region, by sub-region, with the share funded by a regional rule."""
    today = timezone.localdate()
    form = RollupForm(request.GET or None, initial={"tahun": today.year, "wilayah": _default_region(request)})
    code, year = _default_region(request), today.year
    if form.is_bound and form.is_valid():
        code, year = (form.cleaned_data["wilayah"] or "").strip(), form.cleaned_data["tahun"]
    region = Region.objects.filter(code=code).first() if code else None
    if code and region is None:
        form.add_error("wilayah", _("Kode wilayah %(c)s tidak ada.") % {"c": code[:20]})
    data = rollup(user=request.user, region=region, year=year)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return exports.table_response(exports.rollup_table(data), fmt, f"realisasi-{code or 'nasional'}-{year}")
    page = Paginator(data.posts, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    base = params.urlencode()
    ctx = {
        "data": data,
        "form": form,
        "page_obj": page,
        "querystring_base": base + "&" if base else "",
        "query": base,
        "can_compare": region is None or rank_on_region(request.user, region.code) > 0,
    }
    return render_page(request, "finance/rollup.html", ctx)
