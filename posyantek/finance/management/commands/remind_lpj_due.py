"""E-mail the managers of a post whose grant report (LPJ) falls due soon or is late (schedule it daily)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from posyantek.accounts.models import Grant as Role
from posyantek.core.templatetags.fmt import tanggal
from posyantek.finance.selectors import lpj_reminders_unscoped

#: Days before the due date on which a reminder goes out; a late LPJ is recalled every 7 days.
REMIND_ON = (30, 14, 7, 1, 0)


def _managers(post: Any) -> list[str]:
    """Return the e-mail addresses of the post's managers, or of the officers of its region when it has none."""
    emails = list(
        Role.objects.filter(post=post, role="post_manager", user__is_active=True).values_list("user__email", flat=True)
    )
    if not emails:
        codes = [post.region_id[:i] for i in (2, 5, 8) if len(post.region_id) >= i]
        emails = list(
            Role.objects.filter(
                region_id__in=codes, role__in=["city_officer", "kecamatan_coordinator"], user__is_active=True
            ).values_list("user__email", flat=True)
        )
    return sorted(set(emails))


class Command(BaseCommand):
    help = "Remind post managers of grant reports (LPJ) due in 30, 14, 7, 1 or 0 days, and weekly once late."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only say who would be reminded of what.")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="Pretend it is this day.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        sent = 0
        for grant in lpj_reminders_unscoped(today=today, days=REMIND_ON):
            left = (grant.report_due - today).days
            when = (
                f"jatuh tempo {tanggal(grant.report_due)} ({left} hari lagi)"
                if left > 0
                else "jatuh tempo hari ini"
                if left == 0
                else f"terlambat {-left} hari (batas {tanggal(grant.report_due)})"
            )
            url = settings.SITE_URL.rstrip("/") + grant.get_absolute_url()
            subject = f"[Posyantek] LPJ hibah {grant.giver}: {when}"
            body = (
                f"LPJ hibah {grant.giver} untuk {grant.post.name} {when}.\n\nTujuan: {grant.purpose}\n\n"
                f"Lengkapi bukti pengeluaran dan unduh LPJ di {url}\n"
            )
            for email in _managers(grant.post):
                if options["dry_run"]:
                    self.stdout.write(f"{email}: {subject}")
                else:
                    sent += send_mail(subject, body, None, [email])
        self.stdout.write(f"{sent} reminders sent.")
