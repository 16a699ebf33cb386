"""Import a post's cash-book register from Excel or CSV (dry run first)."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from posyantek.core.exports import EXPORTERS, Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.sheets import read_sheet
from posyantek.finance.importers import MAX_BYTES, entry_import, template_headers
from posyantek.finance.views import scoped_post

SESSION_KEY = "finance_entry_upload"


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas (.xlsx atau .csv, paling besar 5 MB)"), required=False)
    upload = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"

    def clean_file(self) -> Any:
        f = self.cleaned_data.get("file")
        if f and f.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar; batasnya 5 MB."))
        if f and not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Unggah berkas .xlsx atau .csv."))
        return f


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
        pending = request.session.get(SESSION_KEY) or {}
        upload = form.cleaned_data["file"]
        if upload:
            content, name, key = upload.read(), upload.name, secrets.token_urlsafe(12)
            request.session[SESSION_KEY] = {
                "post": post.pk,
                "key": key,
                "name": name,
                "data": base64.b64encode(content).decode(),
            }
        elif pending.get("post") == post.pk and form.cleaned_data["upload"] == pending.get("key"):
            key, name, content = pending["key"], pending["name"], base64.b64decode(pending["data"])
        else:
            form.add_error("file", _("Pilih berkas untuk diimpor."))
            return render_page(request, "finance/entry_import.html", {**ctx, "form": form, "result": None})
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
