"""Keep the request's IP address where the audit log can read it."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


class RequestContextMiddleware:
    """Store the client IP for the duration of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class LanguageMiddleware(LocaleMiddleware):
    """Indonesian first: use the language the person chose (switch or profile), never the browser's guess.

    Many phones in Indonesia run in English; the site should still open in Indonesian.
    """

    def process_request(self, request: HttpRequest) -> None:
        codes = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if chosen not in codes and user is not None and user.is_authenticated:
            chosen = getattr(user, "language", None)
        language = chosen if chosen in codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        # Leave the thread as we found it, so the next request (or test) starts from the default language.
        translation.deactivate()
        return response


class NulGuardMiddleware:
    """Keep NUL characters out of lookups: PostgreSQL refuses them in text, SQLite doesn't.

    A NUL in the path answers 404; NULs in the query string are dropped. Form fields already refuse them with a
    message (Django's ProhibitNullCharactersValidator), and the API's parser drops them (core/api.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            from django.http import HttpResponseNotFound

            return HttpResponseNotFound()
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
