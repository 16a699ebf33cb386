"""Staff pages of the marketing network (jejaring), under /jejaring/: list, detail, add, change, switch on/off."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, user_can, user_grants
from posyantek.core.selectors import history_for
from posyantek.network import services
from posyantek.network.filters import AgentFilter
from posyantek.network.forms import ActiveForm, AgentForm
from posyantek.network.models import Agent
from posyantek.network.selectors import agent_list, agent_orders, agent_sales

#: The export's headings, which the import reads back (importers.COLUMNS).
EXPORT_HEADERS = ["Nama", "Jenis", "Pos", "Pos mitra", "Narahubung", "Telepon", "E-mail", "Alamat",
                  "Kode wilayah pemasaran", "Wilayah pemasaran", "Aturan komisi", "Komisi (%)", "Komisi tetap (Rp)",
                  "Bergabung sejak", "Aktif", "Catatan"]  # fmt: skip


def export_rows(qs: Any) -> Any:
    """Yield one export row per agent, in EXPORT_HEADERS order."""
    for a in qs:
        yield [a.name, a.get_kind_display(), a.post.name, a.partner_post.name if a.partner_post else "",
               a.contact_person, a.phone_display, a.email, a.address, a.area_id or "",
               a.area.name if a.area else "", a.get_commission_rule_display(), float(a.commission_percent),
               a.commission_amount, a.joined_on, "ya" if a.active else "tidak", a.notes]  # fmt: skip


def _agent(request: HttpRequest, pk: int, action: str = "view") -> Agent:
    return get_scoped_object(agent_list(user=request.user), request.user, action, pk=pk)


def _can_create(request: HttpRequest) -> bool:
    return any(g.rank >= Action.EDIT for g in user_grants(request.user))


def _add_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


@cache_page_until_change
def agent_list_view(request: HttpRequest) -> HttpResponse:
    """List the agents the user may see; filter, search, page and download."""
    f = AgentFilter(request.GET, queryset=agent_list(user=request.user))
    if request.GET.get("format") in ("csv", "xlsx"):
        table = Table("Jejaring", EXPORT_HEADERS, export_rows(f.qs))
        return export_response(table, request.GET["format"], "jejaring")
    ctx = list_context(request, f)
    ctx["can_create"] = _can_create(request)
    return render_page(request, "network/agent_list.html", ctx, fragment="results")


def agent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an agent: contact, commission rule in words, the orders it brought and their totals, history."""
    agent = _agent(request, pk)
    orders = Paginator(agent_orders(user=request.user, agent=agent), 25).get_page(request.GET.get("page"))
    ctx = {
        "agent": agent,
        "sales": agent_sales(user=request.user, agent=agent),
        "page_obj": orders,
        "querystring_base": "",
        "can_edit": user_can(request.user, agent, "edit"),
        "history": history_for(agent),
    }
    return render_page(request, "network/agent_detail.html", ctx, fragment="orders")


def agent_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add an agent to a post's network, or change one."""
    agent = _agent(request, pk, "edit") if pk else None
    if agent is None and not _can_create(request):
        raise PermissionDenied
    posted = request.method == "POST"
    form = AgentForm(request.POST if posted else None, instance=agent, user=request.user)
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if agent:
                agent = services.agent_update(actor=request.user, agent=agent, data=data,
                                              version=form.cleaned_data.get("version"))  # fmt: skip
            else:
                agent = services.agent_create(actor=request.user, data=data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s disimpan.") % {"name": agent})
            return redirect(agent)
    return render_page(request, "network/agent_form.html", {"form": form, "agent": agent})


@require_POST
def agent_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Switch an agent on or off."""
    agent = _agent(request, pk, "edit")
    form = ActiveForm(request.POST)
    if form.is_valid():
        try:
            agent = services.agent_set_active(actor=request.user, agent=agent, active=form.cleaned_data["active"],
                                              version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s diaktifkan.") % {"name": agent} if agent.active
                             else _("%(name)s dinonaktifkan.") % {"name": agent})  # fmt: skip
    return redirect(agent)
