"""Staff pages of partners, under /kemitraan/mitra/: list, form, detail with contacts, agreements and visits.

Agreements are in `agreement_views.py`, the register import in `import_views.py`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import get_scoped_object, user_can
from posyantek.core.selectors import history_for
from posyantek.partnerships import services
from posyantek.partnerships.filters import PartnerFilter
from posyantek.partnerships.forms import ContactForm, PartnerForm, RegionPickForm
from posyantek.partnerships.models import Partner, PartnerContact
from posyantek.partnerships.selectors import can_create, partner_agreements, partner_list, partner_visits

#: Headings of the list's export; the import reads the same ones.
EXPORT_HEADERS = ["Nama", "Jenis", "Pos", "Kode wilayah mitra", "Wilayah mitra", "Posyantek mitra", "Alamat",
                  "Telepon", "E-mail", "Situs web", "Catatan", "Kontak", "Kerja sama"]  # fmt: skip


def _partner(request: HttpRequest, pk: int, action: str = "view") -> Partner:
    return get_scoped_object(partner_list(user=request.user), request.user, action, pk=pk)


def add_errors(form: Any, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's errors next to the form's fields (or above the form for the others)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errs in exc.message_dict.items():
        field = (aliases or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errs)


def _export(qs: Any, fmt: str) -> HttpResponse:
    rows = ([p.name, p.get_kind_display(), p.post.name, p.home_region_id or "",
             p.home_region.name if p.home_region else "", p.other_post.name if p.other_post else "", p.address,
             p.phone_display, p.email, p.website, p.notes, p.n_contacts, p.n_agreements] for p in qs)  # fmt: skip
    return export_response(Table("Mitra", EXPORT_HEADERS, rows), fmt, "mitra")


@cache_page_until_change
def partner_list_view(request: HttpRequest) -> HttpResponse:
    """List the partners the user may see; filter by kind and post, search by name, page and download."""
    f = PartnerFilter(request.GET, queryset=partner_list(user=request.user), request=request)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(f.qs, request.GET["format"])
    ctx = list_context(request, f)
    ctx["can_create"] = can_create(request.user)
    return render_page(request, "partnerships/partner_list.html", ctx, fragment="results")


def partner_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a partner, or change its details."""
    partner = _partner(request, pk, "edit") if pk else None
    if partner is None and not can_create(request.user):
        raise PermissionDenied
    posted = request.method == "POST"
    if posted and request.POST.get("action") == "wilayah":  # without JavaScript: the province's kabupaten/kota
        form = PartnerForm(initial=request.POST.dict(), instance=partner, user=request.user)
        posted = False
    else:
        form = PartnerForm(request.POST if posted else None, instance=partner, user=request.user)
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "province", "regency")}
        try:
            if partner:
                partner = services.partner_update(actor=request.user, partner=partner, data=data,
                                                  version=form.cleaned_data.get("version"))  # fmt: skip
            else:
                partner = services.partner_create(actor=request.user, data=data)
        except ValidationError as exc:
            add_errors(form, exc, {"home_region": "regency"})
        else:
            messages.success(request, _("%(name)s disimpan.") % {"name": partner})
            return redirect(partner)
    return render_page(request, "partnerships/partner_form.html", {"form": form, "partner": partner})


@require_GET
def region_options(request: HttpRequest) -> HttpResponse:
    """The kabupaten/kota of the province picked in a partner form (an htmx fragment)."""
    form = RegionPickForm(initial={"province": request.GET.get("province", "")[:13]})
    return render(request, "partnerships/_region.html", {"form": form})


def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a partner: details, contacts, its agreements, visits with it, history."""
    return _detail(request, _partner(request, pk))


def _detail(request: HttpRequest, partner: Partner, **bound: Any) -> HttpResponse:
    ctx: dict[str, Any] = {
        "partner": partner,
        "contacts": partner.contacts.all(),
        "agreements": partner_agreements(user=request.user, partner=partner),
        "visits": partner_visits(user=request.user, partner=partner),
        "can_edit": user_can(request.user, partner, "edit"),
        "contact_form": ContactForm(),
        "history": history_for(partner),
    }
    ctx.update(bound)
    failed = any(getattr(form, "errors", None) for form in bound.values())
    return render_page(request, "partnerships/partner_detail.html", ctx, status=422 if failed else 200)


def _contact(request: HttpRequest, partner: Partner, cpk: int) -> PartnerContact:
    qs = PartnerContact.objects.for_user(request.user, "view").filter(partner=partner).select_related("partner")
    return get_scoped_object(qs, request.user, "edit", pk=cpk)


@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person at the partner."""
    partner = _partner(request, pk, "edit")
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_add(actor=request.user, partner=partner, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Kontak ditambahkan."))
            return redirect(partner)
    return _detail(request, partner, contact_form=form)


def contact_edit(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    """Change a contact's name, position, phone or e-mail."""
    partner = _partner(request, pk, "edit")
    contact = _contact(request, partner, cpk)
    posted = request.method == "POST"
    form = ContactForm(request.POST if posted else None, instance=contact)
    if posted and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Kontak diperbarui."))
            return redirect(partner)
    ctx = {"form": form, "back": partner, "title": _("Ubah kontak %(name)s") % {"name": contact.name}}
    return render_page(request, "partnerships/child_form.html", ctx)


@require_POST
def contact_remove(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    """Remove a contact."""
    partner = _partner(request, pk, "edit")
    services.contact_remove(actor=request.user, contact=_contact(request, partner, cpk))
    messages.success(request, _("Kontak dihapus."))
    return redirect(partner)
