"""List pages: filter, paginate and keep the query string for the pager and exports."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def list_context(request: HttpRequest, filterset: Any, *, page_size: int = PAGE_SIZE) -> dict[str, Any]:
    """Return the page of the filtered queryset and the query string without `page`."""
    page = Paginator(filterset.qs, page_size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    base = params.urlencode()
    return {"filter": filterset, "page_obj": page, "querystring_base": base + "&" if base else "", "query": base}
