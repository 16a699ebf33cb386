"""Staff pages of visits, under /kunjungan/: list, form, the visit page with its states, agenda, follow-ups, photos
and files (the guest book: guest_views.py; the calendar and its feed: calendar_views.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, user_can, user_grants
from posyantek.core.selectors import history_for
from posyantek.visits import followups, guestbook, services
from posyantek.visits.filters import VisitFilter
from posyantek.visits.forms import AgendaForm, FollowUpForm, GuestForm, PhotoForm, StateForm, VisitForm
from posyantek.visits.models import AgendaItem, Visit, VisitFollowUp, VisitPhoto
from posyantek.visits.selectors import guest_list, visit_list


def visit_get(request: HttpRequest, pk: int, action: str = "view") -> Visit:
    """Return a visit the user may see (else 404), and may perform `action` on (else 403)."""
    return get_scoped_object(visit_list(user=request.user), request.user, action, pk=pk)


def add_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's errors next to the form's fields (or above the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


def _can_create(request: HttpRequest) -> bool:
    return any(g.rank >= Action.EDIT for g in user_grants(request.user))


def _export(qs: Any, fmt: str) -> HttpResponse:
    headers = ["Judul", "Arah", "Pos", "Instansi", "Kode wilayah asal/tujuan", "Wilayah asal/tujuan",
               "Posyantek lawan", "Ketua rombongan", "Jabatan ketua", "Jumlah orang", "Maksud", "Tanggal mulai",
               "Tanggal selesai", "Tahap", "Nomor surat", "Acara agenda", "Tamu di buku tamu"]  # fmt: skip
    rows = ([v.title, v.get_direction_display(), v.post.name, v.institution, v.institution_region_id or "",
             v.institution_region.name if v.institution_region else "", v.other_post.name if v.other_post else "",
             v.leader, v.leader_title, v.visitors, ", ".join(v.purpose_labels), v.starts_on, v.ends_on,
             v.get_state_display(), v.letter_number, v.n_agenda, v.n_guests] for v in qs)  # fmt: skip
    return export_response(Table("Kunjungan", headers, rows), fmt, "kunjungan")


@cache_page_until_change
def visit_list_view(request: HttpRequest) -> HttpResponse:
    """List the visits the user may see; filter, search, page and download."""
    f = VisitFilter(request.GET, queryset=visit_list(user=request.user), request=request)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(f.qs, request.GET["format"])
    ctx = list_context(request, f)
    ctx["can_create"] = _can_create(request)
    return render_page(request, "visits/visit_list.html", ctx, fragment="results")


def _form_data(form: VisitForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k not in ("version", "letter_file", "remove_letter")}


def visit_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a visit (incoming or outgoing), or change it."""
    visit = visit_get(request, pk, "edit") if pk else None
    if visit is None and not _can_create(request):
        raise PermissionDenied
    posted = request.method == "POST"
    form = VisitForm(request.POST if posted else None, request.FILES if posted else None, instance=visit,
                     user=request.user)  # fmt: skip
    if posted and form.is_valid():
        data, upload = _form_data(form), form.cleaned_data.get("letter_file") or None
        try:
            if visit:
                visit = services.visit_update(actor=request.user, visit=visit, data=data, letter_file=upload,
                                              version=form.cleaned_data.get("version"),
                                              remove_letter=bool(form.cleaned_data.get("remove_letter")))  # fmt: skip
            else:
                visit = services.visit_create(actor=request.user, data=data, letter_file=upload)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s disimpan.") % {"name": visit})
            return redirect(visit)
    return render_page(request, "visits/visit_form.html", {"form": form, "visit": visit})


def return_visit_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the return visit of a held visit: the form comes prefilled; saving also records the follow-up."""
    source = visit_get(request, pk, "edit")
    posted = request.method == "POST"
    defaults = followups.return_visit_defaults(source)
    initial = {**defaults, "post": source.post_id, "institution_region": source.institution_region_id,
               "other_post": source.other_post_id, "partner": source.partner_id}  # fmt: skip
    form = VisitForm(request.POST if posted else None, initial=initial, user=request.user)
    form.fields["post"].disabled = True
    if posted and form.is_valid():
        try:
            planned, _f = followups.return_visit_create(actor=request.user, visit=source, data=_form_data(form))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Kunjungan balasan direncanakan dan dicatat sebagai tindak lanjut."))
            return redirect(planned)
    ctx = {"form": form, "visit": None, "source": source}
    return render_page(request, "visits/visit_form.html", ctx)


def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a visit: details, states, agenda, guest book, photos, follow-ups, history."""
    return detail(request, visit_get(request, pk))


def detail(request: HttpRequest, visit: Visit, **bound: Any) -> HttpResponse:
    """Render the visit's page; a form that failed comes back bound, with its errors next to its fields."""
    can_edit = user_can(request.user, visit, "edit")
    public_url = request.build_absolute_uri(reverse("visits:guestbook_public", args=[visit.guestbook_token]))
    ctx: dict[str, Any] = {
        "visit": visit,
        "steps": visit.steps.select_related("actor"),
        "agenda": visit.agenda.select_related("site_region"),
        "guests": guest_list(user=request.user, visit=visit),
        "photos": visit.photos.all(),
        "follow_ups": visit.follow_ups.select_related("agreement", "order", "adoption", "return_visit"),
        "can_edit": can_edit,
        "next_states": [Visit.State(s) for s in services.allowed_next(visit)],
        "agenda_open": visit.state in services.AGENDA_OPEN,
        "follow_up_open": visit.state in services.FOLLOW_UP_OPEN,
        "photo_open": visit.state in services.PHOTO_OPEN,
        "guest_closed": guestbook.closed_message(visit, public=False),
        "public_closed": guestbook.closed_message(visit),
        "public_url": public_url,
        "history": history_for(visit),
    }
    if can_edit:
        ctx.update({
            "agenda_form": AgendaForm(visit=visit),
            "follow_up_form": FollowUpForm(user=request.user, visit=visit),
            "photo_form": PhotoForm(),
            "guest_form": GuestForm(),
        })  # fmt: skip
    ctx.update(bound)
    failed = any(getattr(form, "errors", None) for form in bound.values())
    return render_page(request, "visits/visit_detail.html", ctx, status=422 if failed else 200)


