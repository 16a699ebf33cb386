"""Load generators: wrk when installed, else a small threaded Python client with keep-alive."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass


@dataclass
class Sample:
    """One timed run against one URL."""

    requests: int
    seconds: float
    errors: int  # socket errors, timeouts and non-2xx/3xx answers

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_path() -> str | None:
    """Return the wrk binary, or None when it is not installed."""
    return shutil.which("wrk")


def run_wrk(wrk: str, url: str, seconds: float, connections: int, headers: dict[str, str]) -> Sample:
    """Run wrk with one thread and parse its summary."""
    cmd = [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", url]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=seconds + 30)
    if proc.returncode:
        raise RuntimeError(f"wrk exited with {proc.returncode}: {proc.stderr.strip() or proc.stdout.strip()}")
    out = proc.stdout
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", out)
    if not total:
        raise RuntimeError(f"cannot parse wrk output:\n{out}")
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[total.group(3)]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    if bad := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(bad.group(1))
    return Sample(int(total.group(1)), float(total.group(2)) * scale, errors)


def run_python(host: str, port: int, path: str, seconds: float, connections: int, headers: dict[str, str]) -> Sample:
    """Send GETs from `connections` threads for `seconds`; reconnect whenever the server closes."""
    deadline = time.perf_counter() + seconds
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()

    def worker() -> None:
        ok = errors = 0
        conn = http.client.HTTPConnection(host, port, timeout=10)
        while time.perf_counter() < deadline:
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status < 400:
                    ok += 1
                else:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 15)
    return Sample(counts["ok"], time.perf_counter() - start, counts["errors"])
