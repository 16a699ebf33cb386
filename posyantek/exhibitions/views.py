"""Staff pages of exhibitions and roadshows, under /pameran/: list, plan, states, products, costs, visitors,
leads, offers, and the report per event (page, PDF, spreadsheet)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, user_can, user_grants
from posyantek.core.selectors import history_for
from posyantek.exhibitions import services
from posyantek.exhibitions.filters import ExhibitionFilter
from posyantek.exhibitions.forms import (
    CostForm,
    ExhibitionForm,
    LeadForm,
    OfferForm,
    ProductForm,
    QuantityForm,
    RegionPickForm,
    StateForm,
    VisitorsForm,
)
from posyantek.exhibitions.models import CooperationOffer, Exhibition, ExhibitionCost, ExhibitionProduct, Lead
from posyantek.exhibitions.report import ReportXlsx, report_pdf_response
from posyantek.exhibitions.selectors import exhibition_list, exhibition_report

ORDER = services.ORDER


def _exhibition(request: HttpRequest, pk: int, action: str = "view") -> Exhibition:
    return get_scoped_object(exhibition_list(user=request.user), request.user, action, pk=pk)


#: Service keys that a form shows under another field.
FORM_FIELD = {"region": "regency"}


def _add_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errs in exc.message_dict.items():
        field = FORM_FIELD.get(field, field)
        form.add_error(field if field in form.fields else None, errs)


def _lead_problems(request: HttpRequest, ex: Exhibition, form: LeadForm, lead: Lead | None = None) -> None:
    """Add the service's findings on the fields the form let through, so every error shows in one round."""
    problems = services.lead_problems(actor=request.user, exhibition=ex, data=form.cleaned_data, lead=lead)
    for field, errs in problems.items():
        field = FORM_FIELD.get(field, field)
        if field not in form.errors:
            form.add_error(field if field in form.fields else None, errs)


def _export(qs: Any, fmt: str) -> HttpResponse:
    headers = ["Nama acara", "Jenis", "Tingkat", "Pos", "Tanggal mulai", "Tanggal selesai", "Tempat",
               "Kode wilayah tempat", "Wilayah tempat", "Penyelenggara", "Tahap", "Pengunjung", "Calon pembeli",
               "Biaya (Rp)"]  # fmt: skip
    rows = ([e.name, e.get_kind_display(), e.get_level_display(), e.post.name, e.starts_on, e.ends_on, e.venue,
             e.venue_region_id or "", e.venue_region.name if e.venue_region else "", e.organiser,
             e.get_state_display(), e.visitors, e.n_leads, e.cost_total] for e in qs)  # fmt: skip
    return export_response(Table("Pameran", headers, rows), fmt, "pameran")


@cache_page_until_change
def exhibition_list_view(request: HttpRequest) -> HttpResponse:
    """List the events the user may see; filter, search, page and download."""
    f = ExhibitionFilter(request.GET, queryset=exhibition_list(user=request.user), request=request)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(f.qs, request.GET["format"])
    ctx = list_context(request, f)
    ctx["can_create"] = any(g.rank >= Action.EDIT for g in user_grants(request.user))
    return render_page(request, "exhibitions/exhibition_list.html", ctx, fragment="results")


def exhibition_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Plan an exhibition or roadshow, or change its plan."""
    ex = _exhibition(request, pk, "edit") if pk else None
    if ex is None and not any(g.rank >= Action.EDIT for g in user_grants(request.user)):
        raise PermissionDenied
    posted = request.method == "POST"
    form = ExhibitionForm(request.POST if posted else None, instance=ex, user=request.user)
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if ex:
                ex = services.exhibition_update(actor=request.user, exhibition=ex, data=data,
                                                version=form.cleaned_data.get("version"))  # fmt: skip
            else:
                ex = services.exhibition_create(actor=request.user, data=data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s disimpan.") % {"name": ex})
            return redirect(ex)
    return render_page(request, "exhibitions/exhibition_form.html", {"form": form, "exhibition": ex})


def exhibition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an event: plan, states, products, costs, visitors, leads, offers, orders taken there, history."""
    return _detail(request, _exhibition(request, pk))


