"""Staff pages of agreements (MoU / PKS), under /kemitraan/: list, form, detail with parties, steps, results,
reminders and history; the agreement file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.exports import Table, export_response
from posyantek.core.htmx import render_page
from posyantek.core.lists import list_context
from posyantek.core.scoping import get_scoped_object, user_can
from posyantek.core.selectors import history_for
from posyantek.partnerships import agreement_services as services
from posyantek.partnerships import result_services
from posyantek.partnerships.filters import AgreementFilter
from posyantek.partnerships.forms import AgreementForm, PartyEditForm, PartyForm, ResultForm, StepForm
from posyantek.partnerships.models import Agreement, AgreementParty, AgreementResult, Partner
from posyantek.partnerships.reminders import reminder_recipients, upcoming_reminders
from posyantek.partnerships.selectors import (
    agreement_choices,
    agreement_list,
    agreement_produced,
    can_create,
    result_targets,
)
from posyantek.partnerships.views import add_errors
from posyantek.partnerships.workflow import FINAL, IN_FORCE, PARTIES_OPEN, PRODUCING, State, next_states


def _agreement(request: HttpRequest, pk: int, action: str = "view") -> Agreement:
    return get_scoped_object(agreement_list(user=request.user), request.user, action, pk=pk)


def _export(qs: Any, fmt: str) -> HttpResponse:
    headers = ["Nomor", "Judul", "Jenis dokumen", "Pos", "Para pihak", "Tahap", "Tanggal tanda tangan",
               "Berlaku mulai", "Berlaku sampai", "Segera berakhir", "Nilai (Rp)", "Penanggung jawab",
               "Hasil"]  # fmt: skip
    rows = ([a.number, a.title, a.get_doc_kind_display(), a.post.name,
             "; ".join(str(p.partner) if p.partner_id else a.post.name for p in a.parties.all()),
             a.get_state_display(), a.signed_on, a.starts_on, a.ends_on, "ya" if a.expiring_soon else "",
             a.value, str(a.manager or ""), a.n_results] for a in qs)  # fmt: skip
    return export_response(Table("Kerja sama", headers, rows), fmt, "kerja-sama")


def agreement_list_view(request: HttpRequest) -> HttpResponse:
    """List the agreements the user may see; filter (state, kind, partner, ending soon), search, page, download."""
    f = AgreementFilter(request.GET, queryset=agreement_list(user=request.user), request=request)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(f.qs, request.GET["format"])
    ctx = list_context(request, f)
    ctx["can_create"] = can_create(request.user)
    return render_page(request, "partnerships/agreement_list.html", ctx, fragment="results")


def _new_initial(request: HttpRequest) -> dict[str, Any]:
    """Return what a new agreement starts with: the post asked for, or the partner's post and the partner itself
    (recorded from the partner's page: it becomes the second party)."""
    initial: dict[str, Any] = {}
    partner_pk = request.GET.get("mitra", "")[:20]
    partner = None
    if partner_pk.isdigit():
        partner = Partner.objects.for_user(request.user, "edit").filter(pk=partner_pk).only("pk", "post_id").first()
    if partner is not None:
        initial.update(post=partner.post_id, partner=partner.pk)
    elif (post := request.GET.get("post", "")[:20]).isdigit():
        initial["post"] = post
    return initial


def agreement_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record an agreement being explored, or change its details and file."""
    ag = _agreement(request, pk, "edit") if pk else None
    if ag is None and not can_create(request.user):
        raise PermissionDenied
    posted = request.method == "POST"
    initial = _new_initial(request) if ag is None and not posted else None
    form = AgreementForm(request.POST if posted else None, request.FILES if posted else None, instance=ag,
                         initial=initial, user=request.user)  # fmt: skip
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "partner")}
        if not data.get("file"):
            data.pop("file", None)
        try:
            if ag:
                ag = services.agreement_update(actor=request.user, agreement=ag, data=data,
                                               version=form.cleaned_data.get("version"))  # fmt: skip
            else:
                ag = services.agreement_create(actor=request.user, data=data, partner=form.cleaned_data.get("partner"))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s disimpan.") % {"name": ag})
            return redirect(ag)
    return render_page(request, "partnerships/agreement_form.html", {"form": form, "agreement": ag})


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an agreement: parties and obligations, steps, what it produced, reminders sent, history."""
    return _detail(request, _agreement(request, pk))


def _detail(request: HttpRequest, ag: Agreement, **bound: Any) -> HttpResponse:
    """Render the agreement's page; a form that failed comes back bound, with its errors next to its fields."""
    can_edit = user_can(request.user, ag, "edit")
    producing = ag.state in PRODUCING
    ctx: dict[str, Any] = {
        "ag": ag,
        "parties": ag.parties.select_related("partner"),
        "steps": ag.steps.select_related("actor"),
        "produced": agreement_produced(agreement=ag),
        "reminders": (reminders := list(ag.reminders.all())),
        "upcoming": upcoming_reminders(ag, reminders, today=timezone.localdate()),
        "extensions": ag.extensions.all(),
        "can_edit": can_edit,
        "next_states": next_states(ag.state),
        "parties_open": ag.state in PARTIES_OPEN,
        "parties_locked": ag.state in FINAL,
        "producing": producing,
        "in_force": ag.state in IN_FORCE,
        "reminder_to": reminder_recipients(ag) if ag.state in IN_FORCE and ag.ends_on else [],
        "history": history_for(ag),
    }
    if can_edit:
        ctx["party_form"] = PartyForm(user=request.user, agreement=ag)
        ctx["step_form"] = StepForm(extensions=agreement_choices(user=request.user, agreement=ag))
        if producing:
            targets = result_targets(user=request.user, agreement=ag)
            ctx["result_forms"] = {k: ResultForm(kind=k, targets=targets) for k in AgreementResult.Kind.values}
    ctx.update(bound)
    if "result_form" in bound:
        ctx.setdefault("result_forms", {})[bound["result_form"].kind] = bound["result_form"]
    failed = any(getattr(form, "errors", None) for form in bound.values())
    return render_page(request, "partnerships/agreement_detail.html", ctx, status=422 if failed else 200)


@require_POST
def agreement_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the agreement to one of its next states (signing, evaluating, extending carry their own fields)."""
    ag = _agreement(request, pk, "edit")
    form = StepForm(request.POST, extensions=agreement_choices(user=request.user, agreement=ag))
    if not form.is_valid():
        return _detail(request, ag, step_form=form)
    data = form.cleaned_data
    try:
        ag = services.agreement_advance(
            actor=request.user, agreement=ag, state=data["state"], note=data["note"], version=data["version"],
            signed_on=data["signed_on"], evaluation=data["evaluation"] if data["state"] == State.EVALUATED else None,
            extension=data["extension"], starts_on=data["starts_on"], ends_on=data["ends_on"],
        )  # fmt: skip
    except ValidationError as exc:
        add_errors(form, exc)
        return _detail(request, _agreement(request, pk), step_form=form)
    messages.success(request, _("Tahap diperbarui: %(state)s.") % {"state": ag.get_state_display()})
    if ag.state == State.EXTENDED:
        new = ag.extensions.order_by("-pk").first()
        if new is not None:
            messages.info(request, _("Perpanjangan: %(new)s. Lengkapi lalu tandatangani.") % {"new": new})
            return redirect(new)
    return redirect(ag)


@require_POST
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a party (one of the post's partners, or the post itself)."""
    ag = _agreement(request, pk, "edit")
    form = PartyForm(request.POST, user=request.user, agreement=ag)
    if form.is_valid():
        try:
            services.party_add(actor=request.user, agreement=ag, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Pihak ditambahkan."))
            return redirect(ag)
    return _detail(request, ag, party_form=form)


def _party(request: HttpRequest, ag: Agreement, ppk: int) -> AgreementParty:
    qs = AgreementParty.objects.for_user(request.user, "view").filter(agreement=ag).select_related("partner")
    return get_scoped_object(qs, request.user, "edit", pk=ppk)


def party_edit(request: HttpRequest, pk: int, ppk: int) -> HttpResponse:
    """Change who signs for a party and what it must do."""
    ag = _agreement(request, pk, "edit")
    party = _party(request, ag, ppk)
    posted = request.method == "POST"
    form = PartyEditForm(request.POST if posted else None, instance=party)
    if posted and form.is_valid():
        try:
            services.party_update(actor=request.user, party=party, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Pihak diperbarui."))
            return redirect(ag)
    who = party.partner or ag.post
    ctx = {"form": form, "back": ag, "title": _("Pihak: %(who)s") % {"who": who}}
    return render_page(request, "partnerships/child_form.html", ctx)


@require_POST
def party_remove(request: HttpRequest, pk: int, ppk: int) -> HttpResponse:
    """Remove a party listed by mistake (before signing)."""
    ag = _agreement(request, pk, "edit")
    try:
        services.party_remove(actor=request.user, party=_party(request, ag, ppk))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pihak dihapus."))
    return redirect(ag)


@require_POST
def result_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what the agreement produced: a Bintek, a request, a TTG, an order, funds, or something else."""
    ag = _agreement(request, pk, "edit")
    kind = request.POST.get("kind", "")
    if kind not in AgreementResult.Kind.values:
        raise Http404
    if ag.state not in PRODUCING:
        messages.error(request, _("Hasil dicatat setelah kerja sama ditandatangani."))
        return redirect(ag)
    form = ResultForm(request.POST, kind=kind, targets=result_targets(user=request.user, agreement=ag))
    if form.is_valid():
        try:
            result_services.result_add(actor=request.user, agreement=ag, data={**form.cleaned_data, "kind": kind})
        except ValidationError as exc:
            add_errors(form, exc, {"order": "order_code", "service_request": "request_code"})
        else:
            messages.success(request, _("Hasil kerja sama dicatat."))
            return redirect(f"{ag.get_absolute_url()}#hasil")
    return _detail(request, ag, result_form=form)


@require_POST
def result_remove(request: HttpRequest, pk: int, rpk: int) -> HttpResponse:
    """Remove a result recorded by mistake."""
    ag = _agreement(request, pk, "edit")
    qs = AgreementResult.objects.for_user(request.user, "view").filter(agreement=ag)
    result_services.result_remove(actor=request.user, result=get_scoped_object(qs, request.user, "edit", pk=rpk))
    messages.success(request, _("Hasil dihapus."))
    return redirect(f"{ag.get_absolute_url()}#hasil")


def agreement_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the agreement's PDF, for those who may see the agreement."""
    ag = _agreement(request, pk)
    if not ag.file:
        raise Http404
    return FileResponse(ag.file.open("rb"), as_attachment=True, filename=ag.file.name.rsplit("/", 1)[-1])
