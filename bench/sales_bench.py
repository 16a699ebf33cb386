"""Benchmark: a post's sales analysis for a year, with 5,000,000 orders in the database (issue 5).

    uv run --frozen python bench/sales_bench.py [--orders N] [--db sqlite|postgres|both] [--repeat N]
                                               [--no-serve] [--keep] [--reuse]

For each database, in its own process: migrate a throwaway database (a temporary SQLite file, or the PostgreSQL
database `bench_orders` on 127.0.0.1, dropped first; BENCH_SALES_PG_URL overrides), load the 91,599 regions and
generate N orders over three years with their items and the monthly rollup (bench/sales_data.py: about 2,000
posts, Posyantek Mitra Pantura measured with 5 % of the orders). It checks that the generated rollup of two of
Mitra Pantura's months equals what the app's `rebuild_month` makes of its orders (and times that rebuild: what every
order write of a big post costs). Then, for last year's sales of Mitra Pantura as its manager sees them:

- the selector `sales_analysis()` (in-process, the user's grants read afresh each time): p50, p95, max;
- for information, the same for the Jawa Tengah province officer and a national admin (rolled up over many posts),
  and the page rendered in-process;
- unless --no-serve: the page `/penjualan/?tahun=…` (logged in through the login form) and the API
  `/api/v1/penjualan?year=…` (bearer token) over HTTP against gunicorn (2 sync workers, page cache off, so every
  request computes the analysis and renders afresh), interleaved with a hello-world page as the baseline in the same
  run: p50, p95, max of each and the ratio of their medians to hello-world's.

Target: the selector, the page and the API each answer within 300 ms at p95. Writes bench/out/sales-<db>.json.
`--keep` keeps the database (SQLite under /tmp/posyantek-sales-kept, PostgreSQL as is) and `--reuse` measures a
kept one again. Generation takes 7–8 minutes and 3–5 GB of disk per database on 2 cores.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import server  # noqa: E402 - after the path is set
from bench.results import row as result_row  # noqa: E402
from bench.results import write_rows  # noqa: E402

OUT = ROOT / "bench" / "out"
PG_URL = os.environ.get("BENCH_SALES_PG_URL", "postgres://postgres@127.0.0.1:5432/bench_orders")
KEPT = Path(tempfile.gettempdir()) / "posyantek-sales-kept"
MAX_P95_MS = 300.0
PASSWORD = "bench-only-not-secret"  # noqa: S105 - a throwaway database
MANAGER, PROVINCE, NATIONAL = "manager@bench.id", "jateng@bench.id", "nasional@bench.id"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--orders", type=int, default=5_000_000)
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--repeat", type=int, default=30, help="timed runs of each measurement")
    p.add_argument("--no-serve", action="store_true", help="skip the HTTP measurements with gunicorn")
    p.add_argument("--keep", action="store_true", help=f"keep the database (SQLite in {KEPT}, PostgreSQL as is)")
    p.add_argument("--reuse", action="store_true", help="measure a kept database again instead of generating one")
    p.add_argument("--one", help=argparse.SUPPRESS)
    return p.parse_args()


def main() -> int:
    args = parse_args()
    if args.one:
        return run_one(args)
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        print(f"== {db}: {args.orders:,} orders", flush=True)
        cmd = [sys.executable, __file__, "--one", db, "--orders", str(args.orders), "--repeat", str(args.repeat)]
        cmd += [f for f, on in (("--no-serve", args.no_serve), ("--keep", args.keep), ("--reuse", args.reuse)) if on]
        path = OUT / f"sales-{db}.json"
        path.unlink(missing_ok=True)
        proc = subprocess.run(cmd, cwd=ROOT, check=False)
        if proc.returncode not in (0, 1) or not path.exists():
            print(f"{db}: the run failed ({proc.returncode})")
            return 2
        results[db] = json.loads(path.read_text())
    ok = True
    print("\n| database | orders | generated in | rollup rows | selector p50 / p95 / max | page p50 / p95 / max | "
          "API p50 / p95 / max | hello p50 | page / hello | API / hello |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for db, r in results.items():
        s = r.get("serve") or {}
        load = f"{r['load_s'] / 60:.1f} min" if r["load_s"] else "(kept)"
        hello = f"{s['hello']['p50_ms']:.1f} ms" if s else "–"
        ratios = f"{s['page_ratio']:.1f}× | {s['api_ratio']:.1f}×" if s else "– | –"
        print(f"| {db} | {r['orders']:,} | {load} | {r['rollup_rows']:,} | {trio(r['selector'])} | "
              f"{trio(s.get('page'))} | {trio(s.get('api'))} | {hello} | {ratios} |")  # fmt: skip
        ok &= r["pass"]
    for db, r in results.items():
        info = r["info"]
        print(f"{db}: Mitra Pantura {r['measured_orders']:,} orders, {r['year_rows']:,} rollup rows in {r['year']}; "
              f"rebuild of one of its months {r['refresh']['p50_ms']:.0f} ms (rollup agrees: {r['rollup_agrees']}); "
              f"page in-process p95 {info['page_inprocess']['p95_ms']:.0f} ms; province officer p50 "
              f"{info['province']['p50_ms']:.0f} ms; national p50 {info['national']['p50_ms']:.0f} ms")  # fmt: skip
    write_rows("sales", [
        result_row(f"{db}: a post's sales analysis for a year, {what} p95", f"≤ {MAX_P95_MS:.0f} ms",
                   f"{t['p95_ms']:.0f} ms", "", t["p95_ms"] <= MAX_P95_MS)
        for db, r in results.items()
        for what, t in (("selector", r["selector"]), ("page", (r.get("serve") or {}).get("page")),
                        ("API", (r.get("serve") or {}).get("api"))) if t])  # fmt: skip
    print("PASS" if ok else "FAIL", f"(target: a post's analysis for a year within {MAX_P95_MS:.0f} ms at p95: "
                                    "selector, page and API)")  # fmt: skip
    return 0 if ok else 1


# --- one database, in its own process ------------------------------------------------------------------------


def setup_env(db: str, *, keep: bool, reuse: bool) -> Path:
    return server.setup_db_env("sales", db, pg_url=PG_URL, kept=KEPT if keep or reuse else None, reuse=reuse,
                               EMAIL_URL="dummymail://", PAGE_CACHE_ENABLED="False")  # fmt: skip


def run_one(args: argparse.Namespace) -> int:
    db = args.one
    tmp = setup_env(db, keep=args.keep, reuse=args.reuse)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    meta_path = tmp / "meta.json"
    load_s = 0.0
    (tmp / "static").mkdir(exist_ok=True)  # collected only for the served pages; keeps WhiteNoise quiet before
    if args.reuse:
        meta = json.loads(meta_path.read_text())
        print(f"  reusing the kept database: {meta['orders']:,} orders", flush=True)
    else:
        from bench.sales_data import generate

        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_regions", verbosity=0)
        print(f"  migrate + regions: {time.perf_counter() - start:.0f} s", flush=True)
        gen = generate(args.orders, random.Random(2026), timezone.localdate())
        load_s = time.perf_counter() - start
        meta = dataclasses.asdict(gen) | {"year": gen.last_day.year - 1}
        meta["first_day"], meta["last_day"] = str(gen.first_day), str(gen.last_day)
        make_users(gen.measured_post)
        meta_path.write_text(json.dumps(meta, indent=2))
        print(f"  {args.orders:,} orders, {gen.items:,} items, {gen.rollup_rows:,} rollup rows: {load_s:.0f} s "
              f"{gen.timings}", flush=True)  # fmt: skip
    year, post_id = meta["year"], meta["measured_post"]
    result: dict[str, Any] = {"db": db, "orders": meta["orders"], "rollup_rows": meta["rollup_rows"],
                              "measured_orders": meta["measured_orders"], "year": year, "load_s": round(load_s, 1),
                              "timings": meta["timings"]}  # fmt: skip
    result.update(check_rollup(post_id, year))
    print(f"  rollup of Mitra Pantura agrees with rebuild_month: {result['rollup_agrees']}; a month's rebuild "
          f"p50 {result['refresh']['p50_ms']:.0f} ms; {result['year_rows']:,} rows in {year}", flush=True)  # fmt: skip
    result["selector"] = time_selector(MANAGER, year, args.repeat)
    print(f"  selector (manager): {fmt(result['selector'])}", flush=True)
    result["info"] = {
        "selector_with_post": time_selector(MANAGER, year, max(args.repeat // 3, 3), post_id=post_id),
        "province": time_selector(PROVINCE, year, 3),
        "national": time_selector(NATIONAL, year, 2),
        "page_inprocess": time_page(year, max(args.repeat // 3, 3)),
    }
    for k, v in result["info"].items():
        print(f"  {k}: {fmt(v)}", flush=True)
    result["serve"] = None if args.no_serve else serve(tmp, year, args.repeat)
    s = result["serve"]
    result["pass"] = (
        bool(result["rollup_agrees"])
        and result["selector"]["p95_ms"] <= MAX_P95_MS
        and (s is None or (s["page"]["p95_ms"] <= MAX_P95_MS and s["api"]["p95_ms"] <= MAX_P95_MS and not s["errors"]))
    )
    (OUT / f"sales-{db}.json").write_text(json.dumps(result, indent=2))
    if args.keep or args.reuse:
        print(f"  kept: {os.environ['DATABASE_URL']} (measure again with --reuse)")
    else:
        server.cleanup(db, tmp, PG_URL)
    return 0 if result["pass"] else 1


def trio(m: dict | None) -> str:
    return f"{m['p50_ms']:.0f} / {m['p95_ms']:.0f} / {m['max_ms']:.0f} ms" if m else "–"


def fmt(m: dict) -> str:
    return f"p50 {m['p50_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms, max {m['max_ms']:.1f} ms (n={m['n']})"


def make_users(post_id: int) -> None:
    from posyantek.accounts.models import Grant, User

    for email, role, scope in ((MANAGER, "post_manager", {"post_id": post_id}),
                               (PROVINCE, "province_officer", {"region_id": "33"}),
                               (NATIONAL, "national_admin", {})):  # fmt: skip
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=email.split("@")[0].title())
        Grant.objects.create(user=user, role=role, **scope)


def check_rollup(post_id: int, year: int) -> dict[str, Any]:
    """Rebuild two months of the measured post with the app's code: the rows must not change. Time it."""
    from django.db import transaction

    from posyantek.orders import sales
    from posyantek.orders.models import SalesMonth

    agrees, times = True, []
    for month in (dt.date(year, 3, 1), dt.date(year, 10, 1), dt.date(year, 3, 1)):
        before = sales.rollup_rows(post_id, month)
        start = time.perf_counter()
        with transaction.atomic():
            sales.rebuild_month(post_id, month)
        times.append((time.perf_counter() - start) * 1000)
        agrees &= sales.rollup_rows(post_id, month) == before and bool(before)
    rows = SalesMonth.objects.filter(post_id=post_id, month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1))
    return {"rollup_agrees": agrees, "refresh": server.percentiles(times), "year_rows": rows.count()}


