"""Reads of visits: the scoped list, a visit by its guest-book token, the month calendar and the feed's visits."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from posyantek.visits.models import AgendaItem, GuestEntry, Visit

#: How far back and ahead the calendar feed reaches, and how many visits it lists at most.
FEED_PAST_DAYS = 400
FEED_FUTURE_DAYS = 800
FEED_LIMIT = 500


def _count_of(model: Any) -> Coalesce:
    rows = model.objects.filter(visit=OuterRef("pk")).order_by().values("visit")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


def visit_list(*, user: Any, action: str = "view") -> QuerySet[Visit]:
    """Return the visits the user may see, with the counts the list and the export show."""
    return (
        Visit.objects.for_user(user, action)
        .select_related("post", "institution_region", "other_post", "partner")
        .annotate(n_guests=_count_of(GuestEntry), n_agenda=_count_of(AgendaItem))
        .order_by("-starts_on", "-pk")
    )


def visit_by_token_unscoped(token: str) -> Visit | None:
    """Return the visit behind a public guest-book link (no scope: the unguessable token is the key)."""
    if not token or len(token) > 32:
        return None
    return Visit.objects.select_related("post", "region").filter(guestbook_token=token).first()


def guest_list(*, user: Any, visit: Visit) -> QuerySet[GuestEntry]:
    """Return the guest book of a visit the caller has already fetched within scope, in signing order."""
    return GuestEntry.objects.for_user(user, "view").filter(visit=visit).select_related("recorded_by")


@dataclass
class Day:
    """One day of the month grid and the visits on it."""

    date: dt.date
    in_month: bool
    visits: list[Visit] = field(default_factory=list)


@dataclass
class Month:
    """A month of visits: weeks of days (Monday first), and the visits in date order."""

    first: dt.date
    weeks: list[list[Day]]
    visits: list[Visit]

    @property
    def previous(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def following(self) -> dt.date:
        return (self.first + dt.timedelta(days=32)).replace(day=1)

    @property
    def busy_days(self) -> list[Day]:
        """Return the days of this month with a visit: the list shown on phones."""
        return [d for week in self.weeks for d in week if d.in_month and d.visits]


def visit_month(*, user: Any, year: int, month: int, post: Any = None) -> Month:
    """Return the month calendar of the visits the user may see (of one post when given), in two queries."""
    weeks_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first_shown, last_shown = weeks_dates[0][0], weeks_dates[-1][-1]
    qs = (
        Visit.objects.for_user(user, "view")
        .filter(starts_on__lte=last_shown, ends_on__gte=first_shown)
        .select_related("post", "institution_region")
        .order_by("starts_on", "pk")
    )
    if post is not None:
        qs = qs.filter(post=post)
    visits = list(qs[:1000])
    weeks = []
    for week in weeks_dates:
        days = []
        for day in week:
            on_day = [v for v in visits if v.starts_on <= day <= v.ends_on]
            days.append(Day(date=day, in_month=day.month == month, visits=on_day))
        weeks.append(days)
    return Month(first=dt.date(year, month, 1), weeks=weeks, visits=visits)


def visit_feed(*, user: Any, today: dt.date) -> list[Visit]:
    """Return the visits of the user's calendar feed (a window around today), with their agenda, in two queries."""
    qs = (
        Visit.objects.for_user(user, "view")
        .filter(
            ends_on__gte=today - dt.timedelta(days=FEED_PAST_DAYS),
            starts_on__lte=today + dt.timedelta(days=FEED_FUTURE_DAYS),
        )  # fmt: skip
        .select_related("post__region", "institution_region")
        .prefetch_related(Prefetch("agenda", queryset=AgendaItem.objects.select_related("site_region")))
        .order_by("starts_on", "pk")
    )
    return list(qs[:FEED_LIMIT])
