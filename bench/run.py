"""Benchmark: req/s of the region page and the post list against hello-world, and the time of `load_regions`.

Run from the repository root with `make bench` (or `uv run --frozen python bench/run.py --help`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # import `bench` as a package, not its files

from bench import load, server  # noqa: E402

HELLO, REGION, POSTS, CATALOG = "/bench/hello", "/wilayah/33.75.03/", "/pos/", "/katalog/?q=pengeringan+ikan"
LOGIN = "/akun/masuk"
USER, PASSWORD = "pekalongan@demo.posyantek.id", "posyantek-demo"
MIN_RATIO = {"region": 0.5, "posts": 0.5, "catalog": 0.4}  # share of the hello-world req/s each page must serve
MAX_LOAD_REGIONS_S = 30.0
OUT = server.ROOT / "bench" / "out" / "latest.json"


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=5.0, help="seconds per measurement (default 5)")
    p.add_argument("--rounds", type=int, default=3, help="rounds of hello, region, posts, hello (default 3)")
    p.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    p.add_argument("--python-load", action="store_true", help="use the Python load generator even if wrk exists")
    p.add_argument("--keep", action="store_true", help="keep the temporary database and server log")
    p.add_argument("--skip-uncached", action="store_true", help="skip the informational run without the page cache")
    return p.parse_args()


def prepare(env: dict[str, str]) -> dict[str, float]:
    """Migrate, time load_regions, load the demo and collect static files."""
    server.manage(env, "migrate", "--no-input", "-v0")
    start = time.perf_counter()
    out = server.manage(env, "load_regions")
    wall = time.perf_counter() - start
    print(f"  load_regions: {out.strip()}  [wall {wall:.1f} s]", flush=True)
    own = re.search(r"in ([\d.]+) s", out)
    server.manage(env, "load_demo")
    server.manage(env, "collectstatic", "--no-input", "-v0")
    return {"wall_s": round(wall, 2), "reported_s": float(own.group(1)) if own else None}


def check_pages(port: int, session: dict[str, str]) -> dict[str, int]:
    """Each page must answer 200 (the post list with the session, not a redirect to login); return body sizes."""
    sizes = {}
    for name, path, cookies in (("hello", HELLO, None), ("region", REGION, None), ("posts", POSTS, session),
                                ("catalog", CATALOG, None)):  # fmt: skip
        status, resp, body = server.get(port, path, cookies=cookies)
        if status != 200:
            raise RuntimeError(f"{path} answered {status} {resp.getheader('Location') or ''}")
        sizes[name] = len(body.encode())
    return sizes


def measure(
    args: argparse.Namespace, proc: subprocess.Popen[bytes], port: int, session: dict[str, str], rounds: int
) -> tuple[str, dict[str, list[load.Sample]]]:
    """Warm up, then run rounds of hello, region, posts, hello back to back; stop if the server dies."""
    wrk = None if args.python_load else load.wrk_path()
    cookie = "; ".join(f"{k}={v}" for k, v in session.items())
    urls = {
        "hello": (HELLO, {}),
        "region": (REGION, {}),
        "posts": (POSTS, {"Cookie": cookie}),
        "catalog": (CATALOG, {}),
    }

    def run(name: str, seconds: float) -> load.Sample:
        path, headers = urls[name]
        if wrk:
            sample = load.run_wrk(wrk, f"http://127.0.0.1:{port}{path}", seconds, args.connections, headers)
        else:
            sample = load.run_python("127.0.0.1", port, path, seconds, args.connections, headers)
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode} while measuring {path} (killed from outside?)")
        return sample

    for name in urls:
        run(name, 1)
    samples: dict[str, list[load.Sample]] = {name: [] for name in urls}
    for r in range(rounds):
        for name in ("hello", "region", "posts", "catalog", "hello"):
            s = run(name, args.duration)
            samples[name].append(s)
            print(
                f"  round {r + 1} {name:<6} {s.rps:8.1f} req/s  ({s.requests} requests, {s.errors} errors)", flush=True
            )
    return ("wrk" if wrk else "python"), samples


def summarise(samples: dict[str, list[load.Sample]]) -> dict[str, dict[str, float]]:
    """Median req/s per page and median per-round ratio to the mean of the round's two hello runs."""
    hello = [s.rps for s in samples["hello"]]
    baselines = [(a + b) / 2 for a, b in zip(hello[::2], hello[1::2], strict=True)]
    out = {"hello": {"rps": round(statistics.median(hello), 1), "errors": sum(s.errors for s in samples["hello"])}}
    for name in ("region", "posts", "catalog"):
        ratios = [s.rps / base for s, base in zip(samples[name], baselines, strict=True)]
        out[name] = {
            "rps": round(statistics.median(s.rps for s in samples[name]), 1),
            "ratio": round(statistics.median(ratios), 3),
            "ratios": [round(x, 3) for x in ratios],
            "errors": sum(s.errors for s in samples[name]),
        }
    return out


