"""The replication demo on top of the full demo (load_demo): Mitra Pantura's published kit, and DKI Jakarta's 44
kecamatan posts adopting it with varied progress, every tick made through the services (so audited)."""

from __future__ import annotations

import random
from collections import Counter

from django.test import Client
from django.utils import timezone

from posyantek.accounts.models import User
from posyantek.core.models import AuditEvent
from posyantek.replication.demo import ADOPTION_NAME, KIT_TITLE, load_replication
from posyantek.replication.models import AdoptionPost, ChecklistTick, Kit, KitAdoption


def test_load_replication_on_the_full_demo(demo_data) -> None:
    admin = User.objects.get(email="admin@demo.posyantek.id")
    load_replication(admin, random.Random(2014), timezone.localdate())  # once more if load_demo already did

    kit = Kit.objects.get(post__slug="mitra-pantura")
    assert kit.title == KIT_TITLE and kit.published
    assert "Perda" in kit.summary and "Panjang Wetan" in kit.summary and "orang pintar tapi tidak mampu" in kit.summary
    assert kit.items.count() == 12
    # 2014 from the kit; 2013 at the three levels from the demo contests' published results.
    assert sorted(kit.post.awards.values_list("year", "level")) == [
        (2013, "kabkota"), (2013, "nasional"), (2013, "provinsi"), (2014, "nasional"),
    ]  # fmt: skip

    adoption = KitAdoption.objects.get(kit=kit)
    assert adoption.name == ADOPTION_NAME and adoption.region_id == "31"
    assert adoption.adopted_by.email == "dki@demo.posyantek.id" and adoption.started_on.isoformat() == "2014-10-01"
    rows = AdoptionPost.objects.filter(adoption=adoption).select_related("post__region")
    assert rows.count() == 44
    assert {ap.post.region.level for ap in rows} == {3} and all(ap.post.region_id.startswith("31.") for ap in rows)
    counts = Counter(ap.done_count for ap in rows)
    assert counts[0] >= 3 and counts[12] >= 3 and sum(n for k, n in counts.items() if 0 < k < 12) >= 30
    for ap in rows:
        assert ap.done_count == ap.ticks.count()
    missing = ChecklistTick.objects.filter(item__evidence_required=True, evidence_note="", evidence_file="")
    assert not missing.exists()
    assert ChecklistTick.objects.filter(from_data=True).exists()
    assert AuditEvent.objects.filter(content_type__model="adoptionpost").count() == ChecklistTick.objects.count()

    load_replication(admin, random.Random(2014), timezone.localdate())
    assert KitAdoption.objects.count() == 1 and Kit.objects.count() == 1

    page = Client().get("/replikasi/mitra-pantura/").content.decode()
    assert (
        "Perda 11/2008" in page
        and "Juara I Lomba Posyantek Berprestasi Tingkat Nasional 2013" in page
        and "Bintek" in page
    )
    assert Client().get("/replikasi/mitra-pantura/kit.pdf").content.startswith(b"%PDF")
