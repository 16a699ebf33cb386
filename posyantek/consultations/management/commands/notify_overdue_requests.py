"""E-mail each handling officer the requests that passed their service-time target (schedule it daily)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from posyantek.consultations import notify
from posyantek.consultations.models import ServiceRequest
from posyantek.consultations.selectors import officer_emails, overdue


class Command(BaseCommand):
    help = "E-mail the handling officers (or the post's people, or the region's officers) their overdue requests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only say who would get how many.")

    def handle(self, *args: Any, **options: Any) -> None:
        # A deliberate read of every region: this job works for all officers at once.
        late = overdue(ServiceRequest.objects.select_related("post", "region", "handler")).order_by("due_at", "pk")
        by_email: dict[str, list[ServiceRequest]] = defaultdict(list)
        for req in late.iterator(chunk_size=500):
            for email in officer_emails(req):
                by_email[email].append(req)
        sent = 0
        for email, reqs in sorted(by_email.items()):
            if options["dry_run"]:
                self.stdout.write(f"{email}: {len(reqs)}")
            else:
                sent += notify.email_overdue(email, reqs)
        self.stdout.write(f"{sum(len(r) for r in by_email.values())} overdue, {len(by_email)} recipients, {sent} sent.")