def report(result: dict) -> bool:
    """Print the table and the targets; return True when all pass."""
    pages, lr = result["pages"], result["load_regions"]
    print(
        f"\nPosyantek benchmark ({result['load_generator']}, {result['connections']} connections, "
        f"{result['rounds']} x {result['duration_s']:.0f} s, gunicorn 2 sync workers, {os.cpu_count()} CPUs)"
    )
    print(f"{'page':<28}{'req/s':>10}{'ratio':>9}{'errors':>8}")
    for name, label in (("hello", HELLO), ("region", REGION), ("posts", POSTS), ("catalog", CATALOG)):
        p = pages[name]
        ratio = f"{p['ratio']:.0%}" if "ratio" in p else "-"
        print(f"{name + ' ' + label:<28}{p['rps']:>10.1f}{ratio:>9}{p['errors']:>8}")
    if result.get("uncached_pages"):
        u = result["uncached_pages"]
        print(f"(page cache off, 1 round, for information: region {u['region']['ratio']:.0%}, "
              f"posts {u['posts']['ratio']:.0%}, catalogue {u['catalog']['ratio']:.0%} of hello)")  # fmt: skip
    print(f"load_regions: {lr['wall_s']:.1f} s wall ({lr['reported_s']} s as reported by the command)\n")
    for t in result["targets"]:
        print(f"{'PASS' if t['pass'] else 'FAIL'}  {t['target']}: {t['measured']}")
    return all(t["pass"] for t in result["targets"])


def targets(pages: dict, lr: dict) -> list[dict]:
    """The issue's targets, each with its measured value and verdict."""
    out = [
        {
            "target": f"{name} page >= {MIN_RATIO[name]:.0%} of hello req/s, no errors",
            "measured": f"{pages[name]['ratio']:.0%} ({pages[name]['errors']} errors)",
            "pass": pages[name]["ratio"] >= MIN_RATIO[name] and pages[name]["errors"] == 0,
        }
        for name in ("region", "posts", "catalog")
    ]
    out.append(
        {
            "target": f"load_regions <= {MAX_LOAD_REGIONS_S:.0f} s on SQLite",
            "measured": f"{lr['wall_s']:.1f} s",
            "pass": lr["wall_s"] <= MAX_LOAD_REGIONS_S,
        }
    )
    return out


def main() -> int:
    """Set up, serve, measure, report; 1 when a target fails."""
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="posyantek-bench-"))
    env = server.bench_env(tmp)
    proc = None
    try:
        print(f"Preparing a fresh SQLite database in {tmp} ...", flush=True)
        lr = prepare(env)
        port = server.free_port()
        proc = server.start_server(env, port, tmp / "gunicorn.log")
        server.wait_ready(proc, port, HELLO)
        session = server.login(port, LOGIN, USER, PASSWORD)
        sizes = check_pages(port, session)
        print(f"Serving on 127.0.0.1:{port}; page sizes {sizes}; measuring ...", flush=True)
        generator, samples = measure(args, proc, port, session, args.rounds)
        check_pages(port, session)  # still 200, not a redirect: wrk counts a 302 as a success
        server.stop_server(proc)
        uncached = None
        if not args.skip_uncached:
            # For information: the same pages rendered on every request, without the page cache.
            print("Measuring once more with the page cache off (for information, not a target) ...", flush=True)
            proc = server.start_server({**env, "PAGE_CACHE_ENABLED": "False"}, port, tmp / "gunicorn-uncached.log")
            server.wait_ready(proc, port, HELLO)
            session = server.login(port, LOGIN, USER, PASSWORD)
            uncached = summarise(measure(args, proc, port, session, 1)[1])
    except Exception:
        if (log := tmp / "gunicorn.log").exists():
            print(f"--- gunicorn log ---\n{log.read_text()[-3000:]}", file=sys.stderr)
        raise
    finally:
        if proc:
            server.stop_server(proc)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    pages = summarise(samples)
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "load_generator": generator,
        "connections": args.connections,
        "rounds": args.rounds,
        "duration_s": args.duration,
        "page_bytes": sizes,
        "pages": pages,
        "samples": {k: [{"rps": round(s.rps, 1), "errors": s.errors} for s in v] for k, v in samples.items()},
        "load_regions": lr,
        "uncached_pages": uncached,
        "targets": targets(pages, lr),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    ok = report(result)
    from bench.results import row, write_rows

    write_rows("run", [row(t["target"].split(" >=")[0].split(" <=")[0], t["target"], t["measured"], "", t["pass"])
                       for t in result["targets"]])  # fmt: skip
    print(f"\nResults written to {OUT.relative_to(server.ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
