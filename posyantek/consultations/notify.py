"""Tell people about a request: e-mail to the officers, a status message to the requester.

The requester is reached through one small interface, `Notifier`. The default, `ClickToChatNotifier`, sends
nothing itself: it makes a WhatsApp click-to-chat link (https://wa.me/628…?text=…) with the message ready, which
the officer opens and sends from their own phone, so no paid gateway is needed. A real WhatsApp or SMS gateway
plugs in as another class named in settings.CONSULTATION_NOTIFIER.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from posyantek.core.templatetags.fmt import tanggal

if TYPE_CHECKING:
    from posyantek.consultations.models import ServiceRequest

DEFAULT_NOTIFIER = "posyantek.consultations.notify.ClickToChatNotifier"

#: While set, services schedule no e-mail (the demo loader makes dozens of requests at once).
_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("consultations_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Send no officer e-mail for requests made inside this block."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def later(send: Callable[[], Any]) -> None:
    """Send an e-mail once the transaction commits, unless notifications are muted."""
    if not _muted.get():
        transaction.on_commit(send)


@dataclass(frozen=True)
class Notice:
    """What a notifier did: a link for the officer to open (click-to-chat), or a message already sent."""

    text: str
    url: str | None = None
    sent: bool = False


class Notifier(Protocol):
    """Reach a requester with a status message."""

    def notify_requester(self, request: ServiceRequest, text: str) -> Notice: ...


class ClickToChatNotifier:
    """Prepare a WhatsApp click-to-chat link to the requester's number, with the message filled in."""

    def notify_requester(self, request: ServiceRequest, text: str) -> Notice:
        if not request.phone:
            return Notice(text=text)
        return Notice(text=text, url=f"https://wa.me/{request.phone}?text={quote(text, safe='')}")


def get_notifier() -> Notifier:
    """Return the notifier named by settings.CONSULTATION_NOTIFIER (a dotted class path)."""
    return import_string(getattr(settings, "CONSULTATION_NOTIFIER", DEFAULT_NOTIFIER))()


def tracking_link(request: ServiceRequest) -> str:
    """Return the absolute link where the requester follows the request without an account."""
    return settings.SITE_URL.rstrip("/") + request.get_tracking_url()


def status_message(request: ServiceRequest, note: str = "") -> str:
    """Return the status message for the requester, always in Indonesian (whatever language the officer reads)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _status_message(request, note)


def _status_message(request: ServiceRequest, note: str) -> str:
    text = gettext("Halo %(name)s, permohonan layanan Anda (kode %(code)s) kini berstatus: %(state)s.") % {
        "name": request.requester_name,
        "code": request.display_code,
        "state": request.get_state_display(),
    }
    if note:
        text += " " + note
    if request.state in request.FINAL and request.state != "dibatalkan" and request.rated_at is None:
        text += " " + gettext("Mohon beri nilai layanan kami lewat tautan ini.")
    return text + " " + gettext("Lacak: %(url)s") % {"url": tracking_link(request)}


def requester_notice(request: ServiceRequest, note: str = "") -> Notice:
    """Return the notice for the requester about the request's current state."""
    return get_notifier().notify_requester(request, status_message(request, note))


def _staff_link(request: ServiceRequest) -> str:
    return settings.SITE_URL.rstrip("/") + request.get_absolute_url()


def _by_language(recipients: Iterable[str]) -> dict[str, list[str]]:
    """Group addresses by their user's language; an address with no account (the post's own) reads Indonesian."""
    from posyantek.accounts.models import User

    to = sorted(set(recipients))
    chosen = dict(User.objects.filter(email__in=to).values_list("email", "language"))
    groups: dict[str, list[str]] = {}
    for email in to:
        groups.setdefault(chosen.get(email) or settings.LANGUAGE_CODE, []).append(email)
    return groups


def email_new_request(request: ServiceRequest, recipients: Iterable[str]) -> int:
    """E-mail the officers who should handle a new (or newly assigned) request, each in their own language.

    Return how many got it. The language is the recipient's, not the one of the person whose action sent it.
    """
    sent = 0
    for language, to in _by_language(recipients).items():
        with translation.override(language):
            sent += len(to) if _email_new_request(request, to) else 0
    return sent


def _email_new_request(request: ServiceRequest, to: list[str]) -> int:
    subject = gettext("Permohonan layanan baru %(code)s") % {"code": request.display_code}
    body = gettext(
        "Ada permohonan layanan untuk %(post)s.\n\nPemohon: %(name)s\nWilayah: %(region)s\nKebutuhan: %(need)s\n"
        "Diterima: %(date)s\n\nBuka: %(url)s"
    ) % {
        "post": request.post.name if request.post else gettext("wilayah Anda (belum ada pos)"),
        "name": request.requester_name,
        "region": str(request.region),
        "need": request.description[:500],
        "date": tanggal(request.received_at),
        "url": _staff_link(request),
    }
    return send_mail(subject, body, None, to)


def email_overdue(email: str, requests: list[ServiceRequest]) -> int:
    """E-mail one officer the list of their overdue requests, in their language; return 1 when sent."""
    if not requests:
        return 0
    for language in _by_language([email]):
        with translation.override(language):
            return _email_overdue(email, requests)
    return 0


def _email_overdue(email: str, requests: list[ServiceRequest]) -> int:
    subject = gettext("%(n)s permohonan layanan melewati target waktu") % {"n": len(requests)}
    lines = [
        gettext("%(code)s · %(name)s · %(state)s sejak %(since)s · %(url)s")
        % {
            "code": r.display_code,
            "name": r.requester_name,
            "state": r.get_state_display(),
            "since": tanggal(r.state_since),
            "url": _staff_link(r),
        }
        for r in requests
    ]
    body = gettext("Permohonan berikut melewati target waktu layanan:") + "\n\n" + "\n".join(lines)
    return send_mail(subject, body, None, [email])
