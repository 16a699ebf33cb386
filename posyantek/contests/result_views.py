"""Organiser pages of results under /lomba/kelola/<pk>/hasil/: compute, the ranking (50 a page, exports), plenary
tie decisions, publication with confirmation, forwarding, the minutes and decree PDFs, and one entry's breakdown.

Only the edition's organisers: others who may see the edition get 403, everyone else 404 (access.get_edition).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.contests import access, pdf, result_services, scoring
from posyantek.contests.models import Edition
from posyantek.contests.result_forms import PublishForm, TieForm
from posyantek.contests.result_selectors import ranking_table, result_rows, scored_stages, tie_groups
from posyantek.core.exports import export_response
from posyantek.core.htmx import render_page

PAGE_SIZE = 50


def _organised(request: HttpRequest, pk: int) -> Edition:
    return access.get_edition(request.user, pk, organise=True)


def _redirect(edition: Edition) -> HttpResponse:
    return redirect(reverse("contests:result_list", args=[edition.pk]))


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def result_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The computed ranking with its stage and final scores, ties to decide, publication and the documents."""
    edition = _organised(request, pk)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(ranking_table(edition), fmt, f"peringkat-lomba-{edition.pk}")
    page = Paginator(result_rows(edition), PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "edition": edition, "page_obj": page, "querystring_base": "", "stages": scored_stages(edition),
        "ties": [(g, TieForm(entries=[r.entry for r in g], prefix=f"t{g[0].rank}")) for g in tie_groups(edition)],
        "can_compute": edition.state in result_services.COMPUTE_STATES and edition.published_at is None,
        "problems": result_services.publish_problems(edition) if edition.computed_at else [],
        "pending": result_services.pending_forward(edition) if edition.published_at else [],
        "deciding_rank": result_services.deciding_rank(edition),
    }  # fmt: skip
    return render_page(request, "contests/result_list.html", ctx, fragment="results")


@require_POST
def result_compute(request: HttpRequest, pk: int) -> HttpResponse:
    """Compute (or recompute) the ranking from the locked sheets."""
    edition = _organised(request, pk)
    try:
        done = result_services.compute(actor=request.user, edition=edition)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Peringkat %(n)s peserta dihitung; %(t)s kelompok nilai sama.")
                         % {"n": done.results, "t": done.ties})  # fmt: skip
    return _redirect(edition)


@require_POST
def result_resolve_tie(request: HttpRequest, pk: int, rank: int) -> HttpResponse:
    """Record the plenary's order of the entries tied at `rank`."""
    edition = _organised(request, pk)
    group = [r.entry for r in result_rows(edition).filter(rank=rank, tie=True)]
    if len(group) < 2:
        raise Http404
    form = TieForm(request.POST, entries=group, prefix=f"t{rank}")
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return _redirect(edition)
    try:
        result_services.resolve_tie(actor=request.user, edition=edition, ordering=form.ordering(),
                                    note=form.cleaned_data["note"])  # fmt: skip
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Keputusan pleno atas nilai sama di peringkat %(r)s dicatat.") % {"r": rank})
    return _redirect(edition)


def result_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm and publish the ranking (with the decree's number, date and signatory)."""
    edition = _organised(request, pk)
    form = PublishForm(request.POST or None, instance=edition)
    problems = result_services.publish_problems(edition)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            done = result_services.publish(actor=request.user, edition=edition, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Hasil diumumkan: %(a)s juara, %(f)s diteruskan, %(w)s menunggu lomba "
                                        "tingkat berikutnya.") % {"a": len(done.awards), "f": len(done.forwarded),
                                                                  "w": len(done.waiting)})  # fmt: skip
            return _redirect(edition)
    ctx = {"edition": edition, "form": form, "problems": problems,
           "top": result_rows(edition).filter(rank__lte=max(edition.forward_count, 3))}  # fmt: skip
    return render(request, "contests/result_publish.html", ctx)


@require_POST
def result_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Forward chosen ranked entries by hand (no more than the edition allows)."""
    edition = _organised(request, pk)
    ids = [int(x) for x in request.POST.getlist("entry") if x.isdigit()]
    entries = [r.entry for r in result_rows(edition).filter(entry_id__in=ids)]
    try:
        made = result_services.forward(actor=request.user, edition=edition, entries=entries)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(n)s peserta diteruskan ke lomba tingkat berikutnya.") % {"n": len(made)})
    return _redirect(edition)


@require_POST
def result_forward_pending(request: HttpRequest, pk: int) -> HttpResponse:
    """Forward the winners that waited for the next level's edition, now that it exists."""
    edition = _organised(request, pk)
    try:
        made = result_services.forward_pending(actor=request.user, edition=edition)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(n)s peserta diteruskan ke lomba tingkat berikutnya.") % {"n": len(made)})
    return _redirect(edition)


def result_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The plenary minutes (berita-acara) or the winners' decree (sk-juara) as PDF."""
    edition = _organised(request, pk)
    if kind not in pdf.DOCUMENTS or edition.computed_at is None:
        raise Http404
    return pdf.document_response(request, kind, edition)


def result_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """How one entry's score was computed, for the organiser (also before publication)."""
    edition = _organised(request, pk)
    result = result_rows(edition).select_related("entry__post").filter(entry_id=entry_pk).first()
    if result is None:
        raise Http404
    ctx = {"edition": edition, "result": result, "entry": result.entry, "b": scoring.breakdown(edition, result.entry),
           "public": False}  # fmt: skip
    return render(request, "contests/result_entry.html", ctx)
