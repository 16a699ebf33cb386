"""Staff pages of rubrics under /lomba/rubrik/: the list, a rubric with its criteria and indicators, and the forms
that change it (organisers only: oversee on the rubric's region; a national rubric: the national admin).

Out of scope → 404, role too low → 403. Changes of a rubric in use are refused by the services (a new version can).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.contests import rubric_selectors as selectors
from posyantek.contests import rubric_services as services
from posyantek.contests.models import Rubric
from posyantek.contests.rubric_forms import (
    CriterionForm,
    IndicatorForm,
    NewVersionForm,
    RubricCreateForm,
    RubricFilter,
    RubricForm,
    WeightsForm,
    prefill_label,
)
from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.selectors import history_for

FORM = "contests/rubric_form.html"


def add_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's errors next to the form's fields (or above the form for the others)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


def _form_page(request: HttpRequest, rubric: Rubric | None, form: Any, title: str, **extra: Any) -> HttpResponse:
    ctx = {"form": form, "rubric": rubric, "title": title, **extra}
    return render_page(request, FORM, ctx, status=422 if form.is_bound and form.errors else 200)


def _clean(form: Any) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "version" and v is not None}


# ---------------------------------------------------------------- list and detail


@cache_page_until_change
def rubric_list(request: HttpRequest) -> HttpResponse:
    """List the national templates and the rubrics the user may open; filter by category, search by name."""
    qs = selectors.rubric_list(user=request.user).prefetch_related("criteria__indicators")
    f = RubricFilter(request.GET, queryset=qs, request=request)
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = ([r.name, r.family, r.version_no, r.get_category_display(), r.region.name if r.region else _("Nasional"),
                 r.year or "", _("ya") if r.is_template else "", _("ya") if r.in_use else "",
                 "; ".join(services.rubric_problems(r))] for r in f.qs)  # fmt: skip
        headers = [_("Nama"), _("Kode rubrik"), _("Versi"), _("Kategori"), _("Wilayah"), _("Tahun"), _("Templat"),
                   _("Dipakai"), _("Masalah")]  # fmt: skip
        return export_response(Table(_("Rubrik"), headers, rows), request.GET["format"], "rubrik")
    ctx = list_context(request, f)
    ctx["rows"] = [(r, services.rubric_problems(r)) for r in ctx["page_obj"]]
    ctx["can_create"] = services.can_create(request.user)
    return render_page(request, "contests/rubric_list.html", ctx, fragment="results")


def _export(rubric: Rubric, criteria: list[Any], fmt: str) -> HttpResponse:
    scores = list(range(rubric.scale_min, rubric.scale_max + 1))
    headers = [_("Kode kriteria"), _("Kriteria"), _("Bobot kriteria (%)"), _("Kode indikator"), _("Indikator"),
               _("Bobot dalam kriteria (%)"), _("Bobot efektif (%)"), _("Bukti yang diminta"), _("Bukti wajib"),
               _("Angka dari sistem")] + [_("Skor %(s)s") % {"s": s} for s in scores]  # fmt: skip
    rows = (
        [c.code, c.title, c.weight, i.code, i.title, i.weight, round(c.weight * i.weight / 100, 2), i.evidence,
         _("ya") if i.evidence_mandatory else _("tidak"), prefill_label(i.prefill_key)]
        + [(i.anchors or {}).get(str(s), "") for s in scores]
        for c in criteria for i in c.indicators.all()
    )  # fmt: skip
    return export_response(Table(_("Rubrik"), headers, rows), fmt, f"rubrik-{rubric.family}-v{rubric.version_no}")


def rubric_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a rubric: criteria → indicators with weights, anchors, evidence, system figures; versions, editions
    using it, what is still wrong with it, and its history. `?format=xlsx|csv` downloads it."""
    rubric = selectors.rubric_get(request.user, pk)
    criteria = selectors.rubric_tree(rubric)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(rubric, criteria, request.GET["format"])
    can_change = services.can_change(request.user, rubric)
    scores = list(range(rubric.scale_min, rubric.scale_max + 1))
    for c in criteria:
        for i in c.indicators.all():
            i.figure = prefill_label(i.prefill_key)
            i.anchor_rows = [(s, (i.anchors or {}).get(str(s), "")) for s in scores]
            i.effective = round(c.weight * i.weight / 100, 2)
    ctx = {
        "rubric": rubric,
        "criteria": criteria,
        "scores": scores,
        "problems": services.rubric_problems(rubric),
        "family": selectors.rubric_family(user=request.user, rubric=rubric),
        "editions": selectors.rubric_editions(user=request.user, rubric=rubric),
        "can_change": can_change,
        "editable": can_change and not rubric.in_use,
        "history": history_for(rubric),
        "version_form": NewVersionForm(initial={"year": (rubric.year + 1) if rubric.year else None}),
    }
    return render_page(request, "contests/rubric_detail.html", ctx)


# ---------------------------------------------------------------- rubric writes


def rubric_create(request: HttpRequest) -> HttpResponse:
    """Create a rubric for the organiser's region from a category's template."""
    if not services.can_create(request.user):
        raise PermissionDenied
    form = RubricCreateForm(request.POST or None, user=request.user,
                            initial={"category": request.GET.get("kategori", "")})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            rubric = services.rubric_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Rubrik %(r)s dibuat dari templat.") % {"r": rubric})
            return redirect(rubric)
    return _form_page(request, None, form, _("Rubrik baru dari templat"))


