"""Reads of partners and agreements: the scoped lists, the choices a form offers, and what an agreement produced
(one dataset for the page and the API)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from posyantek.accounts.models import Grant as Role
from posyantek.accounts.models import User
from posyantek.catalog.models import Ttg
from posyantek.consultations.models import ServiceRequest
from posyantek.core.scoping import Action, user_grants
from posyantek.finance.models import Grant
from posyantek.orders.models import Order
from posyantek.partnerships.models import Agreement, AgreementParty, AgreementResult, Partner, PartnerContact
from posyantek.partnerships.result_services import post_family
from posyantek.partnerships.workflow import IN_FORCE, SOON_DAYS
from posyantek.posts.models import Post
from posyantek.trainings.models import Bintek


def _count_of(model: Any, link: str, **extra: Any) -> Coalesce:
    rows = model.objects.filter(**{link: OuterRef("pk")}, **extra).order_by().values(link)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


def partner_list(*, user: Any, action: str = "view") -> QuerySet[Partner]:
    """Return the partners the user may see, with how many agreements and contacts each has."""
    agreements = (
        AgreementParty.objects.filter(partner=OuterRef("pk")).order_by().values("partner")
        .annotate(n=Count("agreement", distinct=True)).values("n")[:1]
    )  # fmt: skip
    return (
        Partner.objects.for_user(user, action)
        .select_related("post", "home_region", "other_post")
        .annotate(
            n_agreements=Coalesce(Subquery(agreements, output_field=IntegerField()), 0),
            n_contacts=_count_of(PartnerContact, "partner"),
        )  # fmt: skip
        .order_by("name", "pk")
    )


def partner_posts_unscoped() -> QuerySet[Post]:
    """Return every post, for the "other post" choice: the public directory lists them all, so no scope."""
    return (
        Post.objects.select_related("region")
        .only("pk", "name", "region__name", "region__code")
        .order_by("region_id", "name")
    )


#: Newest signed first, then those not signed yet (newest first) — the same on SQLite and PostgreSQL, which put
#: empty dates at opposite ends by themselves.
LIST_ORDER = (F("signed_on").desc(nulls_last=True), "-pk")


def agreement_list(*, user: Any, action: str = "view") -> QuerySet[Agreement]:
    """Return the agreements the user may see, with their parties and how many results each produced."""
    parties = AgreementParty.objects.select_related("partner").order_by("order", "pk")
    return (
        Agreement.objects.for_user(user, action)
        .select_related("post", "manager")
        .prefetch_related(Prefetch("parties", queryset=parties))
        .annotate(n_results=_count_of(AgreementResult, "agreement"))
        .order_by(*LIST_ORDER)
    )


def expiring_q(today: dt.date | None = None) -> Q:
    """Return the filter of agreements in force that end within the reminder window (90 days)."""
    today = today or timezone.localdate()
    return Q(state__in=IN_FORCE, ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=SOON_DAYS))


def past_end_q(today: dt.date | None = None) -> Q:
    """Return the filter of agreements still in force on paper whose end date has passed (to evaluate, then end or
    extend)."""
    return Q(state__in=IN_FORCE, ends_on__lt=today or timezone.localdate())


def can_create(user: Any) -> bool:
    """Return whether the user may record partners or agreements for some post (post staff or above)."""
    return any(g.rank >= Action.EDIT for g in user_grants(user))


def manager_choices(*, user: Any, post: Post | None = None, keep: int | None = None) -> QuerySet[User]:
    """Return the users who may manage an agreement: those who can edit `post`, or any post the user can edit.

    Read from grants, not scoped rows: a manager is picked among the people of the posts the user works on.
    """
    posts = [post] if post is not None else list(Post.objects.for_user(user, "edit").only("pk", "region_id")[:500])
    q = Q(pk__in=[])
    for p in posts:
        codes = [p.region_id[:i] for i in range(2, len(p.region_id) + 1) if i == len(p.region_id)
                 or p.region_id[i] == "."]  # fmt: skip
        q |= Q(post_id=p.pk, role__in=sorted(Role.POST_ROLES)) | Q(region_id__in=codes)
    editors = Role.objects.filter(q).exclude(role__in=["viewer", "judge"]).values("user_id")
    return User.objects.filter(Q(is_active=True, pk__in=editors) | Q(pk=keep or 0)).order_by("full_name", "email")


def agreement_choices(*, user: Any, agreement: Agreement) -> QuerySet[Agreement]:
    """Return the agreements that may extend `agreement`: others of its post, not final, not extending another,
    ending after it (the service refuses any other)."""
    qs = (
        Agreement.objects.for_user(user, "edit")
        .filter(post_id=agreement.post_id)
        .exclude(pk=agreement.pk)
        .exclude(state__in=["berakhir", "diperpanjang"])
        .filter(Q(extends__isnull=True) | Q(extends=agreement))
        .order_by("-pk")
    )
    return qs.filter(ends_on__gt=agreement.ends_on) if agreement.ends_on else qs


def result_targets(*, user: Any, agreement: Agreement) -> dict[str, QuerySet[Any]]:
    """Return, per link, the records the user may see that the agreement's post (or a post it coordinates) owns."""
    family = post_family(agreement.post)
    return {
        "bintek": Bintek.objects.for_user(user, "view").filter(post_id__in=family).order_by("-starts_on", "-pk"),
        "service_request": ServiceRequest.objects.for_user(user, "view").filter(post_id__in=family)
        .order_by("-received_at", "-pk"),
        "ttg": Ttg.objects.for_user(user, "view").filter(post_id__in=family).order_by("name"),
        "order": Order.objects.for_user(user, "view").filter(post_id__in=family).order_by("-ordered_at", "-pk"),
        "grant": Grant.objects.for_user(user, "view").filter(post_id__in=family).order_by("-starts_on", "-pk"),
    }  # fmt: skip


