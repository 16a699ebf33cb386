"""Pages of contest entries: registration (/lomba/kelola/<pk>/daftar) and the entry with its dossier
(/lomba/peserta/<pk>/): narrative, self-score and evidence per indicator, the system's figures, submission, and the
organiser's return, administrative decision, nominee/finalist moves and withdrawal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.contests import access, entry_services, selectors
from posyantek.contests.edition_forms import (
    AdminDecisionForm,
    DossierItemForm,
    EntryStateForm,
    EvidenceForm,
    NoteForm,
    RegisterForm,
)
from posyantek.contests.edition_views import add_errors
from posyantek.contests.models import Category, Edition, Entry
from posyantek.core.htmx import render_page
from posyantek.core.selectors import history_for


def entry_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a post (or a TTG of a post with its innovators) while registration is open."""
    edition = access.get_edition(request.user, pk)
    choices = selectors.register_choices(user=request.user, edition=edition)
    if not choices["posts"].exists():
        raise PermissionDenied
    with_ttg = edition.category != Category.POSYANTEK
    posted = request.method == "POST"
    form = RegisterForm(request.POST if posted else None, with_ttg=with_ttg, **choices)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            entry = entry_services.entry_register(actor=request.user, edition=edition, post=data["post"],
                                                  ttg=data.get("ttg"), innovators=data.get("innovators") or [],
                                                  title=data["title"])  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(entry)s terdaftar. Lengkapi dossier lalu ajukan.") % {"entry": entry})
            return redirect(entry)
    ctx = {"form": form, "edition": edition, "open": edition.state == Edition.State.REGISTRATION}
    return render_page(request, "contests/entry_register.html", ctx, status=422 if form.errors else 200)


def _rights(user: Any, entry: Entry) -> dict[str, bool]:
    organise = access.can_organise(user, entry.edition)
    can_edit = Entry.objects.for_user(user, "edit").filter(pk=entry.pk).exists()
    can_manage = Entry.objects.for_user(user, "manage").filter(pk=entry.pk).exists()
    return {"organise": organise, "can_edit": can_edit and not entry.is_locked,
            "can_submit": can_manage and entry.state in (Entry.State.DRAFT, Entry.State.RETURNED),
            "can_withdraw": (organise or can_manage) and entry.state not in entry_services.FINAL}  # fmt: skip


def entry_detail(request: HttpRequest, pk: int, **bound: Any) -> HttpResponse:
    """Show an entry and its dossier (read-only for judges and once submitted), with the actions the user has."""
    entry = access.get_entry(request.user, pk)
    rights = _rights(request.user, entry)
    ctx: dict[str, Any] = {
        "entry": entry, "edition": entry.edition, "rubric": entry.edition.rubric, "groups": selectors.dossier(entry),
        "figures": selectors.self_assessment_rows(entry), "missing": entry_services.missing_evidence(entry),
        "history": history_for(entry), "chain": selectors.entry_log(entry), **rights,
    }  # fmt: skip
    if rights["can_edit"]:
        ctx["evidence_form"] = EvidenceForm()
    if rights["organise"]:
        ctx.setdefault("return_form", NoteForm(prefix="ret"))
        ctx.setdefault("admin_form", AdminDecisionForm())
        ctx.setdefault("state_form", EntryStateForm())
    if rights["can_withdraw"]:
        ctx.setdefault("withdraw_form", NoteForm(prefix="wd"))
    ctx.update(bound)
    failed = any(getattr(form, "errors", None) for form in bound.values() if hasattr(form, "errors"))
    return render_page(request, "contests/entry_detail.html", ctx, status=422 if failed else 200)


def _back(entry: Entry, anchor: str = "") -> HttpResponse:
    return redirect(f"{entry.get_absolute_url()}{'#' + anchor if anchor else ''}")


@require_POST
def dossier_save(request: HttpRequest, pk: int, ipk: int) -> HttpResponse:
    """Save the narrative and self-score of one indicator."""
    entry = access.get_entry(request.user, pk, "edit")
    indicator = selectors.indicator_of(entry, ipk)
    if indicator is None:
        raise Http404
    form = DossierItemForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            entry_services.dossier_save(actor=request.user, entry=entry, indicator=indicator, narrative=d["narrative"],
                                        self_score=d["self_score"], version=d["version"])  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Isian %(code)s disimpan.") % {"code": indicator.code})
            return _back(entry, f"ind-{indicator.pk}")
    return entry_detail(request, pk, item_form=form, item_indicator=indicator.pk)