def _detail(request: HttpRequest, ex: Exhibition, **bound: Any) -> HttpResponse:
    """Render the event's page; a form that failed comes back bound, with its errors next to its fields."""
    following = ORDER[ORDER.index(ex.state) + 1] if ex.state in ORDER[:-1] else None
    ctx: dict[str, Any] = {
        "ex": ex,
        "report": exhibition_report(user=request.user, exhibition=ex),
        "steps": ex.steps.select_related("actor"),
        "costs": ex.costs.all(),
        "leads": ex.leads.select_related("region", "product", "order"),
        "offers": ex.offers.all(),
        "can_edit": user_can(request.user, ex, "edit"),
        "next_state": following and Exhibition.State(following),
        "can_cancel": ex.state not in (Exhibition.State.DONE, Exhibition.State.CANCELLED),
        "started": ex.state in services.STARTED,
        "products_open": ex.state not in (Exhibition.State.DONE, Exhibition.State.CANCELLED),
        "visitors_form": VisitorsForm(initial={"visitors": ex.visitors, "version": ex.version}),
        "product_form": ProductForm(user=request.user, exhibition=ex),
        "cost_form": CostForm(),
        "lead_form": LeadForm(user=request.user, exhibition=ex),
        "offer_form": OfferForm(),
        "history": history_for(ex),
    }
    ctx.update(bound)
    failed = any(getattr(form, "errors", None) for form in bound.values())
    return render_page(request, "exhibitions/exhibition_detail.html", ctx, fragment="leads",
                       status=422 if failed else 200)  # fmt: skip


