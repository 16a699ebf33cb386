"""Reads of service requests: scoped lists, the public view by tracking code, routing, suggestions, statistics."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower, Substr
from django.utils import timezone

from posyantek.catalog.models import Sector, Ttg
from posyantek.catalog.search import catalog_search
from posyantek.catalog.selectors import CODE_LENGTH
from posyantek.consultations.models import ServiceRequest
from posyantek.core.lib import textsearch
from posyantek.core.scoping import Action, region_subtree_q
from posyantek.posts.models import Post
from posyantek.regions.models import Region

#: Words of a need used to look for technologies.
SUGGEST_MAX_WORDS = 12
SUGGEST_HITS = 8


def request_list(*, user: Any, action: str = "view") -> QuerySet[ServiceRequest]:
    """Return the requests the user may see, with what lists show."""
    return ServiceRequest.objects.for_user(user, action).select_related("post", "region", "handler")


#: A lower bound for due dates: with both bounds SQLite's planner reads the (post, due_at) index, not every row.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def overdue_q() -> Q:
    """Return the filter of requests past their service-time target.

    Finished requests have no target (services set `due_at` to None), so the index alone answers, with no row read.
    """
    return Q(due_at__gt=EPOCH, due_at__lt=timezone.now())


def overdue(qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """Return the requests of `qs` past their service-time target and not finished."""
    return qs.filter(overdue_q())


def request_by_code_unscoped(code: str) -> ServiceRequest | None:
    """Return the request with this tracking code: the code itself is the requester's key (public page)."""
    code = normalize_code(code)
    if len(code) != 10:
        return None
    return ServiceRequest.objects.select_related("post", "region").filter(code=code).first()


def normalize_code(code: str) -> str:
    """Return a typed tracking code without spaces or dashes, upper case."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:20]


def public_steps(request: ServiceRequest) -> list[Any]:
    """Return the steps of a request as the requester sees them: when, which state, and only public notes."""
    return list(request.steps.only("to_state", "at", "note", "is_public", "request_id").order_by("at", "pk"))


def public_recommendations(request: ServiceRequest) -> list[Ttg]:
    """Return the recommended technologies that are in the public catalogue, in the staff's order."""
    return [
        r.ttg
        for r in request.recommendations.select_related("ttg").order_by("order", "pk")
        if r.ttg.publication == Ttg.Publication.PUBLISHED
    ]


def post_for_region_unscoped(region: Region) -> Post | None:
    """Return the active post nearest to `region` whose seat or service area covers it, or None.

    Nearest is the deepest covering region; on a tie a post seated there wins over one that lists it as
    service area, then the lowest id.
    """
    codes = [*region.ancestor_codes, region.code]
    seated = Post.objects.filter(region_id__in=codes, status=Post.Status.AKTIF).values_list("pk", "region_id")
    served = (
        Post.service_area.through.objects.filter(region_id__in=codes, post__status=Post.Status.AKTIF)
        .values_list("post_id", "region_id")
    )  # fmt: skip
    best: tuple[int, int, int] | None = None
    for own, rows in ((1, seated), (0, served)):
        for pk, code in rows:
            key = (len(code), own, -pk)
            if best is None or key > best:
                best = key
    return Post.objects.filter(pk=-best[2]).first() if best else None


def region_suggest(q: str, *, limit: int = 10) -> list[tuple[Region, str]]:
    """Return villages and kecamatan whose name matches `q`, each with its path (kecamatan, city, province)."""
    q = (q or "").strip()
    if len(q) < 3:
        return []
    qs = Region.objects.filter(level__gte=3)
    for word in q.split()[:5]:
        qs = qs.filter(name__icontains=word)
    return region_options_for(list(qs.order_by("-level", "name", "code")[:limit]))


def region_options_for(found: list[Region]) -> list[tuple[Region, str]]:
    """Return each region with its path (kecamatan, city, province), as the region picker shows it."""
    names = dict(
        Region.objects.filter(code__in={c for r in found for c in r.ancestor_codes}).values_list("code", "name")
    )
    return [(r, ", ".join(names[c] for c in reversed(r.ancestor_codes) if c in names)) for r in found]


def handler_choices(post: Post | None) -> QuerySet[Any]:
    """Return the users who may handle a request of `post`: edit rights on the post or on a region above it."""
    from posyantek.accounts.models import Grant, User

    if post is None:
        return User.objects.none()
    roles = [role for role, rank in Grant.RANK.items() if rank >= Action.EDIT]
    codes = [*post.region.ancestor_codes, post.region_id]
    grants = Grant.objects.filter(Q(post=post) | Q(region_id__in=codes), role__in=roles)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("full_name", "email")


def officer_emails(request: ServiceRequest) -> list[str]:
    """Return who hears of a new request: its handler, else the post's people, else the region's officers."""
    from posyantek.accounts.models import Grant, User

    if request.handler_id and request.handler.email:
        return [request.handler.email]
    if request.post_id:
        users = User.objects.filter(is_active=True, grants__post_id=request.post_id,
                                    grants__role__in=sorted(Grant.POST_ROLES))  # fmt: skip
        emails = sorted(set(users.values_list("email", flat=True)))
        if request.post.email:
            emails.append(request.post.email)
        if emails:
            return emails
    codes = [*request.region.ancestor_codes, request.region_id]
    roles = [role for role, rank in Grant.RANK.items() if Action.OVERSEE <= rank < Grant.RANK["national_admin"]]
    users = User.objects.filter(is_active=True, grants__region_id__in=codes, grants__role__in=roles)
    return sorted(set(users.values_list("email", flat=True)))


