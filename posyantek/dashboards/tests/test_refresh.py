"""The summary tables (`dashboards.refresh`) equal the direct counts, at every level, and follow the writes."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from posyantek.core import audit
from posyantek.core.models import DataVersion
from posyantek.dashboards import counts, refresh
from posyantek.dashboards.indicators import INDICATORS
from posyantek.dashboards.models import DirtyPost, PostFigures, RegionFigures
from posyantek.dashboards.tests.activity_data import make_activity, make_editions, make_standing
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.visits.models import Visit

pytestmark = pytest.mark.django_db

YEARS = (0, 2023, 2024, 2025, 2026)
POST_KEYS = [item.key for item in INDICATORS if not item.standing] + list(counts.STANDING_FLAGS)
REGION_KEYS = [item.key for item in INDICATORS]


def period(year: int) -> tuple[dt.date | None, dt.date | None]:
    return (None, None) if year == 0 else (dt.date(year, 1, 1), dt.date(year, 12, 31))


def row_values(row: Any, keys: list[str]) -> dict[str, Any]:
    return {k: getattr(row, k) for k in keys}


@pytest.fixture
def busy(posts: dict[str, Post]) -> dict[str, Post]:
    editions = make_editions("33")
    make_activity(posts["mitra"], 0, editions=editions, village="33.75.03.1004")
    make_activity(posts["wartek"], 1, editions=editions)
    make_activity(posts["dki"], 2)
    make_standing(posts["mitra"])
    make_standing(posts["dki"], active=False)
    return posts


def assert_post_rows_match(post: Post) -> None:
    rows = {r.year: r for r in PostFigures.objects.filter(post=post)}
    assert 0 in rows
    for year in YEARS:
        expected = {k: v for k, v in counts.post_counts(post, *period(year)).items() if k in POST_KEYS}
        if year not in rows:  # no row: nothing happened that year
            assert all(not v for k, v in expected.items() if k not in counts.STANDING_FLAGS), (post, year)
            continue
        assert row_values(rows[year], POST_KEYS) == expected, (post.slug, year)


def assert_region_rows_match(code: str) -> None:
    rows = {r.year: r for r in RegionFigures.objects.filter(code=code)}
    for year in YEARS:
        expected = counts.region_counts(code, *period(year))
        if year not in rows:
            assert all(not expected[k] for k in REGION_KEYS if not k.startswith("posts_")), (code, year)
            continue
        assert row_values(rows[year], REGION_KEYS) == expected, (code, year)


def test_refresh_equals_the_direct_counts(busy: dict[str, Post]) -> None:
    assert refresh.refresh_posts() == 3
    for post in busy.values():
        assert_post_rows_match(post)
    # Every level: kecamatan, kab/kota, province, nation; and the row's place in the tree.
    for code in ("33.75.03", "33.75", "33", "31.71.01", "31.71", "31", ""):
        assert_region_rows_match(code)
    levels = dict(RegionFigures.objects.filter(year=0).values_list("code", "level"))
    assert levels == {"": 0, "33": 1, "31": 1, "33.75": 2, "31.71": 2, "33.75.03": 3, "31.71.01": 3}
    row = PostFigures.objects.get(post=busy["wartek"], year=0)
    assert (row.region_code, row.district_code, row.city_code, row.province_code) == (
        "33.75.03.1004", "33.75.03", "33.75", "33")  # fmt: skip
    nation = RegionFigures.objects.get(code="", year=0)
    assert (nation.posts_total, nation.posts_active, nation.posts_sk, nation.posts_board) == (3, 1, 2, 1)
    # A year's row carries the standing of today too.
    assert RegionFigures.objects.get(code="", year=2025).posts_total == 3


def test_regions_sum_their_posts_and_the_median_is_exact(busy: dict[str, Post]) -> None:
    refresh.refresh_posts()
    summed = [i.key for i in INDICATORS if not i.mapping and i.key != "median_days" and not i.standing]
    for year in (0, 2025):
        posts = PostFigures.objects.filter(year=year)
        for code, field in (("33.75.03", "district_code"), ("33.75", "city_code"), ("33", "province_code")):
            region = RegionFigures.objects.get(code=code, year=year)
            mine = posts.filter(**{field: code})
            for key in summed:
                assert getattr(region, key) == sum(getattr(p, key) for p in mine), (code, year, key)
        nation = RegionFigures.objects.get(code="", year=year)
        provinces = RegionFigures.objects.filter(level=1, year=year)
        for key in summed:
            assert getattr(nation, key) == sum(getattr(p, key) for p in provinces), (year, key)
    # 2025: Mitra resolved one request in 2 days, the Wartek two in 2 and 3, the Jakarta post three in 2, 4, 6.
    assert RegionFigures.objects.get(code="33.75", year=2025).resolved_days == {"2": 2, "3": 1}
    assert RegionFigures.objects.get(code="33.75", year=2025).median_days == 2
    nation = RegionFigures.objects.get(code="", year=2025)
    assert nation.resolved_days == {"2": 3, "3": 1, "4": 1, "6": 1} and nation.median_days == 2.5
    mean_of_medians = sum(p.median_days for p in PostFigures.objects.filter(year=2025)) / 3
    assert nation.median_days != mean_of_medians


def test_partial_refresh_moves_only_what_changed(busy: dict[str, Post], regions: dict[str, Region]) -> None:
    refresh.refresh_posts()
    dki_rows = list(PostFigures.objects.filter(post=busy["dki"]).values())
    Visit.objects.filter(post=busy["mitra"], state="dibatalkan").update(state="dilaksanakan")  # one more in 2026
    # The Wartek moves to Pasirsari (kecamatan Pekalongan Barat): the old kecamatan must lose it.
    Post.objects.filter(pk=busy["wartek"].pk).update(region=regions["33.75.01.1001"])
    assert refresh.refresh_posts([busy["mitra"].pk, busy["wartek"].pk]) == 2
    assert PostFigures.objects.get(post=busy["mitra"], year=2026).visits_hosted == 2
    assert list(PostFigures.objects.filter(post=busy["dki"]).values()) == dki_rows
    for code in ("33.75.03", "33.75.01", "33.75", "33", ""):
        assert_region_rows_match(code)
    assert RegionFigures.objects.get(code="33.75.03", year=0).posts_total == 1
    # A region left without posts loses its rows.
    Post.objects.filter(pk=busy["wartek"].pk).update(region=regions["33.75.03.1004"])
    refresh.refresh_posts([busy["wartek"].pk])
    assert not RegionFigures.objects.filter(code="33.75.01").exists()


def test_query_count_does_not_grow_with_posts(regions: dict[str, Region]) -> None:
    def make(n: int, start: int) -> list[int]:
        ids = []
        for i in range(start, start + n):
            village = Region.objects.create(code=f"33.75.03.2{i:03d}", name=f"Desa {i}", level=4, kind="desa",
                                            parent=regions["33.75.03"])  # fmt: skip
            post = Post.objects.create(name=f"Pos {i}", slug=f"pos-{i}", kind="desa", region=village)
            make_activity(post, i % 3)
            ids.append(post.pk)
        return ids

    few = make(3, 0)
    with CaptureQueriesContext(connection) as small:
        refresh.refresh_posts(few)
    many = make(12, 10)
    with CaptureQueriesContext(connection) as large:
        refresh.refresh_posts(many)
    # The same statements whatever the number of posts; only the batched INSERTs of the new rows may add a few
    # (SQLite caps the parameters of one statement).
    reads = [[q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("INSERT")] for ctx in (small, large)]
    assert len(reads[0]) == len(reads[1])
    assert len(large.captured_queries) - len(reads[1]) <= 8
    with CaptureQueriesContext(connection) as everything:
        assert refresh.refresh_posts() == 15
    assert len(everything.captured_queries) <= len(small.captured_queries) + 5
    for pk in many[:2]:
        assert_post_rows_match(Post.objects.get(pk=pk))
    assert_region_rows_match("33.75.03")


def test_refresh_bumps_the_data_version(busy: dict[str, Post], django_capture_on_commit_callbacks: Any) -> None:
    before = DataVersion.objects.filter(pk=1).values_list("n", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        refresh.refresh_posts([busy["mitra"].pk])
    assert DataVersion.objects.get(pk=1).n == before + 1
    assert refresh.freshness(busy["mitra"]) == refresh.freshness(busy["mitra"].pk) is not None
    assert refresh.freshness("33.75") is not None and refresh.freshness("") is not None
    assert refresh.freshness(busy["dki"]) is None and refresh.freshness("31") is None


def test_an_audited_write_marks_dirty_and_the_task_refreshes(
    busy: dict[str, Post], admin: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DASHBOARDS_REFRESH_ON_WRITE = True
    mitra = busy["mitra"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit.record(admin, "update", mitra, {"name": ["a", "b"]})
        audit.record(admin, "update", busy["wartek"])
    # ImmediateBackend ran the task at enqueue: both posts refreshed, the marks cleared.
    assert not DirtyPost.objects.exists()
    assert_post_rows_match(mitra)
    assert_post_rows_match(busy["wartek"])
    assert_region_rows_match("33.75.03")
    assert not PostFigures.objects.filter(post=busy["dki"]).exists()


def test_marks_and_one_task_per_transaction(
    busy: dict[str, Post], admin: Any, settings: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from types import SimpleNamespace

    queued: list[int] = []
    fake = SimpleNamespace(enqueue=lambda: queued.append(1))
    monkeypatch.setattr("posyantek.dashboards.tasks.refresh_dirty_figures", fake)
    settings.DASHBOARDS_REFRESH_ON_WRITE = True
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(3):
            audit.record(admin, "update", busy["mitra"])
        audit.record(admin, "update", busy["dki"])
        audit.record(admin, "create", admin)  # no post: nothing to mark
    assert queued == [1]
    assert set(DirtyPost.objects.values_list("post_id", flat=True)) == {busy["mitra"].pk, busy["dki"].pk}
    assert refresh.refresh_dirty() == 2
    assert not DirtyPost.objects.exists()
    assert refresh.refresh_dirty() == 0
    # The setting off: no marks.
    settings.DASHBOARDS_REFRESH_ON_WRITE = False
    with django_capture_on_commit_callbacks(execute=True):
        audit.record(admin, "update", busy["mitra"])
    assert not DirtyPost.objects.exists() and queued == [1]


def test_command(busy: dict[str, Post]) -> None:
    out = StringIO()
    call_command("refresh_figures", "--all", stdout=out)
    assert "3 pos diperbarui" in out.getvalue()
    refresh.mark_dirty(busy["wartek"].pk)
    out = StringIO()
    call_command("refresh_figures", stdout=out)
    assert "1 pos diperbarui" in out.getvalue()
    refresh.mark_dirty([busy["mitra"].pk])
    refresh.refresh_posts()  # a full refresh covers earlier marks
    assert not DirtyPost.objects.exists()
