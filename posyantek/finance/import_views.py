"""Import a post's cash-book register from Excel or CSV (dry run first)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext

from posyantek.core.exports import EXPORTERS, Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.imports import RegisterUploadForm, take_upload
from posyantek.core.sheets import read_sheet
from posyantek.finance.importers import entry_import, template_headers
from posyantek.finance.views import scoped_post

SESSION_KEY = "finance_entry_upload"


ImportForm = RegisterUploadForm


def entry_import_view(request: HttpRequest, post_id: int) -> HttpResponse:
    """Check an upload of cash-book rows (dry run, every bad cell by row and column), then post it all or nothing."""
    post = scoped_post(request, post_id, "edit")
    if request.GET.get("template") in EXPORTERS:
        return export_response(Table("Buku kas", template_headers(), []), request.GET["template"], "templat-buku-kas")
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    ctx: dict[str, Any] = {"post": post}
    if posted and form.is_valid():
        upload = take_upload(request, form, session_key=SESSION_KEY, owner=post.pk)
        if upload is None:
            return render_page(request, "finance/entry_import.html", {**ctx, "form": form, "result": None})
        key, name, content = upload
        commit = request.POST.get("action") == "import"
        try:
            result = entry_import(actor=request.user, post=post, sheet=read_sheet(content, name), dry_run=not commit)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if commit and not result.dry_run:
                request.session.pop(SESSION_KEY, None)
                n = len(result.rows)
                messages.success(request, ngettext("%(n)s entri dicatat.", "%(n)s entri dicatat.", n) % {"n": n})
                return redirect(f"/keuangan/kas/?post={post.pk}")
            form = ImportForm(initial={"upload": key})
    return render_page(request, "finance/entry_import.html", {**ctx, "form": form, "result": result})
