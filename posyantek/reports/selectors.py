"""Reads of reports: the scoped list, the office's inbox, and the posts that have not reported for a period."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from posyantek.core.scoping import Action, region_subtree_q, user_grants
from posyantek.posts.models import Post
from posyantek.reports.models import Report


def report_list(*, user: Any, action: str = "view") -> QuerySet[Report]:
    """Return the reports of the posts the user may see, newest period first."""
    return (
        Report.objects.for_user(user, action)
        .select_related("post", "recipient")
        .order_by("-year", "-period", "post__name", "pk")
    )


def office_codes(user: Any) -> list[str] | None:
    """Return the regions whose office the user works for (region grants of oversee or more); None = the nation."""
    codes = []
    for g in user_grants(user):
        if g.rank < Action.OVERSEE or g.post_id:
            continue
        if g.is_national:
            return None
        codes.append(g.region_code)
    return codes


def is_office(user: Any) -> bool:
    """Return whether the user works for an office that receives reports."""
    codes = office_codes(user)
    return codes is None or bool(codes)


def _subtree(field: str, codes: list[str] | None) -> Q | None:
    if codes is None:
        return None
    q = Q(pk__in=[])
    for code in codes:
        q |= region_subtree_q(field, code)
    return q


def inbox_list(*, user: Any) -> QuerySet[Report]:
    """Return the reports sent to the offices the user works for (submitted, received or returned)."""
    qs = report_list(user=user).filter(state__in=[Report.State.SUBMITTED, Report.State.RECEIVED,
                                                  Report.State.RETURNED])  # fmt: skip
    q = _subtree("recipient", office_codes(user))
    return qs if q is None else qs.filter(q)


def current_period() -> tuple[int, str]:
    """Return the year and quarter that last ended (the one reports are due for now)."""
    today = timezone.localdate()
    q = (today.month - 1) // 3
    return (today.year, f"tw{q}") if q else (today.year - 1, "tw4")


def not_reported(*, user: Any, kind: str, year: int, period: str) -> QuerySet[Post]:
    """Return the posts with status aktif under the user's offices with no report of `kind` for `year`/`period`
    that was submitted or received (a draft, or one returned and not yet sent again, does not count);
    `has_draft` says one was started, `returned_at` when it was returned (None unless it is returned now)."""
    reported = Report.objects.filter(post=OuterRef("pk"), kind=kind, year=year, period=period,
                                     state__in=Report.REPORTED)  # fmt: skip
    qs = Post.objects.for_user(user, "view").filter(status=Post.Status.AKTIF)
    q = _subtree("region", office_codes(user))
    if q is not None:
        qs = qs.filter(q)
    started = Report.objects.filter(post=OuterRef("pk"), kind=kind, year=year, period=period)
    returned = started.filter(state=Report.State.RETURNED).values("decided_at")[:1]
    return (
        qs.exclude(Exists(reported))
        .annotate(has_draft=Exists(started), returned_at=Subquery(returned))
        .select_related("region")
        .order_by("region_id", "name", "pk")
    )


def inbox_counts(*, user: Any, kind: str, year: int, period: str) -> dict[str, int]:
    """Return how many reports of one period sit in each state of the inbox."""
    rows = (inbox_list(user=user).filter(kind=kind, year=year, period=period).order_by()
            .values("state").annotate(n=Count("pk")))  # fmt: skip
    counts = {s: 0 for s in (Report.State.SUBMITTED, Report.State.RECEIVED, Report.State.RETURNED)}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts
