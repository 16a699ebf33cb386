"""Reads of orders: the scoped list, the public lookup by code, the progress line and the choices of forms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from posyantek.exhibitions.models import Exhibition
from posyantek.network.models import Agent
from posyantek.orders import workflow
from posyantek.orders.models import Order, OrderDocument, OrderStep, Payment
from posyantek.posts.models import Post
from posyantek.products.models import Product

State = Order.State


def order_list(*, user: Any, action: str = "view") -> QuerySet[Order]:
    """Return the orders `user` may see (or act on), with what lists and pages show."""
    return Order.objects.for_user(user, action).select_related("post", "buyer_region", "agent", "exhibition")


def order_by_code_unscoped(code: str) -> Order | None:
    """Return the order with tracking code `code` (dashes, spaces and case ignored), or None. For public pages."""
    clean = "".join(ch for ch in (code or "") if ch.isalnum()).upper()
    if not 10 <= len(clean) <= 12:
        return None
    return Order.objects.select_related("post", "buyer_region").filter(code=clean).first()


@dataclass
class Stage:
    """One point of the progress line: a state, when it was reached, and whether it is the current one."""

    state: str
    label: str
    at: dt.datetime | None
    done: bool
    current: bool


def order_progress(order: Order, steps: list[OrderStep]) -> list[Stage]:
    """Return the progress line: the main states in order, with the dates reached; side exits at the end.

    Production shows only for orders with made-to-order items (or that went through it); warranty only once
    reached. A cancelled or returned order ends with that state.
    """
    reached: dict[str, dt.datetime] = {}
    for s in steps:
        reached[s.state] = s.at  # the latest time a state was reached (a new quote goes back to the start)
    has_custom = any(i.made_to_order for i in order.items.all())
    line = [
        s
        for s in workflow.MAIN_LINE
        if (s != State.IN_PRODUCTION or has_custom or s in reached) and (s != State.WARRANTY or s in reached)
    ]
    index = {s: n for n, s in enumerate(workflow.MAIN_LINE)}
    side = order.state in (State.CANCELLED, State.RETURNED)
    # Where the order stands on the main line; a cancelled or returned order stands where it stopped.
    before_exit = steps[-1].from_state if steps else State.REQUESTED
    cur = index.get(order.state, index.get(before_exit, 0))
    stages = [
        Stage(s, str(State(s).label), reached.get(s) if index[s] <= cur else None, index[s] <= cur, s == order.state)
        for s in line
    ]
    if side:
        stages.append(Stage(order.state, str(State(order.state).label), reached.get(order.state), True, True))
    return stages


def order_steps(order: Order) -> list[OrderStep]:
    return list(order.steps.select_related("actor"))


def order_payments(order: Order) -> list[Payment]:
    return list(order.payments.select_related("recorded_by"))


def order_documents(order: Order) -> list[OrderDocument]:
    return list(order.documents.select_related("issued_by"))


def editable_posts(user: Any) -> QuerySet[Post]:
    """Return the posts whose orders `user` may record."""
    return Post.objects.for_user(user, "edit").select_related("region").order_by("name")


def product_choices(user: Any, post: Post | None = None) -> QuerySet[Product]:
    """Return the products the user may put on an order: those of the posts they work for (or of one post)."""
    qs = Product.objects.for_user(user, "edit").select_related("post").order_by("post__name", "name")
    return qs.filter(post=post) if post is not None else qs


def agent_choices(user: Any, post: Post | None = None) -> QuerySet[Agent]:
    qs = Agent.objects.for_user(user, "edit").select_related("post").order_by("post__name", "name")
    return qs.filter(post=post) if post is not None else qs


def exhibition_choices(user: Any, post: Post | None = None) -> QuerySet[Exhibition]:
    qs = Exhibition.objects.for_user(user, "edit").select_related("post").order_by("-starts_on")
    return qs.filter(post=post) if post is not None else qs


def public_steps(order: Order) -> list[OrderStep]:
    """Return the steps for the public page: states and times only (who and the notes stay internal)."""
    return list(order.steps.only("order_id", "state", "from_state", "at"))
