"""Home dashboard, health check and error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from posyantek.core.selectors import dashboard_for


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the user's dashboard, or the public welcome page."""
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html", {})
    from posyantek.contests.access import judge_sheets

    sheets = judge_sheets(request.user)
    judging = {"open": sheets.filter(state="terbuka").count(), "all": sheets.count()}
    return render(request, "core/home.html", {"dash": dashboard_for(user=request.user), "judging": judging})


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 once the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable", "detail": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
def language_switch(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the interface language with a plain link, then go back where the person was.

    A link, not a form, so public pages carry no CSRF token and can be cached for everyone; choosing a
    language changes nothing but the person's own cookie.
    """
    if code not in {c for c, _name in settings.LANGUAGES}:
        raise Http404
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE, httponly=False,
    )  # fmt: skip
    return response


def _error(request: HttpRequest, code: int, title: str, message: str) -> HttpResponse:
    ctx: dict[str, Any] = {"code": code, "title": title, "message": message}
    return render(request, "error.html", ctx, status=code)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("Akses ditolak"), _("Peran Anda tidak mengizinkan tindakan ini."))


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 404, _("Tidak ditemukan"), _("Halaman atau data ini tidak ada, atau berada di luar wilayah Anda.")
    )


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
