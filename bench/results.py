"""One table of every benchmark's figures: each bench script appends its rows to `bench/out/<name>.json` with
`write_rows`; `python bench/results.py` renders them all to `bench/results.md` (figure, target, measured, ratio,
pass/fail), with the date, the machine and which benches ran. A bench with no rows says "not run".

    python bench/results.py            # render bench/results.md from bench/out/*.json
    python bench/results.py --clear    # forget earlier rows (make bench starts with this)
    python bench/results.py --check    # render, and exit 1 when a figure missed its target
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results.md"
#: Every bench, in the order of the table: (name of its rows file, how it is run, what it measures).
BENCHES = [
    ("run", "make bench (bench/run.py)", "region page, post list, catalogue search vs hello-world; load_regions"),
    ("import", "make bench (bench/import_bench.py)", "import of a 10,000-row TTG register"),
    ("search", "make bench-search", "catalogue search over 1,000,000 TTG"),
    ("requests", "bench/requests_bench.py", "a post's request list with 1,000,000 requests; public submits"),
    ("orders_race", "make bench-orders", "50 buyers racing for the last 5 units"),
    ("sales", "make bench-orders", "a post's sales analysis over 5,000,000 orders"),
    ("finance", "make bench-finance", "balances, realisation and roll-ups with 10,000,000 cash entries"),
    ("replication", "make bench-replication", "replication progress of a province with 1,000 posts"),
    ("contests", "make bench-contests", "ranking of an edition with 7,285 entries"),
    ("national", "make bench-national", "national data set: generation, refresh, dashboard pages"),
]


def machine() -> dict[str, Any]:
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    mem = ""
    if Path("/proc/meminfo").exists():
        total = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        mem = f"{int(total.split()[1]) / 1024 / 1024:.0f} GB"
    return {"cpus": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "system": platform.platform(), "load": " ".join(load)}  # fmt: skip


def row(figure: str, target: str, measured: str, ratio: str = "", ok: bool | None = None) -> dict[str, Any]:
    """A row of the table; `ok` None means for information (no target)."""
    return {"figure": figure, "target": target, "measured": measured, "ratio": ratio, "pass": ok}


def write_rows(name: str, rows: list[dict[str, Any]], *, replace: bool = True, note: str = "") -> Path:
    """Write (or, with replace=False, add to) a bench's rows in bench/out/<name>.json, then re-render results.md."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    old = json.loads(path.read_text()) if path.exists() and not replace else {"rows": []}
    data = {"bench": name, "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine(),
            "note": note or old.get("note", ""), "rows": old["rows"] + rows}  # fmt: skip
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    render()
    return path


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """Render bench/results.md from the rows files; return the text."""
    now = dt.datetime.now(dt.UTC)
    m = machine()
    ran, lines = [], []
    for name, _how, what in BENCHES:
        path = OUT / f"{name}.json"
        if not path.exists():
            lines.append(f"| {name} | {_cell(what)} | – | not run | – | not run |")
            continue
        data = json.loads(path.read_text())
        ran.append(f"{name} ({data['when'][:16].replace('T', ' ')} UTC, load {data['machine'].get('load', '?')})")
        for r in data["rows"]:
            verdict = "info" if r.get("pass") is None else "PASS" if r["pass"] else "FAIL"
            lines.append(f"| {name} | {_cell(r['figure'])} | {_cell(r['target'] or '–')} | {_cell(r['measured'])} | "
                         f"{_cell(r.get('ratio') or '–')} | {verdict} |")  # fmt: skip
        if data.get("note"):
            lines.append(f"| {name} | note | – | {_cell(data['note'])} | – | – |")
    text = "\n".join([
        "# Benchmark results",
        "",
        f"Rendered {now:%d %B %Y %H:%M} UTC by `bench/results.py` from `bench/out/*.json`. Machine: {m['cpus']} CPUs, "
        f"{m['memory']} RAM, Python {m['python']}, {m['system']}; load average now {m['load']}.",
        "",
        "Benches with rows: " + ("; ".join(ran) if ran else "none") + ".",
        "Not run: " + (", ".join(n for n, _h, _w in BENCHES if not (OUT / f"{n}.json").exists()) or "none") + ".",
        "",
        "| bench | figure | target | measured | ratio | result |",
        "|---|---|---|---|---|---|",
        *lines,
        "",
        "How each runs: " + "; ".join(f"{n}: `{h}`" for n, h, _w in BENCHES) + ". See bench/README.md.",
        "",
    ])  # fmt: skip
    RESULTS.write_text(text)
    return text


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clear", action="store_true", help="delete the rows of earlier runs first")
    p.add_argument("--check", action="store_true", help="exit 1 when a figure missed its target")
    args = p.parse_args()
    if args.clear:
        for name, _how, _what in BENCHES:
            (OUT / f"{name}.json").unlink(missing_ok=True)
    text = render()
    print(f"Wrote {RESULTS.relative_to(ROOT)}")
    failed = [line for line in text.splitlines() if line.endswith("| FAIL |")]
    for line in failed:
        print(line)
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
