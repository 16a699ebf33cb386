"""E-mail whoever manages an agreement in force 90 and 30 days before it ends (schedule it daily)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core.templatetags.fmt import tanggal
from posyantek.partnerships.reminders import (
    Due,
    agreements_remind_expiring,
    due_reminders_unscoped,
    next_reminder_unscoped,
)


def describe(due: Due) -> str:
    """Return one line for a reminder: which threshold, which agreement of which post, when it ends, to whom."""
    ag = due.agreement
    to = ", ".join(due.recipients) or _("tidak ada penerima (pilih penanggung jawab atau beri pos itu pengelola)")
    return _("H-%(d)s · %(title)s (%(post)s) · berakhir %(day)s, %(n)s hari lagi → %(to)s") % {
        "d": due.days_before, "title": ag.title, "post": ag.post.name, "day": tanggal(ag.ends_on),
        "n": due.days_left, "to": to,
    }  # fmt: skip


class Command(BaseCommand):
    help = (
        "Remind agreement managers (or the post's managers) 90 and 30 days before an agreement in force ends; "
        "each reminder is sent once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only say who would be reminded of what.")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="Pretend it is this day.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        day = tanggal(today)
        if options["dry_run"]:
            due = due_reminders_unscoped(today=today)
            self.stdout.write(_("Uji coba untuk %(day)s: tidak ada yang dikirim atau dicatat.") % {"day": day})
            for d in due:
                self.stdout.write("  " + describe(d))
            ready = sum(1 for d in due if d.recipients)
            self.stdout.write(_("%(n)s pengingat akan dikirim.") % {"n": ready} if due else
                              _("Tidak ada pengingat kerja sama yang jatuh pada %(day)s.") % {"day": day})  # fmt: skip
        else:
            sent = agreements_remind_expiring(today=today)
            for d in sent:
                self.stdout.write("  " + describe(d))
            for d in due_reminders_unscoped(today=today):  # what is still due was not sent: no one to send it to
                self.stderr.write(_("Tidak terkirim: %(line)s") % {"line": describe(d)})
            self.stdout.write(_("%(n)s pengingat terkirim.") % {"n": len(sent)})
        upcoming = next_reminder_unscoped(today=today)
        if upcoming is not None:
            ag = upcoming.agreement
            self.stdout.write(_("Berikutnya: %(day)s, H-%(d)s · %(title)s (%(post)s), berakhir %(end)s.") % {
                "day": tanggal(upcoming.day), "d": upcoming.days_before, "title": ag.title, "post": ag.post.name,
                "end": tanggal(ag.ends_on),
            })  # fmt: skip
