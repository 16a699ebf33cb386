"""Rebuild the monthly sales rollup from the orders (after an import, a fix in the data, or a new rollup column)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from posyantek.core.models import DataVersion
from posyantek.core.pagecache import forget_data_version
from posyantek.orders import sales
from posyantek.posts.models import Post


class Command(BaseCommand):
    help = "Rebuild the sales rollup of every (post, month) that has orders or rollup rows; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--post", type=int, help="Only this post (its id).")
        parser.add_argument("--year", type=int, help="Only the months of this year.")
        parser.add_argument("--dry-run", action="store_true", help="Only say how many months would be rebuilt.")

    def handle(self, *args: Any, **options: Any) -> None:
        post_id, year = options["post"], options["year"]
        # A deliberate read of every post: this job rebuilds data, it serves no user.
        if post_id is not None and not Post.objects.filter(pk=post_id).exists():
            raise CommandError(f"Pos #{post_id} tidak ada.")
        if year is not None and not 1900 <= year <= 9999:
            raise CommandError(f"Tahun {year} tidak sah.")
        start = time.perf_counter()
        pairs = sales.months_to_rebuild(post_id=post_id, year=year)
        if options["dry_run"]:
            self.stdout.write(f"{len(pairs)} bulan-pos akan dibangun ulang.")
            return
        n = sales.rebuild(pairs)
        if n:
            # Kept pages (core/pagecache.py) show the rebuilt figures at once.
            DataVersion.bump()
            forget_data_version()
        self.stdout.write(f"{n} bulan-pos dibangun ulang dalam {time.perf_counter() - start:.1f} s.")
