"""Order states and the steps allowed between them (domain.md §5.5, extended [I])."""

from __future__ import annotations

from posyantek.orders.models import Order

State = Order.State

#: The steps an officer may take from each state. Anything else is "skipping states" and is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.REQUESTED: (State.CONFIRMED, State.CANCELLED),
    # A confirmed order of stocked goods goes straight to "ready"; one with made-to-order items goes to production.
    State.CONFIRMED: (State.IN_PRODUCTION, State.READY, State.CANCELLED),
    State.IN_PRODUCTION: (State.READY, State.CANCELLED),
    State.READY: (State.SHIPPED, State.CANCELLED),
    State.SHIPPED: (State.RECEIVED, State.RETURNED),
    State.RECEIVED: (State.PAID, State.RETURNED),
    State.PAID: (State.WARRANTY, State.RETURNED),
    State.WARRANTY: (State.PAID,),
    State.CANCELLED: (),
    State.RETURNED: (),
}

#: States in which an order counts as a sale (confirmed and not cancelled or returned).
COUNTED = frozenset(
    {State.CONFIRMED, State.IN_PRODUCTION, State.READY, State.SHIPPED, State.RECEIVED, State.PAID, State.WARRANTY}
)
#: States in which the goods are still with the post: cancelling gives stocked units back.
BEFORE_SHIPPING = frozenset({State.REQUESTED, State.CONFIRMED, State.IN_PRODUCTION, State.READY})
#: States in which items and prices may still change without a new quote.
EDITABLE = frozenset({State.REQUESTED})
#: The progress line shown to buyers and officers (side exits left out).
MAIN_LINE = (
    State.REQUESTED, State.CONFIRMED, State.IN_PRODUCTION, State.READY,
    State.SHIPPED, State.RECEIVED, State.PAID, State.WARRANTY,
)  # fmt: skip


def allowed_next(order: Order) -> tuple[str, ...]:
    """Return the states `order` may move to next."""
    return TRANSITIONS[order.state]
