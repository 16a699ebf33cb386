"""Staff pages of Bintek, under /bintek/: list, plan, states, participants, attendance, files, follow-up, results."""

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
from posyantek.core.pagecache import cache_page_until_change
from posyantek.core.scoping import Action, get_scoped_object, user_can, user_grants
from posyantek.core.selectors import history_for
from posyantek.trainings import services
from posyantek.trainings.certificates import certificate_response, qr_svg
from posyantek.trainings.filters import BintekFilter, ParticipantFilter
from posyantek.trainings.forms import (
    BintekForm,
    FollowUpForm,
    MaterialForm,
    OutcomeForm,
    ParticipantForm,
    ReportForm,
    SessionForm,
    StateForm,
)
from posyantek.trainings.models import AttendanceSession, Bintek, FollowUp, Material, Participant
from posyantek.trainings.selectors import bintek_list, bintek_results, participant_list


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _form_errors(request: HttpRequest, form: Any) -> None:
    messages.error(request, " ".join(f"{form[k].label if k in form.fields else ''}: {' '.join(v)}".lstrip(": ")
                                     for k, v in form.errors.items()))  # fmt: skip


def _bintek(request: HttpRequest, pk: int, action: str = "view") -> Bintek:
    return get_scoped_object(bintek_list(user=request.user), request.user, action, pk=pk)


def _export_bintek(qs: Any, fmt: str) -> HttpResponse:
    headers = ["Judul", "Pos penyelenggara", "Kode wilayah", "Lokasi", "TTG", "Topik", "Tanggal mulai",
               "Tanggal selesai", "Tahap", "Anggaran (Rp)", "Sumber dana", "Peserta", "Perempuan"]  # fmt: skip
    rows = ([b.title, b.post.name, b.region_id, b.region.name, b.ttg.name if b.ttg else "", b.topic, b.starts_on,
             b.ends_on, b.get_state_display(), b.budget, b.get_funding_source_display(), b.n_participants, b.n_women]
            for b in qs)  # fmt: skip
    return export_response(Table("Bintek", headers, rows), fmt, "bintek")


@cache_page_until_change
def bintek_list_view(request: HttpRequest) -> HttpResponse:
    """List the Bintek the user may see; filter, search, page and download."""
    f = BintekFilter(request.GET, queryset=bintek_list(user=request.user))
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export_bintek(f.qs, request.GET["format"])
    ctx = list_context(request, f)
    ctx["can_create"] = any(g.rank >= Action.EDIT for g in user_grants(request.user))
    return render_page(request, "trainings/bintek_list.html", ctx, fragment="results")


def bintek_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Plan a Bintek, or change its plan."""
    bintek = _bintek(request, pk, "edit") if pk else None
    if bintek is None and not any(g.rank >= Action.EDIT for g in user_grants(request.user)):
        raise PermissionDenied
    posted = request.method == "POST"
    form = BintekForm(request.POST if posted else None, request.FILES if posted else None, instance=bintek,
                      user=request.user)  # fmt: skip
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if bintek:
                bintek = services.bintek_update(actor=request.user, bintek=bintek, data=data,
                                                version=form.cleaned_data.get("version"))  # fmt: skip
            else:
                bintek = services.bintek_create(actor=request.user, data=data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(title)s disimpan.") % {"title": bintek})
            return redirect(bintek)
    return render_page(request, "trainings/bintek_form.html", {"form": form, "bintek": bintek})


def _add_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


def _attendance_open(bintek: Bintek) -> bool:
    return bintek.state_index <= list(Bintek.State.values).index(Bintek.State.HELD)


def bintek_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a Bintek: plan, state, participants by sex and group, attendance, files, follow-up and results."""
    return _detail(request, _bintek(request, pk))


