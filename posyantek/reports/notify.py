"""Tell people about reports by e-mail: the office above when one is submitted, the post's managers when one is
returned. Sent once the transaction commits, Indonesian first with English below (as partnerships/reminders.py);
the demo loader mutes it."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from posyantek.core.scoping import Action
from posyantek.core.templatetags.fmt import tanggal

_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("reports_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Send no report e-mail for writes made inside this block."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def later(send: Callable[[], Any]) -> None:
    """Send an e-mail once the transaction commits, unless notifications are muted."""
    if not _muted.get():
        transaction.on_commit(send)


def office_emails(region_code: str) -> list[str]:
    """Return the officers of the office that receives reports for `region_code`: those with a region grant of at
    least oversee on that region, or else on the nearest region above it that has some (never the national admins,
    who would hear of every report in the country)."""
    from posyantek.accounts.models import Grant

    roles = [r for r, rank in Grant.RANK.items() if Action.OVERSEE <= rank < Grant.RANK["national_admin"]]
    parts = region_code.split(".")
    for level in range(len(parts), 0, -1):
        code = ".".join(parts[:level])
        rows = Grant.objects.filter(region_id=code, role__in=roles, user__is_active=True)
        emails = sorted(set(rows.values_list("user__email", flat=True)))
        if emails:
            return emails
    return []


def manager_emails(report: Any) -> list[str]:
    """Return the post's managers, the one who submitted, and the post's own address."""
    from posyantek.accounts.models import Grant

    rows = Grant.objects.filter(post_id=report.post_id, role="post_manager", user__is_active=True)
    emails = set(rows.values_list("user__email", flat=True))
    if report.submitted_by_id and report.submitted_by.is_active:
        emails.add(report.submitted_by.email)
    if report.post.email:
        emails.add(report.post.email)
    return sorted(emails)


def _values(report: Any) -> dict[str, Any]:
    return {
        "kind": report.get_kind_display(),
        "period": report.period_label,
        "post": report.post.name,
        "office": str(report.recipient),
        "day": tanggal(report.submitted_at or report.decided_at),
        "by": (report.decided_by or report.submitted_by or "–"),
        "note": report.decision_note or "–",
        "url": settings.SITE_URL.rstrip("/") + report.get_absolute_url(),
    }


def _submitted(report: Any) -> tuple[str, str]:
    v = _values(report)
    subject = gettext("%(kind)s %(period)s dari %(post)s") % v
    body = gettext("%(post)s mengirim %(kind)s %(period)s ke %(office)s pada %(day)s.\n\n"
                   "Periksa laporannya, lalu terima atau kembalikan untuk perbaikan.\nBuka: %(url)s") % v  # fmt: skip
    return subject, body


def _returned(report: Any) -> tuple[str, str]:
    v = _values(report)
    subject = gettext("%(kind)s %(period)s dikembalikan untuk perbaikan") % v
    body = gettext("%(kind)s %(period)s %(post)s dikembalikan oleh %(office)s (%(by)s) untuk perbaikan.\n\n"
                   "Catatan: %(note)s\n\nPerbaiki uraiannya, verifikasi ulang, lalu kirim kembali.\nBuka: %(url)s"
                   ) % v  # fmt: skip
    return subject, body


def message(text: Callable[[Any], tuple[str, str]], report: Any) -> tuple[str, str]:
    """Return the subject and body: Indonesian first, then English below (when the catalog translates it)."""
    with translation.override("id"):
        subject, body = text(report)
    with translation.override("en"):
        en_subject, en_body = text(report)
    if en_body != body:
        body = f"{body}\n\n-- English --\n\n{en_body}"
    if en_subject != subject:
        subject = f"{subject} / {en_subject}"
    return f"[Posyantek] {subject}", body


def _load(report_id: int) -> Any:
    from posyantek.reports.models import Report

    return Report.objects.select_related("post", "recipient", "submitted_by", "decided_by").get(pk=report_id)


def email_submitted(report_id: int) -> int:
    """E-mail the receiving office about a submitted report; return how many got it."""
    report = _load(report_id)
    to = office_emails(report.recipient_id)
    if not to:
        return 0
    subject, body = message(_submitted, report)
    return len(to) if send_mail(subject, body, None, to) else 0


def email_returned(report_id: int) -> int:
    """E-mail the post's managers that their report came back for revision; return how many got it."""
    report = _load(report_id)
    to = manager_emails(report)
    if not to:
        return 0
    subject, body = message(_returned, report)
    return len(to) if send_mail(subject, body, None, to) else 0