@dataclass
class Produced:
    """What an agreement produced, by kind, with counts and rupiah totals."""

    bintek: list[AgreementResult] = field(default_factory=list)
    requests: list[AgreementResult] = field(default_factory=list)
    ttg: list[AgreementResult] = field(default_factory=list)
    orders: list[AgreementResult] = field(default_factory=list)
    funds: list[AgreementResult] = field(default_factory=list)
    other: list[AgreementResult] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return sum(r.bintek.n_participants for r in self.bintek)

    @property
    def orders_total(self) -> int:
        return sum(r.order.total for r in self.orders)

    @property
    def funds_total(self) -> int:
        return sum(r.amount for r in self.funds)

    @property
    def other_total(self) -> int:
        return sum(r.amount for r in self.other)

    @property
    def total(self) -> int:
        """Return the rupiah the agreement brought: orders, funds and other results with a value."""
        return self.orders_total + self.funds_total + self.other_total

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.groups.values())

    @property
    def groups(self) -> dict[str, list[AgreementResult]]:
        return {"bintek": self.bintek, "permohonan": self.requests, "ttg": self.ttg, "pesanan": self.orders,
                "dana": self.funds, "lainnya": self.other}  # fmt: skip

    @property
    def counts(self) -> list[tuple[str, int]]:
        """Return (label, count) per kind that has results, in the order of the kinds."""
        labels = dict(AgreementResult.Kind.choices)
        return [(str(labels[k]), len(rows)) for k, rows in self.groups.items() if rows]


def agreement_produced(*, agreement: Agreement) -> Produced:
    """Return the results of an agreement the caller has already fetched within scope, grouped by kind.

    Bintek come with their participant counts and orders with their codes and totals (a few fixed queries).
    """
    bintek = Bintek.objects.annotate(n_participants=Count("participants")).only("pk", "title", "starts_on",
                                                                              "ends_on", "post_id")  # fmt: skip
    rows = (
        agreement.results.select_related("service_request", "ttg", "grant", "actor")
        .select_related("order")
        .prefetch_related(Prefetch("bintek", queryset=bintek))
        .order_by("occurred_on", "pk")
    )
    out = Produced()
    for r in rows:
        out.groups[r.kind].append(r)
    return out


def partner_agreements(*, user: Any, partner: Partner) -> QuerySet[Agreement]:
    """Return the agreements the user may see that `partner` is a party to."""
    return agreement_list(user=user).filter(parties__partner=partner).distinct()


def partner_visits(*, user: Any, partner: Partner) -> list[Any]:
    """Return the visits (from the visits app) linked to `partner` that the user may see, newest first."""
    from posyantek.visits.models import Visit

    return list(Visit.objects.for_user(user, "view").filter(partner=partner).order_by("-starts_on", "-pk")[:50])
