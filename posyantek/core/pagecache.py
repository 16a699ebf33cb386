"""Serve a rendered page again until any data changes.

Every write is audited, and `audit.record` bumps one counter in the database (`DataVersion`) inside the
same transaction. A cached page is keyed by that counter, so after any write pages render afresh: at once
on the worker that wrote, within PAGE_CACHE_VERSION_SECONDS (1 s) on the others. Pages are keyed per user
(and per CSRF cookie, so embedded tokens stay valid); anonymous pages carry no CSRF token and are shared.
Nothing is cached while a flash message waits, for a response that sets a cookie, or for anything but a
200 answer to GET.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from posyantek.core.htmx import wants_fragment
from posyantek.core.models import DataVersion

_seen: dict[str, float] = {"version": -1.0, "read_at": 0.0}


def data_version() -> int:
    """Return the data version, read from the database at most once every PAGE_CACHE_VERSION_SECONDS.

    This worker forgets it as soon as it commits a write itself (`forget_data_version`), so its own next
    page is fresh; other workers notice within that many seconds.
    """
    now = time.monotonic()
    if _seen["version"] < 0 or now - _seen["read_at"] >= settings.PAGE_CACHE_VERSION_SECONDS:
        _seen["version"] = DataVersion.objects.filter(pk=1).values_list("n", flat=True).first() or 0
        _seen["read_at"] = now
    return int(_seen["version"])


def forget_data_version() -> None:
    """Make the next page read the data version again."""
    _seen["version"] = -1.0


def _key(request: HttpRequest, version: int) -> str | None:
    user = request.user
    parts = [
        request.get_host(),  # pages carry absolute links (share buttons, QR codes)
        request.path,
        request.GET.urlencode(),
        translation.get_language() or "",
        "fragment" if wants_fragment(request) else "",
        str(version),
    ]
    if user.is_authenticated:
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        parts += [f"u{user.pk}", csrf]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _has_pending_messages(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return "messages" in request.COOKIES or bool(session is not None and session.get("_messages"))


FRESH_COOKIE = "posyantek_wrote"


def _wrote_just_now(request: HttpRequest) -> bool:
    try:
        return time.time() - float(request.COOKIES.get(FRESH_COOKIE, "0")) < settings.PAGE_CACHE_VERSION_SECONDS + 2
    except ValueError:
        return False


class FreshAfterWriteMiddleware:
    """Mark a browser that just wrote, so its next pages read the data version instead of trusting 1 s."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            response.set_cookie(FRESH_COOKIE, f"{time.time():.3f}", max_age=10, samesite="Lax", httponly=True,
                                secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
        return response


#: Response headers a kept page is served with again, besides its content type.
KEPT_HEADERS = ("Content-Disposition", "Cache-Control")


def cache_page_until_change(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a GET page until the next write anywhere (see the module docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            not settings.PAGE_CACHE_ENABLED
            or request.method != "GET"
            or _has_pending_messages(request)
            or request.GET.get("format")
        ):
            return view(request, *args, **kwargs)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        if _wrote_just_now(request):
            forget_data_version()  # this person just saved something: check the version, don't trust 1 s
        key = _key(request, data_version())
        hit = cache.get(key)
        if hit is not None:
            content, content_type, *kept = hit
            response = HttpResponse(content, content_type=content_type)
            for name, value in (kept[0] if kept else {}).items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            patch_vary_headers(response, ["HX-Request"])
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            kept = {h: response[h] for h in KEPT_HEADERS if h in response}
            cache.set(key, (response.content, response["Content-Type"], kept), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
