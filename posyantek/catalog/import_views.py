"""Import TTG records and innovators from Excel or CSV (dry run first), and the e-katalog export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext

from posyantek.catalog.exporters import ekatalog_table
from posyantek.catalog.importers import innovator_import, template_headers, ttg_import
from posyantek.catalog.ttg_selectors import ttg_list
from posyantek.core.exports import EXPORTERS, Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.imports import RegisterUploadForm, take_upload
from posyantek.core.scoping import Action, user_grants
from posyantek.core.sheets import read_sheet

#: The session key of the one pending upload, kept between the dry run and the import.
SESSION_KEY = "catalog_upload"


ImportForm = RegisterUploadForm


def _import_page(request: HttpRequest, kind: str) -> HttpResponse:
    """Check an upload (dry run, every bad cell by row and column), then import it all or nothing."""
    if not any(g.rank >= Action.EDIT for g in user_grants(request.user)):
        raise PermissionDenied
    if request.GET.get("template") in EXPORTERS:
        basename = "templat-impor-ttg" if kind == "ttg" else "templat-impor-inovator"
        title = "TTG" if kind == "ttg" else "Inovator"
        return export_response(Table(title, template_headers(kind), []), request.GET["template"], basename)
    run = ttg_import if kind == "ttg" else innovator_import
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        upload = take_upload(request, form, session_key=SESSION_KEY, owner=kind)
        if upload is None:
            return render_page(request, "catalog/import.html", {"form": form, "result": None, "kind": kind})
        key, name, content = upload
        commit = request.POST.get("action") == "import"
        try:
            result = run(actor=request.user, sheet=read_sheet(content, name), dry_run=not commit)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if commit and not result.dry_run:
                request.session.pop(SESSION_KEY, None)
                n = len(result.rows)
                if kind == "ttg":
                    messages.success(request, ngettext("%(n)s TTG diimpor sebagai draf.",
                                                       "%(n)s TTG diimpor sebagai draf.", n) % {"n": n})  # fmt: skip
                    return redirect("ttg:ttg_list")
                messages.success(request, ngettext("%(n)s inovator diimpor.", "%(n)s inovator diimpor.", n) % {"n": n})
                return redirect("catalog:innovator_list")
            form = ImportForm(initial={"upload": key})
    return render_page(request, "catalog/import.html", {"form": form, "result": result, "kind": kind})


def ttg_import_view(request: HttpRequest) -> HttpResponse:
    """Import technology records from Excel or CSV."""
    return _import_page(request, "ttg")


def innovator_import_view(request: HttpRequest) -> HttpResponse:
    """Import innovators from Excel or CSV."""
    return _import_page(request, "innovator")


def ttg_ekatalog_export(request: HttpRequest) -> HttpResponse:
    """Download the user's published records in the e-katalog layout (XLSX by default, or CSV)."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORTERS:
        fmt = "xlsx"
    table = ekatalog_table(ttg_list(user=request.user), base_url=request.build_absolute_uri("/"))
    return export_response(table, fmt, "e-katalog-ttg")
