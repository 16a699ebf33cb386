"""Reads of the region tree. Regions are public reference data: no scoping needed."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from posyantek.regions.models import Region


def region_get(code: str) -> Region | None:
    """Return the region with `code`, or None."""
    return Region.objects.filter(code=code.strip()).first()


def region_ancestors(region: Region) -> list[Region]:
    """Return the region's ancestors from the province down, in one query."""
    return list(Region.objects.filter(code__in=region.ancestor_codes).order_by("level"))


def region_search(*, q: str = "", parent: str | None = None, level: int | None = None) -> QuerySet[Region]:
    """Return regions matching a code prefix or a name fragment, optionally under `parent`."""
    qs = Region.objects.all()
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    q = (q or "").strip()
    if q:
        digits = q.replace(".", "")
        if digits.isdigit():
            qs = qs.filter(code__startswith=q)
        else:
            for word in q.split()[:5]:
                qs = qs.filter(name__icontains=word)
    return qs.order_by("level", "code")


def region_children(region: Region | None) -> QuerySet[Region]:
    """Return the direct children of `region`, or the provinces for None."""
    return Region.objects.filter(parent=region) if region else Region.objects.filter(level=1)


def region_subtree_q(code: str, field: str = "region") -> Q:
    """Return the filter of rows whose `field` lies in the subtree of `code`."""
    from posyantek.core.scoping import region_subtree_q as _q

    return _q(field, code)
