"""One view answers with the full page or, for an htmx request, with one fragment of it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, fragment: str | None = None, status: int = 200
) -> HttpResponse:
    """Render `template`, or only `template#fragment` for a non-boosted htmx request."""
    htmx = getattr(request, "htmx", None)
    if fragment and htmx and not htmx.boosted:
        template = f"{template}#{fragment}"
    return render(request, template, context, status=status)
