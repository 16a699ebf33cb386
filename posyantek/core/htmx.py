"""One view answers with the full page or, for an htmx request, with one fragment of it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, fragment: str | None = None, status: int = 200
) -> HttpResponse:
    """Render `template`, or only `template#fragment` for a non-boosted htmx request."""
    if fragment and wants_fragment(request):
        template = f"{template}#{fragment}"
    response = render(request, template, context, status=status)
    # The same URL answers a page or a fragment: browsers and caches must keep them apart (Back button).
    patch_vary_headers(response, ["HX-Request"])
    return response


def wants_fragment(request: HttpRequest) -> bool:
    """Return whether htmx asked for a piece of the page (not a boosted link, not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
