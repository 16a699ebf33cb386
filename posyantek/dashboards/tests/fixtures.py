"""Fixtures of the dashboard page and API tests: a few more posts and regions, some requests, refreshed figures.

Tree (on top of the root conftest's): Kota Pekalongan (33.75) has Mitra Pantura and its Wartek in Pekalongan Utara,
Posyantek Pekalongan Barat and Wartek Pasirsari in Pekalongan Barat, and a post at the kota itself; Jawa Barat (32)
has Posyantek Sukasari in Kota Bandung; DKI has Posyantek Gambir. Each post got a different number of requests this
year, so sorting has something to sort.
"""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_user
from posyantek.consultations.models import ServiceRequest
from posyantek.dashboards.refresh import refresh_posts
from posyantek.posts.models import Post
from posyantek.regions.models import Region

_codes = count(1)

#: Requests received this year by post slug.
REQUESTS = {"mitra-pantura": 5, "wartek-panjang-wetan": 2, "pekalongan-barat": 3, "wartek-pasirsari": 1,
            "kota-pekalongan": 7, "gambir": 4, "sukasari": 6}  # fmt: skip


def add_requests(post: Post, n: int, *, when: dt.datetime | None = None) -> None:
    """Give `post` n requests received at `when` (default: now), one of them resolved a few days later."""
    when = when or timezone.now() - dt.timedelta(hours=1)
    for i in range(n):
        done = i == 0
        ServiceRequest.objects.create(
            code=f"DSB{next(_codes):05d}", received_at=when, channel="datang_langsung", post=post,
            region_id=post.region_id, requester_name="Pemohon Uji", requester_kind="perorangan",
            phone="6281234567890", description="Uji dasbor",
            service_type="informasi", state="selesai" if done else "diterima", state_since=when,
            closed_at=when if done else None,
        )  # fmt: skip


def add_region_tree() -> None:
    for code, name, level, kind, parent in [
        ("32", "Jawa Barat", 1, "provinsi", None), ("32.73", "Kota Bandung", 2, "kota", "32"),
        ("32.73.01", "Sukasari", 3, "kecamatan", "32.73"),
    ]:  # fmt: skip
        Region.objects.create(code=code, name=name, level=level, kind=kind, parent_id=parent)


@pytest.fixture
def dash(posts: dict[str, Post], regions: dict[str, Any]) -> dict[str, Post]:
    """Create the extra posts and requests, refresh every figure, and return every post by slug."""
    add_region_tree()
    Post.objects.create(name="Posyantek Pekalongan Barat", slug="pekalongan-barat", kind="antar_desa",
                        region_id="33.75.01")  # fmt: skip
    Post.objects.create(name="Wartek Pasirsari", slug="wartek-pasirsari", kind="wartek", region_id="33.75.01.1001")
    Post.objects.create(name="Posyantek Kota Pekalongan", slug="kota-pekalongan", kind="desa", region_id="33.75")
    Post.objects.create(name="Posyantek Sukasari", slug="sukasari", kind="antar_desa", region_id="32.73.01")
    by_slug = {p.slug: p for p in Post.objects.all()}
    for slug, n in REQUESTS.items():
        add_requests(by_slug[slug], n)
    refresh_posts()
    return by_slug


@pytest.fixture
def judge(posts: dict[str, Post]) -> Any:
    """A logged-in user without any grant (a judge is named on a panel, not granted a region)."""
    return make_user("juri@example.id")
