"""The demo network loads through the services with the regions it names."""

from __future__ import annotations

import random

from django.utils import timezone

from posyantek.network.demo import load_agents
from posyantek.network.models import Agent
from posyantek.regions.models import Region

EXTRA = [("33.74", "Kota Semarang", 2, "kota", "33"), ("33.25", "Kabupaten Batang", 2, "kabupaten", "33"),
         ("33.76", "Kota Tegal", 2, "kota", "33"), ("31.74", "Kota Administrasi Jakarta Selatan", 2, "kota", "31"),
         ("73", "Sulawesi Selatan", 1, "provinsi", None), ("73.71", "Kota Makassar", 2, "kota", "73")]  # fmt: skip


def test_load_agents(admin, posts, regions) -> None:
    for code, name, level, kind, parent in EXTRA:
        Region.objects.create(code=code, name=name, level=level, kind=kind, parent_id=parent)
    load_agents(admin, random.Random(1), timezone.localdate())
    mine = Agent.objects.filter(post=posts["mitra"])
    assert mine.count() == 6 and mine.filter(active=False).count() == 1
    assert set(mine.values_list("area_id", flat=True)) >= {"33.74", "31.74", "73.71", "33.25"}
    assert mine.get(kind="posyantek").partner_post == posts["dki"]
    assert mine.get(name="BUMDes Maju Makmur").kind == "bumdes"
    assert len(set(mine.values_list("commission_rule", flat=True))) == 4
    load_agents(admin, random.Random(1), timezone.localdate())
    assert Agent.objects.count() == 6
