"""Judging pages: an edition's panels and the progress of its sheets (organisers, under /lomba/kelola/<pk>/), and a
judge's queue and score sheet (/lomba/nilai/), one indicator at a time with the evidence beside the form.

With htmx the sheet's indicator panel swaps in place (and the address follows); without JavaScript every form is
a normal POST and redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.contests import access
from posyantek.contests import judging_services as services
from posyantek.contests.judging_forms import AssignForm, JudgeForm, PanelForm, ReasonForm, ScoreForm
from posyantek.contests.judging_selectors import (
    SheetView,
    edition_conflicts,
    edition_judge,
    edition_panels,
    judge_queue,
    organiser_sheet,
    progress_table,
    sheet_file,
    sheet_view,
    stage_entries,
    stage_progress,
    stage_summaries,
)
from posyantek.contests.models import Edition, ScoreSheet, Stage
from posyantek.core.exports import export_response
from posyantek.core.htmx import render_page, wants_fragment
from posyantek.core.selectors import history_for

#: Entries per page of the progress table.
PAGE_SIZE = 50


def add_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's errors next to the form's fields (the rest above the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errs in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errs)


# --------------------------------------------------------------------------------------------- panels


def _panels_page(request: HttpRequest, edition: Edition, *, panel_form: PanelForm | None = None,
                 judge_form: JudgeForm | None = None) -> HttpResponse:  # fmt: skip
    failed = panel_form is not None or judge_form is not None
    ctx = {
        "edition": edition, "panels": edition_panels(edition), "conflicts": edition_conflicts(edition),
        "panel_form": panel_form or PanelForm(),
        "judge_form": judge_form or JudgeForm(edition=edition, user=request.user),
        "history": history_for(edition, limit=20),
    }  # fmt: skip
    return render_page(request, "contests/judging_panels.html", ctx, status=422 if failed else 200)


def panel_list(request: HttpRequest, pk: int) -> HttpResponse:
    """An edition's panels per stage and their judges (organisers only)."""
    return _panels_page(request, access.get_edition(request.user, pk, organise=True))


@require_POST
def panel_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Form a panel for one stage."""
    edition = access.get_edition(request.user, pk, organise=True)
    form = PanelForm(request.POST)
    if form.is_valid():
        try:
            panel = services.panel_create(actor=request.user, edition=edition, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Tim “%(p)s” dibentuk.") % {"p": panel.name})
            return redirect("contests:panel_list", pk=edition.pk)
    return _panels_page(request, edition, panel_form=form)


@require_POST
def judge_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Seat a judge on a panel (an existing account, or a new one invited by e-mail)."""
    edition = access.get_edition(request.user, pk, organise=True)
    form = JudgeForm(request.POST, edition=edition, user=request.user)
    if form.is_valid():
        try:
            judge = services.judge_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(u)s menjadi juri %(p)s.") % {"u": judge.user, "p": judge.panel})
            return redirect("contests:panel_list", pk=edition.pk)
    return _panels_page(request, edition, judge_form=form)


@require_POST
def judge_remove(request: HttpRequest, pk: int, judge_pk: int) -> HttpResponse:
    """Take a judge off a panel while they hold no scores."""
    edition = access.get_edition(request.user, pk, organise=True)
    judge = edition_judge(edition, judge_pk)
    try:
        services.judge_remove(actor=request.user, judge=judge)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(u)s dikeluarkan dari tim juri.") % {"u": judge.user})
    return redirect("contests:panel_list", pk=edition.pk)


# --------------------------------------------------------------------------------------------- progress


def judging_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """One stage at a time: entries × judges with each sheet's state (never the scores before publication),
    searchable and paginated; exports of every stage."""
    edition = access.get_edition(request.user, pk, organise=True)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(progress_table(edition), fmt, f"progres-penilaian-{edition.pk}")
    summaries = stage_summaries(edition)
    current = {v: k for k, v in access.STAGE_STATE.items()}.get(edition.state)
    stage = request.GET.get("tahap")
    if stage not in Stage.values:
        stage = current or next((s.stage for s in summaries if s.judges), Stage.ADMIN)
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(stage_entries(edition, stage, q), PAGE_SIZE).get_page(request.GET.get("page"))
    base = urlencode({"tahap": stage, "q": q} if q else {"tahap": stage})
    ctx = {"edition": edition, "summaries": summaries, "stage": stage, "current_stage": current, "q": q,
           "progress": stage_progress(edition, stage, list(page.object_list)), "page_obj": page,
           "querystring_base": base + "&", "assign_form": AssignForm()}  # fmt: skip
    return render_page(request, "contests/judging_progress.html", ctx, fragment="results")


