"""`manage.py generate_national [--seed N] [--scale F] [--force]`: a synthetic country for the dashboards' benchmarks.

A post in every kecamatan and in a fifth of the villages, their SK, SKT and boards, 1,000,000 TTG, 2,000,000
service requests, 5,000,000 orders, 10,000,000 cash-book entries, 200,000 Bintek, innovators, needs, adoptions,
agreements, visits and contests (at --scale 1.0; --scale 0.01 makes a hundredth), reproducibly from --seed, then
the dashboards' figures (`dashboards.refresh.refresh_posts`). See posyantek/dashboards/national/.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone


class Command(BaseCommand):
    help = "Bangun data sintetis berskala nasional untuk uji beban dasbor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2014, help="same seed, same data (default 2014)")
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the whole country; 0.01 = a hundredth")
        parser.add_argument("--force", action="store_true", help="run even if the database already has posts")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="the day the data ends (default today)")
        parser.add_argument("--search-terms", action="store_true", help="also build the catalogue's search rows")
        parser.add_argument("--no-refresh", action="store_true", help="skip refreshing the dashboards' figures")
        parser.add_argument("--jobs", type=int, default=2, help="processes for the parts (PostgreSQL; default 2)")
        parser.add_argument("--summary", help="also write the counts and timings as JSON to this file")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    def handle(self, *args: Any, **opts: Any) -> None:
        from posyantek.dashboards.national import places
        from posyantek.dashboards.national.generate import generate
        from posyantek.posts.models import Post
        from posyantek.regions.models import Region

        if not 0 < opts["scale"] <= 1:
            raise CommandError("--scale harus di antara 0 dan 1.")
        if Post.objects.exists() and not opts["force"]:
            raise CommandError("Basis data ini sudah berisi pos; gunakan --force untuk tetap menambahkan data.")
        if not Region.objects.filter(level=3).exists():
            self.stdout.write("Tabel wilayah kosong: memuat wilayah (load_regions)…")
            call_command("load_regions", verbosity=0)
        today = opts["today"] or timezone.localdate()
        self.stdout.write(f"Membangun data nasional: seed {opts['seed']}, skala {opts['scale']}, s.d. {today}")
        start = time.perf_counter()
        ctx = generate(seed=opts["seed"], scale=opts["scale"], today=today, progress=not opts["no_progress"],
                       search_terms=opts["search_terms"], jobs=opts["jobs"], log=self.stdout.write)  # fmt: skip
        email, password = places.make_admin()
        generated = time.perf_counter() - start
        own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime  # this process and its workers
        self.stdout.write(f"Selesai dibangun dalam {generated:.1f} s (CPU Python {cpu:.0f} s).")
        for name, n in ctx.counts.items():
            self.stdout.write(f"  {name}: {n:,}")
        refresh_s = None
        if not opts["no_refresh"]:
            try:
                from posyantek.dashboards.refresh import refresh_posts
            except ImportError:
                self.stdout.write(
                    self.style.WARNING("dashboards.refresh belum tersedia: angka dasbor tidak diperbarui.")
                )
            else:
                t0 = time.perf_counter()
                n = refresh_posts()
                refresh_s = time.perf_counter() - t0
                self.stdout.write(f"Angka dasbor diperbarui ({n:,} pos) dalam {refresh_s:.1f} s.")
        self.stdout.write(f"Admin nasional: {email} / {password}")
        if opts["summary"]:
            summary = {"seed": opts["seed"], "scale": opts["scale"], "today": today.isoformat(),
                       "vendor": connection.vendor, "generate_s": round(generated, 1), "cpu_s": round(cpu, 1),
                       "refresh_s": None if refresh_s is None else round(refresh_s, 1), "counts": ctx.counts,
                       "timings": ctx.timings, "admin": {"email": email, "password": password}}  # fmt: skip
            Path(opts["summary"]).write_text(json.dumps(summary, indent=2))
        self.stdout.write(
            f"TIMINGS generate_s={generated:.1f} refresh_s={'' if refresh_s is None else f'{refresh_s:.1f}'}"
        )
