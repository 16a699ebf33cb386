"""Reads about accounts and grants, scoped to what the reader oversees."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from posyantek.accounts.models import Grant
from posyantek.core.scoping import Action, region_subtree_q, user_grants


def grant_list(*, user: Any) -> QuerySet[Grant]:
    """Return the grants the user may manage: those on regions and posts inside their manage scope."""
    q = Q(pk__in=[])
    for g in user_grants(user):
        if g.rank < Action.MANAGE:
            continue
        if g.is_national:
            return Grant.objects.select_related("user", "region", "post", "post__region")
        if g.region_code:
            q |= region_subtree_q("region", g.region_code) | region_subtree_q("post__region", g.region_code)
        elif g.post_id:
            q |= Q(post_id=g.post_id)
    return Grant.objects.filter(q).select_related("user", "region", "post", "post__region")


def roles_grantable(*, user: Any) -> list[tuple[str, str]]:
    """Return the roles the user may give somewhere (for the form's choices)."""
    top = max((g.rank for g in user_grants(user)), default=0)
    if top < Action.MANAGE:
        return []
    return [(r.value, r.label) for r in Grant.Role if Grant.RANK[r.value] <= top]


def api_token_user_unscoped(raw: str) -> Any:
    """Return the active user owning the unrevoked token `raw`, or None; note when it was used."""
    from django.utils import timezone

    from posyantek.accounts.models import ApiToken

    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used is None or (now - row.last_used).total_seconds() > 300:
        ApiToken.objects.filter(pk=row.pk).update(last_used=now)
    return row.user
