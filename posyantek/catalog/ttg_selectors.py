"""Reads of technology records: the staff list, and the public catalogue with its Indonesian search."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from posyantek.catalog.models import Adoption, Innovator, Ttg, TtgPhoto, TtgTerm
from posyantek.core.lib import textsearch
from posyantek.core.scoping import region_subtree_q

#: How many search hits are ranked at most; enough for the pages anyone reads.
MAX_HITS = 500


def ttg_list(*, user: Any, action: str = "view") -> QuerySet[Ttg]:
    """Return the records the user may see (drafts included)."""
    return Ttg.objects.for_user(user, action).select_related("post", "region")


def public_ttgs() -> QuerySet[Ttg]:
    """Return the published records, with what cards show."""
    first_photo = Prefetch("photos", queryset=TtgPhoto.objects.order_by("order", "pk"))
    return (
        Ttg.objects.filter(publication=Ttg.Publication.PUBLISHED)
        .select_related("post", "region")
        .prefetch_related(first_photo)
        .annotate(adopted_units=Sum("adoptions__units"), adopted_places=Count("adoptions__region", distinct=True))
    )


@dataclass
class SearchResult:
    ids: list[int]
    scores: dict[int, float]
    query: list[textsearch.QueryTerm]


def catalog_search(query: str, base: QuerySet[Ttg]) -> SearchResult:
    """Rank the records of `base` for `query`: exact words over typed prefixes over shared stems; ties by id."""
    terms = textsearch.query_terms(query)
    if not terms:
        return SearchResult([], {}, terms)
    exact, prefixes = textsearch.lookup_terms(terms)
    match = Q(term__in=exact)
    for prefix in prefixes:
        match |= Q(term__startswith=prefix)
    docs: dict[int, dict[str, float]] = defaultdict(dict)
    rows = TtgTerm.objects.filter(match, ttg__in=base.values("pk")).values_list("ttg_id", "term", "weight")
    for ttg_id, term, weight in rows:
        docs[ttg_id][term] = weight
    scores = {pk: s for pk, t in docs.items() if (s := textsearch.score(t, terms)) > 0}
    ranked = sorted(scores, key=lambda pk: (-scores[pk], pk))[:MAX_HITS]
    return SearchResult(ranked, scores, terms)


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
