"""Import a post's agents register from Excel or CSV (dry run first)."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyantek.core.exports import EXPORTERS, Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.scoping import Action, user_grants
from posyantek.core.sheets import read_sheet
from posyantek.network.importers import MAX_BYTES, template_headers
from posyantek.network.importers import agent_import as run_import
from posyantek.posts.models import Post

SESSION_KEY = "agent_upload"


class ImportForm(forms.Form):
    post = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Pos"))
    file = forms.FileField(label=gettext_lazy("Berkas (.xlsx atau .csv, paling besar 5 MB)"), required=False)
    upload = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.for_user(user, "edit").order_by("name")
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"

    def clean_file(self) -> Any:
        f = self.cleaned_data.get("file")
        if f and f.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar; batasnya 5 MB."))
        if f and not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Unggah berkas .xlsx atau .csv."))
        return f


def agent_import(request: HttpRequest) -> HttpResponse:
    """Check an upload of agents (dry run, every bad cell by row and column), then import it all or nothing."""
    if not any(g.rank >= Action.EDIT for g in user_grants(request.user)):
        raise PermissionDenied
    if request.GET.get("template") in EXPORTERS:
        return export_response(Table("Jejaring", template_headers(), []), request.GET["template"], "templat-jejaring")
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None, user=request.user)
    result = None
    if posted and form.is_valid():
        post = form.cleaned_data["post"]
        pending = request.session.get(SESSION_KEY) or {}
        upload = form.cleaned_data["file"]
        if upload:
            content, name, key = upload.read(), upload.name, secrets.token_urlsafe(12)
            request.session[SESSION_KEY] = {"post": post.pk, "key": key, "name": name,
                                            "data": base64.b64encode(content).decode()}  # fmt: skip
        elif pending.get("post") == post.pk and form.cleaned_data["upload"] == pending.get("key"):
            key, name, content = pending["key"], pending["name"], base64.b64decode(pending["data"])
        else:
            form.add_error("file", _("Pilih berkas untuk diimpor."))
            return render_page(request, "network/agent_import.html", {"form": form, "result": None})
        commit = request.POST.get("action") == "import"
        try:
            result = run_import(actor=request.user, post=post, sheet=read_sheet(content, name), dry_run=not commit)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if commit and not result.dry_run:
                request.session.pop(SESSION_KEY, None)
                messages.success(request, _("Impor selesai: %(new)s jejaring baru, %(changed)s diperbarui.")
                                 % {"new": result.created, "changed": result.updated})  # fmt: skip
                return redirect(f"{reverse('network:agent_list')}?post={post.pk}")
            form = ImportForm(initial={"upload": key, "post": post.pk}, user=request.user)
    return render_page(request, "network/agent_import.html", {"form": form, "result": result})