def _detail(request: HttpRequest, bintek: Bintek, **bound: Any) -> HttpResponse:
    """Render the Bintek's page; a form that failed comes back bound, with its errors next to its fields."""
    can_edit = user_can(request.user, bintek, "edit")
    order = list(Bintek.State.values)
    following = order[bintek.state_index + 1] if bintek.state_index + 1 < len(order) else None
    ctx = {
        "bintek": bintek,
        "results": bintek_results(bintek),
        "steps": bintek.steps.select_related("actor"),
        "trainers": bintek.trainer_people.all(),
        "partners": [line.strip() for line in bintek.trainer_partners.splitlines() if line.strip()],
        "sessions": bintek.sessions.all(),
        "now": timezone.now(),
        "materials": bintek.materials.all(),
        "followups": bintek.followups.all(),
        "can_edit": can_edit,
        "attendance_open": _attendance_open(bintek),
        "next_state": following and Bintek.State(following),
        "state_form": StateForm(initial={"state": following, "version": bintek.version}),
        "session_form": SessionForm(initial={"day": timezone.localdate()}),
        "material_form": MaterialForm(),
        "report_form": ReportForm(initial={"text": bintek.report_text}),
        "followup_form": FollowUpForm(),
        "outcome_form": OutcomeForm(initial={"measured_on": timezone.localdate()}),
        "registration_url": request.build_absolute_uri(bintek.get_registration_url()),
        "history": history_for(bintek),
    }
    ctx.update(bound)
    return render_page(request, "trainings/bintek_detail.html", ctx, status=422 if bound else 200)


@require_POST
def bintek_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the Bintek to its next state (never skipping one)."""
    bintek = _bintek(request, pk, "edit")
    form = StateForm(request.POST)
    if form.is_valid():
        try:
            services.bintek_advance(actor=request.user, bintek=bintek, state=form.cleaned_data["state"],
                                    note=form.cleaned_data["note"], version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as exc:
            _errors(request, exc)  # a button, with nothing typed to lose: the message says why
        else:
            messages.success(request, _("Tahap diperbarui."))
    else:
        _form_errors(request, form)
    return redirect(bintek)


@require_POST
def bintek_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the report (text and optional PDF)."""
    bintek = _bintek(request, pk, "edit")
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.bintek_report(actor=request.user, bintek=bintek, text=form.cleaned_data["text"],
                                   upload=form.cleaned_data["file"])  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
            return _detail(request, bintek, **{"report_form": form})
        else:
            messages.success(request, _("Laporan disimpan."))
    else:
        return _detail(request, bintek, **{"report_form": form})
    return redirect(bintek)


@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a material or a photo."""
    bintek = _bintek(request, pk, "edit")
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(actor=request.user, bintek=bintek, kind=form.cleaned_data["kind"],
                                  upload=form.cleaned_data["file"], caption=form.cleaned_data["caption"])  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
            return _detail(request, bintek, **{"material_form": form})
        else:
            messages.success(request, _("Berkas ditambahkan."))
    else:
        return _detail(request, bintek, **{"material_form": form})
    return redirect(bintek)


def bintek_file(request: HttpRequest, pk: int, kind: str, obj: int = 0) -> HttpResponse:
    """Stream a file of a Bintek the user may see: TOR, report, a material/photo or follow-up evidence."""
    bintek = _bintek(request, pk)
    if kind == "kak":
        file = bintek.tor
    elif kind == "laporan":
        file = bintek.report_file
    elif kind == "materi":
        found = Material.objects.for_user(request.user, "view").filter(bintek=bintek, pk=obj).first()
        file = found.file if found else None
    elif kind == "bukti":
        item = FollowUp.objects.for_user(request.user, "view").filter(bintek=bintek, pk=obj).first()
        file = item.evidence_file if item else None
    else:
        raise Http404
    if not file:
        raise Http404
    try:
        return FileResponse(file.open("rb"), filename=file.name.rsplit("/", 1)[-1])
    except FileNotFoundError as exc:
        raise Http404 from exc


@require_POST
def bintek_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a Bintek planned by mistake (still planned, nobody registered)."""
    bintek = _bintek(request, pk, "edit")
    try:
        services.bintek_remove(actor=request.user, bintek=bintek)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(bintek)
    messages.success(request, _("Bintek dihapus."))
    return redirect("trainings:bintek_list")


