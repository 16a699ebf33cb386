"""Import a Bintek's participants from Excel or CSV (dry run first)."""

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
from posyantek.core.scoping import get_scoped_object
from posyantek.core.sheets import read_sheet
from posyantek.trainings.importers import participant_import as run_import
from posyantek.trainings.importers import template_headers
from posyantek.trainings.selectors import bintek_list

SESSION_KEY = "bintek_participant_upload"


ImportForm = RegisterUploadForm


def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Check an upload of participants (dry run, every bad cell by row and column), then import it all or nothing."""
    bintek = get_scoped_object(bintek_list(user=request.user), request.user, "edit", pk=pk)
    if request.GET.get("template") in EXPORTERS:
        return export_response(Table("Peserta", template_headers(), []), request.GET["template"], "templat-peserta")
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    ctx: dict[str, Any] = {"bintek": bintek}
    if posted and form.is_valid():
        upload = take_upload(request, form, session_key=SESSION_KEY, owner=bintek.pk)
        if upload is None:
            return render_page(request, "trainings/participant_import.html", {**ctx, "form": form, "result": None})
        key, name, content = upload
        commit = request.POST.get("action") == "import"
        try:
            result = run_import(actor=request.user, bintek=bintek, sheet=read_sheet(content, name), dry_run=not commit)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if commit and not result.dry_run:
                request.session.pop(SESSION_KEY, None)
                n = len(result.rows)
                messages.success(request, ngettext("%(n)s peserta diimpor.", "%(n)s peserta diimpor.", n) % {"n": n})
                return redirect("trainings:participant_list", pk=bintek.pk)
            form = ImportForm(initial={"upload": key})
    return render_page(request, "trainings/participant_import.html", {**ctx, "form": form, "result": result})