@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach an evidence file or link to one indicator."""
    entry = access.get_entry(request.user, pk, "edit")
    indicator = selectors.indicator_of(entry, request.POST.get("indicator", ""))
    if indicator is None:
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            entry_services.file_add(actor=request.user, entry=entry, indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Bukti %(code)s ditambahkan.") % {"code": indicator.code})
            return _back(entry, f"ind-{indicator.pk}")
    return entry_detail(request, pk, evidence_form=form, evidence_indicator=indicator.pk)


@require_POST
def evidence_remove(request: HttpRequest, pk: int, fpk: int) -> HttpResponse:
    """Remove an evidence file while the dossier is open."""
    entry = access.get_entry(request.user, pk, "edit")
    obj = entry.files.filter(pk=fpk).select_related("indicator").first()
    if obj is None:
        raise Http404
    try:
        entry_services.file_remove(actor=request.user, dossier_file=obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(entry, f"ind-{obj.indicator_id}")


def evidence_file(request: HttpRequest, pk: int, fpk: int) -> HttpResponse:
    """Download an evidence file, for whoever may read the dossier (judges included)."""
    entry = access.get_entry(request.user, pk)
    obj = entry.files.filter(pk=fpk).first()
    if obj is None or not obj.file:
        raise Http404
    return FileResponse(obj.file.open("rb"), as_attachment=False, filename=obj.file.name.rsplit("/", 1)[-1])


@require_POST
def entry_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    """Ambil angka dari sistem: refresh the self-assessment from the system's data."""
    entry = access.get_entry(request.user, pk, "edit")
    try:
        entry_services.entry_prefill(actor=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Angka dari sistem diperbarui."))
    return _back(entry, "angka-sistem")


@require_POST
def entry_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the dossier; missing mandatory evidence is named per indicator."""
    entry = access.get_entry(request.user, pk, "manage")
    try:
        entry_services.entry_submit(actor=request.user, entry=entry, version=_version(request))
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Dossier diajukan dan dikunci."))
    return _back(entry)


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _organiser_action(request: HttpRequest, pk: int, form_class: Any, prefix: str | None, name: str,
                      call: Any, done: str) -> HttpResponse:  # fmt: skip
    entry = access.get_entry(request.user, pk, "organise")
    form = form_class(request.POST, prefix=prefix) if prefix else form_class(request.POST)
    if form.is_valid():
        try:
            call(entry, form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return _back(entry)
    return entry_detail(request, pk, **{name: form})


@require_POST
def entry_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a submitted dossier for revision, with a required note."""
    return _organiser_action(
        request,
        pk,
        NoteForm,
        "ret",
        "return_form",
        lambda e, d: entry_services.entry_return(actor=request.user, entry=e, note=d["note"], version=d["version"]),
        _("Dossier dikembalikan untuk perbaikan."),
    )


@require_POST
def entry_admin(request: HttpRequest, pk: int) -> HttpResponse:
    """Decide the administrative selection: pass or fail, with reasons."""
    return _organiser_action(request, pk, AdminDecisionForm, None, "admin_form",
                             lambda e, d: entry_services.entry_admin_decide(
                                 actor=request.user, entry=e, passed=d["passed"], reasons=d["reasons"],
                                 version=d["version"]), _("Keputusan administrasi dicatat."))  # fmt: skip


@require_POST
def entry_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Make an entry a nominee or a finalist."""
    return _organiser_action(request, pk, EntryStateForm, None, "state_form",
                             lambda e, d: entry_services.set_state(actor=request.user, entry=e, state=d["state"],
                                                                   note=d["note"], version=d["version"]),
                             _("Status peserta diperbarui."))  # fmt: skip


@require_POST
def entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an entry (its post's manager or an organiser)."""
    entry = access.get_entry(request.user, pk)
    form = NoteForm(request.POST, prefix="wd")
    if form.is_valid():
        try:
            entry_services.entry_withdraw(actor=request.user, entry=entry, note=form.cleaned_data["note"],
                                          version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Peserta mengundurkan diri."))
            return _back(entry)
    return entry_detail(request, pk, withdraw_form=form)
