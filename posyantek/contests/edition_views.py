"""Staff pages of contest editions, under /lomba/kelola/: list, create and change, detail with its schedule,
prizes, entries and organiser actions, stage moves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.contests import access, edition_services, selectors
from posyantek.contests.edition_forms import EditionFilter, EditionForm, EntryFilter, PrizeForm, StageForm, StateForm
from posyantek.contests.models import Edition, EditionStage, Prize
from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.selectors import history_for

STATE_ORDER = edition_services.STATE_ORDER


def add_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's errors next to the form's fields (or above the form for the others)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


def _export_editions(qs: Any, fmt: str) -> HttpResponse:
    headers = ["Nama", "Kategori", "Tahun", "Tingkat", "Wilayah", "Penyelenggara", "Tahap", "Rubrik", "Peserta",
               "Juara diteruskan", "Diumumkan"]  # fmt: skip
    rows = ([e.name, e.get_category_display(), e.year, e.get_level_display(), e.region_label, e.organiser,
             e.get_state_display(), str(e.rubric), e.n_entries, e.forward_count,
             e.published_at.date() if e.published_at else ""] for e in qs)  # fmt: skip
    return export_response(Table("Lomba", headers, rows), fmt, "lomba")


def edition_list(request: HttpRequest) -> HttpResponse:
    """List the editions the user may open; filter by category, year, level and stage, search, page, download."""
    f = EditionFilter(request.GET, queryset=selectors.edition_list(user=request.user), request=request)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export_editions(f.qs, request.GET["format"])
    ctx = list_context(request, f)
    ctx["can_create"] = selectors.can_create_edition(user=request.user)
    return render_page(request, "contests/edition_list.html", ctx, fragment="results")


def edition_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Start an edition (organisers of a kota, a province or the nation), or change its facts."""
    edition = access.get_edition(request.user, pk, organise=True) if pk else None
    if edition is None and not selectors.can_create_edition(user=request.user):
        raise PermissionDenied
    posted = request.method == "POST"
    form = EditionForm(request.POST if posted else None, request.FILES if posted else None, instance=edition,
                       user=request.user)  # fmt: skip
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if edition is None and not data.get("tie_rule"):
            data["tie_rule"] = None
        try:
            if edition:
                fresh = access.get_edition(request.user, pk, organise=True)
                edition = edition_services.edition_update(actor=request.user, edition=fresh, data=data,
                                                          version=form.cleaned_data.get("version"))  # fmt: skip
            else:
                edition = edition_services.edition_create(actor=request.user, data=data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s disimpan.") % {"name": edition})
            return redirect(edition)
    return render_page(request, "contests/edition_form.html", {"form": form, "edition": edition},
                       status=422 if form.errors else 200)  # fmt: skip


def _export_entries(edition: Edition, qs: Any, fmt: str) -> HttpResponse:
    headers = ["Peserta", "Pos", "Wilayah", "TTG", "Status", "Diajukan", "Berkas bukti", "Diteruskan dari",
               "Alasan administrasi"]  # fmt: skip
    rows = ([e.title, e.post.name, e.region.name, e.ttg.name if e.ttg_id else "", e.get_state_display(),
             e.submitted_at.date() if e.submitted_at else "", e.n_files, e.proposed_by, e.admin_reasons]
            for e in qs)  # fmt: skip
    return export_response(Table("Peserta", headers, rows), fmt, f"peserta-lomba-{edition.pk}")


def edition_detail(request: HttpRequest, pk: int, **bound: Any) -> HttpResponse:
    """Show an edition: facts, schedule, prizes, rubric, entries by state, organiser actions, history."""
    edition = access.get_edition(request.user, pk)
    entries = selectors.entry_list(user=request.user, edition=edition)
    f = EntryFilter(request.GET, queryset=entries, request=request)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export_entries(edition, f.qs, request.GET["format"])
    organise = access.can_organise(request.user, edition)
    ctx = list_context(request, f)
    now = STATE_ORDER.index(edition.state)
    ctx.update(
        edition=edition, organise=organise, stages=edition.stages.all(), prizes=edition.prizes.all(),
        states=selectors.state_counts(selectors.entry_scope(user=request.user, edition=edition)),
        next_states=[s for s in Edition.State if STATE_ORDER.index(s) > now
                     and s not in edition_services.PUBLISH_STATES] if organise else [],
        is_judge=access.is_judge(request.user, edition),
        can_register=edition.state == Edition.State.REGISTRATION,
        history=history_for(edition) if organise else [], chain=selectors.edition_log(edition) if organise else [],
    )  # fmt: skip
    if organise:
        ctx.setdefault("stage_form", StageForm(prefix="stage"))
        ctx.setdefault("prize_form", PrizeForm(prefix="prize"))
        ctx.setdefault("state_form", StateForm())
    ctx.update(bound)
    failed = any(getattr(form, "errors", None) for form in bound.values())
    return render_page(request, "contests/edition_detail.html", ctx, fragment="entries",
                       status=422 if failed else 200)  # fmt: skip


@require_POST
def edition_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the edition forward to a later stage."""
    edition = access.get_edition(request.user, pk, organise=True)
    form = StateForm(request.POST)
    if form.is_valid():
        try:
            edition_services.move_state(actor=request.user, edition=edition, state=form.cleaned_data["state"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Tahap lomba diperbarui."))
            return redirect(edition)
    return edition_detail(request, pk, state_form=form)


def edition_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the edition's guidelines (juknis), for whoever may open the edition."""
    edition = access.get_edition(request.user, pk)
    if not edition.guidelines:
        raise Http404
    return FileResponse(edition.guidelines.open("rb"), as_attachment=True,
                        filename=edition.guidelines.name.rsplit("/", 1)[-1])  # fmt: skip


def _child_form(request: HttpRequest, pk: int, model: Any, child_pk: int | None, form_class: Any, save: Any,
                title: str) -> HttpResponse:  # fmt: skip
    """Add or change a stage or a prize: on the detail page when adding, on its own page when changing."""
    edition = access.get_edition(request.user, pk, organise=True)
    obj = get_object_or_404(model.objects.filter(edition=edition), pk=child_pk) if child_pk else None
    if request.method != "POST" and obj is None:
        return redirect(edition)
    prefix = None if obj else ("stage" if model is EditionStage else "prize")
    form = form_class(request.POST if request.method == "POST" else None, instance=obj, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, edition=edition, data=form.cleaned_data, **({"stage": obj} if model is
                 EditionStage else {"prize": obj}))  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Disimpan."))
            return redirect(f"{edition.get_absolute_url()}#{'jadwal' if model is EditionStage else 'hadiah'}")
    if obj is None:
        return edition_detail(request, pk, **{"stage_form" if model is EditionStage else "prize_form": form})
    return render_page(request, "contests/edition_child_form.html", {"form": form, "edition": edition,
                                                                     "title": title}, status=422 if form.errors
                       else 200)  # fmt: skip


def stage_form(request: HttpRequest, pk: int, spk: int | None = None) -> HttpResponse:
    """Add a step to the schedule (POST from the detail page), or change one."""
    return _child_form(request, pk, EditionStage, spk, StageForm, edition_services.stage_save, _("Jadwal tahap"))


def prize_form(request: HttpRequest, pk: int, ppk: int | None = None) -> HttpResponse:
    """Add a prize (POST from the detail page), or change one."""
    return _child_form(request, pk, Prize, ppk, PrizeForm, edition_services.prize_save, _("Hadiah"))


@require_POST
def stage_remove(request: HttpRequest, pk: int, spk: int) -> HttpResponse:
    """Remove a step of the schedule."""
    edition = access.get_edition(request.user, pk, organise=True)
    edition_services.stage_remove(actor=request.user, stage=get_object_or_404(edition.stages.all(), pk=spk))
    messages.success(request, _("Jadwal tahap dihapus."))
    return redirect(f"{edition.get_absolute_url()}#jadwal")


@require_POST
def prize_remove(request: HttpRequest, pk: int, ppk: int) -> HttpResponse:
    """Remove a prize."""
    edition = access.get_edition(request.user, pk, organise=True)
    edition_services.prize_remove(actor=request.user, prize=get_object_or_404(edition.prizes.all(), pk=ppk))
    messages.success(request, _("Hadiah dihapus."))
    return redirect(f"{edition.get_absolute_url()}#hadiah")
