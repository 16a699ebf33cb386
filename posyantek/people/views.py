"""Person registry pages: list, create, detail, edit, export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.scoping import Action, get_scoped_object, user_can, user_grants
from posyantek.core.selectors import history_for
from posyantek.people import services
from posyantek.people.filters import PersonFilter
from posyantek.people.forms import PersonForm
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
