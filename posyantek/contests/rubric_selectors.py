"""Reads of the rubric and chain pages and API: which rubrics a user may open, a rubric's tree, versions and
editions, the owner regions a user may pick, and the chain links a user may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from posyantek.contests import access
from posyantek.contests.models import ContestLog, Criterion, Edition, Indicator, Rubric
from posyantek.contests.rubric_services import can_change, owner_regions_q
from posyantek.core.scoping import user_grants

# ---------------------------------------------------------------- reads: the pages and the API


def rubric_list(*, user: Any) -> QuerySet[Rubric]:
    """Return the rubrics `user` may open: national templates (anyone with a grant), rubrics of regions the user
    sees, and the rubrics of editions the user may open (an entrant or a judge sees what they are judged on)."""
    if not getattr(user, "is_authenticated", False):
        return Rubric.objects.none()
    q = Q(pk__in=Rubric.objects.for_user(user, "view").values("pk"))
    q |= Q(pk__in=access.visible_editions(user).values("rubric_id"))
    if user_grants(user):
        q |= Q(region__isnull=True, is_template=True)
    in_use = Edition.objects.filter(rubric=OuterRef("pk")).exclude(state=Edition.State.DRAFT)
    return (
        Rubric.objects.filter(q)
        .select_related("region")
        .annotate(in_use=Exists(in_use))
        .order_by("-is_template", "category", "family", "-version_no")
    )


def rubric_get(user: Any, pk: Any, *, change: bool = False) -> Rubric:
    """Return a rubric the user may open (else 404); with `change`, one the user may change (else 403)."""
    try:
        rubric = rubric_list(user=user).get(pk=pk)
    except (Rubric.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if change and not can_change(user, rubric):
        raise PermissionDenied
    return rubric


def rubric_tree(rubric: Rubric) -> list[Criterion]:
    """Return the rubric's criteria with their indicators (prefetched on the rubric too)."""
    criteria = list(rubric.criteria.prefetch_related("indicators"))
    rubric._prefetched_objects_cache = getattr(rubric, "_prefetched_objects_cache", {}) | {"criteria": criteria}
    return criteria


def rubric_family(*, user: Any, rubric: Rubric) -> QuerySet[Rubric]:
    """Return the versions of the rubric's family that the user may open."""
    return rubric_list(user=user).filter(family=rubric.family).order_by("version_no")


def rubric_editions(*, user: Any, rubric: Rubric) -> QuerySet[Edition]:
    """Return the editions using the rubric that the user may open (or that are published)."""
    visible = Q(pk__in=access.visible_editions(user).values("pk")) | Q(published_at__isnull=False)
    return Edition.objects.filter(visible, rubric=rubric).select_related("region").order_by("-year", "pk")


def child_criterion(rubric: Rubric, pk: Any) -> Criterion:
    """Return a criterion of a rubric already fetched within scope (else 404)."""
    crit = rubric.criteria.filter(pk=pk).first() if str(pk).isdigit() else None
    if crit is None:
        raise Http404
    crit.rubric = rubric
    return crit


def child_indicator(rubric: Rubric, pk: Any) -> Indicator:
    """Return an indicator of a rubric already fetched within scope (else 404)."""
    ind = (
        Indicator.objects.filter(criterion__rubric=rubric, pk=pk).select_related("criterion").first()
        if str(pk).isdigit()
        else None
    )
    if ind is None:
        raise Http404
    ind.criterion.rubric = rubric
    return ind


def owner_region_choices(user: Any) -> QuerySet[Any]:
    """Return the provinces and kabupaten/kota a user may own rubrics for."""
    from posyantek.regions.models import Region

    q = owner_regions_q(user)
    qs = Region.objects.filter(level__in=(1, 2)).order_by("code")
    return qs if q is None else qs.filter(q)


# ---------------------------------------------------------------- the chain check (reads)


def chain_editions(user: Any) -> QuerySet[Edition]:
    """Return the editions whose chain check a user may ask for: those they may open, and published ones."""
    visible = Q(pk__in=access.visible_editions(user).values("pk")) | Q(published_at__isnull=False)
    return Edition.objects.filter(visible).order_by("-year", "name")


def chain_links(*, user: Any, edition: Edition | None = None) -> QuerySet[ContestLog]:
    """Return the newest links first: of `edition`, or those of editions the user may see, published ones, and
    links of no edition (rubric changes)."""
    qs = ContestLog.objects.order_by("-seq")
    if edition is not None:
        return qs.filter(edition=edition)
    return qs.filter(Q(edition__isnull=True) | Q(edition__in=chain_editions(user).values("pk")))
