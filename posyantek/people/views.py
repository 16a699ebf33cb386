"""Person registry pages: list, create, detail, edit, export."""

from __future__ import annotations

import base64
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, user_can, user_grants
from posyantek.core.selectors import history_for
from posyantek.people import services
from posyantek.people.filters import PersonFilter
from posyantek.people.forms import PeopleImportForm, PersonForm
from posyantek.people.importers import people_import, read_table, template_table
from posyantek.people.selectors import person_can_see_nik, person_list, person_nik_role


def _table(qs: object, with_nik: bool) -> Table:
    headers = ["Nama", "Jenis kelamin", "Kode wilayah", "Wilayah", "Telepon", "E-mail", "Pekerjaan", "Keahlian", "Pos"]
    if with_nik:
        headers.append("NIK")
    rows = (
        [
            p.name,
            p.get_sex_display(),
            p.region_id,
            p.region.name,
            p.phone,
            p.email,
            p.occupation,
            p.skills,
            p.post.name if p.post else "",
        ]
        + ([p.nik] if with_nik else [])
        for p in qs
    )
    return Table(title="Orang", headers=headers, rows=rows)


@cache_page_until_change
def person_list_view(request: HttpRequest) -> HttpResponse:
    """List the people the user may see; the export leaves NIK out unless a manager asks for it."""
    f = PersonFilter(request.GET, queryset=person_list(user=request.user))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        with_nik = request.GET.get("nik") == "1"
        qs = f.qs
        if with_nik:
            if not person_nik_role(user=request.user):
                raise PermissionDenied
            qs = qs & person_list(user=request.user).model.objects.for_user(request.user, "manage")
        return export_response(_table(qs, with_nik), fmt, "orang")
    ctx = list_context(request, f)
    ctx["can_create"] = any(g.rank >= Action.EDIT for g in user_grants(request.user))
    ctx["nik_role"] = person_nik_role(user=request.user)
    return render_page(request, "people/person_list.html", ctx, fragment="results")


def person_create(request: HttpRequest) -> HttpResponse:
    """Add a person to the registry."""
    if not any(g.rank >= Action.EDIT for g in user_grants(request.user)):
        raise PermissionDenied
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        show_nik=person_nik_role(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            person = services.person_create(actor=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            form.add_error("region", _("Anda tidak berwenang mencatat orang di wilayah atau pos itu."))
        else:
            messages.success(request, _("%(name)s dicatat.") % {"name": person.name})
            return redirect(person)
    return render_page(request, "people/person_form.html", {"form": form, "person": None})


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a person; the NIK only to roles that need it."""
    person = get_scoped_object(person_list(user=request.user), request.user, "view", pk=pk)
    ctx = {
        "person": person,
        "show_nik": person_can_see_nik(user=request.user, person=person),
        "can_edit": user_can(request.user, person, "edit"),
        "offices": person.offices.select_related("term", "term__post"),
        "history": history_for(person),
    }
    return render_page(request, "people/person_detail.html", ctx)


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a person's record."""
    person = get_scoped_object(person_list(user=request.user), request.user, "edit", pk=pk)
    show_nik = person_can_see_nik(user=request.user, person=person)
    form = PersonForm(
        request.POST if request.method == "POST" else None, instance=person, user=request.user, show_nik=show_nik
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            person = services.person_update(
                actor=request.user, person=person, data=data, version=form.cleaned_data.get("version")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect(person)
    return render_page(request, "people/person_form.html", {"form": form, "person": person})


def people_import_view(request: HttpRequest) -> HttpResponse:
    """Import a person register: check first (dry run, row-by-row errors), then import all or nothing."""
    if not any(g.rank >= Action.EDIT for g in user_grants(request.user)):
        raise PermissionDenied
    if request.GET.get("template") in ("xlsx", "csv"):
        headers, rows = template_table()
        return export_response(Table("Orang", headers, rows), request.GET["template"], "templat-impor-orang")
    form = PeopleImportForm(request.POST if request.method == "POST" else None,
                            request.FILES if request.method == "POST" else None, user=request.user)  # fmt: skip
    result = None
    if request.method == "POST" and form.is_valid():
        # One pending register per session, replaced by the next upload: the session carries it between the
        # dry run and the import, and must not grow with every check.
        pending = request.session.get("people_upload") or {}
        upload = form.cleaned_data["file"]
        if upload:
            content, name = upload.read(), upload.name
            key = secrets.token_urlsafe(12)
            request.session["people_upload"] = {"key": key, "name": name, "data": base64.b64encode(content).decode()}
        elif pending and form.cleaned_data["upload"] == pending.get("key"):
            key, name, content = pending["key"], pending["name"], base64.b64decode(pending["data"])
        else:
            form.add_error("file", _("Pilih berkas untuk diimpor."))
            return render_page(request, "people/people_import.html", {"form": form, "result": None})
        commit = request.POST.get("action") == "import"
        try:
            result = people_import(actor=request.user, dataset=read_table(content, name),
                                   post=form.cleaned_data["post"], dry_run=not commit)  # fmt: skip
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if commit and not result.dry_run:
                request.session.pop("people_upload", None)
                n = len(result.rows)
                messages.success(request, ngettext("%(n)s orang diimpor.", "%(n)s orang diimpor.", n) % {"n": n})
                return redirect("people:person_list")
            form = PeopleImportForm(initial={"upload": key, "post": form.cleaned_data["post"]}, user=request.user)
    return render_page(request, "people/people_import.html", {"form": form, "result": result})
