"""Region pages: public reference data with the posts in each subtree."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from posyantek.core.htmx import render_page
from posyantek.core.pagecache import cache_page_until_change
from posyantek.posts.selectors import post_public_list
from posyantek.regions.selectors import region_ancestors, region_children, region_get, region_search


@login_not_required
@cache_page_until_change
def region_index(request: HttpRequest) -> HttpResponse:
    """List the 38 provinces, with the search box."""
    return render_page(request, "regions/region_index.html", {"children": region_children(None)})


@login_not_required
@cache_page_until_change
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show a region: breadcrumb, children and the posts in its subtree."""
    region = region_get(code)
    if region is None:
        raise Http404
    posts = Paginator(post_public_list(region_code=region.code), 25).get_page(request.GET.get("page"))
    ctx = {
        "region": region,
        "ancestors": region_ancestors(region),
        "children": region_children(region),
        "page_obj": posts,
    }
    return render_page(request, "regions/region_detail.html", ctx, fragment="posts")


@login_not_required
def region_find(request: HttpRequest) -> HttpResponse:
    """Find a region by code or name; htmx gets the suggestion list, a code hit goes straight there."""
    q = request.GET.get("q", "").strip()
    results = list(region_search(q=q)[:20]) if len(q) >= 2 else []
    if not request.htmx and len(results) == 1:
        return redirect(results[0])
    if not request.htmx and q and region_get(q):
        return redirect(region_get(q))
    ancestors = {r.code: r.name for r in _parents(results)}
    rows = [(r, ", ".join(ancestors[c] for c in reversed(r.ancestor_codes) if c in ancestors)) for r in results]
    return render_page(request, "regions/region_find.html", {"q": q, "rows": rows}, fragment="suggestions")


def _parents(results: list) -> list:
    from posyantek.regions.models import Region

    codes = {c for r in results for c in r.ancestor_codes}
    return list(Region.objects.filter(code__in=codes).only("code", "name"))
