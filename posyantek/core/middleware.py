"""Keep the request's IP address where the audit log can read it."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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
