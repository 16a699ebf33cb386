"""Public contest pages (no login) under /lomba/: announced editions, an edition with its published ranking, how a
published score was computed, the leaderboard (national or per province) and a post's contest history.

A ranking is public only once published: before that the edition page shows no ranking and a score page is 404.
Pages are kept by the page cache until the next write.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format

from posyantek.contests import scoring
from posyantek.contests.models import Category, Edition, Level
from posyantek.contests.result_selectors import (
    POINTS,
    leaderboard_unscoped,
    post_history_unscoped,
    post_public_get_unscoped,
    public_edition_get_unscoped,
    public_editions_unscoped,
    public_result_unscoped,
    public_schedule_unscoped,
    public_years_unscoped,
    ranking_ids_unscoped,
    scored_stages,
    with_entries,
)
from posyantek.core.htmx import render_page
from posyantek.core.pagecache import cache_page_until_change
from posyantek.regions.models import Region

PAGE_SIZE = 50


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("tahun", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


def _choice(request: HttpRequest, name: str, choices: list[str]) -> str:
    value = request.GET.get(name, "")
    return value if value in choices else ""


def _base(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    base = params.urlencode()
    return base + "&" if base else ""


@login_not_required
@cache_page_until_change
def public_index(request: HttpRequest) -> HttpResponse:
    """Announced contests and their published results, by year, category and level."""
    year, cat = _year(request), _choice(request, "kategori", Category.values)
    level = _choice(request, "tingkat", Level.values)
    editions = public_editions_unscoped(year=year, category=cat, level=level)
    page = Paginator(editions, 25).get_page(request.GET.get("page"))
    ctx = {"page_obj": page, "querystring_base": _base(request), "years": public_years_unscoped(), "year": year,
           "category": cat, "level": level, "categories": Category.choices, "levels": Level.choices}  # fmt: skip
    return render_page(request, "contests/public_index.html", ctx, fragment="results")


@login_not_required
@cache_page_until_change
def public_edition(request: HttpRequest, pk: int) -> HttpResponse:
    """An edition: information, schedule, prizes and, once published, its ranking (50 a page)."""
    edition = public_edition_get_unscoped(pk)
    if edition is None:
        raise Http404
    stages, prizes = public_schedule_unscoped(edition)
    page = Paginator(ranking_ids_unscoped(edition), PAGE_SIZE).get_page(request.GET.get("page"))
    columns = scored_stages(edition) if edition.published_at else []
    ctx = {"edition": edition, "stages": stages, "prizes": prizes, "page_obj": page, "querystring_base": "",
           "scored_stages": columns, "rows": _ranking_rows(edition, page, columns)}  # fmt: skip
    return render_page(request, "contests/public_edition.html", ctx, fragment="results")


def _ranking_rows(edition: Edition, page: Any, columns: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The page's rows ready to print (numbers formatted, links built), so 50 rows render in a few milliseconds."""
    base = reverse("contests:public_score", args=[edition.pk, 0])[: -len("0/")]
    return [{"rank": r.rank, "tie": r.tie, "title": r.entry.title, "region": r.entry.region.name,
             "url": f"{base}{r.entry_id}/", "final": number_format(r.final_score, 3), "award": r.award,
             "forwarded": r.forwarded, "stages": [number_format(r.stage_scores.get(s, 0), 3) for s, _l in columns]}
            for r in with_entries(page.object_list)]  # fmt: skip


@login_not_required
@cache_page_until_change
def public_score(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """How a published score was computed, from each judge's sheet to the rank (404 before publication)."""
    edition = public_edition_get_unscoped(pk)
    result = public_result_unscoped(edition, entry_pk) if edition is not None else None
    if result is None:
        raise Http404
    ctx = {"edition": edition, "result": result, "entry": result.entry, "public": True,
           "b": scoring.breakdown(edition, result.entry)}  # fmt: skip
    return render(request, "contests/public_score.html", ctx)


@login_not_required
@cache_page_until_change
def leaderboard(request: HttpRequest) -> HttpResponse:
    """Posts ranked by points from published awards, nationally or in one province (?provinsi=33)."""
    code = request.GET.get("provinsi", "")
    province = Region.objects.filter(code=code, level=1).first() if code.isdigit() else None
    year, cat = _year(request), _choice(request, "kategori", Category.values)
    rows = leaderboard_unscoped(province=province.code if province else "", year=year, category=cat)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"page_obj": page, "querystring_base": _base(request), "province": province, "year": year, "category": cat,
           "provinces": Region.objects.filter(level=1).order_by("name").values_list("code", "name"),
           "years": public_years_unscoped(), "categories": Category.choices,
           "points": [(str(Level(level).label), pts) for level, pts in POINTS.items()]}  # fmt: skip
    return render_page(request, "contests/public_leaderboard.html", ctx, fragment="results")


@login_not_required
@cache_page_until_change
def post_history(request: HttpRequest, slug: str) -> HttpResponse:
    """A post's contest entries over the years, with level, rank and award once published."""
    post = post_public_get_unscoped(slug)
    if post is None:
        raise Http404
    return render(request, "contests/public_post_history.html", {"post": post, "rows": post_history_unscoped(post)})