def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a rubric's name, year, notes, scale and stage weights."""
    rubric = selectors.rubric_get(request.user, pk, change=True)
    form = RubricForm.for_rubric(rubric, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rubric_update(actor=request.user, rubric=rubric, data=_clean(form) | {
                "year": form.cleaned_data["year"], "notes": form.cleaned_data["notes"]},
                version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Rubrik disimpan."))
            return redirect(rubric)
    return _form_page(request, rubric, form, _("Ubah rubrik"))


@require_POST
def rubric_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy the rubric as the next version of its family."""
    rubric = selectors.rubric_get(request.user, pk, change=True)
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(rubric)
    try:
        new = services.rubric_new_version(actor=request.user, rubric=rubric, year=form.cleaned_data["year"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(rubric)
    messages.success(request, _("Versi %(n)s dibuat; ubah di sini.") % {"n": new.version_no})
    return redirect(new)


def rubric_weights(request: HttpRequest, pk: int) -> HttpResponse:
    """Set all criterion weights at once (they must sum to 100)."""
    rubric = selectors.rubric_get(request.user, pk, change=True)
    form = WeightsForm(request.POST or None, rows=list(rubric.criteria.all()), version=rubric.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.rubric_set_weights(actor=request.user, rubric=rubric, weights=form.weights(),
                                        version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Bobot kriteria disimpan."))
            return redirect(rubric)
    return _form_page(request, rubric, form, _("Bobot kriteria"), help=_("Bobot semua kriteria berjumlah 100."))


# ---------------------------------------------------------------- criteria


def criterion_form(request: HttpRequest, pk: int, cpk: int | None = None) -> HttpResponse:
    """Add a criterion, or change one."""
    rubric = selectors.rubric_get(request.user, pk, change=True)
    crit = selectors.child_criterion(rubric, cpk) if cpk else None
    form = CriterionForm.build(rubric, crit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            if crit:
                services.criterion_update(actor=request.user, criterion=crit, data=_clean(form), version=version)
            else:
                crit = services.criterion_add(actor=request.user, rubric=rubric, data=_clean(form), version=version)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Kriteria %(c)s disimpan.") % {"c": crit})
            return redirect(f"{rubric.get_absolute_url()}#kriteria-{crit.pk}")
    title = _("Ubah kriteria %(c)s") % {"c": crit} if crit else _("Tambah kriteria")
    remove = reverse("contests:criterion_remove", args=[rubric.pk, crit.pk]) if crit else None
    return _form_page(request, rubric, form, title, remove_url=remove)


def criterion_weights(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    """Set the weights of all indicators of a criterion at once (they must sum to 100)."""
    rubric = selectors.rubric_get(request.user, pk, change=True)
    crit = selectors.child_criterion(rubric, cpk)
    form = WeightsForm(request.POST or None, rows=list(crit.indicators.all()), version=rubric.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_set_weights(actor=request.user, criterion=crit, weights=form.weights(),
                                           version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Bobot indikator %(c)s disimpan.") % {"c": crit})
            return redirect(f"{rubric.get_absolute_url()}#kriteria-{crit.pk}")
    return _form_page(request, rubric, form, _("Bobot indikator kriteria %(c)s") % {"c": crit},
                      help=_("Bobot semua indikator kriteria ini berjumlah 100."))  # fmt: skip


def _removed(request: HttpRequest, rubric: Rubric, call: Any) -> HttpResponse:
    try:
        call(version=int(request.POST["version"]) if request.POST.get("version", "").isdigit() else None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Dihapus."))
    return redirect(rubric)


@require_POST
def criterion_remove(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    """Remove a criterion with its indicators."""
    rubric = selectors.rubric_get(request.user, pk, change=True)
    crit = selectors.child_criterion(rubric, cpk)
    return _removed(request, rubric, lambda version: services.criterion_remove(actor=request.user, criterion=crit,
                                                                                 version=version))  # fmt: skip


# ---------------------------------------------------------------- indicators


def indicator_form(request: HttpRequest, pk: int, cpk: int | None = None, ipk: int | None = None) -> HttpResponse:
    """Add an indicator to a criterion, or change one (weight, anchors per score, evidence, system figure)."""
    rubric = selectors.rubric_get(request.user, pk, change=True)
    ind = selectors.child_indicator(rubric, ipk) if ipk else None
    crit = ind.criterion if ind else selectors.child_criterion(rubric, cpk)
    form = IndicatorForm(request.POST or None, rubric=rubric, indicator=ind)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            if ind:
                services.indicator_update(actor=request.user, indicator=ind, data=form.data_for_service(),
                                          version=version)  # fmt: skip
            else:
                ind = services.indicator_add(actor=request.user, criterion=crit, data=form.data_for_service(),
                                             version=version)  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Indikator %(i)s disimpan.") % {"i": ind})
            return redirect(f"{rubric.get_absolute_url()}#indikator-{ind.pk}")
    title = _("Ubah indikator %(i)s") % {"i": ind} if ind else _("Tambah indikator ke %(c)s") % {"c": crit}
    remove = reverse("contests:indicator_remove", args=[rubric.pk, ind.pk]) if ind else None
    return _form_page(request, rubric, form, title, remove_url=remove)


@require_POST
def indicator_remove(request: HttpRequest, pk: int, ipk: int) -> HttpResponse:
    """Remove an indicator."""
    rubric = selectors.rubric_get(request.user, pk, change=True)
    ind = selectors.child_indicator(rubric, ipk)
    return _removed(request, rubric, lambda version: services.indicator_remove(actor=request.user, indicator=ind,
                                                                                 version=version))  # fmt: skip
