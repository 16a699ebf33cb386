"""Set up a throwaway copy of the site: its environment, data, gunicorn server and a logged-in session."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import gunicorn

ROOT = Path(__file__).resolve().parent.parent


def bench_env(tmp: Path) -> dict[str, str]:
    """Environment for manage.py and gunicorn: a separate SQLite database and var dir, DEBUG off, plain HTTP."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        VAR_DIR=str(tmp),
        MEDIA_ROOT=str(tmp / "media"),
        POSYANTEK_LOCAL="1",
        DEBUG="False",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="False",
        SECURE_COOKIES="False",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run a manage.py command with this venv's Python; return its stdout, or raise with its output."""
    proc = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """Start gunicorn with 2 sync workers in its own process group."""
    cmd = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--workers", "2", "--worker-class", "sync", "--graceful-timeout", "5", "--log-level", "info"]
    if gunicorn.version_info >= (25, 1):
        cmd.append("--no-control-socket")  # else it takes over the shared ~/.gunicorn/gunicorn.ctl of other servers
    with log.open("wb") as fh:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn and its workers: SIGTERM to the group, SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def get(
    port: int, path: str, cookies: dict[str, str] | None = None, body: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPResponse, str]:
    """GET (or POST a form, when `body` is given) to 127.0.0.1; return status, response and text."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        if body is None:
            conn.request("GET", path, headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request("POST", path, body=urllib.parse.urlencode(body), headers=headers)
        resp = conn.getresponse()
        return resp.status, resp, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def cookies_of(resp: http.client.HTTPResponse) -> dict[str, str]:
    """Return the cookies a response sets."""
    jar: SimpleCookie = SimpleCookie()
    for header in resp.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {k: m.value for k, m in jar.items()}


def wait_ready(proc: subprocess.Popen[bytes], port: int, path: str, timeout: float = 60) -> None:
    """Wait until the server answers `path` with 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            if get(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {path} within {timeout:.0f} s")


def login(port: int, login_path: str, username: str, password: str) -> dict[str, str]:
    """Log in through the login form (CSRF token included); return the cookies a browser would then send."""
    status, resp, html = get(port, login_path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    csrf = cookies_of(resp).get("csrftoken")
    if status != 200 or not token or not csrf:
        raise RuntimeError(f"login form: status {status}, csrf token found: {bool(token)}, cookie: {bool(csrf)}")
    form = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    status, resp, _ = get(port, login_path, cookies={"csrftoken": csrf}, body=form)
    after = cookies_of(resp)
    session = after.get("sessionid")
    if status != 302 or not session:
        raise RuntimeError(f"login as {username} failed: status {status}, session cookie: {bool(session)}")
    # Django rotates the CSRF secret at login; a browser keeps both cookies and sends them with every page.
    return {"sessionid": session, "csrftoken": after.get("csrftoken", csrf)}


def recreate_pg(url: str) -> None:
    """Drop and create the PostgreSQL database of `url` (a benchmark's own, never the app's)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def cleanup(db: str, tmp: Path, pg_url: str) -> None:
    """Close Django's connections, delete the temporary folder and, on PostgreSQL, the benchmark's database."""
    import shutil

    from django.db import connections

    connections.close_all()
    shutil.rmtree(tmp, ignore_errors=True)
    if db == "postgres":
        import psycopg

        base, name = pg_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def percentiles(samples: list[float]) -> dict[str, float]:
    """Return the count, median, 95th percentile and maximum of timings in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2),
            "max_ms": round(ordered[-1], 2)}  # fmt: skip


def setup_db_env(
    name: str, db: str, *, pg_url: str, kept: Path | None = None, reuse: bool = False, **extra: str
) -> Path:
    """Point this process (os.environ) at a benchmark database of its own and return its folder.

    SQLite lives in `<folder>/<name>.sqlite3`, PostgreSQL at `pg_url`; both start empty unless `reuse`. The folder is
    `kept / db` when given (for --keep/--reuse), else a new temporary one. `extra` adds settings (e.g. EMAIL_URL).
    """
    if kept is not None:
        tmp = kept / db
        tmp.mkdir(parents=True, exist_ok=True)
    else:
        tmp = Path(tempfile.mkdtemp(prefix=f"posyantek-{name}-{db}-"))
    url = f"sqlite:///{tmp / f'{name}.sqlite3'}" if db == "sqlite" else pg_url
    if db == "postgres" and not reuse:
        recreate_pg(url)
    elif db == "sqlite" and not reuse:
        for suffix in ("", "-wal", "-shm"):
            (tmp / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings", SECRET_KEY="bench-only-not-secret", VAR_DIR=str(tmp),
        MEDIA_ROOT=str(tmp / "media"), DATABASE_URL=url, DEBUG="False", ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="False", SECURE_COOKIES="False", LOG_LEVEL="WARNING", POSYANTEK_LOCAL="1", **extra,
    )  # fmt: skip
    return tmp
