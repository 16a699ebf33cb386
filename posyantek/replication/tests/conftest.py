"""Fixtures of the replication tests: Mitra Pantura's published kit (the default checklist), a second DKI kecamatan
with its post, and DKI Jakarta adopting the kit for its kecamatan posts (Gambir and Sawah Besar)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import make_user
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.replication import adoption_services, services
from posyantek.replication.models import AdoptionPost, Kit, KitAdoption, KitItem

SUMMARY = "Pendanaan berbasis Perda, Bintek dengan hasil nyata di Panjang Wetan, pemasaran lewat jejaring."


def make_kit(actor: Any, post: Post, *, published: bool = True, defaults: bool = True) -> Kit:
    data = {"title": "Kit Replikasi Posyantek Mitra Pantura", "summary": SUMMARY, "lessons": "Dukungan birokrasi"}
    kit = services.kit_create(actor=actor, post=post, data=data)
    if defaults:
        services.kit_use_default_items(actor=actor, kit=kit)
    if published:
        kit = services.kit_update(actor=actor, kit=kit, data={"published": True})
    return kit


def item(kit: Kit, source: str) -> KitItem:
    return kit.items.get(source=source)


def manual_item(kit: Kit, *, evidence: bool) -> KitItem:
    return kit.items.filter(source="manual", evidence_required=evidence).order_by("order").first() or kit.items.create(
        title="Langkah tanpa bukti", source="manual", order=99, evidence_required=evidence
    )


@pytest.fixture
def kit(manager: Any, posts: dict[str, Post]) -> Kit:
    return make_kit(manager, posts["mitra"])


@pytest.fixture
def sawah_besar(regions: dict[str, Region]) -> Post:
    region = Region.objects.create(code="31.71.02", name="Sawah Besar", level=3, kind="kecamatan", parent_id="31.71")
    return Post.objects.create(name="Posyantek Sawah Besar", slug="sawah-besar", kind="antar_desa", region=region,
                               sk_number="101/2021", sk_date=dt.date(2021, 11, 1))  # fmt: skip


@pytest.fixture
def adoption(kit: Kit, outsider: Any, regions: dict[str, Region], sawah_besar: Post) -> KitAdoption:
    """DKI Jakarta (the root conftest's `outsider`, its province officer) adopts the kit for its kecamatan posts."""
    return adoption_services.adoption_create(
        actor=outsider, data={"kit": kit, "region": regions["31"], "started_on": dt.date(2014, 10, 1)}
    )


@pytest.fixture
def gambir(adoption: KitAdoption, posts: dict[str, Post]) -> AdoptionPost:
    return adoption.posts.get(post=posts["dki"])


@pytest.fixture
def gambir_staff(posts: dict[str, Post]) -> Any:
    return make_user("gambir@example.id", ("post_staff", posts["dki"]))


@pytest.fixture
def dki_viewer(posts: dict[str, Post]) -> Any:
    return make_user("dkiviewer@example.id", ("viewer", "31"))
