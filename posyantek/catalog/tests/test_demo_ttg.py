"""The demo technology records load through the services on a small region tree."""

from __future__ import annotations

import random

import pytest
from django.db.models import Q
from django.utils import timezone

from conftest import make_user
from posyantek.catalog.demo_ttg import FISH_DRYER_VILLAGES, VILLAGES, load_ttgs
from posyantek.catalog.models import Adoption, Innovator, Ttg, TtgStageChange
from posyantek.people.models import Person
from posyantek.posts.models import Post
from posyantek.regions.models import Region

KINDS = {1: "provinsi", 2: "kabupaten", 3: "kecamatan"}
PEKALONGAN = {
    "mitra-pantura": "33.75.03",
    "posyantek-batik-mandiri": "33.75.01",
    "posyantek-karya-timur": "33.75.02",
    "posyantek-selatan-maju": "33.75.04",
}


@pytest.fixture
def demo_tree(db) -> dict[str, Post]:
    """Create the villages the loader uses with their ancestors, the Pekalongan posts and one Jakarta post."""
    codes = set()
    for code in VILLAGES:
        parts = code.split(".")
        codes.update(".".join(parts[:i]) for i in range(1, 5))
    rows = []
    for c in sorted(codes, key=lambda c: (c.count("."), c)):
        level = c.count(".") + 1
        kind = KINDS.get(level) or ("kelurahan" if c.split(".")[-1].startswith("1") else "desa")
        name = VILLAGES.get(c, f"Wilayah {c}")
        rows.append(Region(code=c, name=name, level=level, kind=kind, parent_id=c.rpartition(".")[0] or None))
    Region.objects.bulk_create(rows)
    posts = {slug: Post.objects.create(name=slug, slug=slug, kind="antar_desa", region_id=code)
             for slug, code in PEKALONGAN.items()}  # fmt: skip
    posts["dki"] = Post.objects.create(name="Posyantek Kecamatan Gambir", slug="posyantek-31-71-01",
                                       kind="antar_desa", region_id="31.71.01")  # fmt: skip
    return posts


def test_load_ttgs(demo_tree) -> None:
    admin = make_user("admin@example.id", ("national_admin", None))
    kasnadi = Person.objects.create(name="Kasnadi", region_id="33.75.03.1004", post=demo_tree["mitra-pantura"])
    inv = Innovator.objects.create(kind="perorangan", person=kasnadi, post=demo_tree["mitra-pantura"],
                                   region_id="33.75.03.1004", sector="perikanan")  # fmt: skip

    created = load_ttgs(admin, random.Random(2014))

    assert created == Ttg.objects.count() >= 40
    published = Ttg.objects.filter(publication=Ttg.Publication.PUBLISHED)
    assert published.count() >= 30
    assert not published.filter(photos__isnull=True).exists()
    assert Ttg.objects.filter(publication=Ttg.Publication.REQUESTED).count() == 1
    assert Ttg.objects.filter(publication=Ttg.Publication.DRAFT).exists()
    assert set(Ttg.objects.values_list("post__slug", flat=True)) == {p.slug for p in demo_tree.values()}
    assert all(isinstance(p, int) and p > 0 for p in Ttg.objects.values_list("price", flat=True))
    assert all(isinstance(p, int) and p > 0 for p in Ttg.objects.values_list("production_cost", flat=True))
    assert not Ttg.objects.filter(Q(trl__isnull=True) | Q(trl__lt=3) | Q(trl__gt=9)).exists()
    assert set(Ttg.objects.values_list("kind", flat=True)) == set(Ttg.Kind.values)

    dryer = Ttg.objects.get(name="Alat Pengering Ikan Tenaga Surya")
    assert list(dryer.innovators.all()) == [inv]
    assert dryer.region_id == "33.75.03.1004"
    villages = list(dryer.adoptions.values_list("region_id", flat=True))
    assert sorted(villages) == sorted(FISH_DRYER_VILLAGES)
    assert len({code[:2] for code in villages}) >= 3
    assert dryer.stage == Ttg.Stage.MARKETED and dryer.terms.exists()
    history = list(dryer.stage_changes.order_by("changed_on", "pk").values_list("stage", flat=True))
    assert history[0] == Ttg.Stage.IDEA and history[-1] == Ttg.Stage.MARKETED and "hki_diajukan" in history
    assert not TtgStageChange.objects.filter(changed_on__gte=timezone.localdate()).exists()  # all in the past
    assert Adoption.objects.values("region__code").distinct().count() >= 30
