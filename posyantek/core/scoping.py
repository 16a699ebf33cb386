"""The one scoping mechanism: who may see and change which rows.

A grant gives a role on a region subtree (the region and everything below it) or on one post.
Region codes are materialised paths (`33` → `33.75` → `33.75.03` → `33.75.03.1004`), so a subtree
is `code == X or code startswith X + "."` on every database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from posyantek.accounts.models import User


class Action:
    """Minimum role rank needed for an action."""

    VIEW = 10  # read
    EDIT = 20  # enter data (post staff)
    MANAGE = 30  # run a post: its legal standing, board, staff
    OVERSEE = 40  # create posts, change their status, oversee a region


ACTIONS = {"view": Action.VIEW, "edit": Action.EDIT, "manage": Action.MANAGE, "oversee": Action.OVERSEE}


@dataclass(frozen=True)
class GrantInfo:
    """A user's grant, reduced to what scoping needs."""

    role: str
    rank: int
    region_code: str | None
    post_id: int | None

    @property
    def is_national(self) -> bool:
        return self.region_code is None and self.post_id is None


def user_grants(user: User | AnonymousUser) -> list[GrantInfo]:
    """Return the user's grants, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_grant_cache", None)
    if cached is None:
        from posyantek.accounts.models import Grant

        cached = [
            GrantInfo(role=g.role, rank=Grant.RANK[g.role], region_code=g.region_id, post_id=g.post_id)
            for g in Grant.objects.filter(user=user).only("role", "region_id", "post_id")
        ]
        # A kecamatan post coordinates its village posts: its people may look at them (not change them).
        own_posts = [g.post_id for g in cached if g.post_id]
        if own_posts:
            from posyantek.posts.models import Post

            for child_id in Post.objects.filter(parent_id__in=own_posts).values_list("pk", flat=True):
                cached.append(GrantInfo("viewer", Grant.RANK["viewer"], None, child_id))
        if user.is_superuser:
            cached.append(
                GrantInfo(role="national_admin", rank=Grant.RANK["national_admin"], region_code=None, post_id=None)
            )
        user._grant_cache = cached  # type: ignore[union-attr]
    return cached


def forget_grants(user: Any) -> None:
    """Drop the cached grants, after they changed."""
    if hasattr(user, "_grant_cache"):
        del user._grant_cache


def region_subtree_q(field: str, code: str) -> Q:
    """Return a filter for rows whose region `field` lies in the subtree of `code`."""
    return Q(**{f"{field}__code": code}) | Q(**{f"{field}__code__startswith": code + "."})


def covers_region(grant_code: str, code: str) -> bool:
    """Return whether a grant on `grant_code` covers the region `code`."""
    return code == grant_code or code.startswith(grant_code + ".")


def scope_q(user: Any, *, rank: int, region_field: str | None, post_field: str | None) -> Q | None:
    """Return the filter of rows the user may act on with `rank`; None means everything."""
    q = Q(pk__in=[])
    for g in user_grants(user):
        if g.rank < rank:
            continue
        if g.is_national:
            return None
        if g.region_code and region_field:
            q |= region_subtree_q(region_field, g.region_code)
        elif g.post_id and post_field:
            q |= Q(**{post_field: g.post_id})
    return q


class RegionScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may see or change."""

    def for_user(self, user: Any, action: str = "view") -> RegionScopedQuerySet:
        """Return only the rows `user` may perform `action` on."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        model = self.model
        q = scope_q(
            user,
            rank=ACTIONS[action],
            region_field=getattr(model, "scope_region_field", None),
            post_field=getattr(model, "scope_post_field", None),
        )
        return self if q is None else self.filter(q)


def user_can(user: Any, obj: models.Model, action: str) -> bool:
    """Return whether `user` may perform `action` on `obj`."""
    return type(obj)._default_manager.for_user(user, action).filter(pk=obj.pk).exists()  # type: ignore[attr-defined]


def get_scoped_object(queryset: Any, user: Any, action: str = "view", **lookup: Any) -> Any:
    """Fetch an object the user may see (else 404), then require `action` on it (else 403)."""
    qs = queryset if isinstance(queryset, models.QuerySet) else queryset._default_manager.all()
    try:
        obj = qs.for_user(user, "view").get(**lookup)
    except (qs.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if action != "view" and not user_can(user, obj, action):
        raise PermissionDenied
    return obj


def require(user: Any, obj: models.Model, action: str) -> None:
    """Raise PermissionDenied unless `user` may perform `action` on `obj` (used inside services)."""
    if not user_can(user, obj, action):
        raise PermissionDenied


def rank_on_region(user: Any, code: str) -> int:
    """Return the highest role rank the user holds over the region `code` (0 when none)."""
    best = 0
    for g in user_grants(user):
        if g.is_national or (g.region_code and covers_region(g.region_code, code)):
            best = max(best, g.rank)
    return best


def rank_on_post(user: Any, post: Any) -> int:
    """Return the highest role rank the user holds over `post` (region grants and post grants)."""
    best = rank_on_region(user, post.region_id)
    for g in user_grants(user):
        if g.post_id == post.pk:
            best = max(best, g.rank)
    return best
