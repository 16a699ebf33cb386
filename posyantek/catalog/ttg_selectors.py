"""Reads of technology records: the staff list, and the public catalogue (its search is in catalog/search.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat

from posyantek.catalog import search
from posyantek.catalog.models import Adoption, Innovator, Ttg, TtgPhoto, TtgTermStat
from posyantek.core.lib import textsearch
from posyantek.core.scoping import region_subtree_q
from posyantek.regions.models import Region


def ttg_list(*, user: Any, action: str = "view") -> QuerySet[Ttg]:
    """Return the records the user may see (drafts included)."""
    return Ttg.objects.for_user(user, action).select_related("post", "region")


def published() -> QuerySet[Ttg]:
    """Return the published records, plain (to filter, count or search)."""
    return Ttg.objects.filter(publication=Ttg.Publication.PUBLISHED)


def with_cards(qs: QuerySet[Ttg]) -> QuerySet[Ttg]:
    """Return `qs` with what cards show: post, region, first photo, adoption totals."""
    first_photo = Prefetch("photos", queryset=TtgPhoto.objects.order_by("order", "pk"))
    return (
        qs.select_related("post", "region")
        .prefetch_related(first_photo)
        .annotate(adopted_units=Sum("adoptions__units"), adopted_places=Count("adoptions__region", distinct=True))
    )


def public_ttgs() -> QuerySet[Ttg]:
    """Return the published records, with what cards show."""
    return with_cards(published())


def region_facets(codes: Iterable[str] | None = None, *, province: str = "") -> dict[str, int]:
    """Return how many published records come from each region of `codes` that has any (from the search index).

    Without `codes`: the provinces and, when `province` is given, its regencies (the catalogue's region filter).
    """
    if codes is None:
        levels = Q(level=1) | Q(level=2, parent_id=province[:2]) if province else Q(level=1)
        terms: Any = Region.objects.filter(levels).annotate(t=Concat(Value(search.REGION), "code")).values("t")
    else:
        terms = [search.REGION + c for c in codes]
    rows = TtgTermStat.objects.filter(term__in=terms, df__gt=0).values_list("term", "df")
    return {term.removeprefix(search.REGION): df for term, df in rows}


def adoption_summary(ttg: Ttg) -> dict[str, int]:
    """Return how widely a record is applied: units, villages, regencies and provinces."""
    rows = list(Adoption.objects.filter(ttg=ttg).values_list("region_id", "units"))
    codes = {code for code, _ in rows}
    return {
        "units": sum(units for _, units in rows),
        "places": len(codes),
        "regencies": len({c[:5] for c in codes}),
        "provinces": len({c[:2] for c in codes}),
    }


def in_region(qs: QuerySet[Ttg], code: str) -> QuerySet[Ttg]:
    """Return the records from `code` or anywhere below it."""
    return qs.filter(region_subtree_q("region", code))


def public_adoptions(ttg: Ttg) -> list[Adoption]:
    """Return where a published record is applied (public facts), newest first."""
    if ttg.publication != Ttg.Publication.PUBLISHED:
        return []
    return list(Adoption.objects.filter(ttg=ttg).select_related("region").order_by("-applied_on", "-pk"))


def innovators_public_search(text: str, *, limit: int = 10, max_words: int = 20) -> list[Innovator]:
    """Return innovators whose skills or works mention the problem's words (or their stems).

    Only innovators credited on a published record are shown: their names are public there already, and an
    innovator who was only registered by a post has not agreed to be listed.
    """
    words = textsearch.tokens(text)[:max_words]
    needles = sorted(set(words) | {s for w in words for s in textsearch.stems(w) if len(s) >= 4})
    if not needles:
        return []
    match = Q()
    for needle in needles:
        match |= Q(innovator__skills__icontains=needle) | Q(innovator__works__icontains=needle)
    # A deliberate public read: only the links of published records, hence through the TTG-innovator table.
    links = (
        Ttg.innovators.through.objects.filter(match, ttg__publication=Ttg.Publication.PUBLISHED)
        .select_related("innovator__person", "innovator__post__region")
        .order_by("innovator_id")
    )
    found: dict[int, Innovator] = {}
    for link in links[:200]:
        found.setdefault(link.innovator_id, link.innovator)

    def hits(i: Innovator) -> int:
        haystack = textsearch.normalize(f"{i.skills} {i.works}")
        return sum(1 for n in needles if n in haystack)

    return sorted(found.values(), key=lambda i: (-hits(i), i.pk))[:limit]
