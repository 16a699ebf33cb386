"""Reads about posts: scoped lists, the current board, rule warnings and alerts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core.scoping import region_subtree_q
from posyantek.posts.models import BoardTerm, Officer, Post

ALERT_DAYS = 90
MAX_TERM_YEARS = 3


def post_list(*, user: Any, action: str = "view") -> QuerySet[Post]:
    """Return the posts the user may see, with what list pages show."""
    return Post.objects.for_user(user, action).select_related("region", "region__parent", "parent")


def board_term_list(*, user: Any, action: str = "view") -> QuerySet[BoardTerm]:
    """Return the board terms the user may see."""
    return BoardTerm.objects.for_user(user, action).select_related("post", "post__region")


def officer_list(*, user: Any, action: str = "view") -> QuerySet[Officer]:
    """Return the officers the user may see."""
    return Officer.objects.for_user(user, action).select_related("term", "term__post", "person")


def post_public_list(*, region_code: str | None = None) -> QuerySet[Post]:
    """Return every post (public facts only), optionally in a region's subtree."""
    qs = Post.objects.select_related("region")
    if region_code:
        qs = qs.filter(region_subtree_q("region", region_code))
    return qs.order_by("region_id", "kind")


def board_terms_with_officers(post: Post) -> list[BoardTerm]:
    """Return the post's terms, newest first, with officers and their people loaded."""
    return list(
        post.board_terms.prefetch_related(
            Prefetch("officers", queryset=Officer.objects.select_related("person").order_by("order", "pk"))
        )
    )


@dataclass
class Warning:
    """One rule a post does not meet, as shown on its page."""

    code: str
    message: str
    severity: str = "warning"
    rule: str = ""


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _rule(paragraph: int) -> str:
    return _("Permendesa PDTT 23/2017 psl. 29 ayat %(n)s") % {"n": paragraph}


def term_warnings(term: BoardTerm | None, today: dt.date) -> list[Warning]:
    """Return the art. 29 warnings for a board term (officers must be prefetched)."""
    if term is None:
        return [Warning("no_board", _("Belum ada kepengurusan tercatat."), "danger", _rule(5))]
    out = []
    officers = list(term.officers.all())
    core = {o.position for o in officers} & set(Officer.CORE_POSITIONS)
    if len(core) < len(Officer.CORE_POSITIONS):
        missing = [str(Officer.Position(p).label) for p in Officer.CORE_POSITIONS if p not in core]
        out.append(
            Warning(
                "core_positions",
                _("Baru %(n)s dari 5 jabatan inti terisi; belum ada: %(missing)s.")
                % {"n": len(core), "missing": ", ".join(missing)},
                "warning",
                _rule(5),
            )
        )
    if term.ends_on > _add_years(term.starts_on, MAX_TERM_YEARS):
        out.append(Warning("term_too_long", _("Masa bakti lebih dari 3 tahun."), "warning", _rule(6)))
    if warning := _term_end_warning(term, today):
        out.append(warning)
    for o in officers:
        if o.is_civil_servant:
            out.append(
                Warning(
                    "civil_servant",
                    _("%(p)s tercatat sebagai PNS.") % {"p": o.person},
                    "danger",
                    _rule(3),
                )
            )
        if o.is_party_official:
            out.append(
                Warning(
                    "party_official",
                    _("%(p)s tercatat sebagai anggota/pengurus partai politik.") % {"p": o.person},
                    "danger",
                    _rule(4),
                )
            )
    return out


def _term_end_warning(term: BoardTerm, today: dt.date) -> Warning | None:
    """Return the warning for a term that has ended or ends within ALERT_DAYS, if any."""
    if term.ends_on < today:
        message = _("Masa bakti kepengurusan telah berakhir pada %(d)s.") % {"d": _date(term.ends_on)}
        return Warning("term_ended", message, "danger", _rule(6))
    if term.ends_on <= today + dt.timedelta(days=ALERT_DAYS):
        message = _("Masa bakti kepengurusan akan berakhir pada %(d)s.") % {"d": _date(term.ends_on)}
        return Warning("term_ending", message, "warning", _rule(6))
    return None


def skt_warnings(post: Post, today: dt.date) -> list[Warning]:
    """Return the SKT expiry warning of a post, if any."""
    if not post.skt_valid_until:
        return []
    d = post.skt_valid_until
    if d < today:
        return [Warning("skt_expired", _("SKT sudah habis masa berlakunya sejak %(d)s.") % {"d": _date(d)}, "danger")]
    if d <= today + dt.timedelta(days=ALERT_DAYS):
        return [Warning("skt_expiring", _("SKT habis masa berlakunya pada %(d)s.") % {"d": _date(d)}, "warning")]
    return []


def _date(d: dt.date) -> str:
    from posyantek.core.templatetags.fmt import tanggal

    return tanggal(d)


def post_warnings(post: Post, terms: list[BoardTerm], today: dt.date | None = None) -> list[Warning]:
    """Return every warning shown on a post's page."""
    today = today or timezone.localdate()
    running = [t for t in terms if t.starts_on <= today <= t.ends_on]
    current = running[0] if running else (terms[0] if terms else None)
    return skt_warnings(post, today) + term_warnings(current, today)


@dataclass
class Alert:
    """A warning about a post, with the date it is due (the earliest is the most urgent)."""

    post: Post
    warning: Warning
    due: dt.date | None = None


def alerts_for_user(*, user: Any, today: dt.date | None = None, max_posts: int = 2000) -> list[Alert]:
    """Return the SKT and board-term alerts of the posts the user can see, most overdue first."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=ALERT_DAYS)
    latest_terms = Prefetch("board_terms", queryset=BoardTerm.objects.order_by("-starts_on"))
    # Most urgent first before the cut: no board at all, then the board terms that ended longest ago,
    # then the oldest SKT.
    posts = (
        post_list(user=user, action="view")
        .annotate(last_term_end=Max("board_terms__ends_on"))
        .filter(Q(skt_valid_until__lte=soon) | Q(last_term_end__lte=soon) | Q(last_term_end__isnull=True))
        .prefetch_related(latest_terms)
        .order_by(F("last_term_end").asc(nulls_first=True), F("skt_valid_until").asc(nulls_last=True), "pk")[:max_posts]
    )
    out: list[Alert] = []
    for post in posts:
        out.extend(Alert(post, w, post.skt_valid_until) for w in skt_warnings(post, today))
        terms = list(post.board_terms.all())
        running = [t for t in terms if t.starts_on <= today <= t.ends_on]
        current = running[0] if running else (terms[0] if terms else None)
        if current is None:
            out.append(Alert(post, Warning("no_board", _("Belum ada kepengurusan tercatat."), "danger"), dt.date.min))
        elif warning := _term_end_warning(current, today):
            out.append(Alert(post, warning, current.ends_on))
    out.sort(key=lambda a: (a.due or dt.date.min, a.post.name))
    return out


def post_counts(*, user: Any) -> dict[str, Any]:
    """Return counts of visible posts by kind and status, for the dashboard."""
    qs = Post.objects.for_user(user, "view")
    by = qs.values("kind", "status").annotate(n=Count("pk"))
    kinds = {k: 0 for k in Post.Kind.values}
    statuses = {s: 0 for s in Post.Status.values}
    for row in by:
        kinds[row["kind"]] += row["n"]
        statuses[row["status"]] += row["n"]
    return {
        "total": sum(kinds.values()),
        "by_kind": [(Post.Kind(k).label, n) for k, n in kinds.items()],
        "by_status": [(Post.Status(s).label, n, s) for s, n in statuses.items()],
    }