@require_POST
def judging_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give every judge of a stage a sheet for each entry in that stage (conflicts excepted)."""
    edition = access.get_edition(request.user, pk, organise=True)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih tahap penilaian."))
        return redirect("contests:judging_progress", pk=edition.pk)
    try:
        counts = services.assign(actor=request.user, edition=edition, stage=form.cleaned_data["stage"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s lembar nilai baru dibagikan; %(c)s konflik kepentingan ditemukan.")
                         % {"n": counts["created"], "c": counts["conflicts"]})  # fmt: skip
    return redirect("contests:judging_progress", pk=edition.pk)


@require_POST
def sheet_reopen(request: HttpRequest, pk: int, sheet_pk: int) -> HttpResponse:
    """Reopen a locked sheet, with a reason, before the results are computed (organisers)."""
    sheet = organiser_sheet(request.user, sheet_pk)
    if sheet.edition_id != pk:
        raise Http404
    form = ReasonForm(request.POST)
    try:
        services.sheet_reopen(actor=request.user, sheet=sheet,
                              reason=form.cleaned_data["reason"] if form.is_valid() else "")  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Lembar nilai %(s)s dibuka kembali.") % {"s": sheet})
    return redirect("contests:judging_progress", pk=pk)


# --------------------------------------------------------------------------------------------- a judge's pages


def judge_home(request: HttpRequest) -> HttpResponse:
    """A judge's queue: their own sheets by edition and stage, with how far each has come."""
    return render_page(request, "contests/judging_queue.html", {"groups": judge_queue(request.user)})


def _sheet_url(sheet: ScoreSheet, indicator_id: int | None = None) -> str:
    url = reverse("contests:sheet_detail", args=[sheet.pk])
    return f"{url}?i={indicator_id}" if indicator_id else url


def _sheet_page(request: HttpRequest, sheet: ScoreSheet, view: SheetView, *, form: ScoreForm | None = None,
                conflict_form: ReasonForm | None = None, saved: str = "",
                status: int = 200) -> HttpResponse:  # fmt: skip
    stage_open = sheet.edition.state == access.STAGE_STATE[sheet.stage]
    score = view.score
    if form is None:
        initial = {"value": score.value, "note": score.note, "evidence_seen": score.evidence_seen} if score else {}
        form = ScoreForm(initial=initial, rubric=sheet.edition.rubric, indicator=view.current)
    ctx = {"sheet": sheet, "edition": sheet.edition, "entry": sheet.entry, "view": view, "form": form,
           "editable": stage_open and not sheet.is_locked, "stage_open": stage_open, "saved": saved,
           "conflict_form": conflict_form or ReasonForm()}  # fmt: skip
    return render_page(request, "contests/judging_sheet.html", ctx, fragment="panel", status=status)


def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the judge's sheets, one indicator at a time (`?i=<indicator>`, default the first unscored)."""
    sheet = access.get_own_sheet(request.user, pk)
    return _sheet_page(request, sheet, sheet_view(sheet, request.GET.get("i")))


@require_POST
def sheet_score(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    """Save one indicator's score, then go on to the next unscored indicator."""
    sheet = access.get_own_sheet(request.user, pk)
    view = sheet_view(sheet, indicator_pk)
    if view.current.pk != indicator_pk:
        raise Http404
    form = ScoreForm(request.POST, rubric=sheet.edition.rubric, indicator=view.current)
    if form.is_valid():
        try:
            services.save_score(actor=request.user, sheet=sheet, indicator=view.current, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            saved = _("Skor %(code)s disimpan.") % {"code": view.current.code}
            after = sheet_view(sheet, view.next_id or view.current.pk)
            url = _sheet_url(sheet, after.current.pk)
            if not wants_fragment(request):
                messages.success(request, saved)
                return redirect(url)
            response = _sheet_page(request, sheet, after, saved=saved)
            response["HX-Push-Url"] = url
            return response
    return _sheet_page(request, sheet, view, form=form, status=200 if wants_fragment(request) else 422)


@require_POST
def sheet_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit and lock the sheet (refused until every indicator is scored)."""
    sheet = access.get_own_sheet(request.user, pk)
    try:
        services.lock_sheet(actor=request.user, sheet=sheet)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_sheet_url(sheet))
    messages.success(request, _("Lembar nilai %(e)s dikirim dan terkunci.") % {"e": sheet.entry})
    return redirect("contests:judge_home")


@require_POST
def sheet_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """Declare a conflict of interest with the sheet's entry (the empty sheet leaves the queue)."""
    sheet = access.get_own_sheet(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare(actor=request.user, sheet=sheet, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Konflik kepentingan dengan %(e)s dicatat.") % {"e": sheet.entry})
            return redirect("contests:judge_home")
    view = sheet_view(sheet, request.GET.get("i"))
    return _sheet_page(request, sheet, view, conflict_form=form, status=422)


def sheet_evidence(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """Download an evidence file of the sheet's entry (its judge only)."""
    sheet = access.get_own_sheet(request.user, pk)
    f = sheet_file(sheet, file_pk)
    name = f.file.name.rsplit("/", 1)[-1]
    return FileResponse(f.file.open("rb"), as_attachment=False, filename=name)
