"""Fixtures of the contests tests.

DKI Jakarta runs a provincial Posyantek Berprestasi 2026 (`edition`, organiser `organiser` = province officer on 31)
with two entries: Posyantek Gambir (`entry`, Jakarta Pusat) and Posyantek Cempaka Putih (`entry2`, Jakarta Pusat as
well, another kecamatan). Its field-verification panel has two judges: `judge1` (from Jakarta Timur) and `judge2`
(from BRIN, no home region); `judge_pusat` comes from Jakarta Pusat and so may not score either entry. The national
edition of the same year (`national`, national admin `admin`) is where DKI's winner is forwarded.

Root personas still apply: `officer` (Kota Pekalongan) is an outsider here; `viewer` is too low everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import make_user
from posyantek.contests import rubric_services
from posyantek.contests.models import Edition, Entry, Panel, PanelJudge, Rubric, ScoreSheet, Stage
from posyantek.posts.models import Post
from posyantek.regions.models import Region


@pytest.fixture
def dki(posts: dict[str, Post]) -> dict[str, Any]:
    """More of DKI: a second Jakarta Pusat kecamatan with its post, and Jakarta Timur."""
    Region.objects.create(code="31.71.07", name="Cempaka Putih", level=3, kind="kecamatan", parent_id="31.71")
    Region.objects.create(code="31.75", name="Kota Administrasi Jakarta Timur", level=2, kind="kota", parent_id="31")
    Region.objects.create(code="31.75.01", name="Matraman", level=3, kind="kecamatan", parent_id="31.75")
    cempaka = Post.objects.create(name="Posyantek Cempaka Putih", slug="cempaka-putih", kind="antar_desa",
                                  region_id="31.71.07")  # fmt: skip
    matraman = Post.objects.create(name="Posyantek Matraman", slug="matraman", kind="antar_desa", region_id="31.75.01")
    return {"gambir": posts["dki"], "cempaka": cempaka, "matraman": matraman}


@pytest.fixture
def organiser(posts: dict[str, Post]) -> Any:
    """The DKI province officer who runs the provincial contest."""
    return make_user("panitia@dki.example.id", ("province_officer", "31"))


@pytest.fixture
def gambir_manager(posts: dict[str, Post]) -> Any:
    return make_user("gambir@example.id", ("post_manager", posts["dki"]))


@pytest.fixture
def template(db: Any) -> Rubric:
    """The built-in national Posyantek Berprestasi template."""
    return rubric_services.rubric_from_template(actor=None, category="posyantek_berprestasi", is_template=True)


@pytest.fixture
def rubric(template: Rubric, organiser: Any) -> Rubric:
    """DKI's own 2026 rubric, built from the template (weights sum to 100, scale 1–4)."""
    return rubric_services.rubric_from_template(
        actor=organiser,
        category="posyantek_berprestasi",
        region=Region.objects.get(pk="31"),
        year=2026,
        family="dki-posyantek-2026",
    )


def make_edition(rubric: Rubric, *, level: str = "provinsi", region: str | None = "31", year: int = 2026,
                 state: str = Edition.State.REGISTRATION, **extra: Any) -> Edition:  # fmt: skip
    return Edition.objects.create(
        name=extra.pop("name", f"Lomba Posyantek Berprestasi {level} {year}"), category="posyantek_berprestasi",
        year=year, level=level, region_id=region, organiser=extra.pop("organiser", "DPMPTSP/DPMD"), rubric=rubric,
        state=state, period_start=dt.date(year - 1, 1, 1), period_end=dt.date(year - 1, 12, 31), **extra,
    )  # fmt: skip


@pytest.fixture
def edition(rubric: Rubric) -> Edition:
    return make_edition(rubric, forward_count=1, name="Lomba Posyantek Berprestasi Provinsi DKI Jakarta 2026")


@pytest.fixture
def national(template: Rubric, admin: Any) -> Edition:
    return make_edition(template, level="nasional", region=None, state=Edition.State.REGISTRATION,
                        name="Lomba Posyantek Berprestasi Nasional 2026", forward_count=0)  # fmt: skip


def make_entry(edition: Edition, post: Post, *, state: str = Entry.State.SUBMITTED) -> Entry:
    return Entry.objects.create(edition=edition, post=post, region_id=post.region_id, title=post.name, state=state)


@pytest.fixture
def entry(edition: Edition, dki: dict[str, Any]) -> Entry:
    return make_entry(edition, dki["gambir"], state=Entry.State.PASSED)


@pytest.fixture
def entry2(edition: Edition, dki: dict[str, Any]) -> Entry:
    return make_entry(edition, dki["cempaka"], state=Entry.State.PASSED)


@pytest.fixture
def judge1(db: Any) -> Any:
    return make_user("juri1@example.id")


@pytest.fixture
def judge2(db: Any) -> Any:
    return make_user("juri2@example.id")


@pytest.fixture
def judge_pusat(db: Any) -> Any:
    return make_user("juri-pusat@example.id")


@pytest.fixture
def panel(edition: Edition, judge1: Any, judge2: Any, dki: dict[str, Any]) -> Panel:
    """The field-verification panel: judge1 (Jakarta Timur, chair) and judge2 (BRIN)."""
    panel = Panel.objects.create(edition=edition, stage=Stage.FIELD, name="Tim Verifikasi Lapangan")
    PanelJudge.objects.create(panel=panel, user=judge1, institution="Sudin PPAPP Jakarta Timur", home_region_id="31.75",
                              is_chair=True)  # fmt: skip
    PanelJudge.objects.create(panel=panel, user=judge2, institution="BRIN")
    return panel


@pytest.fixture
def sheets(panel: Panel, entry: Entry, entry2: Entry) -> list[ScoreSheet]:
    """Open sheets for both judges on both entries (the field stage)."""
    edition = panel.edition
    edition.state = Edition.State.FIELD
    edition.save(update_fields=["state"])
    return [
        ScoreSheet.objects.create(edition=edition, stage=Stage.FIELD, entry=e, judge=j)
        for e in (entry, entry2) for j in panel.judges.all()
    ]  # fmt: skip
