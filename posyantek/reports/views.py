"""Pages of periodic reports, under /laporan/: the list, a new report, its page with the steps up the chain, the
narrative, the PDF, and the office's inbox with the posts that have not reported."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.scoping import get_scoped_object
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
STALE = gettext_lazy(
    "Laporan ini sudah berubah sejak Anda membukanya (langkah lain sudah diambil). Muat ulang dan periksa lagi."
)


def _is_stale(exc: ValidationError) -> bool:
    """Return whether a service refused an edit made on an old version of the report."""
    return getattr(exc, "code", None) == "stale" or any(
        getattr(e, "code", None) == "stale" for e in getattr(exc, "error_list", [])
    )


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
    """Return whether the user works for a post (a post grant of `edit` or more): only they start its reports."""
    return bool(services.creatable_post_ids(request.user))


def _export(qs: Any, fmt: str) -> HttpResponse:
    headers = [_("Pos"), _("Kode wilayah pos"), _("Jenis laporan"), _("Tahun laporan"), _("Periode laporan"),
               _("Status laporan"), _("Dikirim ke wilayah"), _("Tanggal dikirim"), _("Tanggal diputuskan"),
               _("Catatan keputusan")]  # fmt: skip
    rows = ([r.post.name, r.region_id, r.get_kind_display(), r.year, r.get_period_display(), r.get_state_display(),
             str(r.recipient), r.submitted_at, r.decided_at, r.decision_note] for r in qs)  # fmt: skip
    return export_response(Table(_("Laporan"), headers, rows), fmt, "laporan")


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


def report_detail(request: HttpRequest, pk: int, *, failed: str = "", step_form: Any = None) -> HttpResponse:
    """Show a report: its figures, narrative, the steps the user may take now, its history. After a refused step
    (`failed`), that step's form shows its errors and keeps what was typed."""
    report = report_get(request, pk)
    ctx = {
        "report": report,
        "groups": grouped(figure_rows(report.figures or {})),
        "steps": report.steps.select_related("actor"),
        "actions": services.actions_for(request.user, report),
        "can_edit": report.is_editable and services.may_edit(request.user, report),
        "history": history_for(report),
        "failed": failed,
        "step_form": step_form,
        # The period's data isn't complete yet: say so before anyone verifies (and so freezes) the figures.
        "period_open": report.ends_on is not None and report.ends_on >= timezone.localdate() and report.is_editable,
    }
    return render_page(request, "reports/report_detail.html", ctx, status=422 if failed else 200)


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
    if not services.may_step(request.user, report, step):
        raise PermissionDenied
    service, done = STEPS[step]
    form = StepForm(request.POST)
    if form.is_valid():
        kwargs: dict[str, Any] = {"version": form.cleaned_data.get("version")}
        if step in WITH_NOTE:
            kwargs["note"] = form.cleaned_data["note"]
        try:
            service(actor=request.user, report=report, **kwargs)
        except ValidationError as exc:
            if _is_stale(exc):  # another step was taken meanwhile (by someone else, or in another tab)
                messages.error(request, STALE)
                return redirect(report)
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(report)
    if step not in services.actions_for(request.user, report_get(request, pk)):
        # The step is not on the page any more (its state changed): say why above the report.
        messages.error(request, " ".join(form.errors.get("__all__", []) + form.errors.get("note", [])) or STALE)
        return redirect(report)
    return report_detail(request, pk, failed=step, step_form=form)


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
    headers = [_("Pos"), _("Jenis pos"), _("Kode wilayah pos"), _("Nama wilayah pos"), _("Telepon pos"),
               _("E-mail pos"), _("Sudah mulai menyusun"), _("Tanggal dikembalikan")]  # fmt: skip
    yes, no = pgettext("yes or no", "ya"), pgettext("yes or no", "tidak")
    rows = ([p.name, p.get_kind_display(), p.region_id, p.region.name, p.phone, p.email,
             yes if p.has_draft else no, p.returned_at] for p in qs)  # fmt: skip
    return export_response(Table(f"{_('Belum melapor')} {label}"[:31], headers, rows), fmt, "belum-melapor")


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
