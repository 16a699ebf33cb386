"""Public Bintek pages (no login): self-registration, check-in with the venue's code, certificate verification."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from posyantek.core import ratelimit
from posyantek.trainings import services
from posyantek.trainings.certificates import certificate_response
from posyantek.trainings.forms import CheckInForm, PublicRegistrationForm
from posyantek.trainings.selectors import bintek_by_token_unscoped, certificate_get_unscoped

#: Registrations one address may send per hour, check-ins per minute, certificate PDFs per minute.
REGISTRATIONS_PER_HOUR = 20
CHECK_INS_PER_MINUTE = 30
PDFS_PER_MINUTE = 20


def _too_many(request: HttpRequest, seconds: int) -> HttpResponse:
    message = _("Terlalu banyak permintaan dari alamat Anda. Tunggu sebentar, lalu coba lagi.")
    response = render(request, "error.html", {"code": 429, "title": _("Terlalu banyak permintaan"),
                                              "message": message}, status=429)  # fmt: skip
    response["Retry-After"] = str(seconds)
    return response


def _add_errors(form: PublicRegistrationForm | CheckInForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


@login_not_required
def register(request: HttpRequest, token: str) -> HttpResponse:
    """Register oneself for a Bintek through its public link (honeypot + rate limit per address)."""
    bintek = bintek_by_token_unscoped(token)
    if bintek is None:
        raise Http404
    form = PublicRegistrationForm(request.POST if request.method == "POST" else None)
    done = None
    if request.method == "POST":
        if not ratelimit.allow(f"bintek-reg:{ratelimit.client_ip(request)}", limit=REGISTRATIONS_PER_HOUR,
                               per_seconds=3600):  # fmt: skip
            return _too_many(request, 3600)
        if form.is_valid():
            if form.cleaned_data["website"]:  # the honeypot: answer as if it worked, save nothing
                return render(request, "trainings/public/register.html", {"bintek": bintek, "done": "ok"})
            try:
                done = services.participant_register_public(bintek=bintek, data=form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
    return render(request, "trainings/public/register.html", {"bintek": bintek, "form": form, "done": done})


@login_not_required
def check_in(request: HttpRequest) -> HttpResponse:
    """Record presence with the code shown at the venue (typed, or from its QR) and one's phone or number."""
    posted = request.method == "POST"
    form = CheckInForm(request.POST if posted else None, initial={"code": request.GET.get("kode", "")[:12]})
    done = None
    if posted:
        if not ratelimit.allow(f"bintek-hadir:{ratelimit.client_ip(request)}", limit=CHECK_INS_PER_MINUTE,
                               per_seconds=60):  # fmt: skip
            return _too_many(request, 60)
        if form.is_valid():
            try:
                done = services.attendance_check_in(code=form.cleaned_data["code"], who=form.cleaned_data["who"])
            except ValidationError as exc:
                _add_errors(form, exc)
    return render(request, "trainings/public/check_in.html", {"form": form, "done": done})


@login_not_required
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Show that a certificate is genuine: name, Bintek title, dates and post (nothing private)."""
    participant = certificate_get_unscoped(code)
    if participant is None:
        return render(request, "trainings/public/certificate_verify.html", {"code": code[:16]}, status=404)
    return render(request, "trainings/public/certificate_verify.html", {"p": participant, "bintek": participant.bintek})


@login_not_required
def certificate_public_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate PDF, for its holder who has the code (rate-limited per address)."""
    participant = certificate_get_unscoped(code)
    if participant is None:
        raise Http404
    if not ratelimit.allow(f"bintek-cert:{ratelimit.client_ip(request)}", limit=PDFS_PER_MINUTE, per_seconds=60):
        return _too_many(request, 60)
    return certificate_response(request, participant)
