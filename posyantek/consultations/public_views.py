"""Public pages of service requests: the request form, following a request by its code, and the rating.

Nothing here needs a login. The tracking code is the requester's key: a wrong code is a 404, and a page shows
only what the requester may see (state, dates, public notes, recommended technologies), never staff internals.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from posyantek.consultations import services, workflow
from posyantek.consultations.forms import PublicRequestForm, RatingForm, TrackForm
from posyantek.consultations.models import ServiceRequest
from posyantek.consultations.selectors import (
    public_recommendations,
    public_steps,
    region_suggest,
    request_by_code_unscoped,
)
from posyantek.core import ratelimit
from posyantek.core.htmx import render_page


def _too_many(request: HttpRequest, message: str) -> HttpResponse:
    ctx = {"code": 429, "title": gettext("Terlalu banyak permintaan"), "message": message}
    response = render(request, "error.html", ctx, status=429)
    response["Retry-After"] = "600"
    return response


@login_not_required
def request_submit(request: HttpRequest) -> HttpResponse:
    """The public request form; on success the requester goes to the tracking page of their new code."""
    form = PublicRequestForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_spam:
            form.add_error(None, gettext("Permohonan tidak dapat diterima. Jika Anda bukan mesin, kosongkan kolom "
                                         "'Jangan diisi' lalu kirim lagi."))  # fmt: skip
            status = 400
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("photos", "region_q", "website")}
            try:
                req = services.request_submit(data=data, photos=form.cleaned_data["photos"],
                                              ip=ratelimit.client_ip(request))  # fmt: skip
            except services.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(f"{req.get_tracking_url()}?baru=1")
    return render_page(request, "consultations/public/submit.html", {"form": form}, status=status)


@login_not_required
def region_options(request: HttpRequest) -> HttpResponse:
    """Suggest villages and kecamatan for the name being typed (an htmx fragment of radio buttons)."""
    q = request.GET.get("region_q", "")
    ctx = {"options": region_suggest(q), "q": q.strip()}
    return render(request, "consultations/public/_region_options.html", ctx)


def _lookup(request: HttpRequest, code: str) -> ServiceRequest:
    limit, per = workflow.rate_limit("track")
    if not ratelimit.allow(f"layanan:lacak:{ratelimit.client_ip(request)}", limit=limit, per_seconds=per):
        raise _Throttled
    req = request_by_code_unscoped(code)
    if req is None:
        raise Http404
    return req


class _Throttled(Exception):
    pass


@login_not_required
def track_find(request: HttpRequest) -> HttpResponse:
    """Type a tracking code to open the request's page."""
    form = TrackForm(request.GET if "code" in request.GET else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            req = _lookup(request, form.cleaned_data["code"])
        except _Throttled:
            return _too_many(request, gettext("Terlalu banyak pencarian kode dari alamat Anda. Tunggu 10 menit."))
        except Http404:
            form.add_error("code", gettext("Kode lacak tidak ditemukan. Periksa lagi huruf dan angkanya."))
            status = 404
        else:
            return redirect(req.get_tracking_url())
    return render_page(request, "consultations/public/track_find.html", {"form": form}, status=status)


@login_not_required
def track(request: HttpRequest, code: str) -> HttpResponse:
    """Follow a request by its code: its state, its steps with public notes, the recommended technologies."""
    try:
        req = _lookup(request, code)
    except _Throttled:
        return _too_many(request, gettext("Terlalu banyak pencarian kode dari alamat Anda. Tunggu 10 menit."))
    can_rate = req.state in ("selesai", "ditutup_tanpa_solusi") and req.rated_at is None
    ctx = {
        "req": req,
        "steps": public_steps(req),
        "ttgs": public_recommendations(req),
        "new": request.GET.get("baru") == "1",
        "rating_form": RatingForm() if can_rate else None,
        "absolute_url": request.build_absolute_uri(req.get_tracking_url()),
    }
    response = render_page(request, "consultations/public/track.html", ctx)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """Rate the service once, after the request ended."""
    try:
        req = _lookup(request, code)
    except _Throttled:
        return _too_many(request, gettext("Terlalu banyak pencarian kode dari alamat Anda. Tunggu 10 menit."))
    form = RatingForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.request_rate(request=req, **form.cleaned_data)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(f"{req.get_tracking_url()}?dinilai=1")
    else:
        error = gettext("Pilih nilai 1 sampai 5.")
    ctx = {"req": req, "steps": public_steps(req), "ttgs": public_recommendations(req), "rating_form": form,
           "rating_error": error, "absolute_url": request.build_absolute_uri(req.get_tracking_url())}  # fmt: skip
    return render_page(request, "consultations/public/track.html", ctx, status=400)
