"""Benchmark: the dashboards at national scale (issue 9), on SQLite and PostgreSQL.

    uv run --frozen python bench/national_bench.py [--db sqlite|pg|both] [--scale 1.0] [--seed 2014]
        [--reuse DIR_OR_URL ...] [--requests 40] [--rounds 3] [--duration 4] [--connections 8] [--no-serve]

For each database, one at a time: unless reused, a fresh database (SQLite: `<dir>/national.sqlite3`, default dir
/tmp/national_sqlite; PostgreSQL: `national_pg` on 127.0.0.1, dropped and created; BENCH_NATIONAL_PG_URL overrides),
`migrate`, `load_regions`, then `manage.py generate_national --scale --seed` timed (the "≤ 30 min" figure; the
refresh of the figures it ends with is timed on its own). The databases are kept: `--reuse DIR` (SQLite) or
`--reuse URL` (PostgreSQL) measures a generated one again, reading the timings of its generation from
`summary.json` beside it. Then collectstatic, gunicorn (2 sync workers, page cache OFF, so every request reads the
summary tables and renders afresh), login as the national admin, and for each dashboard page (the table PAGES):
a check that it answers 200, p95 of sequential requests, req/s against hello-world in the same run (rounds of
hello, pages, hello; the median of the per-round ratios), and at the end the peak RSS (VmHWM) of each worker.

Targets: PostgreSQL p95 ≤ 300 ms and ≥ 30 % of hello-world req/s; SQLite within 2× (≤ 600 ms, ≥ 15 %);
generation ≤ 30 min; worker peak < 300 MB. Rows go to bench/out/national.json and bench/results.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import `bench` as a package
from bench import load, results, server  # noqa: E402

PG_URL = os.environ.get("BENCH_NATIONAL_PG_URL", "postgres://postgres@127.0.0.1:5432/national_pg")
SQLITE_DIR = Path("/tmp/national_sqlite")  # noqa: S108 - kept for --reuse, named in the README
PG_VAR = Path("/tmp/national_pg_var")  # noqa: S108 - the PostgreSQL run's static files, log, summary
HELLO, LOGIN = "/bench/hello", "/akun/masuk"
#: The dashboard pages measured (name, path); {slug} is the measured post's.
PAGES = [
    ("nation", "/dasbor/nasional/"),
    ("province", "/dasbor/wilayah/33/"),
    ("city", "/dasbor/wilayah/33.75/"),
    ("kecamatan", "/dasbor/wilayah/33.75.03/"),
    ("post", "/dasbor/pos/{slug}/"),
    ("table sorted, page 2", "/dasbor/wilayah/33/?urut=requests_received&arah=turun&page=2"),
    ("API nation", "/api/v1/dasbor/nasional"),
]
SLUG = "posyantek-mitra-pantura"  # generate_national names the post of 33.75.03 so
TARGETS = {"pg": {"p95_ms": 300.0, "ratio": 0.30}, "sqlite": {"p95_ms": 600.0, "ratio": 0.15}}
MAX_GENERATE_S = 30 * 60
MAX_WORKER_MB = 300.0


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "pg", "both"], default="both")
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=2014)
    p.add_argument("--reuse", action="append", default=[], help="a generated SQLite dir or PostgreSQL URL to measure")
    p.add_argument("--requests", type=int, default=40, help="sequential requests per page for p95 (default 40)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=float, default=4.0, help="seconds per req/s measurement (default 4)")
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--no-serve", action="store_true", help="generate only")
    return p.parse_args()


def env_for(db: str, where: str) -> dict[str, str]:
    var = Path(where) if db == "sqlite" else PG_VAR
    var.mkdir(parents=True, exist_ok=True)
    env = server.bench_env(var)
    env.update(DATABASE_URL=f"sqlite:///{var / 'national.sqlite3'}" if db == "sqlite" else where,
               PAGE_CACHE_ENABLED="False", SECRET_KEY="bench-only-not-secret",
               ALLOWED_HOSTS="127.0.0.1,localhost,testserver")  # fmt: skip
    return env


def generate(db: str, where: str, env: dict[str, str], args: argparse.Namespace) -> dict:
    """Make a fresh database and generate the data set; return the summary with the timings."""
    var = Path(env["VAR_DIR"])
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (var / f"national.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        server.recreate_pg(where)
    start = time.perf_counter()
    server.manage(env, "migrate", "--no-input", "-v0")
    migrate_s = time.perf_counter() - start
    start = time.perf_counter()
    server.manage(env, "load_regions")
    regions_s = time.perf_counter() - start
    print(f"  migrate {migrate_s:.0f} s, load_regions {regions_s:.0f} s; generating ...", flush=True)
    loads = []
    start = time.perf_counter()
    cmd = [sys.executable, "manage.py", "generate_national", "--scale", str(args.scale), "--seed", str(args.seed),
           "--summary", str(var / "summary.json")]  # fmt: skip
    with (var / "generate.log").open("w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        while proc.poll() is None:
            loads.append(float(Path("/proc/loadavg").read_text().split()[0]))
            time.sleep(10)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"generate_national failed ({proc.returncode}); see {var / 'generate.log'}")
    summary = json.loads((var / "summary.json").read_text())
    summary.update(wall_s=round(wall, 1), migrate_s=round(migrate_s, 1), regions_s=round(regions_s, 1),
                   load_median=round(statistics.median(loads), 1) if loads else None)  # fmt: skip
    (var / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary


def timed_get(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    resp.read()
    return (time.perf_counter() - start) * 1000, resp.status


def worker_peaks(master: int) -> dict[int, float]:
    """Peak resident memory (VmHWM, MB) of each gunicorn worker (the master's children)."""
    out = {}
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                out[int(child)] = round(int(line.split()[1]) / 1024, 1)
    return out


def serve(db: str, env: dict[str, str], args: argparse.Namespace, admin: dict) -> dict:
    """Measure every page twice: rendered afresh (page cache off: p95 of sequential requests, and one round of
    req/s for information), then as users get them (page cache on: rounds of req/s against hello-world)."""
    server.manage(env, "collectstatic", "--no-input", "-v0")
    fresh = serve_once({**env, "PAGE_CACHE_ENABLED": "False"}, args, admin, latency=True, rounds=1)
    kept = serve_once({**env, "PAGE_CACHE_ENABLED": "True"}, args, admin, latency=False, rounds=args.rounds)
    return {"latency": fresh["latency"], "hello_rps": kept["hello_rps"], "pages": kept["pages"],
            "pages_uncached": fresh["pages"], "worker_peak_mb": {**fresh["worker_peak_mb"], **kept["worker_peak_mb"]},
            "load_generator": kept["load_generator"], "paths": kept["paths"]}  # fmt: skip


def serve_once(env: dict[str, str], args: argparse.Namespace, admin: dict, *, latency: bool, rounds: int) -> dict:
    """Start gunicorn, log in as the national admin, check every page answers 200, measure, stop."""
    var = Path(env["VAR_DIR"])
    port = server.free_port()
    proc = server.start_server(env, port, var / "gunicorn.log")
    try:
        server.wait_ready(proc, port, HELLO)
        session = server.login(port, LOGIN, admin["email"], admin["password"])
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in session.items())}
        pages = [(name, path.format(slug=SLUG)) for name, path in PAGES]
        for name, path in pages:  # each must answer 200 to the admin (not a redirect to the login page)
            status, resp, _body = server.get(port, path, cookies=session)
            if status != 200:
                raise RuntimeError(f"{name} {path} answered {status} {resp.getheader('Location') or ''}")
        times = measure_latency(port, [("hello", HELLO), *pages], headers, args.requests) if latency else {}
        wrk = load.wrk_path()

        def run(path: str) -> load.Sample:
            if wrk:
                return load.run_wrk(wrk, f"http://127.0.0.1:{port}{path}", args.duration, args.connections, headers)
            return load.run_python("127.0.0.1", port, path, args.duration, args.connections, headers)

        ratios: dict[str, list[float]] = {name: [] for name, _ in pages}
        rps: dict[str, list[float]] = {name: [] for name, _ in pages}
        errors = {name: 0 for name, _ in pages}
        hellos = []
        blocks = [pages[i : i + 4] for i in range(0, len(pages), 4)]
        for _name, path in [("hello", HELLO), *pages]:  # warm-up
            timed_get_once(port, path, headers)
        for r in range(rounds):
            before = run(HELLO).rps
            hellos.append(before)
            for block in blocks:
                got = {name: run(path) for name, path in block}
                after = run(HELLO).rps
                hellos.append(after)
                for name, sample in got.items():
                    ratios[name].append(sample.rps / ((before + after) / 2))
                    rps[name].append(sample.rps)
                    errors[name] += sample.errors
                before = after
            cache = "page cache " + ("on" if env["PAGE_CACHE_ENABLED"] == "True" else "off")
            print(f"  round {r + 1} ({cache}): hello {statistics.median(hellos):.0f} req/s; "
                  + ", ".join(f"{n} {ratios[n][-1]:.0%}" for n, _ in pages), flush=True)  # fmt: skip
        for name, path in pages:  # still 200 after the load (a redirect would count as a success above)
            if server.get(port, path, cookies=session)[0] != 200:
                raise RuntimeError(f"{name} {path} no longer answers 200")
        peaks = worker_peaks(proc.pid)
    finally:
        server.stop_server(proc)
    return {"latency": times, "hello_rps": round(statistics.median(hellos), 1),
            "pages": {n: {"rps": round(statistics.median(rps[n]), 1), "ratio": round(statistics.median(ratios[n]), 3),
                          "ratios": [round(x, 3) for x in ratios[n]], "errors": errors[n]} for n, _ in pages},
            "worker_peak_mb": peaks, "load_generator": "wrk" if wrk else "python", "paths": dict(pages)}  # fmt: skip


