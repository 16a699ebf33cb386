"""Refresh the dashboard summary tables: the posts marked dirty, or (--all) every post and region."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from posyantek.dashboards.models import PostFigures, RegionFigures
from posyantek.dashboards.refresh import refresh_dirty, refresh_posts


class Command(BaseCommand):
    help = (
        "Refresh the dashboard figures of the posts marked dirty by writes (default), or of every post and region "
        "with --all. Run it with --all nightly from cron: a post's standing depends on today's date (an SKT "
        "validity or a board term running out changes 'active' without any write), and the nightly run also "
        "catches anything a missed background task left behind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Every post, not only the dirty ones.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        n = refresh_posts() if options["all"] else refresh_dirty()
        took = time.perf_counter() - started
        self.stdout.write(
            f"{n} pos diperbarui dalam {took:.1f} detik; {PostFigures.objects.count()} baris angka pos, "
            f"{RegionFigures.objects.count()} baris angka wilayah."
        )