@require_POST
def item_remove(request: HttpRequest, pk: int, kind: str, obj: int) -> HttpResponse:
    """Remove a participant, a follow-up item or a material of a Bintek."""
    bintek = _bintek(request, pk, "edit")
    models = {"peserta": Participant, "tindak-lanjut": FollowUp, "berkas": Material}
    if kind not in models:
        raise Http404
    found = get_scoped_object(models[kind].objects.for_user(request.user, "view").filter(bintek=bintek),
                              request.user, "edit", pk=obj)  # fmt: skip
    try:
        if kind == "peserta":
            services.participant_remove(actor=request.user, participant=found)
        elif kind == "tindak-lanjut":
            services.followup_remove(actor=request.user, item=found)
        else:
            services.material_remove(actor=request.user, material=found)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Dihapus."))
    return redirect("trainings:participant_list", pk=bintek.pk) if kind == "peserta" else redirect(bintek)


# --- Participants ---------------------------------------------------------------------------------------------


def _export_participants(bintek: Bintek, qs: Any, fmt: str) -> HttpResponse:
    headers = ["Nomor", "Nama", "Jenis kelamin", "Kelompok", "Telepon", "Alamat", "Diundang", "Cara daftar",
               "Hadir (sesi)", "Nilai pre-test", "Nilai post-test", "Kode sertifikat"]  # fmt: skip
    rows = ([p.registration_code, p.name, p.sex, p.get_group_display(), p.phone, p.address,
             "ya" if p.invited else "tidak", p.get_source_display(), p.n_present, p.pre_score, p.post_score,
             p.certificate_code or ""] for p in qs)  # fmt: skip
    return export_response(Table("Peserta", headers, rows), fmt, f"peserta-bintek-{bintek.pk}")


@cache_page_until_change
def participant_list_view(request: HttpRequest, pk: int) -> HttpResponse:
    """List a Bintek's participants: filter, search, page and download."""
    bintek = _bintek(request, pk)
    f = ParticipantFilter(request.GET, queryset=participant_list(user=request.user, bintek=bintek))
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export_participants(bintek, f.qs, request.GET["format"])
    ctx = list_context(request, f, page_size=50)
    ctx.update({
        "bintek": bintek,
        "can_edit": user_can(request.user, bintek, "edit"),
        # The "Hadir" buttons only while attendance may still change (services refuse it once reported).
        "sessions": list(bintek.sessions.all()) if _attendance_open(bintek) else [],
    })  # fmt: skip
    return render_page(request, "trainings/participant_list.html", ctx, fragment="results")


def participant_form(request: HttpRequest, pk: int, ppk: int | None = None) -> HttpResponse:
    """Register a participant, or change one (details, invitation, scores)."""
    bintek = _bintek(request, pk, "edit")
    participant = None
    if ppk is not None:
        qs = participant_list(user=request.user, bintek=bintek)
        participant = get_scoped_object(qs, request.user, "edit", pk=ppk)
    form = ParticipantForm(request.POST if request.method == "POST" else None, instance=participant,
                           user=request.user)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if participant:
                services.participant_update(actor=request.user, participant=participant, data=data,
                                            version=form.cleaned_data.get("version"))  # fmt: skip
            else:
                participant = services.participant_register(actor=request.user, bintek=bintek, data=data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Peserta %(name)s disimpan.") % {"name": participant})
            return redirect("trainings:participant_list", pk=bintek.pk)
    ctx = {
        "form": form,
        "bintek": bintek,
        "participant": participant,
        "history": history_for(participant) if participant else None,
    }
    return render_page(request, "trainings/participant_form.html", ctx)  # fmt: skip


def _participant(request: HttpRequest, pk: int, ppk: int, action: str = "edit") -> tuple[Bintek, Participant]:
    bintek = _bintek(request, pk, action)
    return bintek, get_scoped_object(participant_list(user=request.user, bintek=bintek), request.user, action, pk=ppk)


@require_POST
def attendance_mark(request: HttpRequest, pk: int, ppk: int) -> HttpResponse:
    """Mark a participant present at a session (for someone without a phone)."""
    bintek, participant = _participant(request, pk, ppk)
    session = AttendanceSession.objects.for_user(request.user, "edit").filter(
        bintek=bintek, pk=request.POST.get("session") or 0).first()  # fmt: skip
    if session is None:
        messages.error(request, _("Pilih sesi presensi."))
    else:
        try:
            services.attendance_mark(actor=request.user, session=session, participant=participant)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("%(name)s dicatat hadir.") % {"name": participant.name})
    return redirect("trainings:participant_list", pk=bintek.pk)


