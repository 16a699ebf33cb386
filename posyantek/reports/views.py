"""Pages of periodic reports, under /laporan/: the list, a new report, its page with the steps up the chain, the
narrative, the PDF, and the office's inbox with the posts that have not reported."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.scoping import Action, get_scoped_object, user_grants
from posyantek.core.selectors import history_for
from posyantek.reports import pdf, selectors, services
from posyantek.reports.figures import figure_rows, grouped
from posyantek.reports.filters import ReportFilter
from posyantek.reports.forms import NarrativeForm, PeriodForm, ReportCreateForm, StepForm
from posyantek.reports.models import Report

STEPS = {
    "refresh": (services.report_refresh, gettext_lazy("Angka dihitung ulang dari data pos.")),
    "verify": (services.report_verify, gettext_lazy("Laporan diverifikasi; angkanya kini dibekukan.")),
    "submit": (services.report_submit, gettext_lazy("Laporan dikirim.")),
    "receive": (services.report_receive, gettext_lazy("Laporan diterima.")),
    "return": (services.report_return, gettext_lazy("Laporan dikembalikan untuk perbaikan.")),
    "reopen": (services.report_reopen, gettext_lazy("Laporan dibuka kembali sebagai draf.")),
}
WITH_NOTE = ("receive", "return")


def report_get(request: HttpRequest, pk: int) -> Report:
    """Return a report the user may see (else 404)."""
    return get_scoped_object(selectors.report_list(user=request.user), request.user, "view", pk=pk)


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
    headers = ["Pos", "Kode wilayah", "Jenis", "Tahun", "Periode", "Status", "Dikirim ke", "Dikirim pada",
               "Diputuskan pada", "Catatan keputusan"]  # fmt: skip
    rows = ([r.post.name, r.region_id, r.get_kind_display(), r.year, r.get_period_display(), r.get_state_display(),
             str(r.recipient), r.submitted_at, r.decided_at, r.decision_note] for r in qs)  # fmt: skip
    return export_response(Table("Laporan", headers, rows), fmt, "laporan")


def report_list_view(request: HttpRequest) -> HttpResponse:
    """List the reports the user may see; filter, search, page and download."""
    f = ReportFilter(request.GET, queryset=selectors.report_list(user=request.user), request=request)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(f.qs, request.GET["format"])
    ctx = list_context(request, f)
    ctx.update({"can_create": _can_create(request), "is_office": selectors.is_office(request.user)})
    return render_page(request, "reports/report_list.html", ctx, fragment="results")


def report_create(request: HttpRequest) -> HttpResponse:
    """Start a report of one of the user's posts; one that exists already is linked, not made twice."""
    if not _can_create(request):
        raise PermissionDenied
    posted = request.method == "POST"
    form = ReportCreateForm(request.POST if posted else None, user=request.user)
    existing = None
    if posted and form.is_valid():
        data = dict(form.cleaned_data)  # add_error() drops a field from cleaned_data
        try:
            report = services.report_create(actor=request.user, post=data["post"], kind=data["kind"],
                                            year=data["year"], period=data["period"])  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
            existing = selectors.report_list(user=request.user).filter(
                post=data["post"], kind=data["kind"], year=data["year"], period=data["period"]).first()  # fmt: skip
        else:
            messages.success(request, _("%(name)s dibuat. Lengkapi uraiannya.") % {"name": report})
            return redirect(report)
    return render_page(request, "reports/report_form.html", {"form": form, "existing": existing},
                       status=422 if form.errors else 200)  # fmt: skip


def report_detail(request: HttpRequest, pk: int, **bound: Any) -> HttpResponse:
    """Show a report: its figures, narrative, the steps it may take now, its history."""
    report = report_get(request, pk)
    ctx = {
        "report": report,
        "groups": grouped(figure_rows(report.figures or {})),
        "steps": report.steps.select_related("actor"),
        "actions": services.actions_for(request.user, report),
        "can_edit": report.is_editable and services.may_edit(request.user, report),
        "history": history_for(report),
        "step_form": bound.get("step_form") or StepForm(initial={"version": report.version}),
    }
    return render_page(request, "reports/report_detail.html", ctx, status=422 if bound else 200)


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the narrative of a draft or returned report."""
    report = report_get(request, pk)
    if not services.may_edit(request.user, report):
        raise PermissionDenied
    posted = request.method == "POST"
    form = NarrativeForm(request.POST if posted else None, report=report)
    if posted and form.is_valid():
        try:
            services.report_update(actor=request.user, report=report, narrative=form.narrative(),
                                   version=form.cleaned_data.get("version"))  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Uraian disimpan."))
            return redirect(report)
    return render_page(request, "reports/report_edit.html", {"form": form, "report": report},
                       status=422 if form.errors else 200)  # fmt: skip


@require_POST
def report_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take one step: refresh, verify, submit, receive, return (with a note) or reopen."""
    if step not in STEPS:
        raise Http404
    report = report_get(request, pk)
    service, done = STEPS[step]
    form = StepForm(request.POST)
    if not form.is_valid():
        return report_detail(request, pk, step_form=form)
    kwargs: dict[str, Any] = {"version": form.cleaned_data.get("version")}
    if step in WITH_NOTE:
        kwargs["note"] = form.cleaned_data["note"]
    try:
        service(actor=request.user, report=report, **kwargs)
    except ValidationError as exc:
        add_errors(form, exc)
        return report_detail(request, pk, step_form=form)
    messages.success(request, done)
    return redirect(report)


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Print the report as PDF on the post's letterhead."""
    return pdf.report_pdf_response(request, report_get(request, pk))


def _period(request: HttpRequest) -> tuple[PeriodForm, str, int, str]:
    year, period = selectors.current_period()
    form = PeriodForm(request.GET or None, initial={"kind": Report.Kind.MANAGEMENT, "year": year, "period": period})
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("kind") or Report.Kind.MANAGEMENT
    year = data.get("year") or year
    period = Report.Period.YEAR if kind == Report.Kind.WORK_PLAN else (data.get("period") or period)
    return form, kind, year, period


def _export_missing(qs: Any, fmt: str, label: str) -> HttpResponse:
    headers = ["Pos", "Jenis pos", "Kode wilayah", "Wilayah", "Telepon", "E-mail", "Sudah mulai menyusun"]
    rows = ([p.name, p.get_kind_display(), p.region_id, p.region.name, p.phone, p.email,
             "ya" if p.has_draft else "tidak"] for p in qs)  # fmt: skip
    return export_response(Table(f"Belum melapor {label}"[:31], headers, rows), fmt, "belum-melapor")


def report_inbox(request: HttpRequest) -> HttpResponse:
    """The office's view: reports sent to it for a period, by state, and the posts that have not reported."""
    if not selectors.is_office(request.user):
        raise PermissionDenied
    form, kind, year, period = _period(request)
    missing = selectors.not_reported(user=request.user, kind=kind, year=year, period=period)
    label = f"{Report.Kind(kind).label} {Report.Period(period).label} {year}"
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export_missing(missing, request.GET["format"], label)
    reports = selectors.inbox_list(user=request.user).filter(kind=kind, year=year, period=period)
    ctx = {
        "form": form, "kind": kind, "year": year, "period": period, "label": label,
        "reports": reports[:500], "missing": missing[:500], "n_missing": missing.count(),
        "counts": selectors.inbox_counts(user=request.user, kind=kind, year=year, period=period),
        "waiting": selectors.inbox_list(user=request.user).filter(state=Report.State.SUBMITTED)[:100],
        "query": request.GET.urlencode(),
    }  # fmt: skip
    return render_page(request, "reports/report_inbox.html", ctx)
