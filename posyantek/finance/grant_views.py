"""Staff pages of grants and their LPJ, and of assets (inventaris), under /keuangan/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object
from posyantek.core.selectors import history_for
from posyantek.finance import exports, grant_services
from posyantek.finance.filters import AssetFilter, GrantFilter
from posyantek.finance.forms import AssetForm, GrantForm
from posyantek.finance.models import Asset, Entry, Grant
from posyantek.finance.selectors import asset_list, board_member_name, grant_list, grant_lpj, grant_totals
from posyantek.finance.views import add_errors, can, create_for, filtered_post_id, flash_errors, scoped_post
from posyantek.posts.models import Officer

# --- Grants ---------------------------------------------------------------------------------------------------


@cache_page_until_change
def grant_list_view(request: HttpRequest) -> HttpResponse:
    """Grants the user may see, with what was disbursed and spent and when the LPJ is due."""
    f = GrantFilter(request.GET, queryset=grant_list(user=request.user))
    if request.GET.get("format") in ("csv", "xlsx"):
        headers = [
            "Pos",
            "Pemberi",
            "Sumber dana",
            "Tujuan",
            "Nilai (Rp)",
            "Cair (Rp)",
            "Terpakai (Rp)",
            "Mulai",
            "Selesai",
            "Batas LPJ",
            "LPJ disampaikan",
        ]
        rows = (
            [
                g.post.name,
                g.giver,
                g.get_source_display(),
                g.purpose,
                g.amount,
                g.disbursed,
                g.spent,
                g.starts_on,
                g.ends_on,
                g.report_due,
                g.lpj_submitted_on or "",
            ]
            for g in f.qs
        )
        return export_response(Table("Hibah", headers, rows), request.GET["format"], "hibah")
    ctx = list_context(request, f)
    ctx["today"] = timezone.localdate()
    ctx["create_for"] = create_for(request, filtered_post_id(f))
    return render_page(request, "finance/grant_list.html", ctx, fragment="results")


def _grant(request: HttpRequest, pk: int, action: str = "view") -> Grant:
    return get_scoped_object(grant_list(user=request.user), request.user, action, pk=pk)


def grant_form(request: HttpRequest, post_id: int | None = None, pk: int | None = None) -> HttpResponse:
    """Record a grant a post received, or change its details."""
    grant = _grant(request, pk, "edit") if pk else None
    post = grant.post if grant else scoped_post(request, post_id, "edit")
    posted = request.method == "POST"
    form = GrantForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        instance=grant,
        user=request.user,
        post=post,
    )
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if grant:
                data.pop("file", None)
                grant = grant_services.grant_update(
                    actor=request.user, grant=grant, data=data, version=form.cleaned_data.get("version")
                )
            else:
                grant = grant_services.grant_create(actor=request.user, data={**data, "post": post})
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Hibah disimpan."))
            return redirect(grant)
    return render_page(
        request, "finance/grant_form.html", {"form": form, "grant": grant, "post": post}, status=422 if posted else 200
    )


def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A grant: disbursements, spending with their receipts, what is left, the LPJ and its due date."""
    grant = _grant(request, pk)
    totals = grant_totals(grant)
    entries = (
        Entry.objects.for_user(request.user, "view")
        .filter(grant=grant)
        .select_related("account", "reversed_by")
        .order_by("date", "pk")
    )
    ctx = {
        "grant": grant,
        "post": grant.post,
        "totals": totals,
        "entries": entries,
        "assets": Asset.objects.for_user(request.user, "view").filter(grant=grant),
        "days_left": (grant.report_due - timezone.localdate()).days,
        "can_edit": can(request, grant.post, Action.EDIT),
        "can_manage": can(request, grant.post, Action.MANAGE),
        "history": history_for(grant),
    }
    return render_page(request, "finance/grant_detail.html", ctx)