@require_POST
def certificate_issue(request: HttpRequest, pk: int, ppk: int) -> HttpResponse:
    """Issue one participant's certificate; refused for someone who did not attend."""
    bintek, participant = _participant(request, pk, ppk)
    try:
        services.certificate_issue(actor=request.user, participant=participant)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Sertifikat %(name)s diterbitkan.") % {"name": participant.name})
    return redirect("trainings:participant_list", pk=bintek.pk)


@require_POST
def certificates_issue_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue certificates to everyone who attended."""
    bintek = _bintek(request, pk, "edit")
    try:
        n = services.certificates_issue_all(actor=request.user, bintek=bintek)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(n)s sertifikat diterbitkan.") % {"n": n})
    return redirect(bintek)


def certificate_pdf(request: HttpRequest, pk: int, ppk: int) -> HttpResponse:
    """Download a participant's certificate as PDF."""
    _bintek_obj, participant = _participant(request, pk, ppk, "view")
    if not participant.certificate_code:
        raise Http404
    return certificate_response(request, participant)


# --- Attendance sessions --------------------------------------------------------------------------------------


@require_POST
def session_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open an attendance session with a short code and a QR to show at the venue."""
    bintek = _bintek(request, pk, "edit")
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            s = services.session_open(actor=request.user, bintek=bintek, day=form.cleaned_data["day"],
                                      label=form.cleaned_data["label"], hours=form.cleaned_data["hours"])  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
            return _detail(request, bintek, **{"session_form": form})
        else:
            messages.success(request, _("Kode presensi: %(code)s") % {"code": s.code})
    else:
        return _detail(request, bintek, **{"session_form": form})
    return redirect(bintek)


def session_qr(request: HttpRequest, pk: int, spk: int) -> HttpResponse:
    """The QR code of a session's check-in link, as SVG."""
    bintek = _bintek(request, pk)
    session = AttendanceSession.objects.for_user(request.user, "view").filter(bintek=bintek, pk=spk).first()
    if session is None:
        raise Http404
    from django.urls import reverse

    url = request.build_absolute_uri(reverse("pelatihan:check_in")) + f"?kode={session.code}"
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")


# --- Follow-up and outcomes -----------------------------------------------------------------------------------


@require_POST
def followup_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a follow-up item."""
    bintek = _bintek(request, pk, "edit")
    form = FollowUpForm(request.POST, request.FILES)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "evidence")}
        try:
            services.followup_create(actor=request.user, bintek=bintek, data=data,
                                     upload=form.cleaned_data["evidence"])  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
            return _detail(request, bintek, **{"followup_form": form})
        else:
            messages.success(request, _("Tindak lanjut dicatat."))
    else:
        return _detail(request, bintek, **{"followup_form": form})
    return redirect(bintek)


def followup_edit(request: HttpRequest, pk: int, fpk: int) -> HttpResponse:
    """Change a follow-up item: its status and evidence."""
    bintek = _bintek(request, pk, "edit")
    item = get_scoped_object(FollowUp.objects.for_user(request.user, "view").filter(bintek=bintek), request.user,
                             "edit", pk=fpk)  # fmt: skip
    posted = request.method == "POST"
    form = FollowUpForm(request.POST if posted else None, request.FILES if posted else None, instance=item)
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "evidence")}
        try:
            services.followup_update(actor=request.user, item=item, data=data, upload=form.cleaned_data["evidence"],
                                     version=form.cleaned_data.get("version"))  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Tindak lanjut diperbarui."))
            return redirect(bintek)
    ctx = {"form": form, "bintek": bintek, "item": item, "history": history_for(item)}
    return render_page(request, "trainings/followup_form.html", ctx)


@require_POST
def outcome_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record outcome indicators at 0, 3, 6 or 12 months."""
    bintek = _bintek(request, pk, "edit")
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_record(actor=request.user, bintek=bintek, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return _detail(request, bintek, **{"outcome_form": form})
        else:
            messages.success(request, _("Indikator hasil dicatat."))
    else:
        return _detail(request, bintek, **{"outcome_form": form})
    return redirect(bintek)
