"""Tell people about orders by e-mail: the post's officers when a marketplace order arrives, the buyer when it moves.

The same approach as consultations/notify.py: sent once the transaction commits, officers in their own language,
the buyer (who has no account) in Indonesian. The demo loader mutes it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.templatetags.fmt import tanggal

if TYPE_CHECKING:
    from posyantek.orders.models import Order

_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("orders_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Send no order e-mail for writes made inside this block."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def later(send: Callable[[], Any]) -> None:
    """Send an e-mail once the transaction commits, unless notifications are muted."""
    if not _muted.get():
        transaction.on_commit(send)


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def officer_emails(order: Order) -> list[str]:
    """Return who hears of a new order: the post's managers and staff, and the post's own address."""
    from posyantek.accounts.models import Grant, User

    roles = sorted(Grant.POST_ROLES)
    users = User.objects.filter(is_active=True, grants__post_id=order.post_id, grants__role__in=roles)
    emails = sorted(set(users.values_list("email", flat=True)))
    if order.post.email and order.post.email not in emails:
        emails.append(order.post.email)
    return emails


def email_new_order(order: Order) -> int:
    """E-mail the post's officers about a new order, each in their own language; return how many got it."""
    from posyantek.accounts.models import User

    to = officer_emails(order)
    chosen = dict(User.objects.filter(email__in=to).values_list("email", "language"))
    groups: dict[str, list[str]] = {}
    for email in to:
        groups.setdefault(chosen.get(email) or settings.LANGUAGE_CODE, []).append(email)
    sent = 0
    for language, emails in groups.items():
        with translation.override(language):
            subject = gettext("Pesanan baru %(code)s dari %(name)s") % {"code": order.code, "name": order.buyer_name}
            lines = "\n".join(f"- {i.quantity} {i.unit} × {i.name}" for i in order.items.all())
            body = gettext(
                "Ada pesanan baru untuk %(post)s.\n\nPembeli: %(name)s\nWilayah: %(region)s\nBarang:\n%(lines)s\n"
                "Total: %(total)s\n\nBuka: %(url)s"
            ) % {
                "post": order.post.name,
                "name": order.buyer_name,
                "region": str(order.buyer_region or "–"),
                "lines": lines,
                "total": format_rupiah(order.total),
                "url": _link(order.get_absolute_url()),
            }
            sent += len(emails) if send_mail(subject, body, None, emails) else 0
    return sent


def email_buyer_state(order: Order, note: str = "") -> int:
    """E-mail the buyer (if they gave an address) the order's new state, in Indonesian; return 1 when sent."""
    if not order.buyer_email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Pesanan %(code)s: %(state)s") % {"code": order.code, "state": order.get_state_display()}
        body = gettext("Halo %(name)s,\n\npesanan Anda di %(post)s (kode %(code)s) kini berstatus: %(state)s.") % {
            "name": order.buyer_name,
            "post": order.post.name,
            "code": order.code,
            "state": order.get_state_display(),
        }
        if order.state == "dikirim" and order.tracking_number:
            body += "\n" + gettext("Kurir: %(courier)s, nomor resi: %(number)s.") % {
                "courier": order.courier,
                "number": order.tracking_number,
            }
        if note:
            body += "\n" + note
        body += "\n\n" + gettext("Total %(total)s, sudah dibayar %(paid)s, sisa %(balance)s (%(date)s).") % {
            "total": format_rupiah(order.total),
            "paid": format_rupiah(order.paid_total),
            "balance": format_rupiah(order.balance),
            "date": tanggal(order.updated),
        }
        body += "\n" + gettext("Lacak pesanan: %(url)s") % {"url": _link(order.get_tracking_url())}
        return send_mail(subject, body, None, [order.buyer_email])