@require_POST
def visit_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the visit to one of its next states (or cancel it)."""
    visit = visit_get(request, pk, "edit")
    form = StateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_advance(actor=request.user, visit=visit, state=data["state"], note=data["note"],
                                   version=data["version"])  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Tahap diperbarui."))
    else:
        messages.error(request, _("Tahap tidak dikenal."))
    return redirect(visit)


# --- Agenda ---------------------------------------------------------------------------------------------------


def _agenda_data(form: AgendaForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item to the visit's agenda."""
    visit = visit_get(request, pk, "edit")
    form = AgendaForm(request.POST, visit=visit)
    if form.is_valid():
        try:
            services.agenda_add(actor=request.user, visit=visit, data=_agenda_data(form))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Acara ditambahkan ke agenda."))
            return redirect(f"{visit.get_absolute_url()}#agenda")
    return detail(request, visit, agenda_form=form)


def _child(request: HttpRequest, model: Any, visit: Visit, obj: int) -> Any:
    qs = model.objects.for_user(request.user, "view").filter(visit=visit)
    return get_scoped_object(qs, request.user, "edit", pk=obj)


def agenda_edit(request: HttpRequest, pk: int, apk: int) -> HttpResponse:
    """Change an agenda item."""
    visit = visit_get(request, pk, "edit")
    item = _child(request, AgendaItem, visit, apk)
    posted = request.method == "POST"
    form = AgendaForm(request.POST if posted else None, instance=item, visit=visit)
    if posted and form.is_valid():
        try:
            services.agenda_update(actor=request.user, item=item, data=_agenda_data(form))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Acara diperbarui."))
            return redirect(f"{visit.get_absolute_url()}#agenda")
    ctx = {"form": form, "visit": visit, "title": _("Ubah acara")}
    return render_page(request, "visits/child_form.html", ctx)


# --- Follow-ups -----------------------------------------------------------------------------------------------


@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a follow-up of the visit."""
    visit = visit_get(request, pk, "edit")
    form = FollowUpForm(request.POST, user=request.user, visit=visit)
    if form.is_valid():
        try:
            followups.follow_up_add(actor=request.user, visit=visit, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Tindak lanjut dicatat."))
            return redirect(f"{visit.get_absolute_url()}#tindak-lanjut")
    return detail(request, visit, follow_up_form=form)


def follow_up_edit(request: HttpRequest, pk: int, fpk: int) -> HttpResponse:
    """Change a follow-up: mark it done, move its target, change its link."""
    visit = visit_get(request, pk, "edit")
    item = _child(request, VisitFollowUp, visit, fpk)
    posted = request.method == "POST"
    form = FollowUpForm(request.POST if posted else None, instance=item, user=request.user, visit=visit)
    if posted and form.is_valid():
        try:
            followups.follow_up_update(actor=request.user, follow_up=item, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Tindak lanjut diperbarui."))
            return redirect(f"{visit.get_absolute_url()}#tindak-lanjut")
    ctx = {"form": form, "visit": visit, "title": _("Ubah tindak lanjut")}
    return render_page(request, "visits/child_form.html", ctx)


# --- Photos and files -----------------------------------------------------------------------------------------


@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a photo of the visit."""
    visit = visit_get(request, pk, "edit")
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(actor=request.user, visit=visit, upload=form.cleaned_data["image"],
                               caption=form.cleaned_data["caption"])  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Foto diunggah."))
            return redirect(f"{visit.get_absolute_url()}#foto")
    return detail(request, visit, photo_form=form)


CHILDREN = {"agenda": AgendaItem, "tindak-lanjut": VisitFollowUp, "foto": VisitPhoto}
REMOVE = {"agenda": (services.agenda_remove, "item"), "tindak-lanjut": (followups.follow_up_remove, "follow_up"),
          "foto": (services.photo_remove, "photo")}  # fmt: skip


@require_POST
def item_remove(request: HttpRequest, pk: int, kind: str, obj: int) -> HttpResponse:
    """Remove an agenda item, a follow-up or a photo recorded by mistake."""
    if kind not in CHILDREN:
        raise Http404
    visit = visit_get(request, pk, "edit")
    item = _child(request, CHILDREN[kind], visit, obj)
    remove, key = REMOVE[kind]
    try:
        remove(actor=request.user, **{key: item})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Dihapus."))
    return redirect(f"{visit.get_absolute_url()}#{kind}")


def _stream(file: Any) -> HttpResponse:
    if not file:
        raise Http404
    try:
        return FileResponse(file.open("rb"), filename=file.name.rsplit("/", 1)[-1])
    except FileNotFoundError as exc:
        raise Http404 from exc


def visit_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream the request letter of a visit the user may see."""
    return _stream(visit_get(request, pk).letter_file)


def photo_file(request: HttpRequest, pk: int, ppk: int, size: str) -> HttpResponse:
    """Stream a photo of a visit the user may see, full size or its thumbnail."""
    visit = visit_get(request, pk)
    photo = VisitPhoto.objects.for_user(request.user, "view").filter(visit=visit, pk=ppk).first()
    if photo is None or size not in ("besar", "kecil"):
        raise Http404
    return _stream(photo.image if size == "besar" or not photo.thumbnail else photo.thumbnail)
