"""Staff pages of regulations (the registry of legal bases) and of budgets, under /keuangan/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, user_grants
from posyantek.core.selectors import history_for
from posyantek.finance import budget_services
from posyantek.finance.filters import BudgetFilter, RegulationFilter
from posyantek.finance.forms import ArticleForm, BudgetForm, BudgetLineForm, RegulationForm
from posyantek.finance.models import Budget, BudgetLine, Regulation
from posyantek.finance.selectors import budget_list, realisation, regulation_list
from posyantek.finance.views import add_errors, can, flash_errors, scoped_post

# --- Regulations ----------------------------------------------------------------------------------------------


def _may_write_regulations(request: HttpRequest) -> bool:
    return any(g.rank >= Action.OVERSEE and (g.is_national or g.region_code) for g in user_grants(request.user))


@cache_page_until_change
def regulation_list_view(request: HttpRequest) -> HttpResponse:
    """The regulations the user may read: national rules, and those of the regions they work in."""
    f = RegulationFilter(request.GET, queryset=regulation_list(user=request.user))
    if request.GET.get("format") in ("csv", "xlsx"):
        headers = ["Jenis", "Nomor", "Tahun", "Judul", "Wilayah penerbit", "Status", "Diubah/dicabut oleh"]
        rows = (
            [
                r.get_kind_display(),
                r.number,
                r.year,
                r.title,
                r.region.name if r.region else "Nasional",
                r.get_status_display(),
                str(r.amended_by or ""),
            ]
            for r in f.qs
        )
        return export_response(Table("Peraturan", headers, rows), request.GET["format"], "peraturan")
    ctx = list_context(request, f)
    ctx["can_create"] = _may_write_regulations(request)
    return render_page(request, "finance/regulation_list.html", ctx, fragment="results")


def _regulation(request: HttpRequest, pk: int) -> Regulation:
    return get_scoped_object(regulation_list(user=request.user), request.user, "view", pk=pk)


def regulation_detail(request: HttpRequest, pk: int, **bound: Any) -> HttpResponse:
    """A regulation: its articles, status, file and history; what amends it."""
    reg = _regulation(request, pk)
    ctx = {
        "reg": reg,
        "articles": reg.articles.all(),
        "amends": Regulation.objects.for_user(request.user, "view").filter(amended_by=reg),
        "can_edit": Regulation.objects.for_user(request.user, "edit").filter(pk=reg.pk).exists(),
        "article_form": ArticleForm(),
        "history": history_for(reg),
        **bound,
    }
    return render_page(request, "finance/regulation_detail.html", ctx, status=422 if bound else 200)


def regulation_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a regulation, or change one (its status: amended, revoked)."""
    reg = _regulation(request, pk) if pk else None
    if reg is not None and not Regulation.objects.for_user(request.user, "edit").filter(pk=reg.pk).exists():
        raise PermissionDenied
    if reg is None and not _may_write_regulations(request):
        raise PermissionDenied
    posted = request.method == "POST"
    form = RegulationForm(
        request.POST if posted else None, request.FILES if posted else None, instance=reg, user=request.user
    )
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if reg:
                reg = budget_services.regulation_update(
                    actor=request.user, regulation=reg, data=data, version=form.cleaned_data.get("version")
                )
            else:
                reg = budget_services.regulation_create(actor=request.user, data=data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(reg)s disimpan.") % {"reg": reg})
            return redirect(reg)
    return render_page(
        request, "finance/regulation_form.html", {"form": form, "reg": reg}, status=422 if posted else 200
    )


@require_POST
def article_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an article with its summary."""
    reg = _regulation(request, pk)
    form = ArticleForm(request.POST)
    if form.is_valid():
        try:
            budget_services.article_add(actor=request.user, regulation=reg, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Pasal ditambahkan."))
            return redirect(reg)
    return regulation_detail(request, pk, article_form=form)


def regulation_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream the PDF of a regulation the user may read."""
    reg = _regulation(request, pk)
    if not reg.file:
        raise Http404
    try:
        return FileResponse(reg.file.open("rb"), filename=reg.file.name.rsplit("/", 1)[-1])
    except FileNotFoundError as exc:
        raise Http404 from exc


# --- Budgets --------------------------------------------------------------------------------------------------


@cache_page_until_change
def budget_list_view(request: HttpRequest) -> HttpResponse:
    """Budgets (every revision) the user may see: filter and download."""
    f = BudgetFilter(request.GET, queryset=budget_list(user=request.user))
    if request.GET.get("format") in ("csv", "xlsx"):
        headers = ["Pos", "Tahun", "Revisi", "Status", "Pagu (Rp)", "Disetujui oleh", "Disetujui pada"]
        rows = (
            [
                b.post.name,
                b.year,
                b.revision,
                b.get_state_display(),
                b.pagu or 0,
                str(b.approved_by or ""),
                timezone.localtime(b.approved_at).replace(tzinfo=None) if b.approved_at else "",
            ]
            for b in f.qs
        )
        return export_response(Table("Anggaran", headers, rows), request.GET["format"], "anggaran")
    return render_page(request, "finance/budget_list.html", list_context(request, f), fragment="results")


def budget_create(request: HttpRequest, post_id: int) -> HttpResponse:
    """Start the draft budget of a year (post staff or above)."""
    post = scoped_post(request, post_id, "edit")
    posted = request.method == "POST"
    form = BudgetForm(request.POST if posted else None, initial={"year": timezone.localdate().year})
    if posted and form.is_valid():
        try:
            budget = budget_services.budget_create(actor=request.user, post=post, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect(budget)
    return render_page(request, "finance/budget_form.html", {"form": form, "post": post}, status=422 if posted else 200)


def _budget(request: HttpRequest, pk: int, action: str = "view") -> Budget:
    return get_scoped_object(budget_list(user=request.user), request.user, action, pk=pk)


def budget_detail(request: HttpRequest, pk: int, **bound: Any) -> HttpResponse:
    """A budget: its lines with their legal basis and realisation, its revisions; add lines, approve, revise."""
    budget = _budget(request, pk)
    post = budget.post
    ctx = {
        "budget": budget,
        "post": post,
        "lines": budget.lines.select_related("account", "regulation", "article"),
        "report": realisation(post, dt.date(budget.year, 1, 1), dt.date(budget.year, 12, 31)),
        "revisions": Budget.objects.for_user(request.user, "view")
        .filter(post=post, year=budget.year)
        .select_related("approved_by")
        .order_by("revision"),
        "can_edit": can(request, post, Action.EDIT),
        "can_manage": can(request, post, Action.MANAGE),
        "line_form": BudgetLineForm(user=request.user, post=post),
        "history": history_for(budget),
        **bound,
    }
    return render_page(request, "finance/budget_detail.html", ctx, status=422 if bound else 200)


@require_POST
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a ceiling to a draft budget."""
    budget = _budget(request, pk, "edit")
    form = BudgetLineForm(request.POST, user=request.user, post=budget.post)
    if form.is_valid():
        try:
            budget_services.budget_line_add(actor=request.user, budget=budget, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Rincian ditambahkan."))
            return redirect(budget)
    return budget_detail(request, pk, line_form=form)


@require_POST
def budget_line_remove(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    """Remove a ceiling from a draft budget."""
    budget = _budget(request, pk, "edit")
    line = BudgetLine.objects.for_user(request.user, "edit").filter(budget=budget, pk=line_id).first()
    if line is None:
        raise Http404
    try:
        budget_services.budget_line_remove(actor=request.user, line=line)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(budget)


@require_POST
def budget_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a draft budget (post manager)."""
    budget = _budget(request, pk, "manage")
    try:
        budget_services.budget_approve(actor=request.user, budget=budget, version=_version(request))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Anggaran disetujui."))
    return redirect(budget)


@require_POST
def budget_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a revision of an approved budget."""
    budget = _budget(request, pk, "edit")
    try:
        draft = budget_services.budget_revise(
            actor=request.user, budget=budget, note=request.POST.get("note", "")[:2000]
        )
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(budget)
    messages.success(request, _("Draf revisi dibuat."))
    return redirect(draft)


@require_POST
def budget_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft budget made by mistake."""
    budget = _budget(request, pk, "edit")
    try:
        budget_services.budget_remove(actor=request.user, budget=budget)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(budget)
    messages.success(request, _("Draf anggaran dihapus."))
    return redirect("finance:post_finance", budget.post_id)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version") or 0) or None
    except ValueError:
        return None
