"""The visit calendar: a month per post (/kunjungan/kalender/) and the iCalendar feed behind a secret link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyantek.core.templatetags.fmt import tanggal
from posyantek.posts.models import Post
from posyantek.visits import ical
from posyantek.visits.models import Visit
from posyantek.visits.selectors import visit_feed, visit_month


def _month(value: str) -> dt.date:
    """Return the first day of the month asked for as YYYY-MM (this month when missing or wrong)."""
    try:
        year, month = (int(p) for p in (value or "").split("-")[:2])
        if 1900 <= year <= 2200:
            return dt.date(year, month, 1)
    except ValueError:
        pass
    return timezone.localdate().replace(day=1)


def visit_calendar(request: HttpRequest) -> HttpResponse:
    """Show a month of visits (of one post, or of every post the user may see), and the user's feed link."""
    first = _month(request.GET.get("bulan", ""))
    posts = Post.objects.for_user(request.user, "view").only("pk", "name").order_by("name")
    post = None
    if request.GET.get("pos"):
        post = posts.filter(pk=request.GET["pos"]).first() if request.GET["pos"].isdigit() else None
        if post is None:
            raise Http404
    month = visit_month(user=request.user, year=first.year, month=first.month, post=post)
    token = ical.feed_token(request.user)
    feed_url = request.build_absolute_uri(reverse("visits:calendar_feed", args=[token]))
    ctx = {"month": month, "posts": posts, "post": post, "feed_url": feed_url, "today": timezone.localdate(),
           "pos_query": f"&pos={post.pk}" if post else ""}  # fmt: skip
    return render(request, "visits/calendar.html", ctx)


@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    """Make a new secret calendar link; the old one stops working."""
    ical.feed_token_revoke(actor=request.user)
    messages.success(request, _("Tautan kalender baru dibuat; tautan lama tidak berlaku lagi."))
    return redirect("visits:calendar")


def _location(visit: Visit) -> str:
    if visit.is_incoming:
        return f"{visit.post.name}, {visit.post.region}"
    where = [visit.institution]
    if visit.institution_region:
        where.append(str(visit.institution_region))
    return ", ".join(where)


def _description(visit: Visit, url: str) -> str:
    lines = [
        f"{visit.get_direction_display()} · {visit.get_state_display()}",
        f"{_('Instansi')}: {visit.institution}",
    ]
    if visit.leader:
        lines.append(f"{_('Ketua rombongan')}: {visit.leader}" + (f" ({visit.leader_title})" if visit.leader_title
                                                                  else ""))  # fmt: skip
    lines.append(f"{_('Jumlah orang')}: {visit.visitors}")
    if visit.purposes:
        lines.append(f"{_('Maksud')}: {', '.join(visit.purpose_labels)}")
    agenda = list(visit.agenda.all())
    if agenda:
        lines.append(_("Agenda") + ":")
        for a in agenda:
            hours = f" {a.starts_at:%H.%M}" + (f"–{a.ends_at:%H.%M}" if a.ends_at else "") if a.starts_at else ""
            place = f" ({a.place})" if a.place else (f" ({a.site_region})" if a.site_region else "")
            lines.append(f"- {tanggal(a.day)}{hours} {a.get_kind_display()}: {a.title}{place}")
    lines.append(url)
    return "\n".join(lines)


def _event(request: HttpRequest, visit: Visit, host: str) -> ical.Event:
    url = request.build_absolute_uri(visit.get_absolute_url())
    prefix = _("Kunjungan masuk") if visit.is_incoming else _("Kunjungan keluar")
    return ical.Event(
        uid=f"kunjungan-{visit.pk}@{host}",
        stamp=visit.updated,
        start=visit.starts_on,
        end=visit.ends_on + dt.timedelta(days=1),
        summary=f"{prefix}: {visit.title}",
        location=_location(visit),
        description=_description(visit, url),
        url=url,
        status="CANCELLED" if visit.state == Visit.State.CANCELLED else (
            "TENTATIVE" if visit.state == Visit.State.REQUESTED else "CONFIRMED"),
        categories=[visit.post.name],
    )  # fmt: skip


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed of the visits the token's user may see; a bad, tampered or revoked token is a 404."""
    user: Any = ical.feed_user_unscoped(token)
    if user is None:
        raise Http404
    host = request.get_host().split(":")[0] or "posyantek"
    events = [_event(request, v, host) for v in visit_feed(user=user, today=timezone.localdate())]
    body = ical.calendar_bytes(events, name=_("Kunjungan Posyantek"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kunjungan.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
