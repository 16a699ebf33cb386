"""Import a post's partner register from Excel or CSV (dry run first)."""

from __future__ import annotations

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
from posyantek.core.imports import RegisterUploadForm, take_upload
from posyantek.core.sheets import read_sheet
from posyantek.partnerships.forms import own_posts
from posyantek.partnerships.importers import partner_import as run_import
from posyantek.partnerships.importers import template_headers
from posyantek.partnerships.selectors import can_create

SESSION_KEY = "partner_upload"


class ImportForm(RegisterUploadForm):
    post = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Pos"),
                                  help_text=gettext_lazy("Mitra dari berkas dicatat untuk pos ini."))  # fmt: skip
    field_order = ["post", "file", "upload"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own_posts(self, user, new=True)


def partner_import(request: HttpRequest) -> HttpResponse:
    """Check an upload of partners (dry run, every bad cell by row and column), then import it all or nothing."""
    if not can_create(request.user):
        raise PermissionDenied
    if request.GET.get("template") in EXPORTERS:
        return export_response(Table("Mitra", template_headers(), []), request.GET["template"], "templat-mitra")
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None, user=request.user)
    result = None
    if posted and form.is_valid():
        post = form.cleaned_data["post"]
        upload = take_upload(request, form, session_key=SESSION_KEY, owner=post.pk)
        if upload is None:
            return render_page(request, "partnerships/partner_import.html", {"form": form, "result": None})
        key, name, content = upload
        commit = request.POST.get("action") == "import"
        try:
            result = run_import(actor=request.user, post=post, sheet=read_sheet(content, name), dry_run=not commit)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if commit and not result.dry_run:
                request.session.pop(SESSION_KEY, None)
                messages.success(request, _("Impor selesai: %(new)s mitra baru, %(changed)s diperbarui.")
                                 % {"new": result.created, "changed": result.updated})  # fmt: skip
                return redirect(f"{reverse('partnerships:partner_list')}?post={post.pk}")
            form = ImportForm(initial={"upload": key, "post": post.pk}, user=request.user)
    return render_page(request, "partnerships/partner_import.html", {"form": form, "result": result})
