"""The app's URLs with a hello-world view in front, served through the same middleware stack."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as app_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


@login_not_required
def hello(request: HttpRequest) -> HttpResponse:
    """Return a fixed text: the baseline that the real pages are measured against."""
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello", hello), *app_urlpatterns]
