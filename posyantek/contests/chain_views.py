"""The chain check page /lomba/rantai/: verify the contest log and the data against it, show the newest links.

Any signed-in user may look; `?lomba=<pk>` limits the data checks (and the links shown) to one edition the user may
open, or a published one. The page is never cached: tampering with the database bumps no data version.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse

from posyantek.contests import chain
from posyantek.contests import rubric_selectors as selectors
from posyantek.core.htmx import render_page

LINKS_PER_PAGE = 50


def chain_check(request: HttpRequest) -> HttpResponse:
    """Verify the chain (whole) and the scores, locked sheets and published rankings (of one edition, or all)."""
    editions = selectors.chain_editions(request.user)
    edition = None
    if request.GET.get("lomba"):
        edition = editions.filter(pk=request.GET["lomba"]).first() if request.GET["lomba"].isdigit() else None
        if edition is None:
            raise Http404
    report = chain.verify(edition=edition)
    page = Paginator(selectors.chain_links(user=request.user, edition=edition), LINKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    base = f"lomba={edition.pk}&" if edition else ""
    ctx = {
        "report": report,
        "edition": edition,
        "editions": editions[:300],
        "page_obj": page,
        "querystring_base": base,
    }
    return render_page(request, "contests/chain_check.html", ctx, fragment="links")
