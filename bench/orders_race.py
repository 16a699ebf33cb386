"""Benchmark: 50 buyers racing for the last 5 units of one product (issue 5), on SQLite and on PostgreSQL.

    uv run --frozen python bench/orders_race.py [--db sqlite|postgres|both] [--buyers 50] [--units 5]
                                                [--rounds 3] [--workers 4] [--no-http]

For each database, in its own process: migrate a throwaway database (a temporary SQLite file, opened as the app
opens it: WAL, busy_timeout, BEGIN IMMEDIATE; or the PostgreSQL database `bench_orders_race` on 127.0.0.1, dropped
first; BENCH_RACE_PG_URL overrides), make a post and, each round, a product with `units` in stock. Then:

- service level (always): `buyers` separate processes, each with its own database connection already open, wait
  at one barrier and then all call `orders.services.order_checkout` for one unit;
- over HTTP (when `POST /api/v1/pasar/checkout` exists, unless --no-http): gunicorn with `workers` processes of 4
  threads serves the app, and `buyers` client threads, each with its connection open, are released by a barrier
  to post the same checkout (the per-address checkout limit MARKET_CHECKOUTS_PER_HOUR is raised in the server by
  bench/orders_race_server.py, since every buyer here has the address 127.0.0.1).

Every round must end with exactly `units` orders, the stock at 0, and every other buyer told "out of stock"
(service: ValidationError code `out_of_stock`; HTTP: 409 with that message); any other outcome is a violation and
the exit code is 1. Timings: each buyer's wait from the barrier to its answer (p50, p95, max) and the whole race;
the baseline in the same run is one buyer alone (10 sequential checkouts), and the ratio is the race's median wait
over it. Writes bench/out/orders-race-<db>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import server  # noqa: E402 - after the path is set
from bench.results import row as result_row  # noqa: E402
from bench.results import write_rows  # noqa: E402

OUT = ROOT / "bench" / "out"
PG_URL = os.environ.get("BENCH_RACE_PG_URL", "postgres://postgres@127.0.0.1:5432/bench_orders_race")
CHECKOUT = "/api/v1/pasar/checkout"
BUYER = {"phone": "0812-3456-7890", "address": "Jl. Somba Opu No. 10, Makassar", "region_code": "73.71"}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--buyers", type=int, default=50)
    p.add_argument("--units", type=int, default=5)
    p.add_argument("--rounds", type=int, default=3, help="races per database and level")
    p.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (4 threads each)")
    p.add_argument("--no-http", action="store_true", help="only the service-level race")
    p.add_argument("--one", help=argparse.SUPPRESS)
    return p.parse_args()


def main() -> int:
    args = parse_args()
    if args.one:
        return run_one(args)
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        print(f"== {db}: {args.buyers} buyers for the last {args.units} units, {args.rounds} rounds", flush=True)
        cmd = [sys.executable, __file__, "--one", db, "--buyers", str(args.buyers), "--units", str(args.units),
               "--rounds", str(args.rounds), "--workers", str(args.workers)]  # fmt: skip
        cmd += ["--no-http"] if args.no_http else []
        path = OUT / f"orders-race-{db}.json"
        path.unlink(missing_ok=True)
        proc = subprocess.run(cmd, cwd=ROOT, check=False)
        if proc.returncode not in (0, 1) or not path.exists():
            print(f"{db}: the run failed ({proc.returncode})")
            return 2
        results[db] = json.loads(path.read_text())
    ok = True
    print("\n| database | level | rounds | orders | out of stock | other | stock after | race wall | buyer p50 | "
          "buyer p95 | buyer max | alone p50 | ratio |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for db, r in results.items():
        for level in ("service", "http"):
            s = r.get(level)
            if not s:
                continue
            print(f"| {db} | {level} | {len(s['rounds'])} | {s['ok']} | {s['out_of_stock']} | {s['other']} | "
                  f"{s['stock_after']} | {s['wall_ms']['p50_ms']:.0f} ms | {s['wait']['p50_ms']:.0f} ms | "
                  f"{s['wait']['p95_ms']:.0f} ms | {s['wait']['max_ms']:.0f} ms | {s['alone']['p50_ms']:.0f} ms | "
                  f"{s['ratio']:.1f}× |")  # fmt: skip
        if r.get("http_skipped"):
            print(f"| {db} | http | – | {r['http_skipped']} |")
        ok &= r["pass"]
        for v in r["violations"][:10]:
            print(f"  VIOLATION {db}: {v}")
    write_rows("orders_race", [
        result_row(f"{db}: race, {level}", f"{args.units} orders per round, stock 0, no other error",
                   f"{r[level]['ok']} orders, {r[level]['out_of_stock']} out of stock, {r[level]['other']} other, "
                   f"stock {r[level]['stock_after']}; buyer wait p95 {r[level]['wait']['p95_ms']:.0f} ms", "",
                   r["pass"])
        for db, r in results.items() for level in ("service", "http") if r.get(level)])  # fmt: skip
    per_round = f"{args.units} orders and {args.buyers - args.units} 'out of stock' per round"
    print("PASS" if ok else "FAIL", f"(targets: {per_round}, stock 0, no other error)")
    return 0 if ok else 1


# --- one database, in its own process ------------------------------------------------------------------------


def setup_env(db: str) -> Path:
    return server.setup_db_env("race", db, pg_url=PG_URL, EMAIL_URL="dummymail://")


def run_one(args: argparse.Namespace) -> int:
    db = args.one
    tmp = setup_env(db)
    import django

    django.setup()
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    post = seed()
    print(f"  migrated and seeded in {time.perf_counter() - start:.0f} s", flush=True)
    result: dict[str, Any] = {"db": db, "buyers": args.buyers, "units": args.units, "violations": []}
    result["service"] = race_service(post, args)
    result["violations"] += result["service"].pop("violations")
    if args.no_http:
        result["http_skipped"] = "--no-http"
    elif not checkout_api_exists():
        result["http_skipped"] = f"{CHECKOUT} does not exist yet"
        print(f"  http: skipped ({result['http_skipped']})", flush=True)
    else:
        try:
            result["http"] = race_http(post, args, tmp)
            result["violations"] += result["http"].pop("violations")
        except LoneCheckoutFailed as exc:
            result["http_skipped"] = f"not run: {exc}"
            result["violations"].append(f"http: {exc}")
            print(f"  http: {exc}", flush=True)
    result["pass"] = not result["violations"]
    (OUT / f"orders-race-{db}.json").write_text(json.dumps(result, indent=2))
    server.cleanup(db, tmp, PG_URL)
    return 0 if result["pass"] else 1


def seed() -> Any:
    from posyantek.core.models import DataVersion
    from posyantek.posts.models import Post
    from posyantek.regions.models import Region

    for code, name, level, kind, parent in (
        ("33", "Jawa Tengah", 1, "provinsi", None), ("33.75", "Kota Pekalongan", 2, "kota", "33"),
        ("33.75.03", "Pekalongan Utara", 3, "kecamatan", "33.75"), ("73", "Sulawesi Selatan", 1, "provinsi", None),
        ("73.71", "Kota Makassar", 2, "kota", "73"),
    ):  # fmt: skip
        Region.objects.create(code=code, name=name, level=level, kind=kind, parent_id=parent)
    DataVersion.bump()  # the page-cache counter exists before the first writes race for it
    return Post.objects.create(name="Posyantek Mitra Pantura", slug="mitra-pantura", kind="antar_desa",
                               region_id="33.75.03")  # fmt: skip


def new_product(post: Any, stock: int, name: str) -> Any:
    from posyantek.products.models import Product

    return Product.objects.create(post=post, region_id=post.region_id, name=name, price=12_500_000, stock=stock)


def check_round(product_id: int, outcomes: list[dict[str, Any]], args: argparse.Namespace, label: str) -> dict:
    """Count the outcomes of one race and check them and the database against the rules."""
    from django.db.models import Sum

    from posyantek.orders.models import OrderItem
    from posyantek.products.models import Product

    kinds = Counter(o["kind"] for o in outcomes)
    stock = Product.objects.get(pk=product_id).stock
    sold = OrderItem.objects.filter(product_id=product_id).aggregate(n=Sum("quantity"))["n"] or 0
    orders = OrderItem.objects.filter(product_id=product_id).values("order_id").distinct().count()
    violations = [
        f"{label}: {o['kind']}: {o['detail'][:300]}" for o in outcomes if o["kind"] not in ("ok", "out_of_stock")
    ]
    if kinds["ok"] != args.units:
        violations.append(f"{label}: {kinds['ok']} checkouts succeeded, not {args.units}")
    if kinds["out_of_stock"] != args.buyers - args.units:
        violations.append(f"{label}: {kinds['out_of_stock']} told out of stock, not {args.buyers - args.units}")
    if len(outcomes) != args.buyers:
        violations.append(f"{label}: {len(outcomes)} buyers answered, not {args.buyers}")
    if stock != 0 or sold != args.units or orders != args.units:
        violations.append(f"{label}: stock after {stock}, units sold {sold}, orders {orders}")
    waits = [o["ms"] for o in outcomes]
    starts = [o["t0"] for o in outcomes]
    ends = [o["t1"] for o in outcomes]
    return {"ok": kinds["ok"], "out_of_stock": kinds["out_of_stock"], "other": len(outcomes) - kinds["ok"] -
            kinds["out_of_stock"], "stock_after": stock, "orders": orders, "waits": waits,
            "wall_ms": round((max(ends) - min(starts)) * 1000, 1) if outcomes else 0.0,
            "message": next((o["detail"] for o in outcomes if o["kind"] == "out_of_stock"), ""),
            "violations": violations}  # fmt: skip


def summarise(rounds: list[dict], alone: list[float]) -> dict[str, Any]:
    waits = [w for r in rounds for w in r.pop("waits")]
    out = {
        "rounds": rounds,
        "ok": sum(r["ok"] for r in rounds),
        "out_of_stock": sum(r["out_of_stock"] for r in rounds),
        "other": sum(r["other"] for r in rounds),
        "stock_after": max(r["stock_after"] for r in rounds),
        "wait": server.percentiles(waits),
        "wall_ms": server.percentiles([r["wall_ms"] for r in rounds]),
        "alone": server.percentiles(alone),
        "violations": [v for r in rounds for v in r.pop("violations")],
    }
    out["ratio"] = round(out["wait"]["p50_ms"] / out["alone"]["p50_ms"], 2) if out["alone"]["p50_ms"] else 0.0
    return out


# --- the race at the service level: one process per buyer -------------------------------------------------------


def _classify(exc: BaseException) -> tuple[str, str]:
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError):
        codes = {e.code for e in exc.error_list} if hasattr(exc, "error_list") else {"fields"}
        text = " ".join(exc.messages)
        if codes == {"out_of_stock"} and "habis" in text:
            return "out_of_stock", text
        return f"validation {sorted(c or '?' for c in codes)}", text
    return type(exc).__name__, str(exc)


def _buyer(i: int, product_id: int, barrier: Any, queue: Any) -> None:
    """One buyer's process: open its own connection, wait for the others, then check out one unit."""
    from django.db import connection

    from posyantek.orders.services import order_checkout

    out: dict[str, Any] = {"i": i}
    try:
        connection.ensure_connection()
        barrier.wait(timeout=60)
        out["t0"] = time.monotonic()
        try:
            order_checkout(lines=[(product_id, 1)], buyer={**BUYER, "name": f"Pembeli {i}"})
            out.update(kind="ok", detail="")
        except BaseException as exc:  # noqa: BLE001 - every outcome is reported to the parent
            out["kind"], out["detail"] = _classify(exc)
        out["t1"] = time.monotonic()
        out["ms"] = (out["t1"] - out["t0"]) * 1000
    except BaseException as exc:  # noqa: BLE001 - the barrier or the connection failed
        out.update(kind=f"setup {type(exc).__name__}", detail=str(exc), t0=0.0, t1=0.0, ms=0.0)
    finally:
        connection.close()
        queue.put(out)