@require_POST
def exhibition_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the event to its next state, or cancel it."""
    ex = _exhibition(request, pk, "edit")
    form = StateForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            services.exhibition_advance(actor=request.user, exhibition=ex, state=data["state"], note=data["note"],
                                        version=data["version"])  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Tahap diperbarui."))
    else:
        messages.error(request, _("Tahap tidak dikenal."))
    return redirect(ex)


@require_POST
def exhibition_visitors(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the number of stand visitors."""
    ex = _exhibition(request, pk, "edit")
    form = VisitorsForm(request.POST)
    if form.is_valid():
        try:
            services.exhibition_record_visitors(actor=request.user, exhibition=ex,
                                                visitors=form.cleaned_data["visitors"],
                                                version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
            return _detail(request, ex, visitors_form=form)
        messages.success(request, _("Jumlah pengunjung disimpan."))
        return redirect(ex)
    return _detail(request, ex, visitors_form=form)


@require_POST
def product_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a product of the post to the list of products taken."""
    ex = _exhibition(request, pk, "edit")
    form = ProductForm(request.POST, user=request.user, exhibition=ex)
    if form.is_valid():
        try:
            services.product_add(actor=request.user, exhibition=ex, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return _detail(request, ex, product_form=form)
        messages.success(request, _("Produk ditambahkan."))
        return redirect(ex)
    return _detail(request, ex, product_form=form)


@require_POST
def cost_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a cost of the event."""
    ex = _exhibition(request, pk, "edit")
    form = CostForm(request.POST)
    if form.is_valid():
        try:
            services.cost_add(actor=request.user, exhibition=ex, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return _detail(request, ex, cost_form=form)
        messages.success(request, _("Biaya dicatat."))
        return redirect(ex)
    return _detail(request, ex, cost_form=form)


@require_POST
def lead_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a lead met at the event."""
    ex = _exhibition(request, pk, "edit")
    if request.POST.get("action") == "wilayah":  # without JavaScript: show the province's kabupaten/kota
        form = LeadForm(initial=request.POST.dict(), user=request.user, exhibition=ex)
        return _detail(request, ex, lead_form=form, lead_open=True)
    form = LeadForm(request.POST, user=request.user, exhibition=ex)
    if not form.is_valid():
        _lead_problems(request, ex, form)
        return _detail(request, ex, lead_form=form)
    try:
        services.lead_add(actor=request.user, exhibition=ex, data=form.cleaned_data)
    except ValidationError as exc:
        _add_errors(form, exc)
        return _detail(request, ex, lead_form=form)
    messages.success(request, _("Calon pembeli dicatat."))
    return redirect(ex)


@require_GET
def region_options(request: HttpRequest) -> HttpResponse:
    """The kabupaten/kota of the province picked in a lead form (an htmx fragment)."""
    form = RegionPickForm(initial={"province": request.GET.get("province", "")[:13]})
    return render(request, "exhibitions/_lead_fields.html#region", {"form": form})


@require_POST
def offer_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a cooperation offer received at the event."""
    ex = _exhibition(request, pk, "edit")
    form = OfferForm(request.POST)
    if form.is_valid():
        try:
            services.offer_add(actor=request.user, exhibition=ex, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return _detail(request, ex, offer_form=form)
        messages.success(request, _("Tawaran kerja sama dicatat."))
        return redirect(ex)
    return _detail(request, ex, offer_form=form)


CHILDREN = {"produk": ExhibitionProduct, "biaya": ExhibitionCost, "calon-pembeli": Lead, "kerja-sama": CooperationOffer}


def _child(request: HttpRequest, ex: Exhibition, kind: str, obj: int) -> Any:
    if kind not in CHILDREN:
        raise Http404
    qs = CHILDREN[kind].objects.for_user(request.user, "view").filter(exhibition=ex)
    return get_scoped_object(qs, request.user, "edit", pk=obj)


@require_POST
def item_remove(request: HttpRequest, pk: int, kind: str, obj: int) -> HttpResponse:
    """Remove a product taken, a cost, a lead or an offer recorded by mistake."""
    ex = _exhibition(request, pk, "edit")
    item = _child(request, ex, kind, obj)
    remove = {"produk": services.product_remove, "biaya": services.cost_remove, "calon-pembeli": services.lead_remove,
              "kerja-sama": services.offer_remove}[kind]  # fmt: skip
    key = {"produk": "item", "biaya": "cost", "calon-pembeli": "lead", "kerja-sama": "offer"}[kind]
    try:
        remove(actor=request.user, **{key: item})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Dihapus."))
    return redirect(ex)


@require_POST
def lead_follow_up(request: HttpRequest, pk: int, lpk: int) -> HttpResponse:
    """Mark a lead followed up (or not yet); htmx gets the leads table back."""
    ex = _exhibition(request, pk, "edit")
    lead = _child(request, ex, "calon-pembeli", lpk)
    try:
        services.lead_update(actor=request.user, lead=lead, data={"followed_up": request.POST.get("done") == "1"})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:  # type: ignore[attr-defined]
        return _detail(request, ex)
    return redirect(ex)


def lead_edit(request: HttpRequest, pk: int, lpk: int) -> HttpResponse:
    """Change a lead: contact, interest, follow-up, the order it became."""
    ex = _exhibition(request, pk, "edit")
    lead = _child(request, ex, "calon-pembeli", lpk)
    posted = request.method == "POST"
    if posted and request.POST.get("action") == "wilayah":  # without JavaScript: the province's kabupaten/kota
        form = LeadForm(initial=request.POST.dict(), instance=lead, user=request.user, exhibition=ex)
        posted = False
    else:
        form = LeadForm(request.POST if posted else None, instance=lead, user=request.user, exhibition=ex)
    if posted and not form.is_valid():
        _lead_problems(request, ex, form, lead)
    elif posted:
        try:
            services.lead_update(actor=request.user, lead=lead, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Calon pembeli diperbarui."))
            return redirect(ex)
    ctx = {"form": form, "ex": ex, "title": _("Ubah calon pembeli"), "fields": "exhibitions/_lead_fields.html"}
    return render_page(request, "exhibitions/child_form.html", ctx)


def offer_edit(request: HttpRequest, pk: int, opk: int) -> HttpResponse:
    """Change a cooperation offer: value, description, status."""
    ex = _exhibition(request, pk, "edit")
    offer = _child(request, ex, "kerja-sama", opk)
    posted = request.method == "POST"
    form = OfferForm(request.POST if posted else None, instance=offer)
    if posted and form.is_valid():
        try:
            services.offer_update(actor=request.user, offer=offer, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Tawaran kerja sama diperbarui."))
            return redirect(ex)
    title = _("Ubah tawaran kerja sama")
    return render_page(request, "exhibitions/child_form.html", {"form": form, "ex": ex, "title": title})


def product_edit(request: HttpRequest, pk: int, ppk: int) -> HttpResponse:
    """Change how many units of a product are taken."""
    ex = _exhibition(request, pk, "edit")
    item = _child(request, ex, "produk", ppk)
    posted = request.method == "POST"
    form = QuantityForm(request.POST if posted else None, initial={"quantity": item.quantity, "note": item.note})
    if posted and form.is_valid():
        try:
            services.product_update(actor=request.user, item=item, quantity=form.cleaned_data["quantity"],
                                    note=form.cleaned_data["note"])  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Jumlah produk diperbarui."))
            return redirect(ex)
    title = _("Ubah jumlah %(p)s") % {"p": item.product}
    return render_page(request, "exhibitions/child_form.html", {"form": form, "ex": ex, "title": title})


# --- Report ---------------------------------------------------------------------------------------------------


def exhibition_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the event's report: visitors, leads and follow-up, orders and their value, offers, costs, net."""
    ex = _exhibition(request, pk)
    ctx = {"ex": ex, "r": exhibition_report(user=request.user, exhibition=ex)}
    return render_page(request, "exhibitions/report.html", ctx)


def exhibition_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the event's report as PDF (503 with a message when PDF cannot be made here)."""
    ex = _exhibition(request, pk)
    return report_pdf_response(request, exhibition_report(user=request.user, exhibition=ex))


def exhibition_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the event's report as a workbook."""
    ex = _exhibition(request, pk)
    report = exhibition_report(user=request.user, exhibition=ex)
    exporter = ReportXlsx(report, list(ex.leads.select_related("region", "product", "order")), list(ex.offers.all()))
    response = HttpResponse(exporter.run(), content_type=exporter.mime_type)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename()}"'
    return response
