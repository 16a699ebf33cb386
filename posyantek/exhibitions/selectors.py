"""Reads of exhibitions: the scoped list, the orders taken at an event, and the report per event (one dataset
for the page, the PDF, the spreadsheet and the API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from posyantek.exhibitions.models import CooperationOffer, Exhibition, ExhibitionCost, ExhibitionProduct, Funding, Lead
from posyantek.orders.models import Order
from posyantek.orders.workflow import COUNTED
from posyantek.regions.models import Region


def _sum_of(model: Any, column: str) -> Coalesce:
    rows = model.objects.filter(exhibition=OuterRef("pk")).order_by().values("exhibition")
    return Coalesce(Subquery(rows.annotate(s=Sum(column)).values("s")[:1], output_field=IntegerField()), 0)


def _count_of(model: Any) -> Coalesce:
    rows = model.objects.filter(exhibition=OuterRef("pk")).order_by().values("exhibition")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


def exhibition_list(*, user: Any, action: str = "view") -> QuerySet[Exhibition]:
    """Return the events the user may see, with the counts the list and the export show."""
    return (
        Exhibition.objects.for_user(user, action)
        .select_related("post", "venue_region")
        .annotate(n_leads=_count_of(Lead), cost_total=_sum_of(ExhibitionCost, "amount"))
        .order_by("-starts_on", "-pk")
    )


def exhibition_orders(*, user: Any, exhibition: Exhibition) -> QuerySet[Order]:
    """Return the orders taken at an event that the user may see, newest first."""
    return Order.objects.for_user(user).filter(exhibition=exhibition).order_by("-ordered_at", "-pk")


@dataclass
class Report:
    """What an event brought: visitors, leads, orders and their value, offers, costs and the net."""

    exhibition: Exhibition
    visitors: int
    leads: int
    leads_followed: int
    leads_by_province: list[tuple[str, int]]
    orders: int
    orders_counted: int
    transaction_value: int
    offers: int
    offers_value: int
    offers_agreed: int
    offers_agreed_value: int
    costs_by_source: list[tuple[str, int]]
    costs_total: int
    products: list[ExhibitionProduct] = field(default_factory=list)
    order_rows: list[Order] = field(default_factory=list)

    @property
    def follow_up_rate(self) -> int:
        """Return the share of leads followed up, in whole percent rounded half up."""
        return (200 * self.leads_followed + self.leads) // (2 * self.leads) if self.leads else 0

    @property
    def net(self) -> int:
        """Return the transaction value less the costs (negative when the event cost more than it sold)."""
        return self.transaction_value - self.costs_total

    @property
    def units_taken(self) -> int:
        return sum(p.quantity for p in self.products)


def exhibition_report(*, user: Any, exhibition: Exhibition, with_orders: bool = True) -> Report:
    """Return the report of an event the caller has already fetched within scope (a few fixed queries).

    Transaction value sums the totals of the orders taken there that count as sales (confirmed and not
    cancelled or returned, orders/workflow.py COUNTED); a request not yet confirmed is counted as an order only.
    """
    leads = exhibition.leads.aggregate(n=Count("pk"), followed=Count("pk", filter=Q(followed_up=True)))
    by_province: dict[str, int] = {}
    for code in exhibition.leads.values_list("region_id", flat=True):
        key = code.split(".")[0] if code else ""
        by_province[key] = by_province.get(key, 0) + 1
    names = dict(Region.objects.filter(code__in=[k for k in by_province if k]).values_list("code", "name"))
    unknown = gettext("Asal tidak dicatat")
    provinces = sorted(((names.get(k, unknown) if k else unknown, n) for k, n in by_province.items()),
                       key=lambda r: -r[1])  # fmt: skip
    counted = Q(state__in=list(COUNTED))
    orders_qs = exhibition_orders(user=user, exhibition=exhibition)
    orders = orders_qs.aggregate(n=Count("pk"), counted=Count("pk", filter=counted), value=Sum("total", filter=counted))
    agreed = Q(status=CooperationOffer.Status.AGREED)
    offers = exhibition.offers.aggregate(n=Count("pk"), worth=Sum("value"), agreed=Count("pk", filter=agreed),
                                         agreed_worth=Sum("value", filter=agreed))  # fmt: skip
    labels = dict(Funding.choices)
    by_source = exhibition.costs.order_by().values_list("funding_source").annotate(t=Sum("amount")).order_by("-t")
    costs = [(str(labels.get(src, src)), total) for src, total in by_source]
    return Report(
        exhibition=exhibition,
        visitors=exhibition.visitors,
        leads=leads["n"],
        leads_followed=leads["followed"],
        leads_by_province=provinces,
        orders=orders["n"],
        orders_counted=orders["counted"],
        transaction_value=orders["value"] or 0,
        offers=offers["n"],
        offers_value=offers["worth"] or 0,
        offers_agreed=offers["agreed"],
        offers_agreed_value=offers["agreed_worth"] or 0,
        costs_by_source=costs,
        costs_total=sum(t for _s, t in costs),
        products=list(exhibition.products.select_related("product").order_by("product__name", "pk")),
        order_rows=list(orders_qs.select_related("buyer_region")[:200]) if with_orders else [],
    )
