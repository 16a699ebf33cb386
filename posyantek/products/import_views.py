"""Import products from Excel or CSV (dry run first), under /produk/impor."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from posyantek.core.exports import EXPORTERS, Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.imports import RegisterUploadForm, take_upload
from posyantek.core.scoping import Action, user_grants
from posyantek.core.sheets import read_sheet
from posyantek.products.importers import product_import, template_headers

SESSION_KEY = "product_upload"


ImportForm = RegisterUploadForm


def product_import_view(request: HttpRequest) -> HttpResponse:
    """Check an upload of products (dry run, every bad cell by row and column), then import it all or nothing."""
    if not any(g.rank >= Action.EDIT for g in user_grants(request.user)):
        raise PermissionDenied
    if request.GET.get("template") in EXPORTERS:
        return export_response(Table(_("Produk"), template_headers(), []), request.GET["template"], "templat-produk")
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        upload = take_upload(request, form, session_key=SESSION_KEY, owner=None)
        if upload is None:
            return render_page(request, "products/product_import.html", {"form": form, "result": None}, status=422)
        key, name, content = upload
        commit = request.POST.get("action") == "import"
        try:
            result = product_import(actor=request.user, sheet=read_sheet(content, name), dry_run=not commit)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if commit and not result.dry_run:
                request.session.pop(SESSION_KEY, None)
                n = len(result.rows)
                messages.success(request, ngettext("%(n)s produk diimpor.", "%(n)s produk diimpor.", n) % {"n": n})
                return redirect("products:product_list")
            form = ImportForm(initial={"upload": key})
    return render_page(request, "products/product_import.html", {"form": form, "result": result})
