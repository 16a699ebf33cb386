"""Innovator pages: list, register, detail with needs, edit, and the potential map."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.catalog import services
from posyantek.catalog.filters import InnovatorFilter
from posyantek.catalog.forms import InnovatorForm, NeedForm
from posyantek.catalog.selectors import innovator_list, need_list, potential_map
from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, user_can, user_grants
from posyantek.core.selectors import history_for
from posyantek.regions.selectors import region_ancestors, region_get


def _can_register(request: HttpRequest) -> bool:
    return any(g.rank >= Action.EDIT for g in user_grants(request.user))


@cache_page_until_change
def innovator_list_view(request: HttpRequest) -> HttpResponse:
    """List the innovators the user may see: filter, search, page, export."""
    f = InnovatorFilter(request.GET, queryset=innovator_list(user=request.user).order_by("-pk"))
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = ((str(i), i.get_kind_display(), i.region_id, i.region.name, i.post.name, i.get_sector_display(),
                 i.skills, "; ".join(m.name for m in i.members.all()), i.open_needs)
                for i in f.qs.prefetch_related("members"))  # fmt: skip
        headers = ["Nama", "Jenis", "Kode wilayah", "Wilayah", "Pos pembina", "Bidang", "Keahlian", "Anggota",
                   "Kebutuhan terbuka"]  # fmt: skip
        return export_response(Table("Inovator", headers, rows), request.GET["format"], "inovator")
    ctx = list_context(request, f)
    ctx["can_create"] = _can_register(request)
    return render_page(request, "catalog/innovator_list.html", ctx, fragment="results")


def innovator_create(request: HttpRequest) -> HttpResponse:
    """Register an innovator under a post the user works for."""
    if not _can_register(request):
        raise PermissionDenied
    form = InnovatorForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            innovator = services.innovator_create(actor=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Inovator %(name)s dicatat.") % {"name": innovator})
            return redirect(innovator)
    return render_page(request, "catalog/innovator_form.html", {"form": form, "innovator": None})


def innovator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an innovator, what they lack, and let those who may edit add a need."""
    innovator = get_scoped_object(innovator_list(user=request.user), request.user, "view", pk=pk)
    can_edit = user_can(request.user, innovator, "edit")
    form = NeedForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.need_add(actor=request.user, innovator=innovator, data=data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Kebutuhan dicatat."))
                return redirect(innovator)
    ctx = {
        "innovator": innovator,
        "needs": innovator.needs.all(),
        "members": innovator.members.select_related("region"),
        "form": form,
        "can_edit": can_edit,
        "history": history_for(innovator),
    }
    return render_page(request, "catalog/innovator_detail.html", ctx)


def innovator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an innovator's record."""
    innovator = get_scoped_object(innovator_list(user=request.user), request.user, "edit", pk=pk)
    form = InnovatorForm(request.POST if request.method == "POST" else None, instance=innovator, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            innovator = services.innovator_update(
                actor=request.user, innovator=innovator, data=data, version=form.cleaned_data.get("version")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect(innovator)
    return render_page(request, "catalog/innovator_form.html", {"form": form, "innovator": innovator})


@require_POST
def need_update(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    """Move a need along and say who helps."""
    need = get_scoped_object(need_list(user=request.user), request.user, "edit", pk=need_pk, innovator_id=pk)
    form = NeedForm(request.POST, instance=need)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.need_update(actor=request.user, need=need, data=data, version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Kebutuhan diperbarui."))
    else:
        messages.error(request, _("Periksa isian kebutuhan."))
    return redirect(need.innovator)


@cache_page_until_change
def potential_map_view(request: HttpRequest) -> HttpResponse:
    """Innovators and unmet needs by area and by sector, within the user's scope."""
    code = request.GET.get("wilayah", "").strip()
    region = region_get(code) if code else None
    post_id = request.GET.get("pos")
    data = potential_map(user=request.user, region=region, post_id=int(post_id) if (post_id or "").isdigit() else None)
    ctx = {"map": data, "ancestors": region_ancestors(region) if region else [], "code": code}
    return render_page(request, "catalog/potential_map.html", ctx)