def race_service(post: Any, args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connections

    from posyantek.orders.services import order_checkout

    ample = new_product(post, 1_000_000, "Canting Batik Listrik")
    alone = []
    for i in range(10):
        start = time.perf_counter()
        order_checkout(lines=[(ample.pk, 1)], buyer={**BUYER, "name": f"Pembeli sendiri {i}"})
        alone.append((time.perf_counter() - start) * 1000)
    ctx = multiprocessing.get_context("fork")
    rounds = []
    for r in range(args.rounds):
        product = new_product(post, args.units, f"Mesin Pengering Ikan {r + 1}")
        barrier, queue = ctx.Barrier(args.buyers), ctx.Queue()
        connections.close_all()  # a child must never share the parent's connection
        procs = [ctx.Process(target=_buyer, args=(i, product.pk, barrier, queue)) for i in range(args.buyers)]
        for p in procs:
            p.start()
        outcomes = [queue.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(30)
        res = check_round(product.pk, outcomes, args, f"service round {r + 1}")
        rounds.append(res)
        print(f"  service round {r + 1}: {res['ok']} orders, {res['out_of_stock']} out of stock, {res['other']} "
              f"other, stock {res['stock_after']}, race {res['wall_ms']:.0f} ms", flush=True)  # fmt: skip
    out = summarise(rounds, alone)
    print(f"  service: message {rounds[0]['message']!r}", flush=True)
    return out


# --- the race over HTTP: gunicorn and one client thread per buyer ------------------------------------------------


class LoneCheckoutFailed(Exception):
    """The checkout API is documented but does not take an order even without a race."""


def checkout_api_exists() -> bool:
    from config.api import api

    return "post" in api.get_openapi_schema()["paths"].get(CHECKOUT, {})


def _post(conn: http.client.HTTPConnection, body: dict[str, Any]) -> tuple[int, str]:
    conn.request("POST", CHECKOUT, body=json.dumps(body), headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    return resp.status, resp.read().decode("utf-8", "replace")


def _http_outcome(status: int, text: str) -> tuple[str, str]:
    if status == 201:
        return "ok", ""
    try:
        detail = json.loads(text).get("detail")
    except ValueError:
        detail = text
    if status == 409 and isinstance(detail, str) and "habis" in detail:
        return "out_of_stock", detail
    return f"HTTP {status}", str(detail)[:300]


def race_http(post: Any, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    import gunicorn

    env = dict(os.environ)
    port = server.free_port()
    cmd = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "-c",
           "python:bench.orders_race_server", "--workers", str(args.workers), "--worker-class", "gthread",
           "--threads", "4", "--graceful-timeout", "5", "--log-level", "info"]  # fmt: skip
    if gunicorn.version_info >= (25, 1):
        cmd.append("--no-control-socket")
    log = tmp / "gunicorn.log"
    (tmp / "static").mkdir(exist_ok=True)  # no static files are served here; this keeps WhiteNoise quiet
    from django.db import connections

    connections.close_all()
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        server.wait_ready(proc, port, "/bench/hello")
        ample = new_product(post, 1_000_000, "Canting Batik Listrik (HTTP)")
        alone = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in range(10):
            start = time.perf_counter()
            status, text = _post(conn, {**BUYER, "name": f"Pembeli sendiri {i}",
                                        "items": [{"product_id": ample.pk, "quantity": 1}]})  # fmt: skip
            alone.append((time.perf_counter() - start) * 1000)
            if status != 201:
                raise LoneCheckoutFailed(f"{CHECKOUT} answered {status} to a lone buyer: {text[:300]}")
        conn.close()
        # Warm up every server thread (its database connection, its first request) with a race that has stock
        # for everyone, so the rounds measure the contention and not the start-up.
        _http_round(port, ample.pk, args.buyers)
        rounds = []
        for r in range(args.rounds):
            product = new_product(post, args.units, f"Mesin Pengering Ikan HTTP {r + 1}")
            outcomes = _http_round(port, product.pk, args.buyers)
            res = check_round(product.pk, outcomes, args, f"http round {r + 1}")
            rounds.append(res)
            print(f"  http round {r + 1}: {res['ok']} orders, {res['out_of_stock']} out of stock, {res['other']} "
                  f"other, stock {res['stock_after']}, race {res['wall_ms']:.0f} ms", flush=True)  # fmt: skip
    except LoneCheckoutFailed:
        raise
    except Exception:
        print(f"--- gunicorn log ---\n{log.read_text()[-3000:]}", file=sys.stderr)
        raise
    finally:
        server.stop_server(proc)
    out = summarise(rounds, alone)
    out["workers"] = f"{args.workers} × 4 threads"
    return out


def _http_round(port: int, product_id: int, buyers: int) -> list[dict[str, Any]]:
    barrier = threading.Barrier(buyers)
    outcomes: list[dict[str, Any]] = []
    lock = threading.Lock()

    def buyer(i: int) -> None:
        out: dict[str, Any] = {"i": i, "t0": 0.0, "t1": 0.0, "ms": 0.0}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            conn.connect()
            barrier.wait(timeout=60)
            out["t0"] = time.monotonic()
            status, text = _post(conn, {**BUYER, "name": f"Pembeli {i}", "items": [{"product_id": product_id,
                                                                                    "quantity": 1}]})  # fmt: skip
            out["t1"] = time.monotonic()
            out["ms"] = (out["t1"] - out["t0"]) * 1000
            out["kind"], out["detail"] = _http_outcome(status, text)
        except Exception as exc:  # noqa: BLE001 - every outcome is reported
            out.update(kind=type(exc).__name__, detail=str(exc))
        finally:
            conn.close()
            with lock:
                outcomes.append(out)

    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(buyers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    return outcomes


if __name__ == "__main__":
    sys.exit(main())
