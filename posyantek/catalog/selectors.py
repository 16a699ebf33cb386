"""Reads about innovators: scoped lists and the potential map."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from posyantek.catalog.models import Innovator, Need, Sector
from posyantek.core.scoping import region_subtree_q
from posyantek.regions.models import Region

#: Length of a region code at each level: 33 · 33.75 · 33.75.03 · 33.75.03.1004
CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}


def innovator_list(*, user: Any, action: str = "view") -> QuerySet[Innovator]:
    """Return the innovators the user may see, with what lists show."""
    return (
        Innovator.objects.for_user(user, action)
        .select_related("person", "post", "region")
        .annotate(open_needs=Count("needs", filter=~Q(needs__status=Need.Status.MET)))
    )


def need_list(*, user: Any, action: str = "view") -> QuerySet[Need]:
    """Return the needs the user may see."""
    return Need.objects.for_user(user, action).select_related("innovator", "innovator__person", "innovator__region")


@dataclass
class MapRow:
    """One area of the potential map: innovators and unmet needs there."""

    region: Region | None
    code: str
    innovators: int = 0
    unmet: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


@dataclass
class PotentialMap:
    region: Region | None
    rows: list[MapRow]
    kinds: list[tuple[str, str]]
    by_sector: list[tuple[str, int, int]]
    unmet_total: int
    innovators_total: int


def potential_map(*, user: Any, region: Region | None = None, post_id: int | None = None) -> PotentialMap:
    """Count innovators and unmet needs by the areas one level below `region` (or by province), and by sector."""
    level = region.level + 1 if region else 1
    length = CODE_LENGTH.get(level, 13)
    innovators = Innovator.objects.for_user(user, "view")
    needs = Need.objects.for_user(user, "view").exclude(status=Need.Status.MET)
    if region:
        innovators = innovators.filter(region_subtree_q("region", region.code))
        needs = needs.filter(region_subtree_q("innovator__region", region.code))
    if post_id:
        innovators = innovators.filter(post_id=post_id)
        needs = needs.filter(innovator__post_id=post_id)
    rows: dict[str, MapRow] = {}
    for r in innovators.annotate(area=Substr("region_id", 1, length)).values("area").annotate(n=Count("pk")):
        rows.setdefault(r["area"], MapRow(None, r["area"])).innovators = r["n"]
    kind_rows = needs.annotate(area=Substr("innovator__region_id", 1, length)).values("area", "kind")
    for r in kind_rows.annotate(n=Count("pk")):
        row = rows.setdefault(r["area"], MapRow(None, r["area"]))
        row.by_kind[r["kind"]] = r["n"]
        row.unmet += r["n"]
    names = Region.objects.in_bulk(list(rows))
    for row in rows.values():
        row.region = names.get(row.code)
    sectors = {s: [0, 0] for s in Sector.values}
    for r in innovators.values("sector").annotate(n=Count("pk")):
        sectors[r["sector"]][0] = r["n"]
    for r in needs.values("innovator__sector").annotate(n=Count("pk")):
        sectors[r["innovator__sector"]][1] = r["n"]
    return PotentialMap(
        region=region,
        rows=sorted(rows.values(), key=lambda r: (-r.unmet, r.code)),
        kinds=list(Need.Kind.choices),
        by_sector=[(Sector(s).label, n, u) for s, (n, u) in sectors.items() if n or u],
        unmet_total=sum(r.unmet for r in rows.values()),
        innovators_total=sum(r.innovators for r in rows.values()),
    )
