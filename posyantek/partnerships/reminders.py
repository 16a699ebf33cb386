"""Expiry reminders: e-mail whoever manages an agreement in force 90 and 30 days before it ends.

Each reminder sent is kept (AgreementReminder, one per threshold and end date), so a rerun sends nothing twice. A run
that comes late sends only the most urgent threshold reached: an agreement found 20 days before its end gets the
30-day reminder, never the 90-day one as well. An end date that changes arms the reminders again. The e-mail is
in Indonesian first, with English below once the catalog has it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext

from posyantek.core import audit
from posyantek.core.templatetags.fmt import tanggal
from posyantek.partnerships.agreement_services import can_manage_agreements
from posyantek.partnerships.models import Agreement, AgreementReminder
from posyantek.partnerships.workflow import IN_FORCE, REMIND_DAYS, SOON_DAYS


@dataclass
class Due:
    """An agreement whose reminder for `days_before` is due, and who gets it."""

    agreement: Agreement
    days_before: int
    days_left: int
    recipients: list[str]


def reminder_recipients(agreement: Agreement) -> list[str]:
    """Return who is reminded: the agreement's manager while they may still edit its post, or else the post's
    managers (by their grants)."""
    from posyantek.accounts.models import Grant

    manager = agreement.manager
    if manager is not None and manager.email and can_manage_agreements(manager, agreement.post):
        return [manager.email]
    rows = Grant.objects.filter(post_id=agreement.post_id, role="post_manager", user__is_active=True)
    return sorted(set(rows.values_list("user__email", flat=True)))


def due_reminders_unscoped(*, today: dt.date) -> list[Due]:
    """Return the reminders due on `today`, for every post: a scheduled job works for all of them at once."""
    window = Agreement.objects.filter(
        state__in=IN_FORCE, ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=SOON_DAYS)
    ).select_related("post", "manager")
    rows = list(window.order_by("ends_on", "pk"))
    sent = set(
        AgreementReminder.objects.filter(agreement__in=[a.pk for a in rows]).values_list(
            "agreement_id", "days_before", "ends_on"
        )
    )
    due = []
    for ag in rows:
        left = (ag.ends_on - today).days
        threshold = min(d for d in REMIND_DAYS if left <= d)  # the most urgent one reached
        if (ag.pk, threshold, ag.ends_on) not in sent:
            due.append(Due(ag, threshold, left, reminder_recipients(ag)))
    return due


def upcoming_reminders(ag: Agreement, sent: list[AgreementReminder], *, today: dt.date) -> list[tuple[int, dt.date]]:
    """Return the reminders still to come for an agreement in force, as (days before the end, day it falls due).

    `sent` are its reminders already sent. A threshold already passed without its reminder is not sent any more,
    except the most urgent one reached, which goes out on the next run (its day is `today`).
    """
    if ag.state not in IN_FORCE or ag.ends_on is None or ag.ends_on < today:
        return []
    left = (ag.ends_on - today).days
    done = {r.days_before for r in sent if r.ends_on == ag.ends_on}
    now = min((d for d in REMIND_DAYS if left <= d), default=None)
    out = []
    for days in sorted(REMIND_DAYS, reverse=True):
        if days in done:
            continue
        if days < left:
            out.append((days, ag.ends_on - dt.timedelta(days=days)))
        elif days == now:
            out.append((days, today))
    return out


@dataclass
class Upcoming:
    """The next reminder that will fall due after a day: on `day`, `days_before` the end of `agreement`."""

    day: dt.date
    days_before: int
    agreement: Agreement


def next_reminder_unscoped(*, today: dt.date) -> Upcoming | None:
    """Return the first reminder due after `today` (for every post), or None: one query per threshold."""
    found = []
    for days in REMIND_DAYS:
        sent = AgreementReminder.objects.filter(agreement=OuterRef("pk"), days_before=days, ends_on=OuterRef("ends_on"))
        ag = (
            Agreement.objects.filter(state__in=IN_FORCE, ends_on__gt=today + dt.timedelta(days=days))
            .exclude(Exists(sent))
            .select_related("post")
            .order_by("ends_on", "pk")
            .first()
        )
        if ag is not None:
            found.append(Upcoming(ag.ends_on - dt.timedelta(days=days), days, ag))
    return min(found, key=lambda u: (u.day, u.agreement.pk), default=None)


def _parties(ag: Agreement) -> str:
    names = [str(p.partner) if p.partner_id else ag.post.name for p in ag.parties.select_related("partner")]
    return ", ".join(names) or ag.post.name


def _text(due: Due) -> tuple[str, str]:
    ag = due.agreement
    values = {
        "title": ag.title,
        "number": ag.number or "–",
        "post": ag.post.name,
        "parties": _parties(ag),
        "day": tanggal(ag.ends_on),
        "n": due.days_left,
        "state": ag.get_state_display(),
        "url": settings.SITE_URL.rstrip("/") + ag.get_absolute_url(),
    }
    subject = gettext("Kerja sama %(title)s berakhir %(day)s (%(n)s hari lagi)") % values
    body = (
        gettext(
            "Kerja sama %(title)s (nomor %(number)s) milik %(post)s berakhir pada %(day)s, %(n)s hari lagi.\n\n"
            "Para pihak: %(parties)s\nTahap sekarang: %(state)s\n\n"
            "Siapkan evaluasinya, lalu putuskan: diakhiri atau diperpanjang.\nBuka: %(url)s"
        )
        % values
    )
    return subject, body


def reminder_message(due: Due) -> tuple[str, str]:
    """Return the subject and body: Indonesian first, then English below (when the catalog translates it)."""
    with translation.override("id"):
        subject, body = _text(due)
    with translation.override("en"):
        en_subject, en_body = _text(due)
    if en_body != body:
        body = f"{body}\n\n-- English --\n\n{en_body}"
    if en_subject != subject:
        subject = f"{subject} / {en_subject}"
    return f"[Posyantek] {subject}", body


def agreements_remind_expiring(*, today: dt.date | None = None, dry_run: bool = False,
                               connection: Any = None) -> list[Due]:  # fmt: skip
    """Send the expiry reminders due on `today` (default: today in Asia/Jakarta); return those sent.

    Each one is recorded, audited and mailed in one transaction: a mail that fails is not recorded, so the next run
    tries again; one recorded already (by a run at the same moment) is skipped. With `dry_run` nothing is sent or
    recorded and the due reminders come back. `connection` is the mail connection (default: the configured one).
    """
    today = today or timezone.localdate()
    done = []
    for due in due_reminders_unscoped(today=today):
        if not due.recipients:
            continue
        if dry_run:
            done.append(due)
            continue
        subject, body = reminder_message(due)
        try:
            with transaction.atomic():
                AgreementReminder.objects.create(agreement=due.agreement, days_before=due.days_before,
                                                 ends_on=due.agreement.ends_on, sent_at=timezone.now(),
                                                 recipients=", ".join(due.recipients))  # fmt: skip
                audit.record(None, "update", due.agreement,
                             {"pengingat": [None, f"H-{due.days_before} → {', '.join(due.recipients)}"]})  # fmt: skip
                send_mail(subject, body, None, due.recipients, connection=connection)
        except IntegrityError:
            continue
        done.append(due)
    return done
