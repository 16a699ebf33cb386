"""Home dashboard, health check and error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from posyantek.core.selectors import dashboard_for


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the user's dashboard, or the public welcome page."""
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html", {})
    return render(request, "core/home.html", {"dash": dashboard_for(user=request.user)})


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
