"""Writes on orders: checkout, staff entry, the workflow, payments, quotes and invoices. Scoped and audited.

Every service is keyword-only with `actor` first, atomic, re-checks the actor's scope, writes the audit log (on
the order, so its page shows everything) and keeps the monthly sales rollup in step (`sales.refresh_for`).
"""

from posyantek.orders.services.checkout import order_checkout
from posyantek.orders.services.common import CODE_ALPHABET, MAX_LINES, MAX_QUANTITY, new_code
from posyantek.orders.services.documents import QUOTE_VALID_DAYS, document_body, document_issue, post_short_code
from posyantek.orders.services.entry import (
    STAFF_CHANNELS,
    items_locked_message,
    order_create,
    order_set_items,
    order_update,
)
from posyantek.orders.services.payments import payment_record
from posyantek.orders.services.steps import order_advance, order_confirm, order_new_quote

__all__ = [
    "CODE_ALPHABET",
    "MAX_LINES",
    "MAX_QUANTITY",
    "QUOTE_VALID_DAYS",
    "STAFF_CHANNELS",
    "document_body",
    "document_issue",
    "items_locked_message",
    "new_code",
    "order_advance",
    "order_checkout",
    "order_confirm",
    "order_create",
    "order_new_quote",
    "order_set_items",
    "order_update",
    "payment_record",
    "post_short_code",
]