def time_selector(email: str, year: int, repeat: int, post_id: int | None = None) -> dict[str, Any]:
    from posyantek.accounts.models import User
    from posyantek.core.scoping import forget_grants
    from posyantek.orders.sales_selectors import sales_analysis, sales_post

    user = User.objects.get(email=email)
    post = sales_post(user=user, post_id=post_id) if post_id else None
    sales_analysis(user=user, year=year, post=post)  # warm-up
    samples = []
    for _ in range(repeat):
        forget_grants(user)
        start = time.perf_counter()
        data = sales_analysis(user=user, year=year, post=post)
        samples.append((time.perf_counter() - start) * 1000)
    out = server.percentiles(samples)
    out["orders"], out["amount"] = data.totals.orders, data.totals.amount
    return out


def time_page(year: int, repeat: int) -> dict[str, Any]:
    from django.test import Client, override_settings

    from posyantek.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=MANAGER), backend="posyantek.accounts.backends.CachedModelBackend")
    plain = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
             "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # fmt: skip
    samples = []
    with override_settings(PAGE_CACHE_ENABLED=False, STORAGES=plain):
        assert client.get("/penjualan/", {"tahun": year}).status_code == 200
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get("/penjualan/", {"tahun": year})
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
    return server.percentiles(samples)


def serve(tmp: Path, year: int, repeat: int) -> dict[str, Any]:
    """Serve with gunicorn (page cache off) and time hello-world, the page and the API, interleaved."""
    import http.client

    from django.core.management import call_command

    from posyantek.accounts import services as account_services
    from posyantek.accounts.models import User

    call_command("collectstatic", interactive=False, verbosity=0)
    _row, token = account_services.token_create(actor=User.objects.get(email=MANAGER), name="bench")
    from django.db import connections

    connections.close_all()
    env = dict(os.environ)
    port = server.free_port()
    proc = server.start_server(env, port, tmp / "gunicorn.log")
    try:
        server.wait_ready(proc, port, "/bench/hello")
        cookies = server.login(port, "/akun/masuk", MANAGER, PASSWORD)
        urls = {
            "hello": ("/bench/hello", {}),
            "page": (f"/penjualan/?tahun={year}", {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}),
            "api": (f"/api/v1/penjualan?year={year}", {"Authorization": f"Bearer {token}"}),
        }
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        samples: dict[str, list[float]] = {k: [] for k in urls}
        errors: list[str] = []
        sizes: dict[str, int] = {}
        for r in range(repeat + 3):  # the first 3 rounds warm up
            for name, (path, headers) in urls.items():
                start = time.perf_counter()
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                ms = (time.perf_counter() - start) * 1000
                if resp.status != 200:
                    errors.append(f"{path}: {resp.status}")
                sizes[name] = len(body)
                if r >= 3:
                    samples[name].append(ms)
        conn.close()
    except Exception:
        print(f"--- gunicorn log ---\n{(tmp / 'gunicorn.log').read_text()[-3000:]}", file=sys.stderr)
        raise
    finally:
        server.stop_server(proc)
    out: dict[str, Any] = {k: server.percentiles(v) for k, v in samples.items()}
    out["page_ratio"] = round(out["page"]["p50_ms"] / out["hello"]["p50_ms"], 1)
    out["api_ratio"] = round(out["api"]["p50_ms"] / out["hello"]["p50_ms"], 1)
    out["errors"], out["sizes"] = errors[:10], sizes
    for name in urls:
        print(f"  http {name}: {fmt(out[name])}", flush=True)
    print(f"  page / hello {out['page_ratio']}×, API / hello {out['api_ratio']}×; {len(errors)} errors", flush=True)
    return out


if __name__ == "__main__":
    sys.exit(main())