@dataclass
class Suggestion:
    """A published technology the catalogue search offers for a request, with why."""

    ttg: Ttg
    words: int
    score: float
    same_sector: bool


def ttg_suggestions(request: ServiceRequest, *, limit: int = SUGGEST_HITS) -> list[Suggestion]:
    """Rank published technologies for a request's need: catalogue search on each word of the need.

    `catalog_search` needs every word of a query, which a described problem never has; so each word (of the need
    and the commodity) is searched alone, and records matching more words come first, then those of the request's
    sector, then by total score.
    """
    terms = textsearch.query_terms(f"{request.commodity} {request.description}")[:SUGGEST_MAX_WORDS]
    per_word: dict[int, list[float]] = {}
    for term in terms:
        for pk, score in catalog_search(term.raw + ("" if term.prefix else " ")).scores.items():
            per_word.setdefault(pk, []).append(score)
    if not per_word:
        return []
    by_pk = {t.pk: t for t in Ttg.objects.filter(pk__in=list(per_word), publication=Ttg.Publication.PUBLISHED)
             .select_related("post")}  # fmt: skip
    found = [
        Suggestion(by_pk[pk], len(scores), sum(scores), bool(request.sector) and by_pk[pk].sector == request.sector)
        for pk, scores in per_word.items()
        if pk in by_pk
    ]
    found.sort(key=lambda s: (-s.words, not s.same_sector, -s.score, s.ttg.pk))
    return found[:limit]


@dataclass
class ServiceStats:
    """How a scope serves its requests: open, overdue, finished, median days to resolve, rating."""

    open: int
    overdue: int
    resolved: int
    median_days: float | None
    rated: int
    mean_rating: float | None
    by_state: list[tuple[str, int]] = field(default_factory=list)


def service_stats(qs: QuerySet[ServiceRequest]) -> ServiceStats:
    """Return the service-time figures of the requests in `qs` (already scoped)."""
    counts = dict(qs.values_list("state").annotate(n=Count("pk")).order_by())
    done = qs.filter(state=ServiceRequest.State.DONE, closed_at__isnull=False)
    spans = [(closed - received).total_seconds() / 86400 for received, closed in
             done.values_list("received_at", "closed_at").order_by()[:50000]]  # fmt: skip
    ratings = list(qs.filter(rating__isnull=False).values_list("rating", flat=True).order_by()[:50000])
    return ServiceStats(
        open=sum(n for s, n in counts.items() if s not in ServiceRequest.FINAL),
        overdue=overdue(qs).count(),
        resolved=counts.get(ServiceRequest.State.DONE, 0),
        median_days=round(statistics.median(spans), 1) if spans else None,
        rated=len(ratings),
        mean_rating=round(statistics.mean(ratings), 1) if ratings else None,
        by_state=[(label, counts.get(value, 0)) for value, label in ServiceRequest.State.choices],
    )


@dataclass
class NeedsRow:
    region: Region | None
    code: str
    total: int = 0
    open: int = 0
    by_sector: dict[str, int] = field(default_factory=dict)


@dataclass
class NeedsMap:
    region: Region | None
    rows: list[NeedsRow]
    sectors: list[tuple[str, str]]
    commodities: list[tuple[str, int]]
    total: int


def needs_map(*, user: Any, region: Region | None = None, post_id: int | None = None) -> NeedsMap:
    """Count requests by the areas one level below `region` (or by province), by sector and by commodity."""
    level = region.level + 1 if region else 1
    length = CODE_LENGTH.get(level, 13)
    qs = ServiceRequest.objects.for_user(user, "view")
    if region:
        qs = qs.filter(region_subtree_q("region", region.code))
    if post_id:
        qs = qs.filter(post_id=post_id)
    rows: dict[str, NeedsRow] = {}
    by_area = qs.annotate(area=Substr("region_id", 1, length)).values("area", "sector", "state").annotate(n=Count("pk"))
    for r in by_area.order_by():
        row = rows.setdefault(r["area"], NeedsRow(None, r["area"]))
        row.total += r["n"]
        if r["state"] not in ServiceRequest.FINAL:
            row.open += r["n"]
        key = r["sector"] or "-"
        row.by_sector[key] = row.by_sector.get(key, 0) + r["n"]
    names = Region.objects.in_bulk(list(rows))
    for row in rows.values():
        row.region = names.get(row.code)
    used = {s for row in rows.values() for s in row.by_sector}
    sectors = [(v, str(label)) for v, label in Sector.choices if v in used]
    if "-" in used:
        sectors.append(("-", "–"))
    commodities = (
        qs.exclude(commodity="").annotate(c=Lower("commodity")).values("c").annotate(n=Count("pk")).order_by("-n", "c")
    )
    return NeedsMap(
        region=region,
        rows=sorted(rows.values(), key=lambda r: (-r.total, r.code)),
        sectors=sectors,
        commodities=[(c["c"], c["n"]) for c in commodities[:20]],
        total=sum(r.total for r in rows.values()),
    )
