"""The home dashboard: what each role sees first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from posyantek.core.models import AuditEvent
from posyantek.core.scoping import user_grants


@dataclass
class Dashboard:
    grants: list[Any]
    posts: dict[str, Any]
    people: int
    alerts: list[Any] = field(default_factory=list)
    recent: list[AuditEvent] = field(default_factory=list)


def dashboard_for(*, user: Any) -> Dashboard:
    """Return the counts, alerts and recent changes the user may see."""
    from posyantek.accounts.models import Grant
    from posyantek.people.models import Person
    from posyantek.posts.selectors import alerts_for_user, post_counts

    grants = list(Grant.objects.filter(user=user).select_related("region", "post"))
    user_grants(user)
    return Dashboard(
        grants=grants,
        posts=post_counts(user=user),
        people=Person.objects.for_user(user, "view").count(),
        alerts=alerts_for_user(user=user),
        recent=list(AuditEvent.objects.for_user(user, "view").select_related("actor").order_by("-at", "-pk")[:10]),
    )


def history_for(obj: Any, limit: int = 50) -> list[AuditEvent]:
    """Return the Riwayat of an object the caller has already fetched within scope."""
    return list(AuditEvent.objects.for_object(obj)[:limit])
