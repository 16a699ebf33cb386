"""Benchmark: the money (issue 6) with 10,000,000 cash-book entries in the country, 100,000 of them at one post.

    uv run --frozen python bench/finance_bench.py [--entries N] [--big N] [--db sqlite|postgres|both] [--no-serve]
                                                 [--keep] [--reuse]

For each database, in its own process: migrate a throwaway database (a temporary SQLite file, or the PostgreSQL
database `bench_finance` on 127.0.0.1, dropped first; BENCH_PG_URL overrides), load the 91,599 regions, make one post
per kecamatan (7,285) with a cash box and a bank account, an approved budget for each of the three years (two
funding sources, four spending accounts; the posts of one city in three under a Perda of their city), and N entries
with raw inserts (COPY on PostgreSQL) dated over the last three years: `--big` of them at one post (Kecamatan
Pekalongan Utara, the measured one), the rest spread evenly; 0.2 % are reversals of the entry before them. The
monthly sums (`EntryMonth`) are built from the same rows, as the services keep them. Then, in-process:

- the baseline in the same run: fetching one post by its key through the ORM;
- a post's balance (`post_balances`) and its year's realisation (`realisation`, 1 January–31 December), for the big
  post and for an ordinary one (about N/7,285 entries), and the realisation of a period that starts and ends
  mid-month (its edge days are read from the entries);
- the realisation rolled up over the whole country and over one province (`rollup`, as a national admin);
- unless --no-serve: requests per second of the big post's finance page, rendered afresh (page cache off), against a
  hello-world view in the same run (gunicorn, 2 workers, 3 rounds), as bench/run.py does.

Each timing is the median (p50) and p95 of repeated runs after a warm-up, with its ratio to the baseline.
Targets: balance and year realisation p95 ≤ 100 ms; national roll-up p95 ≤ 2 s. Writes bench/out/finance-<db>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import server  # noqa: E402 - after the path is set
from bench.results import row as result_row  # noqa: E402
from bench.results import write_rows  # noqa: E402

OUT = ROOT / "bench" / "out"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bench_finance")
KEPT = Path(tempfile.gettempdir()) / "posyantek-finance-kept"
MAX_POST_MS = 100.0
MAX_ROLLUP_MS = 2000.0
CHUNK = 50_000
BIG_REGION = "33.75.03"
SOURCES = ["apbd_kabkota", "apbdes", "apbd_provinsi", "csr", "swadaya", "apbn"]
SPENDING = ["5.1", "5.3", "5.5", "5.6"]
INCOME = {
    "apbd_kabkota": "4.3",
    "apbdes": "4.3",
    "apbd_provinsi": "4.3",
    "apbn": "4.3",
    "csr": "4.4",
    "swadaya": "4.5",
    "pendapatan_pos": "4.1",
}
PASSWORD = "bench-only-not-secret"  # noqa: S105


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--entries", type=int, default=10_000_000)
    p.add_argument("--big", type=int, default=100_000, help="entries of the measured post")
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--repeat", type=int, default=20, help="timed runs of each post-level read")
    p.add_argument("--no-serve", action="store_true", help="skip the req/s comparison with gunicorn")
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
        print(f"== {db}: {args.entries:,} entries, {args.big:,} at one post", flush=True)
        cmd = [
            sys.executable,
            __file__,
            "--one",
            db,
            "--entries",
            str(args.entries),
            "--big",
            str(args.big),
            "--repeat",
            str(args.repeat),
        ]
        cmd += ["--no-serve"] if args.no_serve else []
        cmd += ["--keep"] if args.keep else []
        cmd += ["--reuse"] if args.reuse else []
        proc = subprocess.run(cmd, cwd=ROOT, check=False)
        path = OUT / f"finance-{db}.json"
        if proc.returncode not in (0, 1) or not path.exists():
            print(f"{db}: the run failed ({proc.returncode})")
            return 2
        results[db] = json.loads(path.read_text())
    ok = True
    print(
        "\n| database | entries | loaded in | baseline p50 | balance p95 | year realisation p95 | "
        "mid-month period p95 | national roll-up p95 | province roll-up p95 | page / hello |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for db, r in results.items():
        t = r["timings"]
        ratio = f"{r['serve']['ratio']:.0%}" if r.get("serve") else "–"
        load = f"{r['load_s']:.0f} s" if r["load_s"] else "(kept)"
        print(
            f"| {db} | {r['entries']:,} | {load} | {t['baseline']['p50_ms']:.2f} ms | "
            f"{t['balance_big']['p95_ms']:.1f} ms | {t['realisation_big']['p95_ms']:.1f} ms | "
            f"{t['period_big']['p95_ms']:.1f} ms | {t['rollup_national']['p95_ms']:.0f} ms | "
            f"{t['rollup_province']['p95_ms']:.0f} ms | {ratio} |"
        )
        ok &= r["pass"]
    write_rows("finance", [
        result_row(f"{db}: {what} p95", f"≤ {limit:.0f} ms", f"{r['timings'][key]['p95_ms']:.1f} ms", "",
                   r["timings"][key]["p95_ms"] <= limit)
        for db, r in results.items()
        for what, key, limit in (("big post's balance", "balance_big", MAX_POST_MS),
                                 ("big post's year realisation", "realisation_big", MAX_POST_MS),
                                 ("national roll-up", "rollup_national", MAX_ROLLUP_MS))])  # fmt: skip
    print(
        "PASS" if ok else "FAIL",
        f"(targets: balance, year realisation p95 ≤ {MAX_POST_MS:.0f} ms; national roll-up ≤ {MAX_ROLLUP_MS:.0f} ms)",
    )
    return 0 if ok else 1


# --- one database, in its own process ------------------------------------------------------------------------


def setup_env(db: str, *, keep: bool, reuse: bool) -> Path:
    return server.setup_db_env("finance", db, pg_url=PG_URL, kept=KEPT if keep or reuse else None, reuse=reuse,
                               PAGE_CACHE_ENABLED="False")  # fmt: skip


def run_one(args: argparse.Namespace) -> int:
    db = args.one
    tmp = setup_env(db, keep=args.keep, reuse=args.reuse)
    import django

    django.setup()
    from django.core.management import call_command

    load_s = 0.0
    if not args.reuse:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        call_command("load_regions", verbosity=0)
        generate(args.entries, args.big, random.Random(2014))
        load_s = time.perf_counter() - start
        print(f"  generated in {load_s:.0f} s", flush=True)
    timings = time_reads(args.repeat)
    for name, t in timings.items():
        if name == "big_vs_typical_balance":
            print(f"  big post's balance / typical post's: {t['ratio']:.2f}", flush=True)
            continue
        ratio = f" = {t['ratio']:.0f}× baseline" if "ratio" in t else ""
        print(f"  {name}: p50 {t['p50_ms']:.2f} ms, p95 {t['p95_ms']:.2f} ms{ratio}", flush=True)
    serve = None if args.no_serve else serve_ratio(tmp)
    if serve:
        print(f"  served finance page: {serve['rps']:.0f} req/s = {serve['ratio']:.0%} of hello-world", flush=True)
    passed = (
        timings["balance_big"]["p95_ms"] <= MAX_POST_MS
        and timings["realisation_big"]["p95_ms"] <= MAX_POST_MS
        and timings["rollup_national"]["p95_ms"] <= MAX_ROLLUP_MS
    )
    from posyantek.finance.models import Entry, EntryMonth

    result = {
        "db": db,
        "entries": Entry.objects.count(),
        "entry_months": EntryMonth.objects.count(),
        "load_s": round(load_s, 1),
        "timings": timings,
        "serve": serve,
        "pass": passed,
    }
    (OUT / f"finance-{db}.json").write_text(json.dumps(result, indent=2))
    if not (args.keep or args.reuse):
        server.cleanup(db, tmp, PG_URL)
    return 0 if passed else 1


# --- data ------------------------------------------------------------------------------------------------------


def _months(today: dt.date, n: int) -> list[dt.date]:
    out, m = [], today.replace(day=1)
    for _ in range(n):
        out.append(m)
        m = (m - dt.timedelta(days=1)).replace(day=1)
    return out[::-1]


def generate(entries: int, big: int, rng: random.Random) -> None:
    """Make posts, cash accounts, budgets and `entries` cash-book entries with their monthly sums."""
    from django.db import connection, transaction
    from django.utils import timezone

    from posyantek.accounts.models import Grant as Role
    from posyantek.accounts.models import User
    from posyantek.finance.models import (
        Account,
        Budget,
        BudgetLine,
        CashAccount,
        Entry,
        EntryMonth,
        Regulation,
    )
    from posyantek.posts.models import Post
    from posyantek.regions.models import Region

    today = timezone.localdate()
    now = timezone.now()
    months = _months(today, 36)
    years = sorted({m.year for m in months})
    accounts = {a.code: a.pk for a in Account.objects.filter(post=None)}
    kecamatan = list(Region.objects.filter(level=3).order_by("code").values_list("code", flat=True))
    with transaction.atomic():
        Post.objects.bulk_create(
            [
                Post(
                    name=f"Posyantek {code}", slug=f"bench-{code.replace('.', '-')}", kind="antar_desa", region_id=code
                )
                for code in kecamatan
            ],
            batch_size=2000,
        )
        posts = list(Post.objects.order_by("pk").values_list("pk", "region_id"))
        big_id = next(pk for pk, code in posts if code == BIG_REGION)
        admin = User.objects.create_user(email="admin@bench.id", password=PASSWORD, is_superuser=True)
        Role.objects.create(user=admin, role="national_admin")
        manager = User.objects.create_user(email="manager@bench.id", password=PASSWORD)
        Role.objects.create(user=manager, role="post_manager", post_id=big_id)
        CashAccount.objects.bulk_create(
            [
                CashAccount(post_id=pk, region_id=code, name=name, kind=kind)
                for pk, code in posts
                for name, kind in (("Kas tunai", "tunai"), ("Bank", "bank"))
            ],
            batch_size=5000,
        )
        cash = defaultdict(list)
        for cid, pid in CashAccount.objects.order_by("pk").values_list("pk", "post_id"):
            cash[pid].append(cid)
        # One city in three funds its posts under a Perda of its own.
        cities = sorted({code[:5] for _pk, code in posts})
        perdas = {}
        for i, city in enumerate(cities):
            if i % 3 == 0 or city == BIG_REGION[:5]:
                perdas[city] = Regulation.objects.create(
                    kind="perda", number=str(100 + i), year=2015, region_id=city, title=f"Posyantek {city}"
                ).pk
        plan: dict[int, list[str]] = {}
        budgets, lines = [], []
        for pk, code in posts:
            first = "apbd_kabkota" if pk == big_id or code[:5] in perdas else rng.choice(SOURCES)
            plan[pk] = [first, "pendapatan_pos"]
            for year in years:
                budgets.append(Budget(post_id=pk, region_id=code, year=year, state="disetujui", approved_at=now))
        Budget.objects.bulk_create(budgets, batch_size=5000)
        region_of = dict(posts)
        for bid, pid, _year in Budget.objects.values_list("pk", "post_id", "year"):
            reg = perdas.get(region_of[pid][:5])
            for source in plan[pid]:
                for code in SPENDING:
                    lines.append(
                        BudgetLine(
                            budget_id=bid,
                            source=source,
                            account_id=accounts[code],
                            amount=rng.randint(5, 60) * 1_000_000,
                            regulation_id=reg if source != "pendapatan_pos" else None,
                        )
                    )
        BudgetLine.objects.bulk_create(lines, batch_size=10_000)

    fields = list(Entry._meta.concrete_fields)
    columns = [f.column for f in fields]
    pg = connection.vendor == "postgresql"
    date_value = connection.ops.adapt_datefield_value
    stamp = connection.ops.adapt_datetimefield_value(now)
    table = Entry._meta.db_table
    month_fields = [f for f in EntryMonth._meta.concrete_fields if f.attname != "id"]
    month_cols = [f.column for f in month_fields]
    others = [pk for pk, _ in posts if pk != big_id]
    per_post = max(0, entries - big) // max(1, len(others))
    extra = max(0, entries - big) - per_post * len(others)
    next_id = 1
    span = (today - months[0]).days

    def write(sql_table: str, cols: list[str], batch: list[list[object]]) -> None:
        raw = connection.connection
        if pg:
            with raw.cursor() as cursor, cursor.copy(f"COPY {sql_table} ({', '.join(cols)}) FROM STDIN") as copy:
                for r in batch:
                    copy.write_row(r)
        else:
            marks = ", ".join(["?"] * len(cols))
            raw.executemany(f"INSERT INTO {sql_table} ({', '.join(cols)}) VALUES ({marks})", batch)  # noqa: S608

    pending: list[list[object]] = []
    pending_months: list[list[object]] = []
    with transaction.atomic():
        connection.ensure_connection()
        for pid in [big_id, *others]:
            n = big if pid == big_id else per_post + (1 if extra > 0 else 0)
            if pid != big_id and extra > 0:
                extra -= 1
            region = region_of[pid]
            boxes = cash[pid]
            sources = plan[pid]
            sums: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0])
            days = sorted(rng.randrange(span + 1) for _ in range(n))
            last_plain = None
            for d in days:
                day = months[0] + dt.timedelta(days=d)
                reversal = last_plain is not None and rng.random() < 0.002
                if reversal:
                    orig = last_plain
                    kind, source, account, box, amount = orig[1], orig[2], orig[3], orig[4], orig[5]
                    delta = -orig[6]
                    reverses, last_plain = orig[0], None
                else:
                    kind = "masuk" if rng.random() < 0.15 else "keluar"
                    source = sources[0] if rng.random() < 0.7 else sources[1]
                    account = accounts[INCOME[source]] if kind == "masuk" else accounts[rng.choice(SPENDING)]
                    box = boxes[0] if rng.random() < 0.85 else boxes[1]
                    amount = rng.randint(1, 400) * (5_000 if kind == "keluar" else 25_000)
                    delta = amount if kind == "masuk" else -amount
                    reverses = None
                    last_plain = (next_id, kind, source, account, box, amount, delta)
                values = {
                    "id": next_id,
                    "region_id": region,
                    "created": stamp,
                    "updated": stamp,
                    "version": 1,
                    "post_id": pid,
                    "date": date_value(day) if not pg else day,
                    "kind": kind,
                    "source": source,
                    "account_id": account,
                    "cash_account_id": box,
                    "amount": amount,
                    "delta": delta,
                    "description": "Belanja kegiatan" if kind == "keluar" else "Penerimaan",
                    "activity": "",
                    "bintek_id": None,
                    "exhibition_id": None,
                    "order_id": None,
                    "payment_id": None,
                    "grant_id": None,
                    "counterparty": "",
                    "reference": "",
                    "receipt": "",
                    "reverses_id": reverses,
                    "posted_by_id": None,
                }
                pending.append([values[f.attname] for f in fields])
                key = (day.replace(day=1), box, kind, source, account)
                s = sums[key]
                s[0] += -amount if reverses else amount
                s[1] += 1
                next_id += 1
                if len(pending) >= CHUNK:
                    write(table, columns, pending)
                    pending = []
            for (month, box, kind, source, account), (total, count) in sums.items():
                row = {
                    "post_id": pid,
                    "region_id": region,
                    "month": month if pg else date_value(month),
                    "cash_account_id": box,
                    "kind": kind,
                    "source": source,
                    "account_id": account,
                    "total": total,
                    "count": count,
                }
                pending_months.append([row[f.attname] for f in month_fields])
            if len(pending_months) >= CHUNK:
                write(EntryMonth._meta.db_table, month_cols, pending_months)
                pending_months = []
        write(table, columns, pending)
        write(EntryMonth._meta.db_table, month_cols, pending_months)
        if pg:
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, next_id])
    with connection.cursor() as cursor:  # as the database's autovacuum would
        if pg:
            cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute(f"VACUUM ANALYZE {EntryMonth._meta.db_table}")
        else:
            cursor.execute("ANALYZE")


# --- timings ---------------------------------------------------------------------------------------------------


def _time(fn: object, repeat: int) -> dict:
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return server.percentiles(samples)


def time_reads(repeat: int) -> dict:
    from django.utils import timezone

    from posyantek.accounts.models import User
    from posyantek.finance.selectors import post_balances, realisation, rollup
    from posyantek.posts.models import Post
    from posyantek.regions.models import Region

    today = timezone.localdate()
    year = today.year
    big = Post.objects.get(region_id=BIG_REGION, slug__startswith="bench-")
    typical = Post.objects.exclude(pk=big.pk).filter(slug__startswith="bench-").order_by("pk").first()
    admin = User.objects.get(email="admin@bench.id")
    province = Region.objects.get(code="33")
    start, end = dt.date(year - 1, 2, 10), dt.date(year, 3, 20)
    out = {"baseline": _time(lambda: Post.objects.get(pk=big.pk), max(repeat, 50))}
    jobs = {
        "balance_big": (lambda: post_balances(big), repeat),
        "realisation_big": (lambda: realisation(big, dt.date(year, 1, 1), dt.date(year, 12, 31)), repeat),
        "period_big": (lambda: realisation(big, start, end), repeat),
        "balance_typical": (lambda: post_balances(typical), repeat),
        "realisation_typical": (lambda: realisation(typical, dt.date(year, 1, 1), dt.date(year, 12, 31)), repeat),
        "rollup_national": (lambda: rollup(user=admin, region=None, year=year), 5),
        "rollup_province": (lambda: rollup(user=admin, region=province, year=year), 5),
    }
    for name, (fn, n) in jobs.items():
        out[name] = _time(fn, n)
        out[name]["ratio"] = round(out[name]["p50_ms"] / out["baseline"]["p50_ms"], 1)
    # The big post's book is a hundred times the typical one's; its reads should not be (the monthly sums).
    out["big_vs_typical_balance"] = {
        "p50_ms": 0.0,
        "p95_ms": 0.0,
        "ratio": round(out["balance_big"]["p50_ms"] / out["balance_typical"]["p50_ms"], 2),
    }
    return out


def serve_ratio(tmp: Path) -> dict:
    """Serve the site with gunicorn (page cache off) and compare the big post's finance page with hello-world."""
    from django.core.management import call_command

    from bench import load
    from posyantek.posts.models import Post

    call_command("collectstatic", interactive=False, verbosity=0)
    env = dict(os.environ)
    port = server.free_port()
    proc = server.start_server(env, port, tmp / "gunicorn.log")
    page = f"/keuangan/pos/{Post.objects.get(region_id=BIG_REGION, slug__startswith='bench-').pk}/"
    try:
        server.wait_ready(proc, port, "/bench/hello")
        cookies = server.login(port, "/akun/masuk", "manager@bench.id", PASSWORD)
        status, _, _ = server.get(port, page, cookies)
        if status != 200:
            raise RuntimeError(f"{page} answered {status}")
        header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        wrk = load.wrk_path()

        def run(path: str, seconds: float, headers: dict[str, str]) -> float:
            if wrk:
                return load.run_wrk(wrk, f"http://127.0.0.1:{port}{path}", seconds, 16, headers).rps
            return load.run_python("127.0.0.1", port, path, seconds, 16, headers).rps

        run("/bench/hello", 1, {})
        run(page, 1, header)
        ratios, rates = [], []
        for _ in range(3):
            a, p, b = run("/bench/hello", 5, {}), run(page, 5, header), run("/bench/hello", 5, {})
            ratios.append(p / ((a + b) / 2))
            rates.append(p)
        return {
            "ratio": round(statistics.median(ratios), 3),
            "ratios": [round(r, 3) for r in ratios],
            "rps": round(statistics.median(rates), 1),
            "page": page,
            "generator": "wrk" if wrk else "python",
        }
    finally:
        server.stop_server(proc)


if __name__ == "__main__":
    sys.exit(main())