def timed_get_once(port: int, path: str, headers: dict[str, str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        timed_get(conn, path, headers)
    finally:
        conn.close()


def measure_latency(port: int, pages: list[tuple[str, str]], headers: dict[str, str], n: int) -> dict:
    """p50/p95/max of `n` sequential requests per page on one keep-alive connection, after 3 to warm up."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    out = {}
    try:
        for name, path in pages:
            for _ in range(3):
                timed_get(conn, path, headers)
            samples = []
            for _ in range(n):
                ms, status = timed_get(conn, path, headers)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status} while measuring")
                samples.append(ms)
            out[name] = server.percentiles(samples)
            print(f"  {name:<22} p50 {out[name]['p50_ms']:7.1f} ms  p95 {out[name]['p95_ms']:7.1f} ms", flush=True)
    finally:
        conn.close()
    return out


def rows_for(db: str, summary: dict, measured: dict | None) -> list[dict]:
    label = "PostgreSQL" if db == "pg" else "SQLite"
    gen = summary["generate_s"]
    rows = [
        results.row(f"{label}: generate_national (scale {summary['scale']}, seed {summary['seed']})",
                    f"≤ {MAX_GENERATE_S // 60} min", f"{gen / 60:.1f} min ({gen:.0f} s; load avg "
                    f"{summary.get('load_median', '?')})", "", gen <= MAX_GENERATE_S),
        results.row(f"{label}: refresh_posts() after generation", "", f"{summary['refresh_s']} s"
                    if summary.get("refresh_s") is not None else "not run"),
    ]  # fmt: skip
    if not measured:
        rows.append(results.row(f"{label}: dashboard pages", "", "not run"))
        return rows
    t = TARGETS[db]
    lat, hello = measured["latency"], measured["latency"]["hello"]
    rows.append(results.row(f"{label}: hello-world", "", f"p50 {hello['p50_ms']:.1f} ms, "
                            f"{measured['hello_rps']:.0f} req/s ({measured['load_generator']} load)"))  # fmt: skip
    for name, page in measured["pages"].items():
        ok = lat[name]["p95_ms"] <= t["p95_ms"] and page["ratio"] >= t["ratio"] and page["errors"] == 0
        rows.append(results.row(
            f"{label}: {name} `{measured['paths'][name]}`: p95 rendered afresh; req/s vs hello as served",
            f"p95 ≤ {t['p95_ms']:.0f} ms, ≥ {t['ratio']:.0%}",
            f"p95 {lat[name]['p95_ms']:.1f} ms (p50 {lat[name]['p50_ms']:.1f}), {page['rps']:.0f} req/s, "
            f"{page['errors']} errors", f"{page['ratio']:.0%}", ok))  # fmt: skip
    peak = max(measured["worker_peak_mb"].values()) if measured["worker_peak_mb"] else 0.0
    fresh = measured.get("pages_uncached") or {}
    rows.append(results.row(f"{label}: pages rendered afresh (page cache off), req/s vs hello, for information", "",
                            ", ".join(f"{n} {p['ratio']:.0%}" for n, p in fresh.items())))  # fmt: skip
    rows.append(results.row(f"{label}: gunicorn worker peak RSS (VmHWM), both servers", f"< {MAX_WORKER_MB:.0f} MB",
                            ", ".join(f"{v:.0f} MB" for v in measured["worker_peak_mb"].values()), "",
                            peak < MAX_WORKER_MB))  # fmt: skip
    return rows


def main() -> int:
    args = parse_args()
    reuse = {("pg" if r.startswith("postgres") else "sqlite"): r for r in args.reuse}
    all_rows, ok = [], True
    for db in ("sqlite", "pg") if args.db == "both" else (args.db,):
        where = reuse.get(db) or (PG_URL if db == "pg" else str(SQLITE_DIR))
        env = env_for(db, where)
        print(f"== {db}: {'reusing ' if db in reuse else 'generating into '}{where}", flush=True)
        if db in reuse:
            summary = json.loads((Path(env["VAR_DIR"]) / "summary.json").read_text())
        else:
            summary = generate(db, where, env, args)
        print(f"  generated in {summary['generate_s']:.0f} s, refresh {summary.get('refresh_s')} s", flush=True)
        measured = None if args.no_serve else serve(db, env, args, summary["admin"])
        out = {"db": db, "where": where, "summary": summary, "measured": measured}
        results.OUT.mkdir(parents=True, exist_ok=True)
        (results.OUT / f"national-{db}.json").write_text(json.dumps(out, indent=2))
        rows = rows_for(db, summary, measured)
        all_rows += rows
        ok &= all(r["pass"] is not False for r in rows)
        for r in rows:
            print(f"  {'PASS' if r['pass'] else 'FAIL' if r['pass'] is False else 'info'}  {r['figure']}: "
                  f"{r['measured']} {r['ratio']}")  # fmt: skip
    if args.db != "both":  # keep the other database's rows from an earlier run
        path = results.OUT / "national.json"
        if path.exists():
            other = "SQLite" if args.db == "pg" else "PostgreSQL"
            all_rows = [r for r in json.loads(path.read_text())["rows"] if r["figure"].startswith(other)] + all_rows
    results.write_rows("national", all_rows)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
