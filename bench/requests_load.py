"""The public-submit load for bench/requests_bench.py: gunicorn's config for that run, and the submitters.

Used twice:
- as gunicorn's config (`-c python:bench.requests_load`): each worker raises the public submission limits, so the
  benchmark measures the write path and not the spam guard (20 submitters share one address here);
- imported by the benchmark, whose `submit_for` runs the submitters: each thread posts requests to
  /api/v1/layanan/public/requests for the given time, one new phone number each, and keeps every tracking code.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

#: Submissions allowed per address and per phone in the benchmark server (far above what the run sends).
BENCH_LIMITS = {"ip": (10_000_000, 3600), "phone": (1000, 86400), "track": (10_000_000, 600)}
PATH = "/api/v1/layanan/public/requests"


def post_worker_init(worker: Any) -> None:
    """Gunicorn hook: lift the submission limits in this worker (see the module docstring)."""
    from django.conf import settings

    settings.CONSULTATION_RATE_LIMITS = BENCH_LIMITS


@dataclass
class Result:
    codes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)


def submit_for(port: int, seconds: float, submitters: int, region_code: str) -> Result:
    """Run `submitters` threads posting requests for `seconds`; return the codes, the errors and the latencies."""
    result = Result()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = 0
        while time.monotonic() < deadline:
            i += 1
            body = json.dumps({
                "requester_name": f"Pemohon {n}-{i}", "phone": f"0813{n:03d}{i:05d}", "region_code": region_code,
                "description": "Ikan asin cepat busuk saat musim hujan karena susah dijemur", "sector": "perikanan",
                "commodity": "ikan asin",
            })  # fmt: skip
            start = time.perf_counter()
            try:
                conn.request("POST", PATH, body=body, headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                text = resp.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    result.errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            ms = (time.perf_counter() - start) * 1000
            with lock:
                result.latencies_ms.append(ms)
                if resp.status == 201:
                    result.codes.append(json.loads(text)["code"])
                else:
                    result.errors.append(f"{resp.status}: {text[:200]}")
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(submitters)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result