def grant_lpj_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The grant's LPJ as XLSX or PDF on the post's letterhead; refused (422) while a receipt is missing."""
    grant = _grant(request, pk)
    if fmt not in ("pdf", "xlsx", "csv"):
        raise Http404
    try:
        lpj = grant_lpj(grant)
    except ValidationError as exc:
        return render_page(
            request,
            "error.html",
            {"code": 422, "title": _("LPJ belum dapat dibuat"), "message": " ".join(exc.messages)},
            status=422,
        )
    name = f"lpj-hibah-{grant.pk}"
    if fmt == "pdf":
        receipts = exports.receipt_attachments(lpj)
        signer = board_member_name(grant.post, Officer.Position.KETUA, timezone.localdate())
        ctx = {"post": grant.post, "lpj": lpj, "receipts": receipts, "signer": signer}
        return exports.pdf_response(
            request, "finance/pdf/lpj.html", ctx, name, attachments=exports.lpj_attachments(receipts)
        )
    return exports.table_response(exports.lpj_table(lpj), fmt, name)


@require_POST
def grant_lpj_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the LPJ as submitted (post manager)."""
    grant = _grant(request, pk, "manage")
    try:
        grant_services.grant_lpj_submit(actor=request.user, grant=grant)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("LPJ dicatat sudah disampaikan."))
    return redirect(grant)


def grant_file(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _grant(request, pk)
    if not grant.file:
        raise Http404
    try:
        return FileResponse(grant.file.open("rb"), filename=grant.file.name.rsplit("/", 1)[-1])
    except FileNotFoundError as exc:
        raise Http404 from exc


# --- Assets ---------------------------------------------------------------------------------------------------


@cache_page_until_change
def asset_list_view(request: HttpRequest) -> HttpResponse:
    """The inventory the user may see: filter and download."""
    f = AssetFilter(request.GET, queryset=asset_list(user=request.user))
    if request.GET.get("format") in ("csv", "xlsx"):
        headers = [
            "Pos",
            "Nama barang",
            "Jenis",
            "Asal",
            "Nilai (Rp)",
            "Tanggal perolehan",
            "Kondisi",
            "Lokasi",
            "Dipinjamkan kepada",
            "Entri kas",
            "Hibah",
        ]
        rows = (
            [
                a.post.name,
                a.name,
                a.get_kind_display(),
                a.get_origin_display(),
                a.value,
                a.acquired_on,
                a.get_condition_display(),
                a.location,
                a.lent_to,
                a.entry_id or "",
                str(a.grant or ""),
            ]
            for a in f.qs
        )
        return export_response(Table("Inventaris", headers, rows), request.GET["format"], "inventaris")
    ctx = list_context(request, f)
    ctx["create_for"] = create_for(request, filtered_post_id(f))
    return render_page(request, "finance/asset_list.html", ctx, fragment="results")


def _asset(request: HttpRequest, pk: int, action: str = "view") -> Asset:
    return get_scoped_object(asset_list(user=request.user), request.user, action, pk=pk)


def _asset_data(request: HttpRequest, form: AssetForm, post: Any) -> dict[str, Any]:
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "entry_no")}
    number = form.cleaned_data.get("entry_no")
    data["entry"] = (
        Entry.objects.for_user(request.user, "view").filter(post=post, pk=number).first() if number else None
    )
    if number and data["entry"] is None:
        raise ValidationError({"entry_no": [_("Entri #%(n)s tidak ada di buku kas pos ini.") % {"n": number}]})
    return data


def asset_form(request: HttpRequest, post_id: int | None = None, pk: int | None = None) -> HttpResponse:
    """Record an asset, or change it (condition, location, who it is lent to)."""
    asset = _asset(request, pk, "edit") if pk else None
    post = asset.post if asset else scoped_post(request, post_id, "edit")
    posted = request.method == "POST"
    form = AssetForm(request.POST if posted else None, instance=asset, user=request.user, post=post)
    if posted and form.is_valid():
        try:
            data = _asset_data(request, form, post)
            if asset:
                asset = grant_services.asset_update(
                    actor=request.user, asset=asset, data=data, version=form.cleaned_data.get("version")
                )
            else:
                asset = grant_services.asset_create(actor=request.user, data={**data, "post": post})
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s disimpan.") % {"name": asset})
            return redirect(asset)
    return render_page(
        request, "finance/asset_form.html", {"form": form, "asset": asset, "post": post}, status=422 if posted else 200
    )


def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An asset: acquisition, value, condition, location, loan; its history."""
    asset = _asset(request, pk)
    ctx = {
        "asset": asset,
        "post": asset.post,
        "can_edit": can(request, asset.post, Action.EDIT),
        "history": history_for(asset),
    }
    return render_page(request, "finance/asset_detail.html", ctx)
