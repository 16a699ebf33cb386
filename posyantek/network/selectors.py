"""Reads of the marketing network: scoped agent lists, an agent's orders and what they add up to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from posyantek.network.models import Agent
from posyantek.orders.models import Order
from posyantek.orders.workflow import COUNTED
from posyantek.posts.models import Post


def agent_list(*, user: Any, action: str = "view") -> QuerySet[Agent]:
    """Return the agents the user may see, with what the list shows."""
    return Agent.objects.for_user(user, action).select_related("post", "partner_post", "area").order_by("name", "pk")


def partner_post_choices_unscoped() -> QuerySet[Post]:
    """Return every post, for the "partner post" field: the public directory lists them all, so no scope."""
    return (
        Post.objects.select_related("region")
        .only("pk", "name", "region__name", "region__code")
        .order_by("region_id", "name")
    )


def agent_orders(*, user: Any, agent: Agent) -> QuerySet[Order]:
    """Return the orders an agent brought that the user may see, newest first."""
    return Order.objects.for_user(user).filter(agent=agent).order_by("-ordered_at", "-pk")


@dataclass
class AgentSales:
    """What an agent brought: all orders, those that count as sales, their value and the commission on them."""

    orders: int
    counted: int
    value: int
    commission: int


def agent_sales(*, user: Any, agent: Agent) -> AgentSales:
    """Return the totals of an agent's orders; value and commission count confirmed, not cancelled or returned."""
    counted = Q(state__in=list(COUNTED))
    totals = agent_orders(user=user, agent=agent).aggregate(
        n=Count("pk"),
        counted=Count("pk", filter=counted),
        value=Sum("total", filter=counted),
        commission=Sum("commission", filter=counted),
    )
    return AgentSales(orders=totals["n"], counted=totals["counted"], value=totals["value"] or 0,
                      commission=totals["commission"] or 0)  # fmt: skip
