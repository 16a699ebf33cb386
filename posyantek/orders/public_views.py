"""Public order tracking, under /lacak/: no login, the order code is the key.

A page shows what the buyer may see (post, items, totals, payments made, progress with dates, courier and tracking
number), never the buyer's phone or address, and asks search engines not to index it. Lookups are rate-limited
per address so codes cannot be guessed in bulk.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from posyantek.core import ratelimit
from posyantek.core.htmx import render_page
from posyantek.orders.forms import TrackForm
from posyantek.orders.selectors import order_by_code_unscoped, order_progress, public_steps

#: Code lookups per address: enough for a buyer, far too few to guess codes (32^10 of them).
TRACK_LIMIT, TRACK_SECONDS = 60, 600


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _throttled(request: HttpRequest) -> HttpResponse | None:
    if ratelimit.allow(f"lacak:ip:{ratelimit.client_ip(request)}", limit=TRACK_LIMIT, per_seconds=TRACK_SECONDS):
        return None
    ctx = {"code": 429, "title": gettext("Terlalu banyak permintaan"),
           "message": gettext("Terlalu banyak pencarian kode pesanan dari alamat Anda. Tunggu 10 menit.")}  # fmt: skip
    response = render(request, "error.html", ctx, status=429)
    response["Retry-After"] = str(TRACK_SECONDS)
    return response


@login_not_required
def track_find(request: HttpRequest) -> HttpResponse:
    """Type an order code to open its tracking page."""
    form = TrackForm(request.GET if "code" in request.GET else None)
    status = 200
    if form.is_bound and form.is_valid():
        if (limited := _throttled(request)) is not None:
            return limited
        order = order_by_code_unscoped(form.cleaned_data["code"])
        if order is None:
            form.add_error("code", gettext("Kode pesanan tidak ditemukan. Periksa lagi huruf dan angkanya."))
            status = 404
        else:
            return redirect(order.get_tracking_url())
    return _private(render_page(request, "orders/public/track_find.html", {"form": form}, status=status))


@login_not_required
def order_track(request: HttpRequest, code: str) -> HttpResponse:
    """Follow an order by its code: post, items, totals, paid and balance, progress, courier and tracking number."""
    if (limited := _throttled(request)) is not None:
        return limited
    order = order_by_code_unscoped(code)
    if order is None:
        ctx = {"form": TrackForm(initial={"code": code[:20]}), "missing": code[:20]}
        return _private(render(request, "orders/public/track_find.html", ctx, status=404))
    ctx = {
        "order": order,
        "items": list(order.items.all()),
        "progress": order_progress(order, public_steps(order)),
    }
    return _private(render_page(request, "orders/public/track.html", ctx))
