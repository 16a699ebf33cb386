"""The must-show: the national admin drills nation → Jawa Tengah → Kota Pekalongan → Mitra Pantura on the demo,
and every number on the way equals a direct count from the raw rows (`counts.region_counts` / `counts.post_counts`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from conftest import login
from posyantek.accounts.models import User
from posyantek.dashboards import counts
from posyantek.dashboards.refresh import refresh_posts
from posyantek.dashboards.selectors import COLUMN_BY_KEY, absorption, current_year, year_range
from posyantek.posts.models import Post

from .pagedata import Cell, page_cells


def expected(figures: dict[str, Any], key: str, *, post: bool) -> Any:
    """Return what a cell of `key` must show, from a direct-count dict."""
    if key == "absorption":
        return absorption(figures["spent_total"], figures["budget_total"])
    column = COLUMN_BY_KEY[key]
    if post and column.standing:
        return int(bool(figures[column.post_field]))
    return figures[key]


def check_cells(cells: list[Cell], oracle: Any) -> int:
    """Assert every cell equals its direct count, in its text and its data-value; return how many were checked."""
    for cell in cells:
        figures, is_post = oracle(cell.of)
        if cell.key == "funding":
            want: Any = figures["funding"].get(cell.source, 0)
        else:
            want = expected(figures, cell.key, post=is_post)
        where = f"{cell.of} {cell.key}"
        if isinstance(want, float) or cell.key == "median_days":
            assert cell.shown == (None if want is None else pytest.approx(want, abs=0.05)), where
        else:
            assert cell.shown == want, f"{where}: shows {cell.text!r}, direct count {want}"
            assert cell.raw == ("" if want is None else str(want)), where
    return len(cells)


def test_admin_drills_down_and_every_number_matches_a_direct_count(demo_data: Any) -> None:
    refresh_posts()
    year = current_year()
    start, end = year_range(year)
    mitra = Post.objects.get(slug="mitra-pantura")
    client = login(User.objects.get(email="admin@demo.posyantek.id"))

    @cache
    def region(code: str) -> dict[str, Any]:
        return counts.region_counts(code, start, end)

    @cache
    def post(post_id: int) -> dict[str, Any]:
        return counts.post_counts(Post.objects.get(pk=post_id), start, end)

    def oracle_for(page_code: str | None, page_post: Post | None) -> Any:
        def oracle(of: str) -> tuple[dict[str, Any], bool]:
            if of == "self":
                return (post(page_post.pk), True) if page_post else (region(page_code or ""), False)
            kind, _, ref = of.partition(":")
            if kind == "r":
                return region(ref), False
            if kind == "p":
                return post(int(ref)), True
            assert kind == "y" and page_post is not None
            return counts.post_counts(page_post, *year_range(int(ref))), True

        return oracle

    response = client.get("/dasbor/")
    assert response.status_code == 302 and response["Location"] == "/dasbor/nasional/"
    url = response["Location"]
    checked = 0
    for step, (follow, code) in enumerate([("Jawa Tengah", "33"), ("Kota Pekalongan", "33.75"),
                                           ("Posyantek Mitra Pantura", None)]):  # fmt: skip
        html = client.get(url).content.decode()
        cells, links = page_cells(html)
        assert {c.of for c in cells} >= {"self"}, f"step {step}: no figures shown"
        checked += check_cells(cells, oracle_for("33.75" if step == 2 else ("33" if step == 1 else ""), None))
        url = links[follow]
        assert url.endswith(f"/dasbor/wilayah/{code}/" if code else f"/dasbor/pos/{mitra.slug}/")
    html = client.get(url).content.decode()
    assert "Posyantek Mitra Pantura" in html and 'class="chart"' in html
    cells, _links = page_cells(html)
    checked += check_cells(cells, oracle_for(None, mitra))
    assert checked > 200
    # The figures are not all zero: the demo has activity in Kota Pekalongan this year or before.
    assert any(c.raw not in ("0", "", "None") for c in cells if c.of == "self")
