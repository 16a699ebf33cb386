"""Public replication pages (no login): the index of published kits, a kit, and the kit as one PDF.

Pages are kept by the page cache until any data changes, so a busy study-visit season reads them for free.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse

from posyantek.core.htmx import render_page
from posyantek.core.pagecache import cache_page_until_change
from posyantek.replication.forms import oversee_regions
from posyantek.replication.kit_report import kit_pdf_response, kit_report_unscoped
from posyantek.replication.models import Kit
from posyantek.replication.selectors import kit_public_get_unscoped, kit_public_list_unscoped


def _published(slug: str) -> Kit:
    kit = kit_public_get_unscoped(slug)
    if kit is None:  # no kit, or not published: the same answer, so a draft does not show it exists
        raise Http404
    return kit


@login_not_required
@cache_page_until_change
def kit_index(request: HttpRequest) -> HttpResponse:
    """The published kits: what other regions can learn from and adopt."""
    page = Paginator(kit_public_list_unscoped(), 25).get_page(request.GET.get("page"))
    return render_page(request, "replication/kit_index.html", {"page_obj": page, "querystring_base": ""})


@login_not_required
@cache_page_until_change
def kit_public(request: HttpRequest, slug: str) -> HttpResponse:
    """A post's kit: legal basis, funding, board, services, Bintek, products, partners, awards, the checklist."""
    kit = _published(slug)
    # Only those who oversee a region may adopt (the page is cached per user, so this costs one query a change).
    can_adopt = request.user.is_authenticated and bool(oversee_regions(request.user))
    ctx = {"r": kit_report_unscoped(kit), "kit": kit, "can_adopt": can_adopt}
    return render_page(request, "replication/kit_public.html", ctx)


@login_not_required
@cache_page_until_change
def kit_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The kit as one PDF on the post's letterhead."""
    return kit_pdf_response(request, kit_report_unscoped(_published(slug)))
